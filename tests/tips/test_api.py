"""POST /api/v1/tips/: a tipline bot sends a reader's tip with its API key."""

import pytest
from rest_framework.test import APIClient

from api.models import KeyScope
from tests.api.conftest import key_client
from tips.models import Tip, TipRequest

pytestmark = pytest.mark.django_db

URL = "/api/v1/tips/"
BRIDGE = "The new bridge over the river cost the city 40 million euros"


@pytest.fixture
def bot(fact_checker):
    return key_client(fact_checker, name="whatsapp-bridge")


def test_a_new_question_gets_a_thank_you_with_the_request_reference(bot):
    response = bot.post(
        URL,
        {"text": BRIDGE, "language": "it", "email": "r@example.org", "notify": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    request = TipRequest.objects.get()
    assert body["status"] == "received" and body["request"] == str(request.reference)
    assert body["claims"] == [] and body["fact_checks"] == []
    assert "ti scriveremo" in body["message"].lower() or "scriver" in body["message"].lower()
    assert Tip.objects.get().channel == "api"


def test_a_published_check_is_answered_at_once(bot, published_debt):
    response = bot.post(
        URL,
        {
            "text": "Is it true that Italy's public debt has passed 2,800 billion euros?",
            "language": "en",
        },
        format="json",
    )
    body = response.json()
    assert body["status"] == "answered"
    assert [claim["id"] for claim in body["claims"]] == [published_debt.pk]
    assert body["claims"][0]["url"].endswith(
        published_debt.get_absolute_url().replace("/it/", "/en/")
    )


def test_another_organisations_check_comes_back_as_theirs(bot, their_vaccine_check):
    body = bot.post(
        URL, {"text": "Does the measles vaccine cause autism in children?", "language": "en"}
    ).json()
    (check,) = body["fact_checks"]
    assert check["kind"] == "external"
    assert check["organization"]["name"] == "Checkers Example"
    assert check["rating"]["text"] == "Pants on Fire"


def test_bad_input_is_a_400_with_field_messages(bot):
    response = bot.post(URL, {"text": "<p>Hi</p> there, the mayor lied", "language": "xx"})
    assert response.status_code == 400
    errors = response.json()["errors"] if "errors" in response.json() else response.json()
    text = str(errors)
    assert "language" in text
    response = bot.post(URL, {"text": "<p>Hi</p> there, the mayor lied", "language": "en"})
    assert response.status_code == 400 and "HTML" in str(response.json())
    assert not TipRequest.objects.exists()


def test_a_key_is_required_and_a_read_only_key_cannot_send(fact_checker):
    assert APIClient().post(URL, {"text": BRIDGE, "language": "en"}).status_code == 401
    reader = key_client(fact_checker, scope=KeyScope.READ, name="read-only")
    assert reader.post(URL, {"text": BRIDGE, "language": "en"}).status_code == 403


def test_one_tipline_reader_is_rate_limited(bot, settings):
    settings.TIPS_RATE_PER_ADDRESS = 2
    codes = [
        bot.post(URL, {"text": f"{BRIDGE} {n}", "language": "en", "reader": "hash-1"}).status_code
        for n in range(3)
    ]
    assert codes == [201, 201, 429]
    other = bot.post(URL, {"text": BRIDGE, "language": "en", "reader": "hash-2"})
    assert other.status_code == 201


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/tips/"]["post"]
    assert "201" in operation["responses"] and "400" in operation["responses"]


def test_a_retried_post_with_the_same_idempotency_key_counts_once(bot):
    headers = {"Idempotency-Key": "wa-msg-123"}
    first = bot.post(URL, {"text": BRIDGE, "language": "en"}, format="json", headers=headers)
    again = bot.post(URL, {"text": BRIDGE, "language": "en"}, format="json", headers=headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert TipRequest.objects.get().count == 1


def test_notify_without_an_address_is_ignored_not_refused(bot):
    response = bot.post(URL, {"text": BRIDGE, "language": "en", "notify": True}, format="json")
    assert response.status_code == 201
    assert "write to you" not in response.json()["message"]
