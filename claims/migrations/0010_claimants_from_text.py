"""Claimants as records, from the free text each claim held (issue 16).

Each distinct claimant (by identifier, else by name ignoring case and spacing) becomes one
Claimant; each claim links to it; each attribution ("a Kazakh official, as reported by the
Wall Street Journal") becomes a chain of speaker and outlets. The text fields are kept as they
were, so nothing is lost; going back fills any empty text field from the record it linked to
(a claim linked after this migration ran) before the link is dropped.
"""

import re

from django.db import migrations
from django.utils.text import slugify

REPORTED_BY = re.compile(
    r",?\s*\b(?:as reported by|reported by|according to|come riportato da|secondo)\s+", re.I
)


def _key(name: str) -> str:
    return " ".join((name or "").casefold().split())


def forward(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Claimant = apps.get_model("claimants", "Claimant")
    AttributionLink = apps.get_model("claims", "AttributionLink")
    Outlet = apps.get_model("sources", "Outlet")
    by_same_as, by_name, slugs = {}, {}, set(Claimant.objects.values_list("slug", flat=True))
    outlets = {_key(outlet.name): outlet for outlet in Outlet.objects.all()}
    # Records already there (made by hand, or by an earlier run of this migration that was
    # reversed) are linked, not made again.
    for claimant in Claimant.objects.filter(merged_into__isnull=True).order_by("pk"):
        by_name.setdefault(_key(claimant.name), claimant)
        if claimant.same_as:
            by_same_as.setdefault(claimant.same_as, claimant)
    claims = Claim.objects.exclude(claimant="", attribution="").order_by("pk")
    for claim in claims.iterator(chunk_size=500):
        speaker = None
        if claim.claimant.strip():
            speaker = by_same_as.get(claim.claimant_url) if claim.claimant_url else None
            speaker = speaker or by_name.get(_key(claim.claimant))
            if speaker is None:
                speaker = _create(Claimant, claim, slugs)
            by_name.setdefault(_key(claim.claimant), speaker)
            if speaker.same_as:
                by_same_as.setdefault(speaker.same_as, speaker)
            claim.speaker = speaker
            claim.save(update_fields=["speaker"])
        _chain(AttributionLink, claim, speaker, outlets)


def _create(Claimant, claim, slugs):
    base = slugify(claim.claimant)[:80].strip("-") or "claimant"
    slug, n = base, 2
    while slug in slugs:
        slug, n = f"{base}-{n}", n + 1
    slugs.add(slug)
    return Claimant.objects.create(
        name=claim.claimant.strip()[:200],
        slug=slug,
        kind="organization" if claim.claimant_is_organization else "person",
        same_as=claim.claimant_url,
    )


def _chain(AttributionLink, claim, speaker, outlets):
    text = claim.attribution.strip()
    if not text:
        return
    parts = REPORTED_BY.split(text)
    links = [AttributionLink(claim=claim, position=0, claimant=speaker, label=parts[0][:200])]
    for position, part in enumerate(parts[1:], start=1):
        part = part.strip().rstrip(".")
        outlet = outlets.get(_key(part)) or outlets.get(_key("the " + part))
        links.append(
            AttributionLink(claim=claim, position=position, outlet=outlet, label=part[:200])
        )
    # A chain whose speaker has neither a record nor words says nothing: skip that link.
    links = [link for link in links if link.label or link.claimant_id or link.outlet_id]
    AttributionLink.objects.bulk_create(links)


def backward(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    claims = Claim.objects.filter(speaker__isnull=False, claimant="").select_related("speaker")
    for claim in claims.iterator(chunk_size=500):
        claim.claimant = claim.speaker.name
        claim.claimant_url = claim.claimant_url or claim.speaker.same_as
        claim.claimant_is_organization = claim.speaker.kind == "organization"
        claim.save(update_fields=["claimant", "claimant_url", "claimant_is_organization"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_claimants_speaker"),
        ("claimants", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
