"""Property-based checks of the whole API against its own OpenAPI schema (schemathesis).

Every documented operation gets generated requests, as an anonymous caller and as an editor's
read-write key: no response may be a server error or disagree with the schema.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from api.models import IntegrationKey, KeyScope
from factdesk.wsgi import application

# The coverage phase (boundary and negative values for every parameter) is thorough but slow;
# `FACTDESK_SCHEMATHESIS_FULL=1` turns it on for a deeper run than CI's.
COVERAGE_PHASE = os.environ.get("FACTDESK_SCHEMATHESIS_FULL") == "1"


def _load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = application  # calls go through the WSGI app, in the test's transaction
    loaded.config.phases.coverage.enabled = COVERAGE_PHASE
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Like Django's test client: requests must not close the connection holding the test's
    # transaction (the WSGI app would otherwise do so at the end of each request).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def editor_key(editor, published, draft):
    _key, secret = IntegrationKey.objects.create_key(
        name="fuzz", user=editor, scope=KeyScope.READ_WRITE
    )
    return secret


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, editor_key):
    checks = [not_a_server_error, response_schema_conformance]
    case.call_and_validate(checks=checks)
    case.call_and_validate(checks=checks, headers={"Authorization": f"Api-Key {editor_key}"})
