"""Monitored media in the admin: sources with their health (last run's status, counts and first
reason), each run's reasons, "fetch now", transcript upload, the items and sentences read; the
morning list and the live page are views of their own (monitoring/admin_views.py)."""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lib.admin_health_log import HealthLogColumns

from . import admin_views
from .fetching import source_monitor_later
from .models import MonitoredItem, MonitoredSentence, MonitoredSource, MonitorRun


@admin.register(MonitoredSource)
class MonitoredSourceAdmin(HealthLogColumns, admin.ModelAdmin):
    runs_changelist = "admin:monitoring_monitorrun_changelist"
    recent_runs_template = "admin/monitoring/_recent_runs.html"
    list_display = [
        "name",
        "kind",
        "active",
        "last_status",
        "last_counts",
        "last_reason",
        "last_run_at",
        "next_due_at",
        "tools",
    ]
    list_filter = ["kind", "active"]
    list_select_related = ["outlet"]
    search_fields = ["name", "url", "speaker_name"]
    autocomplete_fields = ["outlet"]
    actions = ["fetch_now"]
    readonly_fields = ["last_run_at", "next_due_at", "recent_runs"]
    fields = [
        "name",
        "kind",
        "url",
        "outlet",
        "language",
        "speaker_name",
        "active",
        "interval_minutes",
        "last_run_at",
        "next_due_at",
        "recent_runs",
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("morning/", view(admin_views.morning_list_view), name="monitoring_morning"),
            path(
                "sentence/<int:pk>/open/",
                view(admin_views.sentence_open_view),
                name="monitoring_sentence_open",
            ),
            path("<int:pk>/upload/", view(admin_views.upload_view), name="monitoring_upload"),
            path("<int:pk>/live/", view(admin_views.live_view), name="monitoring_live"),
            path(
                "<int:pk>/live.json", view(admin_views.live_json_view), name="monitoring_live_json"
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("items / new / sentences / kept"))
    def last_counts(self, obj):
        run = self._latest(obj)
        return f"{run.items} / {run.new_items} / {run.sentences} / {run.kept}" if run else "—"

    @admin.display(description=_("transcript"))
    def tools(self, obj):
        if obj.is_fetched:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:monitoring_upload", args=[obj.pk]),
            _("upload"),
            reverse("admin:monitoring_live", args=[obj.pk]),
            _("live"),
        )

    @admin.action(description=_("Fetch now (queued for the worker)"))
    def fetch_now(self, request, queryset):
        count = 0
        for source in queryset:
            if source.is_fetched:
                source_monitor_later(source)
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

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "morning_url": reverse("admin:monitoring_morning"),
        }
        return super().changelist_view(request, extra_context)


@admin.register(MonitorRun)
class MonitorRunAdmin(admin.ModelAdmin):
    list_display = [
        "source",
        "started_at",
        "finished_at",
        "status",
        "items",
        "new_items",
        "duplicates",
        "rejected",
        "sentences",
        "kept",
    ]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    exclude = ["errors"]

    @admin.display(description=_("reasons"))
    def reasons(self, obj):
        return render_to_string("admin/factchecks/_reasons.html", {"reasons": obj.errors})

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "errors"] + ["reasons"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SentenceInline(admin.TabularInline):
    model = MonitoredSentence
    fields = ["position", "text", "score", "speaker_name", "matched_claim", "kept"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("matched_claim")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MonitoredItem)
class MonitoredItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "speaker_name", "published_at", "fetched_at", "is_live"]
    list_filter = ["source", "is_live"]
    list_select_related = ["source"]
    search_fields = ["title", "url"]
    date_hierarchy = "fetched_at"
    exclude = ["article"]
    inlines = [SentenceInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonitoredSentence)
class MonitoredSentenceAdmin(admin.ModelAdmin):
    list_display = ["text_short", "score", "topic", "speaker_name", "matched_claim", "kept"]
    list_filter = ["kept", "topic", "item__source"]
    list_select_related = ["topic", "matched_claim", "item__source"]
    search_fields = ["text", "speaker_name"]
    date_hierarchy = "created_at"

    @admin.display(description=_("sentence"))
    def text_short(self, obj):
        return obj.text[:140]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
