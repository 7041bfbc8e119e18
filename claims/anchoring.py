"""Anchors: where a claim's quote sits in an article's text.

An anchor follows the W3C Web Annotation model: a TextQuoteSelector (exact, prefix, suffix)
that survives edits, and a TextPositionSelector (start, end) that is fast to use.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .detection import split_sentences

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


def find_exact(
    text: str, quote: str, prefix: str = "", suffix: str = "", *, among: list[int] | None = None
) -> Anchor | None:
    """Find `quote` in `text`; where it repeats, the prefix and suffix pick the occurrence.

    Returns None when the quote is absent, or when it repeats and the context cannot tell
    the occurrences apart. `among` limits the occurrences considered to those starts.
    """
    if not quote:
        return None
    starts = _positions(text, quote) if among is None else among
    if not starts:
        return None
    if len(starts) == 1:
        return anchor_at(text, starts[0], starts[0] + len(quote))

    def context_score(start: int) -> float:
        # Alike, not identical: one changed character next to a copy must not hand the
        # claim to the other copy, as a run of equal characters would.
        return _context_score(text, start, start + len(quote), prefix, suffix)

    scored = sorted(((context_score(start), start) for start in starts), reverse=True)
    if scored[0][0] - scored[1][0] < 0.05:
        return None
    best = scored[0][1]
    return anchor_at(text, best, best + len(quote))


def _positions(text: str, quote: str) -> list[int]:
    positions, position = [], text.find(quote)
    while position != -1:
        positions.append(position)
        position = text.find(quote, position + 1)
    return positions


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


@dataclass(frozen=True)
class _Changed:
    """What an edit left alone: `head` characters at the start of both texts, `tail` at the
    end; in the new text, [head, len - tail) is what changed (empty for a deletion)."""

    head: int
    tail: int
    old_length: int
    new_length: int

    def touches(self, start: int, end: int) -> bool:
        """Whether new-text span [start, end) meets the changed part (touching counts)."""
        return start <= self.new_length - self.tail and end >= self.head


def _changed_region(old_text: str, text: str) -> _Changed:
    head = _common_prefix(old_text, text)
    tail = _common_suffix(old_text[head:], text[head:])
    return _Changed(head, tail, len(old_text), len(text))


def _carry(changed: _Changed, start: int, end: int) -> int | None:
    """Where the old text's [start, end) sits in the new one when the edit left it alone (it
    lies wholly in the shared head or tail); None when the edit touched it."""
    if end <= changed.head:
        return start
    if start >= changed.old_length - changed.tail:
        return start + changed.new_length - changed.old_length
    return None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


# Re-anchoring after an edit. A fuzzy match is accepted only when the quote's whole sentence
# is found again (FUZZY_MIN_SENTENCE), the quote itself is close (FUZZY_MIN_QUOTE) and its
# figures are the same; anything less orphans the claim for an editor, because a wrong anchor
# is worse than none.
FUZZY_MIN_QUOTE = 0.85
# The quote's whole sentence (as far as the context shows it) must match this well too.
FUZZY_MIN_SENTENCE = 0.85
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
    text: str,
    *,
    quote: str,
    prefix: str,
    suffix: str,
    start: int | None = None,
    old_text: str | None = None,
) -> Reanchor:
    """Find a quote again after the text changed.

    In order: the stored position, carried past the edit when `old_text` (the text `start`
    pointed into) is given, if the quote is still there; the exact quote elsewhere (prefix and
    suffix decide between repeats); the quote's sentence found again as a whole (_fuzzy).
    """
    changed = None
    if start is not None and old_text is not None:
        changed = _changed_region(old_text, text)
        moved = _carry(changed, start, start + len(quote))
        if moved is not None and text[moved : moved + len(quote)] == quote:
            return Reanchor(anchor_at(text, moved, moved + len(quote)), Method.POSITION)
    if start is not None and text[start : start + len(quote)] == quote:
        return Reanchor(anchor_at(text, start, start + len(quote)), Method.POSITION)
    sentence = _OldSentence.around(quote, prefix, suffix) if quote else None
    occurrences = _occurrences(text, quote, sentence, changed) if quote else []
    if occurrences:
        found = find_exact(text, quote, prefix, suffix, among=occurrences)
        if found is None:
            return Reanchor(
                None,
                reason=_("The quote now appears %(n)s times and its context cannot tell which.")
                % {"n": len(occurrences)},
            )
        return Reanchor(found, Method.QUOTE)
    return _fuzzy(text, quote, prefix, suffix, changed)


def _occurrences(text: str, quote: str, sentence, changed) -> list[int]:
    """Where the quote occurs and could be this claim's own words.

    Not where the edit left the text alone: that occurrence was there before and was not this
    claim's (its own span was touched, or it would have been carried). And not where it breaks
    the quote's sentence edges: a quote that was a sentence's start (or end) found in the middle
    of another sentence is a phrase of that sentence, not this claim.
    """
    positions = _positions(text, quote)
    if changed is not None:
        positions = [p for p in positions if changed.touches(p, p + len(quote))]
    if not positions or (
        (sentence.lead_cut or sentence.lead) and (sentence.tail_cut or sentence.tail)
    ):
        return positions
    spans = split_sentences(text)
    starts, ends = {start for start, _end in spans}, {end for _start, end in spans}
    return [
        p
        for p in positions
        if (sentence.lead or sentence.lead_cut or p in starts)
        and (sentence.tail or sentence.tail_cut or p + len(quote) in ends)
    ]


def _fuzzy(
    text: str, quote: str, prefix: str, suffix: str, changed: _Changed | None = None
) -> Reanchor:
    """The quote's sentence, found again as a whole sentence of the new text, or an orphan.

    The stored context says where the quote sat in its sentence (`lead` before it, `tail`
    after it, either cut short by the context length). Each run of as many sentences of the
    new text is compared with lead + quote + tail as a whole, so a sentence that lost or gained
    a word at its edge is still matched whole, and a deleted sentence cannot be "found" as a
    phrase inside some longer, different sentence. A sentence the edit did not touch
    (`changed`, when the old text is known) was there before as another sentence, so it is not
    a candidate: an article that restates its claim in its summary keeps two different ones.
    The quote's new span is read off the character alignment of the two sentences and widened
    to whole words.
    """
    if len(quote) < 12:
        return Reanchor(None, reason=_("The quote is gone and too short to match approximately."))
    sentence = _OldSentence.around(quote, prefix, suffix)
    spans = split_sentences(text)
    count = max(1, len(split_sentences(sentence.text)))
    scored = []
    for first in range(len(spans) - count + 1):
        start, end = spans[first][0], spans[first + count - 1][1]
        if changed is not None and not changed.touches(start, end):
            continue
        score, window = sentence.match(text, start, end)
        if score >= FUZZY_MIN_SENTENCE:
            scored.append((score, _context_score(text, *window, *sentence.outside), window))
    if not scored:
        return Reanchor(None, reason=_("The quote is no longer in the article."))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    _score, best_context, (start, end) = scored[0]
    if len(scored) > 1 and _same_standing(scored[0], scored[1]):
        return Reanchor(
            None,
            reason=_(
                "The quote's sentence now appears %(n)s times and its context cannot tell which."
            )
            % {"n": len(scored)},
        )
    start, end = sentence.quote_span(text, start, end)
    quote_score = fuzz.ratio(quote, text[start:end]) / 100
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
    confidence = round(0.8 * quote_score + 0.2 * best_context, 3)
    if confidence < FUZZY_MIN_CONFIDENCE:
        # A like sentence somewhere else (an article that restates its claim in the summary):
        # without its old neighbours around it, it is another sentence, not this one.
        return Reanchor(
            None,
            reason=_("A similar sentence was found but its context differs (confidence %(c).2f).")
            % {"c": confidence},
        )
    anchor = anchor_at(text, start, end)
    return Reanchor(
        Anchor(anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix, confidence),
        Method.FUZZY,
    )


def _same_standing(first: tuple, second: tuple) -> bool:
    # Two copies of a sentence: only a clearly better context may choose between them.
    return first[0] - second[0] < 0.02 and first[1] - second[1] < 0.1


@dataclass(frozen=True)
class _OldSentence:
    """The quote's sentence as far as the stored context shows it: lead + quote + tail."""

    lead: str
    quote: str
    tail: str
    lead_cut: bool  # the context ended before the sentence's start
    tail_cut: bool
    outside: tuple[str, str]  # the context beyond the sentence, before and after

    @classmethod
    def around(cls, quote: str, prefix: str, suffix: str) -> "_OldSentence":
        window = prefix + quote + suffix
        q_start, q_end = len(prefix), len(prefix) + len(quote)
        spans = split_sentences(window) or [(0, len(window))]
        s_start = max((s for s, e in spans if s <= q_start), default=0)
        s_end = min((e for s, e in spans if e >= q_end), default=len(window))
        s_start, s_end = min(s_start, q_start), max(s_end, q_end)
        return cls(
            lead=window[s_start:q_start],
            quote=quote,
            tail=window[q_end:s_end],
            lead_cut=s_start == 0 and len(prefix) >= CONTEXT_LENGTH,
            tail_cut=s_end == len(window) and len(suffix) >= CONTEXT_LENGTH,
            outside=(window[:s_start], window[s_end:]),
        )

    @property
    def text(self) -> str:
        return self.lead + self.quote + self.tail

    def match(self, text: str, start: int, end: int) -> tuple[float, tuple[int, int]]:
        """How alike the sentence and text[start:end] are, and the part of it that matches.

        A side the context cut short is matched partially (the new sentence may run on
        beyond what we know of the old one); a side we know whole must match whole.
        """
        if not (self.lead_cut or self.tail_cut):
            return fuzz.ratio(self.text, text[start:end]) / 100, (start, end)
        found = fuzz.partial_ratio_alignment(self.text, text[start:end])
        if found is None:
            return 0.0, (start, end)
        low = start + found.dest_start if self.lead_cut else start
        high = start + found.dest_end if self.tail_cut else end
        return fuzz.ratio(self.text, text[low:high]) / 100, (low, high)

    def quote_span(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Where the quote lies in text[start:end] (what match() found), widened to whole words."""
        low, high = start, end
        ops = Levenshtein.opcodes(self.text, text[low:high])
        q_start = low + _map_position(ops, len(self.lead), at_start=True)
        q_end = low + _map_position(ops, len(self.lead) + len(self.quote), at_start=False)
        while q_start > low and text[q_start - 1].isalnum():
            q_start -= 1
        while q_end < high and text[q_end].isalnum():
            q_end += 1
        while q_start < q_end and text[q_start].isspace():
            q_start += 1
        while q_end > q_start and text[q_end - 1].isspace():
            q_end -= 1
        return q_start, q_end


def _map_position(ops, position: int, *, at_start: bool) -> int:
    """Where `position` of the old sentence falls in the new one. Text inserted exactly at
    the quote's edge is taken into the quote (the widest reading), never dropped from it."""
    for op in ops if at_start else reversed(ops):
        if op.tag == "insert" and op.src_start == position:
            return op.dest_start if at_start else op.dest_end
        if at_start and op.src_start <= position < op.src_end:
            if position == op.src_start or op.tag == "delete":
                return op.dest_start
            return op.dest_start + min(position - op.src_start, op.dest_end - op.dest_start)
        if not at_start and op.src_start < position <= op.src_end:
            if position == op.src_end:
                return op.dest_end
            if op.tag == "delete":
                return op.dest_start
            return op.dest_start + min(position - op.src_start, op.dest_end - op.dest_start)
    return 0 if at_start else ops.dest_len


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    scores = []
    if prefix:
        scores.append(fuzz.ratio(prefix, text[max(0, start - len(prefix)) : start]) / 100)
    if suffix:
        scores.append(fuzz.ratio(suffix, text[end : end + len(suffix)]) / 100)
    return sum(scores) / len(scores) if scores else 1.0
