"""The API's claims list is written by hand (claims/api/listing.py) for speed: what a client
reads must still be exactly what the serializers give, byte for byte, for anonymous callers and
for the desk, with every relation a claim can have filled in."""

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from claimants.models import Claimant
from claims import services
from claims.api import listing
from claims.api import serializers as s
from claims.api.views import claim_queryset
from claims.models import Claim, Topic
from sources.models import Outlet, Source
from tests.api.conftest import key_client
from tests.factories import make_claim, make_published_claim, verdict

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_site_address(settings):
    # Page links name the request's host otherwise: the same for both sides of the comparison.
    settings.FACTDESK_SITE_URL = "https://factdesk.example"


@pytest.fixture
def rich(demo, fact_checker, editor):
    """Claims with a speaker, topics, evidence from a dead link with an archive and an outlet,
    evidence without an outlet, a correction, a parent, a sighting, a draft with people."""
    economy = Topic.objects.create(name="Economy", slug="economy")
    trade = Topic.objects.create(name="Trade", slug="trade")
    speaker = Claimant.objects.create(name="Ana Ruiz – “ministra”", slug="ana-ruiz")
    main = make_published_claim(
        checker=fact_checker,
        editor=editor,
        claimant="Ana Ruiz",
        claimed_on=date(2024, 2, 29),
        topics=[trade, economy],
    )
    Claim.objects.filter(pk=main.pk).update(speaker=speaker, attribution="via \u2028 radio")
    outlet = Outlet.objects.create(name="Reuters", domain="reuters.example", reliability="high")
    dead = Source.objects.create(
        url="https://reuters.example/gone",
        title="Gone – “quoted”",
        outlet=outlet,
        published_on=date(2023, 5, 1),
        accessed_on=date(2023, 5, 2),
        archive_url="https://archive.example/x",
        archived_at=timezone.now() - timedelta(days=3),
        link_checked_at=timezone.now(),
        link_status_code=404,
    )
    bare = Source.objects.create(url="https://plain.example/a", outlet=None)
    services.evidence_add(claim=main, source=dead, stance="supports", excerpt="ok", note="n")
    services.evidence_add(claim=main, source=bare, stance="context", locator="p. 4")
    main.refresh_from_db()
    services.claim_correct(
        claim=main, actor=editor, note="Figure fixed.", verdict=verdict("true"), rationale="New."
    )
    part = make_claim(created_by=fact_checker, assignee=fact_checker, parent=main)
    Claim.objects.filter(pk=part.pk).update(canonical=main, imported_rating="Pants on fire")


def render(data) -> bytes:
    return JSONRenderer().render(data)


def listed(client) -> bytes:
    response = client.get("/api/v1/claims/", {"page_size": 100})
    assert response.status_code == 200
    return render(json.loads(response.content)["results"])


def test_anonymous_list_is_the_serializers_output_byte_for_byte(rich, client_anon):
    claims = list(claim_queryset(None).order_by("-created_at", "-pk")[:100])
    assert len(claims) >= 5
    expected = render(s.ClaimSerializer(claims, many=True).data)
    assert listed(client_anon) == expected
    rows = list(
        listing.list_queryset(claim_queryset(None), desk=False).order_by("-created_at", "-pk")
    )
    assert listing.claims_data(rows, request=None, desk=False) == json.loads(expected)


def test_the_desk_list_is_the_desk_serializers_output_byte_for_byte(rich, editor):
    claims = list(claim_queryset(editor).order_by("-created_at", "-pk")[:100])
    request = SimpleNamespace(user=editor)
    expected = render(s.DeskClaimSerializer(claims, many=True, context={"request": request}).data)
    # Through an integration key: the path no cache serves.
    assert listed(key_client(editor)) == expected
    rows = json.loads(expected)
    assert any(row["needs_rating_mapping"] for row in rows)
    assert any(row["evidence"] and row["evidence"][0]["added_by"] for row in rows)
