"""The README's recovery step, `.venv/bin/python manage.py changepassword admin`, works in a
local checkout outside `make` (no DEBUG, no SECRET_KEY), and nothing else loosens."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        start_new_session=True,  # no terminal: getpass reads the new password from stdin
    )


def test_changepassword_works_without_debug_or_secret_key(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    # The checkout as `make run` left it: migrated, with the admin account.
    assert manage("migrate", "--noinput", env={**database, "DEBUG": "true"}).returncode == 0
    created = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_superuser('admin')",
        env={**database, "DEBUG": "true"},
    )
    assert created.returncode == 0, created.stderr

    result = manage("changepassword", "admin", env=database, stdin="a-new-long-passphrase\n" * 2)
    assert result.returncode == 0, result.stderr
    assert "Password changed successfully" in result.stdout

    check = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "print(User.objects.get(username='admin').check_password('a-new-long-passphrase'))",
        env={**database, "DEBUG": "true"},
    )
    assert check.stdout.strip().splitlines()[-1] == "True"


def test_servers_and_other_commands_still_need_a_secret_key():
    for command in (["check"], ["migrate", "--plan"], ["load_demo"]):
        result = manage(*command, env={})
        assert result.returncode != 0, command
        assert "SECRET_KEY is required" in result.stderr, command
