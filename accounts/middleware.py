from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Staff areas a password alone must not open when two-factor is mandatory.
GUARDED_PREFIXES = ("/admin/", "/api/")


def must_use_two_factor(user) -> bool:
    """Editors and superusers must pass a second factor when FACTDESK_REQUIRE_2FA_FOR_EDITORS."""
    if not settings.FACTDESK_REQUIRE_2FA_FOR_EDITORS or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name="Editors").exists()


class RequireTwoFactorMiddleware:
    """Sends an editor whose session has not passed a second factor to set one up or enter it.

    Only session logins are concerned: API tokens authenticate inside the view, and they are
    issued by an admin to an integration, not typed by a person.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.FACTDESK_REQUIRE_2FA_FOR_EDITORS
            and request.path.startswith(GUARDED_PREFIXES)
            and not self._is_exempt(request.path)
            and must_use_two_factor(request.user)
            and not request.user.is_verified()
        ):
            if request.path.startswith("/api/"):
                message = _("Two-factor authentication is required: set it up in the admin.")
                return JsonResponse({"detail": message}, status=403)
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        # The login and logout pages themselves, and the admin's translation catalogue.
        return path in {reverse("admin:login"), reverse("admin:logout")} or path.startswith(
            reverse("admin:jsi18n")
        )
