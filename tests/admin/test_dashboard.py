"""The desk dashboard on the admin index."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Claim
from tests.factories import SourceFactory, make_claim, verdict

pytestmark = pytest.mark.django_db


def in_review(checker):
    claim = services.claim_start_research(claim=make_claim(created_by=checker), actor=checker)
    services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
    claim = services.claim_update(
        claim=claim, actor=checker, verdict=verdict("false"), rationale="Data differ."
    )
    return services.claim_submit_for_review(claim=claim, actor=checker)


def section(page: str, section_id: str) -> str:
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_dashboard_shows_my_claims_and_what_waits_for_my_review(client, fact_checker, editor):
    claim = in_review(fact_checker)
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert claim.claim_reviewed in section(page, "desk-review")
    assert claim.claim_reviewed not in section(page, "desk-mine")

    client.force_login(fact_checker)
    page = client.get(reverse("admin:index")).content.decode()
    assert claim.claim_reviewed in section(page, "desk-mine")
    assert 'id="desk-review"' not in page  # fact-checkers do not approve


def test_dashboard_does_not_ask_a_researcher_to_review_their_own_claim(client, editor):
    claim = in_review(editor)
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert claim.claim_reviewed not in section(page, "desk-review")


def test_dashboard_counts_per_status_and_lists_stuck_claims(client, fact_checker, settings):
    settings.FACTDESK_STUCK_DAYS = 3
    stuck = make_claim(created_by=fact_checker)
    Claim.objects.filter(pk=stuck.pk).update(status_changed_at=timezone.now() - timedelta(days=4))
    fresh = make_claim(created_by=fact_checker, quote="exports rose by 12 per cent")
    client.force_login(fact_checker)
    page = client.get(reverse("admin:index")).content.decode()
    stuck_list = section(page, "desk-stuck")
    assert "more than 3 days" in stuck_list
    assert stuck.claim_reviewed in stuck_list and fresh.claim_reviewed not in stuck_list
    assert "New</span> <strong>2</strong>" in section(page, "desk-counts-title")


def test_dashboard_lists_orphaned_claims_with_their_old_context(client, fact_checker):
    claim = make_claim(created_by=fact_checker)
    Claim.objects.filter(pk=claim.pk).update(anchor_state="orphaned")
    client.force_login(fact_checker)
    page = client.get(reverse("admin:index")).content.decode()
    orphans = section(page, "desk-orphaned")
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in orphans
    assert f"{claim.anchor_prefix}<mark>{claim.quote}</mark>{claim.anchor_suffix}" in orphans


def test_a_one_person_desk_sees_its_own_submissions_waiting_for_review(settings, editor):
    settings.FACTDESK_REQUIRE_SECOND_REVIEWER = False
    claim = make_claim(created_by=editor)
    Claim.objects.filter(pk=claim.pk).update(status="in_review", submitted_by=editor)
    assert list(Claim.objects.waiting_for_review_by(editor)) == [claim]
    settings.FACTDESK_REQUIRE_SECOND_REVIEWER = True
    assert list(Claim.objects.waiting_for_review_by(editor)) == []
