"""Internal comments between colleagues on a claim. Never public."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Claim, ClaimComment
from ..permissions import require_person

# "@giulia" mentions a colleague by username; an e-mail address ("a@b.it") is not a mention.
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+)")


def mentioned_users(body: str):
    """Active desk members named with @username in `body`."""
    names = {name.rstrip(".") for name in MENTION.findall(body)}
    if not names:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(username__in=names, is_active=True, is_staff=True)


@transaction.atomic
def comment_add(*, claim: Claim, author, body: str) -> ClaimComment:
    """Add an internal note to a claim; colleagues it @mentions get an email."""
    require_person(author)
    if not author.has_perm("claims.add_claimcomment"):
        raise PermissionDenied(_("You do not have permission to comment on claims."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    comment = ClaimComment.objects.create(claim=claim, author=author, body=body)
    mentioned = [user for user in mentioned_users(body) if user.pk != author.pk]
    if mentioned:
        comment.mentions.set(mentioned)
        notifications.notify_mentioned(comment=comment, users=mentioned)
    return comment
