from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from .models import (
    DeliveryStatus,
    IntegrationKey,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from .webhooks import webhook_deliver

# The library's own key model is unused: integrations use IntegrationKey (with a user and scope).
admin.site.unregister(APIKey)


@admin.register(IntegrationKey)
class IntegrationKeyAdmin(APIKeyModelAdmin):
    list_display = ["prefix", "name", "user", "scope", "created", "expiry_date", "_has_expired"]
    list_display += ["revoked"]
    list_filter = ["scope", "revoked", "created"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    autocomplete_fields = ["user"]


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["event", "status", "attempts", "last_status_code", "last_error", "created_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at"]
    show_change_link = True


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "secret", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "events", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [DeliveryInline]

    def save_model(self, request, obj, form, change):
        # The form has validated the endpoint (WebhookEndpoint.clean); only who made it is new.
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "webhook_id",
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["webhook_id", "endpoint__name", "last_error"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        # Cancelled ones too: after reactivating an endpoint, an editor may want one resent.
        failed = [DeliveryStatus.FAILED, DeliveryStatus.RETRYING, DeliveryStatus.CANCELLED]
        ids = list(queryset.filter(status__in=failed).values_list("pk", flat=True))
        # Back to `retrying`, due now, with a fresh attempt budget; same webhook-id.
        queryset.filter(pk__in=ids).update(
            status=DeliveryStatus.RETRYING, attempts=0, next_attempt_at=timezone.now()
        )
        for delivery_id in ids:
            webhook_deliver.enqueue(delivery_id)
        messages.success(request, _("Queued %(n)s deliveries.") % {"n": len(ids)})
