"""The claim page's "repeated N times since we checked it" and its timeline: what readers see,
what they never see (the sentences, pages and speakers stay on the desk's side), its cost and
its cache."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from claims.models import Claim, SightingStatus
from claims.repeats import claim_repeats
from claims.services.sightings import sighting_record, sighting_status_set
from tests.factories import ArticleFactory, make_published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(fact_checker, editor):
    def _publish(**fields):
        return make_published_claim(checker=fact_checker, editor=editor, **fields)

    return _publish


SENTENCE_ASKED = "Is it true that unemployment fell to 6.1%?"


def said(claim, n: int, *, when: datetime | None = None, url: str = "https://news.example.com/a"):
    return sighting_record(
        claim,
        sentence=f"Secret sentence number {n} says unemployment fell to 6.1%.",
        url=f"{url}/{n}",
        said_at=when,
        speaker_name="A. Speaker",
        score=0.9,
    )[0]


def page(client, claim: Claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_counts_repeats_since_the_check_and_never_shows_what_was_said(
    client, publish, editor
):
    claim = publish()
    for n in range(3):
        said(claim, n)
    earlier = said(claim, 10, when=claim.published_at - timedelta(days=3))
    dismissed = said(claim, 11)
    sighting_status_set(sighting=dismissed, status=SightingStatus.NOT_A_REPEAT, actor=editor)
    # A reader asking the tipline about the claim is not the claim said again.
    sighting_record(claim, sentence=SENTENCE_ASKED, origin="tipline", score=0.9)

    body = page(client, claim)

    assert "Repeated 3 times since we checked it" in body
    assert '<svg class="chart timeline"' in body and 'role="img"' in body
    assert "<caption>Times repeated, by period</caption>" in body
    assert "Secret sentence" not in body and "news.example.com" not in body
    assert "A. Speaker" not in body
    assert earlier.pk  # said before the check: recorded, not counted


def test_a_claim_never_repeated_has_no_repeats_section(client, publish):
    claim = publish()
    assert "since we checked it" not in page(client, claim)
    said(claim, 1, when=claim.published_at - timedelta(days=1))
    assert "since we checked it" not in page(client, claim)  # only a repeat from before


def test_one_repeat_reads_in_the_singular_and_in_italian(client, publish):
    claim = publish()
    said(claim, 1)
    assert "Repeated 1 time since we checked it" in page(client, claim)
    article = ArticleFactory(language="it", text="Il ministro dice che la disoccupazione è scesa.")
    claim = publish(article=article, quote="la disoccupazione è scesa")
    said(claim, 1)
    with override("it"):
        body = page(client, claim)
    assert "Ripetuta 1 volta da quando l'abbiamo verificata" in body
    assert "Volte ripetuta, per periodo" in body


def test_the_claim_page_costs_one_more_query_however_many_repeats(
    client, publish, django_assert_max_num_queries
):
    for count in (1, 40):
        claim = publish()
        for n in range(count):
            said(claim, n)
        # 1 the claim (with "has repeats?"), 2 its evidence, 3 the repeats by period.
        with django_assert_max_num_queries(3):
            body = page(client, claim)
        assert f"Repeated {count} time" in body


def test_a_new_repeat_shows_once_its_transaction_commits(
    client, publish, django_capture_on_commit_callbacks
):
    claim = publish()
    said(claim, 1)
    assert "Repeated 1 time since" in page(client, claim)
    assert "Repeated 1 time since" in page(client, claim)  # served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        said(claim, 2)
    assert "Repeated 2 times since" in page(client, claim)


def _published_on(claim: Claim, moment: datetime) -> Claim:
    Claim.objects.filter(pk=claim.pk).update(published_at=moment)
    claim.refresh_from_db()
    return claim


def test_the_timeline_steps_by_week_month_or_year_and_keeps_empty_periods(publish):
    now = datetime(2026, 6, 17, 12, tzinfo=UTC)  # a Wednesday
    claim = _published_on(publish(), datetime(2026, 5, 20, 9, tzinfo=UTC))
    said(claim, 1, when=datetime(2026, 5, 21, 9, tzinfo=UTC))
    said(claim, 2, when=datetime(2026, 5, 22, 9, tzinfo=UTC))
    said(claim, 3, when=datetime(2026, 6, 16, 9, tzinfo=UTC))
    with timezone.override("UTC"):
        weekly = claim_repeats(claim, now=now)
    assert weekly.step == "week" and weekly.total == 3
    assert weekly.periods == [
        (date(2026, 5, 18), 2),
        (date(2026, 5, 25), 0),
        (date(2026, 6, 1), 0),
        (date(2026, 6, 8), 0),
        (date(2026, 6, 15), 1),
    ]

    claim = _published_on(claim, datetime(2025, 11, 2, tzinfo=UTC))
    with timezone.override("UTC"):
        monthly = claim_repeats(claim, now=now)
    assert monthly.step == "month" and len(monthly.periods) == 8
    assert monthly.periods[-2:] == [(date(2026, 5, 1), 2), (date(2026, 6, 1), 1)]

    claim = _published_on(claim, datetime(2019, 1, 5, tzinfo=UTC))
    with timezone.override("UTC"):
        yearly = claim_repeats(claim, now=now)
    assert yearly.step == "year" and yearly.periods[0] == (date(2019, 1, 1), 0)
    assert yearly.periods[-1] == (date(2026, 1, 1), 3)
