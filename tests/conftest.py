import socket

import pytest
from django.contrib.auth.models import Group


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production settings use a hashed manifest built by collectstatic; tests render templates
    # without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """Production settings (CI runs with DEBUG off) redirect HTTP to HTTPS and mark cookies
    Secure; the test client and live_server (and the browser driving it) speak plain HTTP.

    Session-wide and before any other fixture, because live_server builds its middleware once;
    a test that wants HTTPS behaviour turns it back on with the `settings` fixture.
    """
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _fresh_cache_and_language(settings):
    # Test transactions roll back without committing, so the page-cache version is never
    # bumped (claims/caching.py): start each test with an empty cache instead. A request
    # leaves its language active in the thread; reset it so reverse() starts from the default.
    from django.core.cache import cache
    from django.utils import translation

    from claims.caching import local_pages

    cache.clear()
    local_pages.clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The production hasher is slow by design (about 0.35 s a password on a CI machine), and
    # the suite creates a user or two in most tests: with it, a quarter of the suite's time
    # went on hashing. tests/ops keeps it: servers there run in other processes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Tests never reach the internet; local servers on loopback are fine."""
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "::1", "localhost"}
            and not (host.startswith("127.") or host.startswith("/"))
        ):
            raise RuntimeError(f"Tests must not reach the network (tried {address!r}).")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def fact_checker(django_user_model):
    user = django_user_model.objects.create_user(
        "checker", password="correct-horse-battery", is_staff=True, first_name="Fran"
    )
    user.groups.add(Group.objects.get(name="Fact-checkers"))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "editor", password="correct-horse-battery", is_staff=True, first_name="Eda"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def demo(db):
    from claims.demo import load_demo

    return load_demo()
