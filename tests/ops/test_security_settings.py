"""Production settings pass Django's deployment checklist and keep cookies and frames safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Variables that would loosen production defaults if the developer's shell happens to set them.
LOOSENING = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "REDIS_URL",
    "CACHE_URL",
    "SENTRY_DSN",
}


def production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in LOOSENING}
    env.update(
        DEBUG="false",
        SECRET_KEY="k7Vb9-production-like-secret-QmZ2xR8pLw4nT6yH3sJ5dF1gA0cE9uI7oP-2vB",
        ALLOWED_HOSTS="factdesk.example",
        DATABASE_URL="sqlite:////tmp/check-deploy.sqlite3",
        FACTDESK_SITE_URL="https://factdesk.example",
    )
    env.update(overrides)
    return env


def run_python(code: str, **overrides):
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_a_weak_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(SECRET_KEY="short"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_proxy_ssl_header_is_configurable():
    result = run_python(
        "from factdesk import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https",
    )
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, "must look like X-Forwarded-Proto="),
        ({"REDIS_URL": "memcached://x"}, "is not redis://host:port/db"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT='xml' must be text or json"),
        ({"AXES_COOLOFF_HOURS": "soon"}, "AXES_COOLOFF_HOURS='soon' is not a number"),
    ],
)
def test_malformed_production_settings_fail_with_a_message(env, message):
    result = run_python("import factdesk.settings", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_cache_is_redis_when_redis_url_is_set_and_local_memory_otherwise():
    code = "from factdesk import settings; print(settings.CACHES['default']['BACKEND'])"
    assert run_python(code).stdout.strip().endswith("LocMemCache")
    with_redis = run_python(code, REDIS_URL="redis://127.0.0.1:6379/15")
    assert with_redis.stdout.strip() == "lib.cache.RedisCache"


def test_production_sessions_are_shared_and_cookies_are_secure():
    code = (
        "from factdesk import settings as s; "
        "print(s.SESSION_ENGINE, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS)"
    )
    assert run_python(code).stdout.split() == [
        "django.contrib.sessions.backends.db",
        "True",
        "True",
        "True",
        "True",
        "DENY",
    ]


def test_public_page_sends_security_headers(client, db):
    response = client.get("/en/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_http_is_redirected_to_https_when_ssl_redirect_is_on(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_hsts_is_sent_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/en/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_short_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="too short"):
        validate_password("Tr0ub4dor&3")


def test_errors_go_to_sentry_only_when_a_dsn_is_set():
    code = (
        "import sentry_sdk; from factdesk import settings; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'], c.options['environment'])"
    )
    assert run_python(code).stdout.split()[0] == "False"
    configured = run_python(
        code, SENTRY_DSN="https://public@127.0.0.1/1", SENTRY_ENVIRONMENT="staging"
    )
    assert configured.stdout.split() == ["True", "False", "staging"], configured.stderr


def test_check_deploy_asks_for_the_site_url():
    env = production_env()
    del env["FACTDESK_SITE_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FACTDESK_SITE_URL is not set" in result.stdout + result.stderr
