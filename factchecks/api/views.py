"""GET /api/v1/fact-checks/: the harvested fact-checks, read-only, for the desk's staff."""

from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.permissions import BasePermission

from api.filters import DateTimeFilter, IdFilter
from api.rest import ApiCursorPagination, ApiViewMixin

from ..models import ExternalFactCheck
from .serializers import ExternalFactCheckSerializer


class CanViewFactChecks(BasePermission):
    """Staff holding factchecks.view_externalfactcheck (the desk's groups have it)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm("factchecks.view_externalfactcheck")
        )


class ExternalFactCheckFilter(filters.FilterSet):
    language = filters.CharFilter()
    source = IdFilter(field_name="source_id")
    organization = filters.CharFilter(field_name="organization_name", lookup_expr="iexact")
    reviewed_after = DateTimeFilter(field_name="reviewed_at", lookup_expr="gte")
    reviewed_before = DateTimeFilter(field_name="reviewed_at", lookup_expr="lt")

    class Meta:
        model = ExternalFactCheck
        fields = ["language", "source", "organization", "reviewed_after", "reviewed_before"]


class NewestHarvestedFirst(ApiCursorPagination):
    # The id is unique and never changes: a stable cursor whatever is harvested meanwhile.
    ordering = "-id"


class ExternalFactCheckViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Other organisations' fact-checks harvested by the desk (never the desk's own work)."""

    queryset = ExternalFactCheck.objects.defer("raw")
    serializer_class = ExternalFactCheckSerializer
    permission_classes = [CanViewFactChecks]
    filterset_class = ExternalFactCheckFilter
    pagination_class = NewestHarvestedFirst
    search_fields = ["claim_reviewed", "organization_name"]
    ordering_fields = []
