"""ClaimReview out (a DataFeed of every published claim) and in (import from other desks)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IdempotentPostMixin
from claims.claimreview import data_feed, scale_bounds
from claims.models import Evidence
from claims.selectors import published_claims
from claims.services.importing import claimreview_import

from . import serializers as s

LD_JSON = "application/ld+json"
IMPORT_DOCUMENT = {
    "description": "A ClaimReview, a list of them, a DataFeed, or a JSON-LD @graph.",
    "anyOf": [{"type": "object"}, {"type": "array", "items": {}}],
}


class JSONLDRenderer(JSONRenderer):
    """schema.org JSON-LD: JSON under its own media type, which aggregators ask for by name."""

    media_type = LD_JSON


class ClaimReviewFeedView(APIView):
    """Every published claim as a schema.org DataFeed of ClaimReview (what aggregators ingest).

    Served as application/ld+json, or as application/json to a caller that asks for it."""

    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        claims = published_claims().prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source"))
        )
        feed = data_feed(claims, bounds=scale_bounds(), feed_url=request.build_absolute_uri())
        return Response(feed)


class ClaimReviewImportView(IdempotentPostMixin, APIView):
    """Import one ClaimReview, a list of them, or a DataFeed. Editors only.

    Each review is created or updated as a published claim keyed by its URL; ratings that match
    no verdict (by label or alias) are kept verbatim and flagged `unknown_rating` for an editor.
    The report says per item what happened and why. Importing the same document twice changes
    nothing the second time.
    """

    write_permissions = {None: "claims.publish_claim"}

    @extend_schema(
        request=dict.fromkeys(("application/json", LD_JSON), IMPORT_DOCUMENT),
        responses={
            200: s.ClaimReviewImportReportSerializer,
            400: OpenApiResponse(description="Not JSON, or too many items."),
        },
    )
    def post(self, request):
        if not isinstance(request.data, dict | list):
            raise ValidationError(
                {"non_field_errors": [_("Send a JSON object or array.")]}, code="invalid"
            )
        report = claimreview_import(document=request.data, actor=request.user)
        return Response(report.as_dict())
