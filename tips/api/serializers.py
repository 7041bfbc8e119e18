from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import StrictCharField
from claims.api.similar import SimilarClaimSerializer
from factchecks.api.serializers import ExternalFactCheckSerializer
from lib.text import CONTROL_CHARACTERS

from ..models import MAX_LINK, MAX_TEXT
from ..services import MIN_TEXT

_CONTROLS = CONTROL_CHARACTERS.pattern[1:-1]
# tips.services' rules as a pattern a client's validator can apply: no control characters
# (lib.text) and no markup, i.e. no "<" followed by a letter, "!", "/" or "?" (services.HTML).
PLAIN_TIP = f"^[^<{_CONTROLS}]*(?:<(?:[^A-Za-z!/?<{_CONTROLS}][^<{_CONTROLS}]*)?)*$"
# A subset of what Django's EmailValidator accepts, so a schema-valid address is never refused.
EMAIL = (
    "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.){1,4}[A-Za-z]{2,24}$"
)


@extend_schema_field(
    {"type": "string", "minLength": MIN_TEXT, "maxLength": MAX_TEXT, "pattern": PLAIN_TIP}
)
class TipTextField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "maxLength": 254, "pattern": f"^$|{EMAIL}"})
class TipEmailField(serializers.CharField):
    pass


class TipInputSerializer(serializers.Serializer):
    text = TipTextField(
        min_length=MIN_TEXT, max_length=MAX_TEXT, help_text="The claim the reader sent."
    )
    link = serializers.URLField(
        max_length=MAX_LINK, required=False, allow_blank=True, help_text="Where they saw it."
    )
    email = TipEmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="The reader's address, kept only when `notify` is true.",
    )
    notify = serializers.BooleanField(
        default=False,
        help_text="Mail the reader once when the check is published (ignored without `email`).",
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        help_text="The reader's language: the reply's and the answer's.",
    )
    reader = StrictCharField(
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
    message = StrictCharField(help_text="What to tell the reader, in their language.")
    claims = SimilarClaimSerializer(many=True, help_text="The desk's own published checks.")
    fact_checks = ExternalFactCheckSerializer(
        many=True, help_text="Other organisations' checks, with their rating as they gave it."
    )
    note = StrictCharField(help_text="How the tip was matched, when that is unusual.")
