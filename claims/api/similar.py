""" "Checked before?" as an endpoint: GET /api/v1/claims/similar/?text=..."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.fields import StrictCharField
from factchecks.api.serializers import ExternalMatchSerializer

from .. import visibility
from ..matching import checked_before, checked_before_everywhere
from ..similarity import MAX_TEXT


class SimilarQuerySerializer(serializers.Serializer):
    text = StrictCharField(min_length=3, max_length=MAX_TEXT, trim_whitespace=True)
    language = StrictCharField(max_length=16, required=False, allow_blank=True)
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)
    exclude = serializers.IntegerField(min_value=1, required=False)


class SimilarClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    claim_reviewed = StrictCharField()
    claimant = StrictCharField()
    language = StrictCharField()
    status = StrictCharField()
    # The status and the verdict in the caller's language, for a screen to show (the admin's
    # "checked before?" panel): "label" stays in the claim's own language, as its ClaimReview.
    status_display = StrictCharField(source="get_status_display")
    similarity = serializers.FloatField()
    verdict = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    article = serializers.SerializerMethodField()
    canonical_id = serializers.IntegerField(allow_null=True)

    def get_verdict(self, claim) -> dict | None:
        if claim.verdict is None or not visibility.is_public(claim):
            return None
        return {
            "code": claim.verdict.code,
            "label": claim.verdict.label_in(claim.language),
            "display": claim.verdict.label,
        }

    def get_url(self, claim) -> str | None:
        if not visibility.is_public(claim):
            return None
        return self.context["request"].build_absolute_uri(claim.get_absolute_url())

    def get_article(self, claim) -> dict | None:
        article = claim.article
        if article is None:
            return None
        return {
            "title": article.title,
            "url": article.url,
            "outlet": article.outlet.name if article.outlet else None,
        }


class SimilarClaimsView(APIView):
    """Claims that say the same as `text`, most similar first, with their verdicts.

    The desk (visibility.sees_drafts, as on every claim route) sees every claim that is not
    dismissed; everyone else, staff without claim permissions included, published ones only.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SimilarQuerySerializer],
        responses=SimilarClaimSerializer(many=True),
        description=str(_("Previously checked claims that say the same thing as the text.")),
    )
    def get(self, request):
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matches = checked_before(
            query.validated_data["text"],
            language=query.validated_data.get("language") or None,
            exclude=query.validated_data.get("exclude"),
            limit=query.validated_data["limit"],
            published_only=not visibility.sees_drafts(request),
        )
        claims = [match.claim for match in matches]
        return Response(
            SimilarClaimSerializer(claims, many=True, context={"request": request}).data
        )


class CheckedBeforeSerializer(serializers.Serializer):
    claims = SimilarClaimSerializer(many=True)
    fact_checks = ExternalMatchSerializer(many=True)


class CheckedBeforeView(APIView):
    """The desk's claims that say the same as `text` (as /claims/similar/ gives them) and other
    organisations' fact-checks that do: organisation, their verdict in their words, language,
    date and link, each marked `"kind": "external"`. Matched by wording and by meaning."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SimilarQuerySerializer],
        responses=CheckedBeforeSerializer,
        description=str(
            _(
                "Previously checked claims, the desk's own and other organisations', that say "
                "the same thing as the text."
            )
        ),
    )
    def get(self, request):
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = checked_before_everywhere(
            query.validated_data["text"],
            language=query.validated_data.get("language") or None,
            exclude=query.validated_data.get("exclude"),
            limit=query.validated_data["limit"],
            published_only=not visibility.sees_drafts(request),
        )
        fact_checks = []
        for match in found.fact_checks:
            match.fact_check.match_similarity = match.similarity
            match.fact_check.match_reason = match.reason
            fact_checks.append(match.fact_check)
        context = {"request": request}
        return Response(
            {
                "claims": SimilarClaimSerializer(
                    [match.claim for match in found.claims], many=True, context=context
                ).data,
                "fact_checks": ExternalMatchSerializer(fact_checks, many=True).data,
            }
        )
