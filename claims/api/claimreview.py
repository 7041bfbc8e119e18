"""ClaimReview out (a DataFeed of every published claim) and in (import from other desks)."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IdempotentPostMixin
from claims.claimreview import data_feed, scale_bounds
from claims.models import Evidence
from claims.selectors import published_claims
from claims.services.importing import claimreview_import

from . import serializers as s


class ClaimReviewFeedView(APIView):
    """Every published claim as a schema.org DataFeed of ClaimReview (what aggregators ingest)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        claims = published_claims().prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source"))
        )
        feed = data_feed(claims, bounds=scale_bounds(), feed_url=request.build_absolute_uri())
        return Response(feed, content_type="application/ld+json")


class ClaimReviewImportView(IdempotentPostMixin, APIView):
    """Import one ClaimReview, a list of them, or a DataFeed. Editors only.

    Each review is created or updated as a published claim keyed by its URL; ratings that match
    no verdict (by label or alias) are kept verbatim and flagged `unknown_rating` for an editor.
    The report says per item what happened and why. Importing the same document twice changes
    nothing the second time.
    """

    write_permissions = {None: "claims.publish_claim"}

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            200: s.ClaimReviewImportReportSerializer,
            400: OpenApiResponse(description="Not JSON, or too many items."),
        },
    )
    def post(self, request):
        report = claimreview_import(document=request.data, actor=request.user)
        return Response(report.as_dict())
