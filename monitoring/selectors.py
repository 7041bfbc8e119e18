"""Reads for the desk's monitoring pages: the morning list and a live transcript's new lines.
Each in a fixed number of queries, whatever the day's volume."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.detection import THRESHOLD

from .models import MonitoredSentence, MonitoredSource

# The morning list shows at most this many sentences: a meeting reads a page, not a corpus.
MORNING_LIST_SIZE = 60
# A live page's poll returns at most this many lines; a page that fell behind catches up.
LIVE_BATCH = 50


@dataclass
class TopicGroup:
    name: str
    sentences: list[MonitoredSentence]

    @property
    def best(self) -> float:
        return max(sentence.score for sentence in self.sentences)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def morning_list(*, day: date | None = None, size: int = MORNING_LIST_SIZE) -> list[TopicGroup]:
    """The day's most check-worthy sentences from monitored media, grouped by topic (the
    group with the strongest sentence first), best first within each; a sentence said in the
    same words twice that day is listed once. One query."""
    start, end = _day_bounds(day or timezone.localdate())
    found = (
        MonitoredSentence.objects.kept()
        .filter(created_at__gte=start, created_at__lt=end, score__gte=THRESHOLD)
        .select_related("item__source", "topic", "matched_claim", "opened_claim")
        .defer("item__text")
        .order_by("-score", "pk")[: size * 2]
    )
    seen, groups = set(), {}
    for sentence in found:
        key = " ".join(sentence.text.casefold().split())
        if key in seen:
            continue
        seen.add(key)
        name = sentence.topic.name if sentence.topic_id else _("No topic")
        groups.setdefault(name, TopicGroup(name, [])).sentences.append(sentence)
        if len(seen) >= size:
            break
    return sorted(groups.values(), key=lambda group: -group.best)


def live_lines(*, source: MonitoredSource, after: int = 0) -> list[MonitoredSentence]:
    """The source's newest transcript sentences after the one with id `after`, oldest first,
    at most LIVE_BATCH. One query, on the sentences' primary key."""
    return list(
        MonitoredSentence.objects.filter(item__source=source, pk__gt=after)
        .select_related("matched_claim")
        .order_by("pk")[:LIVE_BATCH]
    )


def live_start(*, source: MonitoredSource, back: int = 20) -> int:
    """The id after which the live page starts: it shows the last `back` sentences, not a
    whole day's transcript. One query."""
    recent = list(
        MonitoredSentence.objects.filter(item__source=source)
        .order_by("-pk")
        .values_list("pk", flat=True)[:back]
    )
    return recent[-1] - 1 if recent else 0


def live_line_data(sentence: MonitoredSentence) -> dict:
    claim = sentence.matched_claim
    return {
        "id": sentence.pk,
        "text": sentence.text,
        "speaker": sentence.speaker_name,
        "at_ms": sentence.offset_ms,
        "score": sentence.score,
        "reasons": sentence.reasons_shown,
        "kept": sentence.kept,
        "match": None
        if claim is None
        else {
            "claim": claim.claim_reviewed,
            "url": reverse("admin:claims_claim_change", args=[claim.pk]),
            "score": sentence.match_score,
        },
    }
