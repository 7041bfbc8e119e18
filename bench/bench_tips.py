"""Readers' tips: the share of tips put in the right request (tips.grouping).

    .venv/bin/python bench/bench_tips.py [--database-url postgres://...] [--sweep] [--wrong]

The set (bench/data/tips_grouping.jsonl) is 25 questions readers might send, each a group of
tips we wrote about one real statement checked by Pagella Politica (CheckIT!, `checkit:<id>`)
or PolitiFact (LIAR, `liar:<id>.json`): the source is named, the statement itself is not
copied. A group's tips are paraphrases, translations (it<->en), typos and question forms of
the same claim; groups marked `/other` are a different question on the same topic as the
group before them, which must not join it.

The tips go through tips.services.tip_submit in a fixed shuffled order onto an empty desk (a
SQLite file in a temporary folder, or --database-url). A group's right request is the one its
first tip (in that order) was filed under, if that request was opened by the question; a tip
is in the right request when it is there, so a question split in two and a tip joining
another question both count as wrong. Printed:
that share, how many requests each question was split into, and how many requests mix two.
The shipped GROUP_MIN_COSINE was chosen on this set (--sweep prints the share for other
values), so its figure is optimistic; a held-out set built the same way and never used for
tuning (bench/data/tips_grouping_heldout.jsonl: 9 questions, 22 tips, other statements) is
reported beside it. --wrong lists the tips put in a wrong request.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DATA = Path(__file__).resolve().parent / "data" / "tips_grouping.jsonl"
HELD_OUT = Path(__file__).resolve().parent / "data" / "tips_grouping_heldout.jsonl"

parser = argparse.ArgumentParser()
parser.add_argument("--database-url", default="")
parser.add_argument("--sweep", action="store_true")
parser.add_argument("--wrong", action="store_true")
ARGS = parser.parse_args()

TMP = tempfile.mkdtemp(prefix="factdesk-bench-tips-")
os.environ["DATABASE_URL"] = ARGS.database_url or f"sqlite:///{TMP}/bench.sqlite3"
os.environ["DB_POOL_MAX"] = "0"
os.environ["FACTDESK_VECTOR_INDEX_DIR"] = f"{TMP}/vector-index"
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from tips import grouping  # noqa: E402
from tips.models import TipRequest  # noqa: E402
from tips.services import tip_submit  # noqa: E402


def load(path=DATA) -> list[tuple[int, str]]:
    tips = []
    for line in path.read_text().splitlines():
        row = json.loads(line)
        tips.extend((row["group"], text) for text in row["tips"])
    random.Random(21).shuffle(tips)
    return tips


def run(tips) -> dict:
    TipRequest.objects.all().delete()
    owner, home, placed, wrong = {}, {}, [], []
    started = time.perf_counter()
    for n, (group, text) in enumerate(tips, start=1):
        outcome = tip_submit(text=text, reader_language="en", channel="api")
        request = outcome.request.pk
        owner.setdefault(request, group)
        home.setdefault(group, request)
        placed.append((group, request))
        if owner[request] != group:
            wrong.append((group, text, f"joined group {owner[request]}'s"))
        elif request != home[group]:
            wrong.append((group, text, "split off"))
        if n % 20 == 0:
            print(f"  {n}/{len(tips)} tips", file=sys.stderr)
    elapsed = time.perf_counter() - started
    right = sum(home[group] == request and owner[request] == group for group, request in placed)
    requests_per_group = Counter(
        len({r for g, r in placed if g == group}) for group in owner.values()
    )
    mixed = sum(len(groups) > 1 for groups in _groups_by_request(placed).values())
    return {
        "share": right / len(placed),
        "right": right,
        "tips": len(placed),
        "requests": len(owner),
        "groups": len({group for group, _ in placed}),
        "mixed": mixed,
        "split": requests_per_group,
        "ms_per_tip": 1000 * elapsed / len(placed),
        "wrong": wrong,
    }


def _groups_by_request(placed):
    groups = defaultdict(set)
    for group, request in placed:
        groups[request].add(group)
    return groups


def main():
    call_command("migrate", verbosity=0)
    tips = load()
    print(f"Tip grouping on {DATA.name}: {len(tips)} tips, database {os.environ['DATABASE_URL']}")
    result = run(tips)
    print(
        f"GROUP_MIN_COSINE={grouping.GROUP_MIN_COSINE} GROUP_MIN_WORDING="
        f"{grouping.GROUP_MIN_WORDING}: {result['right']}/{result['tips']} tips in the right "
        f"request = {result['share']:.1%}; {result['requests']} requests for "
        f"{result['groups']} questions; {result['mixed']} requests mix two questions; "
        f"{result['ms_per_tip']:.0f} ms per tip (answer + grouping + writes)"
    )
    print("  requests per question:", dict(sorted(result["split"].items())))
    if ARGS.wrong:
        for group, text, why in result["wrong"]:
            print(f"  wrong: group {group}, {why} request: {text}")
    held_out = load(HELD_OUT)
    result = run(held_out)
    print(
        f"HELD-OUT set {HELD_OUT.name} (never used for tuning): {result['right']}/"
        f"{result['tips']} tips in the right request = {result['share']:.1%}; "
        f"{result['requests']} requests for {result['groups']} questions; {result['mixed']} "
        "requests mix two questions"
    )
    if ARGS.wrong:
        for group, text, why in result["wrong"]:
            print(f"  wrong: group {group}, {why} request: {text}")
    if ARGS.sweep:
        shipped = grouping.GROUP_MIN_COSINE
        for cosine in (0.62, 0.66, 0.68, 0.7, 0.72):
            grouping.GROUP_MIN_COSINE = cosine
            swept = run(tips)
            print(
                f"  sweep GROUP_MIN_COSINE={cosine}: {swept['share']:.1%} right, "
                f"{swept['requests']} requests, {swept['mixed']} mixed"
            )
            if ARGS.wrong:
                for group, text, why in swept["wrong"]:
                    if why.startswith("joined"):
                        print(f"    group {group} {why} request: {text}")
        grouping.GROUP_MIN_COSINE = shipped


if __name__ == "__main__":
    main()
