"""Source health in the admin: a link column that flags dead links and offers the archived
copy, a filter, and actions that queue link checks and archiving for the worker."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..archiving import get_archiver
from ..tasks import archive_source, check_source_link


class LinkHealthFilter(admin.SimpleListFilter):
    title = gettext_lazy("link health")
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [
            ("dead", gettext_lazy("Dead")),
            ("dead_without_copy", gettext_lazy("Dead, no archived copy")),
            ("alive", gettext_lazy("Alive")),
            ("unchecked", gettext_lazy("Not checked yet")),
        ]

    def queryset(self, request, queryset):
        alive = Q(link_status_code__range=(200, 399))
        if self.value() == "dead":
            return queryset.dead_links()
        if self.value() == "dead_without_copy":
            return queryset.dead_links().filter(archive_url="")
        if self.value() == "alive":
            return queryset.filter(alive)
        if self.value() == "unchecked":
            return queryset.filter(link_status_code__isnull=True)
        return queryset


class SourceLinkHealthAdminMixin:
    class Media:
        css = {"all": ["claims/admin/intelligence.css"]}

    def get_list_display(self, request):
        return [*super().get_list_display(request), "link_health"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), LinkHealthFilter]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_change_permission(request):
            for action in (self.check_links_now, self.archive_now):
                name = action.__name__
                actions[name] = (action.__func__, name, action.short_description)
        return actions

    @admin.display(description=gettext_lazy("link"))
    def link_health(self, source):
        if source.link_status_code is None:
            return _("not checked")
        if not source.is_dead:
            return format_html("✓ {}", source.link_status_code)
        status = _("unreachable") if source.link_status_code == 0 else source.link_status_code
        if source.archive_url:
            return format_html(
                '<span class="fd-dead">✗ {} {}</span> · <a href="{}">{}</a>',
                _("dead"),
                status,
                source.archive_url,
                _("archived copy"),
            )
        return format_html(
            '<span class="fd-dead" title="{}">✗ {} {}</span>',
            source.link_error,
            _("dead"),
            status,
        )

    @admin.action(description=gettext_lazy("Check the links now"))
    def check_links_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for source_id in ids:
            check_source_link.enqueue(source_id)
        self.message_user(
            request,
            ngettext("%(n)s link check queued.", "%(n)s link checks queued.", len(ids))
            % {"n": len(ids)},
        )

    @admin.action(description=gettext_lazy("Archive with the Wayback Machine"))
    def archive_now(self, request, queryset):
        if get_archiver().name == "disabled":
            self.message_user(
                request,
                _(
                    "Archiving is off: set WAYBACK_ACCESS_KEY and WAYBACK_SECRET_KEY to archive "
                    "sources with the Wayback Machine."
                ),
                messages.ERROR,
            )
            return
        ids = list(queryset.values_list("pk", flat=True))
        for source_id in ids:
            archive_source.enqueue(source_id)
        self.message_user(
            request,
            ngettext("%(n)s source queued for archiving.", "%(n)s sources queued.", len(ids))
            % {"n": len(ids)},
        )
