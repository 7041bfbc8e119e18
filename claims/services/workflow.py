"""Workflow transitions: new -> researching -> in review -> published.

Each transition locks the claim row, checks its rules, changes the claim and writes a
ClaimEvent, all in one transaction: a refused transition changes nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ClaimStatus
from ..exceptions import TransitionNotAllowed
from ..models import Claim, ClaimEvent, Stance
from .claims import claim_lock


def _move(claim: Claim, *, to_status: str, kind: str, actor, comment: str = "") -> Claim:
    """Change the (locked) claim's status and record the step."""
    from_status = claim.status
    claim.status = to_status
    claim.status_changed_at = timezone.now()
    claim.version += 1
    claim._history_user = actor
    claim.save()
    ClaimEvent.objects.create(
        claim=claim,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    return claim


def _require_status(claim: Claim, *allowed: str) -> None:
    if claim.status not in allowed:
        raise TransitionNotAllowed(
            _("This claim is %(status)s; that step needs it to be %(allowed)s.")
            % {
                "status": claim.get_status_display(),
                "allowed": " / ".join(str(ClaimStatus(s).label) for s in allowed),
            },
            code="wrong_status",
        )


@transaction.atomic
def claim_start_research(*, claim: Claim, actor) -> Claim:
    claim = claim_lock(claim.pk)
    _require_status(claim, ClaimStatus.NEW)
    if claim.assignee_id is None:
        claim.assignee = actor
    return _move(
        claim, to_status=ClaimStatus.RESEARCHING, kind=ClaimEvent.Kind.RESEARCH_STARTED, actor=actor
    )


@transaction.atomic
def claim_submit_for_review(*, claim: Claim, actor, comment: str = "") -> Claim:
    """Hand a researched claim to an editor. Needs a verdict, a rationale and decisive evidence."""
    claim = claim_lock(claim.pk)
    _require_status(claim, ClaimStatus.RESEARCHING)
    problems = []
    if claim.verdict_id is None:
        problems.append(_("choose a verdict"))
    if not claim.rationale.strip():
        problems.append(_("write the rationale"))
    decisive = claim.evidence.filter(stance__in=[Stance.SUPPORTS, Stance.REFUTES])
    # An "Unverifiable" verdict has, by definition, no source that settles the claim.
    off_scale = claim.verdict is not None and claim.verdict.requires_methods_note
    if not off_scale and not decisive.exists():
        problems.append(_("attach at least one source that supports or refutes the claim"))
    if problems:
        raise TransitionNotAllowed(
            _("Before submitting: %(todo)s.") % {"todo": "; ".join(problems)},
            code="incomplete",
        )
    claim.submitted_by = actor
    return _move(
        claim,
        to_status=ClaimStatus.IN_REVIEW,
        kind=ClaimEvent.Kind.SUBMITTED,
        actor=actor,
        comment=comment,
    )


@transaction.atomic
def claim_publish(*, claim: Claim, actor, comment: str = "") -> Claim:
    """Approve and publish a claim in review; records the publisher and the time."""
    claim = claim_lock(claim.pk)
    _require_status(claim, ClaimStatus.IN_REVIEW)
    now = timezone.now()
    claim.published_by = actor
    claim.reviewer = actor
    claim.published_at = claim.published_at or now
    return _move(
        claim,
        to_status=ClaimStatus.PUBLISHED,
        kind=ClaimEvent.Kind.PUBLISHED,
        actor=actor,
        comment=comment,
    )


@transaction.atomic
def claim_dismiss(*, claim: Claim, actor, reason: str) -> Claim:
    """Set a claim aside as not check-worthy; the reason is kept on the record."""
    if not reason.strip():
        raise TransitionNotAllowed(_("Say why the claim is not worth checking."), code="no_reason")
    claim = claim_lock(claim.pk)
    _require_status(claim, ClaimStatus.NEW, ClaimStatus.RESEARCHING)
    return _move(
        claim,
        to_status=ClaimStatus.DISMISSED,
        kind=ClaimEvent.Kind.DISMISSED,
        actor=actor,
        comment=reason,
    )
