"""Fetching monitored sources on their schedule: feeds, news sitemaps and single pages.

    run = source_monitor(source=source)      # one source, now (the command, a task)
    monitors_enqueue_due()                   # the worker: queue every source that is due

The same shape as the fact-check harvest (factchecks/harvesting.py): everything goes through
the safe fetcher (lib/fetching.py: checked and pinned address, one deadline, a size cap);
an unreadable item is rejected with its reason and the next is read; an unreadable document
fails its source's run with the reason; a failing source leaves the others alone. Each run
keeps its counts and a bounded list of reasons (MonitorRun), the source's health log.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from claims.services.ingest import extract_article
from lib import feeds
from lib.feeds import UnreadableDocument
from lib.fetching import FetchError, FetchPolicy, FetchResult, fetch
from sources.normalization import normalize_url

from .models import MonitoredItem, MonitoredSource, MonitorRun
from .services import ItemText, RunLog, items_ingest, log_ingested, run_finish

logger = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
Kind = MonitoredSource.Kind
RETRY_AFTER_FAILURE = timedelta(minutes=30)
# A feed entry with less text than this is a teaser: its page is read instead.
MIN_ENTRY_CHARS = 200
TEXT_TYPES = {"text/html", "application/xhtml+xml", "text/plain"}
# Items analysed per call of the pipeline: one model call and one vector search for all of
# them (docs/intake.md: a batch of 32 or more is where the pipeline's fixed costs fade).
BATCH = 32


def monitor_policy() -> FetchPolicy:
    return FetchPolicy(
        max_bytes=settings.FACTDESK_MONITOR_MAX_BYTES,
        timeout=settings.FACTDESK_MONITOR_TIMEOUT,
        allow_loopback=settings.FACTDESK_FETCH_ALLOW_LOOPBACK,
        user_agent="Factdesk/1.0 (+media monitoring)",
    )


@dataclass
class Entry:
    """One story to read: where, and its text when the source already gave it."""

    url: str
    title: str = ""
    text: str = ""
    published_at: datetime | None = None


def _get(url: str, policy: FetchPolicy) -> FetchResult:
    result = fetch(url, policy=policy)
    if not 200 <= result.status < 300:
        raise UnreadableDocument(
            _("The server answered HTTP %(status)s.") % {"status": result.status}
        )
    return result


def _page_text(url: str, policy: FetchPolicy) -> Entry:
    """A page's main text (trafilatura, as the desk's own article ingest reads pages)."""
    result = _get(url, policy)
    if result.content_type and result.content_type not in TEXT_TYPES:
        raise UnreadableDocument(_("Not a text page (%(type)s).") % {"type": result.content_type})
    if result.content_type == "text/plain":
        return Entry(url=url, text=result.text())
    try:
        page = extract_article(result.text(), url=url)
    except ValidationError:
        raise UnreadableDocument(_("No article text could be found on the page.")) from None
    return Entry(url=url, title=page.title, text=page.text)


def _feed(source, policy, log, progress) -> Iterator[Entry]:
    result = _get(source.url, policy)
    if feeds.looks_like_html(result.content_type, result.text()):
        raise UnreadableDocument(
            _("Expected a feed but the server sent an HTML page (an error or login page?).")
        )
    entries, most = feeds.feed_entries(result.text()), settings.FACTDESK_MONITOR_MAX_ITEMS
    if len(entries) > most:
        # Feeds list their newest first: the rest are older, and a huge feed costs one run.
        log.reason(
            "",
            _("The feed lists %(n)s entries; the first %(most)s were read.")
            % {"n": len(entries), "most": most},
        )
    for entry in entries[:most]:
        text = feeds.html_text(entry.text)
        if len(text) < MIN_ENTRY_CHARS:
            yield Entry(url=entry.link, title=entry.title, published_at=entry.published)
        else:
            yield Entry(entry.link, entry.title, text, entry.published)


def _news_sitemap(source, policy, log, progress) -> Iterator[Entry]:
    pages, nested = feeds.sitemap_links(_get(source.url, policy).text())
    for sitemap_url in nested[:5]:
        try:
            pages.extend(feeds.sitemap_links(_get(sitemap_url, policy).text())[0])
        except (FetchError, UnreadableDocument) as error:
            log.reason(sitemap_url, str(error))
    wanted = _not_read(list(dict.fromkeys(pages)), settings.FACTDESK_MONITOR_MAX_ITEMS, log)
    for url in wanted:
        yield Entry(url=url)


def _not_read(urls: list[str], most: int, log: RunLog) -> list[str]:
    """The URLs no item has yet, a chunk at a time (no huge IN (...)), at most `most`."""
    new: list[str] = []
    for start in range(0, len(urls), 500):
        chunk = {}
        for url in urls[start : start + 500]:
            try:
                chunk[normalize_url(url)] = url
            except ValidationError:
                continue
        known = set(
            MonitoredItem.objects.filter(canonical_url__in=list(chunk)).values_list(
                "canonical_url", flat=True
            )
        )
        new.extend(url for key, url in chunk.items() if key not in known)
        if len(new) > most:
            log.reason("", _("More pages wait for the next runs."))
            break
    return new[:most]


def _entries(source, policy, log, progress) -> Iterator[Entry]:
    if source.kind == Kind.FEED:
        return _feed(source, policy, log, progress)
    if source.kind == Kind.NEWS_SITEMAP:
        return _news_sitemap(source, policy, log, progress)
    if source.kind == Kind.PAGE:
        return iter([Entry(url=source.url)])
    raise UnreadableDocument(
        _("This kind of source is not fetched: %(kind)s.") % {"kind": source.kind}
    )


def _item_text(source, entry: Entry, policy, log: RunLog) -> ItemText | None:
    """One entry's text (its page's when the feed gave none), or None when it is already read
    or cannot be: a failure is the entry's reason, never the run's end (except for a single
    page source, whose one page it is: FetchError or UnreadableDocument then)."""
    try:
        if not entry.text:
            if _not_read([entry.url], 1, RunLog()) == [] and source.kind != Kind.PAGE:
                log.items += 1
                log.duplicates += 1
                return None
            page = _page_text(entry.url, policy)
            entry.title, entry.text = entry.title or page.title, page.text
    except (FetchError, UnreadableDocument) as error:
        if source.kind == Kind.PAGE:
            raise  # a single page is its source's one document: the run failed
        log.rejected += 1
        log.reason(entry.url, str(error))
        return None
    return ItemText(entry.text, entry.url, entry.title, entry.published_at)


def _store(source, items: list[ItemText], log: RunLog) -> None:
    """Store a batch of items, their new texts analysed together."""
    for item, result in zip(items, items_ingest(source=source, items=items), strict=True):
        if isinstance(result, ValidationError):
            log.rejected += 1
            log.reason(item.url, " ".join(result.messages))
        else:
            log_ingested(log, result)


def source_monitor(
    *, source: MonitoredSource, policy: FetchPolicy | None = None, progress: Progress = None
) -> MonitorRun:
    """Fetch one source now and return its run (saved with counts and reasons).

    Never raises for what the source sends or how it fails: that is the run's status (ok,
    partial: some items rejected, failed: the source could not be read) and its reasons.
    Items stored before a failure stay stored.
    """
    policy = policy or monitor_policy()
    _close_abandoned_runs(source)
    run, log = MonitorRun.objects.create(source=source), RunLog()
    try:
        entries = list(_entries(source, policy, log, progress))
        for first in range(0, len(entries), BATCH):
            batch = entries[first : first + BATCH]
            items = [item for entry in batch if (item := _item_text(source, entry, policy, log))]
            _store(source, items, log)
            if progress:
                progress(first + len(batch), len(entries))
    except (FetchError, UnreadableDocument) as error:
        log.fatal = True
        log.reason(source.url, str(error))
    except Exception as error:  # a bug must fail this source's run, not the whole round
        logger.exception("Monitoring source %s failed.", source.pk)
        log.fatal = True
        log.reason("", _("Unexpected error: %(error)r") % {"error": error})
    run = run_finish(run, log)
    if run.status == MonitorRun.Status.FAILED:
        MonitoredSource.objects.filter(pk=source.pk).update(
            next_due_at=timezone.now() + RETRY_AFTER_FAILURE
        )
    return run


def _close_abandoned_runs(source: MonitoredSource) -> None:
    """A run "running" long after any fetch could take was cut short (its worker killed)."""
    cutoff = timezone.now() - timedelta(minutes=settings.FACTDESK_TASK_ABANDONED_MINUTES)
    MonitorRun.objects.filter(
        source=source, status=MonitorRun.Status.RUNNING, started_at__lt=cutoff
    ).update(
        status=MonitorRun.Status.FAILED,
        errors=[_("The run stopped before it finished (its worker was stopped?).")],
    )


# --- Scheduling ---


def sources_due(now=None):
    now = now or timezone.now()
    return (
        MonitoredSource.objects.filter(active=True)
        .exclude(kind=Kind.TRANSCRIPT)
        .exclude(next_due_at__gt=now)
        .order_by("next_due_at", "pk")
    )


def monitors_enqueue_due() -> int:
    """Queue a fetch for every due source; returns how many were queued.

    Each source's next due time moves forward as it is queued, under a row lock that other
    workers skip, so two workers never queue the same source twice.
    """
    now = timezone.now()
    queued = 0
    with transaction.atomic():
        for source in sources_due(now).select_for_update(skip_locked=True):
            source.next_due_at = source.due_after(now)
            source.save(update_fields=["next_due_at"])
            queued += 1
            transaction.on_commit(lambda pk=source.pk: monitor_source_task.enqueue(pk))
    return queued


def source_monitor_later(source: MonitoredSource) -> None:
    """The admin's "fetch now": queue it for the worker."""
    transaction.on_commit(lambda: monitor_source_task.enqueue(source.pk))


@task()
def monitor_source_task(source_id: int) -> str:
    source = MonitoredSource.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return "gone"
    return source_monitor(source=source).status
