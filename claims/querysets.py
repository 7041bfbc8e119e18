"""Named lookups for claims, so every page and endpoint asks the same question the same way.

What readers may see (published claims and what hangs off them) is claims/visibility.py's.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import AnchorState, ClaimStatus

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
