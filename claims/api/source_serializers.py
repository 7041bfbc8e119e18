from django.db import models
from rest_framework import serializers

from api.fields import StrictCharField
from claims.claimreview import absolute_url
from sources.models import Outlet, Source, SourceKind


class OutputSerializer(serializers.ModelSerializer):
    """Base for output: URLs that may be blank are plain strings (an empty string is not a URI,
    and the schema must not promise one)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: serializers.CharField,
    }


class OutletBriefSerializer(OutputSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "domain", "reliability"]


class OutletSerializer(OutputSerializer):
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


class SourceSerializer(OutputSerializer):
    outlet = OutletBriefSerializer(read_only=True, allow_null=True)
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
    title = StrictCharField(max_length=500, required=False, allow_blank=True)
    authors = StrictCharField(max_length=500, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)
    language = StrictCharField(max_length=16, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
