"""How the OpenAPI schema describes API-key authentication (loaded by the app's ready())."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class IntegrationKeyScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.authentication.IntegrationKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An integration key, sent as "Authorization: Api-Key <key>".',
        }
