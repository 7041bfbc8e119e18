"""Linking sightings: the same claim made in several places is checked once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Claim, ClaimEvent


@transaction.atomic
def claim_link_same(*, claim: Claim, canonical: Claim, actor) -> Claim:
    """Confirm an editor's "checked before?" match: `claim` is another sighting of `canonical`.

    Links always point at the root of a chain, so "also seen in" is one query: linking to a
    claim that is itself a sighting links to its canonical instead, and the claim's own
    sightings follow it. Writes a LINKED event on the claim.
    """
    claim, canonical = _lock(claim.pk, canonical.pk)
    root = canonical.canonical or canonical
    if root.pk == claim.pk:
        raise ValidationError(
            _("A claim cannot be linked to itself or to one of its own sightings."),
            code="link_cycle",
        )
    previous = claim.canonical_id
    claim.canonical = root
    claim.save_new_version(actor=actor, update_fields=["canonical"])
    moved = []
    for sighting in Claim.objects.select_for_update().filter(canonical=claim).order_by("pk"):
        sighting.canonical = root
        sighting.save_new_version(actor=actor, update_fields=["canonical"])
        moved.append(sighting.pk)
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.LINKED,
        actor=actor,
        comment=_("Linked as the same claim as “%(claim)s”.") % {"claim": root.claim_reviewed},
        data={"canonical": root.pk, "previous": previous, "sightings_moved": moved},
    )
    return claim


def _lock(*ids: int) -> list[Claim]:
    # Lock in id order so two editors linking the same pair the other way round cannot
    # deadlock.
    claims = {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return [claims[pk] for pk in ids]
