"""Citing another organisation's fact-check (factchecks/) as evidence on a desk claim."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from factchecks.models import ExternalFactCheck
from sources.services import source_get_or_create

from ..models import Claim, Evidence, Stance
from ..permissions import may_add_evidence


def fact_check_note(fact_check: ExternalFactCheck) -> str:
    """ "Rated «False» by Org on 2024-05-01": the rating exactly as they gave it."""
    values = {
        "rating": fact_check.rating_text,
        "organization": fact_check.organization_name or _("another organisation"),
    }
    if fact_check.reviewed_at:
        # The desk's own calendar day, as the "checked before?" panel shows it.
        values["date"] = f"{timezone.localtime(fact_check.reviewed_at):%Y-%m-%d}"
        return _("Rated «%(rating)s» by %(organization)s on %(date)s") % values
    return _("Rated «%(rating)s» by %(organization)s") % values


@transaction.atomic
def evidence_attach_fact_check(
    *, claim: Claim, fact_check: ExternalFactCheck, actor
) -> tuple[Evidence, bool]:
    """Cite `fact_check` on `claim`: its review page as a source, with the context stance and a
    note saying how they rated it. Returns (evidence, created); attaching it again returns the
    evidence already there and changes nothing.

    The actor needs what adding evidence by hand needs: claims.add_evidence, and the right to
    edit this claim in its current state (claims.permissions.editable_fields).
    """
    if not may_add_evidence(actor, claim):
        raise PermissionDenied(_("You may not add evidence to this claim."))
    source, _created = source_get_or_create(
        url=fact_check.review_url,
        title=(fact_check.title or fact_check.claim_reviewed)[:500],
        language=fact_check.language,
        published_on=timezone.localdate(fact_check.reviewed_at) if fact_check.reviewed_at else None,
    )
    existing = Evidence.objects.filter(claim=claim, source=source, stance=Stance.CONTEXT).first()
    if existing is not None:
        return existing, False
    evidence = Evidence(
        claim=claim,
        source=source,
        stance=Stance.CONTEXT,
        excerpt=fact_check.claim_reviewed[:2000],
        note=fact_check_note(fact_check),
        added_by=actor,
    )
    evidence.full_clean()
    evidence._history_user = actor  # recorded in the evidence's history like any other
    evidence.save()
    return evidence, True
