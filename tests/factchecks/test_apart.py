"""Harvested fact-checks are other organisations' work: never published, listed or exported as
the desk's; visible to the desk in the admin (with each source's health) and the staff API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import IntegrationKey, KeyScope
from factchecks.harvesting import fact_check_upsert
from factchecks.models import FactCheckSource, HarvestRun
from tests.factories import make_published_claim

pytestmark = pytest.mark.django_db

THEIRS = "https://other-checker.example.org/their-review"
THEIR_CLAIM = "Their harvested claim about tram fares doubling"


@pytest.fixture
def theirs():
    review = {
        "@type": "ClaimReview",
        "url": THEIRS,
        "claimReviewed": THEIR_CLAIM,
        "inLanguage": "en",
        "datePublished": "2024-05-01T10:00:00Z",
        "author": {"@type": "Organization", "name": "Other Checker"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    return fact_check_upsert(review=review)[0]


@pytest.fixture
def ours(fact_checker, editor):
    return make_published_claim(checker=fact_checker, editor=editor)


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/claimreview.json",
        "/api/v1/claimreview/feed/",
        "/sitemap.xml",
        "/api/v1/claims/",
        "/en/claims/",
        "/en/feeds/verdicts.rss",
    ],
)
def test_the_desks_feeds_pages_and_lists_never_include_them(client, theirs, ours, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert ours.claim_reviewed.encode() in body or ours.slug.encode() in body
    assert THEIRS.encode() not in body and THEIR_CLAIM.encode() not in body


def staff_client(user):
    _key, secret = IntegrationKey.objects.create_key(name="k", user=user, scope=KeyScope.READ)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


def test_staff_keys_list_them_paged_and_filtered(
    fact_checker, theirs, django_assert_max_num_queries
):
    client = staff_client(fact_checker)
    # 1 the key, 2 its user, 3-4 permissions (user and group), 5 the page.
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/fact-checks/", {"language": "en"}).json()
    assert [item["review_url"] for item in body["results"]] == [THEIRS]
    assert body["results"][0]["kind"] == "external"
    assert client.get("/api/v1/fact-checks/", {"language": "it"}).json()["results"] == []


def test_anyone_else_is_refused_the_list(client, theirs):
    assert client.get("/api/v1/fact-checks/").status_code in {401, 403}


def test_the_source_list_shows_each_sources_health(client, editor, django_assert_max_num_queries):
    sources = [
        FactCheckSource.objects.create(
            name=f"Feed {n}", kind="datafeed", url=f"https://f{n}.example/"
        )
        for n in range(3)
    ]
    for source in sources:
        HarvestRun.objects.create(
            source=source,
            status="failed",
            errors=["https://f.example/: The feed is not valid JSON."],
        )
    client.force_login(editor)
    url = reverse("admin:factchecks_factchecksource_changelist")
    # 1 session, 2 user, 3-4 permissions, 5-6 counts, 7 the sources, 8 their latest runs.
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert page.count("The feed is not valid JSON.") == 3
    assert "Failed" in page


def test_harvest_now_queues_the_source(
    client, editor, http_server, django_capture_on_commit_callbacks
):
    http_server.routes["/feed.json"] = (200, {"Content-Type": "application/json"}, b"[]")
    source = FactCheckSource.objects.create(
        name="Feed", kind="datafeed", url=f"{http_server.url}/feed.json"
    )
    client.force_login(editor)
    url = reverse("admin:factchecks_factchecksource_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "harvest_now", "_selected_action": [source.pk]})
    assert response.status_code == 302
    run = source.runs.get()  # the immediate task backend ran it
    assert run.status == "ok"
    page = client.get(reverse("admin:factchecks_factchecksource_change", args=[source.pk]))
    assert reverse("admin:factchecks_harvestrun_change", args=[run.pk]).encode() in page.content


def test_a_runs_reasons_are_shown(client, editor):
    source = FactCheckSource.objects.create(name="Feed", kind="datafeed", url="https://f.example/")
    run = HarvestRun.objects.create(
        source=source, status="partial", errors=["item 3: url: missing"]
    )
    client.force_login(editor)
    page = client.get(reverse("admin:factchecks_harvestrun_change", args=[run.pk])).content
    assert b"item 3: url: missing" in page


def test_a_source_needs_what_its_kind_reads(client, editor):
    client.force_login(editor)
    url = reverse("admin:factchecks_factchecksource_add")
    response = client.post(
        url, {"name": "G", "kind": "google_api", "interval_hours": 24, "enabled": "on"}
    )
    assert response.status_code == 200
    assert "A Google search needs words to search for." in response.content.decode()
