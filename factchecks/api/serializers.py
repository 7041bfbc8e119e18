from rest_framework import serializers

from api.fields import StrictCharField

from ..models import ExternalFactCheck


class ExternalFactCheckSerializer(serializers.ModelSerializer):
    """Another organisation's fact-check: their claim, their verdict in their words, their link.
    `kind` is always "external" so a client cannot mistake it for one of the desk's claims."""

    kind = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()

    class Meta:
        model = ExternalFactCheck
        fields = [
            "id",
            "kind",
            "claim_reviewed",
            "title",
            "organization",
            "rating",
            "language",
            "reviewed_at",
            "review_url",
            "claimant",
            "appearance_urls",
        ]

    def get_kind(self, obj) -> str:
        return "external"

    def get_organization(self, obj) -> dict:
        return {"name": obj.organization_name, "url": obj.organization_url}

    def get_rating(self, obj) -> dict:
        """As they gave it: their words, and their scale's numbers when they gave them."""
        return {
            "text": obj.rating_text,
            "value": obj.rating_value,
            "best": obj.rating_best,
            "worst": obj.rating_worst,
        }


class ExternalMatchSerializer(ExternalFactCheckSerializer):
    similarity = serializers.FloatField(source="match_similarity")
    reason = StrictCharField(source="match_reason")

    class Meta(ExternalFactCheckSerializer.Meta):
        fields = [*ExternalFactCheckSerializer.Meta.fields, "similarity", "reason"]
