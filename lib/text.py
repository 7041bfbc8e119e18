"""Plain text as people paste it and readers see it, free of every app.

- Control characters. NUL cannot be stored in PostgreSQL text at all, and the other C0
  controls (tab, newline and carriage return aside) are invisible noise that breaks quotes and
  anchors. Typed or pasted text with them is refused with a message; text extracted from
  fetched pages is cleaned.
- Bidirectional controls. Unicode's explicit directional formatting characters (UAX #9,
  section 2): the embeddings LRE/RLE, the overrides LRO/RLO and their terminator PDF, the
  isolates LRI/RLI/FSI and their terminator PDI. One left open in a name, such as an RLO
  (U+202E), reverses everything after it on the line it is shown in: the rest of the sentence,
  the rest of a link preview. A name on one line never needs them, so all are removed rather
  than balanced. The marks (LRM, RLM, ALM) are kept: they open nothing, act only on their
  neighbours as any Arabic or Hebrew letter does, and right-to-left names use them.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVE_BIDI_CONTROLS = str.maketrans(dict.fromkeys(BIDI_CONTROLS))


def validate_plain_text(value: str) -> None:
    """Raise ValidationError naming the first control character and where it is."""
    found = CONTROL_CHARACTERS.search(value or "")
    if found is None:
        return
    character = found.group()
    raise ValidationError(
        _("The text holds a control character (%(name)s) at character %(position)s; remove it.")
        % {
            "name": "NUL" if character == "\x00" else f"U+{ord(character):04X}",
            "position": found.start(),
        },
        code="control_character",
    )


def strip_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def strip_bidi_controls(text: str) -> str:
    """`text` without embedding, override or isolate controls; for single-line names and the
    plain-text places (meta tags, JSON-LD, feeds) where HTML's <bdi> cannot isolate a value."""
    return text.translate(_REMOVE_BIDI_CONTROLS) if text else text


HEADING_MAX_CHARS = 120
# A sentence or clause ends in one of these, perhaps followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;,][\"'’”»)\]]*$")
_OPENING_MARKS = "«“„\"'‘(["


def looks_like_heading(paragraph: str) -> bool:
    """Whether a paragraph of an article's plain text is one of its headings.

    Stored article text keeps no markup: claims are anchored by character offsets into the
    text as published, and the embed finds the same sentences on the publisher's page, so a
    "## " added to the text would shift every anchor after it. A heading is told by its shape
    instead: a single short line, starting with a capital or a digit, that does not end the way
    a sentence or a clause does.
    """
    line = paragraph.strip()
    if not line or "\n" in line or len(line) > HEADING_MAX_CHARS:
        return False
    if _SENTENCE_END.search(line):
        return False
    first = line.lstrip(_OPENING_MARKS)[:1]
    return first.isupper() or first.isdigit()


# Scripts written without spaces between words (Chinese, Japanese): a word there is one or two
# characters, so every two count as a word. "緬甸水庫潰堤，全村罹難" is one "word" to str.split.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """How many words `text` has, in any script."""
    return len(text.split()) + len(_UNSPACED.findall(text)) // 2
