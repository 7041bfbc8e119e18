"""How the OpenAPI schema describes API-key authentication (loaded by the app's ready())."""

from http import HTTPStatus

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class IntegrationKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.IntegrationKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An integration key, sent as "Authorization: Api-Key <key>".',
        }


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details: every error the API returns has this shape.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Bad input (400): messages by field, or under non_field_errors.",
            "additionalProperties": {},
        },
    },
}
COMMON_ERRORS = ["400", "401", "403", "404", "429"]
WRITE_ERRORS = ["413"]


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Retrying with the same key returns the first response; nothing is created "
    "twice. Kept 24 hours.",
    "schema": {"type": "string", "maxLength": 255, "minLength": 1},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The ETag of the version you edited (428 without it, 412 if stale).",
    "schema": {"type": "string"},
}


def problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document the error shape on every operation, and
    the Idempotency-Key and If-Match headers where they apply."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            header = {"post": IDEMPOTENCY_KEY, "patch": IF_MATCH}.get(method)
            if header:
                operation.setdefault("parameters", []).append(header)
            responses = operation.setdefault("responses", {})
            codes = COMMON_ERRORS + (WRITE_ERRORS if method in {"post", "patch", "put"} else [])
            codes += [code for code in responses if code.isdigit() and int(code) >= 400]
            for code in dict.fromkeys(codes):
                described = responses.get(code) or {}
                if "content" not in described:
                    responses[code] = {
                        "description": described.get("description") or HTTPStatus(int(code)).phrase,
                        "content": problem,
                    }
    return result
