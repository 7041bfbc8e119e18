"""`claimant_is_organization` through the API: stored on create and update, or refused with a
field message, never silently dropped."""

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_create_stores_claimant_is_organization(checker_client):
    article = ArticleFactory()
    response = checker_client.post(
        "/api/v1/claims/",
        {
            "article": article.pk,
            "quote": "exports rose by 12 per cent",
            "claim_reviewed": "Exports rose by 12%",
            "claimant": "Reuters",
            "claimant_is_organization": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["claimant_is_organization"] is True
    assert Claim.objects.get(pk=response.json()["id"]).claimant_is_organization is True


def test_patch_stores_claimant_is_organization(checker_client, draft):
    draft.claimant_is_organization = True
    draft.save(update_fields=["claimant_is_organization"])
    etag = checker_client.get(f"/api/v1/claims/{draft.pk}/")["ETag"]
    response = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"claimant_is_organization": False},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["claimant_is_organization"] is False
    draft.refresh_from_db()
    assert draft.claimant_is_organization is False


def test_a_value_that_is_not_a_boolean_is_a_400_with_the_field(checker_client, draft):
    etag = checker_client.get(f"/api/v1/claims/{draft.pk}/")["ETag"]
    response = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"claimant_is_organization": "perhaps"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert "claimant_is_organization" in response.json()["errors"]
