"""The desk's figures page: what it counts, its date filter, its CSV, its query count."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Claim
from tests.factories import make_claim, make_published_claim

pytestmark = pytest.mark.django_db
URL = reverse("admin:claims_figures")


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    return client


def _published(fact_checker, editor, n, **fields):
    claims = [make_published_claim(checker=fact_checker, editor=editor, **fields) for _ in range(n)]
    return claims


def test_figures_count_published_backlog_and_workload(desk, fact_checker, editor):
    claims = _published(fact_checker, editor, 3, claimant="Giorgia Meloni", verdict_code="false")
    # Entered 10 days before its verdict, the others the same day.
    Claim.objects.filter(pk=claims[0].pk).update(
        created_at=claims[0].published_at - timedelta(days=10)
    )
    old = make_claim(claimant="Someone")
    Claim.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    services.claim_assign(claim=make_claim(), actor=editor, assignee=fact_checker)
    body = desk.get(URL).content.decode()
    assert '<svg class="chart"' in body
    assert "Giorgia Meloni" in body
    assert "Fran" in body  # the checker's workload
    figures = desk.get(URL).context["figures"]
    assert figures.published == 3
    assert figures.median_days == 0.0 and figures.p90_days == 10.0
    backlog = {(status, age): n for status, age, n in figures.backlog}
    assert backlog[("new", "30-90")] == 1 and backlog[("new", "0-7")] == 1
    assert {name: total for name, _counts, total in figures.by_claimant.rows}["Giorgia Meloni"] == 3


def test_date_filter_and_csv(desk, fact_checker, editor):
    claim = _published(fact_checker, editor, 1, claimant="Mario Rossi")[0]
    Claim.objects.filter(pk=claim.pk).update(published_at=timezone.now() - timedelta(days=400))
    assert desk.get(URL).context["figures"].published == 0
    since = (timezone.localdate() - timedelta(days=500)).isoformat()
    response = desk.get(URL, {"since": since, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "group", "key", "value"]
    assert ["verdicts_by_claimant", "Mario Rossi", "false", "1"] in rows


def test_a_bad_range_is_a_form_error(desk):
    response = desk.get(URL, {"since": "2024-05-01", "until": "2024-01-01"})
    assert response.status_code == 400
    assert "The range must start before it ends." in response.content.decode()
    assert desk.get(URL, {"since": "yesterday"}).status_code == 400


def test_readers_and_non_desk_staff_may_not_see_it(client, django_user_model):
    assert client.get(URL).status_code == 302  # to the login page
    staff = django_user_model.objects.create_user("accountant", is_staff=True)
    client.force_login(staff)
    assert client.get(URL).status_code == 403


def test_figures_take_the_same_queries_for_more_claims(
    desk, fact_checker, editor, django_assert_max_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert desk.get(URL).status_code == 200
        return len(captured)

    _published(fact_checker, editor, 1, claimant="A")
    few = count_queries()
    _published(fact_checker, editor, 4, claimant="B")
    make_claim(claimant="C")
    # The session, the user and their permissions, then one query a figure (the scale, the
    # durations, weeks, backlog, three verdict tables, workload): none grows with the claims.
    assert few <= 12
    with django_assert_max_num_queries(few):
        desk.get(URL)
