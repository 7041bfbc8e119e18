from django.conf import settings
from rest_framework import serializers

from claims.api.similar import SimilarClaimSerializer
from factchecks.api.serializers import ExternalFactCheckSerializer

from ..models import MAX_LINK, MAX_TEXT


class TipInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT, help_text="The claim the reader sent.")
    link = serializers.CharField(
        max_length=MAX_LINK, required=False, allow_blank=True, help_text="Where they saw it."
    )
    email = serializers.CharField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="The reader's address, kept only when `notify` is true.",
    )
    notify = serializers.BooleanField(
        default=False, help_text="Mail the reader once when the check is published."
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        help_text="The reader's language: the reply's and the answer's.",
    )
    reader = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=(
            "An opaque id of the reader on the tipline (e.g. a hash of their number), for the "
            "per-reader rate limit. Never their number itself."
        ),
    )


class TipAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["answered", "received"],
        help_text="answered: published checks match; received: the desk has the question.",
    )
    request = serializers.UUIDField(help_text="The request's reference, to quote to the desk.")
    message = serializers.CharField(help_text="What to tell the reader, in their language.")
    claims = SimilarClaimSerializer(many=True, help_text="The desk's own published checks.")
    fact_checks = ExternalFactCheckSerializer(
        many=True, help_text="Other organisations' checks, with their rating as they gave it."
    )
    note = serializers.CharField(help_text="How the tip was matched, when that is unusual.")
