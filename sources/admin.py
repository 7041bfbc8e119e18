from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .admin_health import SourceLinkHealthAdminMixin
from .models import Outlet, Source


@admin.register(Outlet)
class OutletAdmin(SimpleHistoryAdmin):
    list_display = ["name", "domain", "country", "language", "reliability"]
    list_filter = ["reliability", "country", "language"]
    search_fields = ["name", "domain"]


@admin.register(Source)
class SourceAdmin(SourceLinkHealthAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "outlet", "kind", "published_on", "link_status_code", "archived_at"]
    list_filter = ["kind", "language", "outlet__reliability"]
    list_select_related = ["outlet"]
    search_fields = ["title", "normalized_url", "authors"]
    autocomplete_fields = ["outlet"]
    readonly_fields = ["normalized_url", "link_checked_at", "link_status_code", "link_error"]
