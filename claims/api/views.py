"""Claims, articles, the verdict scale, events and corrections. Views scope and fetch; every
write is a service call."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from api.permissions import KeyScopePermission
from api.rest import ApiViewMixin, check_if_match, with_etag
from claims import services, visibility
from claims.models import ClaimEvent, Correction, Evidence, VerdictRating
from claims.permissions import editable_fields
from sources.services import outlet_get_or_create, source_get_or_create

from . import listing
from . import serializers as s
from .caching import PublicReadCacheMixin
from .filters import ArticleFilter, ClaimEventFilter, ClaimFilter, CorrectionFilter


class IsDesk(BasePermission):
    """Internal records (events, comments) are for the desk only."""

    def has_permission(self, request, view):
        return visibility.sees_drafts(request)


def claim_queryset(user):
    """Claims the caller may see, with everything the serializer shows fetched up front."""
    desk = visibility.sees_drafts(user)
    claims = visibility.claims_for(user)
    # The full-text vector is for search only and large: never ship it to Python.
    claims = claims.defer("search_vector")
    evidence = Evidence.objects.select_related("source__outlet").order_by("stance", "pk")
    claims = claims.select_related("verdict", "speaker").prefetch_related(
        "topics",
        Prefetch("evidence", queryset=evidence.select_related("added_by") if desk else evidence),
        Prefetch(
            "corrections",
            queryset=Correction.objects.select_related("previous_verdict", "new_verdict"),
        ),
    )
    if desk:
        claims = claims.select_related(
            "assignee", "reviewer", "created_by", "submitted_by", "published_by"
        )
    return claims


TRANSITION_RESPONSES = {
    200: s.DeskClaimSerializer,
    400: OpenApiResponse(description="The claim's state or content does not allow this step."),
    403: OpenApiResponse(description="Your role does not allow this step."),
}


class ClaimViewSet(
    PublicReadCacheMixin,
    ApiViewMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Claims. Anonymous callers see published claims only; the desk sees all of them.

    The list is newest first by cursor (each page walks an index from the cursor); anonymous
    lists answer If-None-Match with 304 before any query, and are cached like the pages."""

    filterset_class = ClaimFilter
    search_fields = ["claim_reviewed", "quote", "claimant"]
    ordering_fields = ["created_at", "updated_at"]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    # The workflow actions need no entry: their services check claims.permissions themselves.
    write_permissions = {
        "create": "claims.add_claim",
        "partial_update": "claims.change_claim",
        "evidence": "claims.add_evidence",
        "translations": "claims.change_claim",
        "evidence_translations": "claims.change_claim",
    }

    def get_queryset(self):
        return claim_queryset(self.request.user)

    def get_serializer_class(self):
        return s.DeskClaimSerializer if visibility.sees_drafts(self.request) else s.ClaimSerializer

    def list(self, request, *args, **kwargs):
        return self.serve_public(request, self._list)

    def _list(self):
        # The list is written by hand (listing.py): DRF's serializers cost about 0.3 ms per
        # claim, nearly all of an uncached list of 100. The same JSON, byte for byte.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        desk = visibility.sees_drafts(self.request)
        return self.get_paginated_response(
            listing.claims_data(page, request=self.request, desk=desk)
        )

    def paginate_queryset(self, queryset):
        if self.action != "list":
            return super().paginate_queryset(queryset)
        desk = visibility.sees_drafts(self.request)
        return super().paginate_queryset(listing.list_queryset(queryset, desk=desk))

    def _respond(self, claim, status_code=status.HTTP_200_OK):
        """The claim as the caller sees it after a write, with its new ETag."""
        claim = self.get_queryset().get(pk=claim.pk)
        data = self.get_serializer_class()(claim, context=self.get_serializer_context()).data
        response = Response(data, status=status_code)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = self.request.build_absolute_uri(f"{claim.pk}/")
        return with_etag(response, claim)

    @extend_schema(request=s.ClaimCreateSerializer, responses={201: s.DeskClaimSerializer})
    def create(self, request, *args, **kwargs):
        """Create a claim anchored in an article's text."""
        data = s.ClaimCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_create(created_by=request.user, **data.validated_data)
        return self._respond(claim, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ClaimUpdateSerializer,
        responses={
            200: s.DeskClaimSerializer,
            412: OpenApiResponse(description="If-Match is stale: someone saved in between."),
            428: OpenApiResponse(description="If-Match is missing."),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        """Edit a claim's content. Needs If-Match with the ETag you read."""
        claim = self.get_object()
        # Bad input is a 400 whatever the If-Match says: the caller has something to fix first.
        data = s.ClaimUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        check_if_match(request, claim)
        claim = services.claim_update(
            claim=claim, actor=request.user, expected_version=claim.version, **data.validated_data
        )
        return self._respond(claim)

    def _transition(self, service, serializer_class=None, **renames):
        claim = self.get_object()
        arguments = {}
        if serializer_class is not None:
            data = serializer_class(data=self.request.data)
            data.is_valid(raise_exception=True)
            arguments = {renames.get(k, k): v for k, v in data.validated_data.items()}
        claim = service(claim=claim, actor=self.request.user, **arguments)
        return self._respond(claim)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="start-research")
    def start_research(self, request, pk=None):
        """new → researching; the caller becomes the assignee if nobody is."""
        return self._transition(services.claim_start_research)

    @extend_schema(request=s.CommentSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """researching → in review. Needs a verdict, a rationale and decisive evidence."""
        return self._transition(services.claim_submit_for_review, s.CommentSerializer)

    @extend_schema(request=s.CommentSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """in review → published (editors; not the person who researched it)."""
        return self._transition(services.claim_publish, s.CommentSerializer)

    @extend_schema(request=s.ReasonSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Set aside as not check-worthy, with a reason."""
        return self._transition(services.claim_dismiss, s.ReasonSerializer)

    @extend_schema(request=s.RequiredCommentSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        """in review → researching, with a comment saying what to change (editors)."""
        return self._transition(services.claim_request_changes, s.RequiredCommentSerializer)

    @extend_schema(request=s.CommentSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """dismissed → new."""
        return self._transition(services.claim_reopen, s.CommentSerializer)

    @extend_schema(request=s.ReasonSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """published → in review, with a public reason (editors)."""
        return self._transition(services.claim_unpublish, s.ReasonSerializer)

    @extend_schema(
        request=s.CorrectSerializer,
        responses={
            **TRANSITION_RESPONSES,
            412: OpenApiResponse(description="If-Match is stale: someone saved in between."),
        },
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Change a published verdict or rationale in public, with a correction note (editors).

        If-Match is optional here; when sent, a stale one is refused with 412."""
        claim = self.get_object()
        expected = None
        if request.headers.get("If-Match"):
            check_if_match(request, claim)
            expected = claim.version
        data = s.CorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claim = services.claim_correct(
            claim=claim, actor=request.user, expected_version=expected, **data.validated_data
        )
        return self._respond(claim)

    @extend_schema(request=s.AssignSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the claim to a desk member (yourself, or anyone if you are an editor)."""
        return self._transition(services.claim_assign, s.AssignSerializer)

    @extend_schema(request=None, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        """Leave the claim with nobody."""
        return self._transition(services.claim_unassign)

    @extend_schema(methods=["get"], request=None, responses=s.ClaimCommentSerializer(many=True))
    @extend_schema(
        methods=["post"], request=s.CommentBodySerializer, responses={201: s.ClaimCommentSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[KeyScopePermission, IsDesk],
        filter_backends=[],
    )
    def comments(self, request, pk=None):
        """Internal comments (desk only, never public). @username mentions a colleague."""
        claim = self.get_object()
        if request.method == "POST":
            data = s.CommentBodySerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = services.comment_add(claim=claim, author=request.user, **data.validated_data)
            return Response(s.ClaimCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        comments = claim.comments.select_related("author").order_by("-created_at", "-pk")
        page = self.paginate_queryset(comments)
        return self.get_paginated_response(s.ClaimCommentSerializer(page, many=True).data)

    @extend_schema(
        methods=["post"], request=s.EvidenceCreateSerializer, responses={201: s.DeskClaimSerializer}
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        """Attach a source (by id, or by URL, found or created) with a stance."""
        claim = self.get_object()
        if not editable_fields(request.user, claim):
            # The admin's rule for evidence: only while the claim's content may be edited.
            raise PermissionDenied(_("This claim cannot be changed in its current state."))
        data = s.EvidenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "source_url" in fields:
            fields["source"], _created = source_get_or_create(url=fields.pop("source_url"))
        services.evidence_add(claim=claim, added_by=request.user, **fields)
        return self._respond(claim, status.HTTP_201_CREATED)

    @extend_schema(request=s.TranslationSerializer, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"])
    def translations(self, request, pk=None):
        """Write the claim's short wording and rationale in another site language (an empty
        short wording removes it). A wording longer than 140 characters is a 400."""
        claim = self.get_object()
        data = s.TranslationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.claim_translation_set(claim=claim, actor=request.user, **data.validated_data)
        claim.refresh_from_db()
        return self._respond(claim)

    @extend_schema(
        request=s.EvidenceNoteTranslationSerializer,
        responses={
            200: s.EvidenceNoteTranslationSerializer,
            400: OpenApiResponse(
                description="Field messages: a note longer than 5,000 characters, a language "
                "the site does not have or the claim's own, evidence of another claim."
            ),
            403: OpenApiResponse(description="You may not change this claim's text now."),
        },
    )
    @action(detail=True, methods=["post"], url_path="evidence-translations")
    def evidence_translations(self, request, pk=None):
        """Write one of the claim's evidence notes in another site language (an empty note
        removes it). Readers of that language see the note on the claim's page."""
        claim = self.get_object()
        data = s.EvidenceNoteTranslationSerializer(data=request.data, claim=claim)
        data.is_valid(raise_exception=True)
        services.evidence_note_translation_set(actor=request.user, **data.validated_data)
        claim.refresh_from_db(fields=["version"])
        fields = data.validated_data
        answer = {**fields, "note": fields["note"].strip(), "version": claim.version}
        return Response(s.EvidenceNoteTranslationSerializer(answer).data)

    @extend_schema(responses=s.ClaimEventSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[IsDesk], filter_backends=[])
    def events(self, request, pk=None):
        """The claim's workflow timeline (desk only)."""
        claim = self.get_object()
        events = claim.events.select_related("actor")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(s.ClaimEventSerializer(page, many=True).data)

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="Not published.")}
    )
    @action(detail=True, methods=["get"], url_path="claimreview", filter_backends=[])
    def claim_review(self, request, pk=None):
        """The published claim as schema.org ClaimReview JSON-LD."""
        from claims.claimreview import claim_review, scale_bounds

        claim = self.get_object()
        if not visibility.is_public(claim):
            raise NotFound(_("Only published claims have a ClaimReview."))
        return Response(claim_review(claim, bounds=scale_bounds()))


class ArticleViewSet(ApiViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Articles. Anonymous callers see articles with at least one published claim."""

    filterset_class = ArticleFilter
    search_fields = ["title", "byline", "url"]
    ordering_fields = ["created_at", "published_on"]
    write_permissions = {"create": "claims.add_article"}

    def get_queryset(self):
        articles = visibility.articles_for(self.request).select_related("outlet")
        if self.action == "list":
            articles = articles.defer("text")
        return articles

    def get_serializer_class(self):
        return s.ArticleSerializer if self.action == "list" else s.ArticleDetailSerializer

    @extend_schema(request=s.ArticleCreateSerializer, responses={201: s.ArticleDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = s.ArticleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.get("outlet"):
            fields["outlet"], _created = outlet_get_or_create(domain=fields["outlet"])
        article = services.article_create(created_by=request.user, **fields)
        response = Response(s.ArticleDetailSerializer(article).data, status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{article.pk}/")
        return with_etag(response, article)


class VerdictRatingViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """The verdict scale (codes used by claims' `verdict`)."""

    queryset = VerdictRating.objects.all()
    serializer_class = s.VerdictRatingSerializer
    lookup_field = "code"
    pagination_class = None
    filter_backends = []


class CorrectionViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Public corrections of published verdicts, newest first."""

    serializer_class = s.CorrectionSerializer
    filterset_class = CorrectionFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return visibility.corrections_for(self.request).select_related(
            "previous_verdict", "new_verdict"
        )


class ClaimEventViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Every workflow step on every claim (desk only)."""

    queryset = ClaimEvent.objects.select_related("actor")
    serializer_class = s.ClaimEventSerializer
    permission_classes = [IsDesk]
    filterset_class = ClaimEventFilter
    ordering_fields = ["created_at"]
