"""The tip form in headless Chromium, with the site's CSP on: a reader sends a claim and reads
the thank-you; the honeypot is out of sight; axe-core finds nothing serious, on a phone too."""

import pytest

from tests.browser.chromium import chromium, needs_chromium
from tests.browser.test_reader_pages import axe_source  # noqa: F401 - a fixture
from tips.models import TipRequest

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    with chromium(monkeypatch) as browser:
        yield browser


def test_a_reader_sends_a_claim_and_is_thanked(browser, live_server):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_server.url + "/en/")
    page.get_by_role("link", name="Send us a claim to check").click()
    # Off-screen rather than display:none, which form-filling bots learn to skip.
    box = page.locator("input[name=website]").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    page.get_by_label("The claim you want checked").fill(
        "The harbour authority secretly sold the old lighthouse to a casino company"
    )
    page.get_by_label("Tell me when it is checked").check()
    page.get_by_label("Your e-mail address (optional)").fill("reader@example.org")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Thank you"
    assert "we will write to you once" in page.inner_text("main")
    assert csp_errors == []
    assert TipRequest.objects.get().contacts.get().email == "reader@example.org"
    context.close()


def test_the_form_passes_axe_on_desktop_and_phone(browser, live_server, axe_source):  # noqa: F811
    failures = {}
    for label, viewport in (("desktop", (1100, 900)), ("phone", (375, 740))):
        context = browser.new_context(
            bypass_csp=True, viewport={"width": viewport[0], "height": viewport[1]}
        )
        page = context.new_page()
        page.goto(live_server.url + "/en/tips/")
        page.add_script_tag(content=axe_source)
        results = page.evaluate("axe.run(document).then(r => r.violations)")
        serious = [v["id"] for v in results if v["impact"] in ("serious", "critical")]
        if serious:
            failures[label] = serious
        context.close()
    assert failures == {}
