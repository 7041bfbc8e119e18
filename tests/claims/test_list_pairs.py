"""Any two of the claims list's filters together list exactly the claims both match, newest
first, and a pair that matches nothing is answered (an empty page, not refused): issue 19's
pairs (verdict, language, outlet, claimant, topic, search), each value from the InitPlan ids and
the topic listing's copies (TopicListing's verdict and language)."""

from datetime import timedelta
from itertools import combinations

import pytest
from django.utils import timezone

from claimants.models import Claimant
from claims import selectors
from claims.models import Claim, Topic, TopicListing
from tests.factories import ArticleFactory, OutletFactory, make_published_claim

pytestmark = pytest.mark.django_db

QUOTE = "unemployment fell to 6.1% in 2023"


@pytest.fixture
def desk(fact_checker, editor):
    """Six published claims over two values of each filter; every pair of a value of one
    filter and a value of another matches some of them, or none."""
    outlets = [OutletFactory(domain="one.example"), OutletFactory(domain="two.example")]
    speakers = [
        Claimant.objects.create(name="Ada Rossi", slug="ada-rossi"),
        Claimant.objects.create(name="Bo Chen", slug="bo-chen"),
    ]
    topics = [
        Topic.objects.create(name="Economy", slug="economy"),
        Topic.objects.create(name="Health", slug="health"),
    ]
    # (verdict, language, outlet, claimant, topic): each filter's first or second value with
    # some value of any other matches nothing ("true" is only in English, on the first outlet,
    # by Bo Chen, in Economy; Italian only on the second outlet, by Ada Rossi, in Economy...).
    shapes = [
        ("false", "it", 1, 0, 0),
        ("true", "en", 0, 1, 0),
        ("false", "en", 1, 1, 1),
        ("false", "en", 1, 1, 1),
        ("true", "en", 0, 1, 0),
        ("false", "en", 1, 0, None),
    ]
    start = timezone.now() - timedelta(days=3)
    rows = []
    for n, (verdict, language, outlet, speaker, topic) in enumerate(shapes):
        article = ArticleFactory(outlet=outlets[outlet])
        claim = make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=article,
            quote=QUOTE if n % 2 else "exports rose by 12 per cent",
            verdict_code=verdict,
            language=language,
            speaker=speakers[speaker],
            topics=[] if topic is None else [topics[topic]],
        )
        Claim.objects.filter(pk=claim.pk).update(published_at=start + timedelta(hours=n))
        rows.append(
            {
                "pk": claim.pk,
                "verdict": verdict,
                "language": language,
                "outlet": outlets[outlet].domain,
                "claimant": speakers[speaker].slug,
                "topic": None if topic is None else topics[topic].slug,
                "q": "unemployment" if n % 2 else "exports",
            }
        )
    return rows


VALUES = {
    "verdict": ["false", "true"],
    "language": ["it", "en"],
    "outlet": ["one.example", "two.example"],
    "claimant": ["ada-rossi", "bo-chen"],
    "topic": ["economy", "health"],
    "q": ["unemployment", "exports"],
}


def listed(**filters) -> tuple[list[int], int]:
    page = selectors.claim_list_page(selectors.ClaimFilters(**filters))
    return [claim.pk for claim in page.claims], page.count


@pytest.mark.parametrize("first,second", list(combinations(VALUES, 2)))
def test_every_pair_of_filters_lists_what_both_match_newest_first(desk, first, second):
    empty = 0
    for a in VALUES[first]:
        for b in VALUES[second]:
            expected = [row["pk"] for row in reversed(desk) if row[first] == a and row[second] == b]
            pks, count = listed(**{first: a, second: b})
            if "q" in (first, second):  # ranked: the same claims, best match first
                assert sorted(pks) == sorted(expected), (first, a, second, b)
            else:
                assert pks == expected, (first, a, second, b)
            assert count == len(expected)
            empty += not expected
    # The fixture gives every pair of filters but the search's a combination that is empty.
    if "q" not in (first, second):
        assert empty, f"no empty combination of {first} and {second}: the test shows nothing"


def test_the_pairs_that_match_nothing_are_answered_over_http(client, desk):
    urls = [Claim.objects.get(pk=row["pk"]).get_absolute_url() for row in desk]
    everything = client.get("/en/claims/").content.decode()
    assert all(url in everything for url in urls)
    for query in (
        {"verdict": "true", "language": "it"},
        {"verdict": "true", "topic": "health"},
        {"claimant": "ada-rossi", "outlet": "one.example"},
        {"claimant": "ada-rossi", "topic": "health"},
        {"language": "it", "outlet": "one.example"},
        {"language": "it", "claimant": "bo-chen", "verdict": "false"},
    ):
        response = client.get("/en/claims/", query)
        assert response.status_code == 200, query
        assert not any(url in response.content.decode() for url in urls), query


def test_a_change_of_verdict_moves_the_claim_between_its_topics_verdict_lists(desk):
    pk = next(row["pk"] for row in desk if row["verdict"] == "true" and row["topic"] == "economy")
    assert pk in listed(topic="economy", verdict="true")[0]
    # A bulk update, which no save() or signal sees: the trigger does.
    Claim.objects.filter(pk=pk).update(verdict=None)
    assert TopicListing.objects.get(claim_id=pk).verdict_id is None
    assert pk not in listed(topic="economy", verdict="true")[0]
    false = Claim.objects.exclude(verdict=None).filter(verdict__code="false").first().verdict
    Claim.objects.filter(pk=pk).update(verdict=false)
    assert TopicListing.objects.get(claim_id=pk).verdict_id == false.pk
    assert pk in listed(topic="economy", verdict="false")[0]


def test_a_change_of_claimant_moves_the_claim_between_its_topics_claimant_lists(desk):
    pk = next(row["pk"] for row in desk if row["claimant"] == "bo-chen" and row["topic"])
    topic = next(row["topic"] for row in desk if row["pk"] == pk)
    assert pk in listed(topic=topic, claimant="bo-chen")[0]
    ada = Claimant.objects.get(slug="ada-rossi")
    Claim.objects.filter(pk=pk).update(speaker=ada)
    assert TopicListing.objects.get(claim_id=pk).speaker_id == ada.pk
    assert pk not in listed(topic=topic, claimant="bo-chen")[0]
    assert pk in listed(topic=topic, claimant="ada-rossi")[0]
    Claim.objects.filter(pk=pk).update(speaker=None)
    assert TopicListing.objects.get(claim_id=pk).speaker_id is None
    assert pk not in listed(topic=topic, claimant="ada-rossi")[0]
