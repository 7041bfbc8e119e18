"""Which language a short text is in, offline; and each sentence of many texts (spans_languages).

Backed by lingua (lingua-language-detector): its n-gram models ship inside the wheel, so nothing
downloads, and its published comparisons put it ahead of the other offline detectors on
one-sentence texts such as a ClaimReview's claimReviewed. The detector is built once per
process, in the lighter of its two modes (measured here: some 65 MB and a second to load on the
first detection, about 10 ms for each one after). If the package is missing the feature
degrades: every text is "und".
"""

import bisect
import functools
import re

from django.conf import settings

UNDETERMINED = "und"
# A BCP 47 tag as ClaimReview's inLanguage carries it: "it", "pt-BR", "zh-Hant-TW".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# Below this many letters no detector can tell Italian "Falso" from Spanish "Falso".
MIN_LETTERS = 12
# A paragraph's language is detected on at most this much of it (spans_languages): the
# detector's cost grows with the text and a paragraph's opening says its language as well as
# the whole.
LANGUAGE_SAMPLE = 300


# A short text (fewer letters than this) that the all-language detector places in a language
# outside COMMON_LANGUAGES is told again among those alone. In its light mode the detector
# reads "Fiducia dei consumatori giù ad aprile: 114,2." as Romanian, "Il Kazakistan confina
# con la Russia?" as Catalan: neighbours of a common language win on a few words, and a
# sentence in a language the embedder does not read is matched by wording only. Told among
# the common languages alone, the light mode is right on them (Italian, and French for the
# second, which the embedder reads all the same), for 24 MB more, loaded on first need.
SHORT_TEXT_LETTERS = 100
# The languages of most news the desk reads: the desk's own and the multilingual embedder's.
COMMON_LANGUAGES = (
    "ar de en es fr it ja ko nl pl pt ru th tr zh".split()  # noqa: SIM905
)


@functools.cache
def _common_detector():
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    except ImportError:
        return None
    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in COMMON_LANGUAGES
    ]
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(0.1)
        .build()
    )


def _code(language) -> str:
    return language.iso_code_639_1.name.lower() if language else UNDETERMINED


def _told_again_if_short(texts: list[str], codes: list[str]) -> list[str]:
    """`codes` with each short text's uncommon language told again among COMMON_LANGUAGES,
    where that says it is one of the desk's languages."""
    again = [
        i
        for i, (text, code) in enumerate(zip(texts, codes, strict=True))
        if code not in COMMON_LANGUAGES
        and code != UNDETERMINED
        and sum(char.isalpha() for char in text) < SHORT_TEXT_LETTERS
    ]
    detector = _common_detector() if again else None
    if detector is None:
        return codes
    desk_languages = {code for code, _name in settings.LANGUAGES}
    codes = list(codes)
    found = detector.detect_languages_in_parallel_of([texts[i] for i in again])
    for i, language in zip(again, found, strict=True):
        if _code(language) in desk_languages:
            codes[i] = _code(language)
    return codes


@functools.cache
def _detector():
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:  # the feature degrades, the import does not fail
        return None
    return (
        LanguageDetectorBuilder.from_all_languages()
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(0.1)
        .build()
    )


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language of `text`, or "und" when it cannot tell."""
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        return UNDETERMINED
    detector = _detector()
    language = detector.detect_language_of(text) if detector else None
    return _told_again_if_short([text], [_code(language)])[0]


def detect_languages(texts: list[str]) -> list[str]:
    """detect_language for each text, the batch spread over the CPU's cores by lingua (about a
    third of the time of one call per text on two cores)."""
    codes = [UNDETERMINED] * len(texts)
    wanted = [i for i, text in enumerate(texts) if sum(c.isalpha() for c in text) >= MIN_LETTERS]
    detector = _detector()
    if not wanted or detector is None:
        return codes
    found = detector.detect_languages_in_parallel_of([texts[i] for i in wanted])
    for i, language in zip(wanted, found, strict=True):
        codes[i] = _code(language)
    return _told_again_if_short(texts, codes)


def spans_languages(texts: list[str], spans, language: str | None = None) -> list[list[str]]:
    """The language of each span (a sentence: `spans[i]` are (start, end) in `texts[i]`), for
    the intake pipeline. `language`, when the caller knows it, is every span's. A text whose
    opening, middle and closing paragraphs are in one language is in that language (an
    article, a feed item); where they differ (a bilingual transcript), each paragraph (line)
    is detected on its own. Sentences are never detected
    one by one: the detector needs more than a sentence to be sure, and costs as much."""
    if language:
        return [[language] * len(text_spans) for text_spans in spans]
    paragraphs = [_paragraphs(text) for text in texts]
    samples = [
        [_sample(text, p) for p in _spread(paras)]
        for text, paras in zip(texts, paragraphs, strict=True)
    ]
    found = iter(detect_languages([sample for text_samples in samples for sample in text_samples]))
    verdicts = [{next(found) for _ in text_samples} - {UNDETERMINED} for text_samples in samples]
    mixed = [i for i, verdict in enumerate(verdicts) if len(verdict) > 1]
    per_paragraph = iter(
        detect_languages([_sample(texts[i], p) for i in mixed for p in paragraphs[i]])
    )
    paragraph_languages = {i: [next(per_paragraph) for _ in paragraphs[i]] for i in mixed}
    result = []
    for i, text_spans in enumerate(spans):
        if i in paragraph_languages:
            starts = [start for start, _ in paragraphs[i]]
            result.append(
                [paragraph_languages[i][_paragraph_of(starts, start)] for start, _ in text_spans]
            )
        else:
            text_language = next(iter(verdicts[i]), UNDETERMINED)
            result.append([text_language] * len(text_spans))
    return result


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line."""
    spans, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans or [(0, len(text))]


def _spread(paragraphs: list) -> list:
    """The first, middle and last paragraphs (fewer when there are fewer)."""
    picked = {0, len(paragraphs) // 2, len(paragraphs) - 1}
    return [paragraphs[i] for i in sorted(picked)]


def _sample(text: str, paragraph: tuple[int, int]) -> str:
    start, end = paragraph
    sample = text[start:end]
    if len(sample) <= LANGUAGE_SAMPLE:
        return sample
    return sample[:LANGUAGE_SAMPLE].rsplit(None, 1)[0]  # a whole last word


def _paragraph_of(starts: list[int], offset: int) -> int:
    """The paragraph a sentence starting at `offset` is in (`starts` is sorted)."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)
