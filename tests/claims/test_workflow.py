"""The workflow services: each step's rules, its event, and that a refused step changes nothing."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services, visibility
from claims.exceptions import TransitionNotAllowed
from claims.models import Claim, ClaimEvent, ClaimStatus, Correction
from lib.exceptions import EditConflict
from tests.factories import SourceFactory, UserFactory, make_claim, make_published_claim, verdict

pytestmark = pytest.mark.django_db


def desk_user(username, group):
    user = UserFactory(username=username, email=f"{username}@desk.example")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def checker():
    return desk_user("giulia", "Fact-checkers")


@pytest.fixture
def editor():
    return desk_user("marco", "Editors")


def researching(checker, **claim_fields):
    claim = make_claim(created_by=checker, **claim_fields)
    return services.claim_start_research(claim=claim, actor=checker)


def in_review(checker):
    claim = researching(checker)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
    claim = services.claim_update(
        claim=claim, actor=checker, verdict=verdict("false"), rationale="Official data differ."
    )
    return services.claim_submit_for_review(claim=claim, actor=checker)


def snapshot(claim):
    claim = Claim.objects.get(pk=claim.pk)
    return (
        claim.status,
        claim.version,
        claim.verdict_id,
        claim.rationale,
        claim.assignee_id,
        claim.published_at,
        claim.events.count(),
        claim.history.count(),
        Correction.objects.filter(claim=claim).count(),
    )


# The whole path, one event per step, each naming who, from, to and the comment.


def test_every_transition_writes_its_event(checker, editor):
    claim = make_claim(created_by=checker)
    claim = services.claim_assign(claim=claim, actor=editor, assignee=checker)
    claim = services.claim_start_research(claim=claim, actor=checker)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
    claim = services.claim_update(
        claim=claim, actor=checker, verdict=verdict("false"), rationale="Data differ."
    )
    claim = services.claim_submit_for_review(claim=claim, actor=checker, comment="Ready.")
    claim = services.claim_request_changes(claim=claim, actor=editor, comment="Cite ISTAT.")
    claim = services.claim_submit_for_review(claim=claim, actor=checker)
    claim = services.claim_publish(claim=claim, actor=editor, comment="Good.")
    claim = services.claim_correct(
        claim=claim, actor=editor, note="We misread the table.", verdict=verdict("mostly-false")
    )
    claim = services.claim_unpublish(claim=claim, actor=editor, reason="Legal review.")
    claim = services.claim_unassign(claim=claim, actor=editor)
    claim = services.claim_dismiss(claim=claim, actor=editor, reason="Not checkable after all.")
    claim = services.claim_reopen(claim=claim, actor=editor, comment="New data.")

    K, S = ClaimEvent.Kind, ClaimStatus
    steps = list(
        claim.events.order_by("created_at", "pk").values_list(
            "kind", "actor__username", "from_status", "to_status", "comment"
        )
    )
    assert steps == [
        (K.CREATED, "giulia", "", S.NEW, ""),
        (K.ASSIGNED, "marco", "", "", ""),
        (K.RESEARCH_STARTED, "giulia", S.NEW, S.RESEARCHING, ""),
        (K.SUBMITTED, "giulia", S.RESEARCHING, S.IN_REVIEW, "Ready."),
        (K.CHANGES_REQUESTED, "marco", S.IN_REVIEW, S.RESEARCHING, "Cite ISTAT."),
        (K.SUBMITTED, "giulia", S.RESEARCHING, S.IN_REVIEW, ""),
        (K.PUBLISHED, "marco", S.IN_REVIEW, S.PUBLISHED, "Good."),
        (K.CORRECTED, "marco", "", "", "We misread the table."),
        (K.UNPUBLISHED, "marco", S.PUBLISHED, S.RESEARCHING, "Legal review."),
        (K.UNASSIGNED, "marco", "", "", ""),
        (K.DISMISSED, "marco", S.RESEARCHING, S.DISMISSED, "Not checkable after all."),
        (K.REOPENED, "marco", S.DISMISSED, S.NEW, "New data."),
    ]
    assert claim.status == S.NEW
    # Every step bumped the version and left a history row naming who made it.
    assert claim.version == 13
    assert claim.history.first().history_user == editor


def test_start_research_gives_the_claim_to_whoever_starts_it(checker):
    claim = researching(checker)
    assert claim.assignee == checker


def test_reopen_returns_a_held_claim_to_research(checker, editor):
    claim = researching(checker)
    claim = services.claim_dismiss(claim=claim, actor=editor, reason="Opinion.")
    claim = services.claim_reopen(claim=claim, actor=editor)
    assert claim.status == ClaimStatus.RESEARCHING


# Submitting needs a complete check.


def test_submit_without_verdict_rationale_or_evidence_says_what_is_missing(checker):
    claim = researching(checker)
    before = snapshot(claim)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.claim_submit_for_review(claim=claim, actor=checker)
    message = refused.value.messages[0]
    assert "verdict" in message and "rationale" in message and "source" in message
    assert snapshot(claim) == before


def test_context_evidence_alone_is_not_enough_to_submit(checker):
    claim = researching(checker)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="context")
    claim = services.claim_update(
        claim=claim, actor=checker, verdict=verdict("false"), rationale="Data."
    )
    with pytest.raises(TransitionNotAllowed, match="supports or refutes"):
        services.claim_submit_for_review(claim=claim, actor=checker)


def test_unverifiable_claim_can_be_submitted_with_a_rationale_and_no_decisive_source(checker):
    claim = researching(checker)
    claim = services.claim_update(
        claim=claim,
        actor=checker,
        verdict=verdict("unverifiable"),
        rationale="We asked the ministry and searched the statistics office: no data exist.",
    )
    claim = services.claim_submit_for_review(claim=claim, actor=checker)
    assert claim.status == ClaimStatus.IN_REVIEW
    assert claim.submitted_by == checker


def test_submitting_emails_the_editors_who_may_approve(
    checker, editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = in_review(checker)
    assert [m.to for m in mailoutbox] == [["marco@desk.example"]]
    assert "review" in mailoutbox[0].subject.lower()
    assert f"/admin/claims/claim/{claim.pk}/change/" in mailoutbox[0].body


def test_no_email_when_the_step_is_rolled_back(checker, editor, mailoutbox):
    # pytest-django wraps the test in a transaction that is rolled back: on_commit never fires.
    in_review(checker)
    assert mailoutbox == []


# Publishing: editors only, two people, and the record of who and when.


def test_publish_records_the_publisher_and_the_time(checker, editor):
    claim = services.claim_publish(claim=in_review(checker), actor=editor)
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.published_by == editor
    assert claim.published_at is not None


def test_fact_checker_cannot_publish(checker):
    claim = in_review(desk_user("other", "Fact-checkers"))
    before = snapshot(claim)
    with pytest.raises(PermissionDenied):
        services.claim_publish(claim=claim, actor=checker)
    assert snapshot(claim) == before


def test_reviewer_cannot_approve_own_claim(editor):
    claim = in_review(editor)
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match="two-person"):
        services.claim_publish(claim=claim, actor=editor)
    assert snapshot(claim) == before


def test_one_person_desk_may_approve_own_claim_when_the_rule_is_off(editor, settings):
    settings.FACTDESK_REQUIRE_SECOND_REVIEWER = False
    claim = services.claim_publish(claim=in_review(editor), actor=editor)
    assert claim.status == ClaimStatus.PUBLISHED


def test_publish_checks_the_content_again(checker, editor):
    claim = in_review(checker)
    claim = services.claim_update(claim=claim, actor=editor, rationale="")
    with pytest.raises(TransitionNotAllowed, match="rationale"):
        services.claim_publish(claim=claim, actor=editor)


def test_request_changes_needs_a_comment(checker, editor):
    claim = in_review(checker)
    before = snapshot(claim)
    with pytest.raises(TransitionNotAllowed):
        services.claim_request_changes(claim=claim, actor=editor, comment="  ")
    assert snapshot(claim) == before


def test_dismiss_needs_a_reason(checker, editor):
    claim = researching(checker)
    with pytest.raises(TransitionNotAllowed):
        services.claim_dismiss(claim=claim, actor=editor, reason="")


def test_wrong_status_is_refused_with_the_reason(checker, editor):
    claim = make_claim(created_by=checker)
    before = snapshot(claim)
    with pytest.raises(TransitionNotAllowed, match="in review"):
        services.claim_publish(claim=claim, actor=editor)
    assert snapshot(claim) == before


def test_transition_checks_the_locked_row_not_the_callers_stale_copy(checker, editor):
    claim = in_review(checker)
    stale = Claim.objects.get(pk=claim.pk)
    services.claim_publish(claim=claim, actor=editor)
    with pytest.raises(TransitionNotAllowed):
        services.claim_publish(claim=stale, actor=desk_user("anna", "Editors"))
    assert Claim.objects.get(pk=claim.pk).published_by == editor


# Unpublishing and corrections.


def test_unpublish_needs_a_public_reason_and_keeps_it(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    with pytest.raises(TransitionNotAllowed):
        services.claim_unpublish(claim=claim, actor=editor, reason="")
    claim = services.claim_unpublish(claim=claim, actor=editor, reason="Under legal review.")
    assert claim.status == ClaimStatus.RESEARCHING
    assert claim.unpublished_reason == "Under legal review."
    assert not visibility.public_claims().filter(pk=claim.pk).exists()


def test_republishing_clears_the_unpublish_reason_and_keeps_first_publication(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    first = claim.published_at
    claim = services.claim_unpublish(claim=claim, actor=editor, reason="Legal.")
    claim = services.claim_submit_for_review(claim=claim, actor=checker)
    claim = services.claim_publish(claim=claim, actor=editor)
    assert claim.unpublished_reason == ""
    assert claim.published_at == first


def test_changing_a_published_verdict_is_refused_and_points_to_the_correction(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    before = snapshot(claim)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.claim_update(claim=claim, actor=editor, verdict=verdict("true"))
    assert "correction" in refused.value.message_dict["verdict"][0]
    assert snapshot(claim) == before


def test_correction_keeps_the_old_verdict_on_record(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    claim = services.claim_correct(
        claim=claim,
        actor=editor,
        note="We misread the table: the figure was 6.4%, close to the claim.",
        verdict=verdict("mostly-false"),
        expected_version=claim.version,
    )
    assert claim.verdict == verdict("mostly-false")
    assert claim.status == ClaimStatus.PUBLISHED
    correction = claim.corrections.get()
    assert correction.previous_verdict == verdict("false")
    assert correction.new_verdict == verdict("mostly-false")
    assert correction.previous_rationale == "Official data differ."
    assert correction.corrected_by == editor
    event = claim.events.get(kind=ClaimEvent.Kind.CORRECTED)
    assert event.data["correction"] == correction.pk


def test_correction_of_the_rationale_alone_keeps_the_verdict(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    claim = services.claim_correct(
        claim=claim, actor=editor, note="Fixed the year.", rationale="Official 2023 data differ."
    )
    correction = claim.corrections.get()
    assert not correction.verdict_changed
    assert correction.previous_rationale == "Official data differ."


def test_correction_needs_a_note_and_a_change(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    before = snapshot(claim)
    with pytest.raises(TransitionNotAllowed):
        services.claim_correct(claim=claim, actor=editor, note="", verdict=verdict("true"))
    with pytest.raises(TransitionNotAllowed, match="neither changed"):
        services.claim_correct(claim=claim, actor=editor, note="Nothing.")
    assert snapshot(claim) == before


def test_correction_refuses_a_stale_version(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    before = snapshot(claim)
    with pytest.raises(EditConflict):
        services.claim_correct(
            claim=claim,
            actor=editor,
            note="Fix.",
            verdict=verdict("true"),
            expected_version=claim.version - 1,
        )
    assert snapshot(claim) == before


def test_fact_checker_cannot_correct(checker, editor):
    claim = make_published_claim(checker=checker, editor=editor)
    with pytest.raises(PermissionDenied):
        services.claim_correct(claim=claim, actor=checker, note="Fix.", verdict=verdict("true"))


# Edits: state rules, re-anchoring, conflicts.


def test_edit_conflict_refuses_a_stale_save(checker):
    claim = researching(checker)
    loaded = claim.version
    services.claim_update(
        claim=claim, actor=checker, claimant="The minister", expected_version=loaded
    )
    before = snapshot(claim)
    with pytest.raises(EditConflict):
        services.claim_update(
            claim=claim, actor=checker, claimant="Someone", expected_version=loaded
        )
    assert snapshot(claim) == before


def test_editing_the_quote_re_anchors_it(checker):
    claim = researching(checker)
    claim = services.claim_update(claim=claim, actor=checker, quote="exports rose by 12 per cent")
    assert claim.article.text[claim.anchor_start : claim.anchor_end] == claim.quote


def test_a_quote_not_in_the_article_is_an_error_on_the_quote(checker):
    claim = researching(checker)
    with pytest.raises(ValidationError) as refused:
        services.claim_update(claim=claim, actor=checker, quote="exports fell")
    assert "quote" in refused.value.message_dict


def test_dismissed_claim_cannot_be_edited(checker, editor):
    claim = services.claim_dismiss(claim=researching(checker), actor=editor, reason="Opinion.")
    with pytest.raises(TransitionNotAllowed):
        services.claim_update(claim=claim, actor=editor, claimant="X")


def test_unchanged_values_are_not_edits(checker, editor):
    # The admin form sends every field; saving a published claim without touching the verdict
    # must not be mistaken for a correction.
    claim = make_published_claim(checker=checker, editor=editor)
    claim = services.claim_update(
        claim=claim,
        actor=editor,
        verdict=claim.verdict,
        rationale=claim.rationale,
        claimant="The minister",
    )
    assert claim.claimant == "The minister"


def test_setting_the_assignee_through_an_edit_follows_the_assign_rules(checker, editor):
    claim = researching(checker)
    other = desk_user("other", "Fact-checkers")
    with pytest.raises(PermissionDenied):
        services.claim_update(claim=claim, actor=checker, assignee=other)
    claim = services.claim_update(claim=claim, actor=editor, assignee=other)
    assert claim.assignee == other
    assert claim.events.filter(kind=ClaimEvent.Kind.ASSIGNED).count() == 1


def test_outsider_cannot_edit(checker):
    claim = researching(checker)
    with pytest.raises(PermissionDenied):
        services.claim_update(claim=claim, actor=UserFactory(username="x"), claimant="X")


# Internal comments.


def test_comment_mentions_colleagues_and_emails_them(
    checker, editor, mailoutbox, django_capture_on_commit_callbacks
):
    claim = researching(checker)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_add(
            claim=claim, author=checker, body="@marco can you check the ISTAT link? (a@b.it)"
        )
    assert list(comment.mentions.all()) == [editor]
    assert [m.to for m in mailoutbox] == [["marco@desk.example"]]


def test_empty_comment_is_refused(checker):
    with pytest.raises(ValidationError):
        services.comment_add(claim=researching(checker), author=checker, body="  ")


def test_topics_are_edited_like_the_other_content_and_bump_the_version(checker, editor):
    from claims.models import Topic

    economy = Topic.objects.create(name="Economy", slug="economy")
    claim = researching(checker)
    before = claim.version
    claim = services.claim_update(claim=claim, actor=checker, topics=[economy])
    assert list(claim.topics.all()) == [economy]
    assert claim.version == before + 1
    # The same topics again are not an edit.
    assert services.claim_update(claim=claim, actor=checker, topics=[economy]).version == before + 1
    dismissed = services.claim_dismiss(claim=claim, actor=editor, reason="Opinion.")
    with pytest.raises(TransitionNotAllowed):
        services.claim_update(claim=dismissed, actor=editor, topics=[])


def test_a_mail_server_failure_does_not_undo_the_step(
    checker, editor, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("claims.notifications.send_mass_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        claim = in_review(checker)
    assert claim.status == ClaimStatus.IN_REVIEW
    assert "Could not send 1 desk notification" in caplog.text
