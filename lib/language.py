"""Which language a short text is in, offline.

Backed by lingua (lingua-language-detector): its n-gram models ship inside the wheel, so nothing
downloads, and its published comparisons put it ahead of the other offline detectors on
one-sentence texts such as a ClaimReview's claimReviewed. The detector is built once per
process, in the lighter of its two modes (measured here: some 65 MB and a second to load on the
first detection, about 10 ms for each one after). If the package is missing the feature
degrades: every text is "und".
"""

import functools
import re

UNDETERMINED = "und"
# A BCP 47 tag as ClaimReview's inLanguage carries it: "it", "pt-BR", "zh-Hant-TW".
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# Below this many letters no detector can tell Italian "Falso" from Spanish "Falso".
MIN_LETTERS = 12


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
    return language.iso_code_639_1.name.lower() if language else UNDETERMINED


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
        codes[i] = language.iso_code_639_1.name.lower() if language else UNDETERMINED
    return codes
