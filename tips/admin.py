"""Triage of readers' questions: the requests, most recently asked first, with how often and
how lately they were asked; make a claim of one, merge several, dismiss. Actions call
tips.services. Readers' addresses are shown only to staff holding tips.view_tipcontact."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .models import Tip, TipContact, TipRequest, TipRequestDay
from .services import tip_request_claim_create, tip_request_dismiss, tip_requests_merge


class TipInline(admin.TabularInline):
    model = Tip
    fields = ["text", "link", "language", "reader_language", "channel", "count", "last_seen"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class TipContactInline(admin.TabularInline):
    """Personal data: its own table, its own permission (has_view_permission decides)."""

    model = TipContact
    fields = ["email", "language", "created_at"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("readers waiting for the reply")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _week_counts():
    since = timezone.localdate() - timedelta(days=6)
    per_request = (
        TipRequestDay.objects.filter(request=OuterRef("pk"), day__gte=since)
        .values("request")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Subquery(per_request, output_field=IntegerField())


def claim_requests_panel(request, claim) -> dict | None:
    """The claim page's "Asked by readers" panel: the requests the claim was made of (or that
    were merged into one), with their counts, dates and links; desk-only, one query."""
    if not request.user.has_perm("tips.view_tiprequest"):
        return None
    requests = list(
        TipRequest.objects.filter(claim=claim).annotate(week=_week_counts()).order_by("-count")
    )
    if not requests:
        return None
    return {"requests": requests, "total": sum(r.count for r in requests)}


@admin.register(TipRequest)
class TipRequestAdmin(admin.ModelAdmin):
    list_display = [
        "question",
        "count",
        "this_week",
        "first_seen",
        "last_seen",
        "language",
        "answered_by",
        "status",
        "claim_link",
    ]
    list_select_related = ["matched_claim", "matched_fact_check", "claim"]
    list_filter = ["status", "language"]
    search_fields = ["text"]
    ordering = ["-last_seen", "-pk"]
    actions = ["make_claim", "merge", "dismiss"]
    inlines = [TipInline, TipContactInline]
    fields = [
        "text",
        "link",
        "language",
        "status",
        "count",
        "first_seen",
        "last_seen",
        "matched_claim",
        "matched_fact_check",
        "claim",
        "merged_into",
        "note",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(week=_week_counts())

    def has_add_permission(self, request):
        return False  # requests come from readers only

    @admin.display(description=_("question"))
    def question(self, obj):
        return obj.text[:120]

    @admin.display(description=_("this week"), ordering="week")
    def this_week(self, obj):
        return obj.week or 0

    @admin.display(description=_("answered by"))
    def answered_by(self, obj):
        if obj.matched_claim_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:claims_claim_change", args=[obj.matched_claim_id]),
                obj.matched_claim.claim_reviewed[:80],
            )
        if obj.matched_fact_check_id:
            check = obj.matched_fact_check
            return format_html(
                '<a href="{}" rel="noopener">{}: {}</a>',
                check.review_url,
                check.organization_name or _("another organisation"),
                check.rating_text,
            )
        return "—"

    @admin.display(description=_("claim made of it"))
    def claim_link(self, obj):
        if not obj.claim_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:claims_claim_change", args=[obj.claim_id]),
            obj.claim.get_status_display(),
        )

    def _run(self, request, done: str, call) -> None:
        try:
            result = call()
        except (ValidationError, PermissionDenied) as error:
            text = "; ".join(getattr(error, "messages", None) or [str(error)])
            self.message_user(request, text, messages.ERROR)
            return
        self.message_user(request, done % {"result": result}, messages.SUCCESS)

    @admin.action(description=_("Make a claim of it"), permissions=["change"])
    def make_claim(self, request, queryset):
        for tip_request in queryset:
            self._run(
                request,
                str(_("Claim made: %(result)s")),
                lambda tip_request=tip_request: tip_request_claim_create(
                    request=tip_request, actor=request.user
                ),
            )

    @admin.action(description=_("Merge into the most asked"), permissions=["merge"])
    def merge(self, request, queryset):
        requests = sorted(queryset, key=lambda r: (-r.count, r.first_seen, r.pk))
        if len(requests) < 2:
            self.message_user(request, _("Choose at least two requests to merge."), messages.ERROR)
            return
        self._run(
            request,
            str(_("Merged into: %(result)s")),
            lambda: tip_requests_merge(target=requests[0], others=requests[1:], actor=request.user),
        )

    @admin.action(description=_("Dismiss"), permissions=["change"])
    def dismiss(self, request, queryset):
        try:
            for tip_request in queryset:
                tip_request_dismiss(request=tip_request, actor=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        count = len(queryset)
        self.message_user(
            request, ngettext("%d request dismissed.", "%d requests dismissed.", count) % count
        )

    def has_merge_permission(self, request):
        return request.user.has_perm("tips.merge_tiprequest")

    # One click from a request's page: "Make a claim of it" and "Dismiss" (POST buttons in the
    # object tools, templates/admin/tips/tiprequest/change_form.html).
    def get_urls(self):
        mine = [
            path(
                "<int:pk>/make-claim/",
                self.admin_site.admin_view(require_POST(self.make_claim_view)),
                name="tips_tiprequest_make_claim",
            ),
            path(
                "<int:pk>/dismiss/",
                self.admin_site.admin_view(require_POST(self.dismiss_view)),
                name="tips_tiprequest_dismiss",
            ),
        ]
        return mine + super().get_urls()

    def make_claim_view(self, request, pk):
        tip_request = get_object_or_404(TipRequest, pk=pk)
        back = reverse("admin:tips_tiprequest_change", args=[pk])
        try:
            claim = tip_request_claim_create(request=tip_request, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            text = "; ".join(getattr(error, "messages", None) or [str(error)])
            self.message_user(request, text, messages.ERROR)
            return redirect(back)
        self.message_user(request, _("Claim made: %(result)s") % {"result": claim})
        return redirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def dismiss_view(self, request, pk):
        tip_request = get_object_or_404(TipRequest, pk=pk)
        try:
            tip_request_dismiss(request=tip_request, actor=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request, ngettext("%d request dismissed.", "%d requests dismissed.", 1) % 1
            )
        return redirect(reverse("admin:tips_tiprequest_changelist"))
