"""Other organisations' rating labels, matched onto this desk's verdict scale.

Fact-checkers write the same verdict many ways: "barely-true", "Barely True", "mostly_false",
"pants on fire!", "Incorrect \r". A label and every alias of the scale are compared in one
normal form (case, accents, punctuation, hyphens and underscores folded away), so an alias
written once matches all of its spellings. The aliases themselves are data that editors keep
on VerdictRating (the default ones ship in migrations); this module holds no list of labels.

A label that matches no alias, or that two ratings both claim, maps to nothing: the importer
keeps it verbatim and flags it for an editor, because a wrong verdict is worse than none.
"""

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol

_NOT_WORD = re.compile(r"[\W_]+")


class Rated(Protocol):
    def alias_set(self) -> set[str]: ...


def normalise_label(label: str) -> str:
    """The form labels are compared in: "Pants on Fire!" and "pants-on-fire" give the same.

    NFKC first (full-width letters, ligatures), then accents off (a label typed without them
    still matches: "ni" for "nì"), then every run of punctuation, space, hyphen or underscore
    becomes one space.
    """
    text = unicodedata.normalize("NFKC", str(label)).casefold()
    text = "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    )
    return _NOT_WORD.sub(" ", text).strip()


def alias_index(scale: Iterable[Rated]) -> dict[str, Rated]:
    """Normal form -> rating, for every name and alias of the scale. A form two ratings share
    is left out: it cannot say which one is meant."""
    index: dict[str, Rated] = {}
    shared: set[str] = set()
    for rating in scale:
        for alias in rating.alias_set():
            key = normalise_label(alias)
            if key in index and index[key] is not rating:
                shared.add(key)
            index.setdefault(key, rating)
    for key in shared:
        del index[key]
    index.pop("", None)
    return index


def verdict_for(label: str, index: dict[str, Rated]) -> Rated | None:
    """The rating `label` means, or None when no alias matches it."""
    key = normalise_label(label)
    return index.get(key) if key else None
