"""Anchors under realistic edits of real articles: how many land exactly, land fuzzily, orphan,
and how many are lost silently (anchored on a span that is not their sentence, nothing flagged).

    .venv/bin/python bench/bench_anchors.py [--realdata ../shared/realdata] [--articles N]

Reads the real Pagella Politica fact-checks at run time (never copied into the project). Each
article's sentences become a text in paragraphs; claims are anchored on a few whole sentences
and on a phrase inside one. Every edit knows where each claim's sentence went, or that it went,
so a claim that is not orphaned must sit exactly on that span: anything else is a silent loss.
Re-anchoring is called as article_update_text calls it (claims.anchoring.reanchor with the old
text). Goal: 0 silent losses.
"""

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from claims.anchoring import anchor_at, reanchor  # noqa: E402
from claims.detection import split_sentences  # noqa: E402

WORD = re.compile(r"[^\W\d_]{4,}")
FILLER = "Aggiornamento: questo paragrafo è stato aggiunto dopo la pubblicazione per i lettori."


def article_text(sentences: list[str], rng: random.Random) -> str:
    """Sentences as written, in paragraphs of one to four."""
    paragraphs, current = [], []
    for sentence in sentences:
        current.append(" ".join(sentence.split()))
        if len(current) >= rng.randint(1, 4):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


class Edit:
    """Splices on the old text; maps an old span to its new place (None when deleted).

    A splice is (start, end, replacement, joins): text inserted exactly at a span's edge
    belongs to the span only when `joins` says so (a word added to a claim's sentence).
    """

    def __init__(self, text: str, splices: list[tuple]):
        self.old = text
        self.splices = sorted(
            splice if len(splice) == 4 else (*splice, False) for splice in splices
        )
        pieces, cursor = [], 0
        for start, end, replacement, _joins in self.splices:
            pieces += [text[cursor:start], replacement]
            cursor = end
        self.new = "".join(pieces) + text[cursor:]

    def expected(self, start: int, end: int) -> tuple[int, int] | None:
        new_start, new_end = start, end
        for s, e, replacement, joins in self.splices:
            delta = len(replacement) - (e - s)
            if s <= start and e >= end:
                return None  # the span was deleted or replaced whole
            if e < start or (e == start and not (joins and s == e)):
                new_start, new_end = new_start + delta, new_end + delta
            elif s > end or (s == end and not (joins and s == e)):
                continue
            else:  # the splice changes the span: the span takes it in
                new_end += delta
        return new_start, new_end


def claims_for(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """Three whole sentences and one phrase inside a fourth, each unique in the text."""
    sentences = [
        (s, e) for s, e in split_sentences(text) if e - s >= 40 and text.count(text[s:e]) == 1
    ]
    picked = rng.sample(sentences, min(4, len(sentences)))
    claims = picked[:3]
    if len(picked) == 4:
        s, e = picked[3]
        words = list(WORD.finditer(text, s, e))
        if len(words) >= 6:
            low, high = words[1].start(), words[-2].end()
            if text.count(text[low:high]) == 1:
                claims.append((low, high))
    return claims


def _sentence_of(text: str, span: tuple[int, int]) -> tuple[int, int]:
    return next((s, e) for s, e in split_sentences(text) if s <= span[0] and span[1] <= e)


def typo(text, claims, rng):
    """Two letters swap in a word of a claim (whole sentence or phrase)."""
    s, e = rng.choice(claims)
    word = rng.choice(list(WORD.finditer(text, s, e)))
    i = word.start() + rng.randrange(1, len(word.group()) - 2)
    return Edit(text, [(i, i + 2, text[i + 1] + text[i])]), None


def word_at_start(text, claims, rng):
    """A word is added at the start of a claim's sentence."""
    start = _sentence_of(text, rng.choice(claims[:3]))[0]
    return Edit(text, [(start, start, "Inoltre ", True)]), None


def first_word_changed(text, claims, rng):
    """The first word of a claim's sentence is replaced by another."""
    s, e = _sentence_of(text, rng.choice(claims[:3]))
    first = re.match(r"\S+", text[s:e])
    return Edit(text, [(s, s + first.end(), "Ebbene,")]), None


def word_at_end(text, claims, rng):
    """The last word of a claim's sentence is replaced by two others."""
    s, e = _sentence_of(text, rng.choice(claims[:3]))
    words = list(WORD.finditer(text, s, e))
    last = words[-1]
    return Edit(text, [(last.start(), last.end(), last.group() + " stessa")]), None


def last_word_changed(text, claims, rng):
    """The last word of a claim's sentence is replaced by another."""
    s, e = _sentence_of(text, rng.choice(claims[:3]))
    last = list(WORD.finditer(text, s, e))[-1]
    return Edit(text, [(last.start(), last.end(), "altrove")]), None


def word_inside(text, claims, rng):
    s, e = rng.choice(claims)
    words = list(WORD.finditer(text, s, e))[1:-1] or list(WORD.finditer(text, s, e))
    word = rng.choice(words)
    return Edit(text, [(word.start(), word.start(), "davvero ")]), None


def paragraph_inserted(text, claims, rng):
    cut = rng.choice([m.start() for m in re.finditer(r"\n\n", text)] or [0])
    return Edit(text, [(cut, cut, "\n\n" + FILLER)]), None


def sentence_deleted(text, claims, rng):
    """A claim's whole sentence goes (with the space after it)."""
    s, e = rng.choice(claims[:3])
    while e < len(text) and text[e] == " ":
        e += 1
    return Edit(text, [(s, e, "")]), (s, e)


def sentence_deleted_echoed(text, claims, rng):
    """A claim's sentence goes, while a longer, different sentence elsewhere quotes most of it
    (the claim must orphan, not land mid-phrase inside the other sentence)."""
    s, e = rng.choice(claims[:3])
    sentence = text[s:e].rstrip(".!?…")
    more = " e non solo, come hanno scritto in molti" * (1 + len(sentence) // 80)
    echo = f"\n\nSecondo alcuni lettori, {sentence[0].lower()}{sentence[1:]},{more}."
    while e < len(text) and text[e] == " ":
        e += 1
    return Edit(text, [(s, e, ""), (len(text), len(text), echo)]), None


def neighbour_rewritten(text, claims, rng):
    """The sentence before a claim is rewritten entirely."""
    sentences = split_sentences(text)
    target = _sentence_of(text, rng.choice(claims))
    index = sentences.index(target)
    if index == 0:
        return Edit(text, [(0, 0, FILLER + " ")]), None
    s, e = sentences[index - 1]
    return Edit(text, [(s, e, FILLER)]), None


def figure_corrected(text, claims, rng):
    """A digit of a claim changes: the claim must orphan (its number changed)."""
    with_digits = [c for c in claims if re.search(r"\d", text[c[0] : c[1]])]
    if not with_digits:
        return None, None
    s, e = rng.choice(with_digits)
    i = rng.choice([m.start() for m in re.finditer(r"\d", text[s:e])]) + s
    return Edit(text, [(i, i + 1, str((int(text[i]) + 1) % 10))]), (s, e)


EDITS = {
    "typo fix": typo,
    "first word changed": first_word_changed,
    "last word changed": last_word_changed,
    "word added at start": word_at_start,
    "word added at end": word_at_end,
    "word added inside": word_inside,
    "paragraph inserted": paragraph_inserted,
    "neighbour rewritten": neighbour_rewritten,
    "sentence deleted": sentence_deleted,
    "deleted, echoed": sentence_deleted_echoed,
    "figure corrected": figure_corrected,
}


def duplicate_case(text, claims, rng, counter, losses):
    """A claim's sentence appears twice, the second time with the same words around it (a
    repeated passage); one character changes just before the claim's own copy."""
    s, e = claims[0]
    block = text[max(0, s - 40) : e + 40]
    doubled = block + "\n\n" + text
    s, e = s + len(block) + 2, e + len(block) + 2
    cut = max(s - 5, len(block) + 1)  # never inside the claim itself
    edit = Edit(doubled, [(cut, cut, doubled[cut])])  # a letter typed twice
    check(edit, [(s, e)], set(), counter, losses, "duplicate, 1 char")


def check(edit, claims, gone, counter, losses, name):
    for start, end in claims:
        anchor = anchor_at(edit.old, start, end)
        result = reanchor(
            edit.new,
            quote=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            start=start,
            old_text=edit.old,
        )
        expected = None if (start, end) in gone else edit.expected(start, end)
        counter["claims"] += 1
        if result.anchor is None:
            counter["orphaned" if expected is None else "orphaned, could have moved"] += 1
            if not str(result.reason):
                losses.append((name, anchor.exact, "orphan without a reason"))
            continue
        got = (result.anchor.start, result.anchor.end)
        if (
            got != expected
            and result.method != "fuzzy"
            and edit.new[got[0] : got[1]] == anchor.exact
            and expected is not None
            and expected[0] <= got[0]
            and got[1] <= expected[1]
        ):
            # The claim's exact words are still there (a word was added beside them): an
            # exact anchor on them is right, if narrower than the new sentence.
            expected = got
        if got != expected:
            counter["SILENT LOSS"] += 1
            where = edit.new[expected[0] : expected[1]] if expected else f"(deleted) {anchor.exact}"
            losses.append((name, where, edit.new[got[0] : got[1]]))
        else:
            counter["fuzzy" if result.method == "fuzzy" else "exact"] += 1


def main() -> int:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
    parser.add_argument("--realdata", type=Path, default=default)
    parser.add_argument("--articles", type=int, default=358)
    args = parser.parse_args()
    path = args.realdata / "articles" / "checkit_pagellapolitica_factchecks_358.jsonl"
    records = [json.loads(line) for line in path.open(encoding="utf-8")][: args.articles]
    rng = random.Random(14)
    texts = [article_text(record["content"], rng) for record in records]
    average = sum(map(len, texts)) // len(texts)
    print(f"{len(texts)} real articles, {average} characters each on average")
    columns = ["claims", "exact", "fuzzy", "orphaned", "orphaned, could have moved", "SILENT LOSS"]
    print(
        f"\n{'edit':<22}"
        + "".join(
            f"{c:>16}"
            for c in ["claims", "exact", "fuzzy", "orphaned", "needless orph.", "SILENT LOSS"]
        )
        + f"{'ms/claim':>10}"
    )
    total, losses = Counter(), []
    cases = {**EDITS, "duplicate, 1 char": None}
    for name, make in cases.items():
        counter = Counter()
        started = time.perf_counter()
        for text in texts:
            claims = claims_for(text, rng)
            if len(claims) < 3:
                continue
            if make is None:
                duplicate_case(text, claims, rng, counter, losses)
                continue
            edit, gone = make(text, claims, rng)
            if edit is None:
                continue
            check(edit, claims, {gone} if gone else set(), counter, losses, name)
        elapsed = time.perf_counter() - started
        print(
            f"{name:<22}"
            + "".join(f"{counter[c]:>16}" for c in columns)
            + f"{elapsed * 1000 / max(1, counter['claims']):>10.2f}",
            flush=True,
        )
        total.update(counter)
    print(f"{'all':<22}" + "".join(f"{total[c]:>16}" for c in columns))
    shown = Counter()
    for name, expected, got in losses:
        shown[name] += 1
        if shown[name] > 3:
            continue
        print(
            f"\n  {name}: expected {expected[:300]!r}\n  {' ' * len(name)}  anchored {got[:300]!r}"
        )
    print(f"\nSilent losses: {total['SILENT LOSS']} of {total['claims']} claims (goal 0)")
    return 0 if total["SILENT LOSS"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
