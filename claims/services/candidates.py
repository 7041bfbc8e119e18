"""Detector suggestions on an article: refresh them, accept one as a claim, or dismiss it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..detection import detect_claims
from ..models import CLAIM_REVIEWED_MAX_LENGTH, Article, Claim, ClaimCandidate
from .claims import claim_create


@transaction.atomic
def candidates_refresh(*, article: Article) -> list[ClaimCandidate]:
    """Run the detector on the article's current text and store what it proposes.

    Open candidates are replaced; decided ones stay as the record of the decision, and a
    sentence an editor dismissed (or already turned into a claim) is not proposed again.
    A sentence that mostly lies inside an existing claim's anchor is not proposed either.
    Returns the open candidates in reading order.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.candidates.filter(decision=ClaimCandidate.Decision.OPEN).delete()
    decided = article.candidates.values_list("start", "end", "text")
    decided_spans = {(start, end) for start, end, _text in decided}
    decided_texts = {text for _start, _end, text in decided}
    anchors = list(
        article.claims.exclude(anchor_start=None)
        .exclude(anchor_state="orphaned")
        .values_list("anchor_start", "anchor_end")
    )
    revision = article.revisions.order_by("-number").first()
    created = []
    for candidate in detect_claims(article.text):
        span = (candidate.start, candidate.end)
        if span in decided_spans or candidate.text in decided_texts:
            continue
        if any(_overlap(span, anchor) * 2 > span[1] - span[0] for anchor in anchors):
            continue
        created.append(
            ClaimCandidate(
                article=article,
                revision=revision,
                start=candidate.start,
                end=candidate.end,
                text=candidate.text,
                score=candidate.score,
                reasons=candidate.reasons,
            )
        )
    return ClaimCandidate.objects.bulk_create(created)


@transaction.atomic
def candidate_accept(
    *, candidate: ClaimCandidate, actor, claim_reviewed: str = "", assignee=None
) -> Claim:
    """Turn an open candidate into a claim anchored on its span.

    Refuses (ValidationError) a decided candidate, and one whose span no longer holds its
    text because the article changed since the detector ran.
    """
    candidate = _lock_open(candidate)
    article = candidate.article
    if article.text[candidate.start : candidate.end] != candidate.text:
        raise ValidationError(
            _("The article changed since this suggestion was made; refresh the suggestions."),
            code="candidate_stale",
        )
    claim = claim_create(
        article=article,
        quote=candidate.text,
        anchor_start=candidate.start,
        claim_reviewed=claim_reviewed or _shorten(candidate.text),
        created_by=actor,
        assignee=assignee,
    )
    _decide(candidate, ClaimCandidate.Decision.ACCEPTED, actor, claim=claim)
    return claim


@transaction.atomic
def candidate_dismiss(*, candidate: ClaimCandidate, actor) -> ClaimCandidate:
    """Mark an open candidate as not worth checking; it is not proposed again."""
    candidate = _lock_open(candidate)
    _decide(candidate, ClaimCandidate.Decision.DISMISSED, actor)
    return candidate


def _lock_open(candidate: ClaimCandidate) -> ClaimCandidate:
    candidate = (
        ClaimCandidate.objects.select_for_update().select_related("article").get(pk=candidate.pk)
    )
    if candidate.decision != ClaimCandidate.Decision.OPEN:
        raise ValidationError(
            _("This suggestion was already %(decision)s.")
            % {"decision": candidate.get_decision_display().lower()},
            code="candidate_decided",
        )
    return candidate


def _decide(candidate: ClaimCandidate, decision: str, actor, claim: Claim | None = None) -> None:
    candidate.decision = decision
    candidate.claim = claim
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["decision", "claim", "decided_by", "decided_at"])


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= CLAIM_REVIEWED_MAX_LENGTH:
        return text
    return text[: CLAIM_REVIEWED_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
