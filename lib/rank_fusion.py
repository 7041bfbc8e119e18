"""What the two "checked before?" rankers share: the desk's claims (claims/matching.py) and
other organisations' fact-checks (factchecks/matching.py) are each ranked by wording and by
meaning, and the two lists fused by reciprocal rank fusion with the same constants.

A match scores 1/(RRF_K + rank) in each list it is in: ranks, not scores, are added because
trigram and cosine similarity live on different scales. A neighbour by meaning counts when its
cosine is at least MIN_COSINE and within MARGIN of the nearest one. The values were tuned on
bench/data/checked_before_eval.jsonl (bench/bench_checked_before.py --sweep; docs/matching.md).
"""

# The usual constant from Cormack et al. (2009); on our evaluation set 10-100 rank the same.
RRF_K = 60
# Below either bound a neighbour is another claim on the same topic, not the same claim said
# differently. Without the margin, a same-topic claim that also shares words (in both lists)
# outranks the translation found by meaning alone.
MIN_COSINE = 0.4
MARGIN = 0.15
# Each ranker proposes this many candidates (or the caller's limit, if larger) before fusion.
CANDIDATES = 20


class MatchReason:
    """For a match with `lexical` (wording similarity, 0-1) and `vector` (cosine similarity by
    meaning), each None when that ranker did not propose it."""

    lexical: float | None
    vector: float | None

    @property
    def reason(self) -> str:
        """ "both", "wording" or "meaning"."""
        if self.lexical is not None and self.vector is not None:
            return "both"
        return "wording" if self.lexical is not None else "meaning"

    @property
    def similarity(self) -> float:
        """The stronger of the two similarities, for a single figure to show."""
        return round(max(s for s in (self.lexical, self.vector) if s is not None), 3)
