"""The clauses of a long sentence, where a claim may sit inside reported speech: "During the
rally he reminded us that by 2050 Africa's population will double, and that we must prepare"
holds "by 2050 Africa's population will double". claims.pipeline embeds them, rarely (only a
long sentence already close to a published claim), to find a repeat the whole sentence hides.
"""

import re

from lib.text import word_count

# Where a clause ends: after a reporting verb's "that" / "che", before a comma followed by a
# conjunction ("..., and that", "..., e che", "..., mentre"), and at a semicolon or colon. A
# "while" / "mentre" without a comma stays inside: "Africa doubles while Europe shrinks" is
# one claim.
CLAUSE_BREAK = re.compile(
    r"(?<!\w)(?:that|che)(?!\w)|,\s+(?:and|but|while|whereas|e|ma|mentre|però)(?!\w)|[;:]",
    re.IGNORECASE,
)
# A clause shorter than this says too little to be matched on its own (as
# claims.pipeline.MIN_WORDS_TO_MATCH for a sentence).
CLAUSE_MIN_WORDS = 4


def clauses(sentence: str) -> list[str]:
    """The clauses of `sentence` long enough to match on their own, in order; none when the
    sentence does not break (its one clause is the sentence, matched already)."""
    parts = [part.strip(" ,.;:") for part in CLAUSE_BREAK.split(sentence)]
    if len(parts) < 2:
        return []
    return [part for part in parts if word_count(part) >= CLAUSE_MIN_WORDS]
