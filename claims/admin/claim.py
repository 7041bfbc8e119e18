"""The claim admin: the desk's workplace. Every write goes through the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from lib.exceptions import EditConflict

from .. import services, translations, visibility
from ..models import Claim, ClaimTranslation, Evidence, content_language
from ..permissions import allowed_transitions, editable_fields, may_add_evidence
from . import actions, evidence_notes, panels
from .figures import figures_view
from .filters import DeskFilter
from .forms import UPDATABLE, ClaimAddForm, ClaimChangeForm, conflict_message, desk_members
from .intelligence import ClaimReanchorAdminMixin


class PrefetchedAutocomplete(AutocompleteSelect):
    """An autocomplete that shows its selected option from an object already fetched.

    Django's widget runs one query per inline row to label the selected option; the evidence
    rows come with their sources (select_related), so the change page stays at a fixed count.
    """

    selected = None

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        if self.selected is None or chosen != [str(self.selected.pk)]:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = str(self.selected)
        options.append(self.create_option(name, self.selected.pk, label, set(chosen), len(options)))
        return [(None, options, 0)]


class EvidenceFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        widget = form.fields["source"].widget
        widget = getattr(widget, "widget", widget)  # inside the admin's "+" wrapper
        if isinstance(widget, PrefetchedAutocomplete) and form.instance.source_id:
            widget.selected = form.instance.source
        return form


class EvidenceInline(admin.TabularInline):
    model = Evidence
    formset = EvidenceFormSet
    fields = ["source", "stance", "excerpt", "locator", "note"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    # The source widget searches as you type and its "+" adds a new source in a popup.
    autocomplete_fields = ["source"]
    extra = 0

    def get_queryset(self, request):
        # The notes' translations fill each row's note fields in the other languages.
        return (
            super().get_queryset(request).select_related("source").prefetch_related("translations")
        )

    def get_fields(self, request, obj=None):
        return [*self.fields, *evidence_notes.note_field_names(request.user, obj)]

    def get_formset(self, request, obj=None, **kwargs):
        names = evidence_notes.note_field_names(request.user, obj)
        if names:
            kwargs["form"] = evidence_notes.form_with_notes(self.form, obj, names)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["widget"] = PrefetchedAutocomplete(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _claim_editable(self, request, obj) -> bool:
        return obj is None or bool(editable_fields(request.user, obj))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._claim_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._claim_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._claim_editable(request, obj)


class ClaimTranslationForm(forms.ModelForm):
    class Meta:
        model = ClaimTranslation
        fields = ["language", "claim_reviewed", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4})}

    def clean_language(self):
        language = self.cleaned_data["language"]
        claim = self.instance.claim if self.instance.claim_id else self.parent_claim
        if claim is not None and language == content_language(claim.language):
            raise ValidationError(
                gettext_lazy("The claim is written in this language: edit its own text instead.")
            )
        return language


class ClaimTranslationFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.parent_claim = self.instance if self.instance.pk else None
        return form


class ClaimTranslationInline(admin.TabularInline):
    """The check in the other site languages, one row each, beside the original above.

    Saved through claim_translation_set (ClaimAdmin.save_formset); the form's own field limits
    (140 characters for the short wording) give the field errors first."""

    model = ClaimTranslation
    form = ClaimTranslationForm
    formset = ClaimTranslationFormSet
    extra = 0
    verbose_name_plural = gettext_lazy("Translations")

    def get_max_num(self, request, obj=None, **kwargs):
        return max(len(translations.site_languages()) - 1, 0)

    def _claim_editable(self, request, obj) -> bool:
        return obj is not None and "claim_reviewed" in editable_fields(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._claim_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._claim_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._claim_editable(request, obj)


@admin.register(Claim)
class ClaimAdmin(ClaimReanchorAdminMixin, SimpleHistoryAdmin):
    form = ClaimChangeForm
    add_form = ClaimAddForm
    change_form_template = "admin/claims/claim/change_form.html"
    list_display = [
        "claim_reviewed",
        "status_badge",
        "verdict",
        "assignee_name",
        "article_title",
        "language",
        "updated_at",
    ]
    list_filter = [
        DeskFilter,
        "status",
        "verdict",
        ("assignee", RelatedOnlyFieldListFilter),
        ("article", RelatedOnlyFieldListFilter),
        "language",
        "updated_at",
        "anchor_state",
    ]
    list_select_related = ["verdict", "assignee", "article"]
    search_fields = ["claim_reviewed", "quote", "claimant", "article__title"]
    autocomplete_fields = ["article", "parent", "topics", "speaker"]
    actions = [
        actions.assign_to_me,
        actions.submit_for_review,
        actions.approve_and_publish,
        actions.request_changes,
    ]
    inlines = [ClaimTranslationInline, EvidenceInline]

    def get_inlines(self, request, obj):
        # A new claim has no text to translate yet: translations come on its change page.
        return self.inlines if obj is not None else [EvidenceInline]

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    record_fields = [
        "status",
        "version",
        "article",
        "anchor_state",
        "anchored_revision",
        "created_by",
        "submitted_by",
        "reviewer",
        "published_by",
        "published_at",
        "unpublished_reason",
        "canonical",
        "slug",
    ]
    record_relations = [
        "anchored_revision",
        "parent",
        "canonical",
        "created_by",
        "submitted_by",
        "reviewer",
        "published_by",
    ]
    add_fieldsets = [
        (None, {"fields": ["article", "quote", "anchor_start", "claim_reviewed", "language"]}),
        (
            gettext_lazy("Who said it"),
            {"fields": ["speaker", "claimant", "claimant_url", "attribution", "claimed_on"]},
        ),
        (gettext_lazy("Desk"), {"fields": ["assignee", "parent", "topics"]}),
        (gettext_lazy("Checked before?"), {"fields": ["checked_before"]}),
    ]
    change_fieldsets = [
        (None, {"fields": ["quote", "claim_reviewed", "language", "languages_side_by_side"]}),
        (
            gettext_lazy("Who said it"),
            {
                "fields": [
                    "speaker",
                    "claimant",
                    "claimant_is_organization",
                    "claimant_url",
                    "attribution",
                    "claimed_on",
                ]
            },
        ),
        (gettext_lazy("The check"), {"fields": ["verdict", "rationale"]}),
        (gettext_lazy("Desk"), {"fields": ["assignee", "parent", "topics"]}),
        (gettext_lazy("Anchor and matches"), {"fields": ["anchor_tools", "checked_before"]}),
        (gettext_lazy("Record"), {"fields": record_fields, "classes": ["collapse"]}),
    ]

    class Media:
        # A Media class here hides the intelligence mixin's own, so its assets are named too.
        js = ClaimReanchorAdminMixin.Media.js
        css = {"all": ["admin_desk/desk.css", *ClaimReanchorAdminMixin.Media.css["all"]]}

    # The changelist's columns.

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, claim):
        return format_html(
            '<span class="desk-status desk-status-{}">{}</span>',
            claim.status,
            claim.get_status_display(),
        )

    @admin.display(description=gettext_lazy("assignee"), ordering="assignee__username")
    def assignee_name(self, claim):
        if claim.assignee is None:
            return "—"
        return claim.assignee.get_full_name() or claim.assignee.get_username()

    @admin.display(description=gettext_lazy("article"), ordering="article__title")
    def article_title(self, claim):
        return Truncator(claim.article.title).chars(48) if claim.article else "—"

    # Forms.

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.change_fieldsets

    def get_readonly_fields(self, request, obj=None):
        # The intelligence panels ("checked before?", anchor tools) come from the mixin.
        panels = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return panels
        editable = editable_fields(request.user, obj)
        locked = [name for name in UPDATABLE if name != "assignee" and name not in editable]
        # Assigning from the form follows the assign rules (checked on save); the workflow panel
        # offers "assign to me" and, to editors, "assign to".
        return [*self.record_fields, "languages_side_by_side", *locked, *panels]

    @admin.display(description=gettext_lazy("In each language"))
    def languages_side_by_side(self, claim):
        """The short wording, rationale and evidence notes in every site language, side by
        side, each missing one marked: what a reader of that language would (not) find."""
        evidence = claim.evidence.select_related("source").prefetch_related("translations")
        rows = translations.side_by_side(claim, list(evidence))
        return render_to_string("admin/claims/claim/_languages.html", {"rows": rows})

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"desk_user": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The change form narrows these further (ClaimChangeForm.__init__).
        if db_field.name == "assignee":
            kwargs["queryset"] = desk_members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_object(self, request, object_id, from_field=None):
        """The claim with everything its change page shows, fetched once per request.

        change_view needs it for the panels before Django's view asks for it again.
        """
        cached = getattr(request, "_desk_claim", None)
        if cached is not None and str(cached.pk) == str(object_id):
            return cached
        queryset = self.get_queryset(request).select_related(*self.record_relations)
        try:
            claim = queryset.get(pk=Claim._meta.pk.to_python(object_id))
        except (Claim.DoesNotExist, ValidationError, ValueError):
            return None
        request._desk_claim = claim
        # The "checked before?" panel (a read-only field, no request) offers "Cite as evidence"
        # only to whoever the service would let cite: a button that 403s is no button.
        claim.desk_may_cite = may_add_evidence(request.user, claim)
        return claim

    # Saving goes through the services; the forms have already checked what they check.

    def save_model(self, request, obj, form, change):
        if change:
            changes = {
                name: form.cleaned_data[name] for name in form.changed_data if name in UPDATABLE
            }
            saved = services.claim_update(
                claim=obj,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                **changes,
            )
        else:
            data = form.cleaned_data
            saved = services.claim_create(
                article=data["article"],
                quote=data["quote"],
                anchor_start=data.get("anchor_start"),
                claim_reviewed=data["claim_reviewed"],
                claimant=data["claimant"],
                claimant_url=data["claimant_url"],
                attribution=data["attribution"],
                speaker=data.get("speaker"),
                claimed_on=data["claimed_on"],
                language=data["language"],
                parent=data["parent"],
                topics=data["topics"],
                created_by=request.user,
            )
            if data["assignee"]:
                # Through the assign step, so it is on the timeline and the assignee is told.
                saved = services.claim_assign(
                    claim=saved, actor=request.user, assignee=data["assignee"]
                )
        # The admin goes on with `obj` (inlines, the log, the redirect): give it the saved row.
        for field in Claim._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request, form, formsets, change):
        # claim_create / claim_update already set the topics.
        form.save_m2m = lambda: None
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is ClaimTranslation:
            self._save_translations(request, form.instance, formset)
            return
        for evidence in formset.save(commit=False):
            if evidence.pk is None:
                evidence.added_by = request.user
            evidence.save()
        for evidence in formset.deleted_objects:
            evidence.delete()
        formset.save_m2m()
        evidence_notes.notes_save(request, formset)

    def _save_translations(self, request, claim, formset):
        # Through the service, as the API does: it bumps the claim's version and checks who
        # may change the text. An emptied or deleted row removes that language. The lists
        # are what the admin's change message reads, as formset.save() would fill them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() and row not in formset.deleted_forms:
                continue
            data = row.cleaned_data
            if not data:
                continue
            removed = row in formset.deleted_forms
            saved = services.claim_translation_set(
                claim=claim,
                language=data["language"],
                claim_reviewed="" if removed else data["claim_reviewed"],
                rationale="" if removed else data.get("rationale", ""),
                actor=request.user,
            )
            if removed or saved is None:
                formset.deleted_objects.append(row.instance)
            elif row.instance.pk:
                formset.changed_objects.append((saved, row.changed_data))
            else:
                formset.new_objects.append(saved)

    # Who sees the bulk actions; the services still check each claim.

    def has_submit_permission(self, request):
        return request.user.has_perm("claims.submit_claim")

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_claim")

    def has_request_changes_permission(self, request):
        return request.user.has_perm("claims.request_changes_claim")

    def get_actions(self, request):
        # Deleting in bulk would skip the per-claim rule below (and the workflow record).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def view_on_site(self, obj):
        return obj.get_absolute_url() if visibility.is_public(obj) else None

    def revert_disabled(self, request, obj=None):
        # Reverting to an old version would bypass the workflow rules: history is read-only.
        return True

    def has_delete_permission(self, request, obj=None):
        # A published claim leaves the public record only by unpublishing, with a reason.
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    # The change page: workflow panel, context, timeline, comments, history.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            extra_context["desk"] = panels.change_page_data(
                request, claim, steps=allowed_transitions(request.user, claim)
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/step/<slug:action>/", view(self.step_view), name="claims_step"),
            path("<path:object_id>/comment/", view(self.comment_view), name="claims_comment"),
            path(
                "figures/",
                view(lambda request: figures_view(self, request)),
                name="claims_figures",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, claim_id, anchor=""):
        return reverse("admin:claims_claim_change", args=[claim_id]) + anchor

    def step_view(self, request, object_id, action):
        """Take one workflow step from the change page's panel."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = get_object_or_404(Claim, pk=object_id)
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        try:
            with transaction.atomic():
                version = int(request.POST.get("version", "0"))
                # The panel was drawn for this version: acting on a claim changed since then
                # (say, publishing a rationale one has not read) is refused.
                services.claim_lock(claim.pk, expected_version=version)
                claim = actions.take_step(request, claim, action)
        except EditConflict as conflict:
            self._keep_draft(request, claim, action)
            messages.error(request, conflict_message(conflict.obj, conflict.expected_version))
        except (PermissionDenied, ValidationError, ValueError) as refused:
            self._keep_draft(request, claim, action)
            messages.error(request, actions.reason(refused))
        else:
            messages.success(request, actions.done_message(action, claim))
        return HttpResponseRedirect(self._change_url(claim.pk, "#desk-workflow"))

    def _keep_draft(self, request, claim, action):
        text = request.POST.get("text", "")
        if text:
            request.session[f"claim-draft-{claim.pk}"] = {"action": action, "text": text}

    def comment_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = get_object_or_404(Claim, pk=object_id)
        if not self.has_view_or_change_permission(request, claim):
            raise PermissionDenied
        try:
            services.comment_add(
                claim=claim, author=request.user, body=request.POST.get("body", "")
            )
        except (PermissionDenied, ValidationError) as refused:
            messages.error(request, actions.reason(refused))
        return HttpResponseRedirect(self._change_url(claim.pk, "#desk-comments"))
