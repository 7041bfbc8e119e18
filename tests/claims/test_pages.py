import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatus

pytestmark = pytest.mark.django_db


def test_demo_article_page_highlights_published_claims(client, demo):
    response = client.get(demo.article.get_absolute_url())
    assert response.status_code == 200
    published = Claim.objects.published().filter(article=demo.article)
    body = response.content.decode()
    assert body.count('<mark class="check"') == published.count()
    for claim in published:
        assert claim.claim_reviewed.replace("'", "&#x27;") in body


def test_published_claim_page_shows_verdict_and_sources(client, demo):
    claim = Claim.objects.published().get(quote__contains="Simonyan")
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "True" in body
    assert "en.kremlin.ru" in body


@pytest.mark.parametrize(
    "status",
    [ClaimStatus.NEW, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW, ClaimStatus.DISMISSED],
)
def test_unpublished_claims_are_not_found(client, demo, status):
    claim = Claim.objects.filter(status=status).first()
    assert client.get(reverse("claims:claim", kwargs={"slug": claim.slug})).status_code == 404


def test_claim_page_query_count_does_not_grow_with_evidence(
    client, demo, django_assert_max_num_queries
):
    claim = Claim.objects.published().get(quote__contains="Csto")
    # claim+verdict+article+outlet, evidence+sources+outlets, corrections, topics, session-less
    with django_assert_max_num_queries(5):
        client.get(claim.get_absolute_url())


def test_article_page_query_count_is_constant(client, demo, django_assert_max_num_queries):
    # article+outlet, published claims with verdicts
    with django_assert_max_num_queries(2):
        client.get(demo.article.get_absolute_url())
