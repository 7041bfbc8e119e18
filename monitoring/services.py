"""Every write of monitored items and sentences: storing what a source said, transcripts
(uploaded whole or posted a line at a time), opening a sentence as a claim, pruning.

    result = item_ingest(source=..., text=..., url=...)      # a feed entry, a page
    run = transcript_upload(source=..., text=...)            # an SRT, WebVTT or plain file
    sentences = transcript_line_add(source=..., text=...)    # one line of a live event
    claim = sentence_open_as_claim(sentence=..., actor=...)  # the morning list's action
    sentences_prune()                                        # the retention period

Each text goes through the one intake pipeline (claims.pipeline.text_analyse) once, in one
batch. A sentence is kept when it is check-worthy (claims.detection.THRESHOLD) or repeats a
published check; a repeat is also recorded as a sighting of that check
(claims.services.sightings.sighting_record), which alerts the editors.
"""

import bisect
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.detection import THRESHOLD
from claims.models import ArticleRevision, Claim, SightingOrigin, Topic
from claims.pipeline import Sentence, text_analyse
from claims.services.articles import article_create
from claims.services.claims import claim_create
from claims.services.ingest import guess_language
from claims.services.sightings import sighting_record
from lib.run_log import Reasons
from lib.text import strip_control_characters
from sources.normalization import normalize_url

from .models import MAX_RUN_ERRORS, MonitoredItem, MonitoredSentence, MonitoredSource, MonitorRun
from .transcripts import Line, transcript_line, transcript_lines

logger = logging.getLogger(__name__)

# A live transcript's lines go to one item until it has been quiet this long: then a new
# event (tomorrow's debate) starts a new item.
LIVE_ITEM_QUIET = timedelta(hours=6)
# Sentences deleted per statement when pruning: bounded locks and memory on a big backlog.
PRUNE_BATCH = 5000


@dataclass
class RunLog(Reasons):
    """What a monitoring run counts and why (MonitorRun's fields), bounded."""

    limit: int = MAX_RUN_ERRORS
    items: int = 0
    new_items: int = 0
    duplicates: int = 0
    rejected: int = 0
    sentences: int = 0
    kept: int = 0
    fatal: bool = False


@dataclass
class Ingested:
    item: MonitoredItem | None
    status: str  # "new", "updated" (a single page that changed) or "duplicate"
    sentences: list[MonitoredSentence] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return sum(sentence.kept for sentence in self.sentences)


def content_hash(text: str) -> str:
    """Two texts that differ only in white space and case are the same content."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def _clean(text: str) -> str:
    return strip_control_characters(text or "").strip()


def _bounded(text: str) -> str:
    """At most the first FACTDESK_MONITOR_MAX_SENTENCES sentences' worth of text (an average
    sentence is well under 300 characters): a huge page costs a bounded amount."""
    return text[: settings.FACTDESK_MONITOR_MAX_SENTENCES * 300]


def _existing_item(canonical: str, digest: str) -> MonitoredItem | None:
    match = Q(content_hash=digest)
    if canonical:
        match |= Q(canonical_url=canonical)
    # The canonical URL first: a page whose text changed is still that page.
    return MonitoredItem.objects.filter(match).order_by("-canonical_url").first()


def item_ingest(
    *,
    source: MonitoredSource,
    text: str,
    url: str = "",
    title: str = "",
    published_at: datetime | None = None,
    speaker_name: str = "",
    lines: list[Line] | None = None,
) -> Ingested:
    """Store one item of `source` and its analysed sentences, unless it is already stored
    (by canonical URL or by content). A single page whose text changed is read again and
    only its new sentences are stored. `lines` (a transcript's) give each sentence its
    speaker and time; `text` is then their texts, one a line.

    Raises ValidationError (field messages) and writes nothing for an unusable URL or text.
    """
    text = _bounded(_clean(text))
    if not text:
        raise ValidationError({"text": _("No text to read.")})
    canonical = normalize_url(url) if url else ""
    digest = content_hash(text)
    existing = _existing_item(canonical, digest)
    if existing is not None and not (
        source.kind == MonitoredSource.Kind.PAGE and existing.content_hash != digest
    ):
        return Ingested(existing, "duplicate")
    # The model runs outside any transaction: it takes a while, and holds no row.
    analysed = text_analyse(text, language=source.language or None)
    try:
        with transaction.atomic():
            if existing is not None:
                item = MonitoredItem.objects.select_for_update().get(pk=existing.pk)
                return _item_update(item, text, digest, analysed, source)
            item = MonitoredItem.objects.create(
                source=source,
                url=url,
                canonical_url=canonical,
                content_hash=digest,
                title=_clean(title)[:500],
                text=text,
                language=source.language,
                published_at=published_at,
                speaker_name=speaker_name or source.speaker_name,
            )
            stored = _sentences_store(item, analysed, lines=lines, first_position=0)
    except IntegrityError:
        # Another worker stored the same story a moment ago.
        return Ingested(_existing_item(canonical, digest), "duplicate")
    return Ingested(item, "new", stored)


def _item_update(item, text, digest, analysed, source) -> Ingested:
    known = set(item.sentences.values_list("text", flat=True))
    fresh = [sentence for sentence in analysed if sentence.text not in known]
    item.text, item.content_hash, item.fetched_at = text, digest, timezone.now()
    item.save(update_fields=["text", "content_hash", "fetched_at"])
    last = item.sentences.aggregate(last=Max("position"))["last"]
    stored = _sentences_store(item, fresh, lines=None, first_position=(last or 0) + 1)
    return Ingested(item, "updated", stored)


def _line_at(lines: list[Line] | None, starts: list[int], offset: int) -> Line | None:
    if not lines:
        return None
    return lines[max(0, bisect.bisect_right(starts, offset) - 1)]


def _line_starts(lines: list[Line] | None, base: int = 0) -> list[int]:
    starts, offset = [], base
    for line in lines or []:
        starts.append(offset)
        offset += len(line.text) + 1  # the "\n" between lines
    return starts


def _sentences_store(
    item: MonitoredItem,
    analysed: list[Sentence],
    *,
    lines: list[Line] | None,
    first_position: int,
    base: int = 0,
) -> list[MonitoredSentence]:
    """The sentences' rows (bulk), then a sighting for each repeat of a published check.
    `base` is where the analysed text starts in the item's text (a live line's offset)."""
    topics = _topics()
    starts = _line_starts(lines, base)
    rows = []
    for number, sentence in enumerate(analysed):
        repeat = sentence.repeat
        line = _line_at(lines, starts, base + sentence.start)
        rows.append(
            MonitoredSentence(
                item=item,
                position=first_position + number,
                start=base + sentence.start,
                text=sentence.text,
                language=sentence.language,
                score=sentence.score,
                reasons=sentence.reasons,
                topic=_topic_for(sentence.text, topics),
                speaker_name=(line.speaker if line and line.speaker else item.speaker_name)[:300],
                said_at=item.published_at,
                offset_ms=line.start_ms if line else None,
                matched_claim=repeat.claim if repeat else None,
                match_score=repeat.similarity if repeat else None,
                kept=bool(repeat) or sentence.score >= THRESHOLD,
            )
        )
    stored = MonitoredSentence.objects.bulk_create(rows)
    for row in stored:
        if row.matched_claim is not None:
            _sighting_record(row)
    return stored


def _topics() -> list[Topic]:
    # The desk's topics are a short list an editor keeps; read once per item.
    return list(Topic.objects.only("pk", "name"))


def _topic_for(text: str, topics: list[Topic]) -> Topic | None:
    """The first of the desk's topics the sentence names, word for word."""
    words = f" {' '.join(text.casefold().split())} "
    return next((topic for topic in topics if f" {topic.name.casefold()} " in words), None)


def _sighting_record(row: MonitoredSentence) -> None:
    item = row.item
    source = item.source
    try:
        sighting_record(
            row.matched_claim,
            sentence=row.text[:2000],
            url=item.url,
            said_at=row.said_at,
            outlet_name=source.outlet.name if source.outlet_id else "",
            speaker_name=row.speaker_name[:200],
            score=min(1.0, max(0.0, row.match_score or 0.0)),
            language=row.language,
            origin=SightingOrigin.MONITORING,
        )
    except ValidationError as error:
        # The sentence stays kept and matched in monitoring; only the alert is lost, logged.
        logger.warning("Sighting of claim %s not recorded: %s", row.matched_claim_id, error)


# --- Transcripts ---


def _run_start(source: MonitoredSource) -> MonitorRun:
    return MonitorRun.objects.create(source=source)


def run_finish(run: MonitorRun, log: RunLog) -> MonitorRun:
    """Save a run's counts, status and reasons (the health log) and the source's last run."""
    if log.fatal and not log.new_items:
        status = MonitorRun.Status.FAILED
    elif log.fatal or log.rejected or log.errors:
        status = MonitorRun.Status.PARTIAL
    else:
        status = MonitorRun.Status.OK
    now = timezone.now()
    run.finished_at, run.status, run.errors = now, status, log.reasons()
    for name in ("items", "new_items", "duplicates", "rejected", "sentences", "kept"):
        setattr(run, name, getattr(log, name))
    run.save()
    if status == MonitorRun.Status.FAILED:
        logger.warning("Monitored source %s (%s) failed: %s", run.source_id, run.source, run.errors)
    MonitoredSource.objects.filter(pk=run.source_id).update(last_run_at=now)
    return run


def log_ingested(log: RunLog, result: Ingested) -> None:
    log.items += 1
    if result.status == "duplicate":
        log.duplicates += 1
    else:
        log.new_items += 1
    log.sentences += len(result.sentences)
    log.kept += result.kept


def transcript_upload(*, source: MonitoredSource, text: str, title: str = "") -> MonitorRun:
    """Read a whole transcript (SRT, WebVTT or plain "NAME: text") into one item of a
    transcript source. Cues with broken timestamps are skipped, each with its reason in the
    run; a transcript with no readable line fails the run with that reason. Never raises for
    what the file holds."""
    if source.kind != MonitoredSource.Kind.TRANSCRIPT:
        raise ValidationError({"source": _("Transcripts go to a transcript source.")})
    run, log = _run_start(source), RunLog()
    lines, problems = transcript_lines(_clean(text))
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
    line = transcript_line(text=_clean(text), speaker=_clean(speaker), start=start, end=end)
    analysed = text_analyse(line.text, language=source.language or None)
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
        return _sentences_store(item, analysed, lines=[line], first_position=first, base=base)


# --- The morning list's action ---


def sentence_open_as_claim(*, sentence: MonitoredSentence, actor) -> Claim:
    """A claim for the desk to check, anchored on this sentence in an article made of its item
    (made once per item). Opening the same sentence twice gives the same claim."""
    if not actor.has_perm("claims.add_claim"):
        raise PermissionDenied(_("You may not create claims."))
    with transaction.atomic():
        # Only the sentence's own row is locked: two editors opening it at once make one claim.
        sentence = (
            MonitoredSentence.objects.select_for_update(of=("self",))
            .select_related("item__source__outlet", "topic")
            .get(pk=sentence.pk)
        )
        if sentence.opened_claim_id is not None:
            return sentence.opened_claim
        item = sentence.item
        if item.article_id is None:
            item.article = _article_for(item, sentence, actor)
            item.save(update_fields=["article"])
        claim = claim_create(
            quote=sentence.text,
            claim_reviewed=sentence.text,
            article=item.article,
            anchor_start=sentence.start if item.article.text == item.text else None,
            claimant=sentence.speaker_name,
            claimed_on=sentence.said_at.date() if sentence.said_at else None,
            language=sentence.language if len(sentence.language) == 2 else "",
            topics=[sentence.topic] if sentence.topic_id else [],
            created_by=actor,
        )
        sentence.opened_claim = claim
        sentence.save(update_fields=["opened_claim"])
        return claim


def _article_for(item: MonitoredItem, sentence: MonitoredSentence, actor):
    source = item.source
    language = item.language or guess_language(item.text) or sentence.language
    return article_create(
        title=(item.title or str(source))[:500],
        text=item.text,
        language=language if len(language) == 2 else settings.LANGUAGE_CODE[:2],
        url=item.url,
        outlet=source.outlet,
        published_on=item.published_at.date() if item.published_at else None,
        origin=ArticleRevision.Origin.FETCHED if item.url else ArticleRevision.Origin.PASTED,
        created_by=actor,
    )


# --- Retention ---


def sentences_prune(*, now: datetime | None = None) -> int:
    """Delete the sentences neither check-worthy nor matched that are older than
    FACTDESK_MONITOR_RETENTION_DAYS, a batch at a time; returns how many."""
    deleted = 0
    while True:
        batch = list(
            MonitoredSentence.objects.prunable(now)
            .order_by("pk")
            .values_list("pk", flat=True)[:PRUNE_BATCH]
        )
        if not batch:
            return deleted
        deleted += MonitoredSentence.objects.filter(pk__in=batch).delete()[0]
