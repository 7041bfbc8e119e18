"""A desk of published, embedded claims and a stream of incoming text for bench_pipeline.py.

Real checked statements are few (716 CheckIT!, 1,283 LIAR), so the desk's claims are made by
joining the first half of one real statement to the second half of another in the same
language: the words, their frequencies and their meanings are a real desk's, so the wording
ranker meets real collisions and the vector index real neighbourhoods, yet no claim on the
desk is a real one. Half Italian, half English, all published.

The incoming text is the sentences of 458 real Italian fact-check articles (CheckIT!'s
Pagella Politica articles, Facta's debunks), one paragraph per line, and LIAR's 1,283 English
statements as one-line texts (tips, transcript lines). All of it is read from
/work/shared/realdata when the bench runs; nothing of it is stored in the project.
"""

import csv
import json
import random
import time
from pathlib import Path

REALDATA = Path("/work/shared/realdata")
BATCH = 20_000

INSERT = """
INSERT INTO claims_claim (
    quote, claim_reviewed, claimant, claimant_is_organization, claimant_url, attribution,
    anchor_prefix, anchor_suffix, anchor_state, language, status, rationale, rationale_html,
    unpublished_reason, slug, imported_rating, imported_review, created_at, updated_at,
    status_changed_at, published_at, version)
SELECT text, left(text, 500), '', false, '', '', '', '', 'none', language, 'published', '', '',
       '', 'pipeline-bench-' || n, '', '{}', now(), now(), now(), now(), 1
FROM unnest(%(texts)s::text[], %(languages)s::text[]) WITH ORDINALITY AS t(text, language, n)
"""


def statements() -> dict[str, list[str]]:
    """Real checked statements by language (CheckIT!'s Italian, LIAR's English)."""
    italian, english = [], []
    with open(REALDATA / "datasets/checkit_pagellapolitica_claims_716.csv", newline="") as f:
        italian += [row["statement"].strip("«» ") for row in csv.DictReader(f)]
    with open(REALDATA / "articles/checkit_pagellapolitica_factchecks_358.jsonl") as f:
        italian += [json.loads(line)["statement"].strip("«» ") for line in f]
    with open(REALDATA / "datasets/liar_test.tsv", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        english += [row[2] for row in rows if len(row) > 2]
    return {"it": italian, "en": english}


def made_up_claims(count: int, seed: int = 21) -> list[tuple[str, str]]:
    """(text, language): the first half of one real statement and the second of another."""
    rng = random.Random(seed)
    pools = {
        lang: [s.split() for s in texts if len(s.split()) >= 6]
        for lang, texts in statements().items()
    }
    made = []
    for n in range(count):
        language = "it" if n % 2 else "en"
        a, b = rng.choice(pools[language]), rng.choice(pools[language])
        made.append((" ".join(a[: len(a) // 2] + b[len(b) // 2 :]), language))
    return made


def desk_fill(cursor, target: int, *, progress=print) -> None:
    """Published claims up to `target` (a later run adds only what is missing)."""
    cursor.execute("SELECT count(*) FROM claims_claim WHERE slug LIKE 'pipeline-bench-%%'")
    have = cursor.fetchone()[0]
    if have >= target:
        progress(f"Reusing {have:,} bench claims.")
        return
    claims = made_up_claims(target)[have:]
    started = time.monotonic()
    for first in range(0, len(claims), BATCH):
        batch = claims[first : first + BATCH]
        cursor.execute(
            INSERT.replace("'pipeline-bench-' || n", f"'pipeline-bench-' || (n + {have + first})"),
            {"texts": [t for t, _ in batch], "languages": [lang for _, lang in batch]},
        )
        done = have + first + len(batch)
        rate = (first + len(batch)) / (time.monotonic() - started)
        progress(f"  {done:>9,} claims  ({rate:,.0f}/s)")
    cursor.execute("ANALYZE claims_claim")


def incoming_texts() -> list[tuple[str, str | None]]:
    """(text, language or None) in arrival order: articles, then one-line statements."""
    texts = []
    for path in (
        "articles/checkit_pagellapolitica_factchecks_358.jsonl",
        "articles/facta_antibufale_sample_100.jsonl",
    ):
        with open(REALDATA / path) as f:
            records = [json.loads(line) for line in f]
        for record in records:
            sentences = [s for s in record.get("content") or [] if isinstance(s, str)]
            # About four sentences to a paragraph, one paragraph per line, as a feed's text
            # comes out of the extractor.
            paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
            texts.append(("\n".join([record.get("title") or "", *paragraphs]), None))
    for statement in statements()["en"]:
        texts.append((statement, None))
    random.Random(7).shuffle(texts)
    return texts
