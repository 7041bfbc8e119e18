"""How well the detector does on the labelled evaluation set (claims/fixtures/eval/).

Used by the detector's test (a floor it must keep) and by bench/bench_detector.py.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .detection import THRESHOLD, detect_claims

EVAL_DIR = Path(__file__).parent / "fixtures" / "eval"


@dataclass
class Evaluation:
    passages: int = 0
    found: int = 0
    candidates: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.passages if self.passages else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 0.0


def load_eval_set(directory: Path = EVAL_DIR) -> list[dict]:
    """The labelled articles: each with `language`, `text` and `checkworthy` passages."""
    documents = []
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if "text_file" in document:
            document["text"] = (path.parent / document["text_file"]).read_text(encoding="utf-8")
        document["name"] = path.stem
        documents.append(document)
    return documents


def evaluate(documents: list[dict], *, threshold: float = THRESHOLD) -> Evaluation:
    """Passage recall (a passage is found when a candidate covers most of it) and candidate
    precision (a candidate is right when it covers most of some passage)."""
    result = Evaluation()
    for document in documents:
        text = document["text"]
        passages = []
        for passage in document["checkworthy"]:
            start = text.find(passage)
            if start == -1:
                raise ValueError(f"{document['name']}: passage not in text: {passage!r}")
            passages.append((start, start + len(passage)))
        candidates = detect_claims(text, threshold=threshold)
        covered = {
            passage
            for passage in passages
            for candidate in candidates
            if _overlap(passage, (candidate.start, candidate.end)) * 2 > passage[1] - passage[0]
        }
        result.passages += len(passages)
        result.found += len(covered)
        result.missed += [text[s:e] for s, e in passages if (s, e) not in covered]
        for candidate in candidates:
            span = (candidate.start, candidate.end)
            right = any(_overlap(p, span) * 2 > p[1] - p[0] for p in passages)
            result.candidates += 1
            result.correct += right
            if not right:
                result.wrong.append(candidate.text)
    return result


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
