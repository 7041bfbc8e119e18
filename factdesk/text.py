"""Plain text as people paste it and pages serve it: the control characters it must not hold.

NUL cannot be stored in PostgreSQL text at all, and the other C0 controls (tab, newline and
carriage return aside) are invisible noise that breaks quotes and anchors. Typed or pasted
text with them is refused with a message; text extracted from fetched pages is cleaned.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
