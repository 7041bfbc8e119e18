import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lib.fetching import FetchPolicy
from sources.archiving import (
    ArchiveError,
    ArchiverDisabled,
    DisabledArchiver,
    SavePageNowArchiver,
    get_archiver,
    source_archive,
)
from sources.management.commands.check_links import queue_due_checks
from sources.models import Source
from sources.tasks import source_check_link, sources_due_for_check
from tests.factories import SourceFactory
from tests.rebinding import assert_went_only_to_the_checked_address

LOCAL = FetchPolicy(allow_loopback=True, timeout=2)
JSON = {"Content-Type": "application/json"}


def spn_routes(server, *, statuses):
    """A fake Save Page Now: /save starts job "j1", /save/status/j1 answers `statuses` in turn."""
    answers = iter(statuses)
    server.routes["/save"] = (200, JSON, json.dumps({"url": "x", "job_id": "j1"}).encode())
    server.routes["/save/status/j1"] = lambda handler: (
        200,
        JSON,
        json.dumps(next(answers)).encode(),
    )


SUCCESS = {"status": "success", "timestamp": "20260101120000", "original_url": "https://a.example/"}


@pytest.fixture
def wayback(settings, http_server):
    settings.WAYBACK_ACCESS_KEY, settings.WAYBACK_SECRET_KEY = "key", "secret"
    settings.WAYBACK_ENDPOINT = http_server.url
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    return http_server


def test_a_live_link_is_recorded_with_its_status_and_time(db, http_server):
    http_server.routes["/page"] = (200, {}, b"hello")
    source = SourceFactory(url=http_server.url + "/page")
    source = source_check_link(source=source, policy=LOCAL)
    assert source.link_status_code == 200 and not source.is_dead
    assert source.link_checked_at is not None and source.link_error == ""


def test_a_missing_page_is_flagged_dead(db, http_server):
    source = source_check_link(source=SourceFactory(url=http_server.url + "/gone"), policy=LOCAL)
    assert source.link_status_code == 404 and source.is_dead
    assert Source.objects.dead_links().get() == source


def test_an_unreachable_or_refused_link_records_why(db):
    source = source_check_link(source=SourceFactory(url="http://127.0.0.1:9/x"), policy=LOCAL)
    assert source.link_status_code == 0 and "could not be reached" in source.link_error
    refused = source_check_link(source=SourceFactory(url="http://10.0.0.8/x"))
    assert refused.link_status_code == 0 and "private address" in refused.link_error


def test_sources_due_are_the_unchecked_and_the_stale(db):
    fresh, stale, never = SourceFactory(), SourceFactory(), SourceFactory()
    Source.objects.filter(pk=fresh.pk).update(link_checked_at=timezone.now())
    Source.objects.filter(pk=stale.pk).update(link_checked_at=timezone.now() - timedelta(days=8))
    assert list(sources_due_for_check(days=7)) == [never, stale]


def test_check_links_command_runs_the_checks_through_the_queue(db, settings, http_server, capsys):
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    http_server.routes["/a"] = (200, {}, b"ok")
    source = SourceFactory(url=http_server.url + "/a")
    call_command("check_links")
    assert "Queued 1 link checks." in capsys.readouterr().out
    source.refresh_from_db()
    assert source.link_status_code == 200
    with pytest.raises(CommandError, match="--loop"):
        call_command("check_links", "--loop", "0")


def test_without_keys_archiving_is_disabled_with_a_clear_message(settings):
    settings.WAYBACK_ACCESS_KEY = settings.WAYBACK_SECRET_KEY = ""
    archiver = get_archiver()
    assert isinstance(archiver, DisabledArchiver)
    with pytest.raises(ArchiverDisabled, match="WAYBACK_ACCESS_KEY"):
        archiver.archive("https://a.example/")


def test_save_page_now_captures_and_polls_until_done(db, wayback):
    spn_routes(wayback, statuses=[{"status": "pending"}, SUCCESS])
    archiver = SavePageNowArchiver(
        access_key="key", secret_key="secret", endpoint=wayback.url, policy=LOCAL, poll_every=0
    )
    source = source_archive(source=SourceFactory(url="https://a.example/"), archiver=archiver)
    assert source.archive_url == f"{wayback.url}/web/20260101120000/https://a.example/"
    assert source.archived_at is not None
    method, path, headers = wayback.requests[0]
    assert (method, path) == ("POST", "/save")
    assert headers["Authorization"] == "LOW key:secret"
    assert wayback.bodies[0] == b"url=https%3A%2F%2Fa.example%2F&skip_first_archive=1"


def test_a_failed_capture_says_why_and_changes_nothing(db, wayback):
    spn_routes(wayback, statuses=[{"status": "error", "message": "Blocked by robots.txt"}])
    archiver = SavePageNowArchiver(
        access_key="k", secret_key="s", endpoint=wayback.url, policy=LOCAL, poll_every=0
    )
    source = SourceFactory(url="https://a.example/")
    with pytest.raises(ArchiveError, match=r"robots\.txt"):
        source_archive(source=source, archiver=archiver)
    source.refresh_from_db()
    assert source.archive_url == ""


def test_the_archive_keys_do_not_follow_a_redirect_to_another_origin(
    db, wayback, other_http_server
):
    spn_routes(wayback, statuses=[SUCCESS])
    wayback.routes["/save"] = (307, {"Location": other_http_server.url + "/save"}, b"")
    other_http_server.routes["/save"] = (200, JSON, json.dumps({"job_id": "j1"}).encode())
    archiver = SavePageNowArchiver(
        access_key="key", secret_key="secret", endpoint=wayback.url, policy=LOCAL, poll_every=0
    )
    archiver.archive("https://a.example/")
    assert wayback.requests[0][2]["Authorization"] == "LOW key:secret"
    assert other_http_server.requests[0][:2] == ("POST", "/save")
    assert "Authorization" not in other_http_server.requests[0][2]


def test_archiving_connects_only_to_the_address_it_checked(db, rebinding_dns):
    archiver = SavePageNowArchiver(
        access_key="k", secret_key="s", endpoint=rebinding_dns.url(""), poll_every=0
    )
    with pytest.raises(ArchiveError, match="could not be reached"):
        archiver.archive("https://a.example/")
    assert rebinding_dns.connects
    assert_went_only_to_the_checked_address(rebinding_dns)


def test_a_link_check_connects_only_to_the_address_it_checked(db, rebinding_dns):
    source = source_check_link(source=SourceFactory(url=rebinding_dns.url("/page")))
    assert source.link_status_code == 0 and "could not be reached" in source.link_error
    assert rebinding_dns.connects
    assert_went_only_to_the_checked_address(rebinding_dns)


def test_a_live_link_without_a_copy_is_archived_in_the_background(
    db, wayback, django_capture_on_commit_callbacks
):
    wayback.routes["/page"] = (200, {}, b"hello")
    spn_routes(wayback, statuses=[SUCCESS])
    source = SourceFactory(url=wayback.url + "/page")
    with django_capture_on_commit_callbacks(execute=True):
        source_check_link(source=source)
    source.refresh_from_db()
    assert source.archive_url.endswith("/web/20260101120000/https://a.example/")


def test_a_check_still_waiting_for_the_worker_is_not_queued_twice(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    SourceFactory(), SourceFactory()
    queued = {}
    assert queue_due_checks(queued, days=7, limit=10) == 2
    assert queue_due_checks(queued, days=7, limit=10) == 0
    assert queue_due_checks({}, days=7, limit=10) == 2  # another process does not know
