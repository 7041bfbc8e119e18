"""The claim.repeated webhook: a new sighting of a published check, sent once its
transaction commits, once per sighting."""

import json

import pytest
from django.db import transaction

from api.models import WebhookDelivery
from claims import services
from claims.services.sightings import sighting_record
from tests.api.webhooks.test_webhooks import endpoint_for, receiver_verifies

pytestmark = pytest.mark.django_db

SENTENCE = "The minister said once more that unemployment fell to 6.1%."


def test_a_new_sighting_sends_a_signed_claim_repeated_event(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, events=["claim.repeated"])
    with django_capture_on_commit_callbacks(execute=True):
        sighting, _ = sighting_record(
            published,
            sentence=SENTENCE,
            url="https://news.example.com/today",
            outlet_name="Example News",
            speaker_name="The minister",
            score=0.88,
        )
        assert receiver.requests == []  # nothing leaves before the commit
    [request] = receiver.requests
    assert receiver_verifies(request, endpoint.secret)
    payload = json.loads(request["body"])
    assert payload["type"] == "claim.repeated"
    assert payload["data"]["id"] == published.pk
    assert payload["data"]["claim_review"]["claimReviewed"] == published.claim_reviewed
    assert payload["data"]["sighting"] == {
        **payload["data"]["sighting"],
        "id": sighting.pk,
        "sentence": SENTENCE,
        "url": "https://news.example.com/today",
        "outlet_name": "Example News",
        "speaker_name": "The minister",
        "score": 0.88,
        "status": "new",
        "origin": "monitoring",
    }


def test_the_same_sighting_twice_is_announced_once(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, events=["claim.repeated"])
    with django_capture_on_commit_callbacks(execute=True):
        sighting_record(published, sentence=SENTENCE, url="https://news.example.com/a", score=0.9)
        sighting_record(published, sentence=SENTENCE, url="https://news.example.com/a", score=0.9)
    assert len(receiver.requests) == 1


def test_a_sighting_that_rolled_back_sends_nothing(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, events=["claim.repeated"])
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sighting_record(published, sentence=SENTENCE, score=0.9)
        raise RuntimeError("the monitor's batch failed")
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_no_event_for_a_claim_readers_cannot_see(
    receiver, published, editor, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, events=["claim.repeated"])
    claim = services.claim_unpublish(claim=published, actor=editor, reason="Withdrawn.")
    with django_capture_on_commit_callbacks(execute=True):
        _, created = sighting_record(claim, sentence=SENTENCE, score=0.9)
    assert created
    assert receiver.requests == []


def test_subscribers_to_other_events_do_not_get_it(
    receiver, published, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, events=["claim.published"])
    with django_capture_on_commit_callbacks(execute=True):
        sighting_record(published, sentence=SENTENCE, score=0.9)
    assert receiver.requests == []
