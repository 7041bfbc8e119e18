"""The reader site in headless Chromium: popovers, keyboard, no-JS fallback, language switch,
CSP, an axe-core accessibility check, and screenshots under test-artifacts/."""

import shutil
import subprocess

import pytest
from django.utils.translation import override

from claims import visibility

from .chromium import ARTIFACTS, chromium, needs_chromium

AXE = ARTIFACTS / "node" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    # The live server runs in another thread, so the data must really be committed; the
    # serialised rollback restores the verdict scale and groups the migrations seeded.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into the git-ignored test-artifacts/."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is needed to install axe-core")
        subprocess.run(  # noqa: S603 - a fixed npm command
            [
                npm,
                "install",
                "--prefix",
                str(AXE.parents[2]),
                "axe-core@4",
                "--no-audit",
                "--no-fund",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as browser:
        yield browser


@pytest.fixture
def site(live_server):
    from claims.demo import load_demo

    demo = load_demo()
    with override("en"):
        claim = visibility.public_claims().get(quote__contains="Simonyan")
        yield {
            "article": live_server.url + demo.article.get_absolute_url(),
            "claim": live_server.url + claim.get_absolute_url(),
            "home": live_server.url + "/en/",
            "list": live_server.url + "/en/claims/?q=Putin",
            "methodology": live_server.url + "/en/methodology/",
        }


def open_page(context, url):
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(url)
    return page, csp_errors


def test_article_highlights_open_a_popover_by_mouse_and_keyboard(browser, site):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page, csp_errors = open_page(context, site["article"])
    markers = page.locator("a.marker")
    assert markers.count() == visibility.public_claims().count()
    popover = page.locator(".check-popover")

    markers.first.click()
    assert popover.is_visible()
    assert "Read the full check" in popover.inner_text()
    assert popover.locator(".verdict").inner_text().strip() != ""
    assert "#check-" not in page.url  # JavaScript took over the jump to the list
    page.screenshot(path=str(ARTIFACTS / "reader-article-popover.png"))

    page.keyboard.press("Escape")
    assert popover.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('marker')")

    # Keyboard only: focus the second marker and press Enter.
    markers.nth(1).focus()
    page.keyboard.press("Enter")
    assert popover.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('check-popover')")
    popover.locator("a").first.click()
    page.wait_for_url("**/claims/**")
    assert page.locator("h1").inner_text()

    # Clicking the highlighted text itself opens its check too.
    page.goto(site["article"])
    page.locator("mark.check").first.click()
    assert page.locator(".check-popover").is_visible()
    assert csp_errors == []
    context.close()


def test_article_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page, _ = open_page(context, site["article"])
    page.locator("a.marker").first.click()
    assert page.url.endswith("#check-1")
    assert page.locator("#check-1").is_visible()
    assert "Read the full check" in page.locator("#check-1").inner_text()
    context.close()


def test_language_switch_shows_the_page_in_italian(browser, site):
    context = browser.new_context()
    page, _ = open_page(context, site["claim"])
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Italiano").click()
    page.wait_for_url("**/it/claims/**")
    assert page.locator("html").get_attribute("lang") == "it"
    assert "Il nostro verdetto" in page.content()
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/claims/**")
    assert "Our verdict" in page.content()
    context.close()


def test_pages_pass_axe_and_screenshots_are_saved(browser, site, axe_source):
    ARTIFACTS.mkdir(exist_ok=True)
    # axe is injected as an inline script, which the page's CSP rightly forbids: bypass it
    # for this context only (the other tests run with the CSP on and check for violations).
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    phone = browser.new_context(
        bypass_csp=True, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    failures = {}
    for name, url in site.items():
        for label, ctx in (("desktop", context), ("phone", phone)):
            page = ctx.new_page()
            page.goto(url)
            page.add_script_tag(content=axe_source)
            results = page.evaluate("axe.run(document).then(r => r.violations)")
            serious = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['html'][:120]})"
                for v in results
                if v["impact"] in ("serious", "critical")
            ]
            if serious:
                failures[f"{name}/{label}"] = serious
            if name in ("claim", "article"):
                page.screenshot(path=str(ARTIFACTS / f"reader-{name}-{label}.png"), full_page=True)
            page.close()
    context.close()
    phone.close()
    assert failures == {}
    assert (ARTIFACTS / "reader-claim-desktop.png").stat().st_size > 0
    assert (ARTIFACTS / "reader-article-desktop.png").stat().st_size > 0
