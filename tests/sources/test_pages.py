"""Source and outlet pages: what cites them, and never a draft."""

import pytest
from django.core.cache import cache

from claims import services
from sources.models import Reliability
from tests.factories import OutletFactory, SourceFactory, make_claim, make_published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet():
    return OutletFactory(
        name="Daily Example",
        domain="daily.example",
        reliability=Reliability.MIXED,
        reliability_note="Accurate on economics, less so on foreign affairs.",
    )


def test_source_page_lists_the_published_checks_that_cite_it(client, fact_checker, editor, outlet):
    source = SourceFactory(
        outlet=outlet, link_status_code=410, archive_url="https://arch.example/1"
    )
    claim = make_published_claim(checker=fact_checker, editor=editor)
    services.evidence_add(claim=claim, source=source, stance="supports")
    draft = make_claim(claim_reviewed="Draft citing the same source")
    services.evidence_add(claim=draft, source=source, stance="refutes")
    body = client.get(source.get_absolute_url()).content.decode()
    assert claim.get_absolute_url() in body and "Supports" in body
    assert draft.slug not in body
    assert "Link no longer works" in body and "https://arch.example/1" in body
    assert "Reliability: Mixed" in body


def test_a_source_cited_only_by_drafts_is_not_found(client):
    source = SourceFactory()
    services.evidence_add(claim=make_claim(), source=source, stance="supports")
    assert client.get(source.get_absolute_url()).status_code == 404


def test_outlet_page_shows_its_reliability_note_and_what_cites_it(
    client, fact_checker, editor, outlet
):
    claim = make_published_claim(checker=fact_checker, editor=editor)
    source = SourceFactory(outlet=outlet, title="Budget report")
    services.evidence_add(claim=claim, source=source, stance="context")
    body = client.get(outlet.get_absolute_url()).content.decode()
    assert "Accurate on economics, less so on foreign affairs." in body
    assert "Mixed" in body
    assert "Budget report" in body and claim.get_absolute_url() in body


def test_an_outlet_without_published_checks_is_not_found(client, outlet):
    assert client.get(outlet.get_absolute_url()).status_code == 404


def test_outlet_page_query_count_is_constant(
    client, fact_checker, editor, outlet, django_assert_max_num_queries
):
    for size in (1, 4):
        for _ in range(size):
            claim = make_published_claim(checker=fact_checker, editor=editor)
            services.evidence_add(
                claim=claim, source=SourceFactory(outlet=outlet), stance="context"
            )
        cache.clear()  # measure a render, not a page-cache hit
        # 1 outlet, 2 its cited sources, 3 their public citations with claims and verdicts,
        # 4 claims on its articles.
        with django_assert_max_num_queries(4):
            body = client.get(outlet.get_absolute_url()).content.decode()
        assert body.count("/claims/") >= size


def test_outlet_and_author_names_lose_bidi_controls_and_are_isolated_on_the_page(
    client, fact_checker, editor
):
    from sources.services import outlet_get_or_create, source_get_or_create

    outlet, _ = outlet_get_or_create(domain="rlo.example", name="The \u202eDaily")
    source, _ = source_get_or_create(
        url="https://rlo.example/report", title="Report", authors="Ann \u202eLee", outlet=outlet
    )
    assert (outlet.name, source.authors) == ("The Daily", "Ann Lee")
    claim = make_published_claim(checker=fact_checker, editor=editor)
    services.evidence_add(claim=claim, source=source, stance="supports")
    body = client.get(source.get_absolute_url()).content.decode()
    assert "<bdi>Ann Lee</bdi>" in body and "<bdi>The Daily</bdi>" in body
