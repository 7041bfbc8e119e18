"""One error shape for the whole API: RFC 9457 problem details.

    {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "...",
     "code": "invalid", "errors": {"field": ["message", ...]}}

`errors` is present for bad input (400) and maps each field, or "non_field_errors", to its
messages. The response's content type is application/problem+json.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from lib.exceptions import EditConflict
from lib.problems import PROBLEM_CONTENT_TYPE, problem, problem_response


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send the If-Match header with the ETag of the version you edited.")
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("Someone changed this since you loaded it; fetch it again and reapply.")
    default_code = "precondition_failed"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def api_problem_response(exc: exceptions.APIException) -> JsonResponse:
    """The problem document for `exc`, for plumbing that answers before any DRF view runs."""
    return problem_response(exc.status_code, str(exc.detail), code=exc.detail.code)


def _from_django(exc):
    """Translate the errors services (and Django's body limit) raise into DRF's."""
    if isinstance(exc, RequestDataTooBig):
        # Django's DATA_UPLOAD_MAX_MEMORY_SIZE: its own answer would be an HTML 400 page.
        return RequestTooLarge()
    if isinstance(exc, DjangoValidationError):
        code = getattr(exc, "code", None) or "invalid"
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict, code=code)
        return exceptions.ValidationError({"non_field_errors": exc.messages}, code=code)
    if isinstance(exc, EditConflict):
        return PreconditionFailed(str(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def _first_message(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            return _first_message(value)
    if isinstance(errors, list) and errors:
        return _first_message(errors[0])
    return str(errors)


def problem_exception_handler(exc, context):
    exc = _from_django(exc)
    # Imported here: rest_framework.views reads the API settings at import, which name this
    # app's classes, so a module-level import is circular when DRF's checks load first.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        document = problem(
            response.status_code, _first_message(errors), code=_first_code(exc), errors=errors
        )
    else:
        code = getattr(getattr(exc, "detail", None), "code", None) or "error"
        document = problem(response.status_code, str(getattr(exc, "detail", exc)), code=code)
    response.data = _encodable(document)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _first_code(exc):
    codes = exc.get_codes()
    while isinstance(codes, dict | list) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) else "invalid"


def _encodable(node):
    """The problem with every string made encodable: a message that echoes input (a choice
    that is not valid, say) must not carry a lone surrogate into the UTF-8 renderer."""
    if isinstance(node, dict):
        return {_encodable(key): _encodable(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_encodable(item) for item in node]
    if isinstance(node, str):
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            return node.encode("utf-8", "backslashreplace").decode("utf-8")
    return node
