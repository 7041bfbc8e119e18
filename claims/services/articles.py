from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.text import validate_plain_text
from sources.models import Outlet

from ..anchoring import Method, anchor_at, reanchor
from ..choices import AnchorState
from ..models import Article, ArticleRevision, Claim, ClaimEvent, DatePrecision
from .candidates import candidates_refresh
from .slugs import unique_slug


@transaction.atomic
def article_create(
    *,
    title: str,
    text: str,
    language: str,
    url: str = "",
    outlet: Outlet | None = None,
    published_on: date | None = None,
    published_precision: str = DatePrecision.DAY,
    byline: str = "",
    slug: str = "",
    origin: str = ArticleRevision.Origin.PASTED,
    created_by=None,
) -> Article:
    """Create an article and its first revision."""
    article = Article(
        title=title,
        slug=slug or unique_slug(Article, title),
        url=url,
        outlet=outlet,
        language=language,
        published_on=published_on,
        published_precision=published_precision,
        byline=byline,
        text=text,
        created_by=created_by,
    )
    article.full_clean()
    article.save()
    ArticleRevision.objects.create(
        article=article,
        number=1,
        text=text,
        origin=origin,
        fetched_url=url if origin == ArticleRevision.Origin.FETCHED else "",
        created_by=created_by,
    )
    return article


@transaction.atomic
def article_update_text(
    *, article: Article, text: str, actor, origin: str = ArticleRevision.Origin.EDITED, note=""
) -> ArticleRevision | None:
    """Store a new revision of the article's text and re-anchor every claim in it.

    Each anchored claim lands at its old position, at its exact quote elsewhere, or at a
    confident fuzzy match (its quote then follows the new wording); otherwise it becomes an
    orphan that keeps its quote, old position and context for an editor. Every move and every
    orphaning writes a claim event; no claim is dropped. Returns the new revision, or None
    when the text did not change.
    """
    if not text.strip():
        raise ValidationError({"text": _("The article text cannot be empty.")})
    try:
        validate_plain_text(text)  # what article_create checks through Article.clean
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None
    article = Article.objects.select_for_update().get(pk=article.pk)
    if text == article.text:
        return None
    previous = article.revisions.order_by("-number").first()
    revision = ArticleRevision.objects.create(
        article=article,
        number=(previous.number + 1) if previous else 1,
        text=text,
        origin=origin,
        fetched_url=article.url if origin == ArticleRevision.Origin.FETCHED else "",
        note=note,
        created_by=actor,
    )
    old_text = article.text
    article.text = text
    article._history_user = actor
    article.save(update_fields=["text", "updated_at"])
    claims = article.claims.select_for_update().exclude(anchor_state=AnchorState.NONE)
    for claim in claims.order_by("pk"):
        _reanchor_claim(claim, text=text, old_text=old_text, revision=revision, actor=actor)
    if article.candidates.exists():
        # Open suggestions point into the old text: propose them afresh on the new one.
        candidates_refresh(article=article)
    return revision


def _reanchor_claim(
    claim: Claim, *, text: str, old_text: str, revision: ArticleRevision, actor
) -> None:
    old = {
        "start": claim.anchor_start,
        "end": claim.anchor_end,
        "quote": claim.quote,
        "revision": claim.anchored_revision.number if claim.anchored_revision else None,
    }
    # An orphan is searched for by its quote, not its old position, which meant another text.
    was_orphan = claim.anchor_state == AnchorState.ORPHANED
    result = reanchor(
        text,
        quote=claim.quote,
        prefix=claim.anchor_prefix,
        suffix=claim.anchor_suffix,
        start=None if was_orphan else claim.anchor_start,
        # The position is carried past the edit only if it pointed into the text just replaced.
        old_text=old_text if _points_into(claim, old_text) else None,
    )
    claim._history_user = actor
    if result.anchor is None:
        if was_orphan:
            return
        claim.anchor_state, claim.anchor_confidence = AnchorState.ORPHANED, 0.0
        claim.save_new_version(update_fields=["anchor_state", "anchor_confidence"])
        ClaimEvent.objects.create(
            claim=claim,
            kind=ClaimEvent.Kind.ORPHANED,
            actor=actor,
            comment=str(result.reason),
            data={"old": old, "revision": revision.number},
        )
        return
    anchor = result.anchor
    state = AnchorState.FUZZY if result.method == Method.FUZZY else AnchorState.EXACT
    moved = (anchor.start, anchor.end) != (claim.anchor_start, claim.anchor_end)
    if not moved and not was_orphan and state == claim.anchor_state:
        # Same place, same words: only the revision it points into changes.
        claim.anchored_revision = revision
        claim.anchor_prefix, claim.anchor_suffix = anchor.prefix, anchor.suffix
        claim.save(update_fields=["anchored_revision", "anchor_prefix", "anchor_suffix"])
        return
    claim.place_at(anchor, revision=revision, state=state, confidence=anchor.confidence)
    claim.save_new_version()
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.REANCHORED,
        actor=actor,
        data={
            "old": old,
            "new": {"start": anchor.start, "end": anchor.end, "quote": anchor.exact},
            "method": result.method,
            "confidence": anchor.confidence,
            "revision": revision.number,
        },
    )


def _points_into(claim: Claim, old_text: str) -> bool:
    start, end = claim.anchor_start, claim.anchor_end
    return start is not None and end is not None and old_text[start:end] == claim.quote


@transaction.atomic
def claim_reanchor_manually(*, claim: Claim, start: int, end: int, actor) -> Claim:
    """An editor places a claim (an orphan, usually) on a span of the current text by hand.

    The claim's quote becomes the chosen span; the old one is kept in the event.
    """
    claim = Claim.objects.select_for_update(of=("self",)).select_related("article").get(pk=claim.pk)
    if claim.article is None:
        raise ValidationError(_("This claim has no article to anchor in."))
    try:
        anchor = anchor_at(claim.article.text, start, end)
    except ValidationError as error:
        raise ValidationError({"anchor_start": error.messages}) from None
    old = {"start": claim.anchor_start, "end": claim.anchor_end, "quote": claim.quote}
    claim.place_at(anchor, revision=claim.article.revisions.order_by("-number").first())
    claim.save_new_version(actor=actor)
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.REANCHORED,
        actor=actor,
        comment=_("Re-anchored by hand."),
        data={
            "old": old,
            "new": {"start": start, "end": end, "quote": anchor.exact},
            "method": "manual",
        },
    )
    return claim
