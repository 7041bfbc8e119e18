"""The editors' alert and marking sightings in the admin: the Sightings list opens on the new
ones, the index says how many wait, the claim page lists them with a status menu; every mark
goes through sighting_status_set (who and when)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.models import Sighting, SightingStatus
from claims.services.sightings import sighting_record, sighting_status_set
from tests.admin.conftest import desk_user
from tests.factories import make_published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(fact_checker, editor):
    return make_published_claim(checker=fact_checker, editor=editor)


def seen(claim, n: int) -> Sighting:
    return sighting_record(
        claim,
        sentence=f"Repeat number {n}: unemployment fell to 6.1%.",
        url=f"https://news.example.com/{n}",
        outlet_name="Example News",
        score=0.9,
    )[0]


def section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_the_sightings_list_opens_on_the_new_ones(client, editor, claim):
    fresh, handled = seen(claim, 1), seen(claim, 2)
    sighting_status_set(sighting=handled, status=SightingStatus.CORRECTED, actor=editor)
    client.force_login(editor)
    page = client.get(reverse("admin:claims_sighting_changelist")).content.decode()
    assert "Repeat number 1" in page and "Repeat number 2" not in page
    page = client.get(reverse("admin:claims_sighting_changelist") + "?status=all").content
    assert b"Repeat number 1" in page and b"Repeat number 2" in page
    assert fresh.status == SightingStatus.NEW


def test_the_admin_index_alerts_editors_to_new_sightings(client, editor, claim):
    client.force_login(editor)
    assert "No new sightings." in section(
        client.get(reverse("admin:index")).content.decode(), "desk-sightings"
    )
    seen(claim, 1), seen(claim, 2)
    alert = section(client.get(reverse("admin:index")).content.decode(), "desk-sightings")
    assert "2 new sightings to look at" in alert
    assert "Repeat number 2" in alert and claim.claim_reviewed in alert


def test_bulk_actions_mark_sightings_and_record_who(client, editor, claim):
    first, second = seen(claim, 1), seen(claim, 2)
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_sighting_changelist"),
        {"action": "mark_correction_requested", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "2 sightings marked “Correction requested”." in response.content.decode()
    for sighting in (first, second):
        sighting.refresh_from_db()
        assert sighting.status == SightingStatus.CORRECTION_REQUESTED
        assert sighting.status_changed_by == editor


def test_the_change_form_edits_only_the_status(client, editor, claim):
    sighting = seen(claim, 1)
    client.force_login(editor)
    url = reverse("admin:claims_sighting_change", args=[sighting.pk])
    response = client.post(url, {"status": SightingStatus.NOT_A_REPEAT, "sentence": "Changed"})
    assert response.status_code == 302
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.NOT_A_REPEAT
    assert sighting.status_changed_by == editor
    assert sighting.sentence.startswith("Repeat number 1")


def test_saving_a_form_opened_before_another_editors_mark_keeps_that_mark(client, editor, claim):
    sighting = seen(claim, 1)
    client.force_login(editor)
    url = reverse("admin:claims_sighting_change", args=[sighting.pk])
    form = client.get(url).content.decode()
    assert 'name="status_seen" value="new"' in form
    # Meanwhile a colleague asks for a correction; this editor then saves the form as it was.
    colleague = desk_user("colleague", "Editors")
    sighting_status_set(
        sighting=sighting, status=SightingStatus.CORRECTION_REQUESTED, actor=colleague
    )
    response = client.post(url, {"status": SightingStatus.NEW, "status_seen": SightingStatus.NEW})

    assert response.status_code == 302
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.CORRECTION_REQUESTED
    assert sighting.status_changed_by == colleague


def test_sightings_are_neither_added_nor_deleted_in_the_admin(client, editor, claim):
    sighting = seen(claim, 1)
    client.force_login(editor)
    assert client.get(reverse("admin:claims_sighting_add")).status_code == 403
    delete_url = reverse("admin:claims_sighting_delete", args=[sighting.pk])
    assert client.get(delete_url).status_code == 403
    assert Sighting.objects.filter(pk=sighting.pk).exists()


def test_the_claim_page_lists_its_sightings_and_marks_one(client, fact_checker, editor, claim):
    sighting = seen(claim, 1)
    client.force_login(editor)
    change_url = reverse("admin:claims_claim_change", args=[claim.pk])
    panel = section(client.get(change_url).content.decode(), "desk-sightings")
    assert "Said again: 1 sighting" in panel and "Repeat number 1" in panel
    assert "https://news.example.com/1" in panel

    # Its links open the Sightings list on this claim's only.
    seen(make_published_claim(checker=fact_checker, editor=editor), 2)
    listed = client.get(
        reverse("admin:claims_sighting_changelist") + f"?claim__id__exact={claim.pk}&status=all"
    ).content.decode()
    assert "Repeat number 1" in listed and "Repeat number 2" not in listed

    status_url = reverse("admin:claims_sighting_status", args=[sighting.pk])
    response = client.post(status_url, {"status": "corrected", "next": change_url})
    assert response.status_code == 302 and response["Location"] == change_url
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.CORRECTED and sighting.status_changed_by == editor


def test_a_bad_status_from_the_claim_page_is_a_message_not_an_error(client, editor, claim):
    sighting = seen(claim, 1)
    client.force_login(editor)
    status_url = reverse("admin:claims_sighting_status", args=[sighting.pk])
    response = client.post(status_url, {"status": "fixed"}, follow=True)
    assert response.status_code == 200
    assert "Choose one of:" in response.content.decode()
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.NEW
    assert client.get(status_url).status_code == 405


def test_who_may_only_view_sightings_cannot_mark_them(client, claim):
    sighting = seen(claim, 1)
    viewer = desk_user("viewer", "Fact-checkers")
    viewer.groups.clear()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_sighting", "view_claim"])
    )
    client.force_login(viewer)
    panel = section(
        client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode(),
        "desk-sightings",
    )
    assert "Repeat number 1" in panel and 'name="status"' not in panel
    response = client.post(
        reverse("admin:claims_sighting_status", args=[sighting.pk]),
        {"status": "corrected"},
        follow=True,
    )
    assert "You may not change sightings." in response.content.decode()
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.NEW


def test_staff_without_the_sightings_permission_get_no_alert(client, claim):
    seen(claim, 1)
    viewer = desk_user("viewer", "Fact-checkers")
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(viewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="desk-sightings"' not in page
