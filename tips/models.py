"""Readers' tips: what readers (the web form) and tipline bots (the API) ask the desk to check.

- `TipRequest` is one question, however many readers asked it and in whichever words or
  languages: the desk's unit of work, with a count and when it was first and last asked.
- `Tip` is one wording of it. Identical wordings (a flood, a forwarded chain message) bump the
  same row's count rather than adding rows, so a flood costs the desk nothing.
- `TipRequestDay` counts asks per day, for "asked 37 times this week" without keeping a row
  per ask.
- `TipContact` holds the only personal data: an e-mail address for the reply. It lives in its
  own table, is shown only to staff holding `tips.view_tipcontact`, and is deleted after
  TIPS_CONTACT_RETENTION_DAYS (tips.services.tip_contacts_purge).

Nothing here is ever shown on a public page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 1000
MAX_LINK = 2000


class TipChannel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("Tipline (API)")


class TipRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered by a published check")
    CLAIMED = "claimed", _("Made a claim")
    DISMISSED = "dismissed", _("Dismissed")
    MERGED = "merged", _("Merged into another request")


class TipRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests new tips may still join: not dismissed, not merged away."""
        return self.filter(
            status__in=[
                TipRequestStatus.OPEN,
                TipRequestStatus.ANSWERED,
                TipRequestStatus.CLAIMED,
            ]
        )


class TipRequest(models.Model):
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField(_("question"), help_text=_("The first wording readers sent."))
    link = models.URLField(_("link"), max_length=MAX_LINK, blank=True)
    language = models.CharField(_("language of the question"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TipRequestStatus, default=TipRequestStatus.OPEN
    )
    count = models.PositiveIntegerField(_("times asked"), default=0)
    first_seen = models.DateTimeField(_("first asked"), default=timezone.now)
    last_seen = models.DateTimeField(_("last asked"), default=timezone.now)
    # The published check that answered the question at once, if one did.
    matched_claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    matched_fact_check = models.ForeignKey(
        "factchecks.ExternalFactCheck",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by another organisation's check"),
    )
    # The claim the desk made of it: readers who asked are told when it is published.
    claim = models.ForeignKey(
        "claims.Claim",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claim made of it"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = TipRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("tip request")
        verbose_name_plural = _("tip requests")
        indexes = [models.Index(fields=["status", "-last_seen"], name="tiprequest_open_recent")]
        permissions = [("merge_tiprequest", _("Can merge tip requests"))]

    def __str__(self):
        return self.text[:80]


class Tip(models.Model):
    """One wording of a request; identical wordings share the row and its count."""

    request = models.ForeignKey(TipRequest, on_delete=models.CASCADE, related_name="tips")
    text = models.TextField(_("tip"))
    link = models.URLField(_("link"), max_length=MAX_LINK, blank=True)
    language = models.CharField(_("language of the tip"), max_length=16, blank=True)
    reader_language = models.CharField(
        _("reader's language"), max_length=16, choices=settings.LANGUAGES
    )
    channel = models.CharField(_("channel"), max_length=8, choices=TipChannel)
    # sha256 of the normalised wording: a flood of identical tips finds its row by index.
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    count = models.PositiveIntegerField(_("times sent"), default=1)
    first_seen = models.DateTimeField(_("first sent"), default=timezone.now)
    last_seen = models.DateTimeField(_("last sent"), default=timezone.now)
    # The wording's embedding (lib.vector_math.encode) and the model that made it: a new tip
    # is compared with every wording of a request (its translations, its typos) without
    # embedding them again.
    vector = models.BinaryField(null=True, blank=True, editable=False)
    vector_model = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["-last_seen", "-pk"]
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        # Grouping reads the newest wordings first, up to TIPS_GROUP_CANDIDATES of them.
        indexes = [models.Index(fields=["-last_seen", "-id"], name="tip_newest")]

    def __str__(self):
        return self.text[:80]


class TipRequestDay(models.Model):
    request = models.ForeignKey(TipRequest, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "day"], name="tiprequestday_unique")
        ]

    def __str__(self):
        return f"{self.day}: {self.count}"


class TipContact(models.Model):
    """A reader's address for one reply. Personal data: kept apart, shown to the desk only."""

    request = models.ForeignKey(TipRequest, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("reply language"), max_length=16, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("left at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("tip contact")
        verbose_name_plural = _("tip contacts")
        constraints = [
            # One reply per reader per request, however many times they sent the tip.
            models.UniqueConstraint(fields=["request", "email"], name="tipcontact_once")
        ]

    def __str__(self):
        return self.email
