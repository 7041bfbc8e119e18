"""Request plumbing: health probes, request ids and the request log, database outages."""

import logging
import re
import sys
import time
import uuid

import sentry_sdk
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.functional import empty
from django.utils.translation import gettext as _
from django.views import defaults

from . import health
from .logs import request_id_var
from .problems import problem_response

logger = logging.getLogger("factdesk.request")
outage_logger = logging.getLogger("factdesk.outage")

# A proxy's id (Caddy's request UUID, a load balancer's trace id) is kept if it looks sane, so
# one id follows the request across the proxy log, this log and Sentry.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
# How long clients and proxies should wait before retrying during an outage, in seconds.
RETRY_AFTER = "30"
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


class HealthCheckMiddleware:
    """Answers /healthz and /readyz ahead of everything else (see lib.health)."""

    probes = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = self.probes.get(request.path.rstrip("/"))
        if probe is not None and request.method in {"GET", "HEAD"}:
            return probe(request)
        return self.get_response(request)


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID both ways) and logs one line when it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)  # a no-op unless Sentry is configured
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            logger.log(
                logging.WARNING if response.status_code >= 500 else logging.INFO,
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _user_id(request):
    # Only if something already loaded the user: logging must not cost a session query.
    wrapped = getattr(getattr(request, "user", None), "_wrapped", empty)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 (page or JSON), not a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN_ERRORS):
            return database_unavailable(request, exception)
        return None


def database_unavailable(request, exception) -> HttpResponse:
    # One line, no traceback: during an outage every request fails the same way.
    first_line = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
    outage_logger.error("database unavailable: %s", first_line)
    if _wants_json(request):
        response = problem_response(
            503, _("The service is briefly unavailable. Please retry shortly.")
        )
    else:
        response = HttpResponse(_render_error_page("errors/503.html"), status=503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    """handler500: a friendly page (or JSON for the API) that needs neither database nor session.

    Errors raised outside a view (in middleware, such as a session save) arrive here rather
    than at DatabaseUnavailableMiddleware; a database outage still answers 503.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN_ERRORS):
        return database_unavailable(request, exception)
    if _wants_json(request):
        return problem_response(500, _("Something went wrong on our side. It has been logged."))
    return HttpResponse(_render_error_page("errors/500.html"), status=500)


def page_not_found(request, exception=None):
    """handler404: an address under /api/ that names no endpoint (an id that is not a number, a
    misspelt path) is a problem like every other API error, not the site's HTML page."""
    if _wants_json(request):
        return problem_response(404, _("No API endpoint at this address."), code="not_found")
    return defaults.page_not_found(request, exception)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _render_error_page(template_name: str) -> str:
    # No request, so no context processor runs: nothing here may touch the database.
    try:
        return loader.render_to_string(
            template_name, {"organization_name": settings.FACTDESK_ORGANIZATION_NAME}
        )
    except Exception:  # an error page must not fail in turn (say, static files not collected)
        logger.exception("could not render %s", template_name)
        return f"<!doctype html><title>{settings.FACTDESK_ORGANIZATION_NAME}</title>" + _(
            "<h1>Back in a moment</h1><p>Please try again in a minute.</p>"
        )
