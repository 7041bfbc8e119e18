"""Who sees what and who may write what: every route, every role."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from api.models import KeyScope
from claims.models import ClaimComment
from claims.services.sightings import sighting_record
from tests.factories import ArticleFactory, SourceFactory, make_claim

from .conftest import key_client

pytestmark = pytest.mark.django_db

SECRETS = ["SECRET-DRAFT-WORDING", "secret-assignee", "SECRET-COMMENT", "SECRET-EVIDENCE-NOTE"]


@pytest.fixture
def desk_with_secrets(published, fact_checker, django_user_model):
    """A published claim with internal details, plus a draft the public must never see."""
    assignee = django_user_model.objects.create_user("secret-assignee", is_staff=True)
    published.assignee = assignee
    published.save()
    published.evidence.update(note="SECRET-EVIDENCE-NOTE")
    ClaimComment.objects.create(claim=published, author=fact_checker, body="SECRET-COMMENT")
    draft_article = ArticleFactory(text="Draft text: SECRET-DRAFT-WORDING here.")
    draft = make_claim(
        article=draft_article, quote="SECRET-DRAFT-WORDING", created_by=assignee, assignee=assignee
    )
    lonely_source = SourceFactory(title="SECRET-DRAFT-WORDING source")
    return {
        "published": published,
        "draft": draft,
        "article": draft_article,
        "source": lonely_source,
    }


def _get_routes():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [path for path, ops in schema["paths"].items() if "get" in ops]


def test_anonymous_callers_never_see_drafts_people_comments_or_history(
    client_anon, desk_with_secrets
):
    ids = {str(obj.pk) for obj in desk_with_secrets.values()}
    ids |= {str(desk_with_secrets["published"].evidence.first().source_id)}
    visited = 0
    for template in _get_routes():
        for value in sorted(ids) if "{" in template else [None]:
            path = template.replace("{id}", value or "").replace("{code}", "false")
            response = client_anon.get(path)
            visited += 1
            assert response.status_code < 500, path
            text = response.content.decode()
            for secret in SECRETS:
                assert secret not in text, (path, secret)
            if "events" in path:
                assert response.status_code == 401, path
    assert visited > 20


def test_anonymous_callers_see_the_published_claim(client_anon, desk_with_secrets):
    published = desk_with_secrets["published"]
    body = client_anon.get(f"/api/v1/claims/{published.pk}/").json()
    assert body["claim_reviewed"] == published.claim_reviewed
    assert "assignee" not in body
    assert "note" not in body["evidence"][0]
    draft = desk_with_secrets["draft"]
    assert client_anon.get(f"/api/v1/claims/{draft.pk}/").status_code == 404


def test_desk_sees_drafts_and_internal_fields(checker_client, desk_with_secrets):
    draft = desk_with_secrets["draft"]
    body = checker_client.get(f"/api/v1/claims/{draft.pk}/").json()
    assert body["assignee"] == "secret-assignee"
    events = checker_client.get(f"/api/v1/claims/{draft.pk}/events/").json()["results"]
    assert events[0]["kind"] == "created"


# --- Every write route as every role --------------------------------------------------------

ROLES = ["anonymous", "read_only_key", "staff_without_role", "fact_checker", "editor"]


@pytest.fixture
def clients(fact_checker, editor, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    session_editor = APIClient()
    session_editor.force_login(editor)
    return {
        "anonymous": APIClient(),
        "read_only_key": key_client(editor, scope=KeyScope.READ, name="reader"),
        "staff_without_role": key_client(nobody),
        "fact_checker": key_client(fact_checker),
        "editor": session_editor,
    }


def _write_routes(draft, article):
    quote = {"article": article.pk, "quote": "Critics say", "claim_reviewed": "Critics"}
    return {
        ("post", "/api/v1/claims/"): (quote, {"fact_checker", "editor"}),
        ("patch", "/api/v1/claims/{id}/"): ({"claimant": "X"}, {"fact_checker", "editor"}),
        ("post", "/api/v1/claims/{id}/start-research/"): ({}, {"fact_checker", "editor"}),
        ("post", "/api/v1/claims/{id}/submit/"): ({}, {"fact_checker", "editor"}),
        ("post", "/api/v1/claims/{id}/publish/"): ({}, {"editor"}),
        ("post", "/api/v1/claims/{id}/dismiss/"): ({"reason": "Opinion"}, {"editor"}),
        ("post", "/api/v1/claims/{id}/request-changes/"): ({"comment": "More"}, {"editor"}),
        ("post", "/api/v1/claims/{id}/reopen/"): ({}, {"editor"}),
        ("post", "/api/v1/claims/{id}/unpublish/"): ({"reason": "Wrong"}, {"editor"}),
        ("post", "/api/v1/claims/{id}/correct/"): ({"note": "Fixed"}, {"editor"}),
        ("post", "/api/v1/claims/{id}/assign/"): (
            {"assignee": "checker"},
            {"fact_checker", "editor"},
        ),
        ("post", "/api/v1/claims/{id}/unassign/"): ({}, {"fact_checker", "editor"}),
        ("post", "/api/v1/claims/{id}/comments/"): ({"body": "Note"}, {"fact_checker", "editor"}),
        ("post", "/api/v1/claims/{id}/evidence/"): (
            {"source_url": "https://a.example/x", "stance": "refutes"},
            {"fact_checker", "editor"},
        ),
        ("post", "/api/v1/claims/{id}/translations/"): (
            {"language": "it", "claim_reviewed": "Tradotta"},
            {"fact_checker", "editor"},
        ),
        ("post", "/api/v1/claims/{id}/evidence-translations/"): (
            {"evidence": 0, "language": "it", "note": "Tradotta"},
            {"fact_checker", "editor"},
        ),
        ("post", "/api/v1/articles/"): (
            {"title": "T", "text": "Some text.", "language": "en"},
            {"fact_checker", "editor"},
        ),
        ("post", "/api/v1/sources/"): ({"url": "https://b.example/y"}, {"fact_checker", "editor"}),
        ("post", "/api/v1/claimreview/import/"): ([], {"editor"}),
        # Recording sightings is monitoring's (a permission an administrator grants); the
        # desk marks them.
        ("post", "/api/v1/sightings/"): ({"claim": draft.pk, "sentence": "S", "score": 0.9}, set()),
        ("post", "/api/v1/sightings/{id}/status/"): (
            {"status": "corrected"},
            {"fact_checker", "editor"},
        ),
        # Webhook receivers need permissions an administrator grants (tests/integrations).
        ("post", "/api/v1/webhooks/"): ({"name": "x"}, set()),
        ("delete", "/api/v1/webhooks/{id}/"): ({}, set()),
        # A line with no text: a 400 for whoever may post transcript lines (the desk's groups).
        ("post", "/api/v1/monitored-sources/{id}/lines/"): ({}, {"fact_checker", "editor"}),
        # A tipline bot acts as a desk member (tips.add_tip, both groups).
        ("post", "/api/v1/tips/"): (
            {"text": "The mayor lied about what the bridge cost", "language": "en"},
            {"fact_checker", "editor"},
        ),
    }


def test_the_write_table_covers_every_write_route_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = {
        (method, path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in {"post", "put", "patch", "delete"}
    }
    assert documented == set(_ROUTE_KEYS)


_ROUTE_KEYS = [
    ("post", "/api/v1/claims/"),
    ("patch", "/api/v1/claims/{id}/"),
    ("post", "/api/v1/claims/{id}/start-research/"),
    ("post", "/api/v1/claims/{id}/submit/"),
    ("post", "/api/v1/claims/{id}/publish/"),
    ("post", "/api/v1/claims/{id}/dismiss/"),
    ("post", "/api/v1/claims/{id}/request-changes/"),
    ("post", "/api/v1/claims/{id}/reopen/"),
    ("post", "/api/v1/claims/{id}/unpublish/"),
    ("post", "/api/v1/claims/{id}/correct/"),
    ("post", "/api/v1/claims/{id}/assign/"),
    ("post", "/api/v1/claims/{id}/unassign/"),
    ("post", "/api/v1/claims/{id}/comments/"),
    ("post", "/api/v1/claims/{id}/evidence/"),
    ("post", "/api/v1/claims/{id}/translations/"),
    ("post", "/api/v1/claims/{id}/evidence-translations/"),
    ("post", "/api/v1/articles/"),
    ("post", "/api/v1/sources/"),
    ("post", "/api/v1/claimreview/import/"),
    ("post", "/api/v1/sightings/"),
    ("post", "/api/v1/sightings/{id}/status/"),
    ("post", "/api/v1/webhooks/"),
    ("delete", "/api/v1/webhooks/{id}/"),
    ("post", "/api/v1/monitored-sources/{id}/lines/"),
    ("post", "/api/v1/tips/"),
]


@pytest.mark.parametrize("route", _ROUTE_KEYS, ids=lambda r: f"{r[0]} {r[1]}")
@pytest.mark.parametrize("role", ROLES)
def test_every_write_route_as_every_role(route, role, clients, draft, fact_checker):
    Group.objects.get(name="Editors")  # the desk's roles come from the migration
    article = ArticleFactory()
    payload, allowed = _write_routes(draft, article)[route]
    method, template = route
    client = clients[role]
    target = draft.pk
    if template.startswith("/api/v1/sightings/"):
        target = sighting_record(draft, sentence="Said again.", score=0.9)[0].pk
    path = template.replace("{id}", str(target))
    headers = {}
    if method == "patch":
        headers["HTTP_IF_MATCH"] = f'"v{draft.version}"'
    version_before = draft.version
    response = getattr(client, method)(path, payload, format="json", **headers)
    if role == "anonymous":
        assert response.status_code == 401, response.content
    elif role in allowed:
        assert response.status_code in {200, 201, 400}, response.content
    else:
        # Refused: 403, or 404 where the caller may not even see the draft.
        assert response.status_code in {403, 404}, response.content
        assert response.json()["status"] == response.status_code
        draft.refresh_from_db()
        assert draft.version == version_before
