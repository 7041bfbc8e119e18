""" "Checked before?" among other organisations' fact-checks, by wording and by meaning.

The same two rankers as the desk's own claims (claims/matching.py), fused the same way
(reciprocal rank fusion), over ExternalFactCheck:
- by wording: candidates sharing two of the text's longest words (a GIN full-text index on
  PostgreSQL, a bounded word filter on SQLite), ranked by trigram similarity (pg_trgm;
  rapidfuzz on SQLite);
- by meaning: the nearest fact-check vectors (factchecks.embeddings.nearest_fact_checks).
A fixed number of queries whatever the number of fact-checks or matches.
"""

import logging
import re
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction
from django.db.models import Q
from rapidfuzz import fuzz

from lib.rank_fusion import CANDIDATES, MARGIN, MIN_COSINE, RRF_K, MatchReason

from .embeddings import nearest_fact_checks
from .models import ExternalFactCheck

logger = logging.getLogger(__name__)

MIN_SIMILARITY = 0.3
MAX_TEXT = 500

# The wording query's own time limit on PostgreSQL, a last bound whatever the data: past it,
# the query is cancelled and matching by meaning still answers.
WORDING_TIMEOUT_MS = 100

# Candidates share two of the text's longest words (one, for a text with a single long word),
# found through the GIN index on to_tsvector('simple', claim_reviewed): long words are the
# rare ones, so the index hands back few rows whatever the table's size; trigram similarity
# then ranks at most CANDIDATE_ROWS of them.
CANDIDATE_ROWS = 200
TRIGRAM_SQL = """
SELECT id, similarity(claim_reviewed, %(text)s) AS score
FROM (
    SELECT id, claim_reviewed FROM factchecks_externalfactcheck
    WHERE to_tsvector('simple'::regconfig, claim_reviewed) @@ to_tsquery('simple', %(query)s)
    LIMIT %(candidates)s
) AS candidate
ORDER BY score DESC, id
LIMIT %(limit)s
"""


@dataclass
class FactCheckMatch(MatchReason):
    """Another organisation's fact-check that says what the text says, and why it matched."""

    fact_check: ExternalFactCheck
    score: float
    lexical: float | None = None
    vector: float | None = None


def similar_fact_checks(text: str, *, vector=None, limit: int = 5) -> list[FactCheckMatch]:
    """Fact-checks that say what `text` says, best first. `vector` is the text's embedding
    (None: match by wording only, as when the embedder failed)."""
    text = " ".join(text.split())[:MAX_TEXT]
    if len(text) < 3 or limit < 1:
        return []
    wanted = max(limit, CANDIDATES)
    lexical = _wording_scores(text, wanted)
    neighbours = []
    if vector is not None:
        neighbours = [hit for hit in nearest_fact_checks(vector, wanted) if hit[1] >= MIN_COSINE]
        floor = neighbours[0][1] - MARGIN if neighbours else 0
        neighbours = [hit for hit in neighbours if hit[1] >= floor]
    matches: dict[int, FactCheckMatch] = {}
    for rank, (pk, score) in enumerate(lexical, start=1):
        matches[pk] = FactCheckMatch(None, 1 / (RRF_K + rank), lexical=round(score, 3))
    for rank, (pk, cosine) in enumerate(neighbours, start=1):
        match = matches.setdefault(pk, FactCheckMatch(None, 0.0))
        match.score += 1 / (RRF_K + rank)
        match.vector = round(cosine, 3)
    best = sorted(
        matches.items(), key=lambda item: (-item[1].score, -(item[1].vector or 0), item[0])
    )[: limit * 2]  # room for rows deleted since they were indexed
    rows = ExternalFactCheck.objects.in_bulk([pk for pk, _match in best])
    found = []
    for pk, match in best:
        if pk in rows:
            match.fact_check = rows[pk]
            found.append(match)
    return found[:limit]


def _wording_scores(text: str, limit: int) -> list[tuple[int, float]]:
    if connection.vendor == "postgresql":
        return _trigram_scores(text, limit)
    words = _longest_words(text)
    if not words:
        return []
    shares_a_word = Q()
    for word in words:
        shares_a_word |= Q(claim_reviewed__icontains=word)
    rows = ExternalFactCheck.objects.filter(shares_a_word).values_list("pk", "claim_reviewed")
    lowered = text.lower()
    scores = [
        (pk, fuzz.token_sort_ratio(lowered, claim[:MAX_TEXT].lower()) / 100)
        for pk, claim in rows[: 200 * len(words)]
    ]
    scores = [(pk, score) for pk, score in scores if score >= MIN_SIMILARITY]
    return sorted(scores, key=lambda hit: (-hit[1], hit[0]))[:limit]


def _longest_words(text: str) -> list[str]:
    return sorted(set(re.findall(r"\w{4,}", text.lower())), key=lambda w: (-len(w), w))[:4]


def _pairs_query(words: list[str]) -> str:
    """A tsquery: any two of the words (or the one word). Words are \\w+ only, so quoting
    each as a literal is safe."""
    quoted = [f"'{word}'" for word in words]
    if len(quoted) == 1:
        return quoted[0]
    return " | ".join(f"({a} & {b})" for i, a in enumerate(quoted) for b in quoted[i + 1 :])


def _trigram_scores(text: str, limit: int) -> list[tuple[int, float]]:
    words = _longest_words(text)
    if not words:
        return []
    params = {
        "text": text,
        "query": _pairs_query(words),
        "candidates": CANDIDATE_ROWS,
        "limit": limit,
    }
    try:
        # The savepoint keeps a cancelled query from aborting the caller's transaction (the
        # admin's change page runs in one). SET LOCAL lasts to the end of the transaction, so
        # it is reset at once after a success; a rollback undoes it after a timeout.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(WORDING_TIMEOUT_MS)}")
            cursor.execute(TRIGRAM_SQL, params)
            rows = cursor.fetchall()
            cursor.execute("RESET statement_timeout")
    except OperationalError:
        logger.warning("Fact-check wording took over %s ms: by meaning only.", WORDING_TIMEOUT_MS)
        return []
    return [(pk, float(score)) for pk, score in rows if score >= MIN_SIMILARITY]
