"""/api/v1/webhooks/: integrations register their own receivers and read their delivery log."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from .fields import StrictCharField
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .rest import ApiViewMixin
from .services import webhook_endpoint_create, webhook_endpoint_delete


class WebhookEndpointSerializer(serializers.ModelSerializer):
    url = StrictCharField(read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "name", "url", "events", "is_active", "created_at"]
        read_only_fields = fields


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """Shown once, on creation: the secret receivers verify signatures with."""

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(serializers.Serializer):
    name = StrictCharField(max_length=100)
    url = serializers.URLField(max_length=2000)
    events = serializers.MultipleChoiceField(choices=WebhookEvent.choices, allow_empty=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "webhook_id",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields


class CanViewWebhooks(BasePermission):
    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            return True  # DeskWritePermission decides writes
        user = request.user
        return bool(
            user and user.is_authenticated and user.has_perm("integrations.view_webhookendpoint")
        )


class WebhookEndpointViewSet(
    ApiViewMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Webhook receivers. Callers see and manage the ones they registered (superusers: all).

    Needs the integrations webhook-endpoint permissions, which an administrator grants.
    """

    queryset = WebhookEndpoint.objects.all()
    serializer_class = WebhookEndpointSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"
    write_permissions = {
        "create": "integrations.add_webhookendpoint",
        "destroy": "integrations.delete_webhookendpoint",
    }

    def get_permissions(self):
        return [*super().get_permissions(), CanViewWebhooks()]

    def get_queryset(self):
        endpoints = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no caller
            return endpoints
        if not self.request.user.is_superuser:
            endpoints = endpoints.filter(created_by=self.request.user)
        return endpoints

    @extend_schema(
        request=WebhookEndpointCreateSerializer, responses={201: WebhookEndpointCreatedSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Register a receiver; the answer shows its signing secret, once."""
        data = WebhookEndpointCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {**data.validated_data, "events": list(data.validated_data["events"])}
        endpoint = webhook_endpoint_create(created_by=request.user, **fields)
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance):
        webhook_endpoint_delete(endpoint=instance)

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The receiver's delivery log, newest first: status, attempts, last error."""
        endpoint = self.get_object()
        page = self.paginate_queryset(endpoint.deliveries.all())
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
