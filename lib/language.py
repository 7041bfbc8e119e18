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
