"""How the OpenAPI schema describes the API: who may call each operation, its query parameters
and its errors. The schema is read from the views' own permission classes, filters and
pagination, so it cannot drift from what they do (loaded by the app's ready())."""

from http import HTTPStatus
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, told two things it cannot see on its own."""

    def get_auth(self):
        # Anonymous callers read published claims: where the view's permission classes let an
        # anonymous caller through, the key is optional ({} is OpenAPI's "no credentials").
        auths = super().get_auth()
        if {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        request = SimpleNamespace(method=self.method, user=AnonymousUser(), auth=None)
        return all(p.has_permission(request, self.view) for p in self.view.get_permissions())

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A list that may not be empty (MultipleChoiceField(allow_empty=False), many=True).
        if getattr(field, "allow_empty", True) is False and schema.get("type") == "array":
            schema.setdefault("minItems", 1)
        if direction == "request":
            if isinstance(field, serializers.URLField):
                # Django's URLValidator: a web address with a host name, not any RFC 3986 URI.
                schema["pattern"] = WEB_URL
            elif isinstance(field, serializers.CharField):
                _refuse_nul(schema)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # "Give either this or that": the serializer names the fields, and checks them itself.
        exactly_one = getattr(serializer, "exactly_one_of", None)
        if exactly_one and direction == "request":
            schema["oneOf"] = [{"required": [name]} for name in exactly_one]
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        for variant in [schema, *schema.get("oneOf", [])]:
            if variant.get("pattern") == WEB_URL:
                variant.pop("format", None)  # "uri" is wider than what URLValidator accepts

    def _get_filter_parameters(self):
        return [_empty_means_absent(p) for p in super()._get_filter_parameters()]

    def _get_pagination_parameters(self):
        return [_empty_means_absent(p) for p in super()._get_pagination_parameters()]


# Text never holds a NUL character (PostgreSQL cannot store one): every text input refuses it.
NO_NUL = "^[^\\x00]*$"
# The path may hold no whitespace as Python's re counts it (URLValidator's \S), which also
# counts U+001C-U+001F and U+0085 (NEL): a client's ECMA-262 \s does not, so they are named.
WEB_URL = (
    "^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,4}"
    "[A-Za-z]{2,24}(:[1-9][0-9]{0,3})?([/?#][^\\s\\x00\\x1c-\\x1f\\x85]*)?$"
)


def _refuse_nul(schema: dict) -> dict:
    if schema.get("type") == "string" and not {"format", "pattern", "enum"} & schema.keys():
        schema["pattern"] = NO_NUL
    return schema


def _empty_means_absent(parameter: dict) -> dict:
    # Filters, search, ordering and paging read "?status=" as if the parameter were left out.
    schema = dict(parameter["schema"])
    if parameter["name"] != "ordering":  # ordering skips what it does not know, NUL included
        _refuse_nul(schema)
    return {**parameter, "allowEmptyValue": True, "schema": schema}


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
COMMON_ERRORS = ["400", "401", "403", "404", "406", "429"]
# A body that is too large (413) or not JSON (415); a POST's Idempotency-Key reused for a
# different request (422).
WRITE_ERRORS = {"post": ["413", "415", "422"], "patch": ["413", "415"], "put": ["413", "415"]}


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
            codes = COMMON_ERRORS + WRITE_ERRORS.get(method, [])
            codes += [code for code in responses if code.isdigit() and int(code) >= 400]
            for code in dict.fromkeys(codes):
                described = responses.get(code) or {}
                if "content" not in described:
                    responses[code] = {
                        "description": described.get("description") or HTTPStatus(int(code)).phrase,
                        "content": problem,
                    }
    return result
