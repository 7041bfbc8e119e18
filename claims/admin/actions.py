"""Workflow steps from the admin: the change page's panel and the changelist's bulk actions.

Both call the services one claim at a time, so each step is checked, locked, recorded as an
event and kept in the history like any other.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import services
from ..models import VerdictRating


def reason(error: Exception) -> str:
    """The message a refused step shows, whichever exception carried it."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do that.")


def _text(request) -> str:
    return request.POST.get("text", "")


def take_step(request, claim, action: str):
    """Run the workflow step `action` with what the panel posted. Raises what the service does."""
    actor = request.user
    if action == "start_research":
        return services.claim_start_research(claim=claim, actor=actor)
    if action == "submit":
        return services.claim_submit_for_review(claim=claim, actor=actor, comment=_text(request))
    if action == "request_changes":
        return services.claim_request_changes(claim=claim, actor=actor, comment=_text(request))
    if action == "publish":
        return services.claim_publish(claim=claim, actor=actor, comment=_text(request))
    if action == "dismiss":
        return services.claim_dismiss(claim=claim, actor=actor, reason=_text(request))
    if action == "reopen":
        return services.claim_reopen(claim=claim, actor=actor, comment=_text(request))
    if action == "unpublish":
        return services.claim_unpublish(claim=claim, actor=actor, reason=_text(request))
    if action == "unassign":
        return services.claim_unassign(claim=claim, actor=actor)
    if action == "assign":
        assignee_id = request.POST.get("assignee") or actor.pk
        assignee = get_user_model().objects.filter(pk=assignee_id).first()
        if assignee is None:
            raise ValidationError(_("Choose someone to assign the claim to."))
        return services.claim_assign(claim=claim, actor=actor, assignee=assignee)
    if action == "correct":
        verdict = VerdictRating.objects.filter(pk=request.POST.get("verdict") or 0).first()
        return services.claim_correct(
            claim=claim,
            actor=actor,
            note=_text(request),
            verdict=verdict or services.UNCHANGED,
            rationale=request.POST.get("rationale", claim.rationale),
        )
    raise ValueError(_("There is no step called %s.") % action)


DONE = {
    "start_research": gettext_lazy("Research started."),
    "submit": gettext_lazy("Submitted for review."),
    "request_changes": gettext_lazy("Sent back to research with your comment."),
    "publish": gettext_lazy("Published."),
    "dismiss": gettext_lazy("Dismissed."),
    "reopen": gettext_lazy("Reopened."),
    "unpublish": gettext_lazy("Unpublished."),
    "correct": gettext_lazy("Correction published."),
    "assign": gettext_lazy("Assigned."),
    "unassign": gettext_lazy("Nobody is assigned now."),
}


def done_message(action: str, claim) -> str:
    return f"{DONE[action]} «{claim.claim_reviewed}»"


def run_on_each(modeladmin, request, queryset, step, done: str) -> None:
    """Apply `step(claim)` to each selected claim on its own; report what worked and what not.

    One refused claim does not stop the others, and each is written (with its event and history
    row) by the service, never by a QuerySet.update() that would skip both.
    """
    succeeded, refused = 0, []
    for claim in queryset.order_by("pk"):
        try:
            with transaction.atomic():
                step(claim)
        except (PermissionDenied, ValidationError) as error:
            refused.append(f"«{claim.claim_reviewed}»: {reason(error)}")
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{done} ({succeeded})", messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)d claim was left as it was: ",
                "%(n)d claims were left as they were: ",
                len(refused),
            )
            % {"n": len(refused)}
            + "; ".join(refused),
            messages.WARNING,
        )


@admin.action(description=gettext_lazy("Assign to me"), permissions=["change"])
def assign_to_me(modeladmin, request, queryset):
    run_on_each(
        modeladmin,
        request,
        queryset,
        lambda claim: services.claim_assign(claim=claim, actor=request.user, assignee=request.user),
        _("Assigned to you"),
    )


@admin.action(description=gettext_lazy("Submit for review"), permissions=["submit"])
def submit_for_review(modeladmin, request, queryset):
    run_on_each(
        modeladmin,
        request,
        queryset,
        lambda claim: services.claim_submit_for_review(claim=claim, actor=request.user),
        _("Submitted for review"),
    )


@admin.action(description=gettext_lazy("Approve and publish"), permissions=["publish"])
def approve_and_publish(modeladmin, request, queryset):
    run_on_each(
        modeladmin,
        request,
        queryset,
        lambda claim: services.claim_publish(claim=claim, actor=request.user),
        _("Published"),
    )


@admin.action(description=gettext_lazy("Request changes"), permissions=["request_changes"])
def request_changes(modeladmin, request, queryset):
    """Asks for the comment on an intermediate page, then sends each claim back."""
    comment = request.POST.get("comment", "")
    if "apply" in request.POST and comment.strip():
        run_on_each(
            modeladmin,
            request,
            queryset,
            lambda claim: services.claim_request_changes(
                claim=claim, actor=request.user, comment=comment
            ),
            _("Sent back to research"),
        )
        return None
    return TemplateResponse(
        request,
        "admin/claims/claim/request_changes.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Request changes"),
            "opts": modeladmin.model._meta,
            "claims": queryset.select_related("article"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "comment": comment,
            "missing_comment": "apply" in request.POST,
        },
    )
