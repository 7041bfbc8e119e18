"""API keys for integrations, webhook endpoints with their deliveries, and idempotency records."""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from .addresses import check_public_url


class KeyScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class IntegrationKey(AbstractAPIKey):
    """One integration's API key: hashed at rest, expiring, revocable (djangorestframework-api-key).

    The integration acts as `user`, so it can do exactly what that staff member may do, and
    its writes are on the record under their name. A read-only key never writes.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="integration_keys",
        verbose_name=_("acts as"),
        help_text=_("The staff member this integration acts as; it has their permissions."),
    )
    scope = models.CharField(_("scope"), max_length=12, choices=KeyScope, default=KeyScope.READ)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("integration API key")
        verbose_name_plural = _("integration API keys")
        constraints = [
            # One live key per integration: rotating means revoking the old one first.
            models.UniqueConstraint(
                fields=["name"], condition=Q(revoked=False), name="integration_key_name_live_unique"
            ),
        ]

    @property
    def can_write(self) -> bool:
        return self.scope == KeyScope.READ_WRITE


class WebhookEvent(models.TextChoices):
    CLAIM_PUBLISHED = "claim.published", _("Claim published")
    CLAIM_CORRECTED = "claim.corrected", _("Claim corrected")
    CLAIM_UNPUBLISHED = "claim.unpublished", _("Claim unpublished")
    CLAIM_REPEATED = "claim.repeated", _("Published claim said again (a sighting)")


def new_webhook_secret() -> str:
    # The Standard Webhooks secret format: "whsec_" and the base64 of 32 random bytes.
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=2000)
    events = models.JSONField(
        _("events"), default=list, help_text=_("Which events to send, e.g. claim.published.")
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=new_webhook_secret,
        help_text=_("Receivers verify the webhook-signature header with it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.url:
            try:
                check_public_url(self.url)
            except ValidationError as error:
                errors["url"] = error.messages
        if not isinstance(self.events, list) or not self.events:
            errors["events"] = [_("Choose at least one event.")]
        else:
            unknown = sorted(set(map(str, self.events)) - set(WebhookEvent.values))
            if unknown:
                errors["events"] = [
                    _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}
                ]
        if errors:
            raise ValidationError(errors)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Waiting to retry")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (gave up)")
    # Not sent because its endpoint was deactivated: a partner switched off is not sent a
    # backlog of stale events when switched on again (an editor can still "Retry now").
    CANCELLED = "cancelled", _("Cancelled (endpoint inactive)")


class WebhookDelivery(models.Model):
    """One event for one endpoint. `webhook_id` is sent as the webhook-id header on every attempt,
    so a receiver that sees it twice (a worker died after sending) can drop the copy."""

    webhook_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent)
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text=_("A sending attempt past this time was interrupted.")
    )
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.get_status_display()})"


class IdempotencyRecord(models.Model):
    """The response to a POST sent with an Idempotency-Key, replayed when the caller retries."""

    owner = models.CharField(max_length=100, help_text=_("Who sent it: a user or an API key."))
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of method, path, body."))
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique"),
        ]

    def __str__(self):
        return self.key
