"""Translations through the API: the same service as the admin, the same field messages."""

import pytest

from claims.models import ClaimTranslation

pytestmark = pytest.mark.django_db


def test_a_translation_is_written_and_shown_in_the_desk_view(checker_client, draft):
    response = checker_client.post(
        f"/api/v1/claims/{draft.pk}/translations/",
        {"language": "it", "claim_reviewed": "Le esportazioni sono salite del 12%"},
    )
    assert response.status_code == 200
    (translation,) = ClaimTranslation.objects.filter(claim=draft)
    assert translation.claim_reviewed == "Le esportazioni sono salite del 12%"
    assert response.json()["version"] == draft.version + 1


def test_a_translation_too_long_or_in_the_claims_own_language_is_a_400(checker_client, draft):
    url = f"/api/v1/claims/{draft.pk}/translations/"
    too_long = checker_client.post(url, {"language": "it", "claim_reviewed": "x" * 141})
    assert too_long.status_code == 400
    assert too_long["Content-Type"] == "application/problem+json"
    assert "claim_reviewed" in too_long.json()["errors"]
    own = checker_client.post(url, {"language": "en", "claim_reviewed": "Exports rose"})
    assert own.status_code == 400
    assert "language" in own.json()["errors"]
    unknown = checker_client.post(url, {"language": "de", "claim_reviewed": "Exporte"})
    assert unknown.status_code == 400
    assert not ClaimTranslation.objects.exists()


def test_anonymous_callers_may_not_translate(client_anon, draft):
    response = client_anon.post(
        f"/api/v1/claims/{draft.pk}/translations/", {"language": "it", "claim_reviewed": "x"}
    )
    assert response.status_code in (401, 403, 404)
    assert not ClaimTranslation.objects.exists()
