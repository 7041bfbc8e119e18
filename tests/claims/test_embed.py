"""The publisher embed's endpoint, script and demo page (claims/embed.py), and the per-publisher
origins that may read it (Outlet.embed_origins)."""

import gzip

import pytest
from django.core.exceptions import ValidationError

from claims import embed, services
from lib.origins import parse_origin
from tests.factories import ArticleFactory, OutletFactory, make_claim, make_published_claim

pytestmark = pytest.mark.django_db

PUBLISHER = "https://www.outlet.example"


@pytest.fixture
def published(fact_checker, editor):
    outlet = OutletFactory(embed_origins=PUBLISHER)
    article = ArticleFactory(outlet=outlet, slug="budget-story")
    claim = make_published_claim(checker=fact_checker, editor=editor, article=article)
    return claim


def checks_url(slug="budget-story", lang="en"):
    return f"/embed/v1/articles/{slug}/checks.json?lang={lang}"


def test_endpoint_lists_published_checks_with_anchor_verdict_and_link(client, published):
    response = client.get(checks_url())
    assert response.status_code == 200
    data = response.json()
    assert data["language"] == "en"
    [check] = data["checks"]
    assert check["quote"] == "unemployment fell to 6.1% in 2023"
    assert check["prefix"].endswith("The minister said ")
    assert check["suffix"].startswith(", the lowest")
    assert check["verdict"]["label"] == "False"
    assert check["summary"] == "Official data differ."
    assert check["url"].endswith(f"/en/claims/{published.slug}/")
    assert check["url"].startswith("http")


def test_endpoint_speaks_the_publisher_pages_language(client, published):
    data = client.get(checks_url(lang="it-IT")).json()
    assert data["language"] == "it"
    assert data["checks"][0]["verdict"]["label"] == "Falso"
    # The English check is not translated: its link leads to the page it can be read on.
    assert data["checks"][0]["url"].endswith(f"/en/claims/{published.slug}/")
    assert data["labels"]["read"] != "Read the full check"
    # A language the desk does not speak falls back to the desk's own.
    assert client.get(checks_url(lang="xx")).json()["language"] == "en"


def test_article_with_no_published_checks_is_an_empty_list(client, fact_checker):
    article = ArticleFactory(slug="draft-only")
    make_claim(article=article, created_by=fact_checker)  # a draft: readers never see it
    for slug in ("draft-only", "no-such-article"):
        response = client.get(checks_url(slug))
        assert response.status_code == 200
        assert response.json()["checks"] == []


def test_cors_only_for_the_publishers_configured_origins(client, published):
    allowed = client.get(checks_url(), headers={"Origin": PUBLISHER})
    assert allowed["Access-Control-Allow-Origin"] == PUBLISHER
    assert "Origin" in allowed["Vary"]
    other = client.get(checks_url(), headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    assert other.json() == allowed.json()  # the data is public; only cross-site reads differ


def test_endpoint_is_cacheable_and_answers_304_to_its_etag(client, published):
    first = client.get(checks_url())
    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = client.get(checks_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_endpoint_cost_is_bounded(client, published, django_assert_max_num_queries):
    # 1: the article and its outlet; 2: its published checks with their verdicts.
    with django_assert_max_num_queries(2):
        client.get(checks_url())


def test_a_correction_reaches_the_endpoint(client, published, editor):
    etag = client.get(checks_url())["ETag"]
    services.claim_unpublish(claim=published, actor=editor, reason="Under review again.")
    response = client.get(checks_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["checks"] == []


def test_one_line_keeps_the_first_sentence_short():
    assert embed.one_line("<p>It was 7.4%. The ministry <em>rounded</em> it.</p>") == "It was 7.4%."
    long = embed.one_line("<p>" + "word " * 100 + "</p>")
    assert len(long) <= embed.SUMMARY_CHARS and long.endswith("…")


@pytest.mark.parametrize(
    ("written", "origin"),
    [
        ("https://www.Example.com/news/story.html", "https://www.example.com"),
        ("http://localhost:8410/", "http://localhost:8410"),
        ("https://example.com:443", "https://example.com"),
    ],
)
def test_origins_are_stored_as_browsers_send_them(written, origin):
    assert parse_origin(written) == origin


@pytest.mark.parametrize(
    "bad", ["example.com", "javascript:alert(1)", "ftp://x.example", "https://"]
)
def test_an_origin_that_is_not_a_web_address_is_refused_with_a_message(bad):
    outlet = OutletFactory.build(domain="x.example", name="X", embed_origins=f"{PUBLISHER}\n{bad}")
    with pytest.raises(ValidationError) as error:
        outlet.full_clean()
    message = " ".join(error.value.message_dict["embed_origins"])
    assert "is not a web address" in message


def test_outlet_admin_form_shows_a_bad_origin_as_a_field_error(admin_client):
    outlet = OutletFactory()
    response = admin_client.post(
        f"/admin/sources/outlet/{outlet.pk}/change/",
        {
            "name": outlet.name,
            "domain": outlet.domain,
            "reliability": "unrated",
            "embed_origins": "not a url",
        },
    )
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()
    outlet.refresh_from_db()
    assert outlet.embed_origins == ""


def test_script_is_small_and_served_at_a_stable_address(client):
    response = client.get("/embed/v1/factdesk.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    size = len(gzip.compress(response.content, compresslevel=9))
    print(f"embed script: {len(response.content)} bytes, {size} bytes gzipped")
    assert size < 5 * 1024


def test_demo_page_shows_the_article_on_another_layout_with_the_script(client, published):
    response = client.get("/embed/demo/budget-story/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-article="budget-story"' in html
    assert "/embed/v1/factdesk.js" in html
    assert "(updated)" in html  # the sentence the "publisher" edited after the check


# The reader's language: each check translated where the desk has, else as written, marked.

ITALIAN = "Il Kazakistan ha speso 918 milioni di dollari per la difesa."


@pytest.fixture
def italian_checks(fact_checker, editor):
    """An Italian article with two published checks, the first translated into English."""
    outlet = OutletFactory(embed_origins=PUBLISHER)
    other = "La Russia ha chiesto aiuto due volte."
    article = ArticleFactory(
        outlet=outlet, slug="kazakistan", language="it", text=f"Secondo il Wsj, {ITALIAN} {other}"
    )
    claims = [
        make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=article,
            quote=quote,
            language="it",
            claim_reviewed=wording,
        )
        for quote, wording in (
            (ITALIAN, "Il Kazakistan ha speso 918 milioni per la difesa"),
            (other, "La Russia ha chiesto aiuto due volte"),
        )
    ]
    services.claim_translation_set(
        claim=claims[0],
        language="en",
        claim_reviewed="Kazakhstan spent $918 million on defence",
        rationale="The budget law gives a different figure. It is in the annex.",
        actor=editor,
    )
    return claims


def test_an_english_page_gets_the_translated_check_and_the_other_as_written(client, italian_checks):
    data = client.get(checks_url("kazakistan", lang="en-GB")).json()
    translated, untranslated = data["checks"]
    assert translated["language"] == "en"
    assert translated["claim"] == "Kazakhstan spent $918 million on defence"
    assert translated["summary"] == "The budget law gives a different figure."
    assert translated["verdict"]["label"] == "False"
    assert translated["url"].endswith(f"/en/claims/{italian_checks[0].slug}/")
    assert "read" not in translated  # the labels' "Read the full check" says it
    # Not translated: the Italian text, marked Italian, linking to the page it can be read on.
    assert untranslated["language"] == "it"
    assert untranslated["claim"] == "La Russia ha chiesto aiuto due volte"
    assert untranslated["summary"] == "Official data differ."  # the claim's own rationale
    assert untranslated["verdict"]["label"] == "False"  # the interface stays English
    assert untranslated["url"].endswith(f"/it/claims/{italian_checks[1].slug}/")
    assert untranslated["read"] == "Read the full check (Italian)"
    assert data["labels"]["read"] == "Read the full check"


def test_an_italian_page_gets_the_italian_checks(client, italian_checks):
    data = client.get(checks_url("kazakistan", lang="it")).json()
    assert [check["language"] for check in data["checks"]] == ["it", "it"]
    assert data["checks"][0]["claim"] == "Il Kazakistan ha speso 918 milioni per la difesa"
    assert data["checks"][0]["verdict"]["label"] == "Falso"
    assert all("/it/claims/" in check["url"] for check in data["checks"])
    assert all("read" not in check for check in data["checks"])


def test_an_english_check_on_an_italian_page_says_where_to_read_it(client, published):
    [check] = client.get(checks_url(lang="it")).json()["checks"]
    assert (check["language"], check["verdict"]["label"]) == ("en", "Falso")
    assert check["read"] == "Leggi la verifica completa (Inglese)"
    assert check["url"].endswith(f"/en/claims/{published.slug}/")


def test_a_new_translation_changes_the_etag(client, italian_checks, editor):
    etag = client.get(checks_url("kazakistan", lang="en"))["ETag"]
    services.claim_translation_set(
        claim=italian_checks[1],
        language="en",
        claim_reviewed="Russia asked for help twice",
        actor=editor,
    )
    response = client.get(checks_url("kazakistan", lang="en"), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["checks"][1]["claim"] == "Russia asked for help twice"


def test_the_translated_endpoint_still_costs_two_queries(
    client, italian_checks, django_assert_max_num_queries
):
    # 1: the article and its outlet; 2: its checks with verdicts and translations (subqueries).
    with django_assert_max_num_queries(2):
        client.get(checks_url("kazakistan", lang="en"))


def test_the_demo_page_can_be_an_english_publishers_page(client, italian_checks):
    assert '<html lang="it">' in client.get("/embed/demo/kazakistan/").content.decode()
    html = client.get("/embed/demo/kazakistan/?lang=en").content.decode()
    assert '<html lang="en">' in html
    assert '<article class="story" lang="it">' in html


def test_a_claim_in_a_language_django_cannot_name_is_still_served(client, fact_checker, editor):
    # Claim.language is free text: an imported claim may say "und" (undetermined).
    article = ArticleFactory(outlet=OutletFactory(), slug="undetermined", language="und")
    make_published_claim(checker=fact_checker, editor=editor, article=article, language="und")
    response = client.get(checks_url("undetermined", lang="it"))
    assert response.status_code == 200
    [check] = response.json()["checks"]
    assert check["language"] == "und" and check["read"].endswith("(und)")
