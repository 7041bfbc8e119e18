"""Claimants in the desk's admin: records with their roles, and merging duplicates."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import Claimant, ClaimantRole
from .services import CLAIMANT_FIELDS, claimant_create, claimant_merge, claimant_update


class ClaimantRoleInline(admin.TabularInline):
    model = ClaimantRole
    extra = 1
    fields = ["role", "party", "started_on", "ended_on"]


class MergedFilter(admin.SimpleListFilter):
    title = _("merged")
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("no", _("Current records")), ("yes", _("Merged duplicates"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


@admin.register(Claimant)
class ClaimantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "same_as", "claim_count", "merged_into"]
    list_filter = [MergedFilter, "kind"]
    list_select_related = ["merged_into"]
    search_fields = ["name", "aliases", "same_as"]
    readonly_fields = ["slug", "merged_into"]
    fields = ["name", "kind", "aliases", "same_as", "description", "slug", "merged_into"]
    inlines = [ClaimantRoleInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        # One COUNT per page of the list, not one per row.
        return super().get_queryset(request).annotate(claim_total=Count("claims", distinct=True))

    @admin.display(description=_("claims"), ordering="claim_total")
    def claim_count(self, claimant):
        return claimant.claim_total

    def get_search_results(self, request, queryset, search_term):
        # The claim form's autocomplete offers current records only, not merged duplicates.
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset, distinct

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in CLAIMANT_FIELDS if name in form.fields}
        if change:
            changed = {name: data[name] for name in form.changed_data if name in data}
            saved = claimant_update(claimant=obj, actor=request.user, **changed)
        else:
            saved = claimant_create(actor=request.user, **data)
        obj.pk, obj.slug = saved.pk, saved.slug

    def has_merge_permission(self, request):
        return request.user.has_perm("claimants.merge_claimant")

    # Offered only to those who may merge (editors); the service trusts its caller.
    @admin.action(description=_("Merge the selected claimants into one"), permissions=["merge"])
    def merge_selected(self, request, queryset):
        chosen = list(queryset.filter(merged_into__isnull=True).order_by("pk"))
        if len(chosen) < 2:
            self.message_user(
                request, _("Select at least two current claimants to merge."), messages.WARNING
            )
            return None
        keep_pk = request.POST.get("keep")
        if "apply" not in request.POST or not keep_pk:
            return TemplateResponse(
                request,
                "admin/claimants/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Merge claimants"),
                    "claimants": chosen,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        keep = next((c for c in chosen if str(c.pk) == keep_pk), None)
        if keep is None:
            self.message_user(request, _("Choose the record to keep."), messages.ERROR)
            return None
        try:
            for duplicate in chosen:
                if duplicate.pk != keep.pk:
                    keep = claimant_merge(keep=keep, duplicate=duplicate, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            ngettext(
                "%(count)s claimant merged into %(name)s.",
                "%(count)s claimants merged into %(name)s.",
                len(chosen) - 1,
            )
            % {"count": len(chosen) - 1, "name": keep.name},
            messages.SUCCESS,
        )
        return None
