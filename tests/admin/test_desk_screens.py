"""The desk's own screens as a new editor meets them: app names, getting into the admin, and
why Publish is missing on one's own claim."""

import pytest
from django.contrib.auth.models import Group

from claims import services
from tests.factories import SourceFactory, make_claim, verdict

pytestmark = pytest.mark.django_db


def test_admin_index_names_apps_for_editors(admin_client):
    body = admin_client.get("/admin/").content.decode()
    for raw in ("Axes", "Otp_Totp", "Tasks Database Backend", "django_tasks_database"):
        assert f">{raw}<" not in body
    for name in ("Sign-in lockouts", "Two-factor devices", "Background tasks"):
        assert name in body


def _change_user(admin_client, user, **fields):
    data = {
        "username": user.username,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
        **fields,
    }
    return admin_client.post(f"/admin/auth/user/{user.pk}/change/", data, follow=True)


def test_adding_a_user_to_a_desk_group_lets_them_into_the_admin(admin_client, django_user_model):
    user = django_user_model.objects.create_user("newbie", password="correct-horse-battery")
    assert not user.is_staff
    editors = Group.objects.get(name="Editors")
    response = _change_user(admin_client, user, groups=[editors.pk])
    user.refresh_from_db()
    assert user.is_staff
    assert "given staff status" in response.content.decode()


def test_a_desk_member_without_staff_status_is_told_why_they_cannot_sign_in(
    admin_client, django_user_model
):
    user = django_user_model.objects.create_user("suspended", password="correct-horse-battery")
    checkers = Group.objects.get(name="Fact-checkers")
    user.groups.add(checkers)
    # Groups unchanged, staff status left off on purpose: nothing is ticked behind their back.
    response = _change_user(admin_client, user, groups=[checkers.pk])
    user.refresh_from_db()
    assert not user.is_staff
    assert "cannot sign in" in response.content.decode()


def test_the_user_page_says_desk_groups_give_staff_status(admin_client, django_user_model):
    user = django_user_model.objects.create_user("someone")
    body = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "also gives them staff status" in body


def _in_review_claim(researcher):
    claim = make_claim(created_by=researcher)
    claim = services.claim_start_research(claim=claim, actor=researcher)
    claim = services.claim_update(
        claim=claim, actor=researcher, verdict=verdict("false"), rationale="Data differ."
    )
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes", excerpt="7.4%")
    return services.claim_submit_for_review(claim=claim, actor=researcher)


def test_editor_sees_why_publish_is_missing_on_their_own_claim(client, editor, django_user_model):
    claim = _in_review_claim(editor)
    client.force_login(editor)
    body = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'value="publish"' not in body  # the button itself is not offered
    assert 'id="desk-publish-blocked"' in body
    assert "two-person rule" in body

    other = django_user_model.objects.create_user("second", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    body = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'value="publish"' in body
    assert 'id="desk-publish-blocked"' not in body


def test_a_fact_checker_is_not_told_about_a_step_they_never_take(client, fact_checker):
    claim = _in_review_claim(fact_checker)
    client.force_login(fact_checker)
    body = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'id="desk-publish-blocked"' not in body
