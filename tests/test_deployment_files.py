"""No Docker engine runs here, so the compose file is checked by reading it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_with_a_volume_and_health_check():
    db = compose()["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_web_migrates_then_serves_with_gunicorn_after_a_healthy_db():
    web = compose()["services"]["web"]
    command = web["command"]
    assert command.index("migrate") < command.index("gunicorn factdesk.wsgi:application")
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")


def test_env_example_sets_every_variable_compose_needs():
    example = (ROOT / ".env.example").read_text()
    for name in ["SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "DEBUG"]:
        assert f"{name}=" in example


def test_dockerfile_serves_the_wsgi_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic" in dockerfile
    assert "factdesk.wsgi:application" in dockerfile


def test_compose_runs_the_background_worker():
    worker = compose()["services"]["worker"]
    assert worker["command"] == "python manage.py db_worker"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
