"""Fetching monitored media from local servers through the safe fetcher: feeds, news sitemaps
and pages; deduplication; repeats recorded as sightings; what bad input leaves in the health
log, never stopping the rest."""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.models import Sighting
from monitoring.fetching import monitors_enqueue_due, source_monitor
from monitoring.models import MonitoredItem, MonitoredSentence, MonitoredSource, MonitorRun

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}


def source(kind, url="", **fields):
    return MonitoredSource.objects.create(name=f"{kind} source", kind=kind, url=url, **fields)


def serve(server):
    base = server.url
    server.routes["/feed.xml"] = (200, XML, fixture_bytes("feed.xml", base=base))
    server.routes["/news/meteo"] = (200, HTML, fixture_bytes("page.html"))
    server.routes["/sitemap.xml"] = (
        200,
        {"Content-Type": "application/xml"},
        fixture_bytes("news_sitemap.xml", base=base),
    )
    server.routes["/news/report.pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4")


def test_a_feed_keeps_check_worthy_sentences_and_records_repeats(http_server, published_debt):
    serve(http_server)
    feed = source("feed", f"{http_server.url}/feed.xml", speaker_name="Il ministro")
    run = source_monitor(source=feed)

    assert run.status == MonitorRun.Status.OK, run.errors
    assert (run.items, run.new_items) == (2, 2)
    story = MonitoredItem.objects.get(title="Conti pubblici, il ministro in aula")
    # The tracking parameter is not part of the story's address.
    assert story.canonical_url == f"{http_server.url}/news/conti"
    assert story.published_at == datetime.fromisoformat("2026-12-03T08:30:00+01:00")
    debt = story.sentences.get(text__startswith="Il debito pubblico")
    assert debt.matched_claim == published_debt and debt.kept
    assert debt.match_score >= 0.6
    assert debt.speaker_name == "Il ministro"
    jobs = story.sentences.get(text__contains="disoccupazione")
    assert jobs.kept and jobs.score >= 0.5 and jobs.reasons
    assert not story.sentences.get(text="Grazie a tutti.").kept
    sighting = Sighting.objects.get(claim=published_debt)
    assert sighting.url == story.canonical_url and sighting.origin == "monitoring"
    assert sighting.speaker_name == "Il ministro"


def test_a_feeds_new_items_go_through_the_pipeline_in_one_call(
    http_server, published_debt, monkeypatch
):
    # The model call and the vector search are most of an item's cost: a run hands the
    # pipeline its new items together, and what is already stored never reaches the model.
    from claims import pipeline
    from monitoring.services import items

    calls = []

    def counting(texts, **kwargs):
        calls.append(len(texts))
        return pipeline.texts_analyse(texts, **kwargs)

    # Every reading goes through texts_analyse: an item analysed alone would be a call of 1.
    monkeypatch.setattr(items, "texts_analyse", counting)
    serve(http_server)
    feed = source("feed", f"{http_server.url}/feed.xml")
    run = source_monitor(source=feed)

    assert calls == [2] and run.new_items == 2
    assert (
        MonitoredItem.objects.get(canonical_url=f"{http_server.url}/news/conti")
        .sentences.get(text__startswith="Il debito pubblico")
        .matched_claim
        == published_debt
    )
    source_monitor(source=feed)
    assert calls == [2, 0]


def test_a_feed_teaser_is_read_from_its_page(http_server, db):
    serve(http_server)
    source_monitor(source=source("feed", f"{http_server.url}/feed.xml"))

    weather = MonitoredItem.objects.get(canonical_url=f"{http_server.url}/news/meteo")
    # The page's main text, not its menu or footer.
    assert "31 gradi a Roma" in weather.text
    assert "Copyright" not in weather.text and "Politica | Sport" not in weather.text


def test_fetching_again_reads_nothing_twice(http_server, published_debt):
    serve(http_server)
    feed = source("feed", f"{http_server.url}/feed.xml")
    source_monitor(source=feed)
    sentences = MonitoredSentence.objects.count()
    again = source_monitor(source=feed)

    assert (again.items, again.new_items, again.duplicates) == (2, 0, 2)
    assert MonitoredSentence.objects.count() == sentences
    assert Sighting.objects.count() == 1
    # The weather page was not fetched again: its URL was known.
    assert [path for _m, path, _h in http_server.requests].count("/news/meteo") == 1


def test_the_same_text_at_another_address_is_one_item(http_server, db):
    serve(http_server)
    http_server.routes["/copy/meteo"] = (200, HTML, fixture_bytes("page.html"))
    source_monitor(source=source("page", f"{http_server.url}/news/meteo"))
    run = source_monitor(source=source("page", f"{http_server.url}/copy/meteo"))

    assert (run.new_items, run.duplicates) == (0, 1)
    assert MonitoredItem.objects.count() == 1


def test_a_single_page_that_changed_adds_only_its_new_sentences(http_server, db):
    serve(http_server)
    page = source("page", f"{http_server.url}/news/meteo")
    source_monitor(source=page)
    before = MonitoredSentence.objects.count()
    updated = fixture_bytes("page.html").replace(
        b"</article>",
        b"<p>Aggiornamento: il governo ha stanziato 40 milioni di euro per le regioni colpite.</p>"
        b"</article>",
    )
    http_server.routes["/news/meteo"] = (200, HTML, updated)
    run = source_monitor(source=page)

    assert run.new_items == 1
    assert MonitoredItem.objects.count() == 1
    new = MonitoredSentence.objects.exclude(
        pk__lte=MonitoredSentence.objects.order_by("pk")[before - 1].pk
    )
    assert [s.text for s in new] == [
        "Aggiornamento: il governo ha stanziato 40 milioni di euro per le regioni colpite."
    ]


def test_a_news_sitemap_reads_its_pages_and_gives_a_reason_for_each_bad_one(http_server, db):
    serve(http_server)
    run = source_monitor(source=source("news_sitemap", f"{http_server.url}/sitemap.xml"))

    assert run.status == MonitorRun.Status.PARTIAL
    assert (run.new_items, run.rejected) == (1, 2)
    assert any("report.pdf" in r and "Not a text page (application/pdf)" in r for r in run.errors)
    assert any("/news/gone" in r and "HTTP 404" in r for r in run.errors)
    assert MonitoredItem.objects.get().title == "Previsioni del tempo"


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ((200, XML, b"<rss><channel><item><title>broken</channel></rss>"), "malformed"),
        (
            (200, HTML, b"<!doctype html><html><body>Service unavailable</body></html>"),
            "HTML page",
        ),
        ((200, XML, b"<rss>" + b"<item>x</item>" * 5000 + b"</rss>"), "larger than"),
        ((503, HTML, b"down"), "HTTP 503"),
    ],
)
def test_a_bad_feed_fails_its_run_with_a_reason(http_server, db, settings, route, reason):
    settings.FACTDESK_MONITOR_MAX_BYTES = 20_000
    http_server.routes["/feed.xml"] = route
    run = source_monitor(source=source("feed", f"{http_server.url}/feed.xml"))

    assert run.status == MonitorRun.Status.FAILED
    assert any(reason in error for error in run.errors), run.errors
    # A failed source is tried again soon, not a whole interval later.
    feed = MonitoredSource.objects.get()
    assert feed.next_due_at - timezone.now() < timezone.timedelta(minutes=31)


def test_a_feed_of_many_entries_is_read_up_to_the_bound_with_a_reason(http_server, settings, db):
    settings.FACTDESK_MONITOR_MAX_ITEMS = 1
    serve(http_server)
    run = source_monitor(source=source("feed", f"{http_server.url}/feed.xml"))

    assert run.items == 1 and MonitoredItem.objects.count() == 1
    assert "The feed lists 2 entries; the first 1 were read." in run.errors


def test_one_bad_source_does_not_stop_the_others(http_server, db):
    serve(http_server)
    http_server.routes["/bad.xml"] = (200, XML, b"<rss><unclosed></rss>")
    source("feed", f"{http_server.url}/bad.xml")
    source("feed", f"{http_server.url}/feed.xml")
    call_command("monitor_sources")

    statuses = dict(MonitorRun.objects.values_list("source__url", "status"))
    assert statuses[f"{http_server.url}/bad.xml"] == MonitorRun.Status.FAILED
    assert statuses[f"{http_server.url}/feed.xml"] == MonitorRun.Status.OK
    assert MonitoredItem.objects.count() == 2


def test_due_sources_are_queued_once_and_fetched(
    http_server, db, django_capture_on_commit_callbacks
):
    serve(http_server)
    feed = source("feed", f"{http_server.url}/feed.xml", interval_minutes=30)
    source("transcript")  # never fetched
    source("feed", f"{http_server.url}/feed.xml", active=False)

    # Tasks run at once in tests: queuing is fetching, once the queuing commits.
    with django_capture_on_commit_callbacks(execute=True):
        assert monitors_enqueue_due() == 1
    feed.refresh_from_db()
    assert feed.next_due_at > timezone.now() + timezone.timedelta(minutes=29)
    assert MonitorRun.objects.get().source == feed
    assert monitors_enqueue_due() == 0


def test_the_command_fetches_one_source_with_progress(http_server, db, capsys):
    serve(http_server)
    feed = source("feed", f"{http_server.url}/feed.xml")
    call_command("monitor_sources", source=feed.pk)

    captured = capsys.readouterr()
    assert "[1/1] feed source" in captured.err and "2/2 items read" in captured.err
    assert "2 items, 2 new" in captured.out


def test_the_command_refuses_a_transcript_source(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="transcript"):
        call_command("monitor_sources", source=source("transcript").pk)


def _feed_of(*links: str) -> bytes:
    story = "Il debito pubblico italiano ha superato i %d miliardi di euro nel 2024. "
    items = "".join(
        f"<item><title>Story {n}</title><link>{link}</link>"
        f"<description>{(story % (3000 + n)) * 4}</description></item>"
        for n, link in enumerate(links)
    )
    return f"<rss version='2.0'><channel><title>T</title>{items}</channel></rss>".encode()


@pytest.mark.parametrize(
    "bad_link",
    [
        "http://example.com:99999/story",  # a port no URL can have: normalize_url refuses it
        "http://example.com/" + "a" * 2100,  # longer than an item's URL column
    ],
    ids=["bad port", "too long"],
)
def test_an_entry_with_an_unusable_link_is_rejected_and_the_rest_is_read(http_server, db, bad_link):
    http_server.routes["/feed.xml"] = (
        200,
        XML,
        _feed_of(bad_link, f"{http_server.url}/a", f"{http_server.url}/b"),
    )
    run = source_monitor(source=source("feed", f"{http_server.url}/feed.xml"))

    assert run.status == MonitorRun.Status.PARTIAL, run.errors
    assert (run.new_items, run.rejected) == (2, 1)
    assert sorted(MonitoredItem.objects.values_list("title", flat=True)) == ["Story 1", "Story 2"]
    assert not any("Unexpected error" in reason for reason in run.errors), run.errors


def test_an_entry_dated_past_the_calendars_edge_is_stored_without_its_date(
    http_server, db, editor, client
):
    # In UTC these are the year 10000 and the year 0: PostgreSQL stores them, Python cannot
    # read them back, and every list showing the item would fail.
    dates = [
        "Fri, 31 Dec 9999 23:59:59 -1200",
        "2026-12-03T08:30:00+01:00",
        "0001-01-01T00:00:00+14:00",
    ]
    story = "La spesa sanitaria è cresciuta del %d per cento nel 2024 secondo il ministero. "
    items = "".join(
        f"<item><title>Story {n}</title><link>{http_server.url}/{n}</link><pubDate>{date}</pubDate>"
        f"<description>{(story % n) * 4}</description></item>"
        for n, date in enumerate(dates)
    )
    body = f"<rss version='2.0'><channel><title>T</title>{items}</channel></rss>".encode()
    http_server.routes["/feed.xml"] = (200, XML, body)
    run = source_monitor(source=source("feed", f"{http_server.url}/feed.xml"))

    assert run.new_items == 3
    published = dict(MonitoredItem.objects.values_list("title", "published_at"))
    assert published["Story 0"] is None and published["Story 2"] is None
    assert published["Story 1"] == datetime.fromisoformat(dates[1])
    client.force_login(editor)
    assert client.get("/admin/monitoring/monitoreditem/").status_code == 200


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ((404, HTML, b"not found"), "HTTP 404"),
        ((200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"), "Not a text page"),
    ],
)
def test_a_single_page_that_cannot_be_read_fails_its_run(http_server, db, route, reason):
    # The page is the whole source: its run failed (not "partial"), and it is tried again
    # soon, as a feed that cannot be read is.
    http_server.routes["/page"] = route
    run = source_monitor(source=source("page", f"{http_server.url}/page"))

    assert run.status == MonitorRun.Status.FAILED
    assert any(reason in error for error in run.errors), run.errors
    page = MonitoredSource.objects.get()
    assert page.next_due_at - timezone.now() < timezone.timedelta(minutes=31)
