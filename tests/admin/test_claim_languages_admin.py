"""The claim page in the admin: the check in each site language, side by side, and its
translations written from the page."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import ClaimTranslation, EvidenceTranslation
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


# Evidence notes: one field per other language on each evidence row, saved by the service.


@pytest.fixture
def evidence(claim):
    from tests.factories import SourceFactory

    return services.evidence_add(
        claim=claim, source=SourceFactory(), stance="refutes", note="Istat says 7.4%."
    )


def evidence_fields(**typed):
    """The evidence table's first row with `typed` in it (its own fields as the page had them)."""
    return {"evidence-0-" + name: value for name, value in typed.items()}


def test_the_claim_page_shows_each_evidence_notes_languages_and_marks_the_missing_one(
    client, claim, evidence, fact_checker
):
    client.force_login(fact_checker)
    response = client.get(change_url(claim))
    body = response.content.decode()
    assert "Note missing in this language" in body
    assert 'placeholder="Missing in Italian"' in body
    assert "Note · English (original)" in body
    services.evidence_note_translation_set(
        evidence=evidence, language="it", note="L'Istat dice 7,4%.", actor=fact_checker
    )
    body = client.get(change_url(claim)).content.decode()
    assert "Note missing in this language" not in body
    assert body.count("L&#x27;Istat dice 7,4%.") == 2  # the side-by-side panel and its field


def test_an_evidence_note_is_translated_from_the_claim_page(client, claim, evidence, fact_checker):
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    response = client.post(
        change_url(claim), form_data(form, **evidence_fields(note_it="L'Istat dice 7,4%."))
    )
    assert response.status_code == 302
    (translation,) = EvidenceTranslation.objects.filter(evidence=evidence)
    assert (translation.language, translation.note) == ("it", "L'Istat dice 7,4%.")
    claim.refresh_from_db()
    version = claim.version
    # Emptying the field removes the translation; the note in the claim's language stays.
    form = client.get(change_url(claim))
    response = client.post(change_url(claim), form_data(form, **evidence_fields(note_it="")))
    assert response.status_code == 302
    assert not EvidenceTranslation.objects.exists()
    evidence.refresh_from_db()
    assert evidence.note == "Istat says 7.4%."
    claim.refresh_from_db()
    assert claim.version > version


def test_an_evidence_note_translation_too_long_is_a_field_error(
    client, claim, evidence, fact_checker
):
    client.force_login(fact_checker)
    form = client.get(change_url(claim))
    response = client.post(
        change_url(claim), form_data(form, **evidence_fields(note_it="x" * 5001))
    )
    assert response.status_code == 200
    (inline,) = [
        item
        for item in response.context["inline_admin_formsets"]
        if item.formset.prefix == "evidence"
    ]
    assert "note_it" in inline.formset.forms[0].errors
    assert not EvidenceTranslation.objects.exists()


def test_who_may_not_change_the_wording_gets_no_note_fields(client, claim, evidence, editor):
    from claims.models import ClaimStatus
    from tests.factories import verdict

    claim = services.claim_update(
        claim=claim, actor=claim.created_by, verdict=verdict("false"), rationale="Istat differs."
    )
    claim = services.claim_submit_for_review(claim=claim, actor=claim.created_by)
    assert claim.status == ClaimStatus.IN_REVIEW
    client.force_login(claim.created_by)  # the checker, once the claim is in review
    body = client.get(change_url(claim)).content.decode()
    assert 'name="evidence-0-note_it"' not in body
    assert "Note missing in this language" in body  # the panel still shows what is missing
    client.force_login(editor)
    assert 'name="evidence-0-note_it"' in client.get(change_url(claim)).content.decode()


def test_a_claim_in_a_language_django_cannot_name_gets_its_note_fields(client, fact_checker):
    from tests.factories import SourceFactory

    claim = make_claim(created_by=fact_checker, language="und")
    claim = services.claim_start_research(claim=claim, actor=fact_checker)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes", note="Note")
    client.force_login(fact_checker)
    body = client.get(change_url(claim)).content.decode()
    assert "Note · und (original)" in body
    assert 'name="evidence-0-note_en"' in body and 'name="evidence-0-note_it"' in body
