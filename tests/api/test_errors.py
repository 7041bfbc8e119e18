import pytest

pytestmark = pytest.mark.django_db


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
