from urllib.parse import urlsplit

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import Outlet, Source
from ..normalization import normalize_url
from ..services import outlet_get_or_create
from .health import SourceLinkHealthAdminMixin

RATING_FIELDS = ["reliability", "reliability_note"]


@admin.register(Outlet)
class OutletAdmin(SimpleHistoryAdmin):
    list_display = ["name", "domain", "country", "language", "reliability"]
    list_filter = ["reliability", "country", "language"]
    search_fields = ["name", "domain"]

    def get_readonly_fields(self, request, obj=None):
        # Rating an outlet is an editor's call (sources.rate_outlet); fact-checkers see it.
        if request.user.has_perm("sources.rate_outlet"):
            return []
        return RATING_FIELDS

    def revert_disabled(self, request, obj=None):
        return not request.user.has_perm("sources.rate_outlet")


@admin.register(Source)
class SourceAdmin(SourceLinkHealthAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "outlet", "kind", "published_on", "link_status_code", "archived_at"]
    list_filter = ["kind", "language", "outlet__reliability"]
    list_select_related = ["outlet"]
    search_fields = ["title", "normalized_url", "authors"]
    autocomplete_fields = ["outlet"]
    readonly_fields = ["normalized_url", "link_checked_at", "link_status_code", "link_error"]
    fieldsets = [
        (None, {"fields": ["url", "title", "kind", "outlet", "authors", "published_on"]}),
        (_("More"), {"fields": ["accessed_on", "language", "archive_url", "archived_at", "notes"]}),
        (
            _("Link check"),
            {"fields": readonly_fields, "classes": ["collapse"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change and obj.outlet_id is None:
            # Like every other door (source_get_or_create): a new source joins its outlet.
            host = urlsplit(normalize_url(obj.url)).hostname
            if host:
                obj.outlet, _created = outlet_get_or_create(domain=host)
        super().save_model(request, obj, form, change)
