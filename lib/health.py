"""Probes for load balancers and orchestrators.

/healthz: the process answers (liveness; touches nothing else, so a database outage does not
get every replica restarted). /readyz: this replica can serve (database reachable, every
migration applied); a load balancer stops sending traffic while it fails. The cache is
reported but does not decide: the site serves without it ("degraded"), and failing every
replica's probe at once for a Redis outage would take down a site that could have stayed up.
"""

import logging

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

from lib.cache import cache_reachable

logger = logging.getLogger(__name__)

# Once this process has seen every migration applied it stays so: new migrations arrive with
# new code, which means new processes. Loading the migration graph costs ~0.1 s.
_migrations_applied = False


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    database = _check_database()
    checks = {
        "database": database,
        # Without a database there is nothing to ask; asking would wait out the pool again.
        "migrations": _check_migrations() if database == "ok" else "unknown",
        "cache": _check_cache(),
    }
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    status = "ready" if checks["cache"] == "ok" else "degraded"
    if not ready:
        status = "unavailable"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("readyz: database unreachable: %s", exc)
        return "unreachable"
    return "ok"


def _check_migrations() -> str:
    global _migrations_applied  # a per-process memo, see above
    if _migrations_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unknown"
    if pending:
        return f"{len(pending)} pending"
    _migrations_applied = True
    return "ok"


def _check_cache() -> str:
    # The backend turns an outage into misses and logs it (lib/cache.py).
    cache = caches["default"]
    cache.set("readyz", "ok", timeout=10)
    if not cache_reachable(cache):
        return "unreachable"
    return "ok" if cache.get("readyz") == "ok" else "not storing"
