"""One pipeline for everything that comes in from outside the desk: readers' tips, monitored
feeds and pages, transcripts of live events.

Text comes in; it is split into sentences (claims.detection's splitter, the one the detector
and the anchors use), each sentence gets a language, a check-worthiness score with its reasons,
and its matches among the published checks: the desk's own (claims.matching) and, when asked,
other organisations' (factchecks).

`texts_analyse` takes a batch of texts (a feed's new items) and shares every cost a batch can
share; `text_analyse` is the same for one text. What makes 250 sentences a second possible on
two cores (docs/intake.md gives the figures, bench/bench_pipeline.py measures them):
- language is detected per text, or per paragraph where a text's samples disagree, never per
  sentence: the detector costs as much for a sentence as for a paragraph's opening;
- every sentence worth matching (MIN_WORDS_TO_MATCH words) is embedded, in one call to the
  model for the batch, and looked up in the vector index in one search for the batch;
- matching by wording runs only where it can change the answer (`_wording_can_matter`): a
  sentence matched by meaning compares its wording with its nearest claims by meaning, all
  of a batch in one query; only a sentence without a vector gets a full-text search. Each
  query is bounded by WORDING_TIMEOUT_MS.

A match is a *repeat* of a published check when it is confident enough to tell a reader "this
was checked" or an editor "this claim is back": `claims.same_claim.is_repeat` is that rule, in
one place, used by tips and by monitoring alike (its thresholds were chosen on
bench/data/repeats_eval.jsonl with bench/bench_repeats.py). A long sentence that repeats
nothing but is near a published claim has its clauses matched too (`_match_clauses`): a claim
inside reported speech.
"""

import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from factchecks.matching import FactCheckMatch, similar_fact_checks
from lib.embedding import embedder_reads, get_embedder
from lib.language import UNDETERMINED, spans_languages
from lib.rank_fusion import CANDIDATES
from lib.text import word_count

from .clauses import clauses
from .detection import is_heading, score_sentence, split_sentences
from .matching import Match, fused_ranking, match_of, neighbours_many, query_vectors, visible_claims
from .same_claim import REPEAT_MIN_COSINE, is_repeat
from .similarity import MIN_SIMILARITY, similar_claims, wording_similarities

logger = logging.getLogger(__name__)

# A sentence shorter than this many words is a fragment ("Thank you.", a speaker's label): it is
# scored (for the record) but never matched, since any match would be noise.
MIN_WORDS_TO_MATCH = 4
# Matching by wording runs only where it can change whether a sentence is a repeat: when the
# nearest published claim by meaning is at least this close but not a repeat by meaning
# already (REPEAT_MIN_COSINE), or when there is no meaning to go by. Below it, wording that
# is close enough for a repeat (REPEAT_MIN_WORDING: half the trigrams shared) does not happen:
# such a pair reads alike to the embedder too.
WORDING_MIN_COSINE = 0.6
# Nearest claims by meaning read per sentence: enough for `limit` matches after drafts and
# the margin drop out, far fewer than checked_before's 60 (a page lists up to 10 matches).
NEIGHBOURS = 10
# Each wording query's own time limit on PostgreSQL; past it, that sentence keeps its matches
# by meaning (as factchecks.matching does for the harvested fact-checks).
WORDING_TIMEOUT_MS = 150
# A claim inside a longer sentence of reported speech ("he reminded that by 2050 ..., and that
# we must prepare") reads less alike to the embedder than the claim alone. A sentence of at
# least CLAUSE_SENTENCE_MIN_WORDS words that repeats nothing, whose nearest published claim is
# at least CLAUSE_MIN_COSINE (on the same subject, not close enough), has its clauses embedded
# too (claims.clauses), all of a batch in one more model call. Both bounds keep that call
# rare: embedding is most of the pipeline's cost (docs/intake.md has the counts).
CLAUSE_SENTENCE_MIN_WORDS = 16
CLAUSE_MIN_COSINE = 0.55
# Sentences matched together: one model call, one vector search, one read of their candidates.
MATCH_BATCH = 256


@dataclass
class Sentence:
    """One sentence of an incoming text, with everything the pipeline learnt about it.
    `notes` says what the reader of a match should know (matched by wording only, and why)."""

    start: int
    end: int
    text: str
    language: str
    score: float
    reasons: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    fact_checks: list[FactCheckMatch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def repeat(self) -> Match | None:
        """The desk's published check this sentence repeats, if any is confident enough."""
        return next(
            (match for match in self.matches if is_repeat(match, self.text, self.language)), None
        )

    @property
    def repeated_fact_check(self) -> FactCheckMatch | None:
        """Another organisation's fact-check this sentence repeats, if confident enough."""
        return next((m for m in self.fact_checks if is_repeat(m, self.text, self.language)), None)


@dataclass
class PipelineStats:
    """Where the time goes: seconds per stage, and counts, summed over calls (the bench's
    figures, and the monitoring worker's log line)."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def report(self, elapsed: float | None = None) -> str:
        total = elapsed or sum(self.seconds.values()) or 1
        lines = [f"{'stage':<12} {'seconds':>9} {'share':>7}"]
        for name, seconds in self.seconds.items():
            lines.append(f"{name:<12} {seconds:9.2f} {seconds / total:7.1%}")
        lines.append(", ".join(f"{name} {count:,}" for name, count in self.counts.items()))
        return "\n".join(lines)


def text_analyse(
    text: str,
    *,
    language: str | None = None,
    limit: int = 3,
    with_fact_checks: bool = False,
    stats: PipelineStats | None = None,
) -> list[Sentence]:
    """The sentences of `text` in reading order, each scored and matched against the published
    checks. `language` is the text's language when the caller knows it (a transcript's, a
    feed's); otherwise it is detected (per text, or per paragraph when they differ)."""
    return texts_analyse(
        [text], language=language, limit=limit, with_fact_checks=with_fact_checks, stats=stats
    )[0]


def texts_analyse(
    texts: list[str],
    *,
    language: str | None = None,
    limit: int = 3,
    with_fact_checks: bool = False,
    stats: PipelineStats | None = None,
) -> list[list[Sentence]]:
    """text_analyse for each of `texts`, in order, sharing the model call, the vector search
    and the language detector's work across the batch. A bounded number of queries per
    sentence worth matching: none for the vector search (one per batch), two for its wording
    (only where `_wording_can_matter`), each cancelled after WORDING_TIMEOUT_MS."""
    stats = stats if stats is not None else PipelineStats()
    stats.counts["texts"] += len(texts)
    with stats.stage("split"):
        spans = [split_sentences(text) for text in texts]
    with stats.stage("language"):
        languages = spans_languages(texts, spans, language)
    with stats.stage("score"):
        results = [
            [
                _scored(text, start, end, lang)
                for (start, end), lang in zip(text_spans, langs, strict=True)
            ]
            for text, text_spans, langs in zip(texts, spans, languages, strict=True)
        ]
    sentences = [sentence for result in results for sentence in result]
    stats.counts["sentences"] += len(sentences)
    matchable = [s for s in sentences if word_count(s.text) >= MIN_WORDS_TO_MATCH]
    # However many texts the caller hands over, each model call and each query covers at most
    # MATCH_BATCH sentences (the vector search reads 40 candidates per sentence in one query).
    for first in range(0, len(matchable), MATCH_BATCH):
        chunk = matchable[first : first + MATCH_BATCH]
        _match(chunk, limit=limit, with_fact_checks=with_fact_checks, stats=stats)
    return results


def _scored(text: str, start: int, end: int, language: str) -> Sentence:
    sentence = text[start:end]
    score, reasons = score_sentence(sentence, heading=is_heading(text, start, end))
    return Sentence(start, end, sentence, language, score, reasons)


# --- Matching -----------------------------------------------------------------------------


def _match(sentences: list[Sentence], *, limit: int, with_fact_checks: bool, stats) -> None:
    embedder = get_embedder()  # a wrong FACTDESK_EMBEDDER is a configuration error: raise it
    readable = [s for s in sentences if embedder_reads(embedder, s.language)]
    for sentence in sentences:
        if not embedder_reads(embedder, sentence.language):
            sentence.notes.append(
                _(
                    "Matched by wording only: the model that matches by meaning does not read "
                    "this language (%(language)s)."
                )
                % {"language": sentence.language}
            )
    with stats.stage("embed"):
        vectors = _vectors([s.text for s in readable])
    by_sentence = {id(s): v for s, v in zip(readable, vectors, strict=True)}
    vectors = [by_sentence.get(id(s)) for s in sentences]
    if readable and all(v is None for v in vectors):
        for sentence in readable:
            sentence.notes.append(_("Matched by wording only: matching by meaning failed."))
    with stats.stage("vector"):
        neighbours = neighbours_many(vectors, k=max(limit, NEIGHBOURS), published_only=True)
    stats.counts["embedded"] += sum(v is not None for v in vectors)
    wording = [
        i
        for i, (vector, near) in enumerate(zip(vectors, neighbours, strict=True))
        if _wording_can_matter(vector, near)
    ]
    with stats.stage("wording"):
        lexical, loaded = _wording_matches(
            [sentences[i] for i in wording], [neighbours[i] for i in wording], stats, limit=limit
        )
    with stats.stage("fuse"):
        found = dict(zip(wording, lexical, strict=True))
        ranked = [
            fused_ranking(found.get(i, []), neighbours[i], limit=limit)
            for i in range(len(sentences))
        ]
        # Only the claims that made some sentence's cut are loaded, in one query.
        claims = dict(loaded)
        claims.update(
            visible_claims(
                {pk for ranking in ranked for pk, *_ in ranking} - claims.keys(),
                published_only=True,
            )
        )
        for sentence, ranking in zip(sentences, ranked, strict=True):
            sentence.matches = [
                match_of(copy(claims[pk]), score, wording, cosine)
                for pk, score, wording, cosine in ranking
                if pk in claims
            ]
    if with_fact_checks:
        with stats.stage("fact-checks"):
            for sentence, vector in zip(sentences, vectors, strict=True):
                sentence.fact_checks = similar_fact_checks(
                    sentence.text, vector=vector, limit=limit
                )
    # The one hook of the clauses (below): it only adds matches to sentences that repeat nothing.
    _match_clauses(sentences, neighbours, limit=limit, stats=stats)
    stats.counts["repeats"] += sum(s.repeat is not None for s in sentences)


def _match_clauses(sentences: list[Sentence], neighbours: list, *, limit: int, stats) -> None:
    """For each long sentence that repeats nothing but is near a published claim, its
    clauses' matches by meaning: a clause's match that is a repeat (is_repeat, the vetoes
    read on the whole sentence) goes first among the sentence's matches, with a note. The
    pipeline's `limit` holds per sentence and per clause: a sentence may end with one match
    more. One model call, one vector search and one read of claims for the batch."""
    wanted = [
        (sentence, clause)
        for sentence, near in zip(sentences, neighbours, strict=True)
        if _clauses_can_matter(sentence, near)
        for clause in clauses(sentence.text)
    ]
    if not wanted:
        return
    stats.counts["clauses embedded"] += len(wanted)
    with stats.stage("clauses"):
        vectors = _vectors([clause for _, clause in wanted])
        found = neighbours_many(vectors, k=limit, published_only=True)
        claims = visible_claims({pk for hits in found for pk, _ in hits}, published_only=True)
    for (sentence, clause), hits in zip(wanted, found, strict=True):
        repeats = [
            match
            for match in (
                match_of(copy(claims[pk]), 0.0, None, cos) for pk, cos in hits if pk in claims
            )
            if is_repeat(match, sentence.text, sentence.language)
        ]
        if repeats and sentence.repeat is None:
            # It takes the place of the whole sentence's weaker match to the same claim.
            best = repeats[0]
            sentence.matches = [best] + [
                match for match in sentence.matches if match.claim.pk != best.claim.pk
            ]
            sentence.notes.append(
                _("Matched by one of its clauses: %(clause)s") % {"clause": clause}
            )


def _clauses_can_matter(sentence: Sentence, neighbours) -> bool:
    if word_count(sentence.text) < CLAUSE_SENTENCE_MIN_WORDS or sentence.repeat is not None:
        return False
    best = max((cosine for _pk, cosine in neighbours), default=0.0)
    return CLAUSE_MIN_COSINE <= best < REPEAT_MIN_COSINE


def _vectors(texts: list[str]) -> list:
    """One embedding per text, each distinct text embedded once (a feed repeats its
    boilerplate: "Read more", the outlet's signature)."""
    if not texts:
        return []
    keys = [" ".join(text.split()) for text in texts]
    distinct = list(dict.fromkeys(keys))
    vectors = dict(zip(distinct, query_vectors(distinct), strict=True))
    return [vectors[key] for key in keys]


def _wording_can_matter(vector, neighbours) -> bool:
    """Whether matching by wording can change whether a sentence is a repeat. Without a vector
    (a language the model does not read, or the model failed) wording is all there is. With
    one, a published claim at REPEAT_MIN_COSINE or closer has already decided it, and with
    none within WORDING_MIN_COSINE there is no claim on the same thing for wording to find:
    the query would be spent on a sentence that repeats nothing (most of a day's monitored
    sentences). Such a sentence's matches are by meaning only."""
    if vector is None:
        return True
    best = max((cosine for _pk, cosine in neighbours), default=0.0)
    return WORDING_MIN_COSINE <= best < REPEAT_MIN_COSINE


def _wording_matches(sentences: list[Sentence], neighbours: list, stats, *, limit: int):
    """Each sentence's claims by wording, (id, similarity) best first, and the Claims a search
    loaded by id. A sentence matched by meaning compares its wording with its nearest claims
    by meaning only, all such sentences in one query (claims.similarity.wording_similarities):
    a claim worded closely enough to be a repeat reads alike to the embedder too, so it is
    among them. A sentence without a vector gets the full-text search (similar_claims). Each
    query is cancelled after WORDING_TIMEOUT_MS: those sentences then match by meaning only."""
    results: list[list[tuple[int, float]]] = [[] for _ in sentences]
    loaded: dict[int, object] = {}
    if not sentences:
        return results, loaded
    compared = [i for i, near in enumerate(neighbours) if near]
    searched = [i for i, near in enumerate(neighbours) if not near]
    stats.counts["wording queries"] += len(searched) + bool(compared)
    with _wording_time_limit():
        if compared:
            scores = _bounded(
                stats,
                f"{len(compared)} sentences",
                wording_similarities,
                [sentences[i].text for i in compared],
                [[pk for pk, _ in neighbours[i]] for i in compared],
            )
            for i, found in zip(compared, scores or [{}] * len(compared), strict=True):
                results[i] = sorted(
                    (
                        (pk, round(score, 3))
                        for pk, score in found.items()
                        if score >= MIN_SIMILARITY
                    ),
                    key=lambda hit: (-hit[1], hit[0]),
                )
        wanted = max(limit, CANDIDATES)  # as many as checked_before fuses
        for i in searched:
            sentence = sentences[i]
            claims = _bounded(
                stats,
                repr(sentence.text[:80]),
                similar_claims,
                sentence.text,
                language=None if sentence.language == UNDETERMINED else sentence.language,
                limit=wanted,
                published_only=True,
            )
            loaded.update((claim.pk, claim) for claim in claims or [])
            results[i] = [(claim.pk, claim.similarity) for claim in claims or []]
    return results, loaded


def _bounded(stats, about: str, query, *args, **kwargs):
    """query(*args, **kwargs), or None when it ran past WORDING_TIMEOUT_MS."""
    try:
        # The savepoint keeps a cancelled query from aborting the whole batch's transaction
        # (and a caller's).
        with transaction.atomic():
            return query(*args, **kwargs)
    except OperationalError:
        logger.warning(
            "Wording match took over %s ms; by meaning only: %s", WORDING_TIMEOUT_MS, about
        )
        stats.counts["wording timeouts"] += 1
        return None


@contextmanager
def _wording_time_limit():
    if connection.vendor != "postgresql":
        yield  # SQLite's fallback reads a bounded number of rows (claims.similarity)
        return
    # SET LOCAL lasts to the end of the transaction: this one, or the caller's if it has one,
    # hence the RESET.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(WORDING_TIMEOUT_MS)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
