"""Every change made in the admin is on the record: who, when, and which fields."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Article, Evidence
from sources.models import Outlet, Source
from tests.factories import ArticleFactory, OutletFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db


def test_outlet_changed_in_the_admin_shows_a_field_level_diff(client, editor):
    outlet = OutletFactory(name="Old name")
    client.force_login(editor)
    url = reverse("admin:sources_outlet_change", args=[outlet.pk])
    client.post(
        url,
        {
            "name": "New name",
            "domain": outlet.domain,
            "reliability": "reliable",
            "reliability_note": "Corrections policy.",
        },
    )
    record = outlet.history.latest()
    assert record.history_user == editor
    delta = record.diff_against(record.prev_record)
    assert {c.field: (c.old, c.new) for c in delta.changes}["name"] == ("Old name", "New name")
    page = client.get(reverse("admin:sources_outlet_history", args=[outlet.pk])).content.decode()
    assert "Old name" in page and "New name" in page


def test_fact_checker_cannot_rate_an_outlet(client, fact_checker):
    outlet = OutletFactory(name="Paper")
    client.force_login(fact_checker)
    url = reverse("admin:sources_outlet_change", args=[outlet.pk])
    form = client.get(url).context["adminform"].form
    assert "reliability" not in form.fields
    client.post(url, {"name": "Paper", "domain": outlet.domain, "reliability": "reliable"})
    outlet.refresh_from_db()
    assert outlet.reliability == "unrated"


def test_bulk_delete_of_evidence_is_recorded_per_row_with_its_author(client, editor):
    claim = make_claim()
    rows = [
        services.evidence_add(claim=claim, source=SourceFactory(), stance="context")
        for _ in range(3)
    ]
    client.force_login(editor)
    client.post(
        reverse("admin:claims_evidence_changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in rows], "post": "yes"},
    )
    assert not Evidence.objects.exists()
    deleted = Evidence.history.filter(history_type="-")
    assert deleted.count() == 3
    assert {record.history_user for record in deleted} == {editor}


def test_article_and_source_created_in_the_admin_are_recorded(client, editor):
    client.force_login(editor)
    client.post(
        reverse("admin:sources_source_add"),
        {"url": "https://www.istat.it/report?utm_source=x", "title": "ISTAT", "kind": "other"},
    )
    source = Source.objects.get()
    assert source.history.get().history_user == editor
    # A new source joins the outlet of its domain, as through every other door.
    assert source.outlet == Outlet.objects.get(domain="istat.it")
    article = ArticleFactory()
    client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        {
            "title": "Renamed",
            "slug": article.slug,
            "language": "en",
            "text": article.text,
            "published_precision": "day",
            "claims-TOTAL_FORMS": "0",
            "claims-INITIAL_FORMS": "0",
        },
    )
    assert Article.history.filter(id=article.pk).latest().history_user == editor


def test_duplicate_source_is_a_form_error(client, editor):
    SourceFactory(url="https://data.example/a")
    client.force_login(editor)
    response = client.post(
        reverse("admin:sources_source_add"), {"url": "https://data.example/a#x", "kind": "other"}
    )
    assert response.status_code == 200
    assert "already stored" in response.context["adminform"].form.errors["url"][0]


def test_evidence_cannot_be_added_to_a_dismissed_claim_through_the_evidence_admin(client, editor):
    claim = services.claim_dismiss(claim=make_claim(), actor=editor, reason="Opinion.")
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_evidence_add"),
        {"claim": claim.pk, "source": SourceFactory().pk, "stance": "supports"},
    )
    assert response.status_code == 200
    assert "dismissed" in response.context["adminform"].form.errors["claim"][0]
    assert not Evidence.objects.exists()


def test_evidence_added_through_the_evidence_admin_records_who_added_it(client, fact_checker):
    claim = make_claim()
    client.force_login(fact_checker)
    client.post(
        reverse("admin:claims_evidence_add"),
        {"claim": claim.pk, "source": SourceFactory().pk, "stance": "supports"},
    )
    assert Evidence.objects.get().added_by == fact_checker


def test_claim_history_page_shows_each_change_field_by_field(client, fact_checker):
    claim = make_claim(created_by=fact_checker)
    services.claim_update(claim=claim, actor=fact_checker, claimant="The minister")
    client.force_login(fact_checker)
    page = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert "<strong>Claimant:</strong>" in page and "The minister" in page
    # Both entries name their author, the creation included.
    assert page.count(f'href="/admin/auth/user/{fact_checker.pk}/change/"') == 2
