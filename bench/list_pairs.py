"""Every pair of the claims list's filters at its worst: values that each match many claims and
none (or next to none) together. Times the first page (its rows and its capped count) in
process, uncached, as the list view asks for it (claim_list_page, with its statement ceiling),
and prints the SQL time of each of its queries (EXPLAIN ANALYZE).

    .venv/bin/python bench/list_pairs.py \
        [--database-url postgres://postgres@127.0.0.1:5432/factdesk_lists_1m] [--rounds 5]

The database is one made by bench/list_data.py, which also makes the sparse pairs measured here
(its `sparse_pairs`): German claims, all "unverifiable" and all by one claimant. A page that
runs past the ceiling prints REFUSED. Goal (issue 19): every pair <= 50 ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_MS = 50

# (name, filters): German x anything else is empty by construction; the outlet and the topic
# are the ones with the fewest claims of the other value.
PAIRS = [
    ("verdict + language", {"verdict": "false", "language": "de"}),
    ("verdict + outlet", {"verdict": "false", "outlet": "{outlet_de}"}),
    ("verdict + claimant", {"verdict": "false", "claimant": "bench-claimant-de"}),
    ("verdict + topic", {"verdict": "unverifiable", "topic": "{topic}"}),
    ("verdict + dates", {"verdict": "false", "since": "2025-12-30", "until": "2025-12-31"}),
    ("verdict + search", {"verdict": "false", "q": "{word_de}"}),
    ("language + outlet", {"language": "de", "outlet": "{outlet_nde}"}),
    ("language + claimant", {"language": "it", "claimant": "bench-claimant-de"}),
    ("language + topic", {"language": "de", "topic": "{topic}"}),
    ("language + search", {"language": "de", "q": "{word_en}"}),
    ("outlet + claimant", {"outlet": "{outlet_nde}", "claimant": "bench-claimant-de"}),
    ("outlet + topic", {"outlet": "{outlet_de}", "topic": "{topic}"}),
    ("outlet + search", {"outlet": "{outlet_de}", "q": "{word_en}"}),
    ("claimant + topic", {"claimant": "bench-claimant-de", "topic": "{topic}"}),
    ("claimant + search", {"claimant": "bench-claimant-de", "q": "{word_en}"}),
    (
        "claimant + dates",
        {"claimant": "bench-claimant-de", "since": "2021-01-01", "until": "2021-01-02"},
    ),
    ("topic + search", {"topic": "{topic}", "q": "{word_de}"}),
    ("topic + dates", {"topic": "{topic}", "since": "2021-01-01", "until": "2021-01-01"}),
]


def values() -> dict[str, str]:
    """The outlets, topic and words that make each pair worst on this database."""
    from django.db import connection

    with connection.cursor() as cursor:
        # An outlet with German claims; one without (both with many claims).
        cursor.execute(
            "SELECT o.domain FROM claims_claim c JOIN claims_article a ON a.id = c.article_id"
            " JOIN sources_outlet o ON o.id = a.outlet_id WHERE c.status = 'published'"
            " GROUP BY o.domain ORDER BY count(*) FILTER (WHERE c.language = 'de') DESC,"
            " count(*) DESC LIMIT 1"
        )
        outlet_de = cursor.fetchone()[0]
        cursor.execute(
            "SELECT o.domain FROM claims_claim c JOIN claims_article a ON a.id = c.article_id"
            " JOIN sources_outlet o ON o.id = a.outlet_id WHERE c.status = 'published'"
            " GROUP BY o.domain ORDER BY count(*) FILTER (WHERE c.language = 'de'),"
            " count(*) DESC LIMIT 1"
        )
        outlet_nde = cursor.fetchone()[0]
        # The biggest topic.
        cursor.execute(
            "SELECT t.slug FROM claims_topiclisting l JOIN claims_topic t ON t.id = l.topic_id"
            " GROUP BY t.slug ORDER BY count(*) DESC LIMIT 1"
        )
        topic = cursor.fetchone()[0]
    return {
        "outlet_de": outlet_de,
        "outlet_nde": outlet_nde,
        "topic": topic,
        # Common words of the generator's (bench/words.py), not stop words.
        "word_en": "government",
        "word_de": "minister",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/factdesk_lists_1m"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", help="pairs whose name contains this")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DB_POOL_MAX"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["FACTDESK_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from datetime import date

    from django.db import connection

    from claims.selectors import ClaimFilters, ListTooSlow, claim_list_page

    found = values()
    print(f"values: {found}", flush=True)
    failing = []
    print(f"\n| pair | filters | matches | p50 / max ms | SQL ms (EXPLAIN ANALYZE) | ≤ {GOAL_MS} |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, raw in PAIRS:
        if args.only and args.only not in name:
            continue
        given = {k: v.format(**found) for k, v in raw.items()}
        for key in ("since", "until"):
            if key in given:
                given[key] = date.fromisoformat(given[key])
        filters = ClaimFilters(**given)
        times, refused, statements = [], False, []
        for round_ in range(args.rounds + 1):
            started = time.perf_counter()
            try:
                if round_ == 0:
                    # The first run: the page's SQL, each statement explained afterwards.
                    def keep(execute, sql, params, many, context, statements=statements):
                        if sql.lstrip().upper().startswith("SELECT") and "set_config" not in sql:
                            statements.append((sql, params))
                        return execute(sql, params, many, context)

                    with connection.execute_wrapper(keep):
                        page = claim_list_page(filters)
                    continue
                page = claim_list_page(filters)
            except ListTooSlow:
                refused = True
                break
            times.append((time.perf_counter() - started) * 1000)
        sql_ms = []
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            for sql, params in statements:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                sql_ms.append(plan["Execution Time"] + plan.get("Planning Time", 0))
        shown = ", ".join(f"{k}={v}" for k, v in given.items())
        if refused:
            failing.append(name)
            print(f"| {name} | {shown} | ? | REFUSED | | NO |", flush=True)
            continue
        p50, worst = statistics.median(times), max(times)
        ok = p50 <= GOAL_MS
        if not ok:
            failing.append(name)
        sql = " + ".join(f"{ms:.1f}" for ms in sql_ms)
        matches = f"{'>' if page.count_capped else ''}{page.count}"
        print(
            f"| {name} | {shown} | {matches} | {p50:.1f} / {worst:.1f} | {sql} |"
            f" {'yes' if ok else 'NO'} |",
            flush=True,
        )
    print(f"\nOver {GOAL_MS} ms or refused: {', '.join(failing) or 'none'}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
