"""Claimants in the admin: adding through the service, merging duplicates with history."""

import pytest
from django.urls import reverse

from claimants.models import Claimant
from claimants.services import claimant_create
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:claimants_claimant_changelist")


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def test_editor_merges_duplicates_choosing_the_record_to_keep(desk, editor):
    keep = claimant_create(name="Giuseppe Conte")
    duplicate = claimant_create(name="Conte G.")
    claim = make_claim(speaker=duplicate)
    selected = {"action": "merge_selected", "_selected_action": [keep.pk, duplicate.pk]}
    confirm = desk.post(CHANGELIST, selected)
    assert confirm.status_code == 200 and "Choose the record to keep" in confirm.content.decode()
    done = desk.post(CHANGELIST, {**selected, "apply": "1", "keep": keep.pk}, follow=True)
    assert "1 claimant merged into Giuseppe Conte." in done.content.decode()
    claim.refresh_from_db()
    duplicate.refresh_from_db()
    assert claim.speaker == keep and duplicate.merged_into == keep
    history = desk.get(reverse("admin:claimants_claimant_history", args=[keep.pk]))
    assert "Merged" in history.content.decode()


def test_fact_checkers_may_not_merge(client, fact_checker):
    client.force_login(fact_checker)
    a, b = claimant_create(name="A Person"), claimant_create(name="B Person")
    response = client.post(
        CHANGELIST, {"action": "merge_selected", "_selected_action": [a.pk, b.pk], "apply": "1"}
    )
    # The action is not offered to them: Django answers "no action selected".
    assert response.status_code in (200, 302)
    assert "Merge the selected" not in client.get(CHANGELIST).content.decode()
    assert not Claimant.objects.filter(merged_into__isnull=False).exists()


def test_adding_a_claimant_in_the_admin_gives_it_a_slug(desk):
    response = desk.post(
        reverse("admin:claimants_claimant_add"),
        {
            "name": "Elly Schlein",
            "kind": "person",
            "aliases": "Schlein",
            "same_as": "",
            "description": "",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-role": "Secretary",
            "roles-0-party": "PD",
            "roles-0-started_on": "2023-03-12",
            "roles-0-ended_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Claimant.objects.get(name="Elly Schlein")
    assert record.slug == "elly-schlein"
    assert record.roles.get().party == "PD"
