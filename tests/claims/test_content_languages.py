"""A check in each site language: written once in its own language, translated into others,
and shown to a reader only in a language it has really been written in."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from claims import services
from claims.demo import load_demo
from claims.exceptions import TransitionNotAllowed
from claims.models import ClaimTranslation
from tests.factories import ArticleFactory, make_published_claim

pytestmark = pytest.mark.django_db

ITALIAN = "Il Kazakistan ha speso 918 milioni di dollari per la difesa."
ENGLISH = "Kazakhstan spent $918 million on defence."


@pytest.fixture
def italian_claim(fact_checker, editor):
    article = ArticleFactory(language="it", text=f"Secondo il Wsj, {ITALIAN} Poi altro.")
    claim = make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=article,
        quote=ITALIAN,
        claim_reviewed="Il Kazakistan ha speso 918 milioni per la difesa",
    )
    evidence = claim.evidence.get()
    services.evidence_note_translation_set(
        evidence=evidence, language="en", note="The budget law says otherwise.", actor=editor
    )
    return claim


def url_in(claim, language: str) -> str:
    with override(language):
        return claim.get_absolute_url()


def claim_reviews(body: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return [data for data in map(json.loads, blocks) if data.get("@type") == "ClaimReview"]


def translate(claim, editor, **fields):
    fields.setdefault("claim_reviewed", "Kazakhstan spent $918 million on defence")
    fields.setdefault("rationale", "The **budget law** gives a different figure.")
    return services.claim_translation_set(claim=claim, language="en", actor=editor, **fields)


def test_an_untranslated_check_says_where_it_can_be_read_in_the_readers_language(
    client, italian_claim
):
    body = client.get(url_in(italian_claim, "en")).content.decode()
    italian_url = url_in(italian_claim, "it")
    assert f'This check is available in <a href="{italian_url}" hreflang="it">Italian</a>.' in body
    # No Italian text under the English interface, and no review of a check it does not show.
    assert "Kazakistan" not in body and "Official data differ" not in body
    assert claim_reviews(body) == []
    assert '<meta name="robots" content="noindex">' in body
    # hreflang names the real translation only, not this page.
    assert f'<link rel="alternate" hreflang="it" href="http://testserver{italian_url}">' in body
    assert 'hreflang="en" href' not in body.split("</head>")[0]


def test_a_translated_check_reads_wholly_in_the_readers_language(client, italian_claim, editor):
    translate(italian_claim, editor)
    english = client.get(url_in(italian_claim, "en")).content.decode()
    assert '<h1 lang="en">Kazakhstan spent $918 million on defence</h1>' in english
    assert "<strong>budget law</strong>" in english
    assert "The budget law says otherwise." in english  # the evidence note's translation
    assert "Official data differ" not in english
    head = english.split("</head>")[0]
    assert 'hreflang="en"' in head and 'hreflang="it"' in head
    italian = client.get(url_in(italian_claim, "it")).content.decode()
    assert '<h1 lang="it">Il Kazakistan ha speso 918 milioni per la difesa</h1>' in italian
    assert "Official data differ" in italian and "budget law" not in italian


def test_each_language_has_its_own_claimreview(client, italian_claim, editor):
    translate(italian_claim, editor)
    (english,) = claim_reviews(client.get(url_in(italian_claim, "en")).content.decode())
    (italian,) = claim_reviews(client.get(url_in(italian_claim, "it")).content.decode())
    assert english["inLanguage"] == "en" and italian["inLanguage"] == "it"
    assert english["claimReviewed"] == "Kazakhstan spent $918 million on defence"
    assert italian["claimReviewed"] == "Il Kazakistan ha speso 918 milioni per la difesa"
    assert english["reviewRating"]["alternateName"] == "False"
    assert italian["reviewRating"]["alternateName"] == "Falso"
    assert english["url"].endswith(url_in(italian_claim, "en"))
    assert italian["url"].endswith(url_in(italian_claim, "it"))


def test_a_translation_longer_than_its_field_is_refused_with_a_message(italian_claim, editor):
    with pytest.raises(ValidationError) as refused:
        translate(italian_claim, editor, claim_reviewed="x" * 141)
    assert refused.value.message_dict["claim_reviewed"] == [
        "Keep the short wording to 140 characters (it has 141)."
    ]
    with pytest.raises(ValidationError) as refused:
        services.evidence_note_translation_set(
            evidence=italian_claim.evidence.get(), language="en", note="x" * 5001, actor=editor
        )
    assert "5000 characters" in refused.value.message_dict["note"][0]
    assert not ClaimTranslation.objects.exists()


def test_a_translation_into_the_claims_own_or_an_unknown_language_is_refused(italian_claim, editor):
    for language in ("it", "de"):
        with pytest.raises(ValidationError) as refused:
            services.claim_translation_set(
                claim=italian_claim, language=language, claim_reviewed="x", actor=editor
            )
        assert "language" in refused.value.message_dict
    assert not ClaimTranslation.objects.exists()


def test_a_translation_changes_the_claims_version_and_an_empty_one_removes_it(
    italian_claim, editor
):
    italian_claim.refresh_from_db()
    version = italian_claim.version
    translate(italian_claim, editor)
    italian_claim.refresh_from_db()
    assert italian_claim.version == version + 1
    translate(italian_claim, editor, claim_reviewed="", rationale="")
    assert not ClaimTranslation.objects.exists()


def test_a_fact_checker_may_not_translate_a_published_check(italian_claim, fact_checker):
    with pytest.raises(Exception, match="may not change"):
        translate(italian_claim, fact_checker)


def test_publishing_can_require_the_desks_main_language(settings, fact_checker, editor):
    settings.FACTDESK_MAIN_LANGUAGE = "en"
    settings.FACTDESK_PUBLISH_NEEDS_MAIN_LANGUAGE = True
    article = ArticleFactory(language="it", text=f"Secondo il Wsj, {ITALIAN} Poi altro.")
    with pytest.raises(TransitionNotAllowed, match="into English"):
        make_published_claim(checker=fact_checker, editor=editor, article=article, quote=ITALIAN)
    claim = article.claims.get()
    translate(claim, editor)
    claim = services.claim_publish(claim=claim, actor=editor)
    assert claim.is_published


def test_without_the_setting_an_italian_check_publishes_alone(settings, fact_checker, editor):
    settings.FACTDESK_PUBLISH_NEEDS_MAIN_LANGUAGE = False
    article = ArticleFactory(language="it", text=f"Secondo il Wsj, {ITALIAN} Poi altro.")
    claim = make_published_claim(
        checker=fact_checker, editor=editor, article=article, quote=ITALIAN
    )
    assert claim.is_published


def test_search_finds_a_check_by_its_wording_in_any_of_its_languages(
    client, italian_claim, editor, django_capture_on_commit_callbacks
):
    url = url_in(italian_claim, "en")
    assert url not in client.get("/en/claims/", {"q": "defence"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        translate(italian_claim, editor)
    assert url in client.get("/en/claims/", {"q": "defence"}).content.decode()
    italian = client.get("/it/claims/", {"q": "Kazakistan"}).content.decode()
    assert url_in(italian_claim, "it") in italian


def test_lists_show_each_check_in_the_readers_language_where_it_is_translated(
    client, italian_claim, editor, fact_checker
):
    translate(italian_claim, editor)
    for path in ("/en/", "/en/claims/", url_in(italian_claim.article, "en")):
        body = client.get(path).content.decode()
        assert '<a class="claim-card-title"' in body or 'class="check-wording"' in body, path
        assert "Kazakhstan spent $918 million on defence" in body, path
        assert "Il Kazakistan ha speso 918 milioni per la difesa" not in body, path
    italian = client.get("/it/claims/").content.decode()
    assert "Il Kazakistan ha speso 918 milioni per la difesa" in italian
    assert "Kazakhstan spent" not in italian


def test_the_demo_desk_writes_in_italian_with_english_for_some_checks(client):
    article = load_demo().article
    published = article.claims.filter(status="published").prefetch_related("translations")
    assert published and all(claim.language == "it" for claim in published)
    translated = [claim for claim in published if claim.translations.all()]
    untranslated = [claim for claim in published if not claim.translations.all()]
    assert translated and untranslated
    english = client.get(url_in(translated[0], "en")).content.decode()
    assert f'<h1 lang="en">{translated[0].translations.all()[0].claim_reviewed}</h1>' in english
    elsewhere = client.get(url_in(untranslated[0], "en")).content.decode()
    assert (
        "This check is available in" in elsewhere
        and untranslated[0].claim_reviewed not in elsewhere
    )
    italian = client.get(url_in(untranslated[0], "it")).content.decode()
    assert f'<h1 lang="it">{untranslated[0].claim_reviewed}</h1>' in italian


def test_the_claimreview_data_feed_holds_one_review_per_language(client, italian_claim, editor):
    translate(italian_claim, editor)
    feed = json.loads(client.get("/feeds/claimreview.json").content)
    (element,) = feed["dataFeedElement"]
    reviews = {review["inLanguage"]: review for review in element["item"]}
    assert reviews.keys() == {"en", "it"}
    assert reviews["en"]["claimReviewed"] == "Kazakhstan spent $918 million on defence"
    assert reviews["en"]["reviewRating"]["alternateName"] == "False"
    assert reviews["it"]["reviewRating"]["alternateName"] == "Falso"


def test_the_oembed_title_is_the_check_in_its_pages_language(client, italian_claim, editor):
    from django.urls import reverse as django_reverse

    def oembed(language, accept):
        url = "http://testserver" + url_in(italian_claim, language)
        response = client.get(
            django_reverse("oembed"), {"url": url}, headers={"Accept-Language": accept}
        )
        assert response.status_code == 200, response.content
        return response.json()

    # The Italian page, asked for by an English consumer, and the reverse.
    italian = oembed("it", "en")
    assert italian["title"] == "Il Kazakistan ha speso 918 milioni per la difesa"
    assert "/it/claims/" in italian["html"]
    # Not translated yet: the title as written (never an empty or mixed one).
    assert oembed("en", "it")["title"] == "Il Kazakistan ha speso 918 milioni per la difesa"
    translate(italian_claim, editor)
    english = oembed("en", "it")
    assert english["title"] == "Kazakhstan spent $918 million on defence"
    assert "/en/claims/" in english["html"]


def test_the_embed_card_of_an_untranslated_check_links_where_it_can_be_read(client, italian_claim):
    with override("en"):
        card = client.get(reverse("claims:claim_embed", kwargs={"slug": italian_claim.slug}))
    body = card.content.decode()
    assert '<p class="embed-claim" lang="it">' in body  # the wording as written, marked
    italian_url = url_in(italian_claim, "it")
    assert f'href="{italian_url}" hreflang="it"' in body
    assert "Read the full check (Italian)" in body


def test_the_embed_card_of_a_translated_check_reads_in_its_language(client, italian_claim, editor):
    translate(italian_claim, editor)
    with override("en"):
        card = client.get(reverse("claims:claim_embed", kwargs={"slug": italian_claim.slug}))
    body = card.content.decode()
    assert f'href="{url_in(italian_claim, "en")}" hreflang="en"' in body
    assert "Kazakhstan spent $918 million on defence" in body
    assert ">Read the full check</a>" in body
