"""Who makes claims: people and organisations tracked over time, with their roles.

This app knows nothing of claims (claims link here, not the other way round), so that the
claim models, the importer and the public pages can all build on it without an import circle.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.text import strip_bidi_controls, validate_plain_text
from lib.url_shapes import reverse


class ClaimantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organisation")


class ClaimantQuerySet(models.QuerySet):
    def current(self):
        """Claimants that were not merged into another one: the ones to list and link to."""
        return self.filter(merged_into__isnull=True)


def name_key(name: str) -> str:
    """How names are compared when matching: case, accents of spacing and bidi ignored."""
    return " ".join(strip_bidi_controls(name or "").casefold().split())


class Claimant(models.Model):
    """A person or organisation whose claims the desk checks."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(
        _("person or organisation"),
        max_length=12,
        choices=ClaimantKind,
        default=ClaimantKind.PERSON,
    )
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_(
            "Other names this claimant is given, one per line (e.g. Giorgia Meloni, "
            "Meloni, the Prime Minister). Matched ignoring case when claims are imported."
        ),
    )
    same_as = models.URLField(
        _("identifier"),
        max_length=500,
        blank=True,
        help_text=_("A URL that identifies the claimant, e.g. their Wikidata page (sameAs)."),
    )
    description = models.CharField(_("short description"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        editable=False,
        help_text=_("The record this duplicate was merged into; its old address leads there."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        permissions = [("merge_claimant", "Can merge duplicate claimants")]
        indexes = [models.Index(Lower("name"), name="claimant_name_lower_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["same_as"], condition=~Q(same_as=""), name="claimant_same_as_unique"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="claimant_not_merged_into_self"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:claimant", slug=self.slug)

    def clean(self):
        # Names are shown inline beside claims and in link previews (lib/text.py).
        self.name = strip_bidi_controls(self.name).strip()
        self.aliases = "\n".join(
            strip_bidi_controls(line).strip() for line in self.aliases.splitlines() if line.strip()
        )
        try:
            validate_plain_text(self.name)
        except ValidationError as error:
            raise ValidationError({"name": error.messages}) from error

    @property
    def is_organization(self) -> bool:
        return self.kind == ClaimantKind.ORGANIZATION

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def name_keys(self) -> set[str]:
        return {name_key(name) for name in [self.name, *self.alias_list()] if name_key(name)}


class ClaimantRole(models.Model):
    """A role held for a time ("Minister of Labour, Lega, 2018-2019"): roles change, and a
    claim is read against the role its claimant held when it was made."""

    claimant = models.ForeignKey(Claimant, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=200, blank=True)
    party = models.CharField(_("party"), max_length=200, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claimant", "-started_on", "pk"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="claimant_role_ends_after_start",
            ),
        ]

    def __str__(self):
        return " · ".join(part for part in (self.role, self.party) if part)

    def clean(self):
        errors = {}
        if not (self.role or self.party):
            errors["role"] = _("Give a role, a party or both.")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A role cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def held_on(self, day) -> bool:
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or day <= self.ended_on
        )
