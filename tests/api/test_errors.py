import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer

from api.errors import problem_exception_handler
from tests.api.conftest import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(django_user_model):
    return key_client(django_user_model.objects.create_superuser("root", password="x-long-pw-1"))


def test_bad_input_gets_problem_details_with_field_messages(checker_client):
    response = checker_client.post("/api/v1/articles/", {"title": "", "language": "en"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["title"] == "Bad Request"
    assert set(body["errors"]) == {"title", "text"}
    assert body["detail"]


def test_malformed_json_is_a_400_not_a_500(checker_client):
    response = checker_client.generic(
        "POST", "/api/v1/articles/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_oversized_bodies_are_refused_with_413(checker_client, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = checker_client.post(
        "/api/v1/articles/", {"title": "T", "text": "x" * 2000, "language": "en"}
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_unknown_object_is_a_404_problem(client_anon):
    response = client_anon.get("/api/v1/claims/999999/")
    assert response.status_code == 404
    assert response.json()["title"] == "Not Found"


def test_service_validation_errors_become_field_errors(checker_client, draft):
    response = checker_client.post(
        f"/api/v1/claims/{draft.pk}/evidence/",
        {"source_url": "https://a.example/x", "stance": "refutes"},
    )
    assert response.status_code == 201
    again = checker_client.post(
        f"/api/v1/claims/{draft.pk}/evidence/",
        {"source_url": "https://a.example/x", "stance": "refutes"},
    )
    assert again.status_code == 400
    assert again.json()["errors"]


def test_evidence_needs_exactly_one_way_to_name_the_source(checker_client, draft):
    response = checker_client.post(f"/api/v1/claims/{draft.pk}/evidence/", {"stance": "refutes"})
    assert response.status_code == 400
    assert "source" in response.json()["errors"]


def test_docs_and_schema_are_served_without_a_cdn(client_anon):
    schema = client_anon.get("/api/v1/schema/")
    assert schema.status_code == 200
    docs = client_anon.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "swagger-ui" in html


def _post_raw(client, body, path="/api/v1/articles/", content_type="application/json"):
    return client.generic("POST", path, body, content_type=content_type)


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 40_000 + b"1" + b"}" * 40_000],
    ids=["arrays", "objects"],
)
def test_deeply_nested_json_is_a_400_saying_so(checker_client, body):
    response = _post_raw(checker_client, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "parse_error"
    assert "nests deeper than 64 levels" in response.json()["detail"]


def test_nesting_within_the_bound_and_brackets_inside_strings_are_fine(checker_client):
    title = "[[[[" * 100
    body = b'{"title": "%s", "text": "The minister spoke.", "language": "en", "x": %s}' % (
        title.encode(),
        b"[" * 60 + b"]" * 60,
    )
    response = _post_raw(checker_client, body)
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("number", "message"),
    [(b"9" * 5000, "more than 100 digits"), (b"1e999999", "too large")],
    ids=["5000-digit-integer", "infinite-float"],
)
def test_huge_numbers_are_a_400(checker_client, draft, number, message):
    body = b'{"article": %s, "quote": "x", "claim_reviewed": "x"}' % number
    response = _post_raw(checker_client, body, path="/api/v1/claims/")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert "set_int_max_str_digits" not in response.json()["detail"]


def test_a_lone_surrogate_in_a_webhooks_events_is_a_400(superuser_client):
    body = b'{"name": "n", "url": "https://hooks.example/in", "events": ["\\ud800"]}'
    response = _post_raw(superuser_client, body, path="/api/v1/webhooks/")
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["detail"]
    response.content.decode("utf-8")


def test_error_messages_never_carry_unencodable_text():
    error = ValidationError({"events": ['"\ud800" is not a valid choice.']})
    response = problem_exception_handler(error, {})
    JSONRenderer().render(response.data).decode("utf-8")  # raised UnicodeEncodeError before
    assert response.data["detail"] == '"\\ud800" is not a valid choice.'


def test_a_ten_megabyte_body_is_a_problem_413_not_an_html_400(checker_client):
    response = _post_raw(checker_client, b'"' + b"x" * 10_000_000 + b'"')
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "too_large"


def test_djangos_own_body_limit_is_a_problem_413(checker_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = checker_client.post(
        "/api/v1/articles/", {"title": "T", "text": "x" * 500, "language": "en"}
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("bad", ["\x00", "\x07"], ids=["nul", "bell"])
def test_article_text_with_control_characters_is_a_400_field_error(checker_client, bad):
    from claims.models import Article

    response = checker_client.post(
        "/api/v1/articles/", {"title": "T", "text": f"The minister{bad} spoke.", "language": "en"}
    )
    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert not Article.objects.exists()
