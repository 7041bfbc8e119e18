"""Property-based checks of the whole API against its own OpenAPI schema (schemathesis).

Every documented operation gets generated requests, valid and invalid, as an anonymous caller
and as an editor's read-write key, and every schemathesis check judges each response: no server
error, documented status codes, content types, headers and bodies, invalid requests refused,
valid ones accepted, authentication as documented, deleted resources gone. Then the stateful
phase chains operations along the schema's links (create, then read, edit, delete).
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.checks import CHECKS, load_all_checks

from api.models import IntegrationKey, KeyScope

# The coverage phase (boundary and negative values for every parameter) is thorough but slow;
# `FACTDESK_SCHEMATHESIS_FULL=1` turns it on, with more examples, for a deeper run than CI's.
FULL = os.environ.get("FACTDESK_SCHEMATHESIS_FULL") == "1"
HYPOTHESIS = settings(
    max_examples=50 if FULL else 6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
load_all_checks()  # the OpenAPI checks register themselves on import
# A request can match the schema and still be refused for the state of the data it names, which
# a schema cannot describe: an id that names nothing, a claim in another workflow step, a quote
# the article does not contain. Only those refusals, by their problem code, are not counted
# against positive-data acceptance; any other 400 to a valid request is a contract failure.
STATE_CODES = {
    "does_not_exist",
    "wrong_status",
    "unassigned",
    "not_on_desk",
    "nothing_to_correct",
    "quote_not_found",
    "quote_ambiguous",
    "anchor_out_of_range",
    "anchor_mismatch",
    "empty_quote",
    "link_cycle",
    "duplicate_source",
    "own_language",
}


def _refused_for_state(response) -> bool:
    # A stale If-Match (412) is the same kind of refusal: the header's schema is any string,
    # and only the claim's current version decides whether it matches.
    expected = {400: STATE_CODES, 412: {"precondition_failed"}}.get(response.status_code)
    if expected is None:
        return False
    try:
        return response.json().get("code") in expected
    except ValueError:
        return False


def positive_data_acceptance(ctx, response, case):
    if not _refused_for_state(response):
        return checks.positive_data_acceptance(ctx, response, case)
    return None


ALL_CHECKS = [
    positive_data_acceptance if check is checks.positive_data_acceptance else check
    for check in CHECKS.get_all()
]
assert len(ALL_CHECKS) > 10, ALL_CHECKS


def _wsgi_app(environ, start_response):
    """Django's WSGI app, built at the first call rather than at import: its middleware reads
    settings when built, and the session's fixtures first turn off the HTTPS redirect that
    production settings (CI runs with DEBUG off) would answer every call with."""
    global _built  # once per test process
    if _built is None:
        _built = get_wsgi_application()
    return _built(environ, start_response)


_built = None


def _load_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = _wsgi_app  # calls go through the WSGI app, in the test's transaction
    loaded.config.phases.coverage.enabled = FULL
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
@HYPOTHESIS
def test_api_conforms_to_its_schema(case, editor_key):
    case.call_and_validate(checks=ALL_CHECKS)
    case.call_and_validate(checks=ALL_CHECKS, headers={"Authorization": f"Api-Key {editor_key}"})


class EditorWorkflow(schema.as_state_machine()):
    """The stateful phase: sequences along the schema's links (a claim created, then read,
    edited, moved through the workflow; a webhook registered, listed, deleted), every step
    judged by every check. With the editor's key: anonymously, writes stop at the first 401."""

    key = ""

    def get_call_kwargs(self, case):
        return {"headers": {"Authorization": f"Api-Key {self.key}"}}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        case.validate_response(
            response,
            checks=ALL_CHECKS,
            headers=self.get_call_kwargs(case)["headers"],
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


@pytest.mark.django_db
def test_api_workflows_conform_to_its_schema(editor_key):
    EditorWorkflow.key = editor_key
    EditorWorkflow.run(
        settings=settings(
            HYPOTHESIS, max_examples=40 if FULL else 8, stateful_step_count=10 if FULL else 5
        )
    )
