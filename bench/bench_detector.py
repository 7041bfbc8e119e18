"""Precision and recall of the check-worthy claim detector on the labelled evaluation set.

    .venv/bin/python bench/bench_detector.py

The set lives in claims/fixtures/eval/ (see its README). Goal: recall >= 0.9 with
precision >= 0.6. The detector is offline rules, so this runs in about a second.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from claims.detection import THRESHOLD, evaluate, load_eval_set  # noqa: E402


def main() -> int:
    documents = load_eval_set()
    print(f"Evaluation set: {len(documents)} articles", flush=True)
    for document in documents:
        one = evaluate([document])
        print(
            f"  {document['name']:<24} {document['language']}  passages {one.passages:>3}  "
            f"recall {one.recall:.2f}  precision {one.precision:.2f}"
        )
    started = time.perf_counter()
    result = evaluate(documents)
    elapsed = time.perf_counter() - started
    print(f"\nThreshold {THRESHOLD}")
    print(f"Passages found     {result.found}/{result.passages}  recall    {result.recall:.3f}")
    print(
        f"Candidates right   {result.correct}/{result.candidates}  precision {result.precision:.3f}"
    )
    print(f"Time for the whole set: {elapsed * 1000:.1f} ms")
    for text in result.missed:
        print(f"  missed: {text[:100]}")
    for text in result.wrong:
        print(f"  not check-worthy: {text[:100]}")
    print("\nThreshold sweep (precision / recall):")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        swept = evaluate(documents, threshold=threshold)
        print(f"  {threshold:.1f}: {swept.precision:.2f} / {swept.recall:.2f}")
    ok = result.recall >= 0.9 and result.precision >= 0.6
    print("\nGoal (recall >= 0.9, precision >= 0.6):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
