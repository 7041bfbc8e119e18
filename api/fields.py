"""Serializer fields whose rules the OpenAPI schema states exactly."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lib.text import CONTROL_CHARACTERS, validate_plain_text

# The same characters lib.text refuses (C0 controls but tab, line feed and carriage return),
# as the schema's pattern, so a client's validator and the server agree.
PLAIN_TEXT = "^[^" + CONTROL_CHARACTERS.pattern[1:-1] + "]*$"


class StrictCharField(serializers.CharField):
    """A string, as the schema says. DRF's CharField also takes a number and stores it as
    text ("byline": 5 became "5"): a client that sends the wrong type gets a 400 instead."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "pattern": PLAIN_TEXT})
class PlainTextField(StrictCharField):
    """Text as people paste it: no control characters except tab and line breaks."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_plain_text)
