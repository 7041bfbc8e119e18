"""ClaimReview out (a paged DataFeed of the published claims) and in (import from other desks)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IdempotentPostMixin
from claims.claimreview import data_feed_page, feed_next_url
from claims.selectors import (
    FEED_MAX_PAGE_SIZE,
    FEED_PAGE_SIZE,
    FeedRequest,
    claimreview_feed_page,
)
from claims.services.importing import claimreview_import

from . import serializers as s
from .caching import PublicReadCacheMixin

LD_JSON = "application/ld+json"
IMPORT_DOCUMENT = {
    "description": "A ClaimReview, a list of them, a DataFeed, or a JSON-LD @graph.",
    "anyOf": [{"type": "object"}, {"type": "array", "items": {}}],
}


class JSONLDRenderer(JSONRenderer):
    """schema.org JSON-LD: JSON under its own media type, which aggregators ask for by name."""

    media_type = LD_JSON


class ClaimReviewFeedView(PublicReadCacheMixin, APIView):
    """Published claims as a schema.org DataFeed of ClaimReview (what aggregators ingest), a
    page at a time, oldest change first. Every page links to the `next`; a page shorter than
    `page_size` means you are up to date: keep its `next` and call it at your next harvest to
    get only what changed since. `modified_since` starts a harvest at a date instead.

    Served as application/ld+json, or as application/json to a caller that asks for it."""

    renderer_classes = [JSONLDRenderer, JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after",
                str,
                description="Cursor from a page's `next` link.",
                pattern=r"^-?\d{1,17}-\d{1,19}$",
            ),
            OpenApiParameter(
                "modified_since",
                OpenApiTypes.DATETIME,
                description="Start the harvest at this moment (a date alone is read as midnight "
                "UTC): what changed since.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1},
                description=f"Reviews per page (default {FEED_PAGE_SIZE}, at most "
                f"{FEED_MAX_PAGE_SIZE}).",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return self.serve_public(request, lambda: self._page(request))

    def _page(self, request):
        feed_request, errors = FeedRequest.from_query(request.query_params)
        if errors:
            raise ValidationError(errors, code="invalid")
        page = claimreview_feed_page(feed_request)
        base = request.build_absolute_uri(request.path)
        next_url = feed_next_url(base, request.query_params, page.next)
        feed = data_feed_page(
            page.claims,
            bounds=page.bounds,
            feed_url=request.build_absolute_uri(),
            next_url=next_url,
        )
        return Response(feed, headers={"Link": f'<{next_url}>; rel="next"'})


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
