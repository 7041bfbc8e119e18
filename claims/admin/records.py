"""The records around claims. Their writes are plain saves, recorded by simple-history."""

from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import (
    Article,
    Claim,
    ClaimComment,
    ClaimEvent,
    Correction,
    Evidence,
    Topic,
    VerdictRating,
)
from ..permissions import editable_fields
from .intelligence import ArticleCandidatesAdminMixin


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


@admin.register(Article)
class ArticleAdmin(ArticleCandidatesAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "outlet", "language", "published_on", "created_at"]
    list_filter = ["language", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["title", "byline", "url"]
    autocomplete_fields = ["outlet"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ClaimInline]


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

    # Evidence follows its claim's state: none added or changed while it is locked (say, in
    # review for a fact-checker, or dismissed).
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or bool(editable_fields(request.user, obj.claim)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or bool(editable_fields(request.user, obj.claim)))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class EvidenceForm(form):
            def clean(self):
                cleaned = super().clean()
                claim = cleaned.get("claim")
                if claim is not None and not editable_fields(user, claim):
                    self.add_error(
                        "claim",
                        _("This claim is %(status)s: its evidence cannot change now.")
                        % {"status": claim.get_status_display().lower()},
                    )
                return cleaned

        return EvidenceForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


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
    readonly_fields = ["claim", "author", "body", "created_at"]

    def has_add_permission(self, request):
        # Comments are written on the claim's page (comment_add), which notifies mentions.
        return False

    def has_change_permission(self, request, obj=None):
        return False
