"""Archiving sources, so a reader still sees the evidence when the page dies.

`get_archiver()` gives the Wayback Machine's Save Page Now when WAYBACK_ACCESS_KEY and
WAYBACK_SECRET_KEY are set, and otherwise an archiver that refuses with a message saying so.
Archiving runs in the background worker (sources.tasks.archive_source).
"""

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.fetching import FetchError, FetchPolicy, fetch

from .models import Source


class ArchiveError(Exception):
    """Archiving failed; the message says why, for the admin and the worker's log."""


class ArchiverDisabled(ArchiveError):
    pass


@dataclass(frozen=True)
class Archived:
    url: str
    archived_at: datetime


class Archiver(Protocol):
    name: str

    def archive(self, url: str) -> Archived: ...


class DisabledArchiver:
    name = "disabled"

    def archive(self, url: str) -> Archived:
        raise ArchiverDisabled(
            _(
                "Archiving is off: set WAYBACK_ACCESS_KEY and WAYBACK_SECRET_KEY to archive "
                "sources with the Wayback Machine."
            )
        )


class SavePageNowArchiver:
    """The Wayback Machine's Save Page Now 2 API: start a capture, then poll its status."""

    name = "wayback"

    def __init__(
        self,
        *,
        access_key: str,
        secret_key: str,
        endpoint: str = "https://web.archive.org",
        policy: FetchPolicy | None = None,
        poll_every: float = 5.0,
        max_polls: int = 24,
    ):
        self.endpoint = endpoint.rstrip("/")
        self.headers = {
            "Accept": "application/json",
            "Authorization": f"LOW {access_key}:{secret_key}",
        }
        self.policy = policy
        self.poll_every = poll_every
        self.max_polls = max_polls

    def archive(self, url: str) -> Archived:
        started = self._call(
            f"{self.endpoint}/save",
            body=urlencode({"url": url, "skip_first_archive": "1"}).encode(),
        )
        job = started.get("job_id")
        if not job:
            raise ArchiveError(
                started.get("message") or _("Save Page Now did not start a capture.")
            )
        for attempt in range(self.max_polls):
            if attempt:
                time.sleep(self.poll_every)
            status = self._call(f"{self.endpoint}/save/status/{quote(job)}")
            if status.get("status") == "success":
                snapshot = f"{self.endpoint}/web/{status['timestamp']}/{status['original_url']}"
                return Archived(url=snapshot, archived_at=timezone.now())
            if status.get("status") == "error":
                raise ArchiveError(
                    _("Save Page Now could not capture the page: %(why)s")
                    % {"why": status.get("message") or status.get("status_ext") or "?"}
                )
        raise ArchiveError(_("Save Page Now did not finish the capture in time."))

    def _call(self, url: str, body: bytes | None = None) -> dict:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            result = fetch(
                url,
                policy=self.policy,
                method="POST" if body is not None else "GET",
                body=body,
                headers=headers,
            )
        except FetchError as error:
            raise ArchiveError(str(error)) from None
        if result.status != 200:
            raise ArchiveError(
                _("Save Page Now answered with HTTP status %(status)s.") % {"status": result.status}
            )
        try:
            return json.loads(result.content)
        except ValueError:
            raise ArchiveError(_("Save Page Now sent an answer that is not JSON.")) from None


def get_archiver() -> Archiver:
    if settings.WAYBACK_ACCESS_KEY and settings.WAYBACK_SECRET_KEY:
        return SavePageNowArchiver(
            access_key=settings.WAYBACK_ACCESS_KEY,
            secret_key=settings.WAYBACK_SECRET_KEY,
            endpoint=settings.WAYBACK_ENDPOINT,
        )
    return DisabledArchiver()


def source_archive(*, source: Source, archiver: Archiver | None = None) -> Source:
    """Archive the source's page and store the snapshot's address. Raises ArchiveError.

    The network call happens outside any transaction; only the final write takes the row lock.
    """
    archived = (archiver or get_archiver()).archive(source.url)
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        source.archive_url, source.archived_at = archived.url, archived.archived_at
        source.save(update_fields=["archive_url", "archived_at", "updated_at"])
    return source
