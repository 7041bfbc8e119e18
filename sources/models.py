"""Where evidence comes from: outlets (publishers) and sources (one document at one URL)."""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.origins import parse_origins, validate_origins
from lib.text import strip_bidi_controls
from lib.url_shapes import reverse

from .normalization import normalize_domain, normalize_url


class Reliability(models.TextChoices):
    """How far a desk trusts an outlet by default. Documented in docs/workflow.md."""

    RELIABLE = "reliable", _("Reliable")
    MIXED = "mixed", _("Mixed")
    UNRELIABLE = "unreliable", _("Unreliable")
    DEPRECATED = "deprecated", _("Deprecated")
    UNRATED = "unrated", _("Unrated")


class Outlet(models.Model):
    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        help_text=_("Bare host name, e.g. wsj.com; stored lower-case without www."),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code, e.g. IT.")
    )
    language = models.CharField(_("language"), max_length=16, blank=True)
    reliability = models.CharField(
        _("reliability"), max_length=16, choices=Reliability, default=Reliability.UNRATED
    )
    reliability_note = models.TextField(_("reliability note"), blank=True)
    # The publisher's pages that may show our verdicts with the embed script (CORS on the
    # embed endpoint, claims/embed.py): one origin per line.
    embed_origins = models.TextField(
        _("embed origins"),
        blank=True,
        default="",
        db_default="",  # old rows need no rewrite when the column is added
        validators=[validate_origins],
        help_text=_(
            "Sites allowed to show this publisher's checks with the embed script, one per line, "
            "e.g. https://www.example.com."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        permissions = [("rate_outlet", "Can set an outlet's reliability rating")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:outlet", domain=self.domain)

    def clean(self):
        self.name = strip_bidi_controls(self.name)  # shown inline beside claims
        if self.domain:
            self.domain = normalize_domain(self.domain)
        self.country = self.country.upper()
        # Stored as browsers send them, so the CORS check is a plain comparison.
        # A bad line is left as written: the field's validator reports it against the field.
        with suppress(ValidationError):
            self.embed_origins = "\n".join(parse_origins(self.embed_origins))

    @property
    def allowed_origins(self) -> list[str]:
        """The origins that may embed this publisher's checks (ignoring a line that no longer
        parses rather than failing a reader's request)."""
        origins = []
        for line in self.embed_origins.splitlines():
            try:
                origins.extend(parse_origins(line))
            except ValidationError:
                continue
        return origins


class SourceKind(models.TextChoices):
    PRIMARY_DOCUMENT = "primary", _("Primary document")
    OFFICIAL_STATEMENT = "official", _("Official statement")
    DATASET = "dataset", _("Dataset")
    NEWS_REPORT = "news", _("News report")
    INTERVIEW = "interview", _("Interview")
    SOCIAL_MEDIA_POST = "social", _("Social media post")
    OTHER = "other", _("Other")


class SourceQuerySet(models.QuerySet):
    def dead_links(self):
        return self.filter(link_status_code__isnull=False).exclude(
            link_status_code__range=(200, 399)
        )


class Source(models.Model):
    """One piece of evidence at one URL. The normalised URL is unique, so a page is stored once."""

    url = models.URLField(_("URL"), max_length=2000)
    normalized_url = models.CharField(max_length=2000, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=500, blank=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="sources"
    )
    authors = models.CharField(
        _("authors"), max_length=500, blank=True, help_text=_("Comma-separated names.")
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind, default=SourceKind.OTHER)
    archive_url = models.URLField(_("archived copy"), max_length=2000, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    link_checked_at = models.DateTimeField(_("link last checked"), null=True, blank=True)
    link_status_code = models.PositiveSmallIntegerField(
        _("HTTP status"),
        null=True,
        blank=True,
        help_text=_("Status of the last link check; 0 means the server could not be reached."),
    )
    link_error = models.CharField(_("link error"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [models.Index(fields=["link_status_code"], name="source_link_status_idx")]

    def __str__(self):
        return self.title or self.normalized_url

    def save(self, *args, **kwargs):
        # The canonical URL is derived data; keeping it in step here means no door can store a
        # source whose unique key disagrees with its URL.
        if self.url:
            self.normalized_url = normalize_url(self.url)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:source", pk=self.pk)

    def clean(self):
        self.authors = strip_bidi_controls(self.authors)  # shown inline on the source's page
        if self.url:
            self.normalized_url = normalize_url(self.url)
            duplicate = Source.objects.filter(normalized_url=self.normalized_url).exclude(
                pk=self.pk
            )
            if duplicate.exists():
                raise ValidationError(
                    {
                        "url": _("This page is already stored as source #%(id)s.")
                        % {"id": duplicate.values_list("pk", flat=True).first()}
                    },
                    code="duplicate_source",
                )

    @property
    def is_dead(self) -> bool:
        """True when the last link check failed (an archived copy should be offered instead)."""
        return self.link_status_code is not None and not 200 <= self.link_status_code < 400
