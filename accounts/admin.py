"""Staff accounts in the admin: Django's own user pages, plus what joining the desk implies."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _

from .services import DESK_GROUPS, user_grant_desk_access, user_in_desk_group

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class DeskUserAdmin(UserAdmin):
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.help_text = _(
                "Members of %(groups)s work in the admin: adding someone to one of them also "
                "gives them staff status."
            ) % {"groups": _(" or ").join(DESK_GROUPS)}
        return field

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the groups are saved here
        user = form.instance
        if "groups" in form.changed_data and user_grant_desk_access(user=user):
            self.message_user(
                request,
                _(
                    "%(user)s joined a desk group, so they were given staff status: they can now "
                    "sign in to the admin."
                )
                % {"user": user.get_username()},
                messages.INFO,
            )
        elif not user.is_staff and user.is_active and user_in_desk_group(user):
            self.message_user(
                request,
                _(
                    "%(user)s is in a desk group but has no staff status, so they cannot sign in "
                    "to the admin. Tick “Staff status” to let them in."
                )
                % {"user": user.get_username()},
                messages.WARNING,
            )
