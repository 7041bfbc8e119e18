"""Harvesting other organisations' fact-checks from each kind of source, through the safe
fetcher, from local servers; and what a bad source leaves in its run log."""

import json

import pytest
from django.core.management import call_command

from factchecks.harvesting import harvests_enqueue_due, source_harvest
from factchecks.models import ExternalFactCheck, FactCheckSource, HarvestRun

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db

JSON = {"Content-Type": "application/json"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/xml"}


def source(kind, url="", **fields):
    return FactCheckSource.objects.create(name=f"{kind} source", kind=kind, url=url, **fields)


def serve_pages(server):
    base = server.url
    server.routes["/checks/bridge"] = (200, HTML, fixture_bytes("page_graph.html", base=base))
    server.routes["/checks/trains"] = (
        200,
        HTML,
        fixture_bytes(
            "page_plain.html",
            title="Trains",
            url=f"{base}/checks/trains",
            claim="Trains are never on time in winter",
            day="2",
            rating="Misleading",
        ),
    )


def test_a_datafeed_keeps_each_review_with_its_rating_as_given(http_server):
    http_server.routes["/feed.json"] = (200, JSON, fixture_bytes("datafeed.json"))
    run = source_harvest(source=source("datafeed", f"{http_server.url}/feed.json"))

    assert (run.seen, run.created, run.rejected) == (4, 2, 2)
    assert run.status == HarvestRun.Status.PARTIAL
    wolves = ExternalFactCheck.objects.get(claim_reviewed__startswith="Il lupo")
    assert wolves.rating_text == "C'eri quasi"
    assert (wolves.rating_value, wolves.rating_best, wolves.rating_worst) == ("2", "5", "1")
    assert wolves.organization_name == "Verifica Esempio"
    assert wolves.claimant == "Un senatore"
    assert wolves.appearance_urls == ["https://social.example.net/post/1"]
    assert wolves.reviewed_at.year == 2024 and wolves.language == "it"
    # "type" for "@type", a URL without its scheme, a "+5:30" offset, a bare number rating.
    debt = ExternalFactCheck.objects.get(review_url="https://checks.example.org/debt-record")
    assert debt.rating_text == "4/5"
    assert debt.reviewed_at is not None


def test_a_review_with_no_url_is_rejected_with_a_reason_and_the_rest_kept(http_server):
    http_server.routes["/feed.json"] = (200, JSON, fixture_bytes("datafeed.json"))
    run = source_harvest(source=source("datafeed", f"{http_server.url}/feed.json"))

    assert any("item 3" in reason and "url" in reason for reason in run.errors)
    assert any("item 4" in reason and "Not a ClaimReview" in reason for reason in run.errors)
    assert ExternalFactCheck.objects.count() == 2


def test_harvesting_again_updates_in_place_by_review_url(http_server):
    http_server.routes["/feed.json"] = (200, JSON, fixture_bytes("datafeed.json"))
    feed = source("datafeed", f"{http_server.url}/feed.json")
    source_harvest(source=feed)
    again = source_harvest(source=feed)
    assert (again.created, again.updated) == (0, 0)
    assert ExternalFactCheck.objects.count() == 2

    changed = json.loads(fixture_bytes("datafeed.json"))
    changed["dataFeedElement"][0]["item"][0]["reviewRating"]["alternateName"] = "Falso"
    # The same review under another spelling of its URL is the same review.
    changed["dataFeedElement"][0]["item"][0]["url"] = (
        "HTTPS://Checks.Example.org/wolves-in-every-region"
    )
    http_server.routes["/feed.json"] = (200, JSON, json.dumps(changed).encode())
    third = source_harvest(source=feed)
    assert (third.created, third.updated) == (0, 1)
    assert (
        ExternalFactCheck.objects.get(claim_reviewed__startswith="Il lupo").rating_text == "Falso"
    )


def test_a_page_with_json_ld_in_a_graph(http_server):
    serve_pages(http_server)
    run = source_harvest(source=source("page", f"{http_server.url}/checks/bridge"))

    bridge = ExternalFactCheck.objects.get()
    assert bridge.claim_reviewed == "The new bridge cost four times its budget"
    assert bridge.rating_text == "Mostly false" and bridge.rating_value == "2"
    assert bridge.organization_name == "Example Checks"
    # The breadcrumbs are no review; the broken block is a reason, not a failure.
    assert run.created == 1 and run.rejected == 0
    assert run.status == HarvestRun.Status.PARTIAL
    assert any("JSON-LD block 3" in reason for reason in run.errors)


def test_an_rss_feed_harvests_its_items_pages_and_a_missing_page_does_not_stop_it(http_server):
    serve_pages(http_server)
    http_server.routes["/feed.rss"] = (200, XML, fixture_bytes("feed.rss", base=http_server.url))
    run = source_harvest(source=source("rss", f"{http_server.url}/feed.rss"))

    assert run.created == 2
    assert any("/checks/gone" in reason and "404" in reason for reason in run.errors)
    assert ExternalFactCheck.objects.filter(rating_text="Misleading").exists()


def test_an_atom_feed(http_server):
    serve_pages(http_server)
    http_server.routes["/feed.atom"] = (200, XML, fixture_bytes("feed.atom", base=http_server.url))
    run = source_harvest(source=source("rss", f"{http_server.url}/feed.atom"))
    assert (run.created, run.status) == (1, HarvestRun.Status.OK)


def test_a_sitemap_index_is_followed_and_known_pages_are_not_fetched_again(http_server):
    serve_pages(http_server)
    base = http_server.url
    http_server.routes["/sitemap.xml"] = (200, XML, fixture_bytes("sitemap_index.xml", base=base))
    http_server.routes["/sitemap-checks.xml"] = (
        200,
        XML,
        fixture_bytes("sitemap_checks.xml", base=base),
    )
    sitemap = source("sitemap", f"{base}/sitemap.xml")
    assert source_harvest(source=sitemap).created == 2

    http_server.requests.clear()
    source_harvest(source=sitemap)
    fetched = [path for _method, path, _headers in http_server.requests]
    assert "/checks/trains" not in fetched and "/checks/bridge" not in fetched


def test_google_search_follows_next_page_tokens(http_server, settings):
    settings.FACTDESK_GOOGLE_API_KEY = "test-key-123"
    settings.FACTDESK_GOOGLE_FACTCHECK_URL = f"{http_server.url}/v1alpha1/claims:search"

    def answer(handler):
        name = "google_page2.json" if "pageToken=PAGE-2" in handler.path else "google_page1.json"
        return 200, JSON, fixture_bytes(name)

    http_server.routes["/v1alpha1/claims:search"] = answer
    run = source_harvest(source=source("google_api", query="vaccines", language="en"))

    assert (run.seen, run.created, run.rejected) == (4, 3, 1)
    italian = ExternalFactCheck.objects.get(review_url="https://verifica.example.it/microchip")
    assert italian.organization_name == "verifica.example.it"  # no name: the site stands in
    assert italian.rating_text == "Falso" and italian.language == "it"
    assert italian.claim_reviewed == "Vaccines contain microchips"
    assert italian.raw["claimReview"][0]["textualRating"] == "Falso"
    assert "test-key-123" not in json.dumps(run.errors)
    paths = [path for _method, path, _headers in http_server.requests]
    assert len(paths) == 2 and "key=test-key-123" in paths[0]


def test_google_without_a_key_fails_with_a_reason(settings):
    settings.FACTDESK_GOOGLE_API_KEY = ""
    run = source_harvest(source=source("google_api", query="vaccines"))
    assert run.status == HarvestRun.Status.FAILED
    assert "FACTDESK_GOOGLE_API_KEY" in run.errors[0]


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ((200, JSON, b'{"@type": "DataFeed", "dataFeedElement": [' * 3), "not valid JSON"),
        ((200, HTML, b"<!doctype html><h1>Service unavailable</h1>"), "HTML page"),
        ((500, HTML, b"<h1>Internal error</h1>"), "HTTP 500"),
        ((200, JSON, b"[" * 40 + b"]" * 40), "nests deeper"),
    ],
    ids=["malformed", "html-error-page", "server-error", "too-deep"],
)
def test_a_bad_feed_fails_its_run_with_a_visible_reason(http_server, route, reason):
    http_server.routes["/feed.json"] = route
    run = source_harvest(source=source("datafeed", f"{http_server.url}/feed.json"))
    assert run.status == HarvestRun.Status.FAILED
    assert reason in run.errors[0]
    assert ExternalFactCheck.objects.count() == 0


def test_a_huge_feed_is_cut_off_at_the_size_cap(http_server, settings):
    settings.FACTDESK_HARVEST_MAX_BYTES = 1024
    http_server.routes["/feed.json"] = (200, JSON, fixture_bytes("datafeed.json") * 2)
    run = source_harvest(source=source("datafeed", f"{http_server.url}/feed.json"))
    assert run.status == HarvestRun.Status.FAILED
    assert "larger than" in run.errors[0]


def test_a_source_that_times_out_fails_within_the_deadline(trickling_server, settings):
    settings.FACTDESK_HARVEST_TIMEOUT = 1
    run = source_harvest(source=source("datafeed", f"{trickling_server.url}/feed.json"))
    assert run.status == HarvestRun.Status.FAILED
    assert "in time" in run.errors[0] or "too long" in run.errors[0]
    assert (run.finished_at - run.started_at).total_seconds() < 5


def test_a_source_on_a_private_address_is_refused_by_the_safe_fetcher(settings):
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = False
    run = source_harvest(source=source("datafeed", "http://127.0.0.1:9/feed.json"))
    assert run.status == HarvestRun.Status.FAILED
    assert "loopback" in run.errors[0]


def test_run_reasons_are_bounded(http_server):
    broken = {"@type": "DataFeed", "dataFeedElement": [{"@type": "Thing"}] * 300}
    http_server.routes["/feed.json"] = (200, JSON, json.dumps(broken).encode())
    run = source_harvest(source=source("datafeed", f"{http_server.url}/feed.json"))
    assert run.rejected == 300
    assert len(run.errors) == 51 and "250 more" in run.errors[-1]


def test_the_command_harvests_every_due_source_and_one_failure_does_not_stop_the_others(
    http_server,
):
    http_server.routes["/feed.json"] = (200, JSON, fixture_bytes("datafeed.json"))
    http_server.routes["/broken.json"] = (200, HTML, b"<html>Login</html>")
    broken = source("datafeed", f"{http_server.url}/broken.json")
    good = source("datafeed", f"{http_server.url}/feed.json")
    source("datafeed", f"{http_server.url}/feed.json", enabled=False)

    out, err = _call("harvest_factchecks")

    assert "2 fact-check sources to harvest" in err
    assert "Failed" in out and "2 new" in out
    assert broken.runs.get().status == HarvestRun.Status.FAILED
    assert good.runs.get().status == HarvestRun.Status.PARTIAL
    # Harvested sources are not due again until their interval has passed.
    assert "0 fact-check sources" in _call("harvest_factchecks")[1]


def test_the_command_harvests_one_source_on_request(http_server):
    http_server.routes["/feed.json"] = (200, JSON, fixture_bytes("datafeed.json"))
    feed = source("datafeed", f"{http_server.url}/feed.json")
    out, _err = _call("harvest_factchecks", "--source", str(feed.pk))
    assert "2 new" in out


def _call(*args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_worker_queues_due_sources_once(http_server, django_capture_on_commit_callbacks):
    http_server.routes["/feed.json"] = (200, JSON, fixture_bytes("datafeed.json"))
    feed = source("datafeed", f"{http_server.url}/feed.json")
    with django_capture_on_commit_callbacks(execute=True):
        assert harvests_enqueue_due() == 1  # the immediate task backend runs it at once
    assert feed.runs.count() == 1
    assert ExternalFactCheck.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert harvests_enqueue_due() == 0


def test_google_repeating_its_page_token_does_not_loop(http_server, settings):
    settings.FACTDESK_GOOGLE_API_KEY = "k"
    settings.FACTDESK_GOOGLE_FACTCHECK_URL = f"{http_server.url}/search"
    http_server.routes["/search"] = (200, JSON, fixture_bytes("google_page1.json"))
    run = source_harvest(source=source("google_api", query="vaccines"))
    assert (run.created, run.status) == (2, HarvestRun.Status.PARTIAL)
    assert "same page token" in run.errors[-1]
    assert len(http_server.requests) == 2


def test_a_page_lends_its_language_and_a_writer_gives_way_to_the_publisher(http_server):
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{http_server.url}/checks/kids",
        "claimReviewed": "Children are taught a prayer in every school",
        "author": {"@type": "Person", "name": "A. Writer"},
        "publisher": {"@type": "Organization", "name": "Example Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
    }
    page = (
        '<!DOCTYPE html><html class="no-js" lang="pt-BR"><head><script type="application/ld+json">'
        f"{json.dumps(review)}</script></head></html>"
    )
    http_server.routes["/checks/kids"] = (200, HTML, page.encode())
    source_harvest(source=source("page", f"{http_server.url}/checks/kids"))
    found = ExternalFactCheck.objects.get()
    assert (found.language, found.organization_name) == ("pt-br", "Example Checks")
    assert "inLanguage" not in found.raw  # kept as they published it


def test_a_long_sitemap_is_read_a_slice_a_run(http_server, settings):
    settings.FACTDESK_HARVEST_MAX_PAGES = 2
    serve_pages(http_server)
    base = http_server.url
    urls = "".join(f"<url><loc>{base}/checks/p{n}</loc></url>" for n in range(1200))
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/checks/trains</loc></url>{urls}</urlset>"
    )
    http_server.routes["/sitemap.xml"] = (200, XML, sitemap.encode())
    run = source_harvest(source=source("sitemap", f"{base}/sitemap.xml"))
    fetched = [path for _method, path, _headers in http_server.requests]
    assert fetched == ["/sitemap.xml", "/checks/trains", "/checks/p0"]
    assert run.created == 1 and run.rejected == 1  # p0 is a 404
    assert any("More pages wait" in reason for reason in run.errors)


def test_a_run_its_worker_abandoned_is_closed_as_failed(http_server):
    from datetime import timedelta

    from django.utils import timezone

    http_server.routes["/feed.json"] = (200, JSON, b"[]")
    feed = source("datafeed", f"{http_server.url}/feed.json")
    stale = HarvestRun.objects.create(source=feed, started_at=timezone.now() - timedelta(days=1))
    source_harvest(source=feed)
    stale.refresh_from_db()
    assert stale.status == HarvestRun.Status.FAILED and "stopped before" in stale.errors[0]
