"""Translations through the API: the same service as the admin, the same field messages."""

import pytest

from claims.models import ClaimTranslation, EvidenceTranslation

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


# Evidence notes in another language: POST /api/v1/claims/{id}/evidence-translations/.


@pytest.fixture
def evidence(draft):
    from claims import services
    from tests.factories import SourceFactory

    return services.evidence_add(
        claim=draft, source=SourceFactory(), stance="refutes", note="Istat says 7.4%."
    )


def test_an_evidence_note_is_translated_through_the_api(checker_client, draft, evidence):
    url = f"/api/v1/claims/{draft.pk}/evidence-translations/"
    response = checker_client.post(
        url, {"evidence": evidence.pk, "language": "it", "note": " L'Istat dice 7,4%. "}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "evidence": evidence.pk,
        "language": "it",
        "note": "L'Istat dice 7,4%.",
        "version": draft.version + 1,
    }
    (translation,) = EvidenceTranslation.objects.filter(evidence=evidence)
    assert translation.note == "L'Istat dice 7,4%."
    # An empty note removes it.
    response = checker_client.post(url, {"evidence": evidence.pk, "language": "it", "note": ""})
    assert response.status_code == 200
    assert not EvidenceTranslation.objects.exists()


def test_bad_evidence_note_translations_are_400s_with_field_messages(
    checker_client, draft, evidence, fact_checker
):
    from claims import services
    from tests.factories import SourceFactory, make_claim

    other = make_claim(created_by=fact_checker, quote="Critics say")
    elsewhere = services.evidence_add(claim=other, source=SourceFactory(), stance="supports")
    url = f"/api/v1/claims/{draft.pk}/evidence-translations/"
    cases = [
        ({"evidence": evidence.pk, "language": "it", "note": "x" * 5001}, "note", "5000"),
        ({"evidence": evidence.pk, "language": "de", "note": "Notiz"}, "language", "de"),
        ({"evidence": evidence.pk, "language": "en", "note": "Own"}, "language", "own text"),
        ({"evidence": elsewhere.pk, "language": "it", "note": "Nota"}, "evidence", "no evidence"),
        ({"language": "it", "note": "Nota"}, "evidence", "required"),
    ]
    for payload, field, words in cases:
        response = checker_client.post(url, payload)
        assert response.status_code == 400, (payload, response.content)
        assert response["Content-Type"] == "application/problem+json"
        messages = response.json()["errors"][field]
        assert words in " ".join(messages), (payload, messages)
    assert not EvidenceTranslation.objects.exists()


def test_the_evidence_note_route_is_in_the_openapi_schema(client_anon):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/claims/{id}/evidence-translations/"]["post"]
    assert "400" in operation["responses"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert set(component["required"]) >= {"evidence", "language", "note"}
