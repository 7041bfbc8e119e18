"""A topic's list stays true to its claims, whatever door changes them (TopicListing and its
triggers): publishing, unpublishing, a language change, topics added and removed, bulk updates;
and a topic combined with another filter lists the claims both match, from one index walk."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import selectors, services
from claims.models import Claim, Topic, TopicListing
from tests.factories import make_claim, make_published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def economy():
    return Topic.objects.create(name="Economy", slug="economy")


@pytest.fixture
def health():
    return Topic.objects.create(name="Health", slug="health")


def listing(claim) -> set[tuple]:
    return set(
        TopicListing.objects.filter(claim=claim).values_list(
            "topic__slug", "status", "language", "published_at"
        )
    )


def topic_page(**filters) -> list[int]:
    page = selectors.claim_list_page(selectors.ClaimFilters(**filters))
    return [claim.pk for claim in page.claims]


def test_publishing_and_unpublishing_moves_the_claim_in_and_out_of_its_topics(
    fact_checker, editor, economy
):
    claim = make_claim(created_by=fact_checker, language="en", topics=[economy])
    assert listing(claim) == {("economy", "new", "en", None)}
    assert topic_page(topic="economy") == []

    claim = make_published_claim(
        checker=fact_checker, editor=editor, language="en", topics=[economy]
    )
    assert listing(claim) == {("economy", "published", "en", claim.published_at)}
    assert topic_page(topic="economy") == [claim.pk]

    services.claim_unpublish(claim=claim, actor=editor, reason="A source was withdrawn.")
    claim.refresh_from_db()
    assert {row[:2] for row in listing(claim)} == {("economy", claim.status)}
    assert topic_page(topic="economy") == []


def test_topics_added_and_removed_through_the_service_and_the_manager(
    fact_checker, editor, economy, health
):
    claim = make_published_claim(checker=fact_checker, editor=editor, topics=[economy])
    claim = services.claim_update(claim=claim, actor=editor, topics=[economy, health])
    assert {row[0] for row in listing(claim)} == {"economy", "health"}
    assert topic_page(topic="health") == [claim.pk]

    claim.topics.remove(economy)
    assert {row[0] for row in listing(claim)} == {"health"}
    assert topic_page(topic="economy") == []

    claim.topics.clear()
    assert listing(claim) == set()
    # A deleted topic takes its rows with it.
    claim.topics.add(health)
    health.delete()
    assert listing(claim) == set()


def test_language_and_publication_time_follow_any_write_even_a_bulk_update(
    fact_checker, editor, economy
):
    claim = make_published_claim(
        checker=fact_checker, editor=editor, language="en", topics=[economy]
    )
    assert topic_page(topic="economy", language="it") == []
    earlier = timezone.now() - timedelta(days=400)
    Claim.objects.filter(pk=claim.pk).update(language="it", published_at=earlier)
    assert listing(claim) == {("economy", "published", "it", earlier)}
    assert topic_page(topic="economy", language="it") == [claim.pk]
    assert topic_page(topic="economy", language="en") == []
    day = earlier.date()
    assert topic_page(topic="economy", since=day - timedelta(days=1), until=day) == [claim.pk]
    assert topic_page(topic="economy", since=day + timedelta(days=2)) == []


def test_a_deleted_claim_leaves_no_listing(fact_checker, economy):
    claim = make_claim(created_by=fact_checker, topics=[economy])
    claim.delete()
    assert not TopicListing.objects.exists()


def test_a_topic_with_other_filters_lists_what_matches_all_of_them_in_order_by_cursor(
    fact_checker, editor, economy, health
):
    start = timezone.now() - timedelta(days=2)
    made = []
    for n in range(7):
        topics = [economy] if n % 2 else [economy, health]
        claim = make_published_claim(
            checker=fact_checker,
            editor=editor,
            language="it" if n < 5 else "en",
            verdict_code="false" if n % 3 else "true",
            topics=topics,
        )
        Claim.objects.filter(pk=claim.pk).update(published_at=start + timedelta(hours=n))
        made.append(claim.pk)
    newest_first = made[::-1]
    italian = [pk for pk in newest_first if made.index(pk) < 5]
    assert topic_page(topic="economy") == newest_first
    assert topic_page(topic="economy", language="it") == italian
    assert topic_page(topic="economy", language="fr") == []
    assert topic_page(topic="health", verdict="true") == [made[6], made[0]]
    assert topic_page(topic="nowhere") == []

    # Walked by cursor, both ways, two at a time.
    filters = selectors.ClaimFilters(topic="economy", language="it")
    seen, options = [], {}
    while True:
        page = selectors.claim_list_page(filters, size=2, **options)
        seen += [claim.pk for claim in page.claims]
        if not page.older:
            break
        options = page.older
    assert seen == italian
    back = selectors.claim_list_page(filters, size=2, before=page.newer["before"])
    assert [claim.pk for claim in back.claims] == italian[-3:-1]
    numbered = selectors.claim_list_page(filters, size=2, page=2)
    assert [claim.pk for claim in numbered.claims] == italian[2:4]


def test_the_two_filters_that_match_nothing_together_are_answered_from_the_listing_index(
    client, fact_checker, editor, economy
):
    make_published_claim(checker=fact_checker, editor=editor, language="en", topics=[economy])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/claims/", {"language": "it", "topic": "economy"})
    assert response.status_code == 200
    listed = [q["sql"] for q in queries.captured_queries if "claims_topiclisting" in q["sql"]]
    assert listed, "the topic's list does not walk the listing"
    assert all("claims_claim_topics" not in sql for sql in listed)
