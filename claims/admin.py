from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# Claim intelligence (issue 6): its mixins, and the candidate and revision admins it registers.
from .admin_intelligence import ArticleCandidatesAdminMixin, ClaimReanchorAdminMixin
from .models import (
    Article,
    Claim,
    ClaimComment,
    ClaimEvent,
    Correction,
    Evidence,
    Topic,
    VerdictRating,
)


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ["claim_reviewed", "status", "verdict", "anchor_start", "anchor_end", "anchor_state"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Claims are created through the claim form, which anchors them in the text.
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["source", "stance", "excerpt", "locator", "note"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(ArticleCandidatesAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "outlet", "language", "published_on", "created_at"]
    list_filter = ["language", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["title", "byline", "url"]
    autocomplete_fields = ["outlet"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ClaimInline]


@admin.register(Claim)
class ClaimAdmin(ClaimReanchorAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "claim_reviewed",
        "status",
        "verdict",
        "assignee",
        "article",
        "language",
        "updated_at",
    ]
    list_filter = ["status", "verdict", "language", "assignee", "anchor_state", "topics"]
    list_select_related = ["verdict", "assignee", "article"]
    search_fields = ["claim_reviewed", "quote", "claimant", "article__title"]
    autocomplete_fields = ["article", "parent", "canonical", "assignee", "reviewer", "topics"]
    readonly_fields = [
        "status",
        "version",
        "anchor_state",
        "anchor_confidence",
        "anchored_revision",
        "published_at",
        "published_by",
        "submitted_by",
        "created_by",
    ]
    inlines = [EvidenceInline]


@admin.register(VerdictRating)
class VerdictRatingAdmin(SimpleHistoryAdmin):
    list_display = ["label_en", "label_it", "rating_value", "order", "colour", "is_active"]
    search_fields = ["code", "label_en", "label_it", "aliases"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "source", "stance", "added_by", "added_at"]
    list_filter = ["stance"]
    list_select_related = ["claim", "source", "added_by"]
    search_fields = ["claim__claim_reviewed", "source__title", "excerpt"]
    autocomplete_fields = ["claim", "source"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(admin.ModelAdmin):
    list_display = ["claim", "kind", "actor", "from_status", "to_status", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["claim", "actor"]
    search_fields = ["claim__claim_reviewed", "comment"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["claim", "previous_verdict", "new_verdict", "corrected_by", "created_at"]
    list_select_related = ["claim", "previous_verdict", "new_verdict", "corrected_by"]
    search_fields = ["claim__claim_reviewed", "note"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ClaimComment)
class ClaimCommentAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    list_select_related = ["claim", "author"]
    search_fields = ["body", "claim__claim_reviewed"]
    autocomplete_fields = ["claim"]
