"""Hostile input to every write endpoint: deep nesting, lone surrogates, NUL and other control
characters, huge numbers, huge bodies and wrong types, from an anonymous caller, a read-only key
and a read-write key. No answer may be a server error, and a refused request writes nothing.

The endpoints come from the OpenAPI schema (drf-spectacular), so a new one is covered without
touching this file. Each field of an endpoint's request body is attacked in turn, the others
holding plausible values, so the attack reaches the code behind the first checks.
"""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from api.models import IntegrationKey, KeyScope, WebhookEndpoint
from tests.factories import ArticleFactory, SourceFactory, make_claim

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

WRITE_METHODS = ("post", "put", "patch", "delete")
CONTENT_TYPES = ("application/json", "application/ld+json")

# JSON text put in place of one field's value.
FIELD_ATTACKS = {
    "lone_surrogate": '"x\\ud800y"',
    "surrogate_in_list": '["\\udfff"]',
    "nul": '"a\\u0000b"',
    "control_character": '"a\\u0007b"',
    "huge_float": "1e999999",
    "huge_integer": "9" * 5000,
    "int64_overflow": str(2**63),
    "nested": "[" * 200 + "]" * 200,
    "object": '{"a": {"b": [1, "x"]}}',
    "list": "[1, 2.5, null]",
    "null": "null",
    "long_string": json.dumps("x" * 100_000),
}

# Whole bodies, sent as they are.
BODY_ATTACKS = {
    "deep_arrays": b"[" * 100_000 + b"]" * 100_000,
    "deep_objects": b'{"a":' * 40_000 + b"1" + b"}" * 40_000,
    "nested_500": b'{"@graph": ' * 500 + b"[]" + b"}" * 500,
    "review_nested_500": b'{"@type": "ClaimReview", "x": ' + b"[" * 500 + b"]" * 500 + b"}",
    "huge_integer": b"9" * 1_000_000,
    "huge_float": b"1e999999",
    "surrogate_key": b'{"\\ud800": 1}',
    "surrogate_value": b'{"name": "\\udc00", "events": ["\\ud800"]}',
    "nul": b'"\\u0000"',
    "raw_nul_byte": b'{"title": "a\x00b"}',
    "invalid_utf8": b'{"title": "\xff\xfe"}',
    "not_json": b"{",
    "empty": b"",
    "list": b"[]",
    "string": b'"x"',
    "number": b"1",
}

# Past Django's own DATA_UPLOAD_MAX_MEMORY_SIZE too.
TEN_MEGABYTES = b'"' + b"x" * 10_000_000 + b'"'


def _schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def write_endpoints() -> list[tuple[str, str, dict]]:
    """(method, path template, request-body schema or {}) for every write operation."""
    document = _schema()
    components = document.get("components", {}).get("schemas", {})
    found = []
    for path, operations in sorted(document["paths"].items()):
        for method in WRITE_METHODS:
            if method not in operations:
                continue
            content = operations[method].get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema", {})
            found.append((method.upper(), path, _resolve(body, components)))
    return found


def _resolve(node, components):
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolve(components[node["$ref"].rsplit("/", 1)[-1]], components)
        return {key: _resolve(value, components) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, components) for item in node]
    return node


ENDPOINTS = write_endpoints()


def _plausible(schema: dict, name: str, objects: dict):
    """A value the field would accept, so the other fields' attacks get past it."""
    if "oneOf" in schema:
        return _plausible(schema["oneOf"][0], name, objects)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return objects.get(name, 1)
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "array":
        return [_plausible(schema.get("items", {}), name, objects)]
    if kind == "object":
        return {}
    formats = {"uri": "https://fuzz.example/page", "date": "2024-05-01", "date-time": None}
    if schema.get("format") in formats:
        return formats[schema["format"]] or "2024-05-01T10:00:00Z"
    return objects.get(name, "Fuzzing text")


def _bodies(schema: dict, objects: dict) -> list[tuple[str, bytes]]:
    """Each field attacked in turn, the others plausible; then the whole-body attacks."""
    properties = schema.get("properties", {})
    base = {name: _plausible(spec, name, objects) for name, spec in properties.items()}
    bodies = []
    for field in properties:
        for attack, raw in FIELD_ATTACKS.items():
            parts = [
                f"{json.dumps(name)}: {raw if name == field else json.dumps(value)}"
                for name, value in base.items()
            ]
            bodies.append((f"{field}={attack}", ("{" + ", ".join(parts) + "}").encode()))
    return bodies + list(BODY_ATTACKS.items())


def _row_counts() -> tuple:
    """Every row of the project's own tables, in one query."""
    tables = [
        model._meta.db_table
        for label in ("claims", "sources", "integrations")
        for model in apps.get_app_config(label).get_models()
        if model._meta.db_table != "integrations_idempotencyrecord"
    ]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


@pytest.fixture
def desk(django_user_model, editor, fact_checker):
    """Objects the paths and fields point at, and the three callers."""
    boss = django_user_model.objects.create_superuser("fuzz-admin", password="x-long-password-1")
    article = ArticleFactory()
    claim = make_claim(article=article, created_by=fact_checker, assignee=fact_checker)
    hook = WebhookEndpoint.objects.create(
        name="hook", url="https://hooks.example/in", events=["claim.published"], created_by=boss
    )
    objects = {
        "claims": claim.pk,
        "articles": article.pk,
        "webhooks": hook.pk,
        "sources": SourceFactory().pk,
        "article": article.pk,
        "quote": claim.quote,
        "assignee": fact_checker.username,
    }
    callers = {"anonymous": {}}
    for scope in (KeyScope.READ, KeyScope.READ_WRITE):
        _key, secret = IntegrationKey.objects.create_key(
            name=f"fuzz-{scope}", user=boss, scope=scope
        )
        callers[f"key-{scope}"] = {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
    return objects, callers


def _path(template: str, objects: dict) -> str:
    resource = template.removeprefix("/api/v1/").split("/", 1)[0]
    return template.replace("{id}", str(objects.get(resource, 1)))


def test_every_write_endpoint_is_found():
    found = {(method, path) for method, path, _body in ENDPOINTS}
    assert ("POST", "/api/v1/articles/") in found
    assert ("POST", "/api/v1/claimreview/import/") in found
    assert ("POST", "/api/v1/webhooks/") in found
    assert ("PATCH", "/api/v1/claims/{id}/") in found
    assert ("DELETE", "/api/v1/webhooks/{id}/") in found


@pytest.mark.parametrize(
    ("method", "template", "schema"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _s in ENDPOINTS]
)
def test_hostile_input_never_answers_a_server_error(desk, method, template, schema):
    objects, callers = desk
    client = Client(raise_request_exception=False)
    path = _path(template, objects)
    oversized = b'"' + b"x" * (settings.API_MAX_BODY_BYTES + 10) + b'"'
    failures = []
    for caller, headers in callers.items():
        # Field attacks need a caller who gets past the permission checks; everyone gets
        # the whole-body attacks, which some plumbing reads before it knows the caller.
        bodies = (
            _bodies(schema, objects) if caller == "key-read_write" else list(BODY_ATTACKS.items())
        )
        bodies += [
            ("oversized", oversized),
            ("oversized+idempotency", oversized),
            ("ten_megabytes", TEN_MEGABYTES),
        ]
        for name, body in bodies:
            extra = dict(headers)
            if name.endswith("+idempotency"):
                extra["HTTP_IDEMPOTENCY_KEY"] = f"fuzz-{caller}"
            both = name in BODY_ATTACKS and caller == "key-read_write"
            for content_type in CONTENT_TYPES if both else CONTENT_TYPES[:1]:
                before = _row_counts()
                response = client.generic(method, path, body, content_type=content_type, **extra)
                where = f"{caller} {method} {path} {name} {content_type}"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                elif response.status_code >= 400 and _row_counts() != before:
                    failures.append(f"{where}: refused with {response.status_code} but wrote")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "text", ["a\x00b", "a\x07b", "x" * 200_000 + "\x00"], ids=["nul", "bell", "long"]
)
def test_admin_article_forms_refuse_control_characters_without_a_server_error(editor, text):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    paragraph = "The minister said that the figures for the year are wrong, and that is that. "
    before = _row_counts()
    imported = client.post(
        "/admin/claims/article/import/", {"text": paragraph + text, "title": "T"}
    )
    assert imported.status_code == 200
    assert "control character" in imported.content.decode()
    added = client.post(
        "/admin/claims/article/add/",
        {
            "title": "T",
            "slug": "t",
            "language": "en",
            "text": paragraph + text,
            "published_precision": "day",
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
        },
    )
    assert added.status_code == 200
    assert "text" in added.context["adminform"].form.errors
    assert _row_counts() == before
