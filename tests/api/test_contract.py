"""What the OpenAPI schema promises, and the server doing the same (schemathesis finds the
rest; these pin the decisions)."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operation(document, path, method):
    return document["paths"][f"/api/v1/{path}"][method]


def test_public_reads_allow_anonymous_callers_and_desk_reads_do_not(document):
    assert {} in _operation(document, "claims/", "get")["security"]
    assert {} in _operation(document, "claimreview/feed/", "get")["security"]
    assert {} not in _operation(document, "events/", "get")["security"]
    assert {} not in _operation(document, "claims/{id}/comments/", "get")["security"]
    assert {} not in _operation(document, "claims/", "post")["security"]


def test_feed_documents_json_ld_and_errors_problem_json(document):
    responses = _operation(document, "claimreview/feed/", "get")["responses"]
    assert "application/ld+json" in responses["200"]["content"]
    assert "application/problem+json" in responses["429"]["content"]


def test_page_size_below_one_or_not_a_number_is_a_400(client_anon, db):
    for value in ["0", "-3", "ten", "1.5", " 5"]:
        response = client_anon.get(f"/api/v1/claims/?page_size={value}")
        assert response.status_code == 400, value
        assert "page_size" in response.json()["errors"]
    assert client_anon.get("/api/v1/claims/?page_size=").status_code == 200


def test_an_unknown_id_in_a_filter_finds_nothing(client_anon, published):
    response = client_anon.get("/api/v1/articles/?outlet=999999")
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert client_anon.get("/api/v1/articles/?outlet=0").status_code == 400


def test_a_repeated_query_parameter_is_a_400(client_anon, db):
    response = client_anon.get("/api/v1/claims/?status=new&status=published")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_an_api_address_that_names_nothing_is_a_404_problem(client_anon, db):
    response = client_anon.get("/api/v1/claims/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_if_match_star_matches_the_current_version(checker_client, draft):
    response = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/", {"claimant": "Someone"}, HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200, response.json()


def test_import_refuses_a_document_that_is_not_an_object_or_array(editor_client):
    response = editor_client.post("/api/v1/claimreview/import/", 5, format="json")
    assert response.status_code == 400


def test_a_boolean_filter_takes_true_or_false_only(client_anon, db):
    assert client_anon.get("/api/v1/sources/?dead=maybe").status_code == 400
    assert client_anon.get("/api/v1/sources/?dead=false").status_code == 200


def test_an_id_past_64_bits_is_a_400_not_a_server_error(client_anon, db):
    response = client_anon.get("/api/v1/claims/", {"article": "91559838786803417088"})
    assert response.status_code == 400
    assert "article" in response.json()["errors"]


def test_a_number_where_the_schema_says_string_is_a_400_not_stored_as_text(
    editor_client, checker_client, draft
):
    article = {"title": "T", "text": "Some text.", "language": "en", "byline": 5}
    response = editor_client.post("/api/v1/articles/", article, format="json")
    assert response.status_code == 400 and "byline" in response.json()["errors"]
    response = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/", {"claimant": 12}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400 and "claimant" in response.json()["errors"]
