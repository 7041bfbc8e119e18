"""Optional read replica: set DATABASE_REPLICA_URL and anonymous reads go to it.

Everything that could notice replication lag stays on the primary: writes, reads inside a
transaction, and every request from someone with a session (staff who just saved expect to
see their change) or that is not a GET/HEAD.
"""

import contextvars

from django.db import connections

# Set per request by ReplicaRoutingMiddleware; outside requests (commands, the worker) reads
# stay on the primary.
replica_allowed = contextvars.ContextVar("replica_allowed", default=False)

PRIMARY, REPLICA = "default", "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if replica_allowed.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica follows the primary by replication


class ReplicaRoutingMiddleware:
    """Lets anonymous GET/HEAD requests read from the replica."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        allowed = request.method in {"GET", "HEAD"} and self.session_cookie not in request.COOKIES
        token = replica_allowed.set(allowed)
        try:
            return self.get_response(request)
        finally:
            replica_allowed.reset(token)
