"""Admin for claim intelligence: suggestions on an article, text updates, re-anchoring and
"checked before?" links. Mixed into ArticleAdmin and ClaimAdmin (claims/admin.py); every
button posts to a view here that calls a service and reports the result as a message.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from factchecks.models import ExternalFactCheck

from .. import matching
from ..anchoring import anchor_quote
from ..detection import ranked
from ..models import Article, ArticleRevision, Claim, ClaimCandidate
from ..services.articles import article_update_text, claim_reanchor_manually
from ..services.candidates import candidate_accept, candidate_dismiss, candidates_refresh
from ..services.fact_checks import evidence_attach_fact_check
from ..services.ingest import article_ingest_text, article_ingest_url
from ..services.linking import claim_link_same


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "origin", "created_by", "created_at"]
    list_filter = ["origin"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title", "note"]
    readonly_fields = ["article", "number", "origin", "fetched_url", "note", "created_by", "text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Revisions are the record of what a claim was checked against.
        return False


@admin.register(ClaimCandidate)
class ClaimCandidateAdmin(admin.ModelAdmin):
    list_display = ["text", "article", "score", "decision", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["article", "decided_by"]
    search_fields = ["text", "article__title"]
    readonly_fields = [
        "article",
        "revision",
        "start",
        "end",
        "text",
        "score",
        "reasons",
        "decision",
        "claim",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request):
        # Suggestions come from the detector, on the article's suggestions page.
        return False


def _post_only(view):
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, *args, **kwargs)

    return wrapper


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


class ArticleCandidatesAdminMixin:
    """Suggested claims on an article (spans highlighted, one click to claim or dismiss), a
    form to update the article's text, which re-anchors its claims, and an import page."""

    # Adds "Import an article" to the list's tools.
    change_list_template = "admin/claims/article_change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:article_id>/suggestions/",
                wrap(self.suggestions_view),
                name="claims_article_suggestions",
            ),
            path(
                "<int:article_id>/suggestions/refresh/",
                wrap(_post_only(self.refresh_suggestions_view)),
                name="claims_article_suggestions_refresh",
            ),
            path(
                "<int:article_id>/suggestions/<int:candidate_id>/<str:decision>/",
                wrap(_post_only(self.decide_suggestion_view)),
                name="claims_article_suggestion_decide",
            ),
            path(
                "<int:article_id>/text/",
                wrap(self.update_text_view),
                name="claims_article_update_text",
            ),
            path("import/", wrap(self.import_view), name="claims_article_import"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A stored article's text changes only through "Update the text", which keeps the old
        # revision and re-anchors the claims; the plain form would do neither.
        return [*fields, "text", "intelligence_links"] if obj else fields

    @admin.display(description=gettext_lazy("Claim intelligence"))
    def intelligence_links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:claims_article_suggestions", args=[obj.pk]),
            _("Suggested claims"),
            reverse("admin:claims_article_update_text", args=[obj.pk]),
            _("Update the text (re-anchors claims)"),
        )

    def suggestions_view(self, request, article_id):
        article = get_object_or_404(Article, pk=article_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        candidates = list(
            article.candidates.filter(decision=ClaimCandidate.Decision.OPEN).order_by("start")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Suggested claims in “%(title)s”") % {"title": article.title},
            "article": article,
            # The list reads strongest first; the highlighted text keeps reading order.
            "candidates": ranked(candidates),
            "segments": _segments(article.text, candidates),
            "decided": article.candidates.exclude(decision=ClaimCandidate.Decision.OPEN).count(),
        }
        return TemplateResponse(request, "admin/claims/article_suggestions.html", context)

    def refresh_suggestions_view(self, request, article_id):
        _require(request, "claims.add_claimcandidate")
        article = get_object_or_404(Article, pk=article_id)
        found = candidates_refresh(article=article)
        messages.success(request, _("%(n)s suggestions found.") % {"n": len(found)})
        return _back_to_suggestions(article_id)

    def decide_suggestion_view(self, request, article_id, candidate_id, decision):
        candidate = get_object_or_404(ClaimCandidate, pk=candidate_id, article_id=article_id)
        try:
            if decision == "accept":
                _require(request, "claims.add_claim")
                claim = candidate_accept(candidate=candidate, actor=request.user)
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Claim created:"),
                        reverse("admin:claims_claim_change", args=[claim.pk]),
                        claim.claim_reviewed,
                    ),
                )
            elif decision == "dismiss":
                _require(request, "claims.change_claimcandidate")
                candidate_dismiss(candidate=candidate, actor=request.user)
                messages.success(request, _("Suggestion dismissed."))
            else:
                return HttpResponseNotAllowed(["POST"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return _back_to_suggestions(article_id)

    def import_view(self, request):
        """An article from a URL (fetched safely, main text extracted) or from pasted text;
        the detector runs at once and the editor lands on its suggestions."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else {}
        errors = {}
        if request.method == "POST":
            try:
                if data.get("url", "").strip():
                    article = article_ingest_url(url=data["url"].strip(), actor=request.user)
                else:
                    article = article_ingest_text(
                        text=data.get("text", ""),
                        title=data.get("title", ""),
                        language=data.get("language", "").strip()[:16],
                        actor=request.user,
                    )
            except ValidationError as error:
                errors = (
                    error.message_dict if hasattr(error, "error_dict") else {"url": error.messages}
                )
            else:
                found = candidates_refresh(article=article)
                messages.success(
                    request,
                    _("Article stored with %(n)s suggested claims.") % {"n": len(found)},
                )
                return _back_to_suggestions(article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import an article"),
            "data": data,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/claims/article_import.html", context)

    def update_text_view(self, request, article_id):
        article = get_object_or_404(Article, pk=article_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        text, note, error = article.text, "", ""
        if request.method == "POST":
            text, note = request.POST.get("text", ""), request.POST.get("note", "")[:300]
            try:
                revision = article_update_text(
                    article=article, text=text, actor=request.user, note=note
                )
            except ValidationError as failure:
                error = " ".join(failure.messages)
            else:
                if revision is None:
                    messages.info(request, _("The text did not change."))
                else:
                    _report_reanchoring(request, article, revision)
                return HttpResponseRedirect(
                    reverse("admin:claims_article_change", args=[article.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Update the text of “%(title)s”") % {"title": article.title},
            "article": article,
            "text": text,
            "note": note,
            "error": error,
        }
        return TemplateResponse(request, "admin/claims/article_update_text.html", context)


def _report_reanchoring(request, article, revision) -> None:
    claims = article.claims.filter(anchored_revision=revision)
    orphans = article.claims.orphaned().count()
    messages.success(
        request,
        _("Revision %(n)s saved; %(ok)s claims are anchored in it.")
        % {"n": revision.number, "ok": claims.count()},
    )
    if orphans:
        messages.warning(
            request,
            _(
                "%(n)s claims could not be anchored with confidence and are orphaned: "
                "re-anchor them."
            )
            % {"n": orphans},
        )


def _chosen_span(text: str, data) -> tuple[int, int]:
    """The span an editor chose: selected in the page (start, end) or pasted (passage)."""
    passage = data.get("passage", "")
    if passage.strip():
        anchor = anchor_quote(text, passage)
        return anchor.start, anchor.end
    return int(data["start"]), int(data["end"])


def _back_to_suggestions(article_id):
    return HttpResponseRedirect(reverse("admin:claims_article_suggestions", args=[article_id]))


def _segments(text: str, candidates: list[ClaimCandidate]) -> list[tuple[str, object]]:
    """The text cut into plain runs and highlighted candidate spans (overlaps skipped)."""
    segments, cursor = [], 0
    for candidate in candidates:
        if candidate.start < cursor or candidate.end > len(text):
            continue
        segments.append((text[cursor : candidate.start], None))
        segments.append((text[candidate.start : candidate.end], candidate))
        cursor = candidate.end
    segments.append((text[cursor:], None))
    return segments


class ClaimReanchorAdminMixin:
    """On a claim: re-anchor it by hand (an orphan, usually) and "checked before?" matches
    that an editor confirms as the same claim."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:claim_id>/reanchor/",
                wrap(self.reanchor_view),
                name="claims_claim_reanchor",
            ),
            path(
                "<int:claim_id>/link/<int:canonical_id>/",
                wrap(_post_only(self.link_view)),
                name="claims_claim_link",
            ),
            path(
                "<int:claim_id>/cite-fact-check/<int:fact_check_id>/",
                wrap(_post_only(self.attach_fact_check_view)),
                name="claims_claim_attach_fact_check",
            ),
            *super().get_urls(),
        ]

    class Media:
        js = ["claims/admin/intelligence.js"]
        css = {"all": ["claims/admin/intelligence.css"]}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # On a new claim, "checked before?" follows the short wording as it is typed.
        return [*fields, "anchor_tools", "checked_before"] if obj else [*fields, "checked_before"]

    @admin.display(description=gettext_lazy("Anchor"))
    def anchor_tools(self, obj):
        if obj.article_id is None:
            return "—"
        state = obj.get_anchor_state_display()
        if obj.anchor_confidence is not None and obj.anchor_state == "fuzzy":
            state = f"{state} ({obj.anchor_confidence:.2f})"
        return format_html(
            '{} · <a href="{}">{}</a>',
            state,
            reverse("admin:claims_claim_reanchor", args=[obj.pk]),
            _("Re-anchor by hand"),
        )

    @admin.display(description=gettext_lazy("Checked before?"))
    def checked_before(self, obj):
        matches, external, cited = [], [], set()
        if obj.pk:
            found = matching.checked_before_everywhere(
                obj.claim_reviewed or obj.quote,
                language=obj.language,
                exclude=obj,
                limit=5,
                published_only=False,
            )
            matches, external = found.claims, found.fact_checks
            cited = set(obj.evidence.values_list("source__normalized_url", flat=True))
        return render_to_string(
            "admin/claims/_checked_before.html",
            {
                "claim": obj,
                "matches": matches,
                "external": external,
                "cited": cited,
                "may_cite": getattr(obj, "desk_may_cite", False),
            },
        )

    def reanchor_view(self, request, claim_id):
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=claim_id)
        if not self.has_change_permission(request, claim) or claim.article is None:
            raise PermissionDenied
        error = ""
        if request.method == "POST":
            try:
                start, end = _chosen_span(claim.article.text, request.POST)
                claim_reanchor_manually(claim=claim, start=start, end=end, actor=request.user)
            except (KeyError, ValueError):
                error = _("Select the passage in the text, or paste it exactly.")
            except ValidationError as failure:
                error = " ".join(failure.messages)
            else:
                messages.success(request, _("The claim is anchored again."))
                return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
        old_revision = claim.anchored_revision
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Re-anchor “%(claim)s”") % {"claim": claim.claim_reviewed},
            "claim": claim,
            "old_text": old_revision.text if old_revision else "",
            "error": error,
        }
        return TemplateResponse(request, "admin/claims/claim_reanchor.html", context)

    def link_view(self, request, claim_id, canonical_id):
        claim = get_object_or_404(Claim, pk=claim_id)
        canonical = get_object_or_404(Claim, pk=canonical_id)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        try:
            claim_link_same(claim=claim, canonical=canonical, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Linked as the same claim."))
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def attach_fact_check_view(self, request, claim_id, fact_check_id):
        claim = get_object_or_404(Claim, pk=claim_id)
        fact_check = get_object_or_404(ExternalFactCheck, pk=fact_check_id)
        try:
            _evidence, created = evidence_attach_fact_check(
                claim=claim, fact_check=fact_check, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(request, _("The fact-check is cited as evidence."))
            else:
                messages.info(request, _("This fact-check was already cited."))
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
