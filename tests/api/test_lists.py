"""API lists at any size: conditional GETs answered before the list is built, anonymous reads
cached like the pages and retired by a change, cursors that stay put while claims arrive."""

import pytest

from claims.models import Claim
from tests.factories import make_published_claim

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/claims/", "/api/v1/claimreview/feed/"]


@pytest.mark.parametrize("url", LISTS)
def test_an_anonymous_reader_holding_the_etag_gets_a_304_without_a_query(
    client_anon, published, url, django_assert_num_queries
):
    first = client_anon.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, no-cache"
    with django_assert_num_queries(0):
        again = client_anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    # Another request (another page size) is another ETag.
    other = client_anon.get(url, {"page_size": 1})
    assert other["ETag"] != first["ETag"]


@pytest.mark.parametrize("url", LISTS)
def test_a_published_change_retires_the_etag_and_the_cached_list(
    client_anon, published, fact_checker, editor, url, django_capture_on_commit_callbacks
):
    first = client_anon.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_published_claim(
            checker=fact_checker, editor=editor, claim_reviewed="Published after the first read"
        )
    again = client_anon.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert fresh.claim_reviewed in again.content.decode()


def test_anonymous_lists_are_served_from_the_cache_until_a_change(
    client_anon, published, django_assert_num_queries
):
    body = client_anon.get("/api/v1/claims/").content
    with django_assert_num_queries(0):
        assert client_anon.get("/api/v1/claims/").content == body


def test_the_desk_always_gets_its_list_built_afresh(checker_client, published, draft):
    first = checker_client.get("/api/v1/claims/")
    assert not first.get("ETag", "").startswith('"p')
    Claim.objects.filter(pk=draft.pk).update(claim_reviewed="Edited behind the cache's back")
    assert "Edited behind the cache" in checker_client.get("/api/v1/claims/").content.decode()


def test_the_next_cursor_stays_put_while_claims_arrive(client_anon, fact_checker, editor):
    claims = [
        make_published_claim(checker=fact_checker, editor=editor, claim_reviewed=f"Claim {n}")
        for n in range(4)
    ]
    first = client_anon.get("/api/v1/claims/", {"page_size": 2}).json()
    assert [c["id"] for c in first["results"]] == [claims[3].pk, claims[2].pk]
    make_published_claim(checker=fact_checker, editor=editor, claim_reviewed="Arrived meanwhile")
    second = client_anon.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == [claims[1].pk, claims[0].pk]


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_stay_constant_as_claims_grow(
    client_anon, fact_checker, editor, url, django_assert_max_num_queries
):
    for size in (1, 6):
        for _ in range(size):
            make_published_claim(checker=fact_checker, editor=editor)
        with django_assert_max_num_queries(5):
            assert client_anon.get(url, {"page_size": 100, "n": size}).status_code == 200
