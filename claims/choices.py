"""Choices shared by models and querysets (kept apart to avoid an import cycle)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    NEW = "new", _("New")
    RESEARCHING = "researching", _("Researching")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    DISMISSED = "dismissed", _("Dismissed")


class AnchorState(models.TextChoices):
    EXACT = "exact", _("Exact")
    FUZZY = "fuzzy", _("Fuzzy match")
    ORPHANED = "orphaned", _("Orphaned")
    NONE = "none", _("Not anchored")


class SightingStatus(models.TextChoices):
    NEW = "new", _("New")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    CORRECTED = "corrected", _("Corrected")
    NOT_A_REPEAT = "not_a_repeat", _("Not a repeat")


class SightingOrigin(models.TextChoices):
    MONITORING = "monitoring", _("Monitored media")
    TIPLINE = "tipline", _("Readers' tips")
    DESK = "desk", _("Entered by the desk")
    API = "api", _("API")
