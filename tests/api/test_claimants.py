"""The claimants API: records, filters, their claims, and the claim's link to its claimant."""

import pytest
from rest_framework.test import APIClient

from claimants.models import ClaimantKind
from claimants.services import claimant_create, claimant_role_add
from tests.factories import make_claim, make_published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return APIClient()


def test_anonymous_callers_see_claimants_with_published_claims(
    anonymous, fact_checker, editor, django_assert_max_num_queries
):
    claim = make_published_claim(checker=fact_checker, editor=editor, claimant="Giorgia Meloni")
    claimant_role_add(claimant=claim.speaker, role="Prime Minister", party="FdI")
    make_claim(claimant="Draft Only")
    # 1 the page of claimants with their counts, 2 their roles.
    with django_assert_max_num_queries(2):
        body = anonymous.get("/api/v1/claimants/").json()
    assert [row["name"] for row in body["results"]] == ["Giorgia Meloni"]
    row = body["results"][0]
    assert row["published_claims"] == 1
    assert row["roles"] == [
        {"role": "Prime Minister", "party": "FdI", "started_on": None, "ended_on": None}
    ]
    assert row["page_url"].endswith(claim.speaker.get_absolute_url())


def test_claimants_filter_by_kind_party_and_name(anonymous, fact_checker, editor):
    person = make_published_claim(checker=fact_checker, editor=editor, claimant="Mario Rossi")
    claimant_role_add(claimant=person.speaker, party="Lega")
    org = claimant_create(name="ISTAT", kind=ClaimantKind.ORGANIZATION)
    make_published_claim(
        checker=fact_checker, editor=editor, speaker=org, quote="exports rose by 12 per cent"
    )

    def names(query):
        rows = anonymous.get(f"/api/v1/claimants/?{query}").json()["results"]
        return [row["name"] for row in rows]

    assert names("kind=organization") == ["ISTAT"]
    assert names("party=lega") == ["Mario Rossi"]
    assert names("name=ros") == ["Mario Rossi"]
    assert anonymous.get("/api/v1/claimants/?kind=robot").status_code == 400


def test_a_claimants_claims_and_the_claims_filter(anonymous, fact_checker, editor):
    claim = make_published_claim(checker=fact_checker, editor=editor, claimant="Mario Rossi")
    make_claim(speaker=claim.speaker, quote="exports rose by 12 per cent")  # a draft
    body = anonymous.get(f"/api/v1/claimants/{claim.speaker.pk}/claims/").json()
    assert [row["id"] for row in body["results"]] == [claim.pk]
    assert body["results"][0]["speaker"]["slug"] == claim.speaker.slug
    listed = anonymous.get(f"/api/v1/claims/?claimant={claim.speaker.pk}").json()
    assert [row["id"] for row in listed["results"]] == [claim.pk]


def test_creating_a_claim_through_the_api_links_a_claimant(fact_checker):
    from tests.factories import ArticleFactory

    client = APIClient()
    client.force_authenticate(fact_checker)
    record = claimant_create(name="Carlo Calenda")
    article = ArticleFactory()
    response = client.post(
        "/api/v1/claims/",
        {
            "article": article.pk,
            "quote": "unemployment fell to 6.1% in 2023",
            "claim_reviewed": "Unemployment fell to 6.1% in 2023.",
            "speaker": record.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["speaker"]["id"] == record.pk
    assert response.json()["claimant"] == "Carlo Calenda"
    bad = client.post(
        "/api/v1/claims/",
        {"article": article.pk, "quote": "exports", "claim_reviewed": "x", "speaker": 99999},
        format="json",
    )
    assert bad.status_code == 400 and "speaker" in str(bad.json())
