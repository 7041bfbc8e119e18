"""Integrations register their own webhook receivers through the API."""

import pytest
from django.contrib.auth.models import Permission

from api.models import WebhookDelivery, WebhookEndpoint
from claims.events import claim_event_announce
from tests.api.conftest import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def integrator(django_user_model):
    user = django_user_model.objects.create_user("cms-bot", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="integrations", codename__endswith="webhookendpoint"
        )
    )
    return user


def test_an_integration_registers_a_receiver_and_gets_its_secret_once(integrator, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    client = key_client(integrator)
    created = client.post(
        "/api/v1/webhooks/",
        {"name": "cms", "url": "http://127.0.0.1:9/hooks", "events": ["claim.published"]},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["secret"].startswith("whsec_")
    listed = client.get("/api/v1/webhooks/").json()["results"]
    assert [e["name"] for e in listed] == ["cms"]
    assert "secret" not in listed[0]


def test_private_receivers_and_unknown_events_are_refused(integrator):
    client = key_client(integrator)
    private = client.post(
        "/api/v1/webhooks/",
        {"name": "x", "url": "http://169.254.169.254/latest", "events": ["claim.published"]},
    )
    assert private.status_code == 400
    assert "url" in private.json()["errors"]
    unknown = client.post(
        "/api/v1/webhooks/",
        {"name": "x", "url": "https://93.184.216.34/h", "events": ["claim.eaten"]},
    )
    assert unknown.status_code == 400
    assert "events" in unknown.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::7f00:1]/", "http://[2002:a9fe:a9fe::1]/", "http://[::ffff:0:a00:1]/"]
)
def test_ipv6_forms_of_internal_addresses_are_refused_as_receivers(integrator, url):
    response = key_client(integrator).post(
        "/api/v1/webhooks/", {"name": "x", "url": url, "events": ["claim.published"]}
    )
    assert response.status_code == 400
    assert "url" in response.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_callers_see_only_their_own_receivers_and_delivery_log(
    integrator, django_user_model, published
):
    other = django_user_model.objects.create_user("other-bot", is_staff=True)
    theirs = WebhookEndpoint.objects.create(
        name="theirs", url="https://93.184.216.34/h", events=["claim.published"], created_by=other
    )
    mine = WebhookEndpoint.objects.create(
        name="mine",
        url="https://93.184.216.34/m",
        events=["claim.published"],
        created_by=integrator,
    )
    WebhookDelivery.objects.all().delete()
    claim_event_announce(claim=published, event="claim.published")
    client = key_client(integrator)
    assert [e["id"] for e in client.get("/api/v1/webhooks/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404
    log = client.get(f"/api/v1/webhooks/{mine.pk}/deliveries/").json()["results"]
    assert [d["event"] for d in log] == ["claim.published"]
    assert client.delete(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{mine.pk}/").status_code == 204
    assert list(WebhookEndpoint.objects.values_list("name", flat=True)) == ["theirs"]


def test_desk_roles_without_the_permission_cannot_see_webhooks(checker_client, client_anon):
    assert checker_client.get("/api/v1/webhooks/").status_code == 403
    assert client_anon.get("/api/v1/webhooks/").status_code == 401
