"""Anchors: where a claim's quote sits in an article's text.

An anchor follows the W3C Web Annotation model: a TextQuoteSelector (exact, prefix, suffix)
that survives edits, and a TextPositionSelector (start, end) that is fast to use.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTEXT_LENGTH = 32


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    confidence: float = 1.0


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor for text[start:end], with its surrounding context."""
    if not 0 <= start < end <= len(text):
        raise ValidationError(
            _("The span %(start)s-%(end)s is outside the article (it has %(n)s characters).")
            % {"start": start, "end": end, "n": len(text)},
            code="anchor_out_of_range",
        )
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
    )


def find_exact(text: str, quote: str, prefix: str = "", suffix: str = "") -> Anchor | None:
    """Find `quote` in `text`; where it repeats, the prefix and suffix pick the occurrence.

    Returns None when the quote is absent, or when it repeats and the context cannot tell
    the occurrences apart.
    """
    if not quote:
        return None
    starts = []
    position = text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    if not starts:
        return None
    if len(starts) == 1:
        return anchor_at(text, starts[0], starts[0] + len(quote))

    def context_score(start: int) -> int:
        end = start + len(quote)
        before = text[max(0, start - len(prefix)) : start]
        after = text[end : end + len(suffix)]
        return _common_suffix(before, prefix) + _common_prefix(after, suffix)

    scored = sorted(((context_score(start), start) for start in starts), reverse=True)
    if scored[0][0] == scored[1][0]:
        return None
    best = scored[0][1]
    return anchor_at(text, best, best + len(quote))


def anchor_quote(text: str, quote: str, start: int | None = None) -> Anchor:
    """Anchor a new claim: at `start` when given (it must hold the quote), else where the quote
    occurs once. Raises ValidationError with a message an editor can act on."""
    if not quote.strip():
        raise ValidationError(_("The quote is empty."), code="empty_quote")
    if start is not None:
        anchor = anchor_at(text, start, start + len(quote))
        if anchor.exact != quote:
            raise ValidationError(
                _("The article does not contain the quote at character %(start)s.")
                % {"start": start},
                code="anchor_mismatch",
            )
        return anchor
    count = text.count(quote)
    if count == 0:
        raise ValidationError(
            _(
                "The quote does not appear in the article text. Copy it exactly, including accents "
                "and punctuation."
            ),
            code="quote_not_found",
        )
    if count > 1:
        raise ValidationError(
            _("The quote appears %(n)s times in the article; give its start position.")
            % {"n": count},
            code="quote_ambiguous",
        )
    start = text.index(quote)
    return anchor_at(text, start, start + len(quote))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
