"""Who may do what to a claim: the one place the desk's rules about people live.

The workflow services call `check_transition` before they change anything, so a rule holds
whichever door a change comes through (admin, API, command). The admin calls
`allowed_transitions` to offer only the buttons the current user may press.

Permissions are Django permissions (granted to the Fact-checkers and Editors groups by
migration 0004), so a newsroom can adjust who holds them in the admin.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .choices import ClaimStatus
from .exceptions import TransitionNotAllowed

OPEN = (ClaimStatus.NEW, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW)


@dataclass(frozen=True)
class Rule:
    permission: str
    from_statuses: tuple[str, ...]


RULES: dict[str, Rule] = {
    "start_research": Rule("claims.change_claim", (ClaimStatus.NEW,)),
    "submit": Rule("claims.submit_claim", (ClaimStatus.RESEARCHING,)),
    "request_changes": Rule("claims.request_changes_claim", (ClaimStatus.IN_REVIEW,)),
    "publish": Rule("claims.publish_claim", (ClaimStatus.IN_REVIEW,)),
    "dismiss": Rule("claims.dismiss_claim", (ClaimStatus.NEW, ClaimStatus.RESEARCHING)),
    "reopen": Rule("claims.dismiss_claim", (ClaimStatus.DISMISSED,)),
    "unpublish": Rule("claims.unpublish_claim", (ClaimStatus.PUBLISHED,)),
    "correct": Rule("claims.correct_claim", (ClaimStatus.PUBLISHED,)),
    # Anyone on the desk may take an unassigned claim or drop their own; assigning others
    # needs claims.assign_claim (see check_assign).
    "assign": Rule("claims.change_claim", (*OPEN, ClaimStatus.PUBLISHED)),
    "unassign": Rule("claims.change_claim", (*OPEN, ClaimStatus.PUBLISHED)),
}

# The order the admin shows the buttons in.
TRANSITIONS = list(RULES)


def require_person(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("This step must be taken by a signed-in person."))


def researcher_id(claim) -> int | None:
    """Who researched the claim: whoever submitted it, else whoever entered it."""
    return claim.submitted_by_id or claim.created_by_id


def check_status(action: str, claim) -> None:
    statuses = RULES[action].from_statuses
    if claim.status not in statuses:
        raise TransitionNotAllowed(
            _("This claim is %(status)s; that step needs it to be %(allowed)s.")
            % {
                "status": claim.get_status_display().lower(),
                "allowed": " / ".join(str(ClaimStatus(s).label).lower() for s in statuses),
            },
            code="wrong_status",
        )


def check_transition(user, action: str, claim) -> None:
    """Raise PermissionDenied (the person) or TransitionNotAllowed (the claim's state).

    Content rules (a verdict before submitting, a note for a correction) are the services'.
    """
    require_person(user)
    rule = RULES[action]
    if not user.has_perm(rule.permission):
        raise PermissionDenied(_("You do not have permission to do that to a claim."))
    check_status(action, claim)
    if action == "publish":
        check_second_reviewer(user, claim)
    elif action == "unassign":
        if claim.assignee_id is None:
            raise TransitionNotAllowed(_("Nobody is assigned to this claim."), code="unassigned")
        if claim.assignee_id != user.pk and not user.has_perm("claims.assign_claim"):
            raise PermissionDenied(_("Only an editor can take a claim away from a colleague."))
    elif (
        action == "assign"
        and claim.assignee_id not in (None, user.pk)
        and not user.has_perm("claims.assign_claim")
    ):
        raise PermissionDenied(_("Only an editor can reassign a claim someone else holds."))


def check_second_reviewer(user, claim) -> None:
    """Two-person rule: whoever researched a claim cannot also approve it."""
    if settings.FACTDESK_REQUIRE_SECOND_REVIEWER and researcher_id(claim) == user.pk:
        raise PermissionDenied(
            _("You researched this claim, so a second editor must approve it (two-person rule).")
        )


def publish_blocked_reason(user, claim) -> str | None:
    """Why an editor who may publish cannot publish this claim (the two-person rule), for the
    admin to say where the Publish button would be; None when that is not the reason."""
    if claim.status != ClaimStatus.IN_REVIEW or not user.has_perm(RULES["publish"].permission):
        return None
    try:
        check_second_reviewer(user, claim)
    except PermissionDenied as error:
        return str(error.args[0])
    return None


def check_assign(user, claim, assignee) -> None:
    """The full rule for assigning `assignee`: the transition rule plus who may be chosen."""
    check_transition(user, "assign", claim)
    check_may_assign_to(user, assignee)


def check_may_assign_to(user, assignee) -> None:
    """Who `user` may choose as assignee, whatever the claim: themselves, or anyone on the desk
    with claims.assign_claim (editors). Also asked of a claim not yet created."""
    if assignee.pk != user.pk and not user.has_perm("claims.assign_claim"):
        raise PermissionDenied(_("Only an editor can assign a claim to someone else."))
    if not (assignee.is_active and assignee.is_staff and assignee.has_perm("claims.change_claim")):
        raise TransitionNotAllowed(
            _("%(name)s is not on the desk, so they cannot be assigned claims.")
            % {"name": assignee.get_full_name() or assignee.get_username()},
            code="not_on_desk",
        )


def transition_key(user, claim) -> tuple:
    """Everything of the claim that check_transition() reads for this user: two claims with
    the same key allow the same steps (a list works them out once per key). A rule that reads
    more of the claim must add it here."""
    return (
        claim.status,
        claim.assignee_id is None,
        claim.assignee_id == user.pk,
        researcher_id(claim) == user.pk,
    )


def may(user, action: str, claim) -> bool:
    try:
        check_transition(user, action, claim)
    except (PermissionDenied, TransitionNotAllowed):
        return False
    return True


def allowed_transitions(user, claim) -> list[str]:
    """The steps `user` may take on `claim` now, in the order the admin shows them.

    Content rules are not checked here (a claim without a verdict still offers "submit", and
    the service then says what is missing), so the user learns what to fix.
    """
    return [action for action in TRANSITIONS if may(user, action, claim)]


# Fields a person may edit, by claim status. Verdict and rationale of a published claim change
# only through a correction (claim_correct), which keeps the old ones on the public record.
CONTENT_FIELDS = frozenset(
    {
        "quote",
        "claim_reviewed",
        "claimant",
        "speaker",
        "claimant_is_organization",
        "claimant_url",
        "attribution",
        "claimed_on",
        "language",
        "parent",
        "verdict",
        "rationale",
        "topics",
    }
)
EDITABLE_BY_STATUS: dict[str, frozenset[str]] = {
    ClaimStatus.NEW: CONTENT_FIELDS,
    ClaimStatus.RESEARCHING: CONTENT_FIELDS,
    # The reviewer may polish wording before signing off (see editable_fields).
    ClaimStatus.IN_REVIEW: CONTENT_FIELDS,
    ClaimStatus.PUBLISHED: CONTENT_FIELDS - {"quote", "verdict", "rationale", "language"},
    ClaimStatus.DISMISSED: frozenset(),
}


def may_add_evidence(user, claim) -> bool:
    """Whether `user` may add evidence to `claim` now: the permission, and the right to edit
    the claim in its current state. One rule for the service and the buttons that call it."""
    return (
        user is not None
        and user.has_perm("claims.add_evidence")
        and bool(editable_fields(user, claim))
    )


def editable_fields(user, claim) -> frozenset[str]:
    """The content fields `user` may change on `claim` in its current state."""
    if user is None or not user.has_perm("claims.change_claim"):
        return frozenset()
    # In review and once public, only those who sign off (editors) may touch the content.
    signed_off = claim.status in (ClaimStatus.IN_REVIEW, ClaimStatus.PUBLISHED)
    if signed_off and not user.has_perm("claims.publish_claim"):
        return frozenset()
    return EDITABLE_BY_STATUS[claim.status]
