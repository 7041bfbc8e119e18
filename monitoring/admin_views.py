"""The desk's monitoring pages in the admin: the morning list (and its "open as a claim"),
a transcript's upload form, and the live page with the small JSON endpoint it polls."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import MonitoredSentence, MonitoredSource
from .selectors import live_line_data, live_lines, live_start, morning_list
from .services import sentence_open_as_claim, transcript_upload
from .transcripts import transcript_decode

# An uploaded transcript is read in memory: a three-hour debate's SRT is well under 1 MB.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Ids are 64-bit: a bigger ?after= is a bad request, not a database error.
MAX_ID = 2**63


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _context(request, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "opts": MonitoredSource._meta,
        **extra,
    }


@require_GET
def morning_list_view(request):
    _require(request, "monitoring.view_monitoredsentence")
    day = None
    if request.GET.get("day"):
        try:
            day = parse_date(request.GET["day"])
        except ValueError:
            day = None  # a well-formed but impossible date (2026-02-30): today's list
    groups = morning_list(day=day)
    return TemplateResponse(
        request,
        "admin/monitoring/morning_list.html",
        _context(request, title=_("The morning list"), groups=groups, day=day),
    )


@require_POST
def sentence_open_view(request, pk: int):
    sentence = get_object_or_404(MonitoredSentence, pk=pk)
    try:
        claim = sentence_open_as_claim(sentence=sentence, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("admin:monitoring_morning")
    messages.success(request, _("Opened as a claim: %(claim)s") % {"claim": claim})
    return redirect(reverse("admin:claims_claim_change", args=[claim.pk]))


def upload_view(request, pk: int):
    _require(request, "monitoring.add_monitoreditem")
    source = get_object_or_404(MonitoredSource, pk=pk, kind=MonitoredSource.Kind.TRANSCRIPT)
    errors = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = request.POST.get("text", "")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                errors["file"] = [_("A transcript file has at most 2 MB.")]
            else:
                try:
                    text = transcript_decode(upload.read())
                except ValueError as error:
                    errors["file"] = [str(error)]
        if not errors and not text.strip():
            errors["text"] = [_("Choose a transcript file or paste its text.")]
        if not errors:
            run = transcript_upload(
                source=source, text=text, title=request.POST.get("title", "").strip()[:500]
            )
            level = messages.SUCCESS if run.status == run.Status.OK else messages.WARNING
            messages.add_message(
                request,
                level,
                _("Transcript read: %(status)s, %(sentences)s sentences, %(kept)s kept.")
                % {
                    "status": run.get_status_display(),
                    "sentences": run.sentences,
                    "kept": run.kept,
                },
            )
            return redirect(reverse("admin:monitoring_monitoredsource_change", args=[source.pk]))
    return TemplateResponse(
        request,
        "admin/monitoring/upload.html",
        _context(
            request,
            title=_("Upload a transcript: %(source)s") % {"source": source},
            source=source,
            errors=errors,
            # A refused form gives back what was typed: a pasted transcript is not lost.
            typed={
                "title": request.POST.get("title", ""),
                "text": request.POST.get("text", ""),
            },
        ),
        status=400 if errors else 200,
    )


@require_GET
def live_view(request, pk: int):
    _require(request, "monitoring.view_monitoredsentence")
    source = get_object_or_404(MonitoredSource, pk=pk, kind=MonitoredSource.Kind.TRANSCRIPT)
    return TemplateResponse(
        request,
        "admin/monitoring/live.html",
        _context(
            request,
            title=_("Live: %(source)s") % {"source": source},
            source=source,
            feed_url=reverse("admin:monitoring_live_json", args=[source.pk]),
            start_after=live_start(source=source),
        ),
    )


@require_GET
def live_json_view(request, pk: int):
    """The lines after ?after=ID: what the live page polls twice a second. Two small
    indexed queries whatever the transcript's length."""
    _require(request, "monitoring.view_monitoredsentence")
    source = get_object_or_404(MonitoredSource, pk=pk, kind=MonitoredSource.Kind.TRANSCRIPT)
    try:
        after = int(request.GET.get("after", "0") or 0)
        if not 0 <= after < MAX_ID:
            raise ValueError
    except ValueError:
        return JsonResponse({"after": [_("A sentence id (a whole number).")]}, status=400)
    lines = live_lines(source=source, after=after)
    return JsonResponse(
        {
            "lines": [live_line_data(line) for line in lines],
            "last": lines[-1].pk if lines else after,
        }
    )
