import json

import pytest
from django.test import override_settings

from claims import visibility
from claims.claimreview import claim_review, scale_bounds
from tests.factories import make_published_claim

pytestmark = pytest.mark.django_db


@override_settings(
    FACTDESK_ORGANIZATION_NAME="Pagella Test",
    FACTDESK_ORGANIZATION_URL="https://pagella.example",
    FACTDESK_SITE_URL="https://checks.example",
)
def test_claim_review_has_every_field_aggregators_read(fact_checker, editor):
    claim = make_published_claim(
        checker=fact_checker,
        editor=editor,
        verdict_code="false",
        claimant="Jane Minister",
        claimant_url="https://www.wikidata.org/wiki/Q42",
    )
    review = json.loads(json.dumps(claim_review(claim, bounds=scale_bounds())))
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"https://checks.example{claim.get_absolute_url()}"
    assert review["claimReviewed"] == claim.claim_reviewed
    assert review["datePublished"] == claim.published_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "Pagella Test",
        "url": "https://pagella.example",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "False",
    }
    author = review["itemReviewed"]["author"]
    assert author == {
        "@type": "Person",
        "name": "Jane Minister",
        "sameAs": "https://www.wikidata.org/wiki/Q42",
    }


def test_italian_claim_carries_the_italian_rating_name(demo):
    claim = visibility.public_claims().get(quote__contains="Csto")
    review = claim_review(claim, bounds=scale_bounds())
    assert review["reviewRating"]["alternateName"] == "Falso"
    assert review["inLanguage"] == "it"
    assert review["itemReviewed"]["datePublished"] == "2022-07-01"


def test_data_feed_lists_every_published_claim_once(demo):
    from claims.claimreview import data_feed

    published = list(visibility.public_claims().select_related("verdict", "article"))
    feed = data_feed(published, bounds=scale_bounds())
    assert feed["@type"] == "DataFeed"
    # One element per claim; its first review is in the claim's own language (the demo's
    # checks are Italian, some with an English review beside it).
    reviewed = [element["item"][0]["claimReviewed"] for element in feed["dataFeedElement"]]
    assert sorted(reviewed) == sorted(c.claim_reviewed for c in published)
    assert all("@context" not in element["item"][0] for element in feed["dataFeedElement"])
