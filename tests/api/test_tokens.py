from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import IntegrationKey, KeyScope

pytestmark = pytest.mark.django_db


def _client(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


def test_keys_are_stored_hashed(fact_checker):
    key, secret = IntegrationKey.objects.create_key(name="cms", user=fact_checker)
    stored = IntegrationKey.objects.get(pk=key.pk)
    assert secret not in stored.hashed_key
    assert secret.split(".")[1] not in stored.id


def test_a_key_acts_as_its_staff_member(fact_checker, draft):
    _key, secret = IntegrationKey.objects.create_key(
        name="cms", user=fact_checker, scope=KeyScope.READ
    )
    body = _client(secret).get(f"/api/v1/claims/{draft.pk}/").json()
    assert body["assignee"] == "checker"


def test_an_expired_key_is_refused(fact_checker):
    _key, secret = IntegrationKey.objects.create_key(
        name="cms", user=fact_checker, expiry_date=timezone.now() - timedelta(minutes=1)
    )
    response = _client(secret).get("/api/v1/claims/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_key_is_refused(fact_checker):
    key, secret = IntegrationKey.objects.create_key(name="cms", user=fact_checker)
    key.revoked = True
    key.save()
    assert _client(secret).get("/api/v1/claims/").status_code == 401


def test_a_wrong_key_is_refused_with_the_scheme_to_use(fact_checker):
    key, _secret = IntegrationKey.objects.create_key(name="cms", user=fact_checker)
    response = _client(key.prefix + ".wrong").get("/api/v1/claims/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_read_only_key_cannot_write(fact_checker, draft):
    _key, secret = IntegrationKey.objects.create_key(
        name="reader", user=fact_checker, scope=KeyScope.READ
    )
    response = _client(secret).post(f"/api/v1/claims/{draft.pk}/start-research/")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == "new"


def test_one_live_key_per_integration_name(fact_checker):
    from django.db import IntegrityError, transaction

    first, _ = IntegrationKey.objects.create_key(name="cms", user=fact_checker)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrationKey.objects.create_key(name="cms", user=fact_checker)
    first.revoked = True
    first.save()
    IntegrationKey.objects.create_key(name="cms", user=fact_checker)  # rotation


def test_admin_creates_a_key_and_shows_it_once(admin_client, fact_checker):
    response = admin_client.post(
        "/admin/integrations/integrationkey/add/",
        {"name": "newsroom-cms", "user": fact_checker.pk, "scope": "read_write"},
        follow=True,
    )
    assert response.status_code == 200
    key = IntegrationKey.objects.get(name="newsroom-cms")
    messages = [str(m) for m in response.context["messages"]]
    [message] = [m for m in messages if "store it somewhere safe" in m]
    secret = message.split("is: ")[1].split(". ")[0]
    assert secret.startswith(key.prefix + ".")
    assert _client(secret).get("/api/v1/claims/").status_code == 200


def test_anonymous_callers_are_throttled(client_anon, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute"},
    }
    codes = [client_anon.get("/api/v1/verdicts/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_browser_sessions_need_the_csrf_token_to_write(fact_checker, draft):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(fact_checker)
    assert browser.get(f"/api/v1/claims/{draft.pk}/").status_code == 200
    response = browser.post(f"/api/v1/claims/{draft.pk}/start-research/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == "new"
