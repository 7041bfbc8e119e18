"""Who said it, and where (issue 20): what a reader sees of a claim's claimant, the article it
appeared in, when it was made and checked, and the article's own headings."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from claims import visibility
from claims.demo import ARTICLE_URL, CLAIMS
from claims.models import AttributionLink, Claim
from claims.services.importing import claimreview_import
from tests.factories import ArticleFactory, OutletFactory, make_published_claim

pytestmark = pytest.mark.django_db

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
CARD_META = re.compile(r'<p class="claim-card-meta">(.*?)</p>', re.S)


def item_reviewed(client, claim) -> dict:
    """itemReviewed of the ClaimReview in the JSON-LD of the claim's page in its own language
    (a page in a language the check is not written in carries no ClaimReview)."""
    with translation.override(claim.language):
        url = claim.get_absolute_url()
    html = client.get(url).content.decode()
    reviews = [json.loads(block) for block in LD_JSON.findall(html)]
    (review,) = [block for block in reviews if block.get("@type") == "ClaimReview"]
    return review["itemReviewed"]


# --- The demo's claims name who said them ----------------------------------------------------


def test_every_demo_claim_names_who_said_it_never_the_article(demo):
    claims = Claim.objects.filter(article=demo.article).select_related("speaker")
    assert claims.count() == len(CLAIMS)
    for claim in claims:
        assert claim.claimant and claim.speaker_id, claim.quote
        assert claim.claimant.lower() not in {"the article", "l'articolo", "l’articolo"}


def test_the_wsj_figure_is_a_kazakh_official_as_reported_by_the_wall_street_journal(client, demo):
    claim = Claim.objects.get(article=demo.article, quote__contains="918 milioni")
    assert claim.claimant == "Kazakh government official"
    assert claim.attribution == "a Kazakh official, as reported by the Wall Street Journal"
    chain = AttributionLink.objects.filter(claim=claim).order_by("position")
    assert [link.label for link in chain] == ["a Kazakh official", "the Wall Street Journal"]
    assert chain[1].outlet.name == "The Wall Street Journal"
    # The article's own statements are the outlet's, an organisation, never a person.
    own = visibility.public_claims().get(quote__contains="Csto")
    assert item_reviewed(client, own)["author"] == {
        "@type": "Organization",
        "name": "Tag43",
        "sameAs": "https://www.tag43.it/",
    }


def test_json_ld_leaves_the_author_out_when_no_claimant_is_known(client, fact_checker, editor):
    claim = make_published_claim(checker=fact_checker, editor=editor, claimant="")
    item = item_reviewed(client, claim)
    assert "author" not in item
    assert item["@type"] == "Claim"


# --- The article it appeared in ---------------------------------------------------------------


def test_appearance_links_the_article_where_the_claim_appeared(client, demo):
    claim = visibility.public_claims().get(quote__contains="più di 200")
    item = item_reviewed(client, claim)
    assert item["appearance"][0] == {"@type": "CreativeWork", "url": demo.article.url}
    assert demo.article.url.startswith(ARTICLE_URL.rstrip("/"))
    assert item["datePublished"] == "2022-07-01"


def test_demo_article_page_shows_its_outlet_date_and_original(client, demo):
    html = client.get(demo.article.get_absolute_url()).content.decode()
    meta = re.search(r'<p class="article-meta">(.*?)</p>', html, re.S).group(1)
    assert '<a href="/en/outlets/tag43.it/"><bdi>Tag43</bdi></a>' in meta
    assert '<time datetime="2022-07-01">July 2022</time>' in meta
    assert f'href="{demo.article.url}"' in meta


def test_the_demo_outlets_page_lists_the_checks_of_its_article(client, demo):
    # The Italian site: the demo desk writes its checks in Italian.
    response = client.get("/it/outlets/tag43.it/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tag43" in html
    assert "Nelle proteste di gennaio 2022 in Kazakistan sono morte più di 200 persone." in html


def test_article_page_shows_outlet_author_and_date(client, fact_checker, editor):
    article = ArticleFactory(
        outlet=OutletFactory(name="Daily Example", domain="daily.example"),
        byline="Ann Writer",
        published_on=date(2024, 3, 5),
        url="https://daily.example/jobs",
    )
    make_published_claim(checker=fact_checker, editor=editor, article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    meta = re.search(r'<p class="article-meta">(.*?)</p>', html, re.S).group(1)
    assert "<bdi>Daily Example</bdi>" in meta
    assert "<bdi>Ann Writer</bdi>" in meta
    assert '<time datetime="2024-03-05">March 5, 2024</time>' in meta


# --- When it was said, when it was checked ----------------------------------------------------


def test_a_claim_card_says_when_the_claim_was_made_and_when_it_was_checked(
    client, fact_checker, editor
):
    article = ArticleFactory(published_on=date(2023, 11, 20))
    dated = make_published_claim(
        checker=fact_checker, editor=editor, article=article, claimed_on=date(2023, 11, 18)
    )
    Claim.objects.filter(pk=dated.pk).update(created_at="2020-01-01T00:00:00Z")
    cards = CARD_META.findall(client.get("/en/").content.decode())
    assert len(cards) == 1
    card = cards[0]
    # Made: the claim's own date; checked: when the desk published its verdict.
    assert 'Claimed <time datetime="2023-11-18">Nov. 18, 2023</time>' in card
    checked = dated.published_at.date()
    assert f'Checked <time datetime="{dated.published_at.isoformat()[:10]}' in card
    assert str(checked.year) in card and "2020" not in card


def test_a_claim_card_falls_back_on_the_article_date_at_its_precision(client, demo):
    cards = CARD_META.findall(client.get("/it/").content.decode())
    assert cards
    for card in cards:
        assert 'Affermazione del <time datetime="2022-07-01">Luglio 2022</time>' in card
        assert "Verificata il <time" in card


def test_an_undated_import_shows_no_checked_date_rather_than_the_day_it_was_loaded(client):
    call_command("import_claims_csv", str(Path(__file__).parent / "data" / "pagella_shape.csv"))
    claim = visibility.public_claims().select_related("speaker").first()
    html = client.get(claim.speaker.get_absolute_url()).content.decode()
    cards = CARD_META.findall(html)
    assert cards
    for card in cards:
        assert "Checked" not in card and "<time" not in card


def test_an_imported_review_is_checked_on_its_own_date(client, fact_checker):
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checker.example/review-1",
        "claimReviewed": "Unemployment fell to 6.1% in 2023.",
        "datePublished": "2021-03-05",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Minister"}},
    }
    claimreview_import(document=review, actor=fact_checker)
    claim = Claim.objects.get(import_key__isnull=False)
    assert claim.checked_at.date() == date(2021, 3, 5)
    cards = CARD_META.findall(client.get("/en/").content.decode())
    assert any('Checked <time datetime="2021-03-05' in card for card in cards)


# --- Headings inside the article's text -------------------------------------------------------


HEADED_TEXT = (
    "The minister said unemployment fell to 6.1% in 2023, the lowest since 2008.\n\n"
    "What the figures say\n\n"
    "According to Reuters, exports rose by 12 per cent. Critics say the figures are wrong."
)


def test_headings_inside_an_article_render_as_headings_and_anchors_stay_right(
    client, fact_checker, editor
):
    article = ArticleFactory(text=HEADED_TEXT)
    first = make_published_claim(checker=fact_checker, editor=editor, article=article)
    second = make_published_claim(
        checker=fact_checker, editor=editor, article=article, quote="exports rose by 12 per cent"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="article-text"', 1)[1].split("</div>", 1)[0]
    assert '<h2 class="article-heading">What the figures say</h2>' in body
    # The highlighted text of each check is still exactly its quote, before and after the
    # heading, and the paragraphs around the heading stay paragraphs.
    marks = re.findall(r'<mark class="check[^"]*" data-checks="(\d+)"[^>]*>(.*?)</mark>', body)
    assert marks == [("1", first.quote), ("2", second.quote)]
    assert body.count("<p>") == 2


def test_a_check_anchored_in_a_heading_is_highlighted_inside_it(client, fact_checker, editor):
    article = ArticleFactory(text=HEADED_TEXT)
    make_published_claim(
        checker=fact_checker, editor=editor, article=article, quote="What the figures say"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    heading = re.search(r'<h2 class="article-heading">(.*?)</h2>', html, re.S).group(1)
    assert re.search(r"<mark [^>]*>What the figures say</mark>", heading)
    assert 'href="#check-1"' in heading


def test_the_demo_articles_subheadings_are_headings(client, demo):
    html = client.get(demo.article.get_absolute_url()).content.decode()
    headings = re.findall(r'<h2 class="article-heading">(.*?)</h2>', html, re.S)
    assert [re.sub(r"<[^>]+>", "", h) for h in headings] == [
        "L’affronto di Tokayev a Putin sul riconoscimento di Donetsk e Lugansk",
        "Come sta cambiando l’equilibrio tra Cina e Russia in Kazakistan",
    ]


def test_the_embed_demo_page_shows_the_articles_headings_too(client, demo):
    html = client.get(f"/embed/demo/{demo.article.slug}/").content.decode()
    assert "<h2>Come sta cambiando l’equilibrio tra Cina e Russia in Kazakistan</h2>" in html
    assert "<p>Come sta cambiando" not in html
