"""Two app servers on one database and one Redis behave as one site (the scale-out shape)."""

import http.cookiejar
import re
import urllib.parse
import urllib.request
import uuid

import pytest
import redis
from django.db import connection

from claims import services
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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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


# Committed rows are needed by the servers' own connections; serialized rollback restores the
# rows migrations seeded for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_login_on_one_server_works_on_the_other(two_servers, django_user_model):
    server_a, server_b = two_servers
    django_user_model.objects.create_superuser("boss", "boss@example.org", "correct-horse-battery")
    opener = browser()

    _, form = get(opener, f"{server_a}/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "boss", "password": "correct-horse-battery"}
    ).encode()
    with opener.open(f"{server_a}/admin/login/?next=/admin/", data=data, timeout=10) as done:
        assert done.geturl() == f"{server_a}/admin/"

    url, page = get(opener, f"{server_b}/admin/")
    assert url == f"{server_b}/admin/"  # not sent back to the login page
    assert "Log out" in page and "boss" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_changed_verdict_is_served_by_every_server(
    two_servers, fact_checker, editor, shared_cache
):
    server_a, server_b = two_servers
    claim = make_published_claim(checker=fact_checker, editor=editor, verdict_code="false")
    page_url = claim.get_absolute_url()
    opener = browser()
    for server in two_servers:  # both servers have now rendered (and may cache) the page
        assert "Mostly true" not in get(opener, f"{server}{page_url}")[1]

    services.claim_update(claim=claim, actor=editor, verdict=verdict("mostly-true"))

    for server in (server_b, server_a):
        assert "Mostly true" in get(opener, f"{server}{page_url}")[1]
