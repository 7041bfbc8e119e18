"""Reads that cross relations, each fetching what its page shows in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from .models import Article, Claim, Evidence


def published_claims():
    return Claim.objects.published().with_public_relations().order_by("-published_at")


def claim_page_data(slug: str) -> Claim:
    """A published claim with its verdict, article, evidence (with sources and outlets)."""
    queryset = (
        Claim.objects.published()
        .with_public_relations()
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("source__outlet").order_by("stance", "pk"),
            ),
            "corrections__previous_verdict",
            "corrections__new_verdict",
            "topics",
        )
    )
    return get_object_or_404(queryset, slug=slug)


@dataclass
class ArticleSegment:
    text: str
    claim: Claim | None = None
    number: int | None = None


def article_page_data(slug: str) -> tuple[Article, list[Claim]]:
    """An article and its published, anchored claims in reading order."""
    article = get_object_or_404(Article.objects.select_related("outlet"), slug=slug)
    claims = list(
        article.claims.published()
        .filter(anchor_start__isnull=False)
        .exclude(anchor_state="orphaned")
        .select_related("verdict")
        .order_by("anchor_start", "-anchor_end")
    )
    return article, claims


def article_segments(text: str, claims: list[Claim]) -> list[ArticleSegment]:
    """Split the text into plain runs and highlighted claims (claims sorted by start).

    A claim that overlaps an earlier one is listed below the text but not highlighted twice.
    """
    segments, cursor = [], 0
    for number, claim in enumerate(claims, start=1):
        if claim.anchor_start < cursor:
            continue
        segments.append(ArticleSegment(text[cursor : claim.anchor_start]))
        segments.append(ArticleSegment(text[claim.anchor_start : claim.anchor_end], claim, number))
        cursor = claim.anchor_end
    segments.append(ArticleSegment(text[cursor:]))
    return segments
