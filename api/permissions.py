"""Who may call what: read-only keys never write; only desk staff write at all."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import IntegrationKey


class KeyScopePermission(BasePermission):
    message = _("This API key is read-only.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        key = request.auth
        return not (isinstance(key, IntegrationKey) and not key.can_write)


class DeskWritePermission(BasePermission):
    """Writes need a staff member holding the view's Django permission for the action.

    Views name it in `write_permissions` ({action: "app.codename"}). The workflow services
    then apply their own finer rules (roles, two-person sign-off) and raise PermissionDenied.
    """

    message = _("You do not have permission to do this.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        needed = getattr(view, "write_permissions", {}).get(getattr(view, "action", None))
        return needed is None or user.has_perm(needed)
