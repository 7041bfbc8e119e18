"""Request plumbing for the API that must run before any view reads the body."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from .errors import RequestTooLarge, api_problem_response

API_PREFIX = "/api/"


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiBodyLimitMiddleware:
    """An API request whose body is over API_MAX_BODY_BYTES gets the API's problem+json 413.

    The declared Content-Length is checked before anything reads the body; a body without one
    (chunked) is capped by the JSON parser while it reads, and Django's own limit
    (DATA_UPLOAD_MAX_MEMORY_SIZE, otherwise an HTML 400 page) becomes the same 413.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(API_PREFIX)
            and _declared_length(request) > settings.API_MAX_BODY_BYTES
        ):
            return api_problem_response(RequestTooLarge())
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig) and request.path.startswith(API_PREFIX):
            return api_problem_response(RequestTooLarge())
        return None
