"""Anchors under realistic edits: how many land exactly, land fuzzily, or orphan.

    .venv/bin/python bench/bench_anchors.py [--rounds N]

Each round takes a fresh copy of every article of the detector's evaluation set, anchors a
claim on each labelled passage (through the services), applies one edit through
article_update_text, and classifies every claim. It asserts that no claim is lost silently:
each one either sits on its quote in the new text, or is an orphan with an ORPHANED event.
Runs on its own SQLite database in a temporary folder.
"""

import argparse
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.mkdtemp(prefix="factdesk-bench-anchors-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from claims.choices import AnchorState  # noqa: E402
from claims.detection import load_eval_set, split_sentences  # noqa: E402
from claims.models import ClaimEvent  # noqa: E402
from claims.services import article_create, claim_create  # noqa: E402
from claims.services.articles import article_update_text  # noqa: E402

WORD = re.compile(r"\w{5,}")
FILLER = (
    "Update: this paragraph was added after publication to give readers more background "
    "on the events described below."
)


def typo_fix(text, passages, rng):
    """A word inside a claim gets corrected (we model the reverse: one letter changes)."""
    start = text.index(rng.choice(passages))
    words = list(WORD.finditer(text, start, start + 200))
    word = rng.choice(words)
    i = word.start() + rng.randrange(1, len(word.group()) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def insert_paragraph(text, passages, rng):
    cut = rng.choice(split_sentences(text))[1]
    return text[:cut] + "\n\n" + FILLER + "\n\n" + text[cut:].lstrip()


def reword_lightly(text, passages, rng):
    """One or two words of a claim's sentence change (a style edit)."""
    start = text.index(rng.choice(passages))
    words = list(WORD.finditer(text, start, start + 120))[:8]
    for word in sorted(rng.sample(words, min(2, len(words))), key=lambda m: -m.start()):
        text = text[: word.start()] + "really " + word.group() + text[word.end() :]
    return text


def reword_heavily(text, passages, rng):
    """A claim's sentence is rewritten: most of its words are replaced."""
    passage = rng.choice(passages)
    words = passage.split()
    rewritten = " ".join(
        w if i % 3 == 0 else "".join(rng.sample(w, len(w))) for i, w in enumerate(words)
    )
    return text.replace(passage, rewritten, 1)


def correct_figure(text, passages, rng):
    """A figure in a claim is corrected (the claim must orphan: its number changed)."""
    with_figures = [p for p in passages if re.search(r"\d", p)]
    passage = rng.choice(with_figures)
    digits = [m.start() for m in re.finditer(r"\d", passage)]
    i = rng.choice(digits)
    fixed = passage[:i] + str((int(passage[i]) + 1) % 10) + passage[i + 1 :]
    return text.replace(passage, fixed, 1)


def delete_sentence(text, passages, rng):
    passage = rng.choice(passages)
    for start, end in split_sentences(text):
        if start <= text.index(passage) < end:
            return text[:start] + text[end:].lstrip()
    raise AssertionError("passage outside every sentence")


EDITS = {
    "typo fix": typo_fix,
    "inserted paragraph": insert_paragraph,
    "light rewording": reword_lightly,
    "heavy rewording": reword_heavily,
    "corrected figure": correct_figure,
    "deleted sentence": delete_sentence,
}


def run_round(document, edit, rng, counter):
    article = article_create(
        title=document["name"], text=document["text"], language=document["language"]
    )
    claims = []
    for passage in document["checkworthy"]:
        if document["text"].count(passage) == 1:
            claims.append(claim_create(article=article, quote=passage, claim_reviewed=passage[:99]))
    new_text = edit(document["text"], document["checkworthy"], rng)
    started = time.perf_counter()
    article_update_text(article=article, text=new_text, actor=None)
    counter["seconds"] += time.perf_counter() - started
    for claim in claims:
        before = (claim.anchor_start, claim.anchor_end)
        claim.refresh_from_db()
        counter["claims"] += 1
        if claim.anchor_state == AnchorState.ORPHANED:
            assert claim.events.filter(kind=ClaimEvent.Kind.ORPHANED).exists(), claim.pk
            counter["orphaned"] += 1
            continue
        # Not orphaned: it must sit exactly on its (possibly updated) quote.
        assert new_text[claim.anchor_start : claim.anchor_end] == claim.quote, claim.pk
        if claim.anchor_state == AnchorState.FUZZY:
            counter["fuzzy"] += 1
        elif (claim.anchor_start, claim.anchor_end) == before:
            counter["exact, same place"] += 1
        else:
            counter["exact, moved"] += 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=6, help="rounds per edit and article")
    args = parser.parse_args()
    print(f"Migrating a scratch SQLite database in {TMP} ...", flush=True)
    call_command("migrate", verbosity=0)
    documents = load_eval_set()
    rng = random.Random(6)
    columns = ["claims", "exact, same place", "exact, moved", "fuzzy", "orphaned"]
    print(f"\n{'edit':<20}" + "".join(f"{c:>19}" for c in columns) + f"{'ms/update':>11}")
    total = Counter()
    for name, edit in EDITS.items():
        counter = Counter()
        for _ in range(args.rounds):
            for document in documents:
                run_round(document, edit, rng, counter)
        updates = args.rounds * len(documents)
        print(
            f"{name:<20}"
            + "".join(f"{counter[c]:>19}" for c in columns)
            + f"{counter['seconds'] / updates * 1000:>11.1f}",
            flush=True,
        )
        total.update(counter)
    print(f"{'all':<20}" + "".join(f"{total[c]:>19}" for c in columns))
    print("\nNo claim lost: every claim sits on its quote or is an orphan with an event.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
