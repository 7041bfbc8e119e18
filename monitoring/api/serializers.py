from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import StrictCharField

from ..transcripts import MAX_LINE_CHARS


class TranscriptLineInputSerializer(serializers.Serializer):
    text = StrictCharField(max_length=MAX_LINE_CHARS, help_text=_("What was said."))
    speaker = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=_("Who said it; else a “NAME: ” label in the text, else the last speaker."),
    )
    start = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("When in the recording: HH:MM:SS,mmm or HH:MM:SS.mmm."),
    )
    end = StrictCharField(required=False, allow_blank=True, max_length=20)


class TranscriptSentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = StrictCharField()
    speaker = StrictCharField()
    at_ms = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=StrictCharField())
    kept = serializers.BooleanField()
    match = serializers.DictField(allow_null=True)
