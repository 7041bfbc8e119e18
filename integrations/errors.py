"""One error shape for the whole API: RFC 9457 problem details.

    {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "...",
     "code": "invalid", "errors": {"field": ["message", ...]}}

`errors` is present for bad input (400) and maps each field, or "non_field_errors", to its
messages. The response's content type is application/problem+json.
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from claims.exceptions import EditConflict

PROBLEM_CONTENT_TYPE = "application/problem+json"


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


def _from_django(exc):
    """Translate the errors services raise into DRF's."""
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
    problem = {
        "type": "about:blank",
        "title": HTTPStatus(response.status_code).phrase,
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        problem["detail"] = _first_message(errors)
        problem["code"] = _first_code(exc)
        problem["errors"] = errors
    else:
        problem["detail"] = str(getattr(exc, "detail", exc))
        problem["code"] = getattr(getattr(exc, "detail", None), "code", None) or "error"
    response.data = problem
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _first_code(exc):
    codes = exc.get_codes()
    while isinstance(codes, dict | list) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) else "invalid"
