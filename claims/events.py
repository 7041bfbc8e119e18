"""What the outside world is told when a claim changes: the webhook payload, and the call that
records it for every subscribed endpoint (api/webhooks.py signs and sends it).

The workflow services call claim_event_announce() for each step they take, as STYLE.md has
it: the service that made the change writes its webhooks.
"""

from django.utils import timezone

from api.models import WebhookDelivery, WebhookEvent
from api.webhooks import webhook_event_record

from . import visibility
from .claimreview import absolute_url, claim_review, scale_bounds
from .models import Claim, Sighting
from .signals import claim_event_happened


def claim_event_payload(*, claim: Claim, event: str) -> dict:
    """What receivers get: the event, the claim's public identity and, while it is published,
    its ClaimReview. Built when the event happens, so a retry sends the same facts."""
    claim = (
        Claim.objects.with_public_relations()
        .prefetch_related("evidence__source", "corrections")
        .get(pk=claim.pk)
    )
    data = {
        "id": claim.pk,
        "slug": claim.slug,
        "url": absolute_url(claim.get_absolute_url()),
        "claim_reviewed": claim.claim_reviewed,
        "language": claim.language,
        "status": claim.status,
        "verdict": claim.verdict.code if claim.verdict else None,
    }
    if visibility.is_public(claim):
        data["claim_review"] = claim_review(claim, bounds=scale_bounds())
    if event == WebhookEvent.CLAIM_CORRECTED:
        correction = claim.corrections.first()
        data["correction_note"] = correction.note if correction else ""
    if event == WebhookEvent.CLAIM_UNPUBLISHED:
        data["unpublished_reason"] = claim.unpublished_reason
    return {"type": event, "timestamp": timezone.now().isoformat(), "data": data}


def claim_event_announce(*, claim: Claim, event: str) -> list[WebhookDelivery]:
    """Record `event` about `claim` for every endpoint subscribed to it (sent after commit),
    and tell the apps listening to claims.signals.claim_event_happened."""
    claim_event_happened.send(sender=Claim, claim=claim, event=event)
    return webhook_event_record(
        event=event,
        claim_id=claim.pk,
        payload=lambda: claim_event_payload(claim=claim, event=event),
    )


def sighting_payload(sighting: Sighting) -> dict:
    """A sighting as integrators see it (the `sighting` member of a claim.repeated event)."""
    return {
        "id": sighting.pk,
        "sentence": sighting.sentence,
        "url": sighting.url,
        "outlet_name": sighting.outlet_name,
        "speaker_name": sighting.speaker_name,
        "said_at": sighting.said_at.isoformat() if sighting.said_at else None,
        "seen_at": sighting.seen_at.isoformat(),
        "score": sighting.score,
        "language": sighting.language,
        "origin": sighting.origin,
        "status": sighting.status,
    }


def claim_repeated_announce(*, sighting: Sighting) -> list[WebhookDelivery]:
    """Tell subscribers a published claim was said again (sent after commit).

    Only a claim readers can see is announced: a sighting matched to a claim unpublished
    since must not tell a receiver about a check the desk withdrew.
    """
    claim = sighting.claim
    if not visibility.is_public(claim):
        return []

    def payload() -> dict:
        body = claim_event_payload(claim=claim, event=WebhookEvent.CLAIM_REPEATED)
        body["data"]["sighting"] = sighting_payload(sighting)
        return body

    return webhook_event_record(
        event=WebhookEvent.CLAIM_REPEATED, claim_id=claim.pk, payload=payload
    )
