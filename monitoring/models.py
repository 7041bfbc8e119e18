"""Monitored media: sources an editor configures (feeds, news sitemaps, pages, transcripts), each
fetch's health log, the items read from them and their sentences as the pipeline scored them.

A sentence is *kept* when it is check-worthy or repeats a published check; the others are kept
only for FACTDESK_MONITOR_RETENTION_DAYS (monitoring.services.sentences_prune), since the desk
never looks at them again and a weekday's monitoring writes hundreds of thousands.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.detection import reason_in_language
from claims.models import Article, Claim, Topic
from sources.models import Outlet

# A run keeps at most this many reasons (lib.run_log.Reasons).
MAX_RUN_ERRORS = 50
LANGUAGE_CODE = re.compile(r"[a-z]{2}")


class MonitoredSource(models.Model):
    """Where the desk listens, and when next."""

    class Kind(models.TextChoices):
        FEED = "feed", _("RSS or Atom feed")
        NEWS_SITEMAP = "news_sitemap", _("News sitemap")
        PAGE = "page", _("Single page")
        TRANSCRIPT = "transcript", _("Transcript (uploaded or posted live)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    url = models.URLField(
        _("URL"), max_length=1000, blank=True, help_text=_("Not used by transcripts.")
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitored_sources",
        verbose_name=_("outlet"),
    )
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        help_text=_("e.g. it; leave empty to detect each sentence's language."),
    )
    speaker_name = models.CharField(
        _("speaker"),
        max_length=300,
        blank=True,
        help_text=_("Who speaks when the text does not say (a politician's own feed, a show)."),
    )
    active = models.BooleanField(_("active"), default=True)
    interval_minutes = models.PositiveIntegerField(_("every (minutes)"), default=60)
    last_run_at = models.DateTimeField(_("last fetch"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("monitored source")
        verbose_name_plural = _("monitored sources")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        # The language code alone ("it-IT" -> "it"): sentences, articles and claims made of
        # this source carry it, and a claim takes only a two-letter code (else the site's).
        language = re.split(r"[-_]", self.language.strip().lower(), maxsplit=1)[0]
        if language and not LANGUAGE_CODE.fullmatch(language):
            errors["language"] = _("A language code such as it or en.")
        self.language = language
        if self.kind != self.Kind.TRANSCRIPT and not self.url:
            errors["url"] = _("This kind of source needs a URL.")
        if self.interval_minutes is not None and self.interval_minutes < 5:
            errors["interval_minutes"] = _("At least five minutes.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_fetched(self) -> bool:
        """Transcripts come to us (upload, API); every other kind is fetched on a schedule."""
        return self.kind != self.Kind.TRANSCRIPT

    def due_after(self, when):
        return when + timedelta(minutes=self.interval_minutes)


class MonitorRun(models.Model):
    """One fetch of one source, or one transcript upload: the source's health log."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("OK")
        PARTIAL = "partial", _("Partial")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(MonitoredSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RUNNING)
    items = models.PositiveIntegerField(_("items"), default=0)
    new_items = models.PositiveIntegerField(_("new"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    sentences = models.PositiveIntegerField(_("sentences"), default=0)
    kept = models.PositiveIntegerField(_("kept"), default=0)
    # Reasons, each "where: why", at most MAX_RUN_ERRORS (then one line saying how many more).
    errors = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("monitoring run")
        verbose_name_plural = _("monitoring runs")
        indexes = [models.Index(fields=["source", "-started_at"], name="monitorrun_source_recent")]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class MonitoredItem(models.Model):
    """One article, page or transcript read from a source. The same story met twice (its
    canonical URL, or the same text under another address) is one item."""

    source = models.ForeignKey(MonitoredSource, on_delete=models.CASCADE, related_name="items")
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    canonical_url = models.CharField(max_length=2000, blank=True, editable=False)
    # sha256 of the text with its white space folded; "" for a live transcript still growing.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    published_at = models.DateTimeField(_("published or said at"), null=True, blank=True)
    speaker_name = models.CharField(_("speaker"), max_length=300, blank=True)
    is_live = models.BooleanField(_("live transcript"), default=False)
    # The desk's article made of this item when an editor opened one of its sentences as a claim.
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fetched_at = models.DateTimeField(_("read at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-fetched_at", "-pk"]
        verbose_name = _("monitored item")
        verbose_name_plural = _("monitored items")
        constraints = [
            models.UniqueConstraint(
                fields=["canonical_url"],
                condition=~Q(canonical_url=""),
                name="monitoreditem_canonical_url_unique",
            ),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(content_hash=""),
                name="monitoreditem_content_unique",
            ),
        ]

    def __str__(self):
        return self.title or self.url or f"{self.source} #{self.pk}"


class SentenceQuerySet(models.QuerySet):
    def kept(self):
        return self.filter(kept=True)

    def prunable(self, now=None):
        """Neither check-worthy nor a repeat, and older than the retention period."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.FACTDESK_MONITOR_RETENTION_DAYS)
        return self.filter(kept=False, created_at__lt=cutoff)


class MonitoredSentence(models.Model):
    """One sentence of an item, as the pipeline (claims.pipeline.text_analyse) scored it."""

    item = models.ForeignKey(MonitoredItem, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveIntegerField(_("position"))
    # Where the sentence starts in its item's text: its anchor when opened as a claim.
    start = models.PositiveIntegerField(default=0)
    text = models.TextField(_("sentence"))
    language = models.CharField(_("language"), max_length=16, blank=True)
    score = models.FloatField(_("check-worthiness"))
    reasons = models.JSONField(_("why it scored"), default=list, blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker_name = models.CharField(_("speaker"), max_length=300, blank=True)
    said_at = models.DateTimeField(_("said or published at"), null=True, blank=True)
    # Where in a recording (milliseconds from its start), for transcripts with timestamps.
    offset_ms = models.PositiveBigIntegerField(_("at (ms)"), null=True, blank=True)
    matched_claim = models.ForeignKey(
        Claim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="monitored_sentences",
        verbose_name=_("repeats the check"),
    )
    match_score = models.FloatField(_("match score"), null=True, blank=True)
    kept = models.BooleanField(_("kept"), default=False)
    # The claim an editor opened from this sentence (the morning list's action).
    opened_claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("read at"), default=timezone.now)

    objects = SentenceQuerySet.as_manager()

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("monitored sentence")
        verbose_name_plural = _("monitored sentences")
        indexes = [
            # The morning list (kept, newest) and the pruning (not kept, oldest).
            models.Index(fields=["kept", "created_at"], name="monitoredsentence_kept_day"),
            models.Index(fields=["item", "position"], name="monitoredsentence_item_pos"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def reasons_shown(self) -> list[str]:
        """Why it scored, in the active language (kept as written in English)."""
        return [reason_in_language(reason) for reason in self.reasons]
