"""Bad configuration fails at start-up with a message that says what to fix."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import factdesk.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_without_debug():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is required" in result.stderr


def test_debug_runs_without_secret_key():
    assert load_settings(DEBUG="true").returncode == 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "true", "TIME_ZONE": "Mars/Olympus"}, "not a known IANA time zone"),
        ({"DEBUG": "true", "LANGUAGE_CODE": "xx"}, "not one of the shipped languages"),
        ({"DEBUG": "true", "FACTDESK_VECTOR_BACKEND": "faiss"}, "use auto, pgvector or local"),
        ({"DEBUG": "true", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not a valid"),
        (
            {"DEBUG": "true", "DB_POOL_MAX": "many", "DATABASE_URL": "postgres://u@localhost/db"},
            "DB_POOL_MAX='many' is not a whole number",
        ),
        (
            {"DEBUG": "true", "AXES_FAILURE_LIMIT": "5", "AXES_ADDRESS_FAILURE_LIMIT": "3"},
            "AXES_ADDRESS_FAILURE_LIMIT=3 must be at least AXES_FAILURE_LIMIT=5",
        ),
        (
            {"DEBUG": "true", "FACTDESK_TASK_ABANDONED_MINUTES": "0"},
            "FACTDESK_TASK_ABANDONED_MINUTES must be at least 1",
        ),
    ],
)
def test_malformed_settings_raise_improperly_configured(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_sqlite_is_the_default_database():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from factdesk import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def database_settings(**env) -> dict:
    """DATABASES["default"] as settings.py builds it from `env`."""
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from factdesk import settings; print(json.dumps(settings.DATABASES))",
        ],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)["default"]


def test_each_worker_keeps_its_sqlite_connection_between_requests():
    assert database_settings()["CONN_MAX_AGE"] == 600


def test_postgresql_prepares_the_pages_queries_unless_behind_pgbouncer():
    url = "postgres://u@db.example/factdesk"
    assert database_settings(DATABASE_URL=url)["OPTIONS"]["prepare_threshold"] == 0
    behind = database_settings(DATABASE_URL=url, DB_PGBOUNCER="true")
    assert behind["OPTIONS"]["prepare_threshold"] is None
    assert behind["DISABLE_SERVER_SIDE_CURSORS"] is True
