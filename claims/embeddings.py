"""Claims as vectors: writing a claim's embedding, and finding the nearest ones.

A claim is embedded after the transaction that creates it or changes its wording commits (a
task, so a slow model never holds a row lock or an editor's request). A failing or absent
worker only delays that: "checked before?" still matches by wording, and
`manage.py embed_claims` embeds whatever is missing.

ClaimEmbedding.vector is the contract with lib/vector_index.py: float32 little-endian bytes,
unit length. `nearest_claims` is the only place vectors are searched.
"""

import logging

import numpy as np
from django.db import transaction
from django_tasks import task

from lib.embedding import embeddings_store
from lib.vector_index import default_index

from .models import Claim, ClaimEmbedding

logger = logging.getLogger(__name__)


def matched_text(claim: Claim) -> str:
    """The text "checked before?" compares: the short wording, or the quote without one."""
    return " ".join((claim.claim_reviewed or claim.quote or "").split())


def claims_embed(claims: list[Claim]) -> int:
    """Embed claims with the configured model in one call to it, replacing older vectors;
    how many were written (lib.embedding.embeddings_store)."""
    return embeddings_store(claims, text_of=matched_text, table=ClaimEmbedding, owner="claim")


def claim_embed(claim: Claim) -> ClaimEmbedding | None:
    """Embed one claim's current wording (None when it has no text to embed)."""
    claims_embed([claim])
    return ClaimEmbedding.objects.filter(claim_id=claim.pk).first()


@task()
def claim_embed_task(claim_id: int) -> None:
    # Read the wording when the task runs, not when it was queued: of two quick edits, the
    # later text wins even if the tasks run out of order.
    claim = Claim.objects.filter(pk=claim_id).only("pk", "claim_reviewed", "quote").first()
    if claim is not None:
        claim_embed(claim)


def claim_embed_later(claim_id: int) -> None:
    """Queue embedding for after the current transaction commits (none if it rolls back)."""

    def enqueue():
        try:
            claim_embed_task.enqueue(claim_id)
        except Exception:
            # The claim is saved; only its vector waits (for `manage.py embed_claims`).
            logger.exception("Could not embed claim %s; embed_claims will.", claim_id)

    transaction.on_commit(enqueue)


def claims_missing_embedding(model: str):
    """Claims with no vector from `model` (none yet, or one from another model)."""
    return Claim.objects.exclude(embedding__model=model)


def nearest_claims(vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k claims whose vectors are nearest `vector`: (claim id, cosine similarity), best first.

    The one place vectors are searched: through lib/vector_index.py (pgvector's HNSW where the
    database has it, else a shared usearch snapshot plus the rows changed since, or an exact
    scan when no snapshot has been built yet). After FACTDESK_EMBEDDER changes, run
    `embed_claims` so that every stored vector comes from the same model.
    """
    if k <= 0:
        return []
    return default_index().nearest(vector, k)


def nearest_claims_many(vectors: list[np.ndarray], k: int) -> list[list[tuple[int, float]]]:
    """nearest_claims for a batch of vectors, in one search of the index (the pipeline's)."""
    if k <= 0 or not vectors:
        return [[] for _ in vectors]
    return default_index().nearest_many(vectors, k)
