"""The claim page in the admin: the check in each site language, side by side, and its
translations written from the page."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import ClaimTranslation
from tests.admin.conftest import form_data
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


@pytest.fixture
def claim(fact_checker):
    claim = make_claim(created_by=fact_checker)  # an English claim
    return services.claim_start_research(claim=claim, actor=fact_checker)


def test_the_claim_page_shows_each_language_and_marks_the_missing_one(client, claim, fact_checker):
    client.force_login(fact_checker)
    body = client.get(change_url(claim)).content.decode()
    assert 'class="fd-languages"' in body
    assert "English · original" in body
    assert "Missing: readers of this language" in body
    services.claim_translation_set(
        claim=claim, language="it", claim_reviewed="La disoccupazione è scesa", actor=fact_checker
    )
    body = client.get(change_url(claim)).content.decode()
    assert "La disoccupazione è scesa" in body
    assert "Missing: readers of this language" not in body


def test_a_translation_is_written_from_the_claim_page(client, claim, fact_checker):
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    fields = {
        "translations-TOTAL_FORMS": "1",
        "translations-0-language": "it",
        "translations-0-claim_reviewed": "La disoccupazione è scesa al 6,1%",
        "translations-0-rationale": "I dati ufficiali dicono altro.",
    }
    response = client.post(change_url(claim), form_data(form, **fields))
    assert response.status_code == 302
    (translation,) = ClaimTranslation.objects.filter(claim=claim)
    assert translation.claim_reviewed == "La disoccupazione è scesa al 6,1%"
    claim.refresh_from_db()
    assert claim.version > 1


def test_a_translation_too_long_or_in_the_claims_own_language_is_a_field_error(
    client, claim, fact_checker
):
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    for language, wording, field in (("it", "x" * 141, "claim_reviewed"), ("en", "x", "language")):
        fields = {
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": language,
            "translations-0-claim_reviewed": wording,
        }
        response = client.post(change_url(claim), form_data(form, **fields))
        assert response.status_code == 200
        (inline,) = [
            item
            for item in response.context["inline_admin_formsets"]
            if item.formset.prefix == "translations"
        ]
        assert field in inline.formset.forms[0].errors
    assert not ClaimTranslation.objects.exists()
