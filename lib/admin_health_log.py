"""The health-log columns of an admin for sources read on a schedule (the fact-check harvest's
and monitored media's), each source's runs under `source.runs` with `started_at`, a status
and `errors` (lib/run_log.py): the latest run in one more query for the whole list, its
status, its first reason linked to the source's runs, and the recent runs on the change form.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

RECENT_RUNS = 10


class HealthLogColumns:
    """Mixed into a ModelAdmin. `runs_changelist` is the admin URL name of the runs' list,
    `recent_runs_template` the template of the change form's table; `last_counts`, whose
    counts differ by kind of source, stays with each admin (read the run with `_latest`)."""

    runs_changelist: str
    recent_runs_template: str

    def get_queryset(self, request):
        runs = self.model._meta.get_field("runs").related_model
        latest = runs.objects.order_by("-started_at", "-pk")[:1]
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("runs", queryset=latest, to_attr="latest_runs"))
        )

    @staticmethod
    def _latest(obj):
        runs = getattr(obj, "latest_runs", None)
        return runs[0] if runs else None

    @admin.display(description=_("last run"))
    def last_status(self, obj):
        run = self._latest(obj)
        return run.get_status_display() if run else "—"

    @admin.display(description=_("last reason"))
    def last_reason(self, obj):
        run = self._latest(obj)
        if not run or not run.errors:
            return "—"
        more = len(run.errors) - 1
        return format_html(
            '{}{} <a href="{}?source__id__exact={}">{}</a>',
            run.errors[0][:160],
            f" (+{more})" if more else "",
            reverse(self.runs_changelist),
            obj.pk,
            _("runs"),
        )

    @admin.display(description=_("recent runs"))
    def recent_runs(self, obj):
        if not obj.pk:
            return "—"
        runs = obj.runs.order_by("-started_at", "-pk")[:RECENT_RUNS]
        return render_to_string(self.recent_runs_template, {"runs": runs})
