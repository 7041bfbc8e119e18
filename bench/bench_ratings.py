"""How many real fact-checkers' rating labels map onto the default verdict scale, and none wrongly.

    .venv/bin/python bench/bench_ratings.py [--realdata ../shared/realdata] [--list]

Reads the labels at run time from the real material (never copied into the project): X-Fact's
label maps (per site and the master map), LIAR's and CheckIT!'s verdicts, Facta's categories and
every reviewRating/textualRating in the ClaimReview files and pages. Each label has an expected
class: X-Fact's where it gives one, the dataset's own meaning otherwise, and for a few of X-Fact's
"other" labels our reading (named below). A label mapped outside its class counts as wrong.
Runs on a scratch SQLite database so the scale is exactly what the migrations ship.
"""

import argparse
import csv
import json
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.mkdtemp(prefix="factdesk-bench-ratings-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from claims.models import VerdictRating  # noqa: E402
from claims.ratings import alias_index, normalise_label, verdict_for  # noqa: E402

# X-Fact's seven classes -> the codes of our scale a label of that class may map to.
CLASSES = {
    "true": {"true"},
    "mostly true": {"mostly-true"},
    "partly true/misleading": {"mixed", "misleading"},
    "half true": {"mixed"},
    "partially true": {"mixed"},
    "almost true": {"mostly-true"},
    "complicated/hard to categorise": {"unverifiable"},
    "controversial": {"unverifiable"},
    "mostly false": {"mostly-false"},
    "false": {"false"},
    "crazy": {"false"},
    "going pinocchio": {"false"},
    "other": set(),
}
LIAR = {
    "true": "true", "mostly-true": "mostly-true", "half-true": "mixed",
    "barely-true": "mostly-false", "false": "false", "pants-fire": "false",
}  # fmt: skip
CHECKIT = {"Vero": "true", "Falso": "false", "Nì": "mixed"}
FACTA = {
    "Notizia Falsa": {"false"},
    "Notizia Vera": {"true"},
    "Fuori Contesto": {"misleading"},
    "Notizia imprecisa": {"misleading", "mixed"},
    "Immagine Modificata": {"misleading", "false"},
    "Notizia Vecchia": {"misleading"},
    "Notizia Satirica": set(),
}
# X-Fact files these under "other"; we read them as verdicts (why, in a word).
OUR_READING = {
    "myth": ({"false"}, "a myth is a false belief"),
    "impostor": ({"false"}, "impostor content is fabricated"),
    "suspicious": ({"unverifiable"}, "doubtful, not disproved"),
    "in process": ({"unverifiable"}, "not yet decided"),
    "incomplete": ({"misleading", "mixed"}, "X-Fact lists it under both"),
}
# ClaimReview ratings in the files: English, Spanish, French, Chinese words for our verdicts.
CLAIMREVIEW = {
    "false": {"false"}, "falso": {"false"}, "faux": {"false"}, "incorrect": {"false"},
    "錯誤": {"false"}, "true": {"true"}, "half true": {"mixed"}, "mostly false": {"mostly-false"},
    "misleading": {"misleading"}, "engañoso": {"misleading"}, "false context": {"misleading"},
}  # fmt: skip
# Labels that give no verdict on truth: PolitiFact's Flip-O-Meter rates a change of position,
# satire and "other" say what kind of item it is, and two lines of X-Fact's Pagella Politica map
# are not labels at all. Mapping any of them onto the scale would be a guess.
NOT_VERDICTS = {
    "full flop", "half flip", "no flip", "changed attitude", "satire", "sarcasm",
    "notizia satirica", "other", "none", "", "article", "cinema", "candidate in crisis",
    "clarification", "complete", "5", "https www facebook com guidesiguido posts 1277056549144888",
}  # fmt: skip


def collect(root: Path) -> dict[str, tuple[set[str], str]]:
    """label as written -> (codes it may map to, where it comes from)."""
    labels: dict[str, tuple[set[str], str]] = {}

    def add(label, allowed, origin):
        label = str(label).strip("\n")
        if label.strip() and label not in labels:
            labels[label] = (set(allowed), origin)

    maps = root / "datasets" / "xfact_label_maps"
    for line in (maps / "master_mapping.tsv").read_text().splitlines():
        klass, names = line.split("\t")
        for name in names.split("|"):
            add(name, OUR_READING.get(name, (CLASSES[klass],))[0], "x-fact master")
    for path in sorted(maps.glob("*.txt")):
        if path.name.startswith("LICENSE"):
            continue
        for line in path.read_text().splitlines():
            if "\t" in line:
                name, klass = line.split("\t")
                add(name, CLASSES.get(klass, set()), path.stem)
    for line in (root / "datasets" / "liar_test.tsv").read_text().splitlines():
        add(line.split("\t")[1], {LIAR[line.split("\t")[1]]}, "LIAR")
    with (root / "datasets" / "checkit_pagellapolitica_claims_716.csv").open() as handle:
        for row in csv.DictReader(handle):
            add(row["verdict"], {CHECKIT[row["verdict"]]}, "CheckIT!")
    for line in (root / "articles" / "facta_antibufale_sample_100.jsonl").open():
        category = json.loads(line)["category"]
        add(category, FACTA.get(category, set()), "Facta")
    for label in claimreview_labels(root):
        expected = {normalise_label(name): codes for name, codes in CLAIMREVIEW.items()}
        add(label, expected.get(normalise_label(label), set()), "ClaimReview")
    return labels


def claimreview_labels(root: Path) -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            rating = node.get("reviewRating")
            if isinstance(rating, dict) and rating.get("alternateName"):
                found.append(rating["alternateName"])
            if node.get("textualRating"):
                found.append(node["textualRating"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((root / "claimreview").glob("*.json*")):
        walk(json.loads(path.read_text()))
    for path in sorted((root / "articles" / "factcheck_html_pages").glob("*.html")):
        blocks = re.findall(r"<script[^>]*ld\+json[^>]*>(.*?)</script>", path.read_text(), re.S)
        for block in blocks:
            try:
                walk(json.loads(block))
            except json.JSONDecodeError:
                continue
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
    parser.add_argument("--realdata", type=Path, default=default)
    parser.add_argument("--list", action="store_true", help="print every label and its mapping")
    args = parser.parse_args()
    print(f"Migrating a scratch SQLite database in {TMP} ...", flush=True)
    call_command("migrate", verbosity=0)
    index = alias_index(VerdictRating.objects.all())
    labels = collect(args.realdata)
    counts, wrong, unmapped = Counter(), [], []
    for label, (allowed, origin) in labels.items():
        verdict = verdict_for(label, index)
        code = verdict.code if verdict else None
        counts["mapped" if code else "unmapped"] += 1
        if code and code not in allowed:
            wrong.append((label, code, allowed, origin))
        if not code:
            unmapped.append((label, origin))
        if args.list:
            print(f"  {label[:50]!r:<54} {origin:<22} -> {code or '(kept verbatim, flagged)'}")
    forms = {normalise_label(label) for label in labels}
    total = len(labels)
    print(f"\nDistinct labels as written: {total} ({len(forms)} distinct once normalised)")
    print(f"Mapped onto the scale: {counts['mapped']}/{total} = {counts['mapped'] / total:.1%}")
    # Distinct ignoring case and surrounding space, as issue 14 counted them (114).
    folded = {label.strip().casefold(): label for label in labels}
    folded_mapped = sum(1 for label in folded.values() if verdict_for(label, index))
    print(
        f"Distinct ignoring case: {len(folded)}, mapped {folded_mapped} = "
        f"{folded_mapped / len(folded):.1%}"
    )
    print(f"Mapped wrongly: {len(wrong)}")
    for label, code, allowed, origin in wrong:
        print(f"  WRONG {label!r} ({origin}) -> {code}, expected one of {sorted(allowed)}")
    verdicts = [label for label in labels if normalise_label(label) not in NOT_VERDICTS]
    mapped = sum(1 for label in verdicts if verdict_for(label, index))
    print(
        f"Of the {len(verdicts)} labels that are a verdict on truth (not Flip-O-Meter, satire, "
        f"'other'...): {mapped} mapped = {mapped / len(verdicts):.1%}"
    )
    print(f"Kept verbatim and flagged: {len(unmapped)}")
    for label, origin in unmapped:
        print(f"  {label[:70]!r} ({origin})")
    print("\nOur reading of labels X-Fact calls 'other':")
    for label, (allowed, why) in OUR_READING.items():
        print(f"  {label!r} -> {', '.join(sorted(allowed))}: {why}")
    every = counts["mapped"] / total >= 0.9
    verdict_ok = mapped / len(verdicts) >= 0.9
    print("\nGoal >= 90% of every label mapped:", "met" if every else "NOT met")
    print("Goal >= 90% of the verdict labels mapped:", "met" if verdict_ok else "NOT met")
    print("Goal 0 mapped wrongly:", "met" if not wrong else "NOT met")
    return 0 if verdict_ok and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
