"""Start real gunicorn servers on loopback for tests that need separate processes."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# Ports already handed out in this test run. The cache remembers an outage by its address
# (lib.cache.CacheOutage, per process): a port given twice would bring one test's outage,
# already logged, into another (CI once failed on it).
_GIVEN: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on, never the same twice in a test run."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _GIVEN:
            _GIVEN.add(port)
            return port


def server_env(env: dict) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret-key-for-loopback-servers-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        **env,
    }


def collect_static() -> None:
    """Production settings serve hashed static files from a manifest that collectstatic writes."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env({}),
        check=True,
    )


@contextmanager
def gunicorn(env: dict, *, workers: int = 1):
    """A gunicorn serving Factdesk with `env` on a free port; yields its base URL."""
    port = free_port()
    full_env = server_env(env)
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "factdesk.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
        ],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=10):
                return
        except OSError:  # refused while starting, or slow to answer the first time
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn at {base} did not answer /healthz within 30 s")
