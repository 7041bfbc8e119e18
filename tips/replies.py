"""One e-mail to each reader who asked to be told, when the claim made of their question is
published.

Connected to claims.signals.claim_event_happened (tips/apps.py), which the workflow sends inside
the publishing transaction: the mail itself waits for the commit, so a publication rolled back
tells no one. Each address is marked told before its mail is sent, under a row lock: a claim
published, unpublished and published again, or two workers, never mail a reader twice (at most
once: a mail server that fails is logged, not retried).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from claims.models import Claim
from claims.visibility import is_public
from lib.site_url import absolute_url

from .models import TipContact

logger = logging.getLogger(__name__)


def replies_send_on_publish(sender, *, claim, event, **kwargs) -> None:
    if event == "claim.published":
        claim_id = claim.pk
        transaction.on_commit(lambda: tip_replies_send(claim_id=claim_id))


def tip_replies_send(*, claim_id: int) -> int:
    """Mail every reader waiting on requests made into claim `claim_id`, once; how many."""
    claim = Claim.objects.select_related("verdict").filter(pk=claim_id).first()
    if claim is None or not is_public(claim):
        return 0
    with transaction.atomic():
        contacts = list(TipContact.objects.select_for_update().filter(request__claim_id=claim_id))
        # Deleted before the mail goes: the address has served its one purpose, and a second
        # publication finds no one left to tell.
        TipContact.objects.filter(pk__in=[c.pk for c in contacts]).delete()
    messages = [_message(claim, contact) for contact in contacts]
    if not messages:
        return 0
    try:
        get_connection().send_messages(messages)
    except Exception:
        # The publication is committed; a mail server being down must not undo it.
        logger.exception("Could not send %d reply(ies) to readers' tips", len(messages))
    return len(messages)


def _message(claim: Claim, contact: TipContact) -> EmailMessage:
    # Not the request's wording: that may be another reader's, and nothing a reader sends is
    # shown to another.
    with override(contact.language):
        context = {
            "claim": claim,
            "url": absolute_url(claim.get_absolute_url()),
            "verdict": claim.verdict.label_in(contact.language) if claim.verdict else "",
        }
        subject = _("We checked the claim you sent us")
        body = render_to_string("tips/reply_email.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email])
