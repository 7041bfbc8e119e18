"""The harvest in the admin: sources with their health (last run's status, counts and first
reason), each run's full reasons, "harvest now", and the harvested fact-checks (read-only:
they are other organisations' work, changed only by harvesting them again)."""

import json

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lib.admin_health_log import HealthLogColumns

from .harvesting import source_harvest_later
from .models import ExternalFactCheck, FactCheckSource, HarvestRun


@admin.register(FactCheckSource)
class FactCheckSourceAdmin(HealthLogColumns, admin.ModelAdmin):
    runs_changelist = "admin:factchecks_harvestrun_changelist"
    recent_runs_template = "admin/factchecks/_recent_runs.html"
    list_display = [
        "name",
        "kind",
        "enabled",
        "last_status",
        "last_counts",
        "last_reason",
        "last_run_at",
        "next_due_at",
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "url", "query"]
    actions = ["harvest_now"]
    readonly_fields = ["last_run_at", "next_due_at", "recent_runs"]
    fields = [
        "name",
        "kind",
        "url",
        "query",
        "language",
        "enabled",
        "interval_hours",
        "last_run_at",
        "next_due_at",
        "recent_runs",
    ]

    @admin.display(description=_("seen / new / updated / rejected"))
    def last_counts(self, obj):
        run = self._latest(obj)
        return f"{run.seen} / {run.created} / {run.updated} / {run.rejected}" if run else "—"

    @admin.action(description=_("Harvest now (queued for the worker)"))
    def harvest_now(self, request, queryset):
        count = 0
        for source in queryset:
            source_harvest_later(source)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(n)s source queued; its run appears here when the worker has read it.",
                "%(n)s sources queued; their runs appear here when the worker has read them.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(HarvestRun)
class HarvestRunAdmin(admin.ModelAdmin):
    list_display = [
        "source",
        "started_at",
        "finished_at",
        "status",
        "seen",
        "created",
        "updated",
        "rejected",
    ]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    readonly_fields = [
        "source",
        "started_at",
        "finished_at",
        "status",
        "seen",
        "created",
        "updated",
        "rejected",
        "reasons",
    ]
    exclude = ["errors"]

    @admin.display(description=_("reasons"))
    def reasons(self, obj):
        return render_to_string("admin/factchecks/_reasons.html", {"reasons": obj.errors})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExternalFactCheck)
class ExternalFactCheckAdmin(admin.ModelAdmin):
    list_display = [
        "claim_reviewed_short",
        "organization_name",
        "rating_text",
        "language",
        "reviewed_at",
        "review_link",
    ]
    list_filter = ["language", "source"]
    search_fields = ["claim_reviewed", "organization_name", "review_url"]
    date_hierarchy = "reviewed_at"
    exclude = ["raw"]

    @admin.display(description=_("claim reviewed"))
    def claim_reviewed_short(self, obj):
        return obj.claim_reviewed[:120]

    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            obj.review_url,
            _("open"),
        )

    @admin.display(description=_("the review as harvested"))
    def raw_review(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.raw, indent=1, ensure_ascii=False))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "raw"] + ["raw_review"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
