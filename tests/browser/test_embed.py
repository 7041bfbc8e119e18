"""The publisher embed in headless Chromium, on the demo page (a copy of the demo article on a
publisher-like layout): markers, keyboard use, an edited sentence, and that a failing endpoint
or an old browser leaves the publisher's page exactly as it was."""

from urllib.parse import urlsplit

import pytest

from claims import embed
from claims.demo import load_demo

from .chromium import ARTIFACTS, chromium, needs_chromium

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARKER = "[data-factdesk=marker]"


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as browser:
        yield browser


@pytest.fixture
def demo(live_server):
    article = load_demo().article
    _, payload = embed.embed_checks(article.slug, article.language)
    return {
        "base": live_server.url,
        "slug": article.slug,
        "url": f"{live_server.url}/embed/demo/{article.slug}/",
        "checks": payload["checks"],
        "edited": payload["checks"][-1]["quote"],
    }


def open_demo(context, url):
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            # A failed request (the favicon, a broken endpoint) is the browser's log, not ours.
            problems.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.goto(url)
    return page, problems


def story_html(page) -> str:
    return page.locator(".story").inner_html()


def test_markers_mark_each_checked_sentence_but_the_edited_one(browser, demo):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, problems = open_demo(context, demo["url"])
    page.wait_for_selector(MARKER)
    page.wait_for_load_state("networkidle")
    markers = page.locator(MARKER)
    # Every published check is found in the publisher's text, except the sentence it edited.
    assert markers.count() == len(demo["checks"]) - 1
    marked = page.locator("mark[data-factdesk]").all_inner_texts()
    assert not any("(updated)" in text for text in marked)
    assert "(updated)" in page.locator(".story").inner_text()
    labels = {check["verdict"]["label"] for check in demo["checks"]}
    assert set(markers.all_inner_texts()) <= labels
    assert markers.first.get_attribute("aria-haspopup") == "dialog"
    assert problems == []  # no script error, no CSP violation on our own demo page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "embed-demo.png"), full_page=True)
    context.close()


def test_keyboard_opens_and_closes_the_popover(browser, demo):
    context = browser.new_context()
    page, problems = open_demo(context, demo["url"])
    page.wait_for_selector(MARKER)
    marker = page.locator(MARKER).first
    popover = page.locator("[data-factdesk=popover]")

    marker.focus()
    page.keyboard.press("Enter")
    assert popover.is_visible()
    assert marker.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.getAttribute('data-factdesk')") == "popover"
    text = popover.inner_text()
    check = demo["checks"][0]
    assert check["verdict"]["label"] in text
    assert check["summary"] in text
    # The check's own page, on the address the page was served from (lib/site_url.py).
    href = popover.get_by_role("link").get_attribute("href")
    assert href == demo["base"] + urlsplit(check["url"]).path
    labelled = popover.get_attribute("aria-labelledby")
    assert page.locator(f"#{labelled}").inner_text() == check["verdict"]["label"]

    page.keyboard.press("Escape")
    assert popover.is_hidden()
    assert marker.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('data-factdesk')") == "marker"

    page.keyboard.press("Space")  # the marker still has focus
    assert popover.is_visible()
    page.keyboard.press("Escape")
    assert popover.is_hidden()
    assert problems == []
    context.close()


def popover_of(page, check) -> dict:
    """Open the marker of `check` (by its position among the marked ones) and read its popover."""
    page.locator(MARKER).nth(check).click()
    popover = page.locator("[data-factdesk=popover]")
    wording = popover.locator("p.factdesk-claim")
    found = {
        "lang": popover.get_attribute("lang"),
        "text": popover.inner_text(),
        "wording": wording.inner_text(),
        "wording_lang": wording.get_attribute("lang"),
        "link": popover.get_by_role("link").inner_text(),
        "href": popover.get_by_role("link").get_attribute("href"),
    }
    page.keyboard.press("Escape")
    return found


def test_popover_speaks_the_pages_language(browser, demo):
    """An Italian publisher page (<html lang="it">): every check in Italian."""
    context = browser.new_context()
    page, problems = open_demo(context, demo["url"])  # the demo article is Italian
    page.wait_for_selector(MARKER)
    _, italian = embed.embed_checks(demo["slug"], "it")
    for number in range(page.locator(MARKER).count()):
        shown = popover_of(page, number)
        check = italian["checks"][number]
        assert shown["lang"] == "it"
        assert shown["wording"] == check["claim"] and shown["wording_lang"] == "it"
        assert shown["link"] == "Leggi la verifica completa"
        assert "/it/claims/" in shown["href"]
        assert check["verdict"]["label"] in shown["text"]
    assert problems == []
    context.close()


def test_an_english_publisher_page_gets_translations_and_marked_italian(browser, demo):
    """The same article on an English publisher's page: the checks the desk translated read
    in English; the others in Italian, marked lang="it", with a link saying so."""
    context = browser.new_context()
    page, problems = open_demo(context, demo["url"] + "?lang=en")
    page.wait_for_selector(MARKER)
    _, english = embed.embed_checks(demo["slug"], "en")
    marked = english["checks"][: page.locator(MARKER).count()]
    languages = {check["language"] for check in marked}
    assert languages == {"en", "it"}, "the demo has translated and untranslated checks"
    for number, check in enumerate(marked):
        shown = popover_of(page, number)
        assert shown["lang"] == "en"
        assert shown["wording"] == check["claim"]
        assert shown["wording_lang"] == check["language"]
        assert check["verdict"]["label"] in shown["text"]  # English labels either way
        if check["language"] == "en":
            assert shown["link"] == "Read the full check"
            assert "/en/claims/" in shown["href"]
        else:
            assert shown["link"] == "Read the full check (Italian)"
            assert "/it/claims/" in shown["href"]
    assert problems == []
    context.close()


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500, "body": "Server Error"},
        {"status": 200, "body": "{not json", "content_type": "application/json"},
        {"status": 200, "body": '{"checks": [{"quote": 5}, null, {"verdict": 1}]}'},
    ],
    ids=["server-error", "broken-json", "malformed-checks"],
)
def test_a_broken_endpoint_leaves_the_page_as_it_was(browser, demo, failure):
    context = browser.new_context()
    # The page as the publisher serves it, without the script.
    context.route("**/factdesk.js", lambda route: route.fulfill(status=404, body=""))
    original, _ = open_demo(context, demo["url"])
    before = story_html(original)
    context.unroute("**/factdesk.js")

    context.route("**/checks.json?*", lambda route: route.fulfill(**failure))
    page, problems = open_demo(context, demo["url"])
    page.wait_for_load_state("networkidle")
    assert story_html(page) == before
    assert page.locator(MARKER).count() == 0
    assert problems == []
    context.close()


def test_an_old_browser_without_fetch_is_left_alone(browser, demo):
    context = browser.new_context()
    context.add_init_script("delete window.fetch;")
    page, problems = open_demo(context, demo["url"])
    page.wait_for_load_state("networkidle")
    assert page.locator(MARKER).count() == 0
    assert problems == []
    context.close()
