"""Fact-checks as vectors, for "checked before?" by meaning across languages.

The same contract and the same index code as the desk's claims (claims/embeddings.py):
ExternalFactCheckEmbedding rows are float32 little-endian bytes of unit length, read by a
second lib.vector_index.VectorIndex over a TableSource of that table. Its approximate index is
always the local usearch snapshot, in its own directory: the pgvector backend keeps a single
copy table, which belongs to the desk's claims. `manage.py vector_index_build` refreshes both.
"""

import logging

import numpy as np
from django.conf import settings
from django.db import transaction
from django_tasks import task

from lib.embedding import embeddings_store
from lib.vector_index import VectorIndex, make_index
from lib.vector_source import TableSource

from .models import ExternalFactCheck, ExternalFactCheckEmbedding

logger = logging.getLogger(__name__)


def matched_text(fact_check: ExternalFactCheck) -> str:
    return " ".join((fact_check.claim_reviewed or "").split())


def fact_checks_embed(fact_checks: list[ExternalFactCheck]) -> int:
    """Embed fact-checks in one call to the model, replacing older vectors; how many written
    (lib.embedding.embeddings_store)."""
    return embeddings_store(
        fact_checks, text_of=matched_text, table=ExternalFactCheckEmbedding, owner="fact_check"
    )


@task()
def fact_check_embed_task(fact_check_id: int) -> None:
    # The wording is read when the task runs: of two quick harvests, the later text wins.
    found = ExternalFactCheck.objects.filter(pk=fact_check_id).only("pk", "claim_reviewed")
    fact_checks_embed(list(found))


def fact_check_embed_later(fact_check_id: int) -> None:
    """Queue embedding for after the current transaction commits (none if it rolls back)."""

    def enqueue():
        try:
            fact_check_embed_task.enqueue(fact_check_id)
        except Exception:
            # The fact-check is stored; only its vector waits (for `embed_claims`).
            logger.exception("Could not embed fact-check %s; embed_claims will.", fact_check_id)

    transaction.on_commit(enqueue)


def fact_checks_missing_embedding(model: str):
    """Fact-checks with no vector from `model` (none yet, or one from another model)."""
    return ExternalFactCheck.objects.exclude(embedding__model=model)


def vector_source() -> TableSource:
    return TableSource("factchecks_externalfactcheckembedding", id_column="fact_check_id")


def index_directory():
    return settings.FACTDESK_VECTOR_INDEX_DIR / "factchecks"


_index: VectorIndex | None = None


def fact_check_index() -> VectorIndex:
    """This process's index over the fact-checks' vectors."""
    global _index
    if _index is None:
        _index = make_index(vector_source(), backend="local", directory=index_directory())
    return _index


def nearest_fact_checks(vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k fact-checks nearest `vector`: (id, cosine similarity), best first."""
    if k <= 0:
        return []
    return fact_check_index().nearest(vector, k)
