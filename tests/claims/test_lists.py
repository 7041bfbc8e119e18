"""The claims list and the ClaimReview feeds at any size: what a reader paging through the list
and an aggregator harvesting the feed notice (links, cursors, bounds, query counts)."""

import json
import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from claims import selectors, services
from claims.models import Claim
from tests.factories import make_published_claim

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
PREV = re.compile(r'<a rel="prev" href="([^"]+)"')


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def publish(fact_checker, editor):
    def _publish(**fields):
        return make_published_claim(checker=fact_checker, editor=editor, **fields)

    return _publish


@pytest.fixture
def many(publish):
    """Published claims, oldest first, one minute apart (newest last)."""

    def _many(count: int) -> list[Claim]:
        claims = [publish(claim_reviewed=f"Claim number {n}") for n in range(count)]
        start = timezone.now() - timedelta(days=1)
        for n, claim in enumerate(claims):
            Claim.objects.filter(pk=claim.pk).update(published_at=start + timedelta(minutes=n))
        return claims

    return _many


def listed(body: str, claims) -> list[int]:
    """The claims the page shows, in the page's order."""
    found = [(body.find(c.get_absolute_url() + '"'), c.pk) for c in claims]
    return [pk for position, pk in sorted(found) if position >= 0]


def link(pattern, body: str) -> str | None:
    match = pattern.search(body)
    return "/en/claims/" + unescape(match[1]) if match else None


def test_older_links_walk_the_whole_list_once_newest_first(client, many):
    claims = many(45)
    seen, url, pages = [], "/en/claims/", 0
    while url:
        body = html(client.get(url))
        seen += listed(body, claims)
        url, pages = link(NEXT, body), pages + 1
    assert pages == 3
    assert seen == [c.pk for c in reversed(claims)]


def test_newer_link_leads_back_to_the_page_before(client, many):
    claims = many(25)
    first = html(client.get("/en/claims/"))
    second = html(client.get(link(NEXT, first)))
    assert listed(second, claims) == [c.pk for c in reversed(claims[:5])]
    back = html(client.get(link(PREV, second)))
    assert listed(back, claims) == listed(first, claims)
    assert link(PREV, back) is None  # back on the newest page


def test_a_claim_published_meanwhile_does_not_shift_the_next_page(client, many, publish):
    claims = many(25)
    first = html(client.get("/en/claims/"))
    publish(claim_reviewed="Published while the reader was on page one")
    second = html(client.get(link(NEXT, first)))
    # Exactly the claims after the last one the reader saw: none repeated, none skipped.
    assert listed(second, claims) == [c.pk for c in reversed(claims[:5])]


def test_a_numbered_page_link_from_before_shows_that_page(client, many):
    claims = many(45)
    body = html(client.get("/en/claims/", {"page": 2}))
    assert listed(body, claims) == [c.pk for c in reversed(claims[5:25])]
    assert "Page 2" in body
    # Its Older link goes on from there.
    assert listed(html(client.get(link(NEXT, body))), claims) == [
        c.pk for c in reversed(claims[:5])
    ]
    past_the_end = html(client.get("/en/claims/", {"page": 9}))
    assert "No more fact checks." in past_the_end


def test_a_page_number_too_deep_or_a_damaged_cursor_is_a_clear_400(client, many):
    many(1)
    response = client.get("/en/claims/", {"page": selectors.MAX_NUMBERED_PAGE + 1})
    assert response.status_code == 400
    assert "Page numbers go up to 500" in response.content.decode()
    response = client.get("/en/claims/", {"after": "yesterday"})
    assert response.status_code == 400
    assert "This list link is damaged" in response.content.decode()


def test_the_count_says_more_than_when_it_stops_counting(client, many, monkeypatch):
    many(4)
    assert "4 fact checks" in html(client.get("/en/claims/"))
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)
    assert "More than 3 fact checks" in html(client.get("/en/claims/", {"language": "en"}))


def test_filters_and_paging_combine(client, many):
    claims = many(25)
    Claim.objects.filter(pk__in=[c.pk for c in claims[:22]]).update(language="it")
    first = html(client.get("/en/claims/", {"language": "it"}))
    assert "22 fact checks" in first
    older = link(NEXT, first)
    assert "language=it" in older
    assert listed(html(client.get(older)), claims) == [c.pk for c in reversed(claims[:2])]


def test_list_queries_stay_constant_as_claims_grow(
    client, many, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    claims = []
    for size in (3, 30):
        with django_capture_on_commit_callbacks(execute=True):
            claims = many(size)
        # The count, the page and its claims' translations into the reader's language; the
        # filter choices once per change (four probes), then from the cache. On PostgreSQL
        # three more: the statement timeout, and the savepoint and its release that its
        # transaction is inside the test's.
        extra = 3 if connection.vendor == "postgresql" else 0
        with django_assert_max_num_queries(7 + extra):
            first = html(client.get("/en/claims/", {"size": size}))
        with django_assert_max_num_queries(3 + extra):
            html(client.get("/en/claims/", {"size": size, "verdict": "false"}))
        if size > 20:
            with django_assert_max_num_queries(3 + extra):
                html(client.get(link(NEXT, first)))
            with django_assert_max_num_queries(4 + extra):
                html(client.get("/en/claims/", {"page": 2, "size": size}))
    assert claims


@pytest.mark.postgres
def test_a_list_that_would_take_too_long_is_refused_with_a_message(client, many, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's")
    many(1)
    slow = selectors._claim_list_page

    def sleepy(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.2)")
        return slow(*args, **kwargs)

    monkeypatch.setattr(selectors, "_claim_list_page", sleepy)
    monkeypatch.setattr(selectors, "LIST_STATEMENT_TIMEOUT_MS", 20)
    response = client.get("/en/claims/", {"language": "it", "topic": "economy"})
    assert response.status_code == 400
    assert "take too long to list: narrow them by date" in response.content.decode()
    # The failed page's transaction is over: the site goes on.
    monkeypatch.setattr(selectors, "_claim_list_page", slow)
    assert client.get("/en/claims/", {"language": "en"}).status_code == 200


def test_filter_choices_follow_a_change(client, publish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(verdict_code="false")
    assert 'value="true"' not in html(client.get("/en/claims/", {"q": "a"}))
    with django_capture_on_commit_callbacks(execute=True):
        publish(verdict_code="true")
    assert 'value="true"' in html(client.get("/en/claims/", {"q": "b"}))


# --- The ClaimReview feeds (the reader site's and the API's) -----------------------------------

FEEDS = ["/feeds/claimreview.json", "/api/v1/claimreview/feed/"]


def harvest(client, url: str):
    """Follow `next` until a page shorter than asked for: (reviewed texts, pages, last next)."""
    reviewed, pages = [], 0
    while True:
        response = client.get(url)
        assert response.status_code == 200, response.content
        feed = json.loads(response.content)
        pages += 1
        assert response["Link"] == f'<{feed["next"]}>; rel="next"'
        items = feed["dataFeedElement"]
        reviewed += [item["item"][0]["claimReviewed"] for item in items]
        url = urlsplit(feed["next"])._replace(scheme="", netloc="").geturl()
        if len(items) < int(re.search(r"page_size=(\d+)", url)[1]):
            return reviewed, pages, url


@pytest.mark.parametrize("feed", FEEDS)
def test_the_feed_comes_in_pages_that_cover_every_claim_once(client, many, feed):
    claims = many(5)
    reviewed, pages, _next = harvest(client, f"{feed}?page_size=2")
    assert pages == 3
    assert sorted(reviewed) == sorted(c.claim_reviewed for c in claims)


@pytest.mark.parametrize("feed", FEEDS)
def test_a_harvest_from_the_last_next_link_brings_only_what_changed(
    client, many, editor, feed, django_capture_on_commit_callbacks
):
    claims = many(3)
    _reviewed, _pages, resume = harvest(client, f"{feed}?page_size=2")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_correct(
            claim=claims[0], actor=editor, note="Figure fixed.", rationale="New data."
        )
    reviewed, _pages, again = harvest(client, resume)
    assert reviewed == [claims[0].claim_reviewed]
    assert harvest(client, again)[0] == []


@pytest.mark.parametrize("feed", FEEDS)
def test_modified_since_starts_a_harvest_at_a_date(client, many, feed):
    claims = many(3)
    Claim.objects.filter(pk=claims[1].pk).update(updated_at=timezone.now() + timedelta(days=2))
    since = (timezone.now() + timedelta(days=1)).date().isoformat()
    feed_data = json.loads(client.get(feed, {"modified_since": since}).content)
    assert [i["item"][0]["claimReviewed"] for i in feed_data["dataFeedElement"]] == [
        claims[1].claim_reviewed
    ]


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_pages_are_never_unbounded(client, many, feed, monkeypatch):
    many(3)
    monkeypatch.setattr(selectors, "FEED_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "FEED_MAX_PAGE_SIZE", 2)
    assert len(json.loads(client.get(feed).content)["dataFeedElement"]) == 2
    big = client.get(feed, {"page_size": "5000"})
    assert len(json.loads(big.content)["dataFeedElement"]) == 2


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize(
    "query", [{"after": "nope"}, {"modified_since": "last week"}, {"page_size": "0"}]
)
def test_bad_feed_parameters_are_a_400_naming_the_parameter(client, feed, query):
    response = client.get(feed, query)
    assert response.status_code == 400
    assert next(iter(query)) in response.content.decode()


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_queries_stay_constant_as_claims_grow(
    client, many, feed, django_assert_max_num_queries
):
    for size in (2, 12):
        many(size)
        # Claims with verdict and article, their evidence with sources, their translations,
        # the scale.
        with django_assert_max_num_queries(4):
            assert client.get(feed, {"page_size": 10, "n": size}).status_code == 200
