import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from api.webhooks import (
    LEASE,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    SEND_TIMEOUT,
    webhook_deliver,
    webhook_deliveries_resume,
)
from claims import services
from claims.events import claim_event_announce
from tests.factories import SourceFactory, make_claim, verdict
from tests.rebinding import assert_went_only_to_the_checked_address

pytestmark = pytest.mark.django_db


def endpoint_for(receiver, events=("claim.published",), **fields):
    endpoint = WebhookEndpoint(name="aggregator", url=receiver.url, events=list(events), **fields)
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def receiver_verifies(request, secret: str, tolerance=300) -> bool:
    """What a receiver does (Standard Webhooks): recompute the HMAC, compare in constant time,
    reject stale timestamps."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{msg_id}.{timestamp}.".encode() + request["body"]
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, sig.split(",", 1)[1])
        for sig in headers["webhook-signature"].split()
        if sig.startswith("v1,")
    )


def test_publishing_a_claim_sends_a_signed_webhook(
    receiver, fact_checker, editor, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver)
    claim = make_claim(created_by=fact_checker)
    claim = services.claim_start_research(claim=claim, actor=fact_checker)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
    claim = services.claim_update(
        claim=claim, actor=fact_checker, verdict=verdict("false"), rationale="No."
    )
    claim = services.claim_submit_for_review(claim=claim, actor=fact_checker)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        claim = services.claim_publish(claim=claim, actor=editor)
    [request] = receiver.requests
    assert receiver_verifies(request, endpoint.secret)
    payload = json.loads(request["body"])
    assert payload["type"] == "claim.published"
    assert payload["data"]["id"] == claim.pk
    assert payload["data"]["claim_review"]["reviewRating"]["alternateName"] == "False"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert request["headers"]["webhook-id"] == str(delivery.webhook_id)


def test_a_tampered_body_fails_verification(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        claim_event_announce(claim=published, event="claim.published")
    [request] = receiver.requests
    tampered = {**request, "body": request["body"].replace(b"False", b"True")}
    assert receiver_verifies(request, endpoint.secret)
    assert not receiver_verifies(tampered, endpoint.secret)
    assert not receiver_verifies(request, "whsec_" + base64.b64encode(b"x" * 32).decode())


def test_nothing_is_sent_for_a_change_that_rolled_back(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint_for(receiver)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        claim_event_announce(claim=published, event="claim.published")
        raise RuntimeError("the publish failed after recording")
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_only_active_endpoints_subscribed_to_the_event_get_it(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, events=["claim.corrected"])
    endpoint_for(receiver, is_active=False)
    wanted = endpoint_for(receiver, events=["claim.published", "claim.unpublished"])
    with django_capture_on_commit_callbacks(execute=True):
        deliveries = claim_event_announce(claim=published, event="claim.published")
    assert [d.endpoint for d in deliveries] == [wanted]
    assert len(receiver.requests) == 1


def test_a_failed_delivery_is_retried_with_backoff(
    receiver, published, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    endpoint_for(receiver)
    receiver.statuses = [503]
    [delivery] = claim_event_announce(claim=published, event="claim.published")
    before = timezone.now()
    assert webhook_deliver.call(delivery.pk) == DeliveryStatus.RETRYING
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (1, 503)
    assert "503" in delivery.last_error
    assert delivery.next_attempt_at >= before + timedelta(seconds=RETRY_DELAYS[0])
    [retry] = default_task_backend.results
    assert retry.task.run_after == delivery.next_attempt_at
    # Not due yet: running early does nothing.
    assert webhook_deliver.call(delivery.pk) == "skipped"
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhook_deliver.call(delivery.pk) == DeliveryStatus.DELIVERED
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert ids == {str(delivery.webhook_id)}


def test_a_delivery_gives_up_after_the_last_attempt(receiver, published):
    endpoint_for(receiver)
    receiver.statuses = [500] * MAX_ATTEMPTS
    [delivery] = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=WebhookEndpoint.objects.get(),
                event="claim.published",
                claim=published,
                payload={"type": "claim.published"},
            )
        ]
    )
    for _attempt in range(MAX_ATTEMPTS):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        webhook_deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_a_worker_killed_mid_send_is_retried_with_the_same_id_and_never_resent_after(
    receiver, published, monkeypatch
):
    """The receiver got the webhook but the worker died before recording it: the retry carries
    the same webhook-id, so the receiver keeps one; once delivered, nothing is sent again."""
    from api import webhooks

    endpoint_for(receiver)
    delivery = WebhookDelivery.objects.create(
        endpoint=WebhookEndpoint.objects.get(),
        event="claim.published",
        claim=published,
        payload={"type": "claim.published", "data": {"id": published.pk}},
    )

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(webhooks, "_finish", killed)
    with pytest.raises(SystemExit):
        webhook_deliver.call(delivery.pk)
    monkeypatch.undo()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING
    assert len(receiver.requests) == 1

    # While the lease runs, another worker leaves it alone (the first may still be sending).
    assert webhook_deliver.call(delivery.pk) == "skipped"
    assert webhook_deliveries_resume() == 0

    # The lease expires: the sweep hands it out again and it is delivered, same id.
    WebhookDelivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    assert webhook_deliveries_resume() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    seen = [r["headers"]["webhook-id"] for r in receiver.requests]
    assert seen == [str(delivery.webhook_id)] * 2
    assert len(set(seen)) == 1  # what the receiver keeps after de-duplicating

    assert webhook_deliveries_resume() == 0
    assert webhook_deliver.call(delivery.pk) == "skipped"
    assert len(receiver.requests) == 2


def test_resume_command_reports_what_it_queued(receiver, published, capsys):
    endpoint_for(receiver)
    WebhookDelivery.objects.create(
        endpoint=WebhookEndpoint.objects.get(),
        event="claim.published",
        claim=published,
        payload={},
        status=DeliveryStatus.RETRYING,
        next_attempt_at=timezone.now(),
    )
    call_command("webhooks_resume")
    assert "Queued 1 webhook deliveries." in capsys.readouterr().out
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_an_unreachable_receiver_is_logged_for_the_admin(settings, published):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = WebhookEndpoint.objects.create(
        name="gone", url="http://127.0.0.1:9/hooks", events=["claim.published"]
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="claim.published", claim=published, payload={}
    )
    webhook_deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_status_code is None
    assert delivery.last_error


def test_a_host_that_now_resolves_privately_is_not_sent_to(receiver, published, settings):
    endpoint = endpoint_for(receiver)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="claim.published", claim=published, payload={}
    )
    webhook_deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert receiver.requests == []
    assert "private" in delivery.last_error


def delivery_to(url, claim):
    # Made directly: full_clean() would resolve the host, and these tests count lookups.
    endpoint = WebhookEndpoint.objects.create(name="r", url=url, events=["claim.published"])
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event="claim.published", claim=claim, payload={"type": "x"}
    )


def test_a_delivery_goes_only_to_the_address_that_was_checked(rebinding_dns, published):
    """The receiver's name answers a public address, then 127.0.0.1: the POST must never
    reach loopback (its status and error would make the API a port scanner)."""
    delivery = delivery_to(rebinding_dns.url("/hooks"), published)
    webhook_deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert rebinding_dns.connects, "the checked public address was not even tried"
    assert_went_only_to_the_checked_address(rebinding_dns)
    assert delivery.status == DeliveryStatus.RETRYING and delivery.last_status_code is None


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_send_timeout(
    trickling_server, published, settings, monkeypatch
):
    """Else a send could outlive its lease and a second worker would send the same webhook."""
    from api import webhooks

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    monkeypatch.setattr(webhooks, "SEND_TIMEOUT", 1.0)
    delivery = delivery_to(trickling_server.url + "/hooks", published)
    started = time.monotonic()
    webhook_deliver.call(delivery.pk)
    assert time.monotonic() - started < 1.5
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error == "The receiver did not answer in time."


def test_a_send_always_ends_well_inside_its_lease():
    # DNS lookups come before the send's deadline starts; the margin is for them.
    assert LEASE.total_seconds() >= SEND_TIMEOUT * 3


def test_a_redirect_is_a_failed_delivery_and_is_not_followed(http_server, published, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    http_server.routes["/hooks"] = (307, {"Location": "/elsewhere"}, b"")
    delivery = delivery_to(http_server.url + "/hooks", published)
    webhook_deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert [path for _method, path, _headers in http_server.requests] == ["/hooks"]
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.RETRYING, 307)


def test_the_stored_error_does_not_describe_the_network(settings, published):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    delivery = delivery_to("http://127.0.0.1:9/hooks", published)
    webhook_deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error == "The receiver could not be reached."


def test_a_receiver_url_with_accented_letters_is_delivered_to(receiver, published):
    delivery = delivery_to(receiver.url + "/notizie/città", published)
    assert webhook_deliver.call(delivery.pk) == DeliveryStatus.DELIVERED


def test_unknown_events_are_a_programming_error(published):
    with pytest.raises(ValueError, match="Unknown webhook event"):
        claim_event_announce(claim=published, event="claim.exploded")


def test_endpoint_needs_known_events():
    endpoint = WebhookEndpoint(name="x", url="http://93.184.216.34/h", events=["claim.eaten"])
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert "events" in error.value.message_dict


def test_admin_lists_deliveries_and_refuses_private_urls(admin_client, receiver, published):
    endpoint_for(receiver)
    claim_event_announce(claim=published, event="claim.published")
    assert admin_client.get("/admin/integrations/webhookdelivery/").status_code == 200
    assert (
        admin_client.get(
            f"/admin/integrations/webhookendpoint/{WebhookEndpoint.objects.get().pk}/change/"
        ).status_code
        == 200
    )
    from django.conf import settings

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = admin_client.post(
        "/admin/integrations/webhookendpoint/add/",
        {
            "name": "evil",
            "url": "http://169.254.169.254/latest",
            "events": ["claim.published"],
            "secret": "whsec_" + base64.b64encode(b"k" * 32).decode(),
            "is_active": "on",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "private" in response.content.decode()
    assert WebhookEndpoint.objects.count() == 1


def test_corrections_and_unpublishing_send_their_own_events(
    receiver, published, editor, second_editor, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, events=["claim.corrected", "claim.unpublished"])
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_correct(
            claim=published,
            actor=second_editor,
            note="We misread the table.",
            verdict=verdict("mostly-false"),
        )
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.claim_unpublish(claim=claim, actor=second_editor, reason="Re-checking.")
    corrected, unpublished = receiver.payloads()
    assert corrected["type"] == "claim.corrected"
    assert corrected["data"]["correction_note"] == "We misread the table."
    assert corrected["data"]["verdict"] == "mostly-false"
    assert unpublished["type"] == "claim.unpublished"
    assert unpublished["data"]["unpublished_reason"] == "Re-checking."
    assert "claim_review" not in unpublished["data"]


def test_a_delivery_queued_before_its_endpoint_is_deactivated_is_not_sent(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver)
    with django_capture_on_commit_callbacks() as queued:
        [delivery] = claim_event_announce(claim=published, event="claim.published")
    endpoint.is_active = False
    endpoint.save()
    for enqueue in queued:  # the worker gets to it after the deactivation
        enqueue()
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.last_error == "Not sent: the endpoint is inactive."
    # Cancelled stays cancelled: not due, not interrupted, even once the endpoint is back.
    endpoint.is_active = True
    endpoint.save()
    assert webhook_deliveries_resume() == 0
    assert receiver.requests == []


def test_a_retry_waiting_when_its_endpoint_is_deactivated_is_not_sent(receiver, published):
    endpoint = endpoint_for(receiver)
    receiver.statuses = [503]
    [delivery] = claim_event_announce(claim=published, event="claim.published")
    assert webhook_deliver.call(delivery.pk) == DeliveryStatus.RETRYING
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhook_deliveries_resume() == 1
    assert len(receiver.requests) == 1  # the first attempt only
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.CANCELLED, 1)


def test_deleting_an_endpoint_drops_its_queued_deliveries(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver)
    with django_capture_on_commit_callbacks() as queued:
        [delivery] = claim_event_announce(claim=published, event="claim.published")
    endpoint.delete()
    for enqueue in queued:
        enqueue()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.filter(pk=delivery.pk).exists()
