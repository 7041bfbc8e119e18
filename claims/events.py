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
from .models import Claim
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
