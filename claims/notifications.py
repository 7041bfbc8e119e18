"""Email colleagues when a claim lands on their desk.

Mail goes out only after the transaction commits (`transaction.on_commit`): a step that is
rolled back never tells anyone it happened. The backend is settings.EMAIL_BACKEND (console by
default, SMTP by settings).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.site_url import absolute_url

logger = logging.getLogger(__name__)


def _admin_url(claim) -> str:
    return absolute_url(reverse("admin:claims_claim_change", args=[claim.pk]))


def _display(user) -> str:
    return user.get_full_name() or user.get_username()


def _send(messages) -> None:
    try:
        send_mass_mail(messages)
    except Exception:
        # The step itself is committed; a mail server being down must not turn it into an
        # error page. The log says who was not told.
        logger.exception("Could not send %d desk notification(s)", len(messages))


def _send_later(messages: list[tuple[str, str, str, list[str]]]) -> None:
    if messages:
        transaction.on_commit(lambda: _send(messages))


def notify_assigned(*, claim, assignee, actor) -> None:
    """Tell `assignee` a colleague gave them a claim (taking one yourself sends nothing)."""
    if assignee is None or assignee == actor or not assignee.email:
        return
    subject = _("Claim assigned to you: %(claim)s") % {"claim": claim.claim_reviewed[:80]}
    body = _("%(actor)s assigned you this claim:\n\n%(claim)s\n\n%(url)s\n") % {
        "actor": _display(actor) if actor else _("Factdesk"),
        "claim": claim.claim_reviewed,
        "url": _admin_url(claim),
    }
    _send_later([(subject, body, settings.DEFAULT_FROM_EMAIL, [assignee.email])])


def reviewers_for(claim, *, submitter):
    """Who should hear that a claim waits for review: its named reviewer, else every editor
    who may approve it (not the submitter: the two-person rule)."""
    if claim.reviewer_id and claim.reviewer_id != getattr(submitter, "pk", None):
        return [claim.reviewer] if claim.reviewer.email else []
    User = get_user_model()
    editors = User.objects.with_perm(
        "claims.publish_claim",
        include_superusers=False,
    ).filter(is_active=True, is_staff=True)
    if submitter is not None and settings.FACTDESK_REQUIRE_SECOND_REVIEWER:
        editors = editors.exclude(pk=submitter.pk)
    return list(editors.exclude(email="").only("email", "username", "first_name", "last_name"))


def notify_review_waiting(*, claim, submitter) -> None:
    subject = _("Waiting for your review: %(claim)s") % {"claim": claim.claim_reviewed[:80]}
    body = _("%(actor)s submitted this claim for review:\n\n%(claim)s\n\n%(url)s\n") % {
        "actor": _display(submitter) if submitter else _("Factdesk"),
        "claim": claim.claim_reviewed,
        "url": _admin_url(claim),
    }
    _send_later(
        [
            (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            for user in reviewers_for(claim, submitter=submitter)
        ]
    )


def notify_mentioned(*, comment, users) -> None:
    claim = comment.claim
    subject = _("%(author)s mentioned you on: %(claim)s") % {
        "author": _display(comment.author),
        "claim": claim.claim_reviewed[:80],
    }
    body = f"{comment.body}\n\n{_admin_url(claim)}\n"
    _send_later(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users if user.email]
    )
