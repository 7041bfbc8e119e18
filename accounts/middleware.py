from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

# Staff areas a password alone must not open when two-factor is mandatory.
GUARDED_PREFIXES = ("/admin/", "/api/")


# Set at login on the session of someone who has an authenticator but logged in without its
# code (another login view, a password reset): the admin and the API stay closed until it is
# given. Kept in the session so ordinary requests cost no extra query.
CODE_PENDING_SESSION_KEY = "factdesk_otp_code_pending"


def must_use_two_factor(request) -> bool:
    """Whoever set up an authenticator must use it; with FACTDESK_REQUIRE_2FA_FOR_EDITORS, so
    must every editor and superuser."""
    if request.session.get(CODE_PENDING_SESSION_KEY):
        return True
    if not settings.FACTDESK_REQUIRE_2FA_FOR_EDITORS:
        return False
    user = request.user
    return user.is_superuser or user.groups.filter(name="Editors").exists()


def flag_login_without_code(sender, request, user, **kwargs):
    """user_logged_in receiver: remember a login that skipped an existing authenticator."""
    if request is None or getattr(user, "otp_device", None) is not None:
        return
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        request.session[CODE_PENDING_SESSION_KEY] = True


class RequireTwoFactorMiddleware:
    """Sends staff whose session has not passed a required second factor to set one up or
    enter it.

    Only session logins are concerned: API tokens authenticate inside the view, and they are
    issued by an admin to an integration, not typed by a person.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(GUARDED_PREFIXES)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not self._is_exempt(request.path)
            and must_use_two_factor(request)
        ):
            if request.path.startswith("/api/"):
                message = _("Two-factor authentication is required: set it up in the admin.")
                return JsonResponse({"detail": message}, status=403)
            next_page = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{next_page}")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        # The login and logout pages themselves, and the admin's translation catalogue.
        return path in {reverse("admin:login"), reverse("admin:logout")} or path.startswith(
            reverse("admin:jsi18n")
        )
