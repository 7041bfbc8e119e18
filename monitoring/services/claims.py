"""The morning list's action: a monitored sentence opened as a claim for the desk to check."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from claims.models import CLAIM_REVIEWED_MAX_LENGTH, Article, ArticleRevision, Claim
from claims.services.articles import article_create, article_update_text
from claims.services.claims import claim_create
from claims.services.ingest import guess_language
from sources.normalization import normalize_url

from ..models import MonitoredItem, MonitoredSentence


def sentence_open_as_claim(*, sentence: MonitoredSentence, actor) -> Claim:
    """A claim for the desk to check, anchored on this sentence in an article made of its item
    (made once per item). Opening the same sentence twice gives the same claim."""
    if not actor.has_perm("claims.add_claim"):
        raise PermissionDenied(_("You may not create claims."))
    with transaction.atomic():
        # The sentence's row and its item's: two editors opening it at once make one claim,
        # and two opening two sentences of one item at once make one article of it.
        sentence = (
            MonitoredSentence.objects.select_for_update(of=("self", "item"))
            .select_related("item__source__outlet", "topic")
            .get(pk=sentence.pk)
        )
        if sentence.opened_claim_id is not None:
            return sentence.opened_claim
        item = sentence.item
        if item.article_id is None:
            item.article = _article_for(item, sentence, actor)
            item.save(update_fields=["article"])
        else:
            _article_caught_up(item, actor)
        claim = claim_create(
            quote=sentence.text,
            # The summary an editor rewrites; a long sentence must not stop it being opened.
            claim_reviewed=Truncator(sentence.text).chars(CLAIM_REVIEWED_MAX_LENGTH),
            article=item.article,
            anchor_start=sentence.start if item.article.text == item.text else None,
            claimant=sentence.speaker_name,
            claimed_on=sentence.said_at.date() if sentence.said_at else None,
            language=sentence.language if len(sentence.language) == 2 else "",
            topics=[sentence.topic] if sentence.topic_id else [],
            created_by=actor,
        )
        sentence.opened_claim = claim
        sentence.save(update_fields=["opened_claim"])
        return claim


def _article_caught_up(item: MonitoredItem, actor) -> None:
    """A live transcript goes on after its article was made: the article takes the lines said
    since, so their sentences can be anchored in it. Only when the item's text extends the
    article's: an article an editor has edited since is theirs, and is left as it is."""
    article = item.article
    if article.text != item.text and item.text.startswith(article.text):
        article_update_text(
            article=article,
            text=item.text,
            actor=actor,
            origin=ArticleRevision.Origin.FETCHED,
            note=_("Lines said since, from the live transcript."),
        )
        article.refresh_from_db()


def _article_for(item: MonitoredItem, sentence: MonitoredSentence, actor):
    source = item.source
    if item.url:
        # The desk may have this page already (pasted, or fetched by hand): the claim goes in
        # that article, since an address is one article.
        try:
            known = Article.objects.filter(url=normalize_url(item.url)).first()
        except ValidationError:
            known = None
        if known is not None:
            return known
    language = item.language or guess_language(item.text) or sentence.language
    return article_create(
        title=(item.title or str(source))[:500],
        text=item.text,
        language=language if len(language) == 2 else settings.LANGUAGE_CODE[:2],
        url=item.url,
        outlet=source.outlet,
        published_on=item.published_at.date() if item.published_at else None,
        origin=ArticleRevision.Origin.FETCHED if item.url else ArticleRevision.Origin.PASTED,
        created_by=actor,
    )
