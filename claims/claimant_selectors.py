"""Reads for the claimants' public pages: each page in a fixed number of queries, however many
claims the claimant has (the report card and the timeline are aggregates, the claims a page).

Only published claims count: a claimant with none has no public page (claims/visibility.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.http import Http404

from claimants.models import Claimant, ClaimantRole

from . import visibility
from .models import Correction, VerdictRating
from .selectors import published_claims

SECTION_SIZE = 20


@dataclass
class VerdictShare:
    verdict: VerdictRating | None  # None: published without a verdict on our scale
    count: int
    percent: float


@dataclass
class ClaimantPage:
    claimant: Claimant
    total: int
    report_card: list[VerdictShare]
    by_year: list[tuple[int, int]]
    claims: object  # the claims to page through (a queryset, counted once by the paginator)
    repeated: list
    corrections: list[Correction]
    last_modified: datetime | None


def claimant_for_page(slug: str) -> Claimant:
    """The claimant at `slug` with its roles (one query); Http404 when there is none. A merged
    duplicate is returned as is: the view sends the reader on to `merged_into`."""
    claimant = (
        Claimant.objects.filter(slug=slug)
        .prefetch_related(Prefetch("roles", queryset=ClaimantRole.objects.order_by("-started_on")))
        .first()
    )
    if claimant is None:
        raise Http404("No such claimant.")
    return claimant


def claimant_page_data(claimant: Claimant) -> ClaimantPage:
    """Everything a claimant's page shows besides the page of claims: five queries."""
    claims = published_claims().filter(speaker=claimant)
    shares = list(
        claims.order_by()
        .values("verdict")
        .annotate(n=Count("pk"), latest=Max("updated_at"))
        .order_by()
    )
    total = sum(row["n"] for row in shares)
    if not total:
        raise Http404("No published checks of this claimant.")
    scale = {v.pk: v for v in VerdictRating.objects.filter(pk__in=[r["verdict"] for r in shares])}
    report_card = sorted(
        (
            VerdictShare(scale.get(row["verdict"]), row["n"], round(100 * row["n"] / total, 1))
            for row in shares
        ),
        key=lambda share: (share.verdict is None, share.verdict.order if share.verdict else 0),
    )
    by_year = sorted(
        (row["year"], row["n"])
        for row in claims.order_by()
        .annotate(year=ExtractYear("published_at"))
        .values("year")
        .annotate(n=Count("pk"))
        if row["year"] is not None
    )
    # Repeated claims: this claimant's claims that "checked before?" tied to an earlier check
    # (canonical), or that later sightings point back to.
    repeated = list(
        claims.filter(
            Q(canonical__isnull=False)
            | Exists(visibility.public_claims().filter(canonical=OuterRef("pk")))
        ).select_related("canonical")[:SECTION_SIZE]
    )
    corrections = list(
        visibility.public_corrections()
        .filter(claim__speaker=claimant)
        .select_related("claim", "previous_verdict", "new_verdict")
        .order_by("-created_at", "-pk")[:SECTION_SIZE]
    )
    changes = [row["latest"] for row in shares] + [c.created_at for c in corrections]
    return ClaimantPage(
        claimant=claimant,
        total=total,
        report_card=report_card,
        by_year=by_year,
        claims=claims,
        repeated=repeated,
        corrections=corrections,
        last_modified=max([claimant.updated_at, *changes]),
    )


def public_claimants(q: str = ""):
    """Claimants with at least one published claim, most checked first, with their count."""
    claimants = (
        Claimant.objects.current()
        .annotate(
            published_count=Count("claims", filter=visibility.public_claim_condition("claims__"))
        )
        .filter(published_count__gt=0)
        .order_by("-published_count", "name", "pk")
    )
    if q.strip():
        claimants = claimants.filter(Q(name__icontains=q.strip()) | Q(aliases__icontains=q))
    return claimants
