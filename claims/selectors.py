"""Reads that cross relations, each fetching what its page shows in a fixed number of queries.

Only what readers may see ever leaves these functions: every public page starts from
claims/visibility.py.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.http import Http404

from lib.compiled_query import CompiledQuery, run_together, set_prefetched
from sources.models import Outlet, Source

from . import visibility
from .choices import AnchorState
from .claimreview import claim_review, scale_bounds_of, scale_bounds_subqueries
from .models import Article, Claim, Correction, Evidence, Stance, Topic, VerdictRating

CONTEXT_MAX_CHARS = 600
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SEARCH_CONFIGS = {"it": "italian", "en": "english"}


def published_claims():
    return visibility.public_claims().with_public_relations().order_by("-published_at", "-pk")


# --- Claims list and search ---------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFilters:
    q: str = ""
    verdict: str = ""
    topic: str = ""
    outlet: str = ""
    language: str = ""
    since: date | None = None
    until: date | None = None


def claim_list(filters: ClaimFilters, *, reader_language: str = "en"):
    """Published claims matching the filters: newest first, or best match first for a search."""
    claims = published_claims()
    if filters.verdict:
        claims = claims.filter(verdict__code=filters.verdict)
    if filters.topic:
        claims = claims.filter(topics__slug=filters.topic)
    if filters.outlet:
        claims = claims.filter(article__outlet__domain=filters.outlet)
    if filters.language:
        claims = claims.filter(language=filters.language)
    if filters.since:
        claims = claims.filter(published_at__date__gte=filters.since)
    if filters.until:
        claims = claims.filter(published_at__date__lte=filters.until)
    if filters.q.strip():
        claims = _search(claims, filters.q.strip(), reader_language)
    return claims


def _search(claims, text: str, reader_language: str):
    if connection.vendor != "postgresql":
        # SQLite: every word must appear in the wording, the quote or the claimant.
        for word in text.split():
            claims = claims.filter(
                Q(claim_reviewed__icontains=word)
                | Q(quote__icontains=word)
                | Q(claimant__icontains=word)
            )
        return claims
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # The vector is built in each claim's own language; the query is stemmed both in the
    # reader's language and in Italian and English (the desk's languages), and as plain words
    # for names (claimants are indexed with the 'simple' configuration).
    configs = dict.fromkeys(
        [SEARCH_CONFIGS.get(reader_language[:2], "simple"), "italian", "english", "simple"]
    )
    query = None
    for config in configs:
        part = SearchQuery(text, config=config, search_type="websearch")
        query = part if query is None else query | part
    return (
        claims.filter(search_vector=query)
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank", "-published_at", "-pk")
    )


@dataclass
class FilterChoices:
    verdicts: list
    topics: list
    outlets: list
    languages: list


def claim_filter_choices() -> FilterChoices:
    """What the list's filters offer: only values that lead to at least one published claim."""
    published = visibility.public_claims()
    return FilterChoices(
        verdicts=list(VerdictRating.objects.filter(claims__in=published).distinct()),
        topics=list(Topic.objects.filter(claims__in=published).distinct()),
        outlets=list(
            Outlet.objects.filter(articles__claims__in=published).distinct().order_by("name")
        ),
        languages=sorted(published.order_by().values_list("language", flat=True).distinct()),
    )


# --- Claim page ---------------------------------------------------------------------------


@dataclass
class QuoteInContext:
    before: str
    quote: str
    after: str


@dataclass
class ClaimPage:
    claim: Claim
    evidence_groups: list[tuple[str, list[Evidence]]]
    corrections: list[Correction]
    topics: list[Topic]
    also_seen: list[Claim]
    context: QuoteInContext | None
    claim_review: dict
    last_modified: datetime


# The claim page's queries, compiled once (lib/compiled_query.py): building them cost the
# page more than running them. The claim and its evidence are asked for together (one round
# trip on PostgreSQL). Most claims have no corrections, topics or other sightings: the claim's
# query says which, so a typical page makes two queries.
_page_claim = CompiledQuery(
    lambda slug: (
        visibility.public_claims()
        .with_public_relations()
        .defer("search_vector")
        .annotate(
            has_sightings=Exists(visibility.public_claims().filter(canonical=OuterRef("pk"))),
            has_corrections=Exists(Correction.objects.filter(claim=OuterRef("pk"))),
            has_topics=Exists(Claim.topics.through.objects.filter(claim=OuterRef("pk"))),
            **scale_bounds_subqueries(),
        )
        .filter(slug=slug)
    )
)
_page_evidence = CompiledQuery(
    lambda slug: (
        Evidence.objects.filter(claim__slug=slug)
        .select_related("source__outlet")
        .order_by("stance", "added_at", "pk")
    )
)
_page_corrections = CompiledQuery(
    lambda slug: Correction.objects.filter(claim__slug=slug).select_related(
        "previous_verdict", "new_verdict"
    )
)
_page_topics = CompiledQuery(lambda slug: Topic.objects.filter(claims__slug=slug))


def claim_page_data(slug: str) -> ClaimPage:
    """A published claim and all its page shows, in two to five queries (Http404 otherwise)."""
    claims, evidence = run_together((_page_claim, {"slug": slug}), (_page_evidence, {"slug": slug}))
    if not claims:
        raise Http404("No published claim here.")
    claim = claims[0]
    set_prefetched(claim, "evidence", evidence)  # claim_review() reads claim.evidence.all()
    corrections = _page_corrections(slug=slug) if claim.has_corrections else []
    changes = [claim.updated_at, *(item.created_at for item in corrections)]
    changes += [item.source.updated_at for item in evidence]
    bounds = scale_bounds_of(claim.scale_worst, claim.scale_best)
    return ClaimPage(
        claim=claim,
        evidence_groups=_group_by_stance(evidence),
        corrections=corrections,
        topics=_page_topics(slug=slug) if claim.has_topics else [],
        also_seen=also_seen_in(claim) if claim.canonical_id or claim.has_sightings else [],
        context=quote_in_context(claim),
        claim_review=claim_review(claim, bounds=bounds),
        last_modified=max(changes),
    )


def _group_by_stance(evidence: list[Evidence]) -> list[tuple[str, list[Evidence]]]:
    groups = []
    for stance in Stance:
        items = [item for item in evidence if item.stance == stance]
        if items:
            groups.append((stance.label, items))
    return groups


def also_seen_in(claim: Claim) -> list[Claim]:
    """Other published sightings of the same claim: those sharing its canonical root."""
    root = claim.canonical_id or claim.pk
    return list(
        visibility.public_claims()
        .filter(Q(pk=root) | Q(canonical_id=root))
        .exclude(pk=claim.pk)
        .with_public_relations()
        .order_by("published_at")
    )


def quote_in_context(claim: Claim) -> QuoteInContext | None:
    """The claim's sentence inside its paragraph of the article, when it is anchored."""
    article = claim.article
    if (
        article is None
        or claim.anchor_start is None
        or claim.anchor_state not in (AnchorState.EXACT, AnchorState.FUZZY)
    ):
        return None
    text, start, end = article.text, claim.anchor_start, claim.anchor_end
    breaks = list(PARAGRAPH_BREAK.finditer(text))
    para_start = max((m.end() for m in breaks if m.end() <= start), default=0)
    para_end = min((m.start() for m in breaks if m.start() >= end), default=len(text))
    # A very long paragraph is clipped around the quote, at word boundaries.
    room = max(0, (CONTEXT_MAX_CHARS - (end - start)) // 2)
    before_start = max(para_start, start - room)
    after_end = min(para_end, end + room)
    before = text[before_start:start]
    after = text[end:after_end]
    if before_start > para_start:
        before = "…" + before.split(" ", 1)[-1]
    if after_end < para_end:
        after = after.rsplit(" ", 1)[0] + "…"
    return QuoteInContext(before=before, quote=text[start:end], after=after)


# --- Article page -------------------------------------------------------------------------


@dataclass
class Piece:
    """A run of article text and the checks (numbers) whose anchors cover it."""

    text: str
    checks: list[int] = field(default_factory=list)
    innermost: Claim | None = None
    innermost_number: int | None = None
    markers: list[tuple[int, Claim]] = field(default_factory=list)


@dataclass
class ArticlePage:
    article: Article
    checks: list[Claim]  # anchored, in reading order; check N is checks[N - 1]
    unanchored: list[Claim]
    paragraphs: list[list[Piece]]
    last_modified: datetime


_page_article = CompiledQuery(
    lambda slug: Article.objects.select_related("outlet").filter(slug=slug)
)
_page_article_claims = CompiledQuery(
    lambda slug: (
        visibility.public_claims()
        .filter(article__slug=slug)
        .select_related("verdict")
        .defer("search_vector")
        .order_by("anchor_start", "-anchor_end", "pk")
    )
)


def article_page_data(slug: str) -> ArticlePage:
    """An article with its published claims, in two queries. Http404 unless at least one of its
    claims is published: the desk's work in progress never shows."""
    articles, claims = run_together(
        (_page_article, {"slug": slug}), (_page_article_claims, {"slug": slug})
    )
    if not articles:
        raise Http404("No such article.")
    article = articles[0]
    if not claims:
        raise Http404("No published checks on this article.")
    for claim in claims:
        claim.article = article
    length = len(article.text)
    checks = [
        claim
        for claim in claims
        if claim.anchor_start is not None
        and claim.anchor_state != AnchorState.ORPHANED
        and claim.anchor_end <= length
    ]
    return ArticlePage(
        article=article,
        checks=checks,
        unanchored=[claim for claim in claims if claim not in checks],
        paragraphs=article_paragraphs(article.text, checks),
        last_modified=max([article.updated_at, *(claim.updated_at for claim in claims)]),
    )


def article_paragraphs(text: str, checks: list[Claim]) -> list[list[Piece]]:
    """Split the text into paragraphs of pieces, cut wherever a check starts or ends.

    Anchors may overlap or nest: each piece knows every check covering it (numbered in
    reading order) and the innermost one, which gives its colour. A check's marker follows
    the last piece it covers.
    """
    numbered = list(enumerate(checks, start=1))
    separators = [(m.start(), m.end()) for m in PARAGRAPH_BREAK.finditer(text)]
    cuts = {0, len(text)}
    for claim in checks:
        cuts.update((claim.anchor_start, claim.anchor_end))
    for start, end in separators:
        cuts.update((start, end))
    positions = sorted(cuts)
    paragraphs: list[list[Piece]] = [[]]
    marked: set[int] = set()
    for start, end in pairwise(positions):
        if any(s <= start and end <= e for s, e in separators):
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        covering = [
            (number, claim)
            for number, claim in numbered
            if claim.anchor_start <= start and end <= claim.anchor_end
        ]
        piece = Piece(text[start:end], checks=[number for number, _ in covering])
        if covering:
            piece.innermost_number, piece.innermost = min(
                covering, key=lambda c: c[1].anchor_end - c[1].anchor_start
            )
        for number, claim in numbered:
            if number not in marked and claim.anchor_start < end and claim.anchor_end <= end:
                piece.markers.append((number, claim))
                marked.add(number)
        paragraphs[-1].append(piece)
    return [paragraph for paragraph in paragraphs if paragraph]


# --- Sources, outlets, corrections, methodology -------------------------------------------


def source_page_data(pk: int) -> tuple[Source, list[Evidence]]:
    """A source cited by at least one published claim, and those citations (two queries)."""
    source = Source.objects.select_related("outlet").filter(pk=pk).first()
    if source is None:
        raise Http404("No such source.")
    citations = list(
        visibility.public_evidence()
        .filter(source=source)
        .select_related("claim__verdict")
        .order_by("-claim__published_at", "pk")
    )
    if not citations:
        raise Http404("This source is not cited by any published check.")
    return source, citations


def outlet_page_data(domain: str) -> tuple[Outlet, list[Source], list[Claim]]:
    """An outlet, its sources cited by published claims (with the citing claims), and its
    articles' published claims. Http404 when none: unchecked outlets are the desk's business."""
    outlet = Outlet.objects.filter(domain=domain).first()
    if outlet is None:
        raise Http404("No such outlet.")
    sources = list(
        visibility.public_sources()
        .filter(outlet=outlet)
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=visibility.public_evidence()
                .select_related("claim__verdict")
                .order_by("-claim__published_at"),
                to_attr="public_citations",
            )
        )
        .order_by("title", "pk")
    )
    claims = list(published_claims().filter(article__outlet=outlet)[:50])
    if not sources and not claims:
        raise Http404("No published check involves this outlet.")
    return outlet, sources, claims


def public_corrections():
    """Corrections of claims that are published now, newest first."""
    return visibility.public_corrections().select_related(
        "claim", "previous_verdict", "new_verdict"
    )


def verdict_scale():
    """The active verdict scale with how many published claims carry each rating."""
    # An aggregate drops Meta.ordering, so the scale's order is asked for again.
    return (
        VerdictRating.objects.filter(is_active=True)
        .annotate(
            published_count=Count("claims", filter=visibility.public_claim_condition("claims__"))
        )
        .order_by("order")
    )


# --- Index of checked articles ------------------------------------------------------------


def checked_articles():
    """Articles with at least one published check, the most recently checked first, each with
    `checks` (how many are published) and `checked_at`: one query per page."""
    published = visibility.public_claim_condition("claims__")
    return (
        visibility.public_articles()
        .select_related("outlet")
        .annotate(
            checks=Count("claims", filter=published),
            checked_at=Max("claims__published_at", filter=published),
        )
        .only("slug", "title", "language", "published_on", "outlet__name", "outlet__domain")
        .order_by("-checked_at", "-pk")
    )
