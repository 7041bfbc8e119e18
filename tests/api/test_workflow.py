"""The workflow actions call the same services as the admin, with the same rules."""

import pytest

from claims.models import ClaimComment, Correction
from tests.factories import make_claim

from .conftest import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(fact_checker, checker_client, draft):
    url = f"/api/v1/claims/{draft.pk}"
    checker_client.post(f"{url}/start-research/")
    checker_client.post(
        f"{url}/evidence/", {"source_url": "https://stats.example/x", "stance": "refutes"}
    )
    etag = checker_client.get(f"{url}/")["ETag"]
    checker_client.patch(
        f"{url}/", {"verdict": "false", "rationale": "It was 3%."}, HTTP_IF_MATCH=etag
    )
    assert checker_client.post(f"{url}/submit/").status_code == 200
    return draft


def test_the_researcher_cannot_publish_their_own_claim(in_review, fact_checker, editor):
    fact_checker.groups.add(*editor.groups.all())  # even with an editor's permissions
    response = key_client(fact_checker, name="self").post(f"/api/v1/claims/{in_review.pk}/publish/")
    assert response.status_code == 403
    assert "two-person" in response.json()["detail"]
    in_review.refresh_from_db()
    assert in_review.status == "in_review"


def test_a_fact_checker_cannot_publish(in_review, checker_client):
    response = checker_client.post(f"/api/v1/claims/{in_review.pk}/publish/")
    assert response.status_code == 403


def test_editor_requests_changes_with_a_comment(in_review, editor_client):
    url = f"/api/v1/claims/{in_review.pk}/request-changes/"
    assert editor_client.post(url, {}).status_code == 400
    response = editor_client.post(url, {"comment": "Find the 2023 figure."})
    assert response.json()["status"] == "researching"


def test_unpublish_and_correct_a_published_claim(editor_client, published, second_editor):
    url = f"/api/v1/claims/{published.pk}"
    etag = editor_client.get(f"{url}/")["ETag"]
    corrected = editor_client.post(
        f"{url}/correct/",
        {"note": "We misread the table.", "verdict": "mostly-false"},
        HTTP_IF_MATCH=etag,
    )
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["verdict"] == "mostly-false"
    assert corrected.json()["corrections"][0]["previous_verdict"] == "false"
    stale = editor_client.post(
        f"{url}/correct/", {"note": "Again", "verdict": "false"}, HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert Correction.objects.count() == 1
    unpublished = editor_client.post(f"{url}/unpublish/", {"reason": "Under review again."})
    assert unpublished.status_code == 200
    assert unpublished.json()["status"] != "published"


def test_a_published_verdict_changes_only_through_a_correction(editor_client, published):
    url = f"/api/v1/claims/{published.pk}/"
    etag = editor_client.get(url)["ETag"]
    response = editor_client.patch(url, {"verdict": "true"}, HTTP_IF_MATCH=etag)
    assert response.status_code in {400, 403}
    published.refresh_from_db()
    assert published.verdict.code == "false"


def test_dismiss_and_reopen(editor_client, draft):
    url = f"/api/v1/claims/{draft.pk}"
    assert editor_client.post(f"{url}/dismiss/", {"reason": "Opinion"}).json()["status"] == (
        "dismissed"
    )
    assert editor_client.post(f"{url}/reopen/").json()["status"] == "researching"


def test_assign_and_unassign(editor_client, checker_client, draft, editor):
    url = f"/api/v1/claims/{draft.pk}"
    assert checker_client.post(f"{url}/unassign/").json()["assignee"] is None
    assert checker_client.post(f"{url}/assign/", {"assignee": "editor"}).status_code == 403
    assert editor_client.post(f"{url}/assign/", {"assignee": "checker"}).json()["assignee"] == (
        "checker"
    )
    assert editor_client.post(f"{url}/assign/", {"assignee": "ghost"}).status_code == 400


def test_allowed_transitions_tell_the_caller_what_they_may_do(checker_client, editor_client, draft):
    mine = checker_client.get(f"/api/v1/claims/{draft.pk}/").json()["allowed_transitions"]
    theirs = editor_client.get(f"/api/v1/claims/{draft.pk}/").json()["allowed_transitions"]
    assert "start_research" in mine
    assert "dismiss" not in mine
    assert "dismiss" in theirs


def test_comments_are_for_the_desk_only(checker_client, client_anon, published):
    url = f"/api/v1/claims/{published.pk}/comments/"
    created = checker_client.post(url, {"body": "Check with @editor please"})
    assert created.status_code == 201
    assert created.json()["author"] == "checker"
    assert checker_client.get(url).json()["results"][0]["body"] == "Check with @editor please"
    assert client_anon.get(url).status_code == 401
    assert client_anon.post(url, {"body": "spam"}).status_code == 401
    assert ClaimComment.objects.count() == 1


def test_an_empty_comment_is_a_400(checker_client, draft):
    response = checker_client.post(f"/api/v1/claims/{draft.pk}/comments/", {"body": " "})
    assert response.status_code == 400


def test_evidence_cannot_be_added_to_a_dismissed_claim(editor_client, fact_checker):
    claim = make_claim(created_by=fact_checker)
    editor_client.post(f"/api/v1/claims/{claim.pk}/dismiss/", {"reason": "Opinion"})
    response = editor_client.post(
        f"/api/v1/claims/{claim.pk}/evidence/",
        {"source_url": "https://a.example/x", "stance": "refutes"},
    )
    assert response.status_code == 403
    assert not claim.evidence.exists()
