"""The optional read replica takes anonymous reads only."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory

from lib.db_router import ReplicaRouter, ReplicaRoutingMiddleware, replica_allowed

ROOT = Path(__file__).resolve().parents[2]


def routed_read(request) -> str:
    seen = []

    def view(request):
        seen.append(ReplicaRouter().db_for_read(None))
        return None

    ReplicaRoutingMiddleware(view)(request)
    return seen[0]


def test_anonymous_page_reads_go_to_the_replica():
    assert routed_read(RequestFactory().get("/en/")) == "replica"


def test_staff_with_a_session_and_writes_stay_on_the_primary():
    factory = RequestFactory()
    staff = factory.get("/admin/")
    staff.COOKIES["sessionid"] = "abc"
    assert routed_read(staff) == "default"
    assert routed_read(factory.post("/en/")) == "default"


def test_reads_outside_requests_and_all_writes_use_the_primary():
    router = ReplicaRouter()
    assert replica_allowed.get() is False
    assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "claims") is False


def test_the_replica_is_configured_from_its_url():
    code = (
        "from factdesk import settings as s; "
        "print(s.DATABASES['replica']['HOST'], s.DATABASE_ROUTERS[0], "
        "'lib.db_router.ReplicaRoutingMiddleware' in s.MIDDLEWARE)"
    )
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": "postgres://u@primary:5432/factdesk",
        "DATABASE_REPLICA_URL": "postgres://u@replica:5432/factdesk",
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["replica", "lib.db_router.ReplicaRouter", "True"]
