"""The live transcript page in headless Chromium: a line posted while the page is open appears
on it, with the published check it repeats, without reloading (the page polls for new lines)."""

import pytest

from monitoring.models import MonitoredSource
from monitoring.services import transcript_line_add
from tests.factories import ArticleFactory, make_published_claim

from .chromium import chromium, needs_chromium

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
DEBT = "Il debito pubblico italiano ha superato i 2.800 miliardi di euro"


def test_a_posted_line_shows_up_live_with_its_match(
    live_server, monkeypatch, django_user_model, fact_checker, editor, settings, tmp_path
):
    settings.FACTDESK_VECTOR_INDEX_DIR = tmp_path / "vectors"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=ArticleFactory(text=f"Ieri in tv: {DEBT}.", language="it"),
        quote=DEBT,
        claim_reviewed=DEBT,
    )
    source = MonitoredSource.objects.create(name="Dibattito", kind="transcript", language="it")
    transcript_line_add(source=source, text="MODERATORE: Buonasera e benvenuti in studio.")
    django_user_model.objects.create_superuser("boss", "boss@desk.example", PASSWORD)
    with chromium(monkeypatch) as browser:
        page = browser.new_page()
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "boss")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/admin/monitoring/monitoredsource/{source.pk}/live/")
        page.wait_for_selector("#fd-live tbody tr")  # the lines said before the page opened
        assert "Buonasera" in page.inner_text("#fd-live tbody")

        transcript_line_add(source=source, text=f"ROSSI: {DEBT}.")
        row = page.wait_for_selector("#fd-live tr.fd-live-repeat", timeout=5000)
        assert "ROSSI" in row.inner_text() and "Repeats:" in row.inner_text()
        assert page.locator("#fd-live tbody tr").count() == 2
