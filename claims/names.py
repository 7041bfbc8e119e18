"""The people, parties and organisations a text names, read from its capitals: a word that
starts with a capital letter where a sentence does not start ("la Commissione guidata da
Jean-Claude Juncker" names Jean-Claude Juncker). claims.same_claim compares them between two
texts in one language: the same claim said of another person or party is another claim.

A capital is a clue, not knowledge: words that are capitalised without naming anyone in
particular (titles, institutions every text has, months, "Paese" as Italian newsrooms write
it) are left out, and so are places (claims.places compares those, across languages) and
short acronyms ("CDC", "NYT"), which stand for names written out elsewhere.
"""

import functools
import re

from .places import without_places

CAPITAL = r"[A-ZÀ-ÖØ-Þ][\w’'-]*"
# One name: capitalised words in a row, with the particles and initials names have between
# them ("Ursula von der Leyen", "George W. Bush", "Jean-Claude Juncker").
NAME = re.compile(
    rf"(?<![\w'’]){CAPITAL}(?:\s+(?:(?:von|van|der|den|de|di|da|del|della|du|le|la)\s+)*"
    rf"(?:[A-Z]\.\s+)?{CAPITAL})*"
)
WORD = re.compile(CAPITAL)
LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What may come just before the first word of a sentence, a quotation or a heading, an
# editor's cut included ("[…] Siamo partiti da zero").
STARTS_SOMETHING = re.compile(r"(?:[.!?:;«\"“(\[\]…]\s*|\n\s*)$")
# Words are compared by their first letters: "Obama" and "Obama's", "Democrats" and
# "Democratic".
KEY_LETTERS = 5
ACRONYM_MAX = 5
NOT_NAMES = frozenset(
    """
    i a an the this that these those there it we he she they our my his her says said
    weve ive im dont cant thats
    according if when but and or so in on at of for by with to as after before since
    il lo la gli le un una uno di del della dei degli delle per con se ma e o secondo
    president presidente senator senatore governor governatore mayor sindaco sindaca
    minister ministro ministra ministry ministero premier prime secretary segretario
    mr mrs ms dr sir don donna sen rep gov gen col lt sgt prof on st
    state states stato stati government governo parliament parlamento congress congresso
    senate senato house camera chamber regione region comune city paese paesi country
    constitution costituzione court corte council consiglio
    commission commissione union unione agency agenzia
    monday tuesday wednesday thursday friday saturday sunday lunedì martedì mercoledì
    giovedì venerdì sabato domenica january february march april may june july august
    september october november december gennaio febbraio marzo aprile maggio giugno luglio
    agosto settembre ottobre novembre dicembre
    """.split()  # noqa: SIM905 (a list literal of 140 words would not be read)
)


def word_key(word: str) -> str:
    return word.lower().removesuffix("'s").removesuffix("’s").strip("'’-")[:KEY_LETTERS]


NOT_NAME_KEYS = frozenset(word_key(word) for word in NOT_NAMES)


@functools.lru_cache(maxsize=8192)
def name_groups(text: str) -> tuple[frozenset[str], ...]:
    """The names `text` gives, each as the set of its words' keys (first KEY_LETTERS letters,
    lower case): "Jean-Claude Juncker" is {"jean-", "junck"}."""
    found = []
    text = without_places(text)
    for match in NAME.finditer(text):
        words = WORD.findall(match.group())
        start = match.start()
        if not text[:start].strip() or STARTS_SOMETHING.search(text[max(0, start - 4) : start]):
            words = words[1:]  # a sentence's first word is capitalised whatever it is
        keys = (
            {word_key(word) for word in words if not (word.isupper() and len(word) <= ACRONYM_MAX)}
            - NOT_NAME_KEYS
            - {""}
        )
        if keys:
            found.append(frozenset(keys))
    return tuple(found)


@functools.lru_cache(maxsize=8192)
def word_keys(text: str) -> frozenset[str]:
    """The key of every word of `text`, capitalised or not."""
    return frozenset(word_key(word) for word in LETTERS.findall(text))
