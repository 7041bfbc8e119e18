"""Recording sightings and marking them: the one interface monitoring, the API and the admin
share (claims/services/sightings.py)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claimants.services import claimant_create
from claims.models import Sighting, SightingStatus
from claims.services.sightings import sighting_record, sighting_status_set
from sources.services import outlet_get_or_create
from tests.factories import make_published_claim

pytestmark = pytest.mark.django_db

SENTENCE = "Unemployment fell to 6.1% in 2023, the minister said again."


@pytest.fixture
def claim(fact_checker, editor):
    return make_published_claim(checker=fact_checker, editor=editor)


def test_a_sighting_is_recorded_once_per_claim_url_and_sentence(claim):
    first, created = sighting_record(
        claim, sentence=SENTENCE, url="https://news.example.com/a?utm_source=x", score=0.91
    )
    again, created_again = sighting_record(
        claim, sentence=f"  {SENTENCE}\n", url="https://NEWS.example.com/a#top", score=0.8
    )
    assert created and not created_again
    assert again.pk == first.pk
    assert first.url == "https://news.example.com/a"
    assert first.status == SightingStatus.NEW
    # Another page saying the same sentence is another sighting.
    _, created_elsewhere = sighting_record(
        claim, sentence=SENTENCE, url="https://other.example.org/b", score=0.9
    )
    assert created_elsewhere
    assert claim.sightings.count() == 2


def test_a_known_outlet_and_claimant_are_linked_by_url_host_and_speaker_name(claim):
    outlet, _ = outlet_get_or_create(domain="wsj.com", name="The Wall Street Journal")
    speaker = claimant_create(name="Giorgia Meloni", aliases="Meloni")
    sighting, _ = sighting_record(
        claim,
        sentence=SENTENCE,
        url="https://www.wsj.com/articles/x",
        speaker_name="meloni",
        said_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        score=0.8,
        language="en",
    )
    assert sighting.outlet == outlet
    assert sighting.outlet_name == "The Wall Street Journal"
    assert sighting.claimant == speaker
    assert sighting.speaker_name == "meloni"


def test_an_unknown_host_creates_no_outlet(claim):
    sighting, _ = sighting_record(
        claim, sentence=SENTENCE, url="https://blog.unknown.example/p", score=0.8
    )
    assert sighting.outlet is None
    assert sighting.outlet_name == ""


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"sentence": "   "}, "sentence"),
        ({"sentence": "x" * 2001}, "sentence"),
        ({"url": "ftp://example.com/file"}, "url"),
        ({"score": 1.5}, "score"),
        ({"score": "high"}, "score"),
        ({"origin": "rumour"}, "origin"),
        ({"said_at": datetime(2025, 3, 1, 9, 30)}, "said_at"),
        ({"speaker_name": "n" * 201}, "speaker_name"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_written(claim, fields, bad):
    arguments = {"sentence": SENTENCE, "score": 0.9, **fields}
    with pytest.raises(ValidationError) as error:
        sighting_record(claim, **arguments)
    assert bad in error.value.message_dict
    assert not Sighting.objects.exists()


def test_marking_a_sighting_records_who_and_when(claim, editor):
    sighting, _ = sighting_record(claim, sentence=SENTENCE, score=0.9)
    marked = sighting_status_set(
        sighting=sighting, status=SightingStatus.CORRECTION_REQUESTED, actor=editor
    )
    assert marked.status == SightingStatus.CORRECTION_REQUESTED
    assert marked.status_changed_by == editor
    assert marked.status_changed_at is not None


def test_an_unknown_status_is_a_field_error(claim, editor):
    sighting, _ = sighting_record(claim, sentence=SENTENCE, score=0.9)
    with pytest.raises(ValidationError) as error:
        sighting_status_set(sighting=sighting, status="fixed", actor=editor)
    assert "status" in error.value.message_dict
    sighting.refresh_from_db()
    assert sighting.status == SightingStatus.NEW


def test_someone_without_the_permission_cannot_mark_sightings(claim, django_user_model):
    sighting, _ = sighting_record(claim, sentence=SENTENCE, score=0.9)
    outsider = django_user_model.objects.create_user("outsider", is_staff=True)
    with pytest.raises(PermissionDenied):
        sighting_status_set(sighting=sighting, status=SightingStatus.CORRECTED, actor=outsider)
