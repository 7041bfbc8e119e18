"""Run PostgreSQL's client tools (pg_dump, pg_restore) against a database from the settings.

Connection details go through libpq's PG* environment variables, so the password never shows
in a process listing.
"""

import os
import shutil
import subprocess

import dj_database_url
from django.conf import settings
from django.core.management.base import CommandError


def database_settings(database_url: str | None = None) -> dict:
    """The target's settings: DATABASE_URL's parsed form, or the `default` connection's."""
    db = dj_database_url.parse(database_url) if database_url else settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError(
            "Backups with pg_dump need PostgreSQL. With SQLite, stop the server and copy the "
            "database file instead."
        )
    return db


def libpq_env(db: dict) -> dict:
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
    return env


def run(tool: str, arguments: list[str], db: dict) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise CommandError(f"{tool} is not installed: install PostgreSQL's client tools.")
    result = subprocess.run(  # noqa: S603 (fixed executable, arguments built here)
        [executable, *arguments], env=libpq_env(db), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{tool} failed: {result.stderr.strip()}")
