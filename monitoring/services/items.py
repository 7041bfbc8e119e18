"""Storing what a source said: an item (deduplicated by canonical URL and by content), its
sentences as the intake pipeline scored them, a sighting for each repeat; the runs' health log;
pruning the sentences nobody needs."""

import bisect
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from claims.detection import THRESHOLD
from claims.models import SightingOrigin, Topic
from claims.pipeline import Sentence, texts_analyse
from claims.services.sightings import sighting_record
from lib.run_log import Reasons
from lib.text import strip_control_characters
from sources.normalization import normalize_url

from ..models import MAX_RUN_ERRORS, MonitoredItem, MonitoredSentence, MonitoredSource, MonitorRun
from ..transcripts import Line

logger = logging.getLogger(__name__)

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


def clean_text(text: str) -> str:
    return strip_control_characters(text or "").strip()


def _bounded(text: str) -> str:
    """At most the first FACTDESK_MONITOR_MAX_SENTENCES sentences' worth of text (an average
    sentence is well under 300 characters): a huge page costs a bounded amount."""
    return text[: settings.FACTDESK_MONITOR_MAX_SENTENCES * 300]


def _canonical(url: str) -> str:
    """The canonical form of an item's URL ("" for none). Raises ValidationError for one that
    is not an absolute http(s) URL or does not fit its column: a feed's entry can link
    anything, and one bad entry must be that entry's reason, not its run's end."""
    if not url:
        return ""
    most = MonitoredItem._meta.get_field("url").max_length
    canonical = normalize_url(url)
    if max(len(url), len(canonical)) > most:
        raise ValidationError(
            {"url": _("The address is longer than %(most)s characters.") % {"most": most}}
        )
    return canonical


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
    analysed: list[Sentence] | None = None,
) -> Ingested:
    """Store one item of `source` and its analysed sentences, unless it is already stored
    (by canonical URL or by content). A single page whose text changed is read again and
    only its new sentences are stored. `lines` (a transcript's) give each sentence its
    speaker and time; `text` is then their texts, one a line. `analysed` is the pipeline's
    reading of `text` when the caller has it already (items_ingest analyses a batch at once).

    Raises ValidationError (field messages) and writes nothing for an unusable URL or text.
    """
    text = _bounded(clean_text(text))
    if not text:
        raise ValidationError({"text": _("No text to read.")})
    canonical = _canonical(url)
    digest = content_hash(text)
    existing = _existing_item(canonical, digest)
    if existing is not None and not (
        source.kind == MonitoredSource.Kind.PAGE and existing.content_hash != digest
    ):
        return Ingested(existing, "duplicate")
    # The model runs outside any transaction: it takes a while, and holds no row.
    if analysed is None:
        (analysed,) = source_texts_analyse(source, [text])
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
                title=clean_text(title)[:500],
                text=text,
                language=source.language,
                published_at=published_at,
                speaker_name=speaker_name or source.speaker_name,
            )
            stored = sentences_store(item, analysed, lines=lines, first_position=0)
    except IntegrityError:
        # Another worker stored the same story a moment ago.
        return Ingested(_existing_item(canonical, digest), "duplicate")
    return Ingested(item, "new", stored)


def source_texts_analyse(source: MonitoredSource, texts: list[str]) -> list[list[Sentence]]:
    """The pipeline's reading of a source's texts, in the source's language when it has one.
    Why each sentence scored is kept as written in English and shown in the page's language
    (claims.detection.reason_in_language), whoever made the run."""
    with translation.override("en"):
        return texts_analyse(texts, language=source.language or None)


@dataclass
class ItemText:
    """One item of a batch for items_ingest: item_ingest's arguments, text and URL first."""

    text: str
    url: str = ""
    title: str = ""
    published_at: datetime | None = None


def items_ingest(*, source: MonitoredSource, items: list[ItemText]) -> list[Ingested | Exception]:
    """item_ingest for each of `items`, in order, with the new ones' texts analysed in one call
    of the pipeline (texts_analyse shares the model call and the vector search across the
    batch, which is most of an item's cost). An item that cannot be stored is its
    ValidationError in the answer, never the batch's end."""
    texts = [_bounded(clean_text(item.text)) for item in items]
    # Only what is not stored yet goes to the model; item_ingest checks again under its lock.
    fresh = [
        number
        for number, (item, text) in enumerate(zip(items, texts, strict=True))
        if text and _is_new(source, text, item.url)
    ]
    readings = source_texts_analyse(source, [texts[n] for n in fresh])
    analysed = dict(zip(fresh, readings, strict=True))
    results: list[Ingested | Exception] = []
    for number, item in enumerate(items):
        try:
            results.append(
                item_ingest(
                    source=source,
                    text=item.text,
                    url=item.url,
                    title=item.title,
                    published_at=item.published_at,
                    analysed=analysed.get(number),
                )
            )
        except ValidationError as error:
            results.append(error)
    return results


def _is_new(source: MonitoredSource, text: str, url: str) -> bool:
    try:
        canonical = _canonical(url)
    except ValidationError:
        return False  # item_ingest refuses it with its reason; the model need not read it
    existing = _existing_item(canonical, content_hash(text))
    return existing is None or (
        source.kind == MonitoredSource.Kind.PAGE and existing.content_hash != content_hash(text)
    )


def _item_update(item, text, digest, analysed, source) -> Ingested:
    known = set(item.sentences.values_list("text", flat=True))
    fresh = [sentence for sentence in analysed if sentence.text not in known]
    item.text, item.content_hash, item.fetched_at = text, digest, timezone.now()
    item.save(update_fields=["text", "content_hash", "fetched_at"])
    last = item.sentences.aggregate(last=Max("position"))["last"]
    stored = sentences_store(item, fresh, lines=None, first_position=(last or 0) + 1)
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


def sentences_store(
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
