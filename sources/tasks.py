"""Source health in the background: link checks and archiving (run by `make worker`)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from lib.fetching import FetchError, FetchPolicy, fetch

from .archiving import ArchiveError, ArchiverDisabled, get_archiver, source_archive
from .models import Source

logger = logging.getLogger(__name__)


def sources_due_for_check(*, days: int | None = None) -> QuerySet:
    """Sources never checked, or last checked more than `days` days ago, oldest first."""
    days = settings.FACTDESK_LINK_CHECK_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    return Source.objects.filter(
        Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=cutoff)
    ).order_by(F("link_checked_at").asc(nulls_first=True), "pk")


def source_check_link(*, source: Source, policy: FetchPolicy | None = None) -> Source:
    """Fetch the source's URL (status and headers only) and record what happened.

    A page that cannot be reached at all is recorded as status 0 with the reason. A live page
    with no archived copy yet is queued for archiving while it still exists.
    """
    status, error = 0, ""
    try:
        status = fetch(source.url, policy=policy, read_body=False).status
    except FetchError as failure:
        error = str(failure)
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        source.link_status_code, source.link_error = status, error[:300]
        source.link_checked_at = timezone.now()
        source.save(update_fields=["link_status_code", "link_error", "link_checked_at"])
        if not source.is_dead and not source.archive_url and get_archiver().name != "disabled":
            transaction.on_commit(lambda: archive_source.enqueue(source.pk))
    return source


@task()
def check_source_link(source_id: int) -> int | None:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    return source_check_link(source=source).link_status_code


@task()
def archive_source(source_id: int) -> str:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return ""
    try:
        return source_archive(source=source).archive_url
    except ArchiverDisabled as disabled:
        logger.info("%s", disabled)
        return ""
    except ArchiveError as error:
        logger.warning("Archiving source %s (%s) failed: %s", source.pk, source.url, error)
        return ""
