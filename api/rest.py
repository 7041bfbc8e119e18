"""Shared pieces of the REST API: body limits, throttles, pagination, ETags, the base view."""

import json
import math
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.utils.json import strict_constant

from lib.cache import SharedOrLocalCache

from .errors import PreconditionFailed, PreconditionRequired, RequestTooLarge
from .idempotency import IdempotentPostMixin
from .models import IntegrationKey

# How deep a JSON body may nest. Real payloads are a few levels deep (a ClaimReview DataFeed
# about six); the bound stops hostile nesting before the parser, or any code that walks the
# data later, recurses into it.
MAX_JSON_DEPTH = 64
# The longest number, in digits, a body may hold: more than any field stores, and far below
# what makes int() slow (Python refuses past 4300 digits with a message about its internals).
MAX_JSON_NUMBER_DIGITS = 100

# A string or a bracket. The string part is possessive and also ends at the end of the input,
# so an unterminated string costs one pass instead of one per quote.
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)
_OPENERS, _CLOSERS = (b"[", b"{"), (b"]", b"}")


def json_nests_deeper_than(data: bytes, limit: int) -> bool:
    """Whether the brackets outside strings nest deeper than `limit` (a scan, no parsing)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(data):
        token = match.group()
        if token in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        elif token in _CLOSERS:
            depth -= 1
    return False


def _number_digits(text: str) -> None:
    if len(text) > MAX_JSON_NUMBER_DIGITS:
        raise ParseError(
            _("A number in the JSON has more than %(n)s digits.") % {"n": MAX_JSON_NUMBER_DIGITS}
        )


def _parse_int(text: str) -> int:
    _number_digits(text)
    return int(text)


def _parse_float(text: str) -> float:
    _number_digits(text)
    value = float(text)
    if not math.isfinite(value):  # 1e999999 is infinity to Python, and to no database
        raise ParseError(_("A number in the JSON is too large."))
    return value


def _has_lone_surrogate(data) -> bool:
    """Whether any string (key or value) holds a lone surrogate, which UTF-8 cannot encode."""
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(node, dict):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False


class LimitedJSONParser(JSONParser):
    """JSON with a size cap (API_MAX_BODY_BYTES), checked while reading, chunked bodies too;
    and with bounds on nesting and numbers, and valid Unicode only, so that no view, service
    or error message behind it meets input it cannot handle. Every refusal is a 400 or 413."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise RequestTooLarge()
        if json_nests_deeper_than(data, MAX_JSON_DEPTH):
            raise ParseError(
                _("The JSON nests deeper than %(n)s levels.") % {"n": MAX_JSON_DEPTH},
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            parsed = json.loads(
                data.decode(encoding),
                parse_int=_parse_int,
                parse_float=_parse_float,
                parse_constant=strict_constant,
            )
        except RecursionError:  # the scan above should make this unreachable
            raise ParseError(_("The JSON nests too deeply.")) from None
        except ValueError as error:
            # JSON's own messages say where, never what: they echo none of the input.
            raise ParseError(
                _("The body is not valid JSON: %(reason)s") % {"reason": error}
            ) from None
        if _has_lone_surrogate(parsed):
            raise ParseError(
                _(
                    "The JSON holds a lone surrogate (an unpaired \\ud800-\\udfff escape): "
                    "send valid Unicode."
                )
            )
        return parsed


class LimitedJSONLDParser(LimitedJSONParser):
    media_type = "application/ld+json"


class _LiveRateMixin:
    # Counted in the shared cache; while it is unreachable, in this process's memory, so a
    # Redis outage turns each limit into a per-process one instead of lifting it.
    cache = SharedOrLocalCache("throttle")

    # DRF reads rates once at import; reading them per request lets settings and tests change them.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRateMixin, AnonRateThrottle):
    pass


class CallerThrottle(_LiveRateMixin, UserRateThrottle):
    """One budget per integration key, and one per signed-in staff member."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, IntegrationKey):
            ident = f"key-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ApiCursorPagination(CursorPagination):
    """Pages of 25 by default; `page_size` asks for 1 or more, and more than 100 gets 100.

    A page_size that is not a whole number of at least 1 is a 400 (DRF would quietly use the
    default), so the schema's `minimum: 1` is what the server does."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    # The id breaks ties between claims saved in the same microsecond; the index
    # (created_at, id) serves this order (claims migration 0007).
    ordering = ("-created_at", "-pk")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError(
                {self.page_size_query_param: [_("A whole number of 1 or more.")]}, code="invalid"
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Results per page (default {self.page_size}; more than "
                    f"{self.max_page_size} gets {self.max_page_size})."
                )
        return parameters


def etag_for(obj) -> str | None:
    """A strong ETag: the claim's version, or the row's last update time for other resources
    (None for records that are never edited through the API)."""
    version = getattr(obj, "version", None)
    if version is not None:
        return f'"v{version}"'
    updated_at = getattr(obj, "updated_at", None)
    return f'"t{int(updated_at.timestamp() * 1_000_000)}"' if updated_at else None


def check_if_match(request, obj) -> None:
    """Refuse an edit unless If-Match names the current ETag: 428 when absent, 412 when stale."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    # "If-Match: *" matches any current version (RFC 9110, 13.1.1).
    if "*" not in tags and etag_for(obj) not in tags:
        raise PreconditionFailed()


class ApiViewMixin(IdempotentPostMixin):
    """Base for every API view: idempotent POSTs and an ETag on single-object responses."""

    def retrieve(self, request, *args, **kwargs):
        response = with_etag(super().retrieve(request, *args, **kwargs), self._etag_object)
        # A client that already holds this version gets an empty 304 instead of the body again.
        held = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
        if response.has_header("ETag") and response["ETag"] in held:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": response["ETag"]})
        return response

    def get_object(self):
        obj = super().get_object()
        self._etag_object = obj
        return obj


def with_etag(response, obj):
    etag = etag_for(obj) if obj is not None else None
    if etag and response.status_code < 300:
        response["ETag"] = etag
    return response
