"""POST /api/v1/monitored-sources/{id}/lines/: a live event's transcript, a line at a time."""

import pytest

from api.models import KeyScope
from monitoring.models import MonitoredItem, MonitoredSource
from tests.api.conftest import key_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def debate(db):
    return MonitoredSource.objects.create(name="Dibattito", kind="transcript", language="it")


def lines_url(source):
    return f"/api/v1/monitored-sources/{source.pk}/lines/"


def test_a_posted_line_comes_back_scored_with_its_match(fact_checker, debate, published_debt):
    client = key_client(fact_checker)
    response = client.post(
        lines_url(debate),
        {
            "text": "ROSSI: Il debito pubblico italiano ha superato i 2.800 miliardi di euro.",
            "start": "00:12:03,250",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    (line,) = response.json()
    assert line["speaker"] == "ROSSI" and line["at_ms"] == 723_250
    assert line["match"]["claim"] == published_debt.claim_reviewed
    assert line["kept"] is True
    assert MonitoredItem.objects.get().is_live


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Buonasera a tutti.", "start": "12:99"}, "start"),
        ({"text": "Buonasera a tutti.", "start": "00:00:05", "end": "00:00:01"}, "end"),
        ({"text": ""}, "text"),
        ({"speaker": "ROSSI"}, "text"),
        ({"text": "x" * 6000}, "text"),
    ],
)
def test_broken_lines_are_a_400_with_field_messages(fact_checker, debate, body, field):
    response = key_client(fact_checker).post(lines_url(debate), body, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not MonitoredItem.objects.exists()


def test_a_read_only_key_cannot_post_lines(fact_checker, debate):
    client = key_client(fact_checker, scope=KeyScope.READ)
    response = client.post(lines_url(debate), {"text": "Buonasera a tutti."}, format="json")
    assert response.status_code == 403


def test_a_key_of_someone_without_the_permission_cannot_post(django_user_model, debate):
    outsider = django_user_model.objects.create_user("outsider", is_staff=True)
    response = key_client(outsider).post(lines_url(debate), {"text": "Ciao."}, format="json")
    assert response.status_code == 403


def test_lines_go_only_to_transcript_sources(fact_checker):
    feed = MonitoredSource.objects.create(name="f", kind="feed", url="https://example.org/f")
    response = key_client(fact_checker).post(lines_url(feed), {"text": "Ciao."}, format="json")
    assert response.status_code == 404
