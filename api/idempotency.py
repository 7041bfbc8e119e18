"""Idempotency-Key on POST: a retried request creates the object once and gets the same answer.

The first request with a key inserts a record and runs inside the same transaction; a
concurrent retry with that key waits on the record's unique index, then replays the stored
response. Only successful responses are stored: after an error nothing was written, so a
retry simply runs again.
"""

import hashlib

from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.problems import problem_response

from .models import IdempotencyRecord

MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ["Location", "ETag"]


def _owner(request) -> str | None:
    """Keys are per caller, so two integrations can never replay each other's responses."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "auth:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        record.body, status=record.status_code, content_type=record.content_type or None
    )
    for name, value in record.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent_dispatch(request, key: str, run) -> HttpResponse:
    """Run `run()` (the view) once per (caller, key); replay its response on retries."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return problem_response(
            400,
            _("Idempotency-Key must be 1 to %(n)s characters.") % {"n": MAX_KEY_LENGTH},
            code="invalid_idempotency_key",
        )
    owner = _owner(request)
    if owner is None:
        return run()  # Unauthenticated: the view refuses it anyway, so there is nothing to keep.
    try:
        body = request.body
    except RequestDataTooBig:
        return problem_response(
            413, _("The request body is too large."), title="Content Too Large", code="too_large"
        )
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.get_full_path().encode(), body])
    ).hexdigest()
    with transaction.atomic():
        record, created = IdempotencyRecord.objects.get_or_create(
            owner=owner, key=key, defaults={"fingerprint": fingerprint}
        )
        if not created:
            if record.fingerprint != fingerprint:
                return problem_response(
                    422,
                    _("This Idempotency-Key was already used for a different request."),
                    title="Unprocessable Content",
                    code="idempotency_key_reused",
                )
            return _replay(record)
        response = run()
        if hasattr(response, "render"):
            response.render()
        if not 200 <= response.status_code < 300:
            transaction.set_rollback(True)
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = response.content.decode()
        record.headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
        record.save(update_fields=["status_code", "content_type", "body", "headers"])
    return response


class IdempotentPostMixin:
    """For DRF views: honour Idempotency-Key on every POST the view answers."""

    def dispatch(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or key is None:
            return super().dispatch(request, *args, **kwargs)
        return idempotent_dispatch(
            request,
            key.strip(),
            lambda: super(IdempotentPostMixin, self).dispatch(request, *args, **kwargs),
        )
