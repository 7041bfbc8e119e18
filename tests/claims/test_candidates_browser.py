"""The suggestions page in a real browser: highlighted spans, "checked before?" loaded on
demand, and one click from a suggestion to an anchored claim."""

import pytest

from claims.services.candidates import candidates_refresh
from tests.browser.chromium import ARTIFACTS, chromium, needs_chromium
from tests.factories import ArticleFactory, make_claim

TEXT = (
    "Exports rose by 12 per cent in 2023, the ministry said. "
    "Unemployment fell to 4.2% in March, according to the statistics office."
)

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


@pytest.fixture
def page(
    django_db_serialized_rollback, live_server, monkeypatch, transactional_db, django_user_model
):
    # A superuser: live_server's flush between tests drops the groups the migrations made.
    django_user_model.objects.create_superuser("boss", password="correct-horse-battery")
    with chromium(monkeypatch) as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "boss")
        page.fill("#id_password", "correct-horse-battery")
        page.click("input[type=submit]")
        yield page


def test_editor_checks_history_then_turns_a_suggestion_into_a_claim(page, live_server):
    earlier = make_claim(
        article=ArticleFactory(text="Officials said exports rose by 12 per cent in 2023."),
        quote="exports rose by 12 per cent in 2023",
    )
    article = ArticleFactory(text=TEXT)
    candidates_refresh(article=article)
    page.goto(f"{live_server.url}/admin/claims/article/{article.pk}/suggestions/")
    assert page.locator(".fd-text mark").count() == 2

    # Suggestions are ranked strongest first: find the exports one by its text, not its place.
    exports = page.locator("details[data-similar^='Exports']")
    exports.locator("summary").click()
    match = exports.locator("ul li a").first
    match.wait_for()
    assert match.inner_text() == earlier.claim_reviewed

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "suggestions.png"), full_page=True)
    suggestion = page.locator("li", has=exports)
    suggestion.locator("button", has_text="Make it a claim").click()
    page.wait_for_load_state()
    assert "Claim created" in page.content()
    claim = article.claims.get()
    assert claim.quote == "Exports rose by 12 per cent in 2023, the ministry said."
    assert page.locator(".fd-text mark").count() == 1


def test_new_claim_form_shows_claims_checked_before_while_typing(page, live_server):
    earlier = make_claim(
        article=ArticleFactory(text="Officials said exports rose by 12 per cent in 2023."),
        quote="exports rose by 12 per cent in 2023",
    )
    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    page.fill("#id_claim_reviewed", "Exports rose by 12 per cent in 2023")
    match = page.locator("#fd-checked-before a").first
    match.wait_for()
    assert match.inner_text() == earlier.claim_reviewed
    assert match.get_attribute("href") == f"/admin/claims/claim/{earlier.pk}/change/"


def test_reanchor_page_turns_a_selection_into_offsets(page, live_server):
    article = ArticleFactory(text=TEXT)
    claim = make_claim(article=article, quote="Exports rose by 12 per cent in 2023")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/reanchor/")
    start = TEXT.index("Unemployment fell")
    page.evaluate(
        """([start, end]) => {
            const node = document.getElementById("fd-text").firstChild;
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, end);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            document.getElementById("fd-text").dispatchEvent(new MouseEvent("mouseup"));
        }""",
        [start, start + len("Unemployment fell to 4.2%")],
    )
    page.click("text=Anchor here")
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.quote == "Unemployment fell to 4.2%" and claim.anchor_start == start
