"""The desk's claim list and claim page on a 1280 px laptop screen, in headless Chromium: the
Article column readable, Language and Updated on screen, the evidence table within the page."""

import pytest

from claims.demo import load_demo
from claims.models import Claim

from .chromium import ARTIFACTS, chromium, needs_chromium

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
COLUMNS = """() => {
  const box = (el) => el.getBoundingClientRect();
  const out = {};
  document.querySelectorAll('#result_list thead th').forEach((th) => {
    const name = [...th.classList].find((c) => c.startsWith('column-'));
    if (name) out[name.slice(7)] = [box(th).left, box(th).right];
  });
  out.results = box(document.querySelector('#changelist .results')).right;
  out.filter = box(document.querySelector('#changelist-filter')).left;
  out.page = document.documentElement.scrollWidth;
  return out;
}"""


@pytest.fixture
def desk(live_server, monkeypatch, django_user_model):
    load_demo()
    django_user_model.objects.create_superuser("boss", "boss@desk.example", PASSWORD)
    with chromium(monkeypatch) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "boss")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        yield page, live_server.url


def test_claim_list_at_1280px_keeps_every_column_on_screen(desk):
    page, base = desk
    page.goto(base + "/admin/claims/claim/")
    columns = page.evaluate(COLUMNS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desk-claim-list-1280.png"))
    assert columns["page"] <= 1280  # no sideways scrolling
    for name in ("article_title", "language", "updated_at"):
        _left, right = columns[name]
        assert right <= columns["results"] + 1 <= columns["filter"], name  # not under the filters
    article_left, article_right = columns["article_title"]
    assert article_right - article_left >= 150  # a readable title, not a few letters


def test_evidence_table_is_no_wider_than_the_page(desk):
    page, base = desk
    claim = Claim.objects.filter(evidence__isnull=False).first()
    page.goto(base + f"/admin/claims/claim/{claim.pk}/change/")
    table = page.locator("#evidence-group table").bounding_box()
    assert table["x"] + table["width"] <= 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
