from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from claimants.models import Claimant
from sources.models import Source

from ..anchoring import anchor_quote
from ..choices import ClaimStatus
from ..embeddings import claim_embed_later
from ..exceptions import TransitionNotAllowed
from ..models import Article, Claim, ClaimEvent, Evidence, Topic
from ..permissions import CONTENT_FIELDS, EDITABLE_BY_STATUS, editable_fields
from .attribution import attribution_set, speaker_for
from .locking import claim_lock
from .slugs import save_with_unique_slug, unique_slug
from .workflow import claim_assign, claim_unassign


@transaction.atomic
def claim_create(
    *,
    quote: str,
    claim_reviewed: str,
    article: Article | None = None,
    anchor_start: int | None = None,
    claimant: str = "",
    claimant_is_organization: bool = False,
    claimant_url: str = "",
    attribution: str = "",
    speaker: Claimant | None = None,
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
    The claim links to `speaker`, else to the claimant record its `claimant` names (created
    when new), and its attribution is stored as a chain of speaker and outlets too.
    """
    if speaker is None:
        speaker = speaker_for(
            name=claimant,
            url=claimant_url,
            is_organization=claimant_is_organization,
            actor=created_by,
        )
    elif not claimant:
        claimant = speaker.name
    claim = Claim(
        quote=quote,
        claim_reviewed=claim_reviewed.strip(),
        article=article,
        claimant=claimant,
        claimant_url=claimant_url,
        attribution=attribution,
        speaker=speaker,
        # What the caller said, else what the claimant record knows.
        claimant_is_organization=claimant_is_organization
        or bool(speaker and speaker.is_organization),
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
            field = "anchor_start" if error.code == "anchor_out_of_range" else "quote"
            raise ValidationError({field: error.messages}) from None
        claim.place_at(anchor, revision=article.revisions.order_by("-number").first())
    claim.full_clean(validate_unique=False)  # the slug's uniqueness: save_with_unique_slug
    if created_by is not None:
        # Outside a request (commands, the demo) the history middleware cannot name the author.
        claim._history_user = created_by
    save_with_unique_slug(claim, claim_reviewed)
    if topics:
        claim.topics.set(topics)
    if attribution:
        attribution_set(claim=claim, text=attribution)
    ClaimEvent.objects.create(
        claim=claim, kind=ClaimEvent.Kind.CREATED, actor=created_by, to_status=claim.status
    )
    claim_embed_later(claim.pk)
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
    if added_by is not None:
        evidence._history_user = added_by
    evidence.save()
    return evidence


EDITABLE_FIELDS = CONTENT_FIELDS | {"assignee"}
UNSET = object()


@transaction.atomic
def claim_update(*, claim: Claim, actor, expected_version: int | None = None, **changes) -> Claim:
    """Edit a claim's content. Refuses (EditConflict) if someone saved it since `expected_version`.

    Status changes are not edits: they go through the workflow transitions. Which fields may
    change depends on the claim's state (claims.permissions.EDITABLE_BY_STATUS); a published
    verdict or rationale changes only through `claim_correct`. Changing the quote re-anchors it
    in the article. `topics` takes an iterable of Topic. `actor=None` is a system edit (an
    import): the state rules still hold.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"claim_update cannot change {sorted(unknown)}")
    if actor is not None and not actor.has_perm("claims.change_claim"):
        raise PermissionDenied(_("You do not have permission to edit claims."))
    claim = claim_lock(claim.pk, expected_version=expected_version)
    changed = {f: v for f, v in changes.items() if _value(claim, f) != _value_of(v)}
    assignee = changed.pop("assignee", UNSET)
    check_editable(claim, actor, changed)
    topics = changed.pop("topics", UNSET)
    if changed or topics is not UNSET:
        for field, value in changed.items():
            setattr(claim, field, value)
        if "quote" in changed and claim.article_id is not None:
            _reanchor(claim)
        if "claimant" in changed and "speaker" not in changed:
            # A renamed claimant is another person: link the record that name means.
            claim.speaker = speaker_for(
                name=claim.claimant,
                url=claim.claimant_url,
                is_organization=claim.claimant_is_organization,
                actor=actor,
            )
        claim.full_clean()
        claim.save_new_version(actor=actor)
        if {"attribution", "speaker", "claimant"} & changed.keys():
            attribution_set(claim=claim, text=claim.attribution)
        if topics is not UNSET:
            claim.topics.set(topics)
        if {"claim_reviewed", "quote"} & changed.keys():
            claim_embed_later(claim.pk)
    if assignee is not UNSET:
        # Assigning has its own rules, event and email; a local import avoids a cycle
        # (the workflow module builds on claim_lock from this one).
        if assignee is None:
            claim = claim_unassign(claim=claim, actor=actor)
        else:
            claim = claim_assign(claim=claim, actor=actor, assignee=assignee)
    return claim


def _value(claim: Claim, field: str):
    """A field's stored value, comparing foreign keys by id so nothing extra is fetched."""
    if field in {"parent", "assignee", "speaker"}:
        return getattr(claim, f"{field}_id")
    if field == "verdict":
        return claim.verdict_id
    if field == "topics":
        return {topic.pk for topic in claim.topics.all()}
    return getattr(claim, field)


def _value_of(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset) or hasattr(value, "model"):
        return {item.pk for item in value}  # topics: a list or a queryset of Topic
    return value


def check_editable(claim: Claim, actor, changed) -> None:
    """Refuse (field messages) changes to fields the claim's state keeps read-only."""
    allowed = EDITABLE_BY_STATUS[claim.status] if actor is None else editable_fields(actor, claim)
    refused = set(changed) - allowed
    if not refused:
        return
    errors = {}
    for field in sorted(refused):
        if claim.status == ClaimStatus.PUBLISHED and field in {"verdict", "rationale"}:
            errors[field] = _(
                "This claim is published: change its verdict or rationale with a correction, "
                "which tells readers what changed."
            )
        else:
            errors[field] = _("This field cannot be changed while the claim is %(status)s.") % {
                "status": claim.get_status_display().lower()
            }
    raise TransitionNotAllowed(errors)


def _reanchor(claim: Claim) -> None:
    """Anchor an edited quote in the article text, or say on the field why it cannot be."""
    try:
        anchor = anchor_quote(claim.article.text, claim.quote)
    except ValidationError as error:
        raise ValidationError({"quote": error.messages}) from None
    claim.place_at(anchor, revision=claim.article.revisions.order_by("-number").first())
