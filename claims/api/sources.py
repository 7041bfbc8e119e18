"""Sources and outlets as the API shows them: what a reader may see of them depends on the
claims that cite them (claims/visibility.py), so their doors stand with the claims' own."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from api.filters import BooleanFilter
from api.rest import ApiViewMixin, with_etag
from sources.models import Outlet, Source
from sources.services import source_get_or_create

from .. import visibility
from .source_serializers import OutletSerializer, SourceCreateSerializer, SourceSerializer


class OutletFilter(filters.FilterSet):
    class Meta:
        model = Outlet
        fields = ["reliability", "country", "language", "domain"]


class OutletViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Publishers. Anonymous callers see the outlets of what published claims cite."""

    serializer_class = OutletSerializer
    filterset_class = OutletFilter
    search_fields = ["name", "domain"]
    ordering_fields = ["name", "created_at", "updated_at"]

    def get_queryset(self):
        return visibility.outlets_for(self.request)


class SourceFilter(filters.FilterSet):
    outlet = filters.CharFilter(field_name="outlet__domain", help_text="Outlet domain.")
    dead = BooleanFilter(method="filter_dead", help_text="Only sources whose link fails.")

    class Meta:
        model = Source
        fields = ["kind", "language", "outlet"]

    def filter_dead(self, queryset, name, value):
        dead = queryset.dead_links()
        return dead if value else queryset.exclude(pk__in=dead.values("pk"))


class SourceViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Documents cited as evidence. Anonymous callers see the ones published claims cite."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    search_fields = ["title", "url", "authors"]
    ordering_fields = ["created_at", "updated_at", "published_on"]
    write_permissions = {"create": "sources.add_source"}

    def get_queryset(self):
        return visibility.sources_for(self.request).select_related("outlet")

    @extend_schema(
        request=SourceCreateSerializer, responses={200: SourceSerializer, 201: SourceSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Store a source by URL; answers 200 with the stored one when the page is known."""
        data = SourceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source, created = source_get_or_create(**data.validated_data)
        response = Response(
            SourceSerializer(source, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
        return with_etag(response, source)
