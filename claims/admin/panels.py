"""What the claim change page and the desk dashboard show besides the form.

Each part is one query (or a fixed few), however many claims, events or comments there are.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..choices import ClaimStatus
from ..models import Claim, Sighting, SightingStatus, VerdictRating
from ..permissions import publish_blocked_reason
from .forms import changes_since, desk_members

CONTEXT_CHARS = 280
HISTORY_SHOWN = 10
DASHBOARD_ROWS = 15
SIGHTINGS_SHOWN = 10  # on a claim's page; the Sightings list has them all


# Panels other apps add to a claim's change page (readers' requests, from tips/), as claims
# imports none of them: (template, function), the function called with (request, claim) and
# returning its template's context, or None to show nothing. Added in the app's ready().
CLAIM_PAGE_PANELS: list[tuple[str, Callable]] = []


def claim_page_panel_add(template: str, function: Callable) -> None:
    if (template, function) not in CLAIM_PAGE_PANELS:
        CLAIM_PAGE_PANELS.append((template, function))


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    text_label: str = ""  # the text box this step asks for, if any
    text_required: bool = False
    primary: bool = False


STEPS = {
    "start_research": Step("start_research", _("Start research"), primary=True),
    "submit": Step("submit", _("Submit for review"), _("Note for the reviewer"), primary=True),
    "publish": Step("publish", _("Approve and publish"), _("Note (internal)"), primary=True),
    "request_changes": Step(
        "request_changes", _("Request changes"), _("What needs to change"), text_required=True
    ),
    "dismiss": Step("dismiss", _("Dismiss"), _("Why it is not worth checking"), True),
    "reopen": Step("reopen", _("Reopen"), _("Why (internal)")),
    "unpublish": Step("unpublish", _("Unpublish"), _("Public reason for unpublishing"), True),
    "correct": Step("correct", _("Publish a correction"), _("Public correction note"), True),
    "assign": Step("assign", _("Assign")),
    "unassign": Step("unassign", _("Unassign")),
}


def article_context(claim: Claim) -> dict | None:
    """The claim's sentence in its article, split around the anchor for highlighting."""
    if claim.article_id is None:
        return None
    if claim.anchor_state == "orphaned" or claim.anchor_start is None:
        # The article changed and the quote was not found again: show where it used to be.
        return {
            "orphaned": claim.anchor_state == "orphaned",
            "before": claim.anchor_prefix,
            "quote": claim.quote,
            "after": claim.anchor_suffix,
        }
    text = claim.article.text
    start, end = claim.anchor_start, claim.anchor_end
    return {
        "orphaned": False,
        "clipped_start": start > CONTEXT_CHARS,
        "before": text[max(0, start - CONTEXT_CHARS) : start],
        "quote": text[start:end],
        "after": text[end : end + CONTEXT_CHARS],
        "clipped_end": end + CONTEXT_CHARS < len(text),
    }


def recent_history(claim: Claim) -> list[tuple[str, str, list[str]]]:
    """The last saves, newest first, each with who, when and which fields changed."""
    versions = list(
        claim.history.order_by("-history_date", "-history_id").values_list("version", flat=True)[
            :HISTORY_SHOWN
        ]
    )
    if not versions:
        return []
    return list(reversed(changes_since(claim, min(versions))))


def change_page_data(request, claim: Claim, *, steps: list[str]) -> dict:
    user = request.user
    data = {
        "steps": [STEPS[name] for name in steps if name not in {"assign", "unassign"}],
        "can_assign": "assign" in steps,
        "can_unassign": "unassign" in steps,
        "assign_anyone": user.has_perm("claims.assign_claim"),
        "version": claim.version,
        "draft": request.session.pop(f"claim-draft-{claim.pk}", None),
        "context": article_context(claim),
        "events": claim.events.select_related("actor"),
        "comments": claim.comments.select_related("author"),
        "corrections": claim.corrections.select_related("previous_verdict", "new_verdict"),
        "history": recent_history(claim),
        "publish_blocked": publish_blocked_reason(user, claim),
        "publish_label": STEPS["publish"].label,
    }
    if data["can_assign"] and data["assign_anyone"]:
        data["members"] = desk_members()
    if "correct" in steps:
        data["verdicts"] = VerdictRating.objects.filter(is_active=True)
    if user.has_perm("claims.view_sighting"):
        data["sightings"] = claim_sightings(claim, may_mark=user.has_perm("claims.change_sighting"))
    data["more_panels"] = [
        {"template": template, **context}
        for template, function in CLAIM_PAGE_PANELS
        if (context := function(request, claim)) is not None
    ]
    return data


def claim_sightings(claim: Claim, *, may_mark: bool) -> dict | None:
    """The claim page's "Repeats" panel: counts by status and the latest sightings (two
    queries); None for a claim never seen again."""
    counts = dict(
        Sighting.objects.filter(claim=claim)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if not counts:
        return None
    return {
        "counts": [(status, counts.get(status.value, 0)) for status in SightingStatus],
        "total": sum(counts.values()),
        "new": counts.get(SightingStatus.NEW, 0),
        "latest": list(Sighting.objects.filter(claim=claim)[:SIGHTINGS_SHOWN]),
        "statuses": SightingStatus.choices,
        "may_mark": may_mark,
    }


def new_sightings_alert() -> dict:
    """The editors' alert on the admin index: how many sightings nobody has handled yet, and
    the latest few (two queries on the partial index of new sightings)."""
    new = Sighting.objects.new()
    return {
        "count": new.count(),
        "latest": list(new.select_related("claim").order_by("-seen_at", "-pk")[:5]),
    }


def dashboard_data(user) -> dict:
    """The desk dashboard on the admin index: what is mine, what waits for me, what is stuck."""
    claims = Claim.objects.select_related("article", "verdict", "assignee")
    counts = dict(
        Claim.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    data = {
        "mine": claims.assigned_to(user).order_by("status_changed_at")[:DASHBOARD_ROWS],
        "counts": [(status, counts.get(status.value, 0)) for status in ClaimStatus],
        "stuck": claims.stuck(settings.FACTDESK_STUCK_DAYS).order_by("status_changed_at")[
            :DASHBOARD_ROWS
        ],
        "stuck_days": settings.FACTDESK_STUCK_DAYS,
        "orphaned": claims.orphaned().order_by("-updated_at")[:DASHBOARD_ROWS],
    }
    if user.has_perm("claims.publish_claim"):
        data["review"] = claims.waiting_for_review_by(user).order_by("status_changed_at")[
            :DASHBOARD_ROWS
        ]
    if user.has_perm("claims.view_sighting"):
        data["sightings"] = new_sightings_alert()
    return data
