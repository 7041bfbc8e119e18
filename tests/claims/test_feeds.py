"""Feeds, sitemap, ClaimReview JSON-LD on the claim page and the ClaimReview DataFeed."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from claims import services
from claims.models import Correction
from tests.factories import make_claim, make_published_claim, verdict

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own feed, not untrusted input


@pytest.fixture
def published(fact_checker, editor):
    return make_published_claim(
        checker=fact_checker,
        editor=editor,
        claimant="Maria Rossi",
        claimant_url="https://www.wikidata.org/wiki/Q1",
        claimed_on=None,
    )


def test_claim_page_carries_one_complete_claimreview(client, published, settings):
    settings.FACTDESK_SITE_URL = "https://checks.example"
    body = client.get(published.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    review = json.loads(blocks[0])
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == "https://checks.example" + published.get_absolute_url()
    assert review["claimReviewed"] == published.claim_reviewed
    assert review["datePublished"] == published.published_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": settings.FACTDESK_ORGANIZATION_NAME,
        "url": "https://checks.example",  # no organisation URL configured: the site's
    }
    rating = review["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "ratingValue": verdict("false").rating_value,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "False",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Person",
        "name": "Maria Rossi",
        "sameAs": "https://www.wikidata.org/wiki/Q1",
    }


def test_claim_page_has_open_graph_and_twitter_cards(client, published):
    body = client.get(published.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in body
    assert f'<meta property="og:title" content="False: {published.claim_reviewed}">' in body
    assert '<meta name="twitter:card" content="summary">' in body
    assert 'property="og:url" content="http' in body
    article = client.get(published.article.get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{published.article.title}">' in article
    # The article page names its own address, absolute, for link previews and search engines.
    # FACTDESK_SITE_URL is unset here: the address the request came to (lib/site_url.py).
    article_url = "http://testserver" + published.article.get_absolute_url()
    assert f'<link rel="canonical" href="{article_url}">' in article
    assert f'<meta property="og:url" content="{article_url}">' in article


def test_verdicts_feeds_parse_and_list_published_claims_only(
    client, published, django_capture_on_commit_callbacks
):
    draft = make_claim(claim_reviewed="A draft nobody should see")
    rss = parse(client.get("/en/feeds/verdicts.rss").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert titles == [f"False: {published.claim_reviewed}"]
    assert rss.find("channel/language").text == "en"
    # The Italian feed lists the check once it is written in Italian, in Italian.
    assert not parse(client.get("/it/feeds/verdicts.atom").content).findall(f"{ATOM}entry")
    with django_capture_on_commit_callbacks(execute=True):  # retires the cached pages
        services.claim_translation_set(
            claim=published, language="it", claim_reviewed="La disoccupazione è scesa", actor=None
        )
    atom = parse(client.get("/it/feeds/verdicts.atom").content)
    entries = atom.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Falso: La disoccupazione è scesa"
    ]
    assert draft.claim_reviewed not in client.get("/en/feeds/verdicts.rss").content.decode()


def test_corrections_feeds_parse_and_link_to_the_correction(client, published, editor):
    Correction.objects.create(
        claim=published,
        note="The ministry revised its figure.",
        previous_verdict=verdict("true"),
        new_verdict=verdict("false"),
    )
    rss = parse(client.get("/en/feeds/corrections.rss").content)
    (item,) = rss.iter("item")
    assert "Verdict changed from True to False." in item.findtext("description")
    assert item.findtext("link").endswith(published.get_absolute_url() + "#corrections")
    atom = parse(client.get("/en/feeds/corrections.atom").content)
    assert len(atom.findall(f"{ATOM}entry")) == 1


def test_sitemap_lists_published_claims_and_their_articles_in_both_languages(
    client, published, django_capture_on_commit_callbacks
):
    draft = make_claim()
    root = parse(client.get("/sitemap.xml").content)
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert any(loc.endswith("/en" + published.get_absolute_url()[3:]) for loc in locations)
    # Only the languages the check is written in: no Italian page until it is translated.
    assert not any(loc.endswith("/it" + published.get_absolute_url()[3:]) for loc in locations)
    with django_capture_on_commit_callbacks(execute=True):  # retires the cached pages
        services.claim_translation_set(
            claim=published, language="it", claim_reviewed="La disoccupazione è scesa", actor=None
        )
    root = parse(client.get("/sitemap.xml").content)
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert any(loc.endswith("/it" + published.get_absolute_url()[3:]) for loc in locations)
    assert any(published.article.slug in loc for loc in locations)
    assert not any(draft.slug in loc or draft.article.slug in loc for loc in locations)


def test_claimreview_data_feed_holds_every_published_review(client, published):
    make_claim()
    response = client.get("/feeds/claimreview.json")
    assert response["Content-Type"].startswith("application/ld+json")
    feed = json.loads(response.content)
    assert feed["@type"] == "DataFeed"
    (element,) = feed["dataFeedElement"]
    assert element["@type"] == "DataFeedItem"
    (review,) = element["item"]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == published.claim_reviewed
    assert review["reviewRating"]["alternateName"] == "False"
