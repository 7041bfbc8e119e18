"""Sightings: a published check's claim said again somewhere (monitored media, a tipline, an
editor's find). Monitoring, the API and the admin all record and mark them through these two
functions, so the rules (one row per claim, URL and sentence; the webhook; who changed a status
and when) hold whichever door was used.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claimants.services import claimant_find
from lib.text import strip_bidi_controls, strip_control_characters
from sources.models import Outlet
from sources.normalization import normalize_domain, normalize_url

from ..events import claim_repeated_announce
from ..models import (
    SIGHTING_SENTENCE_MAX_LENGTH,
    Claim,
    Sighting,
    SightingOrigin,
    SightingStatus,
)

# When a sighting may say it was said: a repeat of a checked claim is recent news.
SAID_AT_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
SAID_AT_AHEAD = timedelta(days=1)

NAME_MAX_LENGTH = 200


def sighting_key(*, url: str, sentence: str, said_at: datetime | None = None) -> str:
    """What makes two sightings of one claim the same: the page and the sentence's words
    (whitespace and case aside, so a re-fetched page with other line breaks is no new one).

    Without a page (a transcript posted line by line, a broadcast), the moment it was said
    stands in for it: the same sentence at two live events is two sightings, the same
    transcript posted twice is one.
    """
    words = " ".join(sentence.split()).casefold()
    where = url or (said_at.astimezone(UTC).isoformat() if said_at else "")
    return hashlib.sha256(f"{where}\n{words}".encode()).hexdigest()


def _clean_name(value: str) -> str:
    # Names are shown inline in the admin and in webhook payloads: no control characters.
    return strip_bidi_controls(strip_control_characters(value or "")).strip()


def _validated(
    *, sentence: str, url: str, outlet_name: str, speaker_name: str, score, language, origin
) -> dict:
    """The cleaned fields, or ValidationError with every bad field's message."""
    errors, cleaned = {}, {}
    cleaned["sentence"] = " ".join(strip_control_characters(sentence or "").split())
    if not cleaned["sentence"]:
        errors["sentence"] = _("A sighting needs the sentence that was said.")
    elif len(cleaned["sentence"]) > SIGHTING_SENTENCE_MAX_LENGTH:
        errors["sentence"] = _("Keep the sentence to %(max)s characters (it has %(n)s).") % {
            "max": SIGHTING_SENTENCE_MAX_LENGTH,
            "n": len(cleaned["sentence"]),
        }
    cleaned["url"] = ""
    if url and url.strip():
        try:
            cleaned["url"] = normalize_url(url)
        except ValidationError as error:
            errors["url"] = error.messages
    for field, value in (("outlet_name", outlet_name), ("speaker_name", speaker_name)):
        cleaned[field] = _clean_name(value)
        if len(cleaned[field]) > NAME_MAX_LENGTH:
            errors[field] = _("Keep it to %(max)s characters.") % {"max": NAME_MAX_LENGTH}
    try:
        cleaned["score"] = float(score)
        if not 0 <= cleaned["score"] <= 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["score"] = _("The score is a similarity between 0 and 1.")
    cleaned["language"] = (language or "").strip()[:16]
    if origin not in SightingOrigin.values:
        errors["origin"] = _("Unknown origin %(origin)r: use one of %(origins)s.") % {
            "origin": origin,
            "origins": ", ".join(SightingOrigin.values),
        }
    cleaned["origin"] = origin
    if errors:
        raise ValidationError(errors)
    return cleaned


def _known_outlet(url: str) -> Outlet | None:
    """The outlet the desk already has for the URL's host or a domain above it
    (edition.example.com is example.com's), the most specific first; never creates one."""
    if not url:
        return None
    try:
        domain = normalize_domain(urlsplit(url).hostname or "")
    except ValidationError:
        return None  # an address without a dotted name (an IP, localhost) is no outlet
    labels = domain.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    found = {outlet.domain: outlet for outlet in Outlet.objects.filter(domain__in=candidates)}
    return next((found[name] for name in candidates if name in found), None)


def _recorded(claim: Claim, key: str) -> Sighting | None:
    return Sighting.objects.filter(claim=claim, key=key).first()


@transaction.atomic
def sighting_record(
    claim: Claim,
    *,
    sentence: str,
    url: str = "",
    said_at: datetime | None = None,
    outlet_name: str = "",
    speaker_name: str = "",
    score: float,
    language: str = "",
    origin: str = "monitoring",
) -> tuple[Sighting, bool]:
    """Record that a published `claim` was said again; idempotent per (claim, url, sentence).
    Returns (sighting, created). Fires the editors' alert and the webhook on creation.

    `score` is the match's similarity, 0-1 (claims.matching.Match.similarity). `url` is
    normalised (tracking parameters and fragments do not make a new sighting); without one,
    `said_at` takes its place in the key (see sighting_key). `said_at`, when the caller knows
    it (a feed item's date, a transcript's time), must be timezone-aware.
    Raises ValidationError (field messages) and writes nothing when the input is bad.
    """
    cleaned = _validated(
        sentence=sentence,
        url=url,
        outlet_name=outlet_name,
        speaker_name=speaker_name,
        score=score,
        language=language,
        origin=origin,
    )
    if said_at is not None and timezone.is_naive(said_at):
        raise ValidationError({"said_at": _("Give the time with its time zone.")})
    # A repeat is seen when it is said: a time far in the past or the future is a wrong field
    # (and a year at the calendar's edge cannot even be read back from PostgreSQL).
    if said_at is not None and not (SAID_AT_EARLIEST <= said_at <= timezone.now() + SAID_AT_AHEAD):
        raise ValidationError(
            {"said_at": _("Give a time between 1900 and now (a day ahead at most).")}
        )
    key = sighting_key(url=cleaned["url"], sentence=cleaned["sentence"], said_at=said_at)
    existing = _recorded(claim, key)
    if existing is not None:
        return existing, False
    outlet = _known_outlet(cleaned["url"])
    if outlet is not None and not cleaned["outlet_name"]:
        cleaned["outlet_name"] = outlet.name
    claimant = claimant_find(name=cleaned["speaker_name"]) if cleaned["speaker_name"] else None
    sighting = Sighting(
        claim=claim, key=key, said_at=said_at, outlet=outlet, claimant=claimant, **cleaned
    )
    try:
        # A savepoint: two workers reading the same page at once race to the unique key,
        # and the loser must leave its transaction (and the caller's) usable.
        with transaction.atomic():
            sighting.save()
    except IntegrityError:
        return Sighting.objects.get(claim=claim, key=key), False
    # The admin's alert is the list of new sightings itself (claims/admin/sightings.py);
    # integrations hear of it by webhook, queued with this transaction and sent on commit.
    claim_repeated_announce(sighting=sighting)
    return sighting, True


@transaction.atomic
def sighting_status_set(*, sighting: Sighting, status: str, actor) -> Sighting:
    """Mark a sighting (correction requested, corrected, not a repeat, or back to new),
    recording who did it and when. Setting the status it already has changes nothing.

    Raises ValidationError for an unknown status, PermissionDenied when `actor` may not
    change sightings (None: the system itself, e.g. a command).
    """
    if status not in SightingStatus.values:
        raise ValidationError(
            {
                "status": _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(SightingStatus.values)}
            }
        )
    if actor is not None and not actor.has_perm("claims.change_sighting"):
        raise PermissionDenied(_("You may not change sightings."))
    sighting = Sighting.objects.select_for_update().get(pk=sighting.pk)
    if sighting.status == status:
        return sighting
    sighting.status = status
    sighting.status_changed_by = actor
    sighting.status_changed_at = timezone.now()
    sighting.save(update_fields=["status", "status_changed_by", "status_changed_at"])
    return sighting
