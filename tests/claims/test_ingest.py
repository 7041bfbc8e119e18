import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from claims.choices import AnchorState
from claims.models import Article, ArticleRevision
from claims.services.articles import article_update_text
from claims.services.ingest import (
    article_ingest_text,
    article_ingest_url,
    extract_article,
    guess_language,
)
from lib.fetching import FetchPolicy, FetchResult
from tests.factories import make_claim
from tests.rebinding import assert_went_only_to_the_checked_address

LOCAL = FetchPolicy(allow_loopback=True, timeout=2)
PARAGRAPH = (
    "Il Kazakistan ha destinato 918 milioni di dollari alla difesa, come riferisce il Wall "
    "Street Journal, aumentando di quasi una volta e mezzo il budget dello scorso anno."
)


def page(paragraph=PARAGRAPH, lang="it"):
    return f"""<!doctype html><html lang="{lang}"><head><title>Kazakistan e Russia</title>
    <meta name="author" content="Maria Bianchi">
    <meta property="article:published_time" content="2022-07-14T08:00:00+02:00"></head>
    <body><nav><a href="/">Home</a> <a href="/esteri">Esteri</a></nav>
    <article><h1>Kazakistan e Russia</h1><p>{paragraph}</p>
    <p>Secondo gli osservatori, la posizione del governo è cambiata negli ultimi mesi e la
    cooperazione con la Cina e la Turchia si è rafforzata in modo evidente.</p></article>
    <footer>© Giornale 2022 — Tutti i diritti riservati</footer></body></html>""".encode()


def test_extracts_main_text_title_byline_date_and_language():
    extracted = extract_article(page().decode(), url="https://giornale.example/a")
    assert extracted.title == "Kazakistan e Russia"
    assert extracted.byline == "Maria Bianchi"
    assert extracted.published_on == date(2022, 7, 14)
    assert extracted.language == "it"
    assert extracted.text.startswith("Il Kazakistan ha destinato 918 milioni")
    assert "Home" not in extracted.text and "diritti riservati" not in extracted.text


def test_language_is_guessed_from_words_when_the_page_does_not_say():
    assert guess_language("The minister said that the figures for the year are wrong.") == "en"
    assert guess_language(PARAGRAPH) == "it"
    assert guess_language("12 34 56") == ""


def test_ingesting_a_url_stores_an_article_with_its_outlet(http_server, db):
    http_server.routes["/a"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page())
    article = article_ingest_url(url=http_server.url + "/a", actor=None, policy=LOCAL)
    assert article.title == "Kazakistan e Russia" and article.language == "it"
    assert article.outlet.domain == "127.0.0.1"
    revision = article.revisions.get()
    assert revision.origin == ArticleRevision.Origin.FETCHED and revision.text == article.text


def test_fetching_again_stores_a_revision_and_reanchors(http_server, db):
    http_server.routes["/a"] = (200, {"Content-Type": "text/html"}, page())
    article = article_ingest_url(url=http_server.url + "/a", actor=None, policy=LOCAL)
    claim = make_claim(article=article, quote="918 milioni di dollari alla difesa")
    corrected = PARAGRAPH.replace("918 milioni", "918 milioni (in corone: 440 miliardi)")
    http_server.routes["/a"] = (200, {"Content-Type": "text/html"}, page(corrected))
    again = article_ingest_url(url=http_server.url + "/a", actor=None, policy=LOCAL)
    assert again.pk == article.pk and again.revisions.count() == 2
    claim.refresh_from_db()
    assert claim.anchor_state in {AnchorState.FUZZY, AnchorState.ORPHANED}
    assert claim.events.filter(kind__in=["reanchored", "orphaned"]).exists()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((404, {}, b"gone"), "HTTP status 404"),
        ((200, {"Content-Type": "application/pdf"}, b"%PDF"), "not a web page"),
        ((200, {"Content-Type": "text/html"}, b"<html><body></body></html>"), "No article text"),
    ],
)
def test_pages_without_an_article_are_refused_clearly(http_server, db, route, message):
    http_server.routes["/x"] = route
    with pytest.raises(ValidationError, match=message):
        article_ingest_url(url=http_server.url + "/x", actor=None, policy=LOCAL)
    assert not Article.objects.exists()


def test_a_private_address_is_refused_as_a_field_error(db):
    with pytest.raises(ValidationError) as error:
        article_ingest_url(url="http://127.0.0.1:1/a", actor=None)
    assert "loopback" in error.value.message_dict["url"][0]


def test_pasted_text_becomes_an_article_in_its_language(db):
    article = article_ingest_text(text=PARAGRAPH, title="", actor=None)
    assert article.language == "it" and article.title.startswith("Il Kazakistan")
    with pytest.raises(ValidationError):
        article_ingest_text(text="  ", title="x", actor=None)


def test_ingest_article_command_fetches_and_suggests(http_server, db, settings, capsys):
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    http_server.routes["/a"] = (200, {"Content-Type": "text/html"}, page())
    call_command("ingest_article", http_server.url + "/a")
    assert "suggested claims" in capsys.readouterr().out
    article = Article.objects.get()
    assert article.candidates.filter(text=PARAGRAPH).exists()


def test_ingest_article_command_explains_a_refusal(db):
    with pytest.raises(CommandError, match="loopback"):
        call_command("ingest_article", "http://127.0.0.1:1/a")


def test_admin_import_from_a_url_lands_on_the_suggestions(client, editor, http_server, settings):
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    http_server.routes["/a"] = (200, {"Content-Type": "text/html"}, page())
    client.force_login(editor)
    changelist = client.get("/admin/claims/article/").content.decode()
    assert "/admin/claims/article/import/" in changelist
    response = client.post("/admin/claims/article/import/", {"url": http_server.url + "/a"})
    article = Article.objects.get()
    assert response.url == f"/admin/claims/article/{article.pk}/suggestions/"
    assert article.candidates.exists()


def test_admin_import_shows_field_errors_and_keeps_the_input(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/claims/article/import/", {"url": "http://127.0.0.1:1/private", "title": "T"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "loopback address" in html
    assert 'value="http://127.0.0.1:1/private"' in html
    response = client.post("/admin/claims/article/import/", {"text": "12 34", "title": "T"})
    assert "language could not be told" in response.content.decode()
    assert not Article.objects.exists()


def test_admin_import_of_pasted_text(client, editor):
    client.force_login(editor)
    client.post("/admin/claims/article/import/", {"text": PARAGRAPH, "title": "Difesa"})
    article = Article.objects.get()
    assert article.title == "Difesa" and article.language == "it"
    assert article.revisions.get().origin == ArticleRevision.Origin.PASTED


@pytest.fixture
def fetch_outside_transactions(monkeypatch):
    """Replaces the fetcher with one that serves page() and records how many atomic blocks
    were open around each fetch. The test itself runs inside pytest-django's transaction, so
    a test compares with the depth it started from."""
    depths = []

    def fake_fetch(url, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return FetchResult(url, 200, {"content-type": "text/html"}, page(), [])

    monkeypatch.setattr("claims.services.ingest.fetch", fake_fetch)
    return depths


def test_the_page_is_fetched_before_the_transaction_opens(db, fetch_outside_transactions):
    """A slow server must hold no transaction (and no row lock) while it takes its time."""
    depth = len(connection.atomic_blocks)
    article_ingest_url(url="https://giornale.example/a", actor=None)
    article_ingest_url(url="https://giornale.example/a", actor=None)  # the revision path
    assert fetch_outside_transactions == [depth, depth]
    assert Article.objects.count() == 1


def test_admin_import_fetches_outside_any_transaction(client, editor, fetch_outside_transactions):
    client.force_login(editor)
    depth = len(connection.atomic_blocks)
    response = client.post("/admin/claims/article/import/", {"url": "https://giornale.example/a"})
    assert response.status_code == 302
    assert fetch_outside_transactions == [depth]


def test_an_import_connects_only_to_the_address_it_checked(db, rebinding_dns):
    with pytest.raises(ValidationError, match="could not be reached"):
        article_ingest_url(url=rebinding_dns.url("/a"), actor=None)
    assert rebinding_dns.connects
    assert_went_only_to_the_checked_address(rebinding_dns)
    assert not Article.objects.exists()


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b"], ids=["nul", "bell", "escape"])
def test_pasted_text_with_control_characters_is_refused_as_a_field_error(db, bad):
    with pytest.raises(ValidationError) as error:
        article_ingest_text(text=PARAGRAPH + bad + " fine.", title="T", actor=None)
    assert "control character" in error.value.message_dict["text"][0]
    assert not Article.objects.exists()


def test_tabs_and_line_breaks_are_plain_text(db):
    article = article_ingest_text(text=PARAGRAPH + "\r\n\tAncora.", title="T", actor=None)
    assert article.text.endswith("\tAncora.")


def test_ingest_article_from_stdin_refuses_a_nul_byte(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(PARAGRAPH + "\x00"))
    with pytest.raises(CommandError, match=r"control character \(NUL\)"):
        call_command("ingest_article", "-", "--title", "T")
    assert not Article.objects.exists()


def test_updating_the_text_refuses_control_characters(db):
    article = article_ingest_text(text=PARAGRAPH, title="T", actor=None)
    with pytest.raises(ValidationError) as error:
        article_update_text(article=article, text=PARAGRAPH + "\x00", actor=None)
    assert "NUL" in error.value.message_dict["text"][0]
    assert article.revisions.count() == 1


def test_fetched_pages_lose_their_control_characters(http_server, db):
    dirty = PARAGRAPH.replace("918", "9\x001\x078")
    http_server.routes["/a"] = (200, {"Content-Type": "text/html"}, page(dirty))
    article = article_ingest_url(url=http_server.url + "/a", actor=None, policy=LOCAL)
    assert "918 milioni" in article.text and "\x00" not in article.text


def test_admin_import_refuses_nul_text_as_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/claims/article/import/", {"text": PARAGRAPH + "\x00", "title": "T"}
    )
    assert response.status_code == 200
    assert "control character (NUL)" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("bad", ["\x00", "\x07"], ids=["nul", "bell"])
def test_admin_article_form_refuses_control_characters(client, editor, bad):
    client.force_login(editor)
    response = client.post(
        "/admin/claims/article/add/",
        {
            "title": "T",
            "slug": "t",
            "language": "it",
            "text": PARAGRAPH + bad,
            "published_precision": "day",
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["text"]
    assert not Article.objects.exists()
