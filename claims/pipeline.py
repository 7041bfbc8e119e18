"""One pipeline for everything that comes in from outside the desk: readers' tips, monitored
feeds and pages, transcripts of live events.

Text comes in; it is split into sentences (claims.detection's splitter, the one the detector
and the anchors use), each sentence gets a language, a check-worthiness score with its reasons,
and its matches among the published checks: the desk's own (claims.matching) and, when asked,
other organisations' (factchecks). The text is embedded once per batch of sentences, not once
per sentence, because the model call dominates the cost of a sentence.

A match is a *repeat* of a published check when it is confident enough to tell a reader "this
was checked" or an editor "this claim is back": `is_repeat` is that rule, in one place, used by
tips and by monitoring alike.
"""

from dataclasses import dataclass, field

from factchecks.matching import FactCheckMatch, similar_fact_checks
from lib.language import UNDETERMINED, detect_language

from .detection import is_heading, score_sentence, split_sentences
from .matching import Match, checked_before, query_vectors

# A sentence shorter than this many words is a fragment ("Thank you.", a speaker's label): it is
# scored (for the record) but never matched, since any match would be noise.
MIN_WORDS_TO_MATCH = 4
# How sure a match must be to count as a repeat of a published check. By meaning (cosine of
# the multilingual embeddings) or by wording (trigram/full-text similarity, 0-1).
REPEAT_MIN_COSINE = 0.72
REPEAT_MIN_WORDING = 0.6


@dataclass
class Sentence:
    """One sentence of an incoming text, with everything the pipeline learnt about it."""

    start: int
    end: int
    text: str
    language: str
    score: float
    reasons: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    fact_checks: list[FactCheckMatch] = field(default_factory=list)

    @property
    def repeat(self) -> Match | None:
        """The desk's published check this sentence repeats, if any is confident enough."""
        return next((match for match in self.matches if is_repeat(match)), None)

    @property
    def repeated_fact_check(self) -> FactCheckMatch | None:
        """Another organisation's fact-check this sentence repeats, if confident enough."""
        return next((match for match in self.fact_checks if is_repeat(match)), None)


def is_repeat(match) -> bool:
    """A Match or FactCheckMatch confident enough to be called the same claim."""
    return (match.vector or 0) >= REPEAT_MIN_COSINE or (match.lexical or 0) >= REPEAT_MIN_WORDING


def text_analyse(
    text: str,
    *,
    language: str | None = None,
    limit: int = 3,
    with_fact_checks: bool = False,
) -> list[Sentence]:
    """The sentences of `text` in reading order, each scored and matched against the published
    checks. `language` is the text's language when the caller knows it (a transcript's, a
    feed's); otherwise each sentence's own is detected."""
    spans = split_sentences(text)
    sentences = []
    for start, end in spans:
        sentence = text[start:end]
        score, reasons = score_sentence(sentence, heading=is_heading(text, start, end))
        sentences.append(
            Sentence(
                start,
                end,
                sentence,
                language or detect_language(sentence),
                score,
                reasons,
            )
        )
    matchable = [s for s in sentences if len(s.text.split()) >= MIN_WORDS_TO_MATCH]
    vectors = query_vectors([s.text for s in matchable])
    for sentence, vector in zip(matchable, vectors, strict=True):
        wording_language = None if sentence.language == UNDETERMINED else sentence.language
        sentence.matches = checked_before(
            sentence.text,
            language=wording_language,
            limit=limit,
            published_only=True,
            vector=vector,
        )
        if with_fact_checks:
            sentence.fact_checks = similar_fact_checks(sentence.text, vector=vector, limit=limit)
    return sentences
