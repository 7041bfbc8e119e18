"""Sightings through the API: desk only; marking goes through sighting_status_set with
field messages for bad input; recording is idempotent like monitoring's."""

import pytest
from django.contrib.auth.models import Permission

from api.models import KeyScope
from claims.models import Sighting, SightingStatus
from claims.services.sightings import sighting_record
from tests.api.conftest import key_client

pytestmark = pytest.mark.django_db

SENTENCE = "Unemployment fell to 6.1% in 2023, she said again."


@pytest.fixture
def sighting(published):
    return sighting_record(
        published, sentence=SENTENCE, url="https://news.example.com/a", score=0.9
    )[0]


def test_an_editor_marks_a_sighting_and_who_is_recorded(editor_client, editor, sighting):
    response = editor_client.post(
        f"/api/v1/sightings/{sighting.pk}/status/", {"status": "correction_requested"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "correction_requested"
    assert body["status_changed_by"] == editor.username
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.CORRECTION_REQUESTED
    assert sighting.status_changed_by == editor


def test_an_unknown_or_missing_status_is_a_400_with_the_field(editor_client, sighting):
    url = f"/api/v1/sightings/{sighting.pk}/status/"
    for body in ({"status": "fixed"}, {}, {"status": ["new", "corrected"]}):
        response = editor_client.post(url, body)
        assert response.status_code == 400, body
        assert response["Content-Type"] == "application/problem+json"
        assert "status" in response.json()["errors"]
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.NEW


def test_a_read_only_key_or_an_anonymous_caller_cannot_mark(editor, client_anon, sighting):
    reader = key_client(editor, scope=KeyScope.READ)
    url = f"/api/v1/sightings/{sighting.pk}/status/"
    assert reader.post(url, {"status": "corrected"}).status_code == 403
    assert client_anon.post(url, {"status": "corrected"}).status_code in (401, 403)
    assert client_anon.get("/api/v1/sightings/").status_code in (401, 403)
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.NEW


def test_the_desk_lists_sightings_by_status_and_claim(editor_client, published, sighting):
    other, _ = sighting_record(published, sentence="Another repeat of it.", score=0.8)
    editor_client.post(f"/api/v1/sightings/{other.pk}/status/", {"status": "not_a_repeat"})
    listed = editor_client.get("/api/v1/sightings/?status=new").json()["results"]
    assert [row["id"] for row in listed] == [sighting.pk]
    by_claim = editor_client.get(f"/api/v1/sightings/?claim={published.pk}").json()["results"]
    assert {row["id"] for row in by_claim} == {sighting.pk, other.pk}
    bad = editor_client.get("/api/v1/sightings/?status=whatever")
    assert bad.status_code == 400


def test_the_sightings_list_costs_the_same_however_many(
    editor_client, published, django_assert_max_num_queries
):
    for n in range(30):
        sighting_record(published, sentence=f"Repeat {n} of the claim.", score=0.9)
    # 1 the key with its user, 2-3 the user's permissions, 4 the page of sightings with who
    # marked them; the key's last-used stamp may add a write.
    with django_assert_max_num_queries(6):
        response = editor_client.get("/api/v1/sightings/?page_size=100")
    assert len(response.json()["results"]) == 30


def test_recording_through_the_api_needs_the_permission_and_is_idempotent(
    editor, editor_client, published
):
    body = {
        "claim": published.pk,
        "sentence": SENTENCE,
        "url": "https://radio.example.com/show",
        "score": 0.85,
    }
    assert editor_client.post("/api/v1/sightings/", body).status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="add_sighting"))
    first = editor_client.post("/api/v1/sightings/", body)
    assert first.status_code == 201 and first.json()["origin"] == "api"
    again = editor_client.post("/api/v1/sightings/", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    bad = editor_client.post("/api/v1/sightings/", {**body, "url": "ftp://x", "score": 3})
    assert bad.status_code == 400
    assert {"url", "score"} <= set(bad.json()["errors"])
    for when in ("0001-01-01T00:00:00+14:00", "2999-01-01T00:00:00Z"):
        bad = editor_client.post("/api/v1/sightings/", {**body, "said_at": when}, format="json")
        assert bad.status_code == 400 and "said_at" in bad.json()["errors"], when
    assert Sighting.objects.count() == 1
