"""The desk's own figures: throughput, time to verdict, backlog, verdicts by outlet, topic and
claimant, and each checker's workload, for a date range, in a fixed number of queries (one per
figure, whatever the number of claims: every figure is a GROUP BY in the database, except the
time-to-verdict percentiles, which need the durations of the range's published claims).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone

from .choices import ClaimStatus
from .models import Claim, VerdictRating
from .querysets import OPEN_STATUSES

# Backlog ages, in days: (label, younger than).
AGE_BUCKETS = [("0-7", 7), ("7-30", 30), ("30-90", 90), ("90+", None)]
TOP_GROUPS = 15


@dataclass
class VerdictTable:
    """Rows (an outlet, topic or claimant) by verdict: {row: {verdict code: count}}."""

    rows: list[tuple[str, dict[str, int], int]] = field(default_factory=list)


@dataclass
class DeskFigures:
    since: date
    until: date
    scale: list[VerdictRating]
    per_week: list[tuple[date, int]]
    published: int
    median_days: float | None
    p90_days: float | None
    backlog: list[tuple[str, str, int]]  # status, age bucket, count
    by_outlet: VerdictTable
    by_topic: VerdictTable
    by_claimant: VerdictTable
    workload: list[dict]


def default_range(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=90), today


def desk_figures(since: date, until: date) -> DeskFigures:
    """Every figure for claims published (or, for the backlog and workload, open) between
    `since` and `until` inclusive, in the desk's time zone. Eight queries."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    in_range = Q(status=ClaimStatus.PUBLISHED, published_at__gte=start, published_at__lt=end)
    published = Claim.objects.filter(in_range).order_by()
    durations = [
        (published_at - created_at).total_seconds() / 86400
        for published_at, created_at in published.values_list("published_at", "created_at")
    ]
    return DeskFigures(
        since=since,
        until=until,
        scale=list(VerdictRating.objects.order_by("order")),
        per_week=[
            (row["week"].date() if isinstance(row["week"], datetime) else row["week"], row["n"])
            for row in published.annotate(week=TruncWeek("published_at"))
            .values("week")
            .annotate(n=Count("pk"))
            .order_by("week")
        ],
        published=len(durations),
        median_days=round(median(durations), 1) if durations else None,
        p90_days=round(_percentile(durations, 0.9), 1) if durations else None,
        backlog=_backlog(),
        by_outlet=_by_verdict(published, "article__outlet__name"),
        by_topic=_by_verdict(published, "topics__name"),
        by_claimant=_by_verdict(published, "speaker__name"),
        workload=_workload(in_range),
    )


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (what "90% of checks took at most this long" means)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(-(-share * len(ordered) // 1)) - 1))
    return ordered[rank]


def _backlog() -> list[tuple[str, str, int]]:
    now = timezone.now()
    bucket = Case(
        *[
            When(created_at__gt=now - timedelta(days=days), then=Value(label))
            for label, days in AGE_BUCKETS
            if days is not None
        ],
        default=Value(AGE_BUCKETS[-1][0]),
        output_field=CharField(),
    )
    rows = (
        Claim.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .annotate(age=bucket)
        .values("status", "age")
        .annotate(n=Count("pk"))
    )
    found = {(row["status"], row["age"]): row["n"] for row in rows}
    return [
        (status, label, found.get((status, label), 0))
        for status in OPEN_STATUSES
        for label, _days in AGE_BUCKETS
    ]


def _by_verdict(published, group: str) -> VerdictTable:
    rows: dict[str, dict[str, int]] = {}
    for row in published.values(group, "verdict__code").annotate(n=Count("pk", distinct=True)):
        name = row[group] or "—"
        rows.setdefault(name, {})[row["verdict__code"] or ""] = row["n"]
    ranked = sorted(
        ((name, counts, sum(counts.values())) for name, counts in rows.items()),
        key=lambda item: (-item[2], item[0]),
    )
    return VerdictTable(rows=ranked[:TOP_GROUPS])


def _workload(in_range: Q) -> list[dict]:
    """Per assignee: open claims by status, and claims they saw published in the range."""
    rows = (
        Claim.objects.filter(assignee__isnull=False)
        .order_by()
        .values("assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(
            new=Count("pk", filter=Q(status=ClaimStatus.NEW)),
            researching=Count("pk", filter=Q(status=ClaimStatus.RESEARCHING)),
            in_review=Count("pk", filter=Q(status=ClaimStatus.IN_REVIEW)),
            published=Count("pk", filter=in_range),
        )
    )
    workload = []
    for row in rows:
        name = " ".join(filter(None, [row["assignee__first_name"], row["assignee__last_name"]]))
        open_total = row["new"] + row["researching"] + row["in_review"]
        if open_total or row["published"]:
            workload.append({**row, "name": name or row["assignee__username"], "open": open_total})
    return sorted(workload, key=lambda row: (-row["open"], row["name"]))
