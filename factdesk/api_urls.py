"""The integration API, /api/v1/. Versioned in the path: a breaking change is /api/v2/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from api.docs import redoc_view, swagger_view
from api.views import WebhookEndpointViewSet
from claims.api.claimants import ClaimantViewSet
from claims.api.claimreview import ClaimReviewFeedView, ClaimReviewImportView
from claims.api.sightings import SightingViewSet
from claims.api.sources import OutletViewSet, SourceViewSet
from claims.api.views import (
    ArticleViewSet,
    ClaimEventViewSet,
    ClaimViewSet,
    CorrectionViewSet,
    VerdictRatingViewSet,
)
from factchecks.api.views import ExternalFactCheckViewSet
from monitoring.api.views import TranscriptLineView
from tips.api.views import TipCreateView

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register("articles", ArticleViewSet, basename="article")
router.register("sources", SourceViewSet, basename="source")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("claimants", ClaimantViewSet, basename="claimant")
router.register("verdicts", VerdictRatingViewSet, basename="verdict")
router.register("corrections", CorrectionViewSet, basename="correction")
router.register("events", ClaimEventViewSet, basename="event")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("fact-checks", ExternalFactCheckViewSet, basename="fact-check")
router.register("sightings", SightingViewSet, basename="sighting")

app_name = "api"

urlpatterns = [
    path("claimreview/feed/", ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    path("claimreview/import/", ClaimReviewImportView.as_view(), name="claimreview-import"),
    path(
        "monitored-sources/<int:pk>/lines/",
        TranscriptLineView.as_view(),
        name="monitored-source-lines",
    ),
    path("tips/", TipCreateView.as_view(), name="tips"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", swagger_view(), name="docs"),
    path("redoc/", redoc_view(), name="redoc"),
    path("", include(router.urls)),
]
