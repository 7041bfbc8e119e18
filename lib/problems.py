"""RFC 9457 problem details: the one shape of every error the API answers with.

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "...", "code": "..."}

Built here for answers given outside DRF's views (middleware, handlers, idempotency replays);
api/errors.py gives DRF's own errors the same shape.
"""

from http import HTTPStatus

from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(status: int, detail: str, *, title: str | None = None, **extra) -> dict:
    """The problem document; `title` defaults to the status's standard phrase."""
    return {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem_response(status: int, detail: str, *, title: str | None = None, **extra):
    return JsonResponse(
        problem(status, detail, title=title, **extra),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
