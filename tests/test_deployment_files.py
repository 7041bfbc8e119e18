"""No Docker engine runs here, so the compose file, Dockerfile and Caddyfile are checked by reading
them, and the settings they produce by importing them in a subprocess."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def services():
    return compose()["services"]


def command_of(service) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else " ".join(command.split())


def healthcheck_of(service) -> str:
    return " ".join(service["healthcheck"]["test"])


def env_example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_compose_runs_postgres_with_a_volume_and_health_check():
    db = services()["db"]
    # The pgvector image: PostgreSQL 16 (as before) with the extension the vector index uses.
    assert db["image"] == "pgvector/pgvector:pg16"
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in healthcheck_of(db)


def test_the_vector_index_is_refreshed_periodically():
    vectors = services()["vectors"]
    assert command_of(vectors) == "python manage.py vector_index_build --loop 600"
    assert vectors["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_migrations_run_once_before_any_web_replica_starts():
    migrate, web = services()["migrate"], services()["web"]
    assert command_of(migrate) == "python manage.py migrate --noinput"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    # Straight to PostgreSQL: migrations may need a session the pooler would not keep.
    assert "@db:5432/" in migrate["environment"]["DATABASE_URL"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" not in command_of(web)


def test_several_web_replicas_run_gunicorn_behind_the_proxy_only():
    web = services()["web"]
    assert command_of(web).startswith("gunicorn factdesk.wsgi:application --bind 0.0.0.0:8000")
    assert web["deploy"]["replicas"] == "${WEB_REPLICAS:-3}"
    assert "ports" not in web  # only the proxy is reachable from outside
    proxy = services()["proxy"]
    assert proxy["build"]["target"] == "proxy"
    assert set(proxy["ports"]) == {"80:80", "443:443"}
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_health_checks_use_the_probes():
    assert "/readyz" in healthcheck_of(services()["web"])
    assert "/healthz" in (ROOT / "Dockerfile").read_text()


def test_the_proxy_balances_across_every_replica_and_serves_static_files_from_disk():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"reverse_proxy \{\s+# [^\n]+\s+dynamic a web 8000", caddyfile)
    assert "handle_path /static/*" in caddyfile and "root * /srv/static" in caddyfile
    assert "precompressed br gzip" in caddyfile
    assert 'Cache-Control "public, max-age=31536000, immutable"' in caddyfile
    assert "header_up X-Request-ID" in caddyfile and "header_up X-Real-IP" in caddyfile
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY --from=app /app/staticfiles /srv/static" in dockerfile
    assert "COPY deploy/Caddyfile /etc/caddy/Caddyfile" in dockerfile


def test_replicas_share_redis_and_pool_connections_through_pgbouncer():
    web_env = services()["web"]["environment"]
    assert web_env["REDIS_URL"] == "redis://redis:6379/0"
    assert "@pgbouncer:6432/" in web_env["DATABASE_URL"] and web_env["DB_PGBOUNCER"] == "true"
    redis = services()["redis"]
    assert "--maxmemory-policy allkeys-lru" in command_of(redis)
    assert "redis-cli ping" in healthcheck_of(redis)
    pgbouncer = services()["pgbouncer"]
    assert "pgbouncer" in pgbouncer["image"]
    assert pgbouncer["environment"]["POOL_MODE"] == "transaction"
    assert pgbouncer["environment"]["DB_HOST"] == "db"


def test_nothing_a_replica_needs_lives_in_another_replicas_memory():
    """Import the settings exactly as a web replica would: cache in Redis, sessions in the DB."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(env_example())
    env.update({k: v.replace("${POSTGRES_PASSWORD}", "pw") for k, v in web_env_items()})
    env["SECRET_KEY"] = "a-real-looking-production-secret-key-0123456789-abcdefghijklmnop"
    code = (
        "from factdesk import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.SECURE_PROXY_SSL_HEADER, "
        "s.TASKS['default']['BACKEND'], s.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "lib.cache.RedisCache",  # Django's Redis backend, watched version added
        "django.contrib.sessions.backends.db",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "django_tasks_db.DatabaseBackend",  # the task queue is in PostgreSQL too
        "True",
    ]


def web_env_items():
    return services()["web"]["environment"].items()


def test_env_example_sets_every_variable_compose_needs():
    example = env_example()
    for name in ["SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "DEBUG", "SITE_ADDRESS"]:
        assert name in example
    assert example["DEBUG"] == "false"
    assert example["SITE_ADDRESS"] in example["ALLOWED_HOSTS"].split(",")


def test_dockerfile_serves_the_wsgi_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert "factdesk.wsgi:application" in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump/pg_restore for backups


def test_compose_runs_the_background_worker_and_the_link_check_scheduler():
    worker, scheduler = services()["worker"], services()["scheduler"]
    assert command_of(worker) == "python manage.py worker"
    assert command_of(scheduler) == "python manage.py check_links --loop 86400"
    for service in (worker, scheduler):
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "@pgbouncer:6432/" in service["environment"]["DATABASE_URL"]


def test_backups_run_as_a_one_off_job_into_a_volume():
    backup = services()["backup"]
    assert backup["profiles"] == ["tools"]  # not started by `docker compose up`
    assert command_of(backup) == "python manage.py db_backup"
    assert "@db:5432/" in backup["environment"]["DATABASE_URL"]
    assert "backups:/app/backups" in backup["volumes"]
    assert "backups" in compose()["volumes"]


@pytest.mark.skipif(shutil.which("caddy") is None, reason="caddy is not installed")
def test_caddyfile_is_valid(tmp_path):
    env = {
        **os.environ,
        "SITE_ADDRESS": "http://127.0.0.1:1",  # plain HTTP: no certificate to obtain
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 (a fixed tool and our own file)
        [
            shutil.which("caddy"),
            "validate",
            "--config",
            "deploy/Caddyfile",
            "--adapter",
            "caddyfile",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_worker_compose_and_make_run_is_the_one_that_recovers_interrupted_work():
    from django.core.management import load_command_class
    from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

    worker = load_command_class("ops", "worker")
    assert isinstance(worker, DatabaseWorkerCommand) and hasattr(worker, "recover")
    assert command_of(services()["worker"]) == "python manage.py worker"
    assert "$(PY) manage.py worker\n" in (ROOT / "Makefile").read_text()
    # The worker resumes webhook deliveries itself: no separate service does it any more.
    assert not any("webhooks_resume" in str(s.get("command")) for s in services().values())
