"""Articles, the claims anchored in them, verdicts, evidence and the record of the desk's work."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claimants.models import Claimant
from lib.claimreview_markup import parse_when
from lib.text import strip_bidi_controls, validate_plain_text
from lib.url_shapes import reverse
from sources.models import Outlet, Source
from sources.normalization import normalize_url

from .choices import AnchorState, ClaimStatus, SightingOrigin, SightingStatus
from .markdown import render_markdown
from .querysets import ClaimQuerySet, SightingQuerySet

CLAIM_REVIEWED_MAX_LENGTH = 140
ANCHOR_CONTEXT_LENGTH = 32
# A translated evidence note is a few sentences, like the note it translates.
EVIDENCE_NOTE_MAX_LENGTH = 5000


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Article(models.Model):
    """A published piece whose text holds the claims. `text` is always the latest revision."""

    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    language = models.CharField(_("language"), max_length=16)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_precision = models.CharField(
        _("date precision"),
        max_length=8,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How much of the publication date is known (the demo article: month only)."),
    )
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique_when_set"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("claims:article", slug=self.slug)

    def clean(self):
        if self.url:
            self.url = normalize_url(self.url)
        errors = {}
        # Every door (admin, API, command, fetched pages) creates articles through full_clean.
        for name in ("title", "byline", "text"):
            try:
                validate_plain_text(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)


class ArticleRevision(models.Model):
    """One version of an article's text. Revisions are never edited or deleted."""

    class Origin(models.TextChoices):
        PASTED = "pasted", _("Pasted")
        FETCHED = "fetched", _("Fetched from URL")
        EDITED = "edited", _("Edited")
        DEMO = "demo", _("Demo data")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.PASTED)
    fetched_url = models.URLField(max_length=2000, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.article} (rev. {self.number})"


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class TopicListing(models.Model):
    """One row per (topic, claim) link, carrying the claim's status, language, verdict, claimant
    and first publication time: the claims list filtered by a topic walks one index here in the
    list's order, whatever other list filter it is combined with.

    Without it, "topic X and language it" joined the topic's 33,000 links to the 100,000
    Italian claims to find none in common (466 ms at a million claims). Written by database
    triggers only (migration 0015_lists_topic_listing), never by Python: every door that
    changes a claim's status, language or publication time, or its topics (services, admin,
    imports, QuerySet.update(), raw SQL), is then kept in step, in the same transaction.
    """

    # No index of their own: the unique constraint leads with the claim, the indexes with the
    # topic.
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+", db_index=False)
    claim = models.ForeignKey(
        "Claim", on_delete=models.CASCADE, related_name="topic_listings", db_index=False
    )
    status = models.CharField(max_length=16)
    language = models.CharField(max_length=16)
    published_at = models.DateTimeField(null=True)
    # No constraint of its own: the claim's verdict is protected (PROTECT), and the listing
    # copies it.
    verdict = models.ForeignKey(
        "VerdictRating",
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # Likewise the claim's claimant (protected too).
    speaker = models.ForeignKey(
        "claimants.Claimant",
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "topic"], name="topic_listing_unique"),
        ]
        indexes = [
            # The list's order (-published_at, -id) after the equalities it filters by.
            models.Index(
                fields=["topic", "status", "-published_at", "-claim"], name="topic_listing_idx"
            ),
            models.Index(
                fields=["topic", "status", "language", "-published_at", "-claim"],
                name="topic_listing_language_idx",
            ),
            models.Index(
                fields=["topic", "status", "verdict", "-published_at", "-claim"],
                name="topic_listing_verdict_idx",
            ),
            models.Index(
                fields=["topic", "status", "speaker", "-published_at", "-claim"],
                name="topic_listing_speaker_idx",
            ),
        ]

    def __str__(self):
        return f"{self.topic_id}: {self.claim_id}"


class VerdictRating(models.Model):
    """One step of the verdict scale. Editors maintain the scale; nothing hard-codes it.

    `rating_value` is ClaimReview's ratingValue (1 = worst). A rating off the true/false
    scale (Unverifiable) has none.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_en = models.CharField(_("label (English)"), max_length=60)
    label_it = models.CharField(_("label (Italian)"), max_length=60)
    description_en = models.TextField(_("meaning (English)"))
    description_it = models.TextField(_("meaning (Italian)"))
    rating_value = models.PositiveSmallIntegerField(
        _("rating value"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("ClaimReview ratingValue: 1 is the worst. Empty for ratings off the scale."),
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour like #b3261e."))],
    )
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_(
            "Other organisations' ratings that mean the same, one per line (e.g. Falso, "
            "Pants on Fire). Used to map imported ClaimReviews; matched ignoring case."
        ),
    )
    requires_methods_note = models.BooleanField(
        _("needs a note on what was tried"),
        default=False,
        help_text=_("For ratings like Unverifiable: the rationale must say what was tried."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("verdict rating")
        verbose_name_plural = _("verdict scale")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True) | Q(rating_value__gte=1),
                name="verdict_rating_value_from_one",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The label in the reader's interface language."""
        return self.label_in(get_language() or "")

    @property
    def description(self) -> str:
        return (
            self.description_it if (get_language() or "").startswith("it") else self.description_en
        )

    def label_in(self, language: str) -> str:
        """The label in a content language (a claim's), English when we have no such label."""
        return self.label_it if (language or "").startswith("it") else self.label_en

    def alias_set(self) -> set[str]:
        names = {self.code, self.label_en, self.label_it, *self.aliases.splitlines()}
        return {name.strip().casefold() for name in names if name.strip()}


class Claim(models.Model):
    """A checkable statement, anchored to its exact span in an article.

    The anchor follows the W3C Web Annotation selectors: TextQuote (quote + prefix + suffix)
    and TextPosition (start, end) into `article.text`.
    """

    # What was said, by whom, and through whom.
    quote = models.TextField(_("claim as stated"))
    claim_reviewed = models.CharField(
        _("short wording"),
        max_length=500,
        help_text=_(
            "Neutral, at most 140 characters, no verdict in it (ClaimReview claimReviewed)."
        ),
    )
    # The claimant as a record, tracked across claims (claimants/). The text fields below are
    # the name as this claim credits it ("a Kazakh official"), kept as written.
    speaker = models.ForeignKey(
        Claimant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("claimant record"),
    )
    claimant = models.CharField(_("claimant"), max_length=200, blank=True)
    claimant_is_organization = models.BooleanField(
        _("claimant is an organisation"),
        default=False,
        help_text=_("Marks the claimant as an Organization rather than a Person in ClaimReview."),
    )
    claimant_url = models.URLField(
        _("claimant identifier"),
        max_length=500,
        blank=True,
        help_text=_("A URL that identifies the claimant, e.g. their Wikidata page."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_(
            'Through whom it was reported, e.g. "a Kazakh official, as reported by the WSJ".'
        ),
    )
    claimed_on = models.DateField(_("claim made on"), null=True, blank=True)

    # Where it appears.
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    anchor_prefix = models.CharField(max_length=200, blank=True)
    anchor_suffix = models.CharField(max_length=200, blank=True)
    anchor_start = models.PositiveIntegerField(null=True, blank=True)
    anchor_end = models.PositiveIntegerField(null=True, blank=True)
    anchor_state = models.CharField(max_length=10, choices=AnchorState, default=AnchorState.NONE)
    anchor_confidence = models.FloatField(null=True, blank=True)
    anchored_revision = models.ForeignKey(
        ArticleRevision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The article revision this claim was checked against."),
    )

    # Structure.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("The compound claim this one is a checkable part of."),
    )
    canonical = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appearances",
        help_text=_(
            "The same claim checked first elsewhere: this claim is another sighting of it."
        ),
    )
    language = models.CharField(_("language"), max_length=16)
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")

    # The check.
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus, default=ClaimStatus.NEW
    )
    verdict = models.ForeignKey(
        VerdictRating, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("Markdown."))
    # The rationale as readers see it: rendered and cleaned (claims/markdown.py) by save(),
    # as Zulip keeps a message's rendered content. Rendering took a tenth of a claim page.
    rationale_html = models.TextField(blank=True, editable=False, db_default="")
    unpublished_reason = models.TextField(_("public reason for unpublishing"), blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    # Imported ClaimReviews keep what we could not map, verbatim, for an editor to settle.
    imported_rating = models.CharField(_("imported rating"), max_length=200, blank=True)
    import_key = models.CharField(max_length=2000, null=True, blank=True, unique=True)
    imported_review = models.JSONField(default=dict, blank=True)

    # People and time.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claims_to_review",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text=_("Bumped by every write; a stale version means someone else saved.")
    )

    # Kept up to date by a PostgreSQL trigger (migration 0002) with the claim's language.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "rationale_html"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        permissions = [
            ("submit_claim", "Can submit a claim for review"),
            ("publish_claim", "Can approve and publish a claim"),
            ("request_changes_claim", "Can send a claim back to research"),
            ("unpublish_claim", "Can unpublish a claim"),
            ("correct_claim", "Can correct a published claim"),
            ("assign_claim", "Can assign claims to anyone"),
            ("dismiss_claim", "Can dismiss a claim"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(anchor_start__isnull=True, anchor_end__isnull=True)
                | Q(anchor_start__isnull=False, anchor_end__gt=F("anchor_start")),
                name="claim_anchor_start_before_end",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="claim_published_has_time",
            ),
        ]
        indexes = [
            # The reader list and the public API walk these in order and stop after a page
            # (keyset pagination): the id breaks ties between claims of the same instant.
            models.Index(
                fields=["status", "-published_at", "-id"], name="claim_status_published_idx"
            ),
            # The list's commonest filters, in the list's order: a rare verdict or language is
            # a short walk too.
            models.Index(
                fields=["status", "verdict", "-published_at", "-id"], name="claim_verdict_list_idx"
            ),
            models.Index(
                fields=["status", "language", "-published_at", "-id"],
                name="claim_language_list_idx",
            ),
            models.Index(fields=["status", "-created_at", "-id"], name="claim_status_created_idx"),
            models.Index(fields=["-created_at", "-id"], name="claim_created_idx"),
            # The ClaimReview feed: what changed since an aggregator's last harvest.
            models.Index(fields=["status", "updated_at", "id"], name="claim_status_updated_idx"),
            models.Index(fields=["article", "anchor_start"], name="claim_article_anchor_idx"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status_idx"),
            models.Index(fields=["status", "status_changed_at"], name="claim_status_changed_idx"),
            models.Index(fields=["language"], name="claim_language_idx"),
            # A claimant's page and the list's claimant filter: their published claims, newest
            # first, straight from the index.
            models.Index(
                fields=["speaker", "status", "-published_at"], name="claim_speaker_status_idx"
            ),
        ]

    def __str__(self):
        return self.claim_reviewed

    def save(self, *args, **kwargs):
        # Derived data, kept in step here so that no door (service, admin, history revert)
        # can store a rationale whose HTML says something else.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "rationale" in update_fields:
            self.rationale_html = render_markdown(self.rationale) if self.rationale else ""
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "rationale_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claims:claim", slug=self.slug)

    @property
    def checked_at(self):
        """When the check was published, or None when it is not known.

        An import that gave no date of its own still needs a `published_at` (the lists are
        ordered by it), so it holds the moment the row was loaded: that is not when anyone
        checked the claim, and a reader must not be told it is."""
        if self.import_key:
            review = self.imported_review if isinstance(self.imported_review, dict) else {}
            if parse_when(review.get("datePublished")) is None:
                return None
        return self.published_at

    def save_new_version(self, *, actor=None, update_fields=None) -> None:
        """Save a change people should see as a new version of the claim.

        The version is the API's ETag and what optimistic locking compares (claim_lock): every
        change a reader or a colleague could notice goes through here, so none slips past a
        stale editor. `actor` is recorded on the history entry.
        """
        self.version += 1
        if actor is not None:
            self._history_user = actor
        if update_fields is not None:
            update_fields = {*update_fields, "version", "updated_at"}
        self.save(update_fields=update_fields)

    def place_at(self, anchor, *, revision, state=AnchorState.EXACT, confidence=1.0) -> None:
        """Point the claim at `anchor` (claims.anchoring.Anchor) in `revision` of its article:
        position, quote and context together, so they never disagree. Does not save."""
        self.anchor_start, self.anchor_end = anchor.start, anchor.end
        self.anchor_prefix, self.anchor_suffix = anchor.prefix, anchor.suffix
        self.anchor_state, self.anchor_confidence = state, confidence
        self.quote = anchor.exact
        self.anchored_revision = revision

    def clean(self):
        # Names are shown inline, in sentences and link previews, where a stray bidi control
        # would reorder the text around them (lib/text.py).
        self.claimant = strip_bidi_controls(self.claimant)
        self.attribution = strip_bidi_controls(self.attribution)
        errors = {}
        if len(self.claim_reviewed or "") > CLAIM_REVIEWED_MAX_LENGTH:
            errors["claim_reviewed"] = _(
                "Keep the short wording to %(max)s characters (it has %(n)s)."
            ) % {"max": CLAIM_REVIEWED_MAX_LENGTH, "n": len(self.claim_reviewed)}
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("A claim cannot be a part of itself.")
        if self.anchor_error():
            errors["quote"] = self.anchor_error()
        if errors:
            raise ValidationError(errors)

    def anchor_error(self) -> str | None:
        """Why the stored position does not point at the quote, or None when it does."""
        if self.anchor_start is None and self.anchor_end is None:
            return None
        if self.anchor_start is None or self.anchor_end is None:
            return _("An anchor needs both a start and an end.")
        if self.anchor_start >= self.anchor_end:
            return _("The anchor must start before it ends.")
        if self.article_id is None:
            return _("An anchored claim needs its article.")
        if self.anchor_state == AnchorState.ORPHANED:
            return None
        if self.article.text[self.anchor_start : self.anchor_end] != self.quote:
            return _("The quote is not at characters %(start)s-%(end)s of the article.") % {
                "start": self.anchor_start,
                "end": self.anchor_end,
            }
        return None

    @property
    def is_published(self) -> bool:
        return self.status == ClaimStatus.PUBLISHED

    @property
    def wording_language(self) -> str:
        """The language of the wording and rationale this instance carries: its own, or the
        one a reader page put in (claims/translations.py)."""
        return getattr(self, "shown_language", "") or self.language

    @property
    def needs_rating_mapping(self) -> bool:
        """An imported rating we could not map onto our scale: an editor must settle it."""
        return bool(self.imported_rating) and self.verdict_id is None


class AttributionLink(models.Model):
    """One link of the chain through which a claim reached us: "a Kazakh official, as reported
    by the WSJ" is the speaker (position 0) then the outlet that reported them (position 1).

    Each link names a claimant record or an outlet when the desk knows one, and keeps the
    words used (`label`) either way, so an unnamed speaker ("a Kazakh official") still counts.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attribution_chain")
    position = models.PositiveSmallIntegerField()
    claimant = models.ForeignKey(
        Claimant, on_delete=models.PROTECT, null=True, blank=True, related_name="attributions"
    )
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="attributions"
    )
    label = models.CharField(_("as written"), max_length=200, blank=True)

    class Meta:
        ordering = ["claim", "position"]
        verbose_name = _("attribution link")
        verbose_name_plural = _("attribution chain")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "position"], name="attribution_position_unique"
            ),
            models.CheckConstraint(
                condition=~Q(label="") | Q(claimant__isnull=False) | Q(outlet__isnull=False),
                name="attribution_link_names_someone",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.label:
            return self.label
        if self.claimant_id:
            return self.claimant.name
        return self.outlet.name if self.outlet_id else ""


class ClaimEmbedding(models.Model):
    """A claim's short wording as a vector, for "checked before?" by meaning (claims/matching.py).

    `vector` holds float32 little-endian bytes of unit length
    (numpy.frombuffer(vector, dtype="<f4")); claims.embeddings reads and writes them. `model` is
    the embedder's name: vectors from two models are not comparable, so a row from another
    model counts as missing until `manage.py embed_claims` replaces it.
    """

    claim = models.OneToOneField(
        Claim, primary_key=True, on_delete=models.CASCADE, related_name="embedding"
    )
    model = models.CharField(max_length=100)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("claim embedding")
        verbose_name_plural = _("claim embeddings")

    def __str__(self):
        return f"{self.claim_id} ({self.model})"


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    REFUTES = "refutes", _("Refutes")
    CONTEXT = "context", _("Context")
    ORIGIN = "origin", _("Origin")


class Evidence(models.Model):
    """A source as it bears on one claim, with the exact excerpt that matters."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(_("stance"), max_length=10, choices=Stance)
    excerpt = models.TextField(_("excerpt"), blank=True)
    locator = models.CharField(
        _("locator"), max_length=200, blank=True, help_text=_("Page, section or timestamp.")
    )
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "stance", "added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "stance"], name="evidence_once_per_claim_source_stance"
            ),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.source}"


class ClaimEvent(models.Model):
    """One step of a claim's workflow, written by the service that made it. Never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        IMPORTED = "imported", _("Imported")
        ASSIGNED = "assigned", _("Assigned")
        UNASSIGNED = "unassigned", _("Unassigned")
        RESEARCH_STARTED = "research_started", _("Research started")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        CORRECTED = "corrected", _("Corrected")
        UNPUBLISHED = "unpublished", _("Unpublished")
        DISMISSED = "dismissed", _("Dismissed")
        REOPENED = "reopened", _("Reopened")
        REANCHORED = "reanchored", _("Re-anchored")
        ORPHANED = "orphaned", _("Orphaned")
        LINKED = "linked", _("Linked as the same claim")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=ClaimStatus, blank=True)
    to_status = models.CharField(max_length=16, choices=ClaimStatus, blank=True)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["claim", "-created_at"], name="event_claim_time_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class Correction(models.Model):
    """A public change to a published verdict or rationale (IFCN corrections principle)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(_("public correction note"))
    previous_verdict = models.ForeignKey(
        VerdictRating, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_verdict = models.ForeignKey(
        VerdictRating, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_rationale = models.TextField(blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        indexes = [models.Index(fields=["-created_at"], name="correction_time_idx")]

    def __str__(self):
        return f"{self.claim}: {self.note[:60]}"

    @property
    def verdict_changed(self) -> bool:
        return self.previous_verdict_id != self.new_verdict_id


class ClaimComment(models.Model):
    """An internal note between colleagues. Never public, never in the API for anonymous callers."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")

    def __str__(self):
        return self.body[:60]


class ClaimCandidate(models.Model):
    """A span the detector thinks is check-worthy, waiting for an editor's decision."""

    class Decision(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Turned into a claim")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="candidates")
    revision = models.ForeignKey(
        ArticleRevision, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=Decision, default=Decision.OPEN)
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="candidate_span_unique_per_article"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="candidate_start_before_end"
            ),
        ]

    def __str__(self):
        return self.text[:80]


def content_language(code: str) -> str:
    """A content language as the site names it: "it-IT" and "it" are both the Italian site."""
    return (code or "").split("-")[0].lower()


class ClaimTranslation(models.Model):
    """A claim's reader-facing text in another site language.

    The claim's own fields hold the text in the claim's language (`Claim.language`, usually the
    article's); a row here adds one more language. A plain table rather than a translation
    library: see docs/libraries.md.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES)
    claim_reviewed = models.CharField(
        _("short wording"),
        max_length=CLAIM_REVIEWED_MAX_LENGTH,
        help_text=_("Neutral, at most 140 characters, no verdict in it."),
    )
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("Markdown."))
    # Rendered by save(), as Claim.rationale_html is.
    rationale_html = models.TextField(blank=True, editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("claim translation")
        verbose_name_plural = _("claim translations")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "language"], name="claim_translation_once_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.claim_id} [{self.language}]: {self.claim_reviewed}"

    def save(self, *args, **kwargs):
        self.rationale_html = render_markdown(self.rationale) if self.rationale else ""
        super().save(*args, **kwargs)


class EvidenceTranslation(models.Model):
    """An evidence note in another site language (the excerpt stays as the source wrote it)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES)
    note = models.TextField(_("note"), max_length=EVIDENCE_NOTE_MAX_LENGTH)

    class Meta:
        verbose_name = _("evidence note translation")
        verbose_name_plural = _("evidence note translations")
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "language"], name="evidence_translation_once_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.evidence_id} [{self.language}]"


SIGHTING_SENTENCE_MAX_LENGTH = 2000


class Sighting(models.Model):
    """A published check's claim said again somewhere: the sentence, where, by whom, when.

    Written by claims.services.sightings (monitoring, the API and the admin all call it).
    `key` makes recording idempotent per (claim, URL, sentence): a hash, because a sentence is
    too long for a unique index on PostgreSQL.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sightings")
    sentence = models.TextField(_("sentence"), max_length=SIGHTING_SENTENCE_MAX_LENGTH)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    outlet_name = models.CharField(_("outlet"), max_length=200, blank=True)
    # The outlet record when the URL's host is one the desk knows (never created from here:
    # a sighting on an unknown site must not add outlets to the public pages).
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sightings",
        verbose_name=_("outlet record"),
    )
    said_at = models.DateTimeField(_("said at"), null=True, blank=True)
    speaker_name = models.CharField(_("speaker"), max_length=200, blank=True)
    claimant = models.ForeignKey(
        Claimant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sightings",
        verbose_name=_("claimant record"),
    )
    score = models.FloatField(_("match score"))
    language = models.CharField(_("language"), max_length=16, blank=True)
    origin = models.CharField(
        _("origin"), max_length=16, choices=SightingOrigin, default=SightingOrigin.MONITORING
    )
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=24, choices=SightingStatus, default=SightingStatus.NEW
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    key = models.CharField(max_length=64, editable=False)

    objects = SightingQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at", "-pk"]
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], name="sighting_once_per_claim_key"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="sighting_score_0_1"
            ),
        ]
        indexes = [
            # The claim page counts and charts one claim's sightings by date.
            models.Index(fields=["claim", "seen_at"], name="sighting_claim_seen_idx"),
            # The editors' alert: the few new sightings among many handled ones.
            models.Index(
                fields=["-seen_at"],
                condition=Q(status="new"),
                name="sighting_new_idx",
            ),
        ]

    def __str__(self):
        return self.sentence[:80]

    @property
    def happened_at(self):
        """When it was said if known, else when the desk saw it."""
        return self.said_at or self.seen_at
