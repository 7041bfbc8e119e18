"""The permission matrix: each desk role against each transition, through the services.

A refused step raises PermissionDenied and changes nothing; `allowed_transitions` (what the
admin offers) agrees with what the services do.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from claims import services
from claims.models import Claim, ClaimEvent, ClaimStatus
from claims.permissions import TRANSITIONS, allowed_transitions, editable_fields
from tests.factories import SourceFactory, UserFactory, make_claim, make_published_claim, verdict

pytestmark = pytest.mark.django_db


def desk_user(username, group=None):
    user = UserFactory(username=username, email=f"{username}@desk.example")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people():
    return {
        "researcher": desk_user("researcher", "Fact-checkers"),
        "chief": desk_user("chief", "Editors"),
    }


def researched_claim(researcher):
    claim = make_claim(created_by=researcher)
    claim = services.claim_start_research(claim=claim, actor=researcher)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
    return services.claim_update(
        claim=claim, actor=researcher, verdict=verdict("false"), rationale="Data differ."
    )


def claim_ready_for(action, user, people):
    """A claim in the state `action` starts from, researched by someone other than `user`."""
    researcher, chief = people["researcher"], people["chief"]
    if action in {"start_research", "dismiss", "assign"}:
        return make_claim(created_by=researcher)
    if action == "unassign":
        claim = make_claim(created_by=researcher)
        Claim.objects.filter(pk=claim.pk).update(assignee=user)
        return Claim.objects.get(pk=claim.pk)
    if action == "submit":
        claim = researched_claim(researcher)
        Claim.objects.filter(pk=claim.pk).update(assignee=user)
        return Claim.objects.get(pk=claim.pk)
    if action in {"publish", "request_changes"}:
        return services.claim_submit_for_review(
            claim=researched_claim(researcher), actor=researcher
        )
    if action == "reopen":
        return services.claim_dismiss(
            claim=make_claim(created_by=researcher), actor=chief, reason="Opinion."
        )
    if action in {"unpublish", "correct"}:
        return make_published_claim(checker=researcher, editor=chief)
    raise AssertionError(action)


def take(action, claim, user):
    calls = {
        "start_research": lambda: services.claim_start_research(claim=claim, actor=user),
        "submit": lambda: services.claim_submit_for_review(claim=claim, actor=user),
        "request_changes": lambda: services.claim_request_changes(
            claim=claim, actor=user, comment="Name the source."
        ),
        "publish": lambda: services.claim_publish(claim=claim, actor=user),
        "dismiss": lambda: services.claim_dismiss(claim=claim, actor=user, reason="Opinion."),
        "reopen": lambda: services.claim_reopen(claim=claim, actor=user),
        "unpublish": lambda: services.claim_unpublish(claim=claim, actor=user, reason="Legal."),
        "correct": lambda: services.claim_correct(
            claim=claim, actor=user, note="Wrong figure.", verdict=verdict("mostly-false")
        ),
        "assign": lambda: services.claim_assign(claim=claim, actor=user, assignee=user),
        "unassign": lambda: services.claim_unassign(claim=claim, actor=user),
    }
    return calls[action]()


EDITOR_ONLY = {"request_changes", "publish", "dismiss", "reopen", "unpublish", "correct"}
MATRIX = {
    "Fact-checkers": set(TRANSITIONS) - EDITOR_ONLY,
    "Editors": set(TRANSITIONS),
    None: set(),  # on the staff, in no desk group
}


@pytest.mark.parametrize("action", TRANSITIONS)
@pytest.mark.parametrize("group", list(MATRIX), ids=["fact-checker", "editor", "no-group"])
def test_permission_matrix(group, action, people):
    user = desk_user("someone", group)
    claim = claim_ready_for(action, user, people)
    offered = action in allowed_transitions(user, claim)
    before = (claim.version, claim.status, claim.assignee_id, ClaimEvent.objects.count())

    if action in MATRIX[group]:
        assert offered
        after = take(action, claim, user)
        assert after.version > before[0]
        assert ClaimEvent.objects.count() == before[3] + 1
    else:
        assert not offered
        with pytest.raises(PermissionDenied):
            take(action, claim, user)
        claim.refresh_from_db()
        assert (
            claim.version,
            claim.status,
            claim.assignee_id,
            ClaimEvent.objects.count(),
        ) == before


@pytest.mark.parametrize("action", TRANSITIONS)
def test_nobody_cannot_take_any_step(action, people):
    claim = claim_ready_for(action, people["chief"], people)
    with pytest.raises(PermissionDenied):
        take(action, claim, None)
    assert allowed_transitions(None, claim) == []


def test_superuser_is_offered_every_step_of_a_claim_in_review(people, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@x.example", "pw")
    claim = claim_ready_for("publish", admin, people)
    assert allowed_transitions(admin, claim) == ["request_changes", "publish", "assign", "unassign"]


def test_fact_checker_cannot_take_a_claim_a_colleague_holds(people):
    checker = desk_user("other", "Fact-checkers")
    claim = make_claim(created_by=people["researcher"], assignee=people["researcher"])
    assert "assign" not in allowed_transitions(checker, claim)
    assert "unassign" not in allowed_transitions(checker, claim)
    with pytest.raises(PermissionDenied):
        services.claim_assign(claim=claim, actor=checker, assignee=checker)
    with pytest.raises(PermissionDenied):
        services.claim_unassign(claim=claim, actor=checker)
    claim.refresh_from_db()
    assert claim.assignee == people["researcher"]


def test_fact_checker_cannot_assign_a_colleague(people):
    checker = desk_user("other", "Fact-checkers")
    claim = make_claim(created_by=checker)
    with pytest.raises(PermissionDenied):
        services.claim_assign(claim=claim, actor=checker, assignee=people["researcher"])


def test_editor_reassigns_a_claim_and_the_new_assignee_is_told(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    claim = make_claim(created_by=people["researcher"], assignee=people["researcher"])
    other = desk_user("other", "Fact-checkers")
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_assign(claim=claim, actor=people["chief"], assignee=other)
    assert claim.assignee == other
    event = claim.events.get(kind=ClaimEvent.Kind.ASSIGNED)
    assert event.actor == people["chief"]
    assert event.data == {"assignee": other.pk, "previous": people["researcher"].pk}
    assert [m.to for m in mailoutbox] == [["other@desk.example"]]
    assert claim.claim_reviewed[:40] in mailoutbox[0].subject


def test_only_desk_members_can_be_assigned(people):
    outsider = desk_user("outsider")
    claim = make_claim(created_by=people["researcher"])
    with pytest.raises(Exception, match="not on the desk"):
        services.claim_assign(claim=claim, actor=people["chief"], assignee=outsider)


def test_published_claim_keeps_verdict_and_quote_read_only_for_everyone(people):
    claim = make_published_claim(checker=people["researcher"], editor=people["chief"])
    fields = editable_fields(people["chief"], claim)
    assert {"verdict", "rationale", "quote"}.isdisjoint(fields)
    assert "claimant" in fields


def test_fact_checker_cannot_edit_a_claim_in_review_but_the_reviewer_can(people):
    claim = claim_ready_for("publish", None, people)
    assert editable_fields(people["researcher"], claim) == frozenset()
    assert "rationale" in editable_fields(people["chief"], claim)
    assert claim.status == ClaimStatus.IN_REVIEW


def test_fact_checker_cannot_edit_a_published_claim(people):
    claim = make_published_claim(checker=people["researcher"], editor=people["chief"])
    assert editable_fields(people["researcher"], claim) == frozenset()
    with pytest.raises(Exception, match="cannot be changed while the claim is published"):
        services.claim_update(claim=claim, actor=people["researcher"], claimant="Someone")
