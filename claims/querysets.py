"""Named lookups for claims, so every page and endpoint asks the same question the same way.

What readers may see (published claims and what hangs off them) is claims/visibility.py's.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import AnchorState, ClaimStatus, SightingOrigin, SightingStatus

OPEN_STATUSES = [ClaimStatus.NEW, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW]


class ClaimQuerySet(models.QuerySet):
    def with_public_relations(self):
        """Everything a public claim card shows, fetched up front."""
        return self.select_related("verdict", "article", "article__outlet", "speaker")

    def assigned_to(self, user):
        return self.filter(assignee=user).filter(status__in=OPEN_STATUSES)

    def waiting_for_review_by(self, user):
        """Claims in review that this user may sign off: under the two-person rule, not the
        ones they submitted (a claim in review always has its submitter recorded)."""
        in_review = self.filter(status=ClaimStatus.IN_REVIEW)
        if settings.FACTDESK_REQUIRE_SECOND_REVIEWER:
            return in_review.exclude(submitted_by=user)
        return in_review

    def stuck(self, days: int):
        """Open claims whose status has not moved for `days` days."""
        cutoff = timezone.now() - timedelta(days=days)
        return self.filter(status__in=OPEN_STATUSES, status_changed_at__lt=cutoff)

    def orphaned(self):
        return self.filter(anchor_state=AnchorState.ORPHANED)


class SightingQuerySet(models.QuerySet):
    def counted(self):
        """The sightings that count as repeats on the public page: said somewhere (not a
        reader's question to the tipline, which asks about a claim rather than repeating it),
        and not marked "not a repeat" by an editor."""
        return self.exclude(status=SightingStatus.NOT_A_REPEAT).exclude(
            origin=SightingOrigin.TIPLINE
        )

    def new(self):
        """What the editors' alert lists: sightings nobody has looked at yet."""
        return self.filter(status=SightingStatus.NEW)

    def with_happened_at(self):
        """`happened_at`: when it was said if the source says, else when the desk saw it."""
        return self.alias(happened_at=Coalesce("said_at", "seen_at"))

    def since_checked(self, claim):
        """Counted sightings of `claim` said after the desk published its check: the page's
        "repeated N times since we checked it"."""
        return (
            self.counted()
            .with_happened_at()
            .filter(claim=claim, happened_at__gte=claim.published_at)
        )
