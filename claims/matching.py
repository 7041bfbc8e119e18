""" "Checked before?" by wording and by meaning: the claims on the desk that say what a text says,
in any language the embedder reads.

Two rankers each propose candidates:
- by wording, claims.similarity (PostgreSQL full-text + trigram; rapidfuzz on SQLite), which
  finds the same words, in the same language;
- by meaning, the nearest claim vectors (claims.embeddings.nearest_claims), which find a
  paraphrase or a translation.
Reciprocal rank fusion merges the two lists: a claim scores 1/(RRF_K + rank) in each list it is
in. Ranks, not scores, are added because trigram similarity and cosine similarity live on
different scales; a claim both rankers agree on rises to the top. docs/matching.md gives the
figures behind the constants (bench/bench_checked_before.py).
"""

import logging
from dataclasses import dataclass

from factchecks.matching import FactCheckMatch, similar_fact_checks
from lib.embedding import get_embedder
from lib.rank_fusion import CANDIDATES, MARGIN, MIN_COSINE, RRF_K, MatchReason

from . import visibility
from .choices import ClaimStatus
from .embeddings import nearest_claims, nearest_claims_many
from .models import Claim
from .similarity import MAX_TEXT, similar_claims

logger = logging.getLogger(__name__)

# checked_before's default: embed the text (a caller that has its vector passes it, or None).
_EMBED = object()


@dataclass
class Match(MatchReason):
    """A claim checked before, and why it matched (`reason`, `similarity`)."""

    claim: Claim
    score: float
    lexical: float | None = None
    vector: float | None = None


def checked_before(
    text: str,
    *,
    language: str | None = None,
    limit: int = 10,
    exclude: Claim | int | None = None,
    published_only: bool,
    vector=_EMBED,
) -> list[Match]:
    """Claims that say what `text` says, best first, each with why it matched.

    Dismissed claims never match; with `published_only` nor does any unpublished claim.
    `exclude` is the claim being looked at. Four queries at most, whatever the number of
    matches. If the embedder fails, matching by wording still answers. `vector` is the text's
    embedding when the caller has it already (None: by wording only).
    """
    text = " ".join(text.split())[:MAX_TEXT]
    if len(text) < 3:
        return []
    exclude_id = exclude.pk if isinstance(exclude, Claim) else exclude
    wanted = max(limit, CANDIDATES)
    lexical = similar_claims(
        text, language=language, exclude=exclude_id, limit=wanted, published_only=published_only
    )
    if vector is _EMBED:
        vector = query_vector(text)
    neighbours = [
        (pk, cosine) for pk, cosine in _neighbours(vector, wanted * 3) if pk != exclude_id
    ]
    claims = {claim.pk: claim for claim in lexical}
    claims.update(visible_claims({pk for pk, _ in neighbours} - claims.keys(), published_only))
    return fused(lexical, neighbours, claims, limit=limit)


def fused(
    lexical: list[Claim], neighbours: list[tuple[int, float]], claims: dict[int, Claim], *, limit
) -> list[Match]:
    """The two rankers' lists fused (reciprocal rank fusion), best first: `lexical` as
    similar_claims returns it, `neighbours` (claim id, cosine) best first, `claims` every claim
    the caller may see by id (a neighbour not in it is left out)."""
    claims = {**claims, **{claim.pk: claim for claim in lexical}}
    ranked = fused_ranking(
        [(claim.pk, claim.similarity) for claim in lexical],
        [(pk, cosine) for pk, cosine in neighbours if pk in claims],
        limit=limit,
    )
    return [match_of(claims[pk], score, wording, cosine) for pk, score, wording, cosine in ranked]


def fused_ranking(
    lexical: list[tuple[int, float]], neighbours: list[tuple[int, float]], *, limit: int
) -> list[tuple[int, float, float | None, float | None]]:
    """fused() on ids: (claim id, fused score, wording similarity, cosine), best first, from
    `lexical` (id, wording similarity) and `neighbours` (id, cosine), each best first and each
    holding only claims the caller may see. A caller that ranks many sentences (the intake
    pipeline) loads only the claims that made the cut."""
    wanted = max(limit, CANDIDATES)
    neighbours = _within_margin(neighbours)[:wanted]
    scores: dict[int, list] = {}
    for rank, (pk, similarity) in enumerate(lexical, start=1):
        scores[pk] = [1 / (RRF_K + rank), similarity, None]
    for rank, (pk, cosine) in enumerate(neighbours, start=1):
        entry = scores.setdefault(pk, [0.0, None, None])
        entry[0] += 1 / (RRF_K + rank)
        entry[2] = round(cosine, 3)
    # Equal fused scores (first by wording, first by meaning) go to the closer meaning.
    best = sorted(
        scores.items(),
        key=lambda item: (-item[1][0], -(item[1][2] or 0), -(item[1][1] or 0), item[0]),
    )[:limit]
    return [(pk, score, wording, cosine) for pk, (score, wording, cosine) in best]


def match_of(claim: Claim, score: float, wording: float | None, cosine: float | None) -> Match:
    match = Match(claim, score, lexical=wording, vector=cosine)
    claim.similarity = match.similarity
    return match


def neighbours_many(vectors: list, *, k: int, published_only: bool) -> list:
    """For each vector (None: none), its k nearest claims by meaning that the caller may see,
    (id, cosine) best first and at least MIN_COSINE: one search of the vector index for the
    whole batch and one query for which of them may be seen (ids only: the caller loads the
    few it keeps, visible_claims)."""
    present = [i for i, vector in enumerate(vectors) if vector is not None]
    found = nearest_claims_many([vectors[i] for i in present], k)
    ids = {pk for hits in found for pk, cosine in hits if cosine >= MIN_COSINE}
    visible = _visible(Claim.objects.filter(pk__in=ids), published_only).values_list("pk")
    visible = {pk for (pk,) in visible} if ids else set()
    neighbours: list = [[] for _ in vectors]
    for i, hits in zip(present, found, strict=True):
        neighbours[i] = [
            (pk, cosine) for pk, cosine in hits if pk in visible and cosine >= MIN_COSINE
        ]
    return neighbours


def query_vector(text: str):
    """The text's embedding, or None when the model fails (matching by wording still answers)."""
    return query_vectors([text])[0]


def query_vectors(texts: list[str]) -> list:
    """One embedding per text, in one call to the model (a batch costs far less than the same
    texts one by one); all None when the model fails, so matching by wording still answers."""
    embedder = get_embedder()  # a wrong FACTDESK_EMBEDDER is a configuration error: raise it
    if not texts:
        return []
    try:
        return list(embedder.embed([" ".join(text.split())[:MAX_TEXT] for text in texts]))
    except Exception:
        # A broken model must not take "checked before?" down: wording still matches.
        logger.exception("Embedding failed; matching by wording only.")
        return [None] * len(texts)


def _neighbours(vector, k: int) -> list[tuple[int, float]]:
    if vector is None:
        return []
    return [(pk, cosine) for pk, cosine in nearest_claims(vector, k) if cosine >= MIN_COSINE]


@dataclass
class CheckedBefore:
    """Both answers to "checked before?": the desk's own claims, and other organisations'
    fact-checks (factchecks/), which are shown as theirs, never as the desk's."""

    claims: list[Match]
    fact_checks: list[FactCheckMatch]


def checked_before_everywhere(
    text: str,
    *,
    language: str | None = None,
    limit: int = 10,
    external_limit: int | None = None,
    exclude: Claim | int | None = None,
    published_only: bool,
) -> CheckedBefore:
    """checked_before() plus the harvested fact-checks that say the same, the text embedded
    once for both. A constant number of queries whatever the number of matches."""
    text = " ".join(text.split())[:MAX_TEXT]
    if len(text) < 3:
        return CheckedBefore([], [])
    vector = query_vector(text)
    claims = checked_before(
        text,
        language=language,
        limit=limit,
        exclude=exclude,
        published_only=published_only,
        vector=vector,
    )
    external = similar_fact_checks(
        text, vector=vector, limit=limit if external_limit is None else external_limit
    )
    return CheckedBefore(claims, external)


def _within_margin(neighbours: list[tuple[int, float]]) -> list[tuple[int, float]]:
    # Measured from the nearest claim the caller may see, so neither the excluded claim nor a
    # draft hidden from readers pushes the others out.
    floor = neighbours[0][1] - MARGIN if neighbours else 0
    return [(pk, cosine) for pk, cosine in neighbours if cosine >= floor]


def visible_claims(ids: set[int], published_only: bool) -> dict[int, Claim]:
    """The claims among `ids` the caller may see, by id, with what a match shows of them."""
    if not ids:
        return {}
    queryset = _visible(Claim.objects.filter(pk__in=ids), published_only)
    return {
        claim.pk: claim
        for claim in queryset.select_related("verdict", "article", "article__outlet")
    }


def _visible(queryset, published_only: bool):
    queryset = queryset.exclude(status=ClaimStatus.DISMISSED)
    return visibility.public_claims(queryset) if published_only else queryset
