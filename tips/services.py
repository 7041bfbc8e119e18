"""Every write on readers' tips: the form, the tipline API, the admin and the commands all call
these."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import F, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.services import claim_create
from lib.embedding import get_embedder
from lib.text import validate_plain_text
from lib.vector_math import encode

from . import limits
from .answers import Answer, tip_answer
from .grouping import fingerprint, request_for
from .models import (
    MAX_LINK,
    MAX_TEXT,
    Tip,
    TipContact,
    TipRequest,
    TipRequestDay,
    TipRequestStatus,
)

MIN_TEXT = 10
# Anything that looks like markup: a tag, a comment or a doctype, opened as HTML opens them
# ("<" then a letter, "!", "/" or "?"; "< 5%" is text). Tips are plain text; a reader's "<b>"
# is refused rather than escaped and kept, so nothing the desk reads renders it.
# tips/api/serializers.py states the same rule as the schema's pattern.
HTML = re.compile(r"<[a-zA-Z!/?]")


class TipRateLimited(Exception):
    """Too many tips from one client or for one contact address; try again later."""


@dataclass
class TipOutcome:
    request: TipRequest
    tip: Tip
    answer: Answer
    new_request: bool


def _cleaned(*, text: str, link: str, email: str, notify: bool, reader_language: str):
    errors = {}
    # A line break counts one character however it was sent: the length is the reader's.
    raw = (text or "").replace("\r\n", "\n").strip()
    try:
        validate_plain_text(raw)
    except ValidationError as error:
        errors["text"] = error.messages
    if "text" in errors:
        pass
    elif len(raw) < MIN_TEXT:
        message = _("Write the claim you want checked (at least %d characters).")
        errors["text"] = [message % MIN_TEXT]
    elif len(raw) > MAX_TEXT:
        errors["text"] = [_("Keep it under %d characters.") % MAX_TEXT]
    elif HTML.search(raw):
        errors["text"] = [_("Send plain text only, without HTML.")]
    text = " ".join(raw.split())
    link = (link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
            if len(link) > MAX_LINK:
                raise ValidationError("")
        except ValidationError:
            errors["link"] = [_("Give the address of a web page (https://...).")]
    email = (email or "").strip()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = [_("This is not an e-mail address.")]
    if notify and not email:
        errors["email"] = [_("Leave an address if you want to be told when it is checked.")]
    if reader_language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the site's languages.")]
    if errors:
        raise ValidationError(errors)
    return text, link, email


def tip_submit(
    *,
    text: str,
    link: str = "",
    email: str = "",
    notify: bool = False,
    reader_language: str,
    channel: str,
    sender: str | None = None,
) -> TipOutcome:
    """Take a reader's tip: validate it, answer it from the published checks if one matches
    with confidence, and file it under the request that asks the same thing (a new one if
    none does).

    `sender` is who the per-client limit counts (a client address, a tipline's reader id);
    None for a caller limited elsewhere. Raises ValidationError (field messages) or
    TipRateLimited and then writes nothing. The address is kept only when the reader asked
    to be told and the tip is not answered already.
    """
    text, link, email = _cleaned(
        text=text, link=link, email=email, notify=notify, reader_language=reader_language
    )
    if sender is not None and not limits.tip_allowed_from(sender):
        raise TipRateLimited()
    if notify and not limits.tip_allowed_for_contact(email):
        raise TipRateLimited()
    # The model call and the matching run before the transaction: no lock is held meanwhile.
    answer = tip_answer(text)
    request = request_for(text, vector=answer.vector)
    with transaction.atomic():
        request, new_request = _filed(request, text=text, link=link, answer=answer)
        tip = _tip_counted(
            request,
            new_request=new_request,
            text=text,
            link=link,
            vector=answer.vector,
            language=answer.language,
            reader_language=reader_language,
            channel=channel,
        )
        # One reader whatever the case they wrote their address in (else two replies). The
        # request's row is locked (_filed), so no other tip adds its address meanwhile.
        if notify and not answer.found and (new_request or not _contact_known(request, email)):
            TipContact.objects.create(request=request, email=email, language=reader_language)
    return TipOutcome(request=request, tip=tip, answer=answer, new_request=new_request)


def _contact_known(request: TipRequest, email: str) -> bool:
    return TipContact.objects.filter(request=request, email__iexact=email).exists()


def _filed(request: TipRequest | None, *, text: str, link: str, answer: Answer):
    now = timezone.now()
    today = timezone.localdate(now)  # the desk's day, as the admin's "this week" counts it
    if request is not None:
        request = TipRequest.objects.select_for_update().get(pk=request.pk)
        # Merged away since it was chosen (outside the lock): the tip goes where it went.
        while request.status == TipRequestStatus.MERGED and request.merged_into_id:
            request = TipRequest.objects.select_for_update().get(pk=request.merged_into_id)
        if request.status in (TipRequestStatus.DISMISSED, TipRequestStatus.MERGED):
            # Dismissed meanwhile (or merged into a request since deleted): new tips do not
            # join it (its readers' addresses were deleted, no reply will be sent): they ask
            # afresh.
            request = None
    new = request is None
    if new:
        request = TipRequest(text=text, link=link, language=answer.language, first_seen=now)
    request.count += 1
    request.last_seen = now
    request.link = request.link or link
    request.note = request.note or answer.note
    if answer.claims and request.matched_claim_id is None:
        request.matched_claim = answer.claims[0].claim
    if answer.fact_checks and request.matched_fact_check_id is None:
        request.matched_fact_check = answer.fact_checks[0].fact_check
    if answer.found and request.status == TipRequestStatus.OPEN:
        request.status = TipRequestStatus.ANSWERED
    request.save()
    # A new request has no day yet: one INSERT; an old one most often has today's already.
    updated = not new and TipRequestDay.objects.filter(request=request, day=today).update(
        count=F("count") + 1
    )
    if not updated:
        TipRequestDay.objects.create(request=request, day=today, count=1)
    return request, new


def _tip_counted(
    request: TipRequest, *, new_request: bool, text: str, link: str, vector, **fields
) -> Tip:
    now = timezone.now()
    digest = fingerprint(text)
    tip = None if new_request else Tip.objects.filter(request=request, fingerprint=digest).first()
    if tip is not None:
        Tip.objects.filter(pk=tip.pk).update(count=F("count") + 1, last_seen=now)
        return tip
    if vector is not None:
        fields.update(vector=encode(vector), vector_model=get_embedder().name)
    return Tip.objects.create(
        request=request,
        text=text,
        link=link,
        fingerprint=digest,
        first_seen=now,
        last_seen=now,
        **fields,
    )


def _require(actor, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def tip_request_claim_create(*, request: TipRequest, actor):
    """Make a claim of a request (through claims' own claim_create). The request keeps its
    link and count and points at the claim; its readers are told when the claim is published."""
    _require(actor, "claims.add_claim")
    request = TipRequest.objects.select_for_update().get(pk=request.pk)
    if request.claim_id is not None:
        raise ValidationError(_("A claim was already made of this request."))
    if request.status in (TipRequestStatus.DISMISSED, TipRequestStatus.MERGED):
        raise ValidationError(_("This request was dismissed or merged; reopen it first."))
    language = request.language if request.language in dict(settings.LANGUAGES) else ""
    claim = claim_create(
        quote=request.text,
        claim_reviewed=request.text[:140],
        language=language or settings.LANGUAGE_CODE,
        created_by=actor,
    )
    request.claim = claim
    request.status = TipRequestStatus.CLAIMED
    request.save(update_fields=["claim", "status"])
    return claim


@transaction.atomic
def tip_requests_merge(*, target: TipRequest, others, actor) -> TipRequest:
    """Fold `others` into `target`: their tips, readers' addresses and daily counts move, the
    counts add up, and they are kept as "merged into" it (not deleted: the record stays)."""
    _require(actor, "tips.merge_tiprequest")
    ids = [other.pk for other in others if other.pk != target.pk]
    locked = list(TipRequest.objects.select_for_update().filter(pk__in=[target.pk, *ids]))
    target = next(request for request in locked if request.pk == target.pk)
    others = [request for request in locked if request.pk != target.pk]
    if not others:
        raise ValidationError(_("Choose at least two requests to merge."))
    # The target too: another editor may have merged it away since this one's list was
    # drawn, and tips moved onto a merged request would never hear of its claim.
    if any(request.status == TipRequestStatus.MERGED for request in locked):
        raise ValidationError(_("A request that was already merged cannot be merged again."))
    Tip.objects.filter(request__in=others).update(request=target)
    known = {
        email.casefold()
        for email in TipContact.objects.filter(request=target).values_list("email", flat=True)
    }
    _contacts_moved(others, target, known)
    _days_moved(others, target)
    span = TipRequest.objects.filter(pk__in=[target.pk, *ids]).aggregate(
        first=Min("first_seen"), last=Max("last_seen"), count=Sum("count")
    )
    target.count, target.first_seen, target.last_seen = span["count"], span["first"], span["last"]
    target.link = target.link or next((o.link for o in others if o.link), "")
    # A claim made of any of them, or a check that answered any of them, now serves them all:
    # the readers moved here are told when that claim is published.
    claimed = next((o for o in others if o.claim_id), None)
    if target.claim_id is None and claimed is not None:
        target.claim_id, target.status = claimed.claim_id, TipRequestStatus.CLAIMED
    target.matched_claim_id = target.matched_claim_id or next(
        (o.matched_claim_id for o in others if o.matched_claim_id), None
    )
    target.save(
        update_fields=[
            "count",
            "first_seen",
            "last_seen",
            "link",
            "claim",
            "status",
            "matched_claim",
        ]
    )
    TipRequest.objects.filter(pk__in=ids).update(status=TipRequestStatus.MERGED, merged_into=target)
    return target


def _contacts_moved(others, target, known: set[str]):
    """Move the readers' addresses of `others` to `target`, once per address (`known`: the
    target's own, case folded)."""
    seen = set(known)
    for contact in TipContact.objects.filter(request__in=others).order_by("created_at", "pk"):
        if contact.email.casefold() in seen:
            contact.delete()
        else:
            seen.add(contact.email.casefold())
    TipContact.objects.filter(request__in=others).update(request=target)


def _days_moved(others, target):
    for day in TipRequestDay.objects.filter(request__in=others):
        updated = TipRequestDay.objects.filter(request=target, day=day.day).update(
            count=F("count") + day.count
        )
        if updated:
            day.delete()
        else:
            TipRequestDay.objects.filter(pk=day.pk).update(request=target)


@transaction.atomic
def tip_request_dismiss(*, request: TipRequest, actor) -> TipRequest:
    """Set a request aside. The readers' addresses go at once: no reply will ever be sent."""
    _require(actor, "tips.change_tiprequest")
    request = TipRequest.objects.select_for_update().get(pk=request.pk)
    request.status = TipRequestStatus.DISMISSED
    request.save(update_fields=["status"])
    TipContact.objects.filter(request=request).delete()
    return request


def tip_contacts_purge(*, now=None) -> int:
    """Delete the readers' addresses left more than TIPS_CONTACT_RETENTION_DAYS ago; how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TIPS_CONTACT_RETENTION_DAYS)
    deleted, _by_model = TipContact.objects.filter(created_at__lt=cutoff).delete()
    return deleted
