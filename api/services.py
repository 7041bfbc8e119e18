"""Writes for integrations: the API and the admin register webhook endpoints through these."""

from django.db import transaction

from .models import WebhookEndpoint


@transaction.atomic
def webhook_endpoint_create(
    *, name: str, url: str, events: list[str], created_by
) -> WebhookEndpoint:
    """Register a receiver. Refuses (ValidationError) non-public addresses and unknown events."""
    endpoint = WebhookEndpoint(
        name=name, url=url, events=sorted(set(events)), created_by=created_by
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Stop sending to a receiver; its delivery log goes with it."""
    endpoint.delete()
