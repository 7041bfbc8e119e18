"""Other organisations' fact-checks, harvested from their ClaimReview markup.

Kept apart from the desk's own claims on purpose: nothing here is the desk's work, so nothing
here is ever published, exported or listed as the desk's (the desk's feeds, sitemap, reader
pages and claim API read claims.Claim only). "Checked before?" shows these beside the desk's
claims, labelled as another organisation's, and an editor may cite one as evidence.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A run keeps at most this many reasons: a feed of 10,000 broken items must not write 10,000.
MAX_RUN_ERRORS = 50


class FactCheckSource(models.Model):
    """Where fact-checks are harvested from, and when next."""

    class Kind(models.TextChoices):
        DATAFEED = "datafeed", _("ClaimReview DataFeed (JSON)")
        SITEMAP = "sitemap", _("Sitemap of fact-check pages")
        PAGE = "page", _("Page with JSON-LD")
        RSS = "rss", _("RSS or Atom feed of fact-check pages")
        GOOGLE_API = "google_api", _("Google Fact Check Tools search")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    url = models.URLField(
        _("URL"), max_length=1000, blank=True, help_text=_("Not used by the Google search.")
    )
    query = models.CharField(
        _("query"),
        max_length=500,
        blank=True,
        help_text=_("Google search only: the words to search fact-checks for."),
    )
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("Google search only: e.g. it.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    interval_hours = models.PositiveIntegerField(_("every (hours)"), default=24)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fact-check source")
        verbose_name_plural = _("fact-check sources")

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.GOOGLE_API:
            if not self.query.strip():
                raise ValidationError({"query": _("A Google search needs words to search for.")})
        elif not self.url:
            raise ValidationError({"url": _("This kind of source needs a URL.")})
        if self.interval_hours < 1:
            raise ValidationError({"interval_hours": _("At least one hour.")})

    def is_due(self, now=None) -> bool:
        now = now or timezone.now()
        return self.enabled and (self.next_due_at is None or self.next_due_at <= now)

    def due_after(self, when) -> "timezone.datetime":
        return when + timedelta(hours=self.interval_hours)


class HarvestRun(models.Model):
    """One harvest of one source: the source's health log."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("OK")
        PARTIAL = "partial", _("Partial")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(FactCheckSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RUNNING)
    seen = models.PositiveIntegerField(_("seen"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # Reasons, each "where: why", at most MAX_RUN_ERRORS (then one line saying how many more).
    errors = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")
        indexes = [models.Index(fields=["source", "-started_at"], name="harvestrun_source_recent")]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class ExternalFactCheck(models.Model):
    """Another organisation's review of a claim, as they published it.

    The review URL, normalised, is the key: harvesting the same review from a feed, a page and
    Google's search updates one row.
    """

    review_url = models.URLField(_("review URL"), max_length=2000)
    normalized_url = models.CharField(max_length=2000, unique=True, editable=False)
    claim_reviewed = models.TextField(_("claim reviewed"))
    title = models.CharField(_("title"), max_length=500, blank=True)
    # The rating exactly as they gave it: their words, and their scale's numbers if any.
    rating_text = models.CharField(_("rating"), max_length=500)
    rating_value = models.CharField(max_length=50, blank=True)
    rating_best = models.CharField(max_length=50, blank=True)
    rating_worst = models.CharField(max_length=50, blank=True)
    organization_name = models.CharField(_("organisation"), max_length=300, blank=True)
    organization_url = models.CharField(_("organisation URL"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    reviewed_at = models.DateTimeField(_("review date"), null=True, blank=True)
    claimant = models.CharField(_("claimant"), max_length=500, blank=True)
    appearance_urls = models.JSONField(_("where the claim appeared"), default=list, blank=True)
    raw = models.JSONField(_("the review as harvested"), default=dict)
    source = models.ForeignKey(
        FactCheckSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fact_checks",
    )
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("external fact-check")
        verbose_name_plural = _("external fact-checks")
        indexes = [models.Index(fields=["language", "-reviewed_at"], name="factcheck_lang_date")]

    def __str__(self):
        return f"{self.organization_name or '?'}: {self.claim_reviewed[:80]}"


class ExternalFactCheckEmbedding(models.Model):
    """A fact-check's claim as a vector, with ClaimEmbedding's column contract (id, vector as
    float32 little-endian bytes of unit length, model, updated_at) so that a second
    lib.vector_index.VectorIndex over a TableSource of this table searches it."""

    fact_check = models.OneToOneField(
        ExternalFactCheck, primary_key=True, on_delete=models.CASCADE, related_name="embedding"
    )
    model = models.CharField(max_length=100)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("external fact-check embedding")
        verbose_name_plural = _("external fact-check embeddings")

    def __str__(self):
        return f"{self.fact_check_id} ({self.model})"
