"""Who said a claim, as records: the claimant it links to and the chain of speaker and outlets
it came through. claim_create and claim_update call these; importers call claimants' own
services for the claimant and these for the chain."""

import re

from django.db import transaction

from claimants.models import Claimant, ClaimantKind, name_key
from claimants.services import claimant_get_or_create
from lib.text import strip_control_characters
from sources.models import Outlet

from ..models import AttributionLink, Claim

# "a Kazakh official, as reported by the Wall Street Journal": the words that hand a claim on
# to the next link, in the desk's two languages.
REPORTED_BY = re.compile(
    r",?\s*\b(?:as reported by|reported by|according to|come riportato da|secondo)\s+", re.I
)


def speaker_for(
    *, name: str, url: str = "", is_organization: bool = False, actor=None
) -> Claimant | None:
    """The claimant record a claim's free-text claimant means, created when new.

    The name is tidied first (control characters dropped, spaces collapsed), so whatever a claim
    may hold as its claimant makes a valid record: no door fails on the record it did not ask for.
    """
    name = " ".join(strip_control_characters(name or "").split())
    if not name:
        return None
    kind = ClaimantKind.ORGANIZATION if is_organization else ClaimantKind.PERSON
    claimant, _created = claimant_get_or_create(name=name, same_as=url, kind=kind, actor=actor)
    return claimant


def chain_from_text(text: str) -> list[str]:
    """The links of an attribution as written: speaker first, then each outlet."""
    parts = [part.strip().rstrip(".").strip() for part in REPORTED_BY.split(text.strip())]
    return parts if any(parts) else []


@transaction.atomic
def attribution_set(*, claim: Claim, text: str) -> list[AttributionLink]:
    """Replace the claim's attribution chain with the one `text` describes.

    The first link is the speaker (the claim's claimant record when it has one); later links
    are outlets, matched by name to the outlets the desk knows (one query).
    """
    AttributionLink.objects.filter(claim=claim).delete()
    parts = chain_from_text(text)
    if not parts:
        return []
    wanted = {name_key(part) for part in parts[1:]} | {name_key("the " + p) for p in parts[1:]}
    outlets = {
        name_key(outlet.name): outlet
        for outlet in Outlet.objects.filter(name__iregex=_any_name(wanted))
    }
    links = [AttributionLink(claim=claim, position=0, claimant=claim.speaker, label=parts[0][:200])]
    for position, part in enumerate(parts[1:], start=1):
        outlet = outlets.get(name_key(part)) or outlets.get(name_key("the " + part))
        links.append(
            AttributionLink(claim=claim, position=position, outlet=outlet, label=part[:200])
        )
    links = [link for link in links if link.label or link.claimant_id or link.outlet_id]
    return AttributionLink.objects.bulk_create(links)


def _any_name(keys: set[str]) -> str:
    # Case-insensitive exact match on any of the names, in one query on both databases.
    return "^(" + "|".join(re.escape(key) for key in sorted(keys) if key) + ")$" if keys else "^$"
