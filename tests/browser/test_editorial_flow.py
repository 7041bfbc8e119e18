"""End to end, in a real browser: a fact-checker researches a claim on the demo article and
submits it; an editor approves it; the public page shows the verdict."""

import pytest

from claims.demo import load_demo
from claims.models import Claim, ClaimStatus
from tests.factories import SourceFactory, verdict

from .chromium import ARTIFACTS, chromium, needs_chromium

QUOTE = "aumentando significativamente le spese per la Difesa"
PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    # The live server needs committed data; serialized rollback restores the groups and the
    # verdict scale (created by migrations) for the tests that run after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_page(monkeypatch):
    with chromium(monkeypatch) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        yield page


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#desk-dashboard")


def take_step(page, label):
    """Open a workflow step in the panel and confirm it."""
    panel = page.locator("#desk-workflow")
    summary = panel.locator("summary", has_text=label)
    if summary.count():
        summary.click()
        panel.locator("details[open] button[type=submit]").click()
    else:
        panel.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def test_checker_submits_editor_approves_public_page_shows_verdict(
    live_server, browser_page, fact_checker, editor
):
    for user in (fact_checker, editor):
        user.set_password(PASSWORD)
        user.save()
    article = load_demo().article
    source = SourceFactory(title="Budget law of Kazakhstan for 2022")
    page, base = browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    # The fact-checker enters the claim on the demo article.
    log_in(page, base, "checker")
    page.goto(f"{base}/admin/claims/claim/add/?article={article.pk}")
    page.fill("#id_quote", QUOTE)
    page.fill("#id_claim_reviewed", "Kazakhstan has raised its defence spending significantly.")
    # Worded in English on an Italian article: the check's language says so, and its English
    # page shows it (an Italian one would say "available in English").
    page.fill("#id_language", "en")
    page.click("input[name=_continue]")
    page.wait_for_selector("#desk-workflow")
    claim = Claim.objects.get(quote=QUOTE)
    assert page.locator(".desk-context mark").inner_text() == QUOTE

    # Research: attach a source through the autocomplete, propose a verdict.
    take_step(page, "Start research")
    page.click("text=Add another Evidence")
    page.locator("#evidence-0 .select2-selection").click()
    page.fill(".select2-search--dropdown .select2-search__field", "Budget law")
    page.locator(".select2-results__option", has_text="Budget law").click()
    page.select_option("#id_evidence-0-stance", "supports")
    page.fill("#id_evidence-0-excerpt", "Military expenditure rose in 2022.")
    page.select_option("#id_verdict", str(verdict("true").pk))
    page.fill("#id_rationale", "The 2022 budget law shows the increase.")
    page.click("input[name=_continue]")
    page.wait_for_selector("#desk-workflow")
    assert claim.evidence.get().source == source

    take_step(page, "Submit for review")
    page.wait_for_selector(".messagelist .success")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    # The fact-checker is not offered the sign-off.
    assert page.locator("#desk-workflow summary", has_text="Approve and publish").count() == 0
    page.screenshot(path=str(ARTIFACTS / "editorial-flow-submitted.png"), full_page=True)

    # The editor finds it waiting on the dashboard and approves it.
    log_in(page, base, "editor")
    page.locator("#desk-review a", has_text="defence spending").click()
    page.wait_for_selector("#desk-workflow")
    take_step(page, "Approve and publish")
    page.wait_for_selector(".messagelist .success")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.published_by == editor

    # Readers see the verdict.
    page.goto(base + claim.get_absolute_url())
    page.screenshot(path=str(ARTIFACTS / "editorial-flow-public.png"), full_page=True)
    assert "defence spending" in page.locator("h1").inner_text()
    shown = page.locator(".verdict-name").first.text_content().strip()
    assert shown in {claim.verdict.label_en, claim.verdict.label_it}
