"""A published check's repeats as readers see them: "repeated N times since we checked it" and
the timeline beside it, read in one query whatever the number of sightings (a GROUP BY per
week, month or year in the database). Only the counts leave this module: a sighting's
sentence, page and speaker stay on the desk's side.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek, TruncYear
from django.utils import timezone

from .models import Claim, Sighting

# The timeline's step follows the time since the check, so it never has more than a few dozen
# columns: weeks for half a year, months for four years, then years.
WEEKS_UP_TO = timedelta(days=26 * 7)
MONTHS_UP_TO = timedelta(days=4 * 365)
STEPS = {"week": TruncWeek, "month": TruncMonth, "year": TruncYear}


@dataclass(frozen=True)
class Repeats:
    total: int
    step: str  # "week", "month" or "year"
    periods: list[tuple[date, int]]  # every period from the check to today, empty ones too


def timeline_step(published_at: datetime, now: datetime) -> str:
    age = now - published_at
    if age <= WEEKS_UP_TO:
        return "week"
    return "month" if age <= MONTHS_UP_TO else "year"


def period_start(day: date, step: str) -> date:
    if step == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if step == "month" else day.replace(month=1, day=1)


def _next_period(start: date, step: str) -> date:
    if step == "week":
        return start + timedelta(days=7)
    if step == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def _as_date(value) -> date:
    # SQLite returns the truncated moment as a datetime, PostgreSQL (for dates) may not.
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def claim_repeats(claim: Claim, *, now: datetime | None = None) -> Repeats:
    """How often `claim` was said again since the desk published its check, by period. One
    query. Sightings an editor marked "not a repeat" do not count."""
    now = now or timezone.now()
    step = timeline_step(claim.published_at, now)
    truncate = STEPS[step]("happened_at", tzinfo=timezone.get_current_timezone())
    rows = (
        Sighting.objects.since_checked(claim)
        .filter(happened_at__lte=now)
        .order_by()
        .annotate(period=truncate)
        .values("period")
        .annotate(n=Count("pk"))
    )
    counts = {_as_date(row["period"]): row["n"] for row in rows}
    periods, start = [], period_start(timezone.localtime(claim.published_at).date(), step)
    last = period_start(timezone.localtime(now).date(), step)
    while start <= last:
        periods.append((start, counts.get(start, 0)))
        start = _next_period(start, step)
    return Repeats(total=sum(counts.values()), step=step, periods=periods)
