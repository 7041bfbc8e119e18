"""Harvesting other organisations' fact-checks: every write of ExternalFactCheck and HarvestRun.

    run = source_harvest(source=source)            # one source, now (a command, a task)
    harvests_enqueue_due()                         # the worker: queue every source that is due

Everything is fetched through the safe fetcher (lib/fetching.py: checked and pinned address,
one deadline, a size cap). Nothing a source sends can stop the harvest: an unreadable item is
rejected with its reason and the next one is read; an unreadable document fails its source's
run with the reason; a failing source leaves the others alone. Each run keeps its counts and a
bounded list of reasons (HarvestRun), the source's health log in the admin.

Reviews are keyed by their normalised URL, so the same review met in a feed, on its page and
in Google's search is stored once and updated in place.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from lib import claimreview_markup as markup
from lib.fetching import FetchError, FetchPolicy, FetchResult, fetch
from lib.run_log import Reasons
from sources.normalization import normalize_url

from . import readers
from .embeddings import fact_check_embed_later
from .models import MAX_RUN_ERRORS, ExternalFactCheck, FactCheckSource, HarvestRun
from .readers import HarvestError

logger = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
Kind = FactCheckSource.Kind
# A source's run is retried this soon after a failure, not a whole interval later.
RETRY_AFTER_FAILURE = timedelta(hours=1)
# A running harvest's counts are saved this often (items), for the admin to show progress.
PROGRESS_EVERY = 50


def harvest_policy() -> FetchPolicy:
    return FetchPolicy(
        max_bytes=settings.FACTDESK_HARVEST_MAX_BYTES,
        timeout=settings.FACTDESK_HARVEST_TIMEOUT,
        allow_loopback=settings.FACTDESK_FETCH_ALLOW_LOOPBACK,
        user_agent="Factdesk/1.0 (+fact-check harvester)",
    )


@dataclass
class _Log(Reasons):
    """What a run counts and why, kept bounded whatever the source sends."""

    limit: int = MAX_RUN_ERRORS
    seen: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    fatal: bool = False


# --- Reading each kind of source: each yields (where, review, raw) ---


def _get(url: str, policy: FetchPolicy, headers: dict | None = None) -> FetchResult:
    result = fetch(url, policy=policy, headers=headers or {})
    if not 200 <= result.status < 300:
        raise HarvestError(_("The server answered HTTP %(status)s.") % {"status": result.status})
    return result


def _datafeed(source, policy, log) -> Iterator[tuple[str, object, dict | None]]:
    result = _get(source.url, policy, {"Accept": "application/ld+json, application/json"})
    document = readers.json_document(result.text(), result.content_type)
    for number, review in enumerate(markup.claim_reviews_in(document), start=1):
        yield _("item %(n)s") % {"n": number}, review, None


def _page(url, policy, log) -> Iterator[tuple[str, object, dict | None]]:
    result = _get(url, policy, {"Accept": "text/html"})
    html = result.text()
    reviews, problems = readers.page_reviews(html)
    for problem in problems:
        log.reason(url, problem)
    if not reviews and not problems:
        log.reason(url, _("No ClaimReview in the page's JSON-LD."))
    language = readers.page_language(html)
    for review in reviews:
        if language and not markup.text(review.get("inLanguage")):
            # The raw review is kept as published; only the stored language comes from the page.
            yield url, {**review, "inLanguage": language}, review
        else:
            yield url, review, None


def _pages(urls: list[str], policy, log, progress) -> Iterator[tuple[str, object, dict | None]]:
    """The reviews of each page not harvested yet, at most FACTDESK_HARVEST_MAX_PAGES a run:
    a sitemap of 50,000 pages is worked through a slice a run, in the order it lists them."""
    wanted = _not_harvested(urls, settings.FACTDESK_HARVEST_MAX_PAGES, log)
    for done, url in enumerate(wanted, start=1):
        try:
            yield from _page(url, policy, log)
        except (FetchError, HarvestError) as error:
            log.rejected += 1
            log.reason(url, str(error))
        if progress:
            progress(done, len(wanted))


def _not_harvested(urls: list[str], most: int, log) -> list[str]:
    # Looked up a chunk at a time, so a long sitemap never makes one huge IN (...) query, and
    # the lookups stop once a run's worth of new pages is found.
    new: list[str] = []
    for start in range(0, len(urls), 500):
        chunk = {normalize_url(url): url for url in urls[start : start + 500]}
        known = set(
            ExternalFactCheck.objects.filter(normalized_url__in=list(chunk)).values_list(
                "normalized_url", flat=True
            )
        )
        new.extend(url for key, url in chunk.items() if key not in known)
        if len(new) > most:
            log.reason("", _("More pages wait for the next runs."))
            break
    return new[:most]


def _sitemap(source, policy, log, progress):
    pages, nested = readers.sitemap_links(_get(source.url, policy).text())
    # A sitemap index: read its sitemaps (a few, in order), not sitemaps of sitemaps.
    for sitemap_url in nested[: settings.FACTDESK_HARVEST_MAX_SITEMAPS]:
        try:
            pages.extend(readers.sitemap_links(_get(sitemap_url, policy).text())[0])
        except (FetchError, HarvestError) as error:
            log.reason(sitemap_url, str(error))
    yield from _pages(list(dict.fromkeys(pages)), policy, log, progress)


def _rss(source, policy, log, progress):
    links = readers.feed_links(_get(source.url, policy).text())
    yield from _pages(links, policy, log, progress)


def google_search_url(source: FactCheckSource, page_token: str = "") -> str:
    params = {"query": source.query, "pageSize": 100, "key": settings.FACTDESK_GOOGLE_API_KEY}
    if source.language:
        params["languageCode"] = source.language
    if page_token:
        params["pageToken"] = page_token
    return f"{settings.FACTDESK_GOOGLE_FACTCHECK_URL}?{urlencode(params)}"


def _google(source, policy, log, progress):
    if not settings.FACTDESK_GOOGLE_API_KEY:
        raise HarvestError(_("FACTDESK_GOOGLE_API_KEY is not set, so Google cannot be searched."))
    token, tokens = "", set()
    for page in range(1, settings.FACTDESK_HARVEST_MAX_API_PAGES + 1):
        # The key is in the URL: reasons name the page, never the URL.
        result = fetch(google_search_url(source, token), policy=policy)
        if not 200 <= result.status < 300 and result.content_type != "application/json":
            raise HarvestError(_("Google answered HTTP %(status)s.") % {"status": result.status})
        pairs, token = readers.google_reviews(
            readers.json_document(result.text(), result.content_type)
        )
        for number, (review, raw) in enumerate(pairs, start=1):
            yield _("page %(page)s, review %(n)s") % {"page": page, "n": number}, review, raw
        if progress:
            progress(page, None)
        if not token:
            return
        if token in tokens:
            raise HarvestError(_("Google sent the same page token twice; stopped there."))
        tokens.add(token)
    log.reason("", _("More results wait: stopped after %(n)s pages.") % {"n": page})


def _reviews(source, policy, log, progress):
    if source.kind == Kind.DATAFEED:
        return _datafeed(source, policy, log)
    if source.kind == Kind.PAGE:
        return _page(source.url, policy, log)
    if source.kind == Kind.SITEMAP:
        return _sitemap(source, policy, log, progress)
    if source.kind == Kind.RSS:
        return _rss(source, policy, log, progress)
    if source.kind == Kind.GOOGLE_API:
        return _google(source, policy, log, progress)
    raise HarvestError(_("Unknown kind of source: %(kind)s.") % {"kind": source.kind})


# --- Storing ---


def fact_check_upsert(*, review: dict, raw: dict | None = None, source=None) -> tuple:
    """Create or update the fact-check for a valid ClaimReview, keyed by its normalised URL.

    Returns (fact_check, "created" | "updated" | "unchanged"). Raises ValidationError when the
    review cannot be stored (its errors from markup.review_errors, or a field the model
    refuses). A new or reworded claim is embedded after the transaction commits.
    """
    errors = markup.review_errors(review)
    if errors:
        raise ValidationError(errors)
    fields = readers.fact_check_fields(review)
    if not fields["language"] and source is not None:
        fields["language"] = source.language
    fields["raw"] = raw if raw is not None else review
    key = normalize_url(fields["review_url"])
    now = timezone.now()
    try:
        with transaction.atomic():
            return _upsert(key, fields, source, now)
    except IntegrityError:
        # Another harvest stored the same review a moment ago: update that row instead.
        with transaction.atomic():
            return _upsert(key, fields, source, now)


def _upsert(key: str, fields: dict, source, now) -> tuple:
    found = ExternalFactCheck.objects.select_for_update().filter(normalized_url=key).first()
    if found is None:
        found = ExternalFactCheck(normalized_url=key, source=source, first_seen_at=now, **fields)
        result = "created"
    elif any(getattr(found, name) != value for name, value in fields.items()):
        result = "updated"
    else:
        ExternalFactCheck.objects.filter(pk=found.pk).update(last_seen_at=now)
        return found, "unchanged"
    reworded = result == "created" or found.claim_reviewed != fields["claim_reviewed"]
    for name, value in fields.items():
        setattr(found, name, value)
    found.last_seen_at = now
    found.full_clean(exclude=["source"])
    found.save()
    if reworded:
        fact_check_embed_later(found.pk)
    return found, result


def _store(source, log: _Log, where: str, review, raw) -> None:
    log.seen += 1
    most = settings.FACTDESK_HARVEST_MAX_ITEMS
    if log.seen > most:
        raise HarvestError(_("Stopped after %(n)s reviews in one run.") % {"n": most})
    try:
        _fact_check, result = fact_check_upsert(review=review, raw=raw, source=source)
    except ValidationError as error:
        log.rejected += 1
        log.reason(where, " ".join(error.messages))
        return
    if result == "created":
        log.created += 1
    elif result == "updated":
        log.updated += 1


def source_harvest(
    *, source: FactCheckSource, policy: FetchPolicy | None = None, progress: Progress = None
) -> HarvestRun:
    """Harvest one source now and return its run (already saved with counts and reasons).

    Never raises for what the source sends or how it fails: that is the run's status
    (ok, partial: some items or pages rejected, failed: the source could not be read) and
    its reasons. Items stored before a failure stay stored.
    """
    policy = policy or harvest_policy()
    _close_abandoned_runs(source)
    run = HarvestRun.objects.create(source=source)
    log = _Log()
    try:
        for where, review, raw in _reviews(source, policy, log, progress):
            _store(source, log, where, review, raw)
            if log.seen % PROGRESS_EVERY == 0:
                # The admin shows a running harvest's counts as they grow.
                HarvestRun.objects.filter(pk=run.pk).update(
                    seen=log.seen, created=log.created, updated=log.updated, rejected=log.rejected
                )
    except (FetchError, HarvestError) as error:
        log.fatal = True
        log.reason(source.url if source.kind != Kind.GOOGLE_API else "Google", str(error))
    except Exception as error:  # a bug must fail this source's run, not the whole harvest
        logger.exception("Harvesting fact-check source %s failed.", source.pk)
        log.fatal = True
        log.reason("", _("Unexpected error: %(error)r") % {"error": error})
    return _finish(run, source, log)


def _close_abandoned_runs(source: FactCheckSource) -> None:
    """A run still "running" long after any harvest could take was cut short (its worker was
    killed); say so, rather than leave it running for ever in the health log."""
    cutoff = timezone.now() - timedelta(minutes=settings.FACTDESK_TASK_ABANDONED_MINUTES)
    HarvestRun.objects.filter(
        source=source, status=HarvestRun.Status.RUNNING, started_at__lt=cutoff
    ).update(
        status=HarvestRun.Status.FAILED,
        errors=[_("The harvest stopped before it finished (its worker was stopped?).")],
    )


def _finish(run: HarvestRun, source: FactCheckSource, log: _Log) -> HarvestRun:
    now = timezone.now()
    if log.fatal and not (log.created or log.updated):
        status = HarvestRun.Status.FAILED
    elif log.fatal or log.rejected or log.errors:
        status = HarvestRun.Status.PARTIAL
    else:
        status = HarvestRun.Status.OK
    run.finished_at, run.status, run.errors = now, status, log.reasons()
    run.seen, run.created, run.updated, run.rejected = (
        log.seen,
        log.created,
        log.updated,
        log.rejected,
    )
    run.save()
    if status == HarvestRun.Status.FAILED:
        logger.warning("Fact-check source %s (%s) failed: %s", source.pk, source, run.errors)
    later = RETRY_AFTER_FAILURE if status == HarvestRun.Status.FAILED else None
    FactCheckSource.objects.filter(pk=source.pk).update(
        last_run_at=now,
        next_due_at=now + (later or timedelta(hours=source.interval_hours)),
    )
    return run


# --- Scheduling ---


def sources_due(now=None):
    now = now or timezone.now()
    return (
        FactCheckSource.objects.filter(enabled=True)
        .exclude(next_due_at__gt=now)
        .order_by("next_due_at", "pk")
    )


def harvests_enqueue_due() -> int:
    """Queue a harvest task for every due source; returns how many were queued.

    Each source's next due time moves forward as it is queued, under a row lock that other
    workers skip, so two workers never queue the same source twice.
    """
    now = timezone.now()
    queued = []
    with transaction.atomic():
        for source in sources_due(now).select_for_update(skip_locked=True):
            source.next_due_at = source.due_after(now)
            source.save(update_fields=["next_due_at"])
            queued.append(source.pk)
            transaction.on_commit(lambda pk=source.pk: harvest_source_task.enqueue(pk))
    return len(queued)


def source_harvest_later(source: FactCheckSource) -> None:
    """The admin's "harvest now": queue it for the worker (a harvest may take minutes)."""
    transaction.on_commit(lambda: harvest_source_task.enqueue(source.pk))


@task()
def harvest_source_task(source_id: int) -> str:
    source = FactCheckSource.objects.filter(pk=source_id).first()
    if source is None:
        return "gone"
    return source_harvest(source=source).status
