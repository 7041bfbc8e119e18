"""Signed webhooks: record an event for every subscribed endpoint, deliver it from the worker.

Signing follows the Standard Webhooks spec (standardwebhooks.com), which receivers have
libraries for: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}", keyed with the
base64-decoded part of the "whsec_..." secret, sent as "webhook-signature: v1,<base64>".

Delivery is a small state machine on the WebhookDelivery row. The worker takes a row with
SELECT ... FOR UPDATE SKIP LOCKED and marks it `sending` with a lease before any byte leaves,
so two workers never send the same delivery at once. A worker killed mid-send leaves the row
`sending` past its lease; `webhook_deliveries_resume()` (run by `manage.py worker` every
minute, or the `webhooks_resume` command) hands it out again. That retry carries the same
webhook-id, so the receiver can drop the copy. A delivery whose endpoint was deactivated is
cancelled when its turn comes, not sent.

Sending goes through the safe fetcher (lib.fetching), which connects to the address it
checked, so a receiver's name cannot be re-pointed at the desk's own network between the
check and the connect, and which holds the whole send to SEND_TIMEOUT, well inside the lease.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from lib.fetching import FetchError, FetchPolicy, fetch

from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

# Seconds to wait before attempt 2, 3, ...; after the last one the delivery is given up.
RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 3600, 8 * 3600, 24 * 3600]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
SEND_TIMEOUT = 10  # seconds per attempt: connecting, sending and reading the answer's headers
# A worker may take over a delivery once its lease has run out, so the lease must outlast any
# live send: SEND_TIMEOUT bounds the send itself, and the margin covers the DNS lookup before it.
LEASE = timedelta(seconds=SEND_TIMEOUT * 6)


# --- Signing (what a receiver re-computes) ---------------------------------------------------


def webhook_signature(*, secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_headers(delivery: WebhookDelivery, body: bytes, *, now: int | None = None) -> dict:
    timestamp = int(time.time()) if now is None else now
    webhook_id = str(delivery.webhook_id)
    return {
        "Content-Type": "application/json",
        "User-Agent": "Factdesk-Webhooks/1",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(
            secret=delivery.endpoint.secret, webhook_id=webhook_id, timestamp=timestamp, body=body
        ),
    }


# --- Recording an event ------------------------------------------------------------------------


def webhook_event_record(
    *, event: str, claim_id: int, payload: Callable[[], dict]
) -> list[WebhookDelivery]:
    """Record `event` for every active endpoint subscribed to it; the worker sends them once the
    current transaction commits (nothing is sent for a change that rolled back).

    `payload()` builds what receivers get (claims/events.py), called only when some endpoint
    subscribes: this app sends what it is given and knows nothing of claims.
    """
    if event not in WebhookEvent.values:
        raise ValueError(f"Unknown webhook event {event!r}")
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    body = payload()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, claim_id=claim_id, payload=body)
        for endpoint in endpoints
    )
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: webhook_deliver.enqueue(pk))
    return deliveries


# --- Delivering ----------------------------------------------------------------------------------


def _due(now):
    return Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now)


def _interrupted(now):
    return Q(status=DeliveryStatus.SENDING, lease_until__lt=now)


def _take(delivery_id: int) -> WebhookDelivery | None:
    """Mark the delivery `sending` if it is due and nobody else holds it; None otherwise.

    A due delivery whose endpoint has been deactivated is cancelled instead (None too).
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(_due(now) | _interrupted(now), pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if not delivery.endpoint.is_active:
            _cancel(delivery)
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.lease_until = now + LEASE
        delivery.save(update_fields=["status", "attempts", "lease_until"])
    return delivery


def _cancel(delivery: WebhookDelivery) -> None:
    # Deactivating an endpoint is how a newsroom stops a partner's feed (the receiver is broken,
    # the contract ended): what was queued for it must stop too, and stay stopped. Its events
    # go stale meanwhile (a claim published then unpublished), so reactivating the endpoint
    # does not send the backlog; an editor can still send one with the admin's "Retry now".
    delivery.status = DeliveryStatus.CANCELLED
    delivery.lease_until = None
    delivery.last_error = _("Not sent: the endpoint is inactive.")
    delivery.save(update_fields=["status", "lease_until", "last_error"])
    logger.info(
        "webhook %s cancelled: endpoint %s is inactive", delivery.webhook_id, delivery.endpoint_id
    )


def _send_policy() -> FetchPolicy:
    return FetchPolicy(
        timeout=SEND_TIMEOUT,
        # A test-only setting (never read from the environment): a receiver on 127.0.0.1.
        allow_loopback=getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False),
        user_agent="Factdesk-Webhooks/1",
    )


def _send(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery once. Returns (HTTP status or None, error text or "").

    The host is checked again at send time (DNS may have changed since the endpoint was
    saved). A redirect is not followed: it could lead anywhere, and receivers must answer 2xx.
    Only the status is read; what a receiver says is not the desk's business.
    """
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        result = fetch(
            delivery.endpoint.url,
            policy=_send_policy(),
            method="POST",
            body=body,
            headers=webhook_headers(delivery, body),
            read_body=False,
            follow_redirects=False,
        )
    except FetchError as error:
        return None, _delivery_error(error)
    return result.status, ""


def _delivery_error(error: FetchError) -> str:
    """What the delivery log says about a failed send. Integrators read it through the API, so
    it names the kind of failure and no more: no addresses, no system error text, which would
    tell them about the network around the desk."""
    messages = {
        "address_not_allowed": _(
            "Refused: the receiver's host points to a private, loopback or link-local address."
        ),
        "dns_failed": _("The receiver's host could not be found."),
        "timeout": _("The receiver did not answer in time."),
        "connection_failed": _("The receiver could not be reached."),
    }
    return messages.get(error.code, str(error))


def _finish(delivery: WebhookDelivery, status_code: int | None, error: str) -> None:
    now = timezone.now()
    delivery.last_status_code = status_code
    delivery.lease_until = None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at, delivery.last_error = (
            DeliveryStatus.DELIVERED,
            now,
            "",
        )
    else:
        delivery.last_error = error[:500] or f"HTTP {status_code}"
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + timedelta(seconds=RETRY_DELAYS[delivery.attempts - 1])
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
            "lease_until",
        ]
    )
    if delivery.status == DeliveryStatus.RETRYING:
        _enqueue_retry(delivery)


def _enqueue_retry(delivery: WebhookDelivery) -> None:
    # The database backend can hold a task until `run_after`; a backend that cannot (the
    # immediate one in tests) leaves the retry to webhook_deliveries_resume().
    if default_task_backend.supports_defer:
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


@task()
def webhook_deliver(delivery_id: int) -> str:
    """Send one delivery attempt. Safe to run twice or concurrently for the same delivery."""
    delivery = _take(delivery_id)
    if delivery is None:
        return "skipped"
    status_code, error = _send(delivery)
    _finish(delivery, status_code, error)
    logger.info(
        "webhook %s to %s: attempt %s, %s",
        delivery.webhook_id,
        delivery.endpoint.url,
        delivery.attempts,
        delivery.status,
    )
    return delivery.status


def webhook_deliveries_resume() -> int:
    """Enqueue every delivery that is due or whose sending worker died; returns how many.

    `manage.py worker` runs it at start and every minute; `manage.py webhooks_resume` runs it
    alone (from cron, or beside a worker started some other way).
    """
    now = timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(_due(now) | _interrupted(now)).values_list("pk", flat=True)
    )
    for delivery_id in ids:
        webhook_deliver.enqueue(delivery_id)
    return len(ids)
