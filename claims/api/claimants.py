"""Claimants in the API: who said what. What an anonymous caller may see of a claimant depends
on their published claims (claims/visibility.py), so the door stands with the claims' own."""

from django.db.models import Count, Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from api.fields import StrictCharField
from api.filters import BooleanFilter
from api.rest import ApiViewMixin
from claimants.models import Claimant, ClaimantKind, ClaimantRole
from claims import visibility

from . import serializers as s
from .source_serializers import OutputSerializer
from .views import claim_queryset


class ClaimantRoleSerializer(OutputSerializer):
    class Meta:
        model = ClaimantRole
        fields = ["role", "party", "started_on", "ended_on"]


class ClaimantSerializer(OutputSerializer):
    aliases = serializers.ListField(source="alias_list", child=StrictCharField())
    roles = ClaimantRoleSerializer(many=True, read_only=True)
    page_url = serializers.SerializerMethodField()
    published_claims = serializers.IntegerField(
        source="published_count", read_only=True, help_text="How many of their claims are public."
    )
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Claimant
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "aliases",
            "same_as",
            "description",
            "roles",
            "published_claims",
            "page_url",
            "merged_into",
            "updated_at",
        ]
        read_only_fields = fields

    def get_page_url(self, claimant) -> str | None:
        from claims.claimreview import absolute_url

        if not claimant.published_count or claimant.merged_into_id:
            return None
        return absolute_url(claimant.get_absolute_url())


class ClaimantFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ClaimantKind.choices)
    name = filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")
    same_as = filters.CharFilter(help_text="The identifier URL, e.g. a Wikidata page.")
    party = filters.CharFilter(
        field_name="roles__party",
        lookup_expr="iexact",
        distinct=True,
        help_text="Any role's party.",
    )
    merged = BooleanFilter(
        field_name="merged_into", lookup_expr="isnull", exclude=True, help_text="Merged duplicates."
    )

    class Meta:
        model = Claimant
        fields = ["kind", "name", "same_as", "party", "merged"]


class ClaimantViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """People and organisations whose claims the desk checks. Anonymous callers see those
    with at least one published claim; `claims` lists their claims the caller may see."""

    serializer_class = ClaimantSerializer
    filterset_class = ClaimantFilter
    search_fields = ["name", "aliases"]
    ordering_fields = ["name", "created_at", "updated_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            visibility.claimants_for(self.request)
            .annotate(
                published_count=Count(
                    "claims", filter=visibility.public_claim_condition("claims__")
                )
            )
            .prefetch_related(Prefetch("roles", queryset=ClaimantRole.objects.order_by("pk")))
        )

    @extend_schema(responses=s.ClaimSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def claims(self, request, pk=None):
        """The claimant's claims the caller may see (published ones for anonymous callers)."""
        claimant = self.get_object()
        claims = claim_queryset(request.user).filter(speaker=claimant)
        page = self.paginate_queryset(claims)
        serializer = s.DeskClaimSerializer if visibility.sees_drafts(request) else s.ClaimSerializer
        return self.get_paginated_response(
            serializer(page, many=True, context=self.get_serializer_context()).data
        )
