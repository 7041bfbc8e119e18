"""API-key authentication for integrations (Authorization: Api-Key <key>)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework_api_key.permissions import KeyParser

from .models import IntegrationKey


class IntegrationKeyAuthentication(BaseAuthentication):
    """Authenticates as the key's staff member; `request.auth` is the IntegrationKey."""

    keyword = KeyParser.keyword

    def authenticate(self, request):
        key = KeyParser().get(request)
        if key is None:
            return None
        prefix, _dot, _secret = key.partition(".")
        api_key = (
            IntegrationKey.objects.get_usable_keys()
            .select_related("user")
            .filter(prefix=prefix)
            .first()
        )
        if api_key is None or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        if not api_key.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("The account this API key acts as is disabled.")
            )
        return api_key.user, api_key

    def authenticate_header(self, request):
        return self.keyword
