"""Sightings in the admin: the editors' alert (the list opens on the new ones), marking them
(bulk actions, the change form, and the claim page's panel), each through sighting_status_set.

Sightings are recorded by monitoring and the API (sighting_record), never typed in here, and
never deleted by the desk: a deleted one would hide a repeat; "not a repeat" is how an editor
sets one aside.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..choices import SightingStatus
from ..models import Sighting
from ..services.sightings import sighting_status_set
from .actions import reason

ALL = "all"


class SightingStatusFilter(admin.SimpleListFilter):
    """Status, defaulting to "new": the list is the editors' alert, what nobody has handled."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*SightingStatus.choices, (ALL, _("All"))]

    def value(self):
        return super().value() or SightingStatus.NEW

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL:
            return queryset
        if value not in SightingStatus.values:
            return queryset.none()
        return queryset.filter(status=value)

    def choices(self, changelist):
        # Without the default "All" row (ours is in lookups) and with "new" selected when the
        # list is opened bare.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


def _mark(status: str, label):
    def action(modeladmin, request, queryset):
        done, refused = 0, []
        for sighting in queryset:
            try:
                sighting_status_set(sighting=sighting, status=status, actor=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(reason(error))
        if done:
            modeladmin.message_user(
                request,
                ngettext(
                    "%(n)s sighting marked “%(status)s”.",
                    "%(n)s sightings marked “%(status)s”.",
                    done,
                )
                % {"n": done, "status": SightingStatus(status).label},
                messages.SUCCESS,
            )
        for message in sorted(set(refused)):
            modeladmin.message_user(request, message, messages.ERROR)

    action.__name__ = f"mark_{status}"
    action.short_description = label
    action.allowed_permissions = ("change",)
    return action


class SightingForm(forms.ModelForm):
    # The status as the editor saw it when the form opened: saving the form with the status
    # left as it was must not undo a mark a colleague made meanwhile.
    status_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Sighting
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status_seen"].initial = self.instance.status

    @property
    def status_chosen(self) -> bool:
        """The editor picked a status other than the one the form opened with."""
        return self.cleaned_data["status"] != self.cleaned_data.get("status_seen")


@admin.register(Sighting)
class SightingAdmin(admin.ModelAdmin):
    form = SightingForm
    list_display = [
        "short_sentence",
        "claim_link",
        "outlet_name",
        "speaker_name",
        "happened",
        "score",
        "origin",
        "status",
    ]
    list_filter = [SightingStatusFilter, "origin", "seen_at"]
    list_select_related = ["claim"]
    search_fields = ["sentence", "url", "outlet_name", "speaker_name", "claim__claim_reviewed"]
    # Monitoring keeps adding rows: no count of the whole table, no date drill-down (a
    # DISTINCT over every day seen); the "seen at" filter does the same job cheaply.
    show_full_result_count = False
    fields = [
        "claim",
        "sentence",
        "url",
        "outlet_name",
        "outlet",
        "speaker_name",
        "claimant",
        "said_at",
        "seen_at",
        "score",
        "language",
        "origin",
        "status",
        "status_seen",
        "status_changed_by",
        "status_changed_at",
    ]
    readonly_fields = [name for name in fields if name not in ("status", "status_seen")]
    actions = [
        _mark(SightingStatus.CORRECTION_REQUESTED, gettext_lazy("Mark: correction requested")),
        _mark(SightingStatus.CORRECTED, gettext_lazy("Mark: corrected")),
        _mark(SightingStatus.NOT_A_REPEAT, gettext_lazy("Mark: not a repeat")),
        _mark(SightingStatus.NEW, gettext_lazy("Mark: new again")),
    ]

    @admin.display(description=gettext_lazy("sentence"))
    def short_sentence(self, obj):
        return Truncator(obj.sentence).chars(120)

    @admin.display(description=gettext_lazy("claim"), ordering="claim__claim_reviewed")
    def claim_link(self, obj):
        url = reverse("admin:claims_claim_change", args=[obj.claim_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(obj.claim).chars(80))

    @admin.display(description=gettext_lazy("when"), ordering="seen_at")
    def happened(self, obj):
        return obj.happened_at

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Only the status is editable here; it goes through the service (who and when).
        if "status" in form.changed_data and form.status_chosen:
            saved = sighting_status_set(
                sighting=obj, status=form.cleaned_data["status"], actor=request.user
            )
            obj.status_changed_by, obj.status_changed_at = (
                saved.status_changed_by,
                saved.status_changed_at,
            )

    def get_urls(self):
        view = self.admin_site.admin_view(self.status_view)
        return [
            path("<int:pk>/status/", view, name="claims_sighting_status"),
            *super().get_urls(),
        ]

    def status_view(self, request, pk):
        """The claim page's panel posts here: one sighting's new status, then back."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        sighting = get_object_or_404(Sighting, pk=pk)
        status = request.POST.get("status", "")
        try:
            sighting_status_set(sighting=sighting, status=status, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, reason(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Sighting marked “%(status)s”.") % {"status": SightingStatus(status).label},
                messages.SUCCESS,
            )
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("admin:claims_claim_change", args=[sighting.claim_id])
        return HttpResponseRedirect(back)
