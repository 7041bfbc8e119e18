"""Transcripts: a whole file uploaded (SRT, WebVTT, plain "NAME: text"), or a live event's
lines posted one at a time."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import MonitoredItem, MonitoredSentence, MonitoredSource, MonitorRun
from ..transcripts import transcript_line, transcript_lines
from .items import (
    RunLog,
    clean_text,
    item_ingest,
    log_ingested,
    run_finish,
    sentences_store,
    source_texts_analyse,
)

# A live transcript's lines go to one item until it has been quiet this long: then a new
# event (tomorrow's debate) starts a new item.
LIVE_ITEM_QUIET = timedelta(hours=6)


def transcript_upload(*, source: MonitoredSource, text: str, title: str = "") -> MonitorRun:
    """Read a whole transcript (SRT, WebVTT or plain "NAME: text") into one item of a
    transcript source. Cues with broken timestamps are skipped, each with its reason in the
    run; a transcript with no readable line fails the run with that reason. Never raises for
    what the file holds."""
    if source.kind != MonitoredSource.Kind.TRANSCRIPT:
        raise ValidationError({"source": _("Transcripts go to a transcript source.")})
    run, log = MonitorRun.objects.create(source=source), RunLog()
    lines, problems = transcript_lines(clean_text(text))
    for problem in problems:
        log.rejected += 1
        log.reason("", problem)
    if not lines:
        log.fatal = True
        log.reason("", _("No line of the transcript could be read."))
        return run_finish(run, log)
    try:
        result = item_ingest(
            source=source,
            text="\n".join(line.text for line in lines),
            title=title or _("Transcript"),
            published_at=timezone.now(),
            lines=lines,
        )
        log_ingested(log, result)
    except ValidationError as error:
        log.fatal = True
        log.reason("", " ".join(error.messages))
    return run_finish(run, log)


def _live_item(source: MonitoredSource) -> MonitoredItem:
    """The source's live item, locked, or a new one when the last went quiet."""
    # The source's row first: two lines arriving together when the event starts (or after a
    # quiet spell) would each find no live item and make one each, splitting the transcript.
    MonitoredSource.objects.select_for_update().filter(pk=source.pk).first()
    since = timezone.now() - LIVE_ITEM_QUIET
    item = (
        MonitoredItem.objects.select_for_update()
        .filter(source=source, is_live=True, fetched_at__gte=since)
        .order_by("-fetched_at", "-pk")
        .first()
    )
    if item is None:
        item = MonitoredItem.objects.create(
            source=source,
            title=_("Live: %(source)s, %(day)s")
            % {"source": source.name, "day": timezone.localdate().isoformat()},
            language=source.language,
            published_at=timezone.now(),
            speaker_name=source.speaker_name,
            is_live=True,
        )
    return item


def transcript_line_add(
    *, source: MonitoredSource, text: str, speaker: str = "", start: str = "", end: str = ""
) -> list[MonitoredSentence]:
    """Append one line of a live event to the source's live item and return its sentences,
    scored and matched. Raises ValidationError (a message per field) for an empty or too long
    line, or a broken timestamp, and writes nothing then."""
    if source.kind != MonitoredSource.Kind.TRANSCRIPT:
        raise ValidationError({"source": _("Lines are posted to a transcript source.")})
    line = transcript_line(text=clean_text(text), speaker=clean_text(speaker), start=start, end=end)
    (analysed,) = source_texts_analyse(source, [line.text])
    with transaction.atomic():
        item = _live_item(source)
        base = len(item.text) + 1 if item.text else 0
        item.text = f"{item.text}\n{line.text}" if item.text else line.text
        item.fetched_at = timezone.now()
        item.save(update_fields=["text", "fetched_at"])
        last = item.sentences.aggregate(last=Max("position"))["last"]
        first = 0 if last is None else last + 1
        if not line.speaker:
            # An unlabelled line goes on with the last speaker, as in a whole transcript.
            previous = item.sentences.order_by("-position").values_list("speaker_name", flat=True)
            line.speaker = next(iter(previous), "") or ""
        return sentences_store(item, analysed, lines=[line], first_position=first, base=base)
