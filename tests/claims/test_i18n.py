"""English and Italian: the interface switches; a check reads in the languages it is written in."""

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import engines
from django.utils.translation import override

from claims import services
from ops.management.commands.makemessages import jinja_pot_entries
from tests.factories import ArticleFactory, make_published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def italian_claim(fact_checker, editor):
    article = ArticleFactory(
        language="it", text="Il ministro ha detto che la disoccupazione è al 6%."
    )
    return make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=article,
        quote="la disoccupazione è al 6%",
        claim_reviewed="La disoccupazione è al 6%",
    )


def claim_url(claim, language: str) -> str:
    with override(language):
        return claim.get_absolute_url()


def test_interface_strings_follow_the_language_in_the_url(client, italian_claim):
    services.claim_translation_set(
        claim=italian_claim,
        language="en",
        claim_reviewed="Unemployment is at 6%",
        rationale="It is at 7%.",
        actor=None,
    )
    english = client.get(claim_url(italian_claim, "en")).content.decode()
    italian = client.get(claim_url(italian_claim, "it"))
    body = italian.content.decode()
    assert '<html lang="en">' in english and "Our verdict" in english
    assert '<html lang="it">' in body and "Il nostro verdetto" in body
    assert italian["Content-Language"] == "it"
    # The verdict and the check read in the reader's language, each from its own text.
    assert '<span class="verdict-name">Falso</span>' in body
    assert '<h1 lang="it">La disoccupazione è al 6%</h1>' in body
    assert '<h1 lang="en">Unemployment is at 6%</h1>' in english


def test_language_switcher_links_to_the_same_page_in_the_other_language(client, italian_claim):
    body = client.get(claim_url(italian_claim, "en")).content.decode()
    italian_url = claim_url(italian_claim, "it")
    assert f'<a href="{italian_url}" hreflang="it" lang="it">Italiano</a>' in body
    assert f'<link rel="alternate" hreflang="it" href="http://testserver{italian_url}">' in body
    assert 'aria-current="page">English</a>' in body


def test_dates_are_localised(client, italian_claim):
    italian = client.get(claim_url(italian_claim, "it"))
    month_it = {
        1: "gennaio", 2: "febbraio", 3: "marzo", 4: "aprile", 5: "maggio", 6: "giugno",
        7: "luglio", 8: "agosto", 9: "settembre", 10: "ottobre", 11: "novembre", 12: "dicembre",
    }  # fmt: skip
    from django.utils import timezone

    published = timezone.localtime(italian_claim.published_at)
    assert f"{published.day:02} {month_it[published.month]} {published.year}" in (
        italian.content.decode().lower()
    )


def test_the_demo_article_page_reads_in_italian(client, demo):
    with override("it"):
        body = client.get(demo.article.get_absolute_url()).content.decode()
    assert "Affermazioni verificate" in body and "Leggi la verifica completa" in body
    assert '<article class="article" lang="it">' in body


def test_a_missing_page_says_so_in_the_reader_language(client):
    response = client.get("/it/claims/does-not-exist/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina non trovata" in body and 'href="/it/claims/"' in body


# --- The catalogue covers the reader pages' Jinja2 templates --------------------------------

READER_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "jinja2"
ITALIAN_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "it" / "LC_MESSAGES" / "django.po"


def test_every_reader_page_string_has_an_italian_translation():
    env = engines["jinja2"].env
    catalogue = {
        entry.msgid: entry for entry in polib.pofile(str(ITALIAN_CATALOGUE)) if not entry.obsolete
    }
    checked = 0
    for template in READER_TEMPLATES.rglob("*.html"):
        for line, _function, message in env.extract_translations(template.read_text()):
            msgid = message if isinstance(message, str) else message[0]
            entry = catalogue.get(msgid)
            where = f"{template.relative_to(READER_TEMPLATES)}:{line}"
            assert entry is not None, f"{where}: {msgid!r} is not in the catalogue (make messages)"
            assert entry.translated() and not entry.fuzzy, f"{where}: {msgid!r} is untranslated"
            checked += 1
    assert checked > 100


def test_makemessages_extracts_jinja_strings_with_their_plurals(tmp_path):
    (tmp_path / "page.html").write_text(
        '{{ _("Hello %(name)s", name=who) }}\n'
        '{{ ngettext("%(counter)s check", "%(counter)s checks", n, counter=n) }}\n'
        '<p title="{{ _(\'Say "hi"\') }}"></p>\n'
    )
    entries = polib.pofile(jinja_pot_entries(tmp_path))
    by_id = {entry.msgid: entry for entry in entries}
    assert set(by_id) == {"Hello %(name)s", "%(counter)s check", 'Say "hi"'}
    assert by_id["%(counter)s check"].msgid_plural == "%(counter)s checks"
    assert [line for _file, line in by_id["%(counter)s check"].occurrences] == ["2"]


@pytest.mark.parametrize("language", ["en", "it"])
def test_page_translations_print_what_jinja2_gettext_prints(rf, language):
    """factdesk.jinja2.translations() is a faster _(): every reader string, with and without
    its variables (hostile ones included), comes out as the environment's own gives it."""
    from factdesk.jinja2 import translations

    env = engines["jinja2"].env
    hostile = '<script>alert("x")</script> & 100%'
    compared = 0
    with override(language):
        fast = translations(rf.get("/"))
        for template in READER_TEMPLATES.rglob("*.html"):
            for _line, function, message in env.extract_translations(template.read_text()):
                if function == "ngettext":
                    singular, plural = message[0], message[1]
                    names = re.findall(r"%\((\w+)\)s", singular + plural)
                    calls = [
                        (
                            "ngettext",
                            (singular, plural, n),
                            {**dict.fromkeys(names, hostile), "counter": n},
                        )
                        for n in (1, 3)
                    ]
                else:
                    msgid = message if isinstance(message, str) else message[0]
                    names = re.findall(r"%\((\w+)\)s", msgid)
                    calls = [("gettext", (msgid,), dict.fromkeys(names, hostile))]
                for name, args, variables in calls:
                    source = "{{ " + name + "(*args, **variables) }}"
                    expected = env.from_string(source).render(args=args, variables=variables)
                    mine = env.from_string(source).render(args=args, variables=variables, **fast)
                    assert mine == expected, (template.name, args)
                    compared += 1
    assert compared > 100


# --- The harvest's admin and the strings this session added speak Italian too --------------

DESK_SOURCES = [
    *sorted((Path(settings.BASE_DIR) / "factchecks").rglob("*.py")),
    Path(settings.BASE_DIR) / "claims" / "admin" / "evidence_notes.py",
    Path(settings.BASE_DIR) / "claims" / "embed.py",
]
DESK_TEMPLATES = [
    *sorted((Path(settings.BASE_DIR) / "templates" / "admin" / "factchecks").rglob("*.html")),
    Path(settings.BASE_DIR) / "templates" / "admin" / "claims" / "claim" / "_languages.html",
]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_every_harvest_admin_and_embed_string_has_an_italian_translation(tmp_path):
    pot = tmp_path / "desk.pot"
    keywords = ["_", "gettext", "gettext_lazy", "ngettext:1,2"]
    subprocess.run(  # noqa: S603 (our own files, a fixed command)
        [
            shutil.which("xgettext"),
            "--language=Python",
            "--from-code=UTF-8",
            *(f"--keyword={keyword}" for keyword in keywords),
            "-o",
            str(pot),
            *map(str, DESK_SOURCES),
        ],
        check=True,
    )
    msgids = [entry.msgid for entry in polib.pofile(str(pot))]
    for template in DESK_TEMPLATES:
        msgids += re.findall(r'{% (?:translate|trans) "([^"]+)"', template.read_text())
    catalogue = {
        entry.msgid: entry for entry in polib.pofile(str(ITALIAN_CATALOGUE)) if not entry.obsolete
    }
    untranslated = [
        msgid for msgid in msgids if not (msgid in catalogue and catalogue[msgid].translated())
    ]
    assert untranslated == []
    assert len(msgids) > 80
