"""Workflow transitions: new -> researching -> in review -> published.

Side steps: request changes (back to researching), dismiss / reopen, unpublish, correct,
assign / unassign. Each transition locks the claim row, checks who may take it
(claims.permissions) and what the claim needs, changes the claim and writes a ClaimEvent, all in
one transaction: a refused transition changes nothing.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .. import notifications
from ..choices import ClaimStatus
from ..events import claim_event_announce
from ..exceptions import TransitionNotAllowed
from ..models import Claim, ClaimEvent, Correction, Stance, VerdictRating, content_language
from ..permissions import check_assign, check_transition
from .locking import claim_lock


class _Unchanged:
    def __repr__(self):
        return "<unchanged>"


UNCHANGED = _Unchanged()


def _record(claim: Claim, *, kind: str, actor, from_status: str = "", comment="", data=None):
    ClaimEvent.objects.create(
        claim=claim,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=claim.status if from_status else "",
        comment=comment,
        data=data or {},
    )


def _save(claim: Claim, actor) -> None:
    claim.save_new_version(actor=actor)


def _move(claim: Claim, *, to_status: str, kind: str, actor, comment: str = "") -> Claim:
    """Change the (locked) claim's status and record the step."""
    from_status = claim.status
    claim.status = to_status
    claim.status_changed_at = timezone.now()
    _save(claim, actor)
    _record(claim, kind=kind, actor=actor, from_status=from_status, comment=comment)
    return claim


def _locked(claim: Claim, actor, action: str, *, expected_version: int | None = None) -> Claim:
    """Lock the row, then check the rule against what is in the database, not a stale copy."""
    locked = claim_lock(claim.pk, expected_version=expected_version)
    check_transition(actor, action, locked)
    return locked


def _required(text: str, message: str, code: str) -> str:
    if not (text or "").strip():
        raise TransitionNotAllowed(message, code=code)
    return text.strip()


def submission_problems(claim: Claim) -> list[str]:
    """What a claim still lacks before an editor can review (and publish) it."""
    problems = []
    if claim.verdict_id is None:
        problems.append(_("choose a verdict"))
    if not claim.rationale.strip():
        problems.append(_("write the rationale"))
    # An "Unverifiable" verdict has, by definition, no source that settles the claim; its
    # rationale (required above) says what was tried instead.
    off_scale = claim.verdict is not None and claim.verdict.requires_methods_note
    decisive = claim.evidence.filter(stance__in=[Stance.SUPPORTS, Stance.REFUTES])
    if not off_scale and not decisive.exists():
        problems.append(_("attach at least one source that supports or refutes the claim"))
    return problems


def language_problems(claim: Claim) -> list[str]:
    """What publishing still lacks in the desk's main language, when the desk requires it."""
    main = settings.FACTDESK_MAIN_LANGUAGE
    if not settings.FACTDESK_PUBLISH_NEEDS_MAIN_LANGUAGE:
        return []
    if content_language(claim.language) == main:
        return []
    translation = claim.translations.filter(language=main).first()
    if translation is not None and translation.rationale.strip():
        return []
    return [
        _("translate the short wording and the rationale into %(language)s")
        % {"language": get_language_info(main)["name_translated"]}
    ]


@transaction.atomic
def claim_start_research(*, claim: Claim, actor) -> Claim:
    """Take a new claim into research; whoever starts it holds it unless someone already does."""
    claim = _locked(claim, actor, "start_research")
    if claim.assignee_id is None:
        claim.assignee = actor
    return _move(
        claim, to_status=ClaimStatus.RESEARCHING, kind=ClaimEvent.Kind.RESEARCH_STARTED, actor=actor
    )


@transaction.atomic
def claim_submit_for_review(*, claim: Claim, actor, comment: str = "") -> Claim:
    """Hand a researched claim to an editor. Needs a verdict, a rationale and decisive evidence."""
    claim = _locked(claim, actor, "submit")
    problems = submission_problems(claim)
    if problems:
        raise TransitionNotAllowed(
            _("Before submitting: %(todo)s.") % {"todo": "; ".join(problems)}, code="incomplete"
        )
    claim.submitted_by = actor
    claim = _move(
        claim,
        to_status=ClaimStatus.IN_REVIEW,
        kind=ClaimEvent.Kind.SUBMITTED,
        actor=actor,
        comment=comment,
    )
    notifications.notify_review_waiting(claim=claim, submitter=actor)
    return claim


@transaction.atomic
def claim_request_changes(*, claim: Claim, actor, comment: str) -> Claim:
    """Send a claim in review back to research, saying what to change."""
    comment = _required(comment, _("Say what needs to change."), "no_comment")
    claim = _locked(claim, actor, "request_changes")
    return _move(
        claim,
        to_status=ClaimStatus.RESEARCHING,
        kind=ClaimEvent.Kind.CHANGES_REQUESTED,
        actor=actor,
        comment=comment,
    )


@transaction.atomic
def claim_publish(*, claim: Claim, actor, comment: str = "") -> Claim:
    """Approve and publish a claim in review; records the publisher and the time.

    The content is checked again: an editor may have changed it while it was in review.
    """
    claim = _locked(claim, actor, "publish")
    problems = submission_problems(claim) + language_problems(claim)
    if problems:
        raise TransitionNotAllowed(
            _("Before publishing: %(todo)s.") % {"todo": "; ".join(problems)}, code="incomplete"
        )
    claim.published_by = actor
    claim.reviewer = actor
    claim.published_at = claim.published_at or timezone.now()
    claim.unpublished_reason = ""
    claim = _move(
        claim,
        to_status=ClaimStatus.PUBLISHED,
        kind=ClaimEvent.Kind.PUBLISHED,
        actor=actor,
        comment=comment,
    )
    claim_event_announce(claim=claim, event="claim.published")
    return claim


@transaction.atomic
def claim_dismiss(*, claim: Claim, actor, reason: str) -> Claim:
    """Set a claim aside as not check-worthy; the reason is kept on the record."""
    reason = _required(reason, _("Say why the claim is not worth checking."), "no_reason")
    claim = _locked(claim, actor, "dismiss")
    return _move(
        claim,
        to_status=ClaimStatus.DISMISSED,
        kind=ClaimEvent.Kind.DISMISSED,
        actor=actor,
        comment=reason,
    )


@transaction.atomic
def claim_reopen(*, claim: Claim, actor, comment: str = "") -> Claim:
    """Bring a dismissed claim back: to research if someone holds it, else to the new pile."""
    claim = _locked(claim, actor, "reopen")
    to_status = ClaimStatus.RESEARCHING if claim.assignee_id else ClaimStatus.NEW
    return _move(
        claim, to_status=to_status, kind=ClaimEvent.Kind.REOPENED, actor=actor, comment=comment
    )


@transaction.atomic
def claim_unpublish(*, claim: Claim, actor, reason: str) -> Claim:
    """Take a published claim down; the reason is public. It goes back to research."""
    reason = _required(reason, _("Give the public reason for unpublishing."), "no_reason")
    claim = _locked(claim, actor, "unpublish")
    claim.unpublished_reason = reason
    claim = _move(
        claim,
        to_status=ClaimStatus.RESEARCHING,
        kind=ClaimEvent.Kind.UNPUBLISHED,
        actor=actor,
        comment=reason,
    )
    claim_event_announce(claim=claim, event="claim.unpublished")
    return claim


@transaction.atomic
def claim_correct(
    *,
    claim: Claim,
    actor,
    note: str,
    verdict: VerdictRating | _Unchanged | None = UNCHANGED,
    rationale: str | _Unchanged = UNCHANGED,
    expected_version: int | None = None,
) -> Claim:
    """Change a published verdict or rationale in public (IFCN's corrections principle).

    Writes a Correction row that keeps the old verdict and rationale, shown on the claim's page
    and in the corrections list, and a CORRECTED event.
    """
    note = _required(note, _("Write the public correction note."), "no_note")
    claim = _locked(claim, actor, "correct", expected_version=expected_version)
    new_verdict = claim.verdict if verdict is UNCHANGED else verdict
    new_rationale = claim.rationale if rationale is UNCHANGED else rationale.strip()
    if new_verdict is None:
        raise TransitionNotAllowed({"verdict": _("A published claim needs a verdict.")})
    if not new_rationale:
        raise TransitionNotAllowed({"rationale": _("A published claim needs a rationale.")})
    if new_verdict.pk == claim.verdict_id and new_rationale == claim.rationale:
        raise TransitionNotAllowed(
            _("A correction changes the verdict or the rationale; neither changed."),
            code="nothing_to_correct",
        )
    correction = Correction.objects.create(
        claim=claim,
        note=note,
        previous_verdict_id=claim.verdict_id,
        new_verdict=new_verdict,
        previous_rationale=claim.rationale,
        corrected_by=actor,
    )
    previous_verdict_id = claim.verdict_id
    claim.verdict, claim.rationale = new_verdict, new_rationale
    _save(claim, actor)
    _record(
        claim,
        kind=ClaimEvent.Kind.CORRECTED,
        actor=actor,
        comment=note,
        data={
            "correction": correction.pk,
            "previous_verdict": previous_verdict_id,
            "new_verdict": new_verdict.pk,
        },
    )
    claim_event_announce(claim=claim, event="claim.corrected")
    return claim


@transaction.atomic
def claim_assign(*, claim: Claim, actor, assignee) -> Claim:
    """Give the claim to `assignee` (yourself, or anyone on the desk if you may assign)."""
    claim = claim_lock(claim.pk)
    check_assign(actor, claim, assignee)
    if claim.assignee_id == assignee.pk:
        return claim
    previous = claim.assignee_id
    claim.assignee = assignee
    _save(claim, actor)
    _record(
        claim,
        kind=ClaimEvent.Kind.ASSIGNED,
        actor=actor,
        data={"assignee": assignee.pk, "previous": previous},
    )
    notifications.notify_assigned(claim=claim, assignee=assignee, actor=actor)
    return claim


@transaction.atomic
def claim_unassign(*, claim: Claim, actor) -> Claim:
    """Leave the claim with nobody; you may drop your own, an editor anyone's."""
    claim = _locked(claim, actor, "unassign")
    previous = claim.assignee_id
    claim.assignee = None
    _save(claim, actor)
    _record(claim, kind=ClaimEvent.Kind.UNASSIGNED, actor=actor, data={"previous": previous})
    return claim


__all__ = [
    "UNCHANGED",
    "claim_assign",
    "claim_correct",
    "claim_dismiss",
    "claim_publish",
    "claim_reopen",
    "claim_request_changes",
    "claim_start_research",
    "claim_submit_for_review",
    "claim_unassign",
    "claim_unpublish",
    "submission_problems",
]
