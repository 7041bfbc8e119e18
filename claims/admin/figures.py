"""The desk's figures page in the admin: charts and tables for a date range, and the same
figures as CSV. Editors and checkers (the desk: claims.view_claim) may read it."""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.charts import Bar, bar_chart

from .. import visibility
from ..choices import ClaimStatus
from ..figures import DeskFigures, default_range, desk_figures


class RangeForm(forms.Form):
    since = forms.DateField(label=gettext_lazy("From"), required=False)
    until = forms.DateField(label=gettext_lazy("To"), required=False)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The range must start before it ends."))
        return data


def figures_view(model_admin, request):
    if not visibility.sees_drafts(request):
        raise PermissionDenied
    form = RangeForm(request.GET or None)
    since, until = default_range()
    if form.is_bound and form.is_valid():
        since = form.cleaned_data["since"] or since
        until = form.cleaned_data["until"] or until
    figures = desk_figures(since, until)
    if request.GET.get("export") == "csv" and not form.errors:
        return _csv(figures)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Desk figures"),
        "opts": model_admin.model._meta,
        "form": form,
        "figures": figures,
        "charts": _charts(figures),
        "status_labels": dict(ClaimStatus.choices),
        "verdict_codes": [verdict.code for verdict in figures.scale],
        "csv_query": _csv_query(request),
    }
    return TemplateResponse(
        request, "admin/claims/figures.html", context, status=400 if form.errors else 200
    )


def _csv_query(request) -> str:
    query = request.GET.copy()
    query["export"] = "csv"
    return query.urlencode()


def _charts(figures: DeskFigures) -> dict:
    colours = {verdict.code: verdict.colour for verdict in figures.scale}
    labels = dict(ClaimStatus.choices)
    totals = {}
    for table in (figures.by_outlet, figures.by_topic, figures.by_claimant):
        for _name, counts, _total in table.rows:
            for code, count in counts.items():
                totals[code] = totals.get(code, 0) + count
    return {
        "per_week": bar_chart(
            [Bar(label=f"{week:%Y-%m-%d}", value=n) for week, n in figures.per_week],
            title=_("Claims published each week"),
        ),
        "backlog": bar_chart(
            [
                Bar(label=f"{labels[status]}, {age} d", value=n)
                for status, age, n in figures.backlog
            ],
            title=_("Open claims by status and age in days"),
        ),
        "workload": bar_chart(
            [Bar(label=row["name"], value=row["open"]) for row in figures.workload],
            title=_("Open claims per checker"),
        ),
        "by_claimant": bar_chart(
            [Bar(label=name, value=total) for name, _counts, total in figures.by_claimant.rows],
            title=_("Published checks per claimant"),
        ),
        "verdicts": bar_chart(
            [
                Bar(label=verdict.label, value=totals.get(verdict.code, 0), colour=verdict.colour)
                for verdict in figures.scale
                if verdict.code in colours
            ],
            title=_("Published checks by verdict"),
        ),
    }


def _csv(figures: DeskFigures) -> HttpResponse:
    """One long table: figure, group, key, value; what a spreadsheet pivots easily."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="desk-figures-{figures.since}-{figures.until}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["figure", "group", "key", "value"])
    for week, n in figures.per_week:
        writer.writerow(["published_per_week", f"{week:%Y-%m-%d}", "", n])
    writer.writerow(["time_to_verdict_days", "all", "median", figures.median_days])
    writer.writerow(["time_to_verdict_days", "all", "p90", figures.p90_days])
    for status, age, n in figures.backlog:
        writer.writerow(["backlog", status, age, n])
    for figure, table in (
        ("verdicts_by_outlet", figures.by_outlet),
        ("verdicts_by_topic", figures.by_topic),
        ("verdicts_by_claimant", figures.by_claimant),
    ):
        for name, counts, _total in table.rows:
            for code, n in counts.items():
                writer.writerow([figure, _spreadsheet_safe(name), code, n])
    for row in figures.workload:
        for key in ("new", "researching", "in_review", "published"):
            writer.writerow(["workload", _spreadsheet_safe(row["name"]), key, row[key]])
    return response


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula to spreadsheets (CSV injection): names come
    # from imports and editors, so they are quoted as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
