import pytest
from django.urls import reverse

from sources.models import Source
from tests.factories import SourceFactory


@pytest.fixture
def sources(db):
    alive, dead, archived = SourceFactory(), SourceFactory(), SourceFactory()
    Source.objects.filter(pk=alive.pk).update(link_status_code=200)
    Source.objects.filter(pk=dead.pk).update(link_status_code=404, link_error="")
    Source.objects.filter(pk=archived.pk).update(
        link_status_code=0,
        link_error="The server could not be reached",
        archive_url="https://web.archive.org/web/2024/https://x.example/",
    )
    return alive, dead, archived


def test_changelist_flags_dead_links_and_offers_the_archived_copy(
    client, editor, sources, django_assert_max_num_queries
):
    client.force_login(editor)
    # session, user, permissions (2), count, filtered count, page of sources with outlets,
    # and the outlet and reliability filter choices.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:sources_source_changelist"))
    html = response.content.decode()
    assert "✗ dead 404" in html and "✗ dead unreachable" in html
    assert "https://web.archive.org/web/2024/https://x.example/" in html and "✓ 200" in html


def test_filter_lists_dead_links_without_a_copy(client, editor, sources):
    client.force_login(editor)
    response = client.get(reverse("admin:sources_source_changelist"), {"link": "dead_without_copy"})
    assert list(response.context["cl"].queryset) == [sources[1]]


def test_archive_action_explains_that_archiving_is_off(client, editor, sources, settings):
    settings.WAYBACK_ACCESS_KEY = ""
    client.force_login(editor)
    response = client.post(
        reverse("admin:sources_source_changelist"),
        {"action": "archive_now", "_selected_action": [sources[1].pk]},
        follow=True,
    )
    assert "Archiving is off" in response.content.decode()


def test_check_action_runs_checks_through_the_queue(client, editor, sources, http_server, settings):
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    http_server.routes["/a"] = (200, {}, b"ok")
    source = SourceFactory(url=http_server.url + "/a")
    client.force_login(editor)
    client.post(
        reverse("admin:sources_source_changelist"),
        {"action": "check_links_now", "_selected_action": [source.pk]},
    )
    source.refresh_from_db()
    assert source.link_status_code == 200
