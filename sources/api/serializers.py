from rest_framework import serializers

from claims.claimreview import absolute_url
from sources.models import Outlet, Source, SourceKind


class OutletBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "domain", "reliability"]


class OutletSerializer(serializers.ModelSerializer):
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Outlet
        fields = [
            "id",
            "name",
            "domain",
            "country",
            "language",
            "reliability",
            "reliability_note",
            "page_url",
            "updated_at",
        ]

    def get_page_url(self, outlet) -> str:
        return absolute_url(outlet.get_absolute_url())


class SourceSerializer(serializers.ModelSerializer):
    outlet = OutletBriefSerializer(read_only=True)
    is_dead = serializers.BooleanField(read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "outlet",
            "authors",
            "published_on",
            "accessed_on",
            "language",
            "kind",
            "archive_url",
            "archived_at",
            "link_checked_at",
            "link_status_code",
            "is_dead",
            "updated_at",
        ]
        read_only_fields = fields


class SourceCreateSerializer(serializers.Serializer):
    """A source by URL: the page stored already is returned instead of a duplicate."""

    url = serializers.URLField(max_length=2000)
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    authors = serializers.CharField(max_length=500, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(max_length=16, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
