"""The page cache and conditional GETs: fast repeat visits, never a stale verdict."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from claims import services
from claims.models import ClaimStatus, Correction
from tests.factories import make_published_claim, verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(fact_checker, editor):
    return make_published_claim(checker=fact_checker, editor=editor)


def test_a_repeat_visit_is_served_from_the_cache_without_queries(
    client, claim, django_assert_num_queries
):
    first = client.get(claim.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(claim.get_absolute_url())
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_conditional_get_answers_304_until_the_page_changes(client, claim):
    first = client.get(claim.get_absolute_url())
    assert first["Cache-Control"] == "public, no-cache"
    again = client.get(claim.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(
        claim.get_absolute_url(), headers={"if-modified-since": first["Last-Modified"]}
    )
    assert since.status_code == 304
    older = http_date(claim.updated_at.timestamp() - 3600)
    assert (
        client.get(claim.get_absolute_url(), headers={"if-modified-since": older}).status_code
        == 200
    )


def test_article_page_answers_304_to_its_etag(client, claim):
    first = client.get(claim.article.get_absolute_url())
    assert first["Last-Modified"]
    again = client.get(claim.article.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_a_correction_is_shown_at_once_and_never_the_stale_verdict(
    client, claim, editor, django_capture_on_commit_callbacks
):
    url = claim.get_absolute_url()
    before = client.get(url)
    assert '<span class="verdict-name">False</span>' in before.content.decode()
    client.get(claim.article.get_absolute_url())  # cached too
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(
            claim=claim,
            note="New figures from the statistics office.",
            previous_verdict=claim.verdict,
            new_verdict=verdict("mostly-true"),
            corrected_by=editor,
        )
        services.claim_update(claim=claim, actor=editor, verdict=verdict("mostly-true"))
    after = client.get(url, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    body = after.content.decode()
    assert "Mostly true" in body and '<span class="verdict-name">False</span>' not in body
    assert "New figures from the statistics office." in body
    assert "Mostly true" in client.get(claim.article.get_absolute_url()).content.decode()


def test_an_unpublished_claim_disappears_from_cached_pages(
    client, claim, django_capture_on_commit_callbacks
):
    assert client.get(claim.get_absolute_url()).status_code == 200
    assert claim.slug in client.get("/en/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        # Unpublishing lands with the workflow issue; any save of the claim invalidates.
        claim.status = ClaimStatus.RESEARCHING
        claim.save()
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert claim.slug not in client.get("/en/").content.decode()


def test_a_newly_published_claim_appears_on_cached_lists(
    client, fact_checker, editor, claim, django_capture_on_commit_callbacks
):
    client.get("/en/claims/")
    with django_capture_on_commit_callbacks(execute=True):
        newer = make_published_claim(checker=fact_checker, editor=editor)
    assert newer.get_absolute_url() in client.get("/en/claims/").content.decode()


def test_with_the_page_cache_off_pages_render_each_time_and_still_answer_304(
    client, claim, settings
):
    settings.FACTDESK_PAGE_CACHE_SECONDS = 0
    first = client.get(claim.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        again = client.get(claim.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert len(queries) > 0  # rendered afresh, not served from the cache
