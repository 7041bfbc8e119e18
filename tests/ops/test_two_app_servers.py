"""Two app servers on one database and one Redis behave as one site (the scale-out shape)."""

import http.cookiejar
import re
import urllib.parse
import urllib.request
import uuid

import pytest
import redis
from django.db import connection

from tests.factories import make_published_claim, verdict

from .servers import gunicorn

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared PostgreSQL"),
]


@pytest.fixture
def shared_cache(settings):
    """A Redis key space of this test's own; this test process uses it too, like a replica."""
    prefix = f"factdesk-test-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "lib.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def two_servers(shared_cache, collected_static):
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": shared_cache,
    }
    with gunicorn(env) as server_a, gunicorn(env) as server_b:
        yield server_a, server_b


def browser():
    """A cookie jar shared across both servers, as behind one load balancer."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def get(opener, url) -> tuple[str, str]:
    with opener.open(url, timeout=10) as response:
        return response.geturl(), response.read().decode()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def post(opener, url, fields: dict) -> tuple[str, str]:
    data = urllib.parse.urlencode(fields).encode()
    with opener.open(url, data=data, timeout=10) as response:
        return response.geturl(), response.read().decode()


def log_in(opener, server: str, username: str, password: str) -> None:
    _, form = get(opener, f"{server}/admin/login/")
    fields = {"csrfmiddlewaretoken": csrf_token(form), "username": username, "password": password}
    landed, _ = post(opener, f"{server}/admin/login/?next=/admin/", fields)
    assert landed == f"{server}/admin/"


# Committed rows are needed by the servers' own connections; serialized rollback restores the
# rows migrations seeded for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_login_on_one_server_works_on_the_other(two_servers, django_user_model):
    server_a, server_b = two_servers
    django_user_model.objects.create_superuser("boss", "boss@example.org", "correct-horse-battery")
    opener = browser()
    log_in(opener, server_a, "boss", "correct-horse-battery")

    url, page = get(opener, f"{server_b}/admin/")
    assert url == f"{server_b}/admin/"  # not sent back to the login page
    assert "Log out" in page and "boss" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_correction_published_through_one_server_is_served_by_the_other(
    two_servers, fact_checker, editor
):
    server_a, server_b = two_servers
    claim = make_published_claim(checker=fact_checker, editor=editor, verdict_code="false")
    mostly_true = verdict("mostly-true")
    page_url = claim.get_absolute_url()
    reader = browser()
    for server in two_servers:  # both servers render the page, then serve their own copy
        for _ in range(3):
            assert mostly_true.label_en not in get(reader, f"{server}{page_url}")[1]

    # The editor corrects the verdict in the admin of server A.
    desk = browser()
    log_in(desk, server_a, "editor", "correct-horse-battery")
    _, change_page = get(desk, f"{server_a}/admin/claims/claim/{claim.pk}/change/")
    version = re.search(r'name="version" value="(\d+)"', change_page).group(1)
    _, result = post(
        desk,
        f"{server_a}/admin/claims/claim/{claim.pk}/step/correct/",
        {
            "csrfmiddlewaretoken": csrf_token(change_page),
            "version": version,
            "text": "The statistics office revised the 2023 figure.",
            "verdict": mostly_true.pk,
            "rationale": claim.rationale,
        },
    )
    assert "Correction published." in result

    # Server B never rendered the new verdict, yet serves it, with the public note.
    for server in (server_b, server_a):
        page = get(reader, f"{server}{page_url}")[1]
        assert mostly_true.label_en in page
        assert "The statistics office revised the 2023 figure." in page
