"""Sightings through the API (desk only): list and read them, record one, and mark one
("correction requested", "corrected", "not a repeat", or back to "new"). Writes call
claims.services.sightings, as the admin and monitoring do."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.fields import StrictCharField
from api.rest import ApiCursorPagination, ApiViewMixin
from claims.models import Claim, Sighting, SightingOrigin, SightingStatus
from claims.services.sightings import sighting_record, sighting_status_set
from sources.normalization import normalize_url

from .views import IsDesk


class SightingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sighting
        fields = [
            "id",
            "claim",
            "sentence",
            "url",
            "outlet_name",
            "outlet",
            "speaker_name",
            "claimant",
            "said_at",
            "seen_at",
            "score",
            "language",
            "origin",
            "status",
            "status_changed_by",
            "status_changed_at",
        ]
        read_only_fields = fields

    status_changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)


class SightingCreateSerializer(serializers.Serializer):
    """A sighting an integration found itself (origin "api"); the same (claim, URL, sentence)
    twice records it once."""

    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    sentence = StrictCharField(max_length=2000)
    url = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    said_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    outlet_name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    speaker_name = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    score = serializers.FloatField(min_value=0, max_value=1)
    language = StrictCharField(max_length=16, required=False, allow_blank=True, default="")

    def validate_url(self, value: str) -> str:
        # Checked here too, so a bad URL is reported with the other fields' errors.
        if not value.strip():
            return ""
        try:
            return normalize_url(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class SightingStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SightingStatus.choices)


class SightingFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=SightingStatus.choices)
    origin = filters.ChoiceFilter(choices=SightingOrigin.choices)
    claim = filters.NumberFilter(field_name="claim_id")

    class Meta:
        model = Sighting
        fields = ["status", "origin", "claim"]


class SightingPagination(ApiCursorPagination):
    # Rows are written as they are seen, so the id is the order they came in, and its index
    # serves every page.
    ordering = ("-pk",)


class SightingViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Where the desk's published checks were said again (desk only), newest first."""

    serializer_class = SightingSerializer
    permission_classes = [IsDesk, *viewsets.ReadOnlyModelViewSet.permission_classes]
    pagination_class = SightingPagination
    filterset_class = SightingFilter
    search_fields = []
    ordering_fields = []
    lookup_value_regex = r"\d+"
    write_permissions = {"create": "claims.add_sighting", "status": "claims.change_sighting"}

    def get_queryset(self):
        return Sighting.objects.select_related("status_changed_by")

    @extend_schema(
        request=SightingCreateSerializer,
        responses={
            201: SightingSerializer,
            200: OpenApiResponse(SightingSerializer, description="Recorded before."),
        },
    )
    def create(self, request, *args, **kwargs):
        data = SightingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        sighting, created = sighting_record(
            fields.pop("claim"), origin=SightingOrigin.API, **fields
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(SightingSerializer(sighting).data, status=code)

    @extend_schema(request=SightingStatusSerializer, responses=SightingSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Mark the sighting; who and when are recorded."""
        sighting = self.get_object()
        data = SightingStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sighting = sighting_status_set(
            sighting=sighting, status=data.validated_data["status"], actor=request.user
        )
        return Response(SightingSerializer(sighting).data)
