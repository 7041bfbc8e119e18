"""Anchors: where a claim's quote sits in an article's text.

An anchor follows the W3C Web Annotation model: a TextQuoteSelector (exact, prefix, suffix)
that survives edits, and a TextPositionSelector (start, end) that is fast to use.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

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


# Re-anchoring after an edit. A fuzzy match is accepted only when the quote itself is close
# (FUZZY_MIN_QUOTE) and, with its context, confident enough (FUZZY_MIN_CONFIDENCE); anything
# less orphans the claim for an editor, because a wrong anchor is worse than none.
FUZZY_MIN_QUOTE = 0.85
FUZZY_MIN_CONFIDENCE = 0.8
FIGURES = re.compile(r"\d+(?:[.,]\d+)*")


class Method:
    POSITION = "position"
    QUOTE = "quote"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class Reanchor:
    """Where a claim lands in a new text: `anchor` is None when it must be orphaned."""

    anchor: Anchor | None
    method: str = ""
    reason: str = ""


def reanchor(
    text: str, *, quote: str, prefix: str, suffix: str, start: int | None = None
) -> Reanchor:
    """Find a quote again after the text changed.

    In order: the stored position if the quote is still there; the exact quote elsewhere
    (prefix and suffix decide between repeats); a fuzzy match of the quote with its context.
    """
    if start is not None and text[start : start + len(quote)] == quote:
        return Reanchor(anchor_at(text, start, start + len(quote)), Method.POSITION)
    count = text.count(quote) if quote else 0
    if count:
        found = find_exact(text, quote, prefix, suffix)
        if found is None:
            return Reanchor(
                None,
                reason=_("The quote now appears %(n)s times and its context cannot tell which.")
                % {"n": count},
            )
        return Reanchor(found, Method.QUOTE)
    return _fuzzy(text, quote, prefix, suffix)


def _fuzzy(text: str, quote: str, prefix: str, suffix: str) -> Reanchor:
    if len(quote) < 12:
        return Reanchor(None, reason=_("The quote is gone and too short to match approximately."))
    rough = fuzz.partial_ratio_alignment(quote, text, score_cutoff=FUZZY_MIN_QUOTE * 100 - 10)
    if rough is None:
        return Reanchor(None, reason=_("The quote is no longer in the article."))
    start, end, quote_score = _refine(text, quote, rough.dest_start, rough.dest_end)
    if quote_score < FUZZY_MIN_QUOTE:
        return Reanchor(
            None,
            reason=_("The closest passage matches the quote only %(score)d%%.")
            % {"score": quote_score * 100},
        )
    old_figures, new_figures = FIGURES.findall(quote), FIGURES.findall(text[start:end])
    if old_figures != new_figures:
        # A changed number is a changed claim: a fact-check of "more than 200" must not follow
        # the text to "more than 230" on its own.
        return Reanchor(
            None,
            reason=_("A similar passage was found, but its figures changed (%(old)s → %(new)s).")
            % {"old": ", ".join(old_figures) or "—", "new": ", ".join(new_figures) or "—"},
        )
    context_score = _context_score(text, start, end, prefix, suffix)
    confidence = round(0.8 * quote_score + 0.2 * context_score, 3)
    if confidence < FUZZY_MIN_CONFIDENCE:
        return Reanchor(
            None,
            reason=_("A similar passage was found but its context differs (confidence %(c).2f).")
            % {"c": confidence},
        )
    anchor = anchor_at(text, start, end)
    return Reanchor(
        Anchor(anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix, confidence),
        Method.FUZZY,
    )


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int, float]:
    """Widen or narrow a rough alignment to word boundaries, keeping the closest span.

    partial_ratio aligns a window as long as the quote, so an inserted or deleted word
    leaves its edge off by a few characters; this snaps both edges to whole words.
    """
    slack = max(8, len(quote) // 5)
    starts = _boundaries(text, start - slack, start + slack, at_start=True) or [start]
    ends = _boundaries(text, end - slack, end + slack, at_start=False) or [end]
    best = (start, end, fuzz.ratio(quote, text[start:end]) / 100)
    for s in starts:
        for e in ends:
            if e - s < len(quote) // 2:
                continue
            score = fuzz.ratio(quote, text[s:e], score_cutoff=best[2] * 100) / 100
            if score > best[2]:
                best = (s, e, score)
    return best


def _boundaries(text: str, low: int, high: int, *, at_start: bool) -> list[int]:
    """Word edges in text[low:high]: where a word starts (at_start) or ends."""
    low, high = max(0, low), min(len(text), high)
    positions = []
    for i in range(low, high + 1):
        before = text[i - 1] if i > 0 else " "
        after = text[i] if i < len(text) else " "
        inner, outer = (after, before) if at_start else (before, after)
        if not inner.isspace() and not outer.isalnum():
            positions.append(i)
    return positions


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    scores = []
    if prefix:
        scores.append(fuzz.ratio(prefix, text[max(0, start - len(prefix)) : start]) / 100)
    if suffix:
        scores.append(fuzz.ratio(suffix, text[end : end + len(suffix)]) / 100)
    return sum(scores) / len(scores) if scores else 1.0
