"""Output serializers mirror what each caller may see; input serializers validate, then views
call the services. Public serializers never name people or internal notes."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import PlainTextField, StrictCharField
from claimants.models import Claimant
from claims import visibility
from claims.anchoring import anchor_at
from claims.claimreview import absolute_url
from claims.models import (
    CLAIM_REVIEWED_MAX_LENGTH,
    EVIDENCE_NOTE_MAX_LENGTH,
    Article,
    Claim,
    ClaimComment,
    ClaimEvent,
    Correction,
    Evidence,
    Stance,
    Topic,
    VerdictRating,
)
from claims.permissions import allowed_transitions
from sources.models import Source

from .source_serializers import OutletBriefSerializer, OutputSerializer, SourceSerializer

User = get_user_model()


class SlugField(serializers.SlugRelatedField):
    """A related object by slug; a NUL character is a 400 (PostgreSQL cannot even look it up)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class UsernameField(SlugField):
    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "username")
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


class VerdictRatingSerializer(OutputSerializer):
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = VerdictRating
        fields = [
            "code",
            "label_en",
            "label_it",
            "description_en",
            "description_it",
            "rating_value",
            "colour",
            "order",
            "aliases",
            "is_active",
        ]

    def get_aliases(self, rating) -> list[str]:
        return [line.strip() for line in rating.aliases.splitlines() if line.strip()]


class ArticleSerializer(OutputSerializer):
    outlet = OutletBriefSerializer(read_only=True, allow_null=True)
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "outlet",
            "language",
            "published_on",
            "published_precision",
            "byline",
            "page_url",
            "created_at",
            "updated_at",
        ]

    def get_page_url(self, article) -> str:
        return absolute_url(article.get_absolute_url())


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text"]


@extend_schema_field(
    {"type": "string", "pattern": "^([A-Za-z0-9-]{1,63}\\.){1,4}[A-Za-z]{2,24}$", "maxLength": 253}
)
class DomainField(serializers.CharField):
    """A host name such as wsj.com (the service also takes a URL and keeps its host)."""


class ArticleCreateSerializer(serializers.Serializer):
    title = PlainTextField(max_length=500)
    text = PlainTextField(trim_whitespace=False)
    language = StrictCharField(max_length=16)
    url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    outlet = DomainField(
        max_length=253, required=False, help_text="Outlet domain, e.g. wsj.com (created if new)."
    )
    published_on = serializers.DateField(required=False, allow_null=True)
    byline = PlainTextField(max_length=300, required=False, allow_blank=True)


class EvidenceSerializer(OutputSerializer):
    source = SourceSerializer(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "source", "stance", "excerpt", "locator", "added_at"]


class DeskEvidenceSerializer(EvidenceSerializer):
    added_by = UsernameField(read_only=True)

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "note", "added_by"]


class EvidenceCreateSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False, help_text="An existing source's id."
    )
    source_url = serializers.URLField(
        max_length=2000, required=False, help_text="Or a URL: the source is found or created."
    )
    stance = serializers.ChoiceField(choices=Stance.choices)
    excerpt = StrictCharField(required=False, allow_blank=True)
    locator = StrictCharField(max_length=200, required=False, allow_blank=True)
    note = StrictCharField(required=False, allow_blank=True)

    exactly_one_of = ("source", "source_url")

    def validate(self, attrs):
        if sum(name in attrs for name in self.exactly_one_of) != 1:
            raise serializers.ValidationError(
                {"source": _("Give either source (an id) or source_url.")}
            )
        return attrs


class CorrectionSerializer(OutputSerializer):
    previous_verdict = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    new_verdict = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = ["id", "claim", "note", "previous_verdict", "new_verdict", "created_at"]


class ClaimEventSerializer(OutputSerializer):
    actor = UsernameField(read_only=True)

    class Meta:
        model = ClaimEvent
        fields = [
            "id",
            "claim",
            "kind",
            "actor",
            "from_status",
            "to_status",
            "comment",
            "data",
            "created_at",
        ]


class ClaimCommentSerializer(OutputSerializer):
    author = UsernameField(read_only=True)

    class Meta:
        model = ClaimComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class AnchorSerializer(serializers.Serializer):
    start = serializers.IntegerField(source="anchor_start", allow_null=True)
    end = serializers.IntegerField(source="anchor_end", allow_null=True)
    prefix = StrictCharField(source="anchor_prefix")
    suffix = StrictCharField(source="anchor_suffix")
    state = StrictCharField(source="anchor_state")


class ClaimantBriefSerializer(OutputSerializer):
    class Meta:
        model = Claimant
        fields = ["id", "slug", "name", "kind"]


class ClaimSerializer(OutputSerializer):
    """A claim as anyone may see it once it is published."""

    speaker = ClaimantBriefSerializer(read_only=True, allow_null=True)

    page_url = serializers.SerializerMethodField()
    verdict = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    anchor = AnchorSerializer(source="*", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "slug",
            "page_url",
            "claim_reviewed",
            "quote",
            "speaker",
            "claimant",
            "claimant_is_organization",
            "claimant_url",
            "attribution",
            "claimed_on",
            "language",
            "article",
            "anchor",
            "parent",
            "canonical",
            "topics",
            "status",
            "verdict",
            "rationale",
            "unpublished_reason",
            "published_at",
            "updated_at",
            "version",
            "evidence",
            "corrections",
        ]
        read_only_fields = fields

    def get_page_url(self, claim) -> str | None:
        return absolute_url(claim.get_absolute_url()) if visibility.is_public(claim) else None


class DeskClaimSerializer(ClaimSerializer):
    """The desk's view: who holds the claim, where it is in the workflow, import flags."""

    evidence = DeskEvidenceSerializer(many=True, read_only=True)
    assignee = UsernameField(read_only=True)
    reviewer = UsernameField(read_only=True)
    created_by = UsernameField(read_only=True)
    submitted_by = UsernameField(read_only=True)
    published_by = UsernameField(read_only=True)
    needs_rating_mapping = serializers.BooleanField(read_only=True)
    allowed_transitions = serializers.SerializerMethodField(
        help_text="The workflow actions the caller may take on this claim now."
    )

    class Meta(ClaimSerializer.Meta):
        fields = [
            *ClaimSerializer.Meta.fields,
            "assignee",
            "reviewer",
            "created_by",
            "submitted_by",
            "published_by",
            "created_at",
            "status_changed_at",
            "imported_rating",
            "needs_rating_mapping",
            "allowed_transitions",
        ]
        read_only_fields = fields

    def get_allowed_transitions(self, claim) -> list[str]:
        request = self.context.get("request")
        return allowed_transitions(request.user, claim) if request else []


class ClaimCreateSerializer(serializers.Serializer):
    """A claim anchored in an article: give the quote (and `anchor_start` when it repeats), or
    `anchor_start` and `anchor_end` to take the quote from the article text."""

    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    quote = StrictCharField(required=False, trim_whitespace=False)
    anchor_start = serializers.IntegerField(required=False, min_value=0)
    anchor_end = serializers.IntegerField(required=False, min_value=1)
    claim_reviewed = StrictCharField(max_length=500)
    claimant = StrictCharField(max_length=200, required=False, allow_blank=True)
    claimant_is_organization = serializers.BooleanField(required=False)
    claimant_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    attribution = StrictCharField(max_length=300, required=False, allow_blank=True)
    speaker = serializers.PrimaryKeyRelatedField(
        queryset=Claimant.objects.current(),
        required=False,
        allow_null=True,
        help_text="Id of the claimant record (GET /api/v1/claimants/); by default the record "
        "the claimant's name means, created when new.",
    )
    claimed_on = serializers.DateField(required=False, allow_null=True)
    language = StrictCharField(max_length=16, required=False, allow_blank=True)
    topics = SlugField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all(), required=False)

    def validate(self, attrs):
        start, end = attrs.get("anchor_start"), attrs.pop("anchor_end", None)
        if end is not None:
            if start is None or end <= start:
                raise serializers.ValidationError(
                    {"anchor_end": _("Give anchor_start too, before anchor_end.")}
                )
            try:
                # Never clamped: a span past the end would quietly quote the whole article.
                span = anchor_at(attrs["article"].text, start, end).exact
            except DjangoValidationError as error:
                raise serializers.ValidationError({"anchor_end": error.messages}) from None
            if "quote" not in attrs:
                attrs["quote"] = span
            elif attrs["quote"] != span:
                raise serializers.ValidationError(
                    {
                        "quote": _("The article text at %(start)s-%(end)s is not the quote.")
                        % {"start": start, "end": end}
                    }
                )
        if not attrs.get("quote"):
            raise serializers.ValidationError(
                {"quote": _("Give the quote, or anchor_start and anchor_end.")}
            )
        return attrs


class ClaimUpdateSerializer(serializers.Serializer):
    """Content edits (PATCH). Status changes are the workflow actions, not edits."""

    claim_reviewed = StrictCharField(max_length=500, required=False)
    claimant = StrictCharField(max_length=200, required=False, allow_blank=True)
    claimant_is_organization = serializers.BooleanField(required=False)
    claimant_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    attribution = StrictCharField(max_length=300, required=False, allow_blank=True)
    speaker = serializers.PrimaryKeyRelatedField(
        queryset=Claimant.objects.current(),
        required=False,
        allow_null=True,
        help_text="Id of the claimant record (GET /api/v1/claimants/); by default the record "
        "the claimant's name means, created when new.",
    )
    claimed_on = serializers.DateField(required=False, allow_null=True)
    language = StrictCharField(max_length=16, required=False)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), required=False, allow_null=True
    )
    verdict = SlugField(
        slug_field="code", queryset=VerdictRating.objects.all(), required=False, allow_null=True
    )
    rationale = StrictCharField(required=False, allow_blank=True)
    topics = SlugField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)


class CommentSerializer(serializers.Serializer):
    comment = StrictCharField(required=False, allow_blank=True, max_length=5000)


class RequiredCommentSerializer(serializers.Serializer):
    comment = StrictCharField(max_length=5000)


class TranslationSerializer(serializers.Serializer):
    """The claim's text in one more site language; an empty short wording removes it."""

    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    claim_reviewed = StrictCharField(
        max_length=CLAIM_REVIEWED_MAX_LENGTH, allow_blank=True, trim_whitespace=True
    )
    rationale = StrictCharField(required=False, allow_blank=True, default="")


class EvidenceNoteTranslationSerializer(serializers.Serializer):
    """One of the claim's evidence notes in another site language; an empty note removes it.
    Answered with what was stored and the claim's new version."""

    evidence = serializers.PrimaryKeyRelatedField(
        queryset=Evidence.objects.none(),
        help_text="The id of one of this claim's evidence items.",
        error_messages={
            "does_not_exist": gettext_lazy(
                "This claim has no evidence {pk_value}: give the id of one of its own."
            ),
        },
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    note = StrictCharField(
        max_length=EVIDENCE_NOTE_MAX_LENGTH, allow_blank=True, trim_whitespace=True
    )
    version = serializers.IntegerField(
        read_only=True, help_text="The claim's version after the change."
    )

    def __init__(self, *args, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        if claim is not None:
            # Only the claim's own evidence: another claim's id is a field error, not a write.
            self.fields["evidence"].queryset = Evidence.objects.filter(claim=claim)


class CommentBodySerializer(serializers.Serializer):
    body = StrictCharField(max_length=10000)


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=5000)


class AssignSerializer(serializers.Serializer):
    assignee = UsernameField(
        queryset=User.objects.filter(is_active=True, is_staff=True), allow_null=False
    )


class CorrectSerializer(serializers.Serializer):
    note = StrictCharField(max_length=5000, help_text="The public correction note.")
    verdict = SlugField(slug_field="code", queryset=VerdictRating.objects.all(), required=False)
    rationale = StrictCharField(required=False)


class ClaimReviewImportResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    url = StrictCharField(allow_blank=True)
    result = serializers.ChoiceField(choices=["created", "updated", "unchanged", "rejected"])
    claim = serializers.IntegerField(allow_null=True)
    errors = serializers.ListField(child=StrictCharField())
    flags = serializers.ListField(child=StrictCharField())


class ClaimReviewImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    items = ClaimReviewImportResultSerializer(many=True)
