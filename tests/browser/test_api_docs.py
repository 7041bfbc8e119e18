"""The API's documentation pages in headless Chromium, under the site's own CSP: both render,
nothing is blocked, and nothing is fetched from another host (api/docs.py)."""

from urllib.parse import urlsplit

import pytest

from .chromium import ARTIFACTS, chromium, needs_chromium

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    # Like every live-server test here: the serialised rollback restores what the migrations
    # seeded, for the tests after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as browser:
        yield browser


def open_docs(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems, hosts = [], set()
    page.on(
        "console",
        lambda message: (
            # The browser's own log of the favicon it guessed at is not the page's problem.
            problems.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    # Requests that reached a server (one the CSP blocked never does); blob: URLs are local.
    page.on(
        "requestfinished",
        lambda request: (
            hosts.add(urlsplit(request.url).netloc) if request.url.startswith("http") else None
        ),
    )
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return context, page, problems, hosts


def test_swagger_ui_renders_under_the_csp(browser, live_server):
    context, page, problems, hosts = open_docs(browser, live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Factdesk API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag", timeout=15_000)  # the operations, from the schema
    assert page.locator(".opblock-tag").count() > 3
    assert problems == []
    assert hosts == {urlsplit(live_server.url).netloc}
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs-swagger.png"))
    context.close()


def test_redoc_renders_under_the_csp_without_a_font_cdn(browser, live_server):
    context, page, problems, hosts = open_docs(browser, live_server.url + "/api/v1/redoc/")
    page.wait_for_selector("h1", timeout=20_000)
    assert "Factdesk API" in page.locator("h1").first.inner_text()
    page.wait_for_selector("[data-section-id]", timeout=20_000)
    assert "Something went wrong" not in page.content()
    # ReDoc's "powered by" logo points at its CDN; the CSP blocking it is the point.
    assert [text for text in problems if "cdn.redoc.ly" not in text] == []
    assert hosts == {urlsplit(live_server.url).netloc}  # no fonts.googleapis.com, no CDN
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs-redoc.png"))
    context.close()
