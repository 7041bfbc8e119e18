from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class DeskFilter(admin.SimpleListFilter):
    """The questions a desk member asks first: what is mine, what waits for me, what is stuck."""

    title = _("my desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        options = [("mine", _("Assigned to me"))]
        if request.user.has_perm("claims.publish_claim"):
            options.append(("review", _("Waiting for my review")))
        options += [("stuck", _("Stuck")), ("orphaned", _("Lost their place in the article"))]
        return options

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.assigned_to(request.user)
        if value == "review":
            return queryset.waiting_for_review_by(request.user)
        if value == "stuck":
            return queryset.stuck(settings.FACTDESK_STUCK_DAYS)
        if value == "orphaned":
            return queryset.orphaned()
        return queryset
