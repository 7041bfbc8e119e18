""" "Checked before?": claims that say the same thing as a text, across articles and outlets.

On PostgreSQL, full-text search finds candidates (claims sharing at least two of the text's
rarest words, in its language, through the GIN index on Claim.search_vector) and pg_trgm
similarity ranks them.
On SQLite, a word filter finds candidates and rapidfuzz ranks them in Python.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from rapidfuzz import fuzz

from . import visibility
from .choices import ClaimStatus
from .models import Claim

MAX_TEXT = 500
MIN_SIMILARITY = 0.3
# How many full-text matches are re-ranked by trigram similarity: enough to hold the same
# claim reworded, few enough to stay fast at a million claims (bench/bench_similar.py).
CANDIDATES = 200

SEARCH_CONFIGS = {
    "it": "italian",
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "de": "german",
    "nl": "dutch",
    "ru": "russian",
}

# Candidates share at least two of the text's RARE_WORDS rarest words (more for a long text;
# for a one-word text, that word). Word frequencies come from the planner's statistics on
# search_vector (pg_stats; words not listed there are rarer than any listed). Asking for pairs
# of rare words keeps the GIN scan small at a million claims, where "any word" would match and
# rank tens of thousands of rows.
RARE_WORDS = 4
# How alike a claim's wording (claim_reviewed, quote) is to a text, 0-1 (pg_trgm); {text} is
# the text's SQL expression.
WORDING_SCORE = """greatest(
    similarity(claim_reviewed, {text}),
    similarity(left(quote, %(max_text)s), {text}),
    -- A checked quote inside a longer sentence (or the reverse) counts, a little discounted;
    -- short passages are left out because a few shared words make them look alike.
    CASE WHEN length(quote) >= 40 THEN 0.9 * word_similarity(left(quote, %(max_text)s), {text})
         ELSE 0 END,
    CASE WHEN length({text}) >= 40 THEN 0.9 * word_similarity({text}, left(quote, %(max_text)s))
         ELSE 0 END)"""
CANDIDATE_SQL = """
WITH lexeme AS (
    SELECT DISTINCT unnest(tsvector_to_array({tsvector})) AS word
), stat AS (
    SELECT unnest(most_common_elems::text::text[]) AS word, unnest(most_common_elem_freqs) AS freq
    FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = 'claims_claim'
      AND attname = 'search_vector'
), rare AS (
    SELECT lexeme.word FROM lexeme LEFT JOIN stat USING (word)
    ORDER BY coalesce(stat.freq, 0), length(lexeme.word) DESC, lexeme.word
    -- A long sentence may hold a checked claim in any part of it: it gets more rare words.
    LIMIT greatest(%(rare_words)s, least(2 * %(rare_words)s, (SELECT count(*) FROM lexeme) / 4))
), query AS (
    SELECT coalesce(
        (SELECT string_agg(quote_literal(a.word) || ' & ' || quote_literal(b.word), ' | ')
         FROM rare AS a JOIN rare AS b ON a.word < b.word),
        (SELECT string_agg(quote_literal(word), ' | ') FROM rare),
        ''
    )::tsquery AS q
)
SELECT id, {score}
FROM (
    SELECT claim.id, claim.claim_reviewed, claim.quote
    FROM claims_claim AS claim, query
    WHERE claim.search_vector @@ query.q AND claim.status <> %(dismissed)s {public}
    ORDER BY ts_rank(claim.search_vector, query.q, 1) DESC
    LIMIT %(candidates)s
) AS candidate
"""


def search_config(language: str | None) -> str:
    """The PostgreSQL text-search configuration for a language code ("it-IT" -> italian)."""
    return SEARCH_CONFIGS.get((language or "").split("-")[0].lower(), "simple")


def similar_claims(
    text: str,
    *,
    language: str | None = None,
    exclude: Claim | int | None = None,
    limit: int = 10,
    published_only: bool = False,
) -> list[Claim]:
    """Claims that say what `text` says, most similar first, each with `.similarity` (0-1).

    Dismissed claims are left out. `exclude` is the claim being looked at (and its own
    sightings are still listed, so an editor sees the links already made). `published_only`
    narrows to what readers may see (claims/visibility.py); the door sets it from its caller.
    """
    text = " ".join(text.split())[:MAX_TEXT]
    if len(text) < 3:
        return []
    exclude_id = exclude.pk if isinstance(exclude, Claim) else exclude
    if connection.vendor == "postgresql":
        scores = _postgres_scores(text, language, published_only)
    else:
        scores = _fallback_scores(text, published_only)
    scores.pop(exclude_id, None)
    best = sorted(
        (pk for pk, score in scores.items() if score >= MIN_SIMILARITY),
        key=lambda pk: (-scores[pk], pk),
    )[:limit]
    claims = Claim.objects.filter(pk__in=best).select_related(
        "verdict", "article", "article__outlet"
    )
    for claim in claims:
        claim.similarity = round(scores[claim.pk], 3)
    return sorted(claims, key=lambda claim: (-claim.similarity, claim.pk))


def _postgres_scores(text: str, language: str | None, published_only: bool) -> dict[int, float]:
    # Statuses are parameters like any value; only the fixed condition is spliced in.
    public = "AND claim.status = %(public_status)s" if published_only else ""
    # Without a language, the text is read as each language the desk works in. The config
    # names come from SEARCH_CONFIGS, never from the caller.
    configs = [search_config(language)] if language else ["english", "italian"]
    tsvector = " || ".join(f"to_tsvector('{config}'::regconfig, %(text)s)" for config in configs)
    with connection.cursor() as cursor:
        cursor.execute(
            CANDIDATE_SQL.format(
                public=public, tsvector=tsvector, score=WORDING_SCORE.format(text="%(text)s")
            ),
            {
                "dismissed": ClaimStatus.DISMISSED,
                "public_status": visibility.PUBLIC_STATUS,
                "rare_words": RARE_WORDS,
                "text": text,
                "candidates": CANDIDATES,
                "max_text": MAX_TEXT,
            },
        )
        return dict(cursor.fetchall())


PAIRS_SQL = """
SELECT pair.n, claim.id, {score}
FROM unnest(%(ns)s::int[], %(texts)s::text[], %(ids)s::bigint[]) AS pair(n, text, claim_id)
JOIN claims_claim AS claim ON claim.id = pair.claim_id
"""


def wording_similarities(texts: list[str], candidates: list[list[int]]) -> list[dict[int, float]]:
    """For each text, how alike each of its candidate claims' wording is (0-1, as
    similar_claims scores it), by claim id: one query for them all, however many texts. For a
    caller that already knows which claims to compare (the intake pipeline: a sentence's
    nearest claims by meaning), instead of a full-text search per text."""
    texts = [" ".join(text.split())[:MAX_TEXT] for text in texts]
    pairs = [(n, pk) for n, ids in enumerate(candidates) for pk in ids]
    scores: list[dict[int, float]] = [{} for _ in texts]
    if not pairs:
        return scores
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                PAIRS_SQL.format(score=WORDING_SCORE.format(text="pair.text")),
                {
                    "ns": [n for n, _ in pairs],
                    "texts": [texts[n] for n, _ in pairs],
                    "ids": [pk for _, pk in pairs],
                    "max_text": MAX_TEXT,
                },
            )
            for n, pk, score in cursor.fetchall():
                scores[n][pk] = score
        return scores
    rows = Claim.objects.filter(pk__in={pk for _, pk in pairs}).values_list(
        "pk", "claim_reviewed", "quote"
    )
    wordings = {pk: (reviewed.lower(), quote.lower()) for pk, reviewed, quote in rows}
    for n, pk in pairs:
        if pk in wordings:
            lowered = texts[n].lower()
            scores[n][pk] = max(_fuzzy_score(lowered, wording) for wording in wordings[pk])
    return scores


def _fallback_scores(text: str, published_only: bool) -> dict[int, float]:
    words = sorted(set(re.findall(r"\w{4,}", text.lower())), key=len, reverse=True)[:4]
    if not words:
        return {}
    # One query whatever the number of words, so pages that show matches stay constant.
    shares_a_word = Q()
    for word in words:
        shares_a_word |= Q(claim_reviewed__icontains=word) | Q(quote__icontains=word)
    queryset = Claim.objects.exclude(status=ClaimStatus.DISMISSED).filter(shares_a_word)
    if published_only:
        queryset = visibility.public_claims(queryset)
    rows = queryset.values_list("pk", "claim_reviewed", "quote")[: CANDIDATES * len(words)]
    lowered = text.lower()
    return {
        pk: max(_fuzzy_score(lowered, reviewed.lower()), _fuzzy_score(lowered, quote.lower()))
        for pk, reviewed, quote in rows
    }


def _fuzzy_score(a: str, b: str) -> float:
    """rapidfuzz stands in for pg_trgm: word order does not matter, and one passage inside a
    longer one counts a little discounted when it is long enough to mean something (as
    word_similarity does in the PostgreSQL query)."""
    b = b[:MAX_TEXT]
    score = fuzz.token_sort_ratio(a, b)
    if min(len(a), len(b)) >= 40:
        score = max(score, 0.9 * fuzz.token_set_ratio(a, b))
    return score / 100


def search_claims(text: str, *, language: str | None = None) -> QuerySet:
    """Claims matching a search (web-search syntax: words, "a phrase", -word), best first.

    On SQLite, a substring match on the short wording and the quote.
    """
    if connection.vendor != "postgresql":
        return Claim.objects.filter(claim_reviewed__icontains=text) | Claim.objects.filter(
            quote__icontains=text
        )
    query = SearchQuery(text, config=search_config(language), search_type="websearch")
    return (
        Claim.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-pk")
    )


def claim_sightings(claim: Claim, *, published_only: bool = True) -> list[Claim]:
    """Other places the same claim was seen ("also seen in"), oldest first, with article and
    outlet: the claims linked to the same first check, and that first check itself.

    claim_link_same keeps every link pointing at the first check, so this is one query.
    """
    root_id = claim.canonical_id or claim.pk
    queryset = (
        Claim.objects.filter(Q(pk=root_id) | Q(canonical_id=root_id))
        .exclude(pk=claim.pk)
        .select_related("verdict", "article", "article__outlet")
        .order_by("created_at", "pk")
    )
    if published_only:
        queryset = visibility.public_claims(queryset)
    return list(queryset)
