"""The instant answer to a tip: a published check that says what the tip asks, if one matches
with confidence (claims.same_claim.is_repeat, the one rule for "confident enough").

The tip is embedded once (claims.matching.query_vector); that vector serves the desk's checks,
other organisations' and the grouping of tips into requests. A tip in a language the embedder
was not trained on is matched by wording only, and says so in its note: a vector of a language
the model does not read would match noise with confidence. A tip of several sentences (a
forwarded message) whose whole text matches nothing goes through the pipeline sentence by
sentence, so one checked claim inside it is still found.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from claims.detection import split_sentences
from claims.matching import Match, checked_before, query_vector
from claims.pipeline import text_analyse
from claims.same_claim import is_repeat
from factchecks.matching import FactCheckMatch, similar_fact_checks
from lib.embedding import get_embedder
from lib.language import UNDETERMINED, detect_language

from .grouping import claim_of

LIMIT = 3


@dataclass
class Answer:
    language: str
    vector: object = None  # the tip's embedding, None when matched by wording only
    claims: list[Match] = field(default_factory=list)  # confident matches only
    fact_checks: list[FactCheckMatch] = field(default_factory=list)
    note: str = ""

    @property
    def found(self) -> bool:
        return bool(self.claims or self.fact_checks)


def embedder_reads(language: str) -> bool:
    """Whether the configured embedder covers `language` (an embedder that does not say which
    languages it reads is trusted with all; an undetermined language gets the vector too)."""
    languages = getattr(get_embedder(), "languages", None)
    return languages is None or language == UNDETERMINED or language in languages


def tip_answer(tip: str) -> Answer:
    """The tip's language, its vector, and the published checks that answer it with confidence.
    A bounded number of queries: the two "checked before?" rankers, at most twice. The tip is
    matched as the statement it asks about (grouping.claim_of)."""
    text = claim_of(tip)
    language = detect_language(text)
    answer = Answer(language=language)
    if embedder_reads(language):
        answer.vector = query_vector(text)
    else:
        # A note for the desk, so in the desk's language whoever sent the tip.
        with override(settings.LANGUAGE_CODE):
            answer.note = _(
                "Written in a language the matching model does not read (%(language)s): "
                "matched by wording only."
            ) % {"language": language}
    wording_language = None if language == UNDETERMINED else language
    answer.claims = [
        match
        for match in checked_before(
            text, language=wording_language, limit=LIMIT, published_only=True, vector=answer.vector
        )
        if is_repeat(match, text, language)
    ]
    answer.fact_checks = [
        match
        for match in similar_fact_checks(text, vector=answer.vector, limit=LIMIT)
        if is_repeat(match, text, language)
    ]
    if not answer.found and answer.vector is not None and len(split_sentences(text)) > 1:
        _sentence_answers(text, answer)
    return answer


def _sentence_answers(text: str, answer: Answer) -> None:
    for sentence in text_analyse(text, limit=LIMIT, with_fact_checks=True):
        claim_ids = {match.claim.pk for match in answer.claims}
        if sentence.repeat and sentence.repeat.claim.pk not in claim_ids:
            answer.claims.append(sentence.repeat)
        fact_check_ids = {match.fact_check.pk for match in answer.fact_checks}
        found = sentence.repeated_fact_check
        if found and found.fact_check.pk not in fact_check_ids:
            answer.fact_checks.append(found)
    answer.claims = answer.claims[:LIMIT]
    answer.fact_checks = answer.fact_checks[:LIMIT]
