from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from sources.models import Source

from ..anchoring import anchor_quote
from ..choices import AnchorState
from ..exceptions import EditConflict
from ..models import Article, Claim, ClaimEvent, Evidence, Topic
from .slugs import unique_slug


def claim_lock(claim_id: int, *, expected_version: int | None = None) -> Claim:
    """Fetch a claim with its row locked until the transaction ends.

    With `expected_version`, refuse (EditConflict) when someone saved it since the caller
    loaded it: that is how two people editing one claim never overwrite each other.
    """
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise EditConflict(claim, expected_version)
    return claim


@transaction.atomic
def claim_create(
    *,
    quote: str,
    claim_reviewed: str,
    article: Article | None = None,
    anchor_start: int | None = None,
    claimant: str = "",
    claimant_url: str = "",
    attribution: str = "",
    claimed_on: date | None = None,
    language: str = "",
    topics: Iterable[Topic] = (),
    parent: Claim | None = None,
    created_by=None,
    assignee=None,
) -> Claim:
    """Create a claim, anchored in its article when it has one.

    The quote must occur in the article text; `anchor_start` picks the occurrence when the quote
    repeats. Raises ValidationError (field messages) and writes nothing when input is bad.
    """
    claim = Claim(
        quote=quote,
        claim_reviewed=claim_reviewed.strip(),
        article=article,
        claimant=claimant,
        claimant_url=claimant_url,
        attribution=attribution,
        claimed_on=claimed_on,
        language=language or (article.language if article else ""),
        parent=parent,
        created_by=created_by,
        assignee=assignee,
        slug=unique_slug(Claim, claim_reviewed),
    )
    if article is not None:
        try:
            anchor = anchor_quote(article.text, quote, anchor_start)
        except ValidationError as error:
            raise ValidationError({"quote": error.messages}) from None
        claim.anchor_start, claim.anchor_end = anchor.start, anchor.end
        claim.anchor_prefix, claim.anchor_suffix = anchor.prefix, anchor.suffix
        claim.anchor_state, claim.anchor_confidence = AnchorState.EXACT, 1.0
        claim.anchored_revision = article.revisions.order_by("-number").first()
    claim.full_clean()
    claim.save()
    if topics:
        claim.topics.set(topics)
    ClaimEvent.objects.create(
        claim=claim, kind=ClaimEvent.Kind.CREATED, actor=created_by, to_status=claim.status
    )
    return claim


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    source: Source,
    stance: str,
    excerpt: str = "",
    locator: str = "",
    note: str = "",
    added_by=None,
) -> Evidence:
    """Attach a source to a claim with a stance; each source counts once per claim and stance."""
    evidence = Evidence(
        claim=claim,
        source=source,
        stance=stance,
        excerpt=excerpt,
        locator=locator,
        note=note,
        added_by=added_by,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


EDITABLE_FIELDS = frozenset(
    {
        "quote",
        "claim_reviewed",
        "claimant",
        "claimant_url",
        "attribution",
        "claimed_on",
        "language",
        "parent",
        "verdict",
        "rationale",
        "assignee",
    }
)


@transaction.atomic
def claim_update(*, claim: Claim, actor, expected_version: int | None = None, **changes) -> Claim:
    """Edit a claim's content. Refuses (EditConflict) if someone saved it since `expected_version`.

    Status changes are not edits: they go through the workflow transitions.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"claim_update cannot change {sorted(unknown)}")
    claim = claim_lock(claim.pk, expected_version=expected_version)
    for field, value in changes.items():
        setattr(claim, field, value)
    claim.full_clean()
    claim.version += 1
    claim._history_user = actor
    claim.save()
    return claim
