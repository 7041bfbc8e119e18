"""Reads for the claimants' public pages: each page in a fixed number of queries, however many
claims the claimant has (the report card and the timeline are aggregates, the claims a page).

Only published claims count: a claimant with none has no public page (claims/visibility.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

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
        .annotate(
            n=Count("pk"),
            latest=Max("updated_at"),
            first=Min("published_at"),
            last=Max("published_at"),
        )
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
    by_year = _by_year(claims, [row["first"] for row in shares], [row["last"] for row in shares])
    # Repeated claims: this claimant's claims that "checked before?" tied to an earlier check
    # (canonical), or that later sightings point back to.
    repeated = list(
        claims.filter(
            Q(canonical__isnull=False)
            | Exists(visibility.public_claims().filter(canonical=OuterRef("pk")))
        ).select_related("canonical")[:SECTION_SIZE]
    )
    corrections = list(
        Correction.objects.filter(visibility.public_claim_condition("claim__"))
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


def _by_year(claims, firsts: list, lasts: list) -> list[tuple[int, int]]:
    """Published claims per year, in one query of plain range comparisons (extracting the year
    from every row, in the site's time zone, cost SQLite most of the page at 5,000 claims)."""
    firsts, lasts = [d for d in firsts if d], [d for d in lasts if d]
    if not firsts:
        return []
    zone = timezone.get_current_timezone()
    years = range(min(firsts).astimezone(zone).year, max(lasts).astimezone(zone).year + 1)

    def start(year):
        return datetime(year, 1, 1, tzinfo=zone)

    counts = claims.order_by().aggregate(
        **{
            f"y{year}": Count(
                "pk", filter=Q(published_at__gte=start(year), published_at__lt=start(year + 1))
            )
            for year in years
        }
    )
    return [(year, counts[f"y{year}"]) for year in years if counts[f"y{year}"]]


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
