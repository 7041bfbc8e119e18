"""Public pages. Thin: parse the request, call a selector, render. Every page is cached
(claims/caching.py) and answers conditional GETs with 304."""

import json
import re
from datetime import date
from urllib.parse import urlencode, urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from lib.site_url import site_url
from lib.url_shapes import reverse

from . import selectors
from .caching import cached_page
from .claimreview import absolute_url, data_feed, organization_url, scale_bounds
from .models import VerdictRating

PAGE_SIZE = 20
EMBED_WIDTH, EMBED_HEIGHT = 480, 260
VERDICT_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
VERDICT_CODE = re.compile(r"[A-Za-z0-9_-]+")


def _with_last_modified(response: HttpResponse, moment) -> HttpResponse:
    response["Last-Modified"] = http_date(moment.timestamp())
    return response


@require_safe
@cached_page
def home(request):
    return render(
        request,
        "claims/home.html",
        {"claims": selectors.published_claims()[:12], "search_url": reverse("claims:list")},
    )


def _date_param(request, name: str) -> tuple[date | None, str | None]:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, _("“%(value)s” is not a date: use YYYY-MM-DD.") % {"value": raw}


@require_safe
@cached_page(with_query=True)
def claim_list(request):
    since, since_error = _date_param(request, "since")
    until, until_error = _date_param(request, "until")
    filters = selectors.ClaimFilters(
        q=request.GET.get("q", "")[:200],
        verdict=request.GET.get("verdict", ""),
        topic=request.GET.get("topic", ""),
        outlet=request.GET.get("outlet", ""),
        language=request.GET.get("language", ""),
        since=since,
        until=until,
    )
    claims = selectors.claim_list(filters, reader_language=get_language())
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    errors = [error for error in (since_error, until_error) if error]
    return render(
        request,
        "claims/claim_list.html",
        {
            "page": page,
            "filters": filters,
            "choices": selectors.claim_filter_choices(),
            "query_string": query.urlencode(),
            "errors": errors,
            "searching": any(request.GET.get(name) for name in request.GET if name != "page"),
        },
        status=400 if errors else 200,
    )


@require_safe
@cached_page
def claim_detail(request, slug):
    page = selectors.claim_page_data(slug)
    canonical_url = absolute_url(page.claim.get_absolute_url())
    embed_url = absolute_url(reverse("claims:claim_embed", slug=slug))
    response = render(
        request,
        "claims/claim_detail.html",
        {
            "page": page,
            "claim": page.claim,
            "canonical_url": canonical_url,
            "embed_code": _iframe(embed_url, page.claim.claim_reviewed),
            "oembed_url": absolute_url(reverse("oembed")) + "?" + urlencode({"url": canonical_url}),
        },
    )
    return _with_last_modified(response, page.last_modified)


def _iframe(src: str, title: str, width: int = EMBED_WIDTH, height: int = EMBED_HEIGHT) -> str:
    """The embed snippet for other sites' pages (our own CSP does not apply there)."""
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy" style="border:0"></iframe>'
    )


# The card is meant to sit in other sites' pages: those sites may frame it (and only it).
@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@cached_page
def claim_embed(request, slug):
    page = selectors.claim_page_data(slug)
    response = render(request, "claims/claim_embed.html", {"claim": page.claim})
    return _with_last_modified(response, page.last_modified)


@require_safe
def oembed(request):
    """oEmbed (https://oembed.com) for claim pages: a "rich" card in an iframe."""
    url = request.GET.get("url", "")
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": _("Only the json format is offered.")}, status=501)
    parts = urlsplit(url)
    ours = {urlsplit(settings.FACTDESK_SITE_URL).netloc, request.get_host()}
    try:
        match = resolve(parts.path) if parts.netloc in ours else None
    except Resolver404:
        match = None
    if match is None or match.view_name != "claims:claim":
        return JsonResponse({"url": [_("Give the address of a published claim page.")]}, status=400)
    page = selectors.claim_page_data(match.kwargs["slug"])
    width = _bounded_int(request.GET.get("maxwidth"), EMBED_WIDTH)
    height = _bounded_int(request.GET.get("maxheight"), EMBED_HEIGHT)
    embed_url = absolute_url(reverse("claims:claim_embed", slug=page.claim.slug))
    html = _iframe(embed_url, page.claim.claim_reviewed, width, height)
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": page.claim.claim_reviewed,
            "provider_name": settings.FACTDESK_ORGANIZATION_NAME,
            "provider_url": organization_url() or site_url(),
            "width": width,
            "height": height,
            "html": html,
        }
    )


def _bounded_int(raw: str | None, default: int) -> int:
    try:
        return max(120, min(default, int(raw)))
    except (TypeError, ValueError):
        return default


@require_safe
@cached_page
def article_detail(request, slug):
    page = selectors.article_page_data(slug)
    response = render(
        request,
        "claims/article_detail.html",
        {
            "page": page,
            "article": page.article,
            "canonical_url": absolute_url(page.article.get_absolute_url()),
        },
    )
    return _with_last_modified(response, page.last_modified)


@require_safe
@cached_page
def methodology(request):
    return render(request, "claims/methodology.html", {"scale": selectors.verdict_scale()})


@require_safe
@cached_page(with_query=True)
def corrections(request):
    page = Paginator(selectors.public_corrections(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "claims/corrections.html", {"page": page})


@require_safe
@cached_page
def verdict_styles(request):
    """Verdict colours as CSS classes: editors choose colours, and a strict CSP forbids
    style attributes, so the colours come from this small generated stylesheet."""
    rules = [
        f".verdict-{code} {{ --verdict: {colour}; }}"
        for code, colour in VerdictRating.objects.values_list("code", "colour")
        if VERDICT_COLOUR.fullmatch(colour) and VERDICT_CODE.fullmatch(code)
    ]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")


@require_safe
@cached_page
def claimreview_feed(request):
    """Every published ClaimReview as one schema.org DataFeed, for fact-check aggregators."""
    claims = selectors.published_claims().prefetch_related("evidence__source")
    feed = data_feed(
        claims, bounds=scale_bounds(), feed_url=absolute_url(reverse("claimreview_feed"))
    )
    return HttpResponse(
        json.dumps(feed, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )


@require_safe
@cached_page
def source_detail(request, pk):
    """A source readers can reach: one cited by at least one published claim."""
    source, citations = selectors.source_page_data(pk)
    return render(request, "sources/source_detail.html", {"source": source, "citations": citations})


@require_safe
@cached_page
def outlet_detail(request, domain):
    outlet, sources, claims = selectors.outlet_page_data(domain)
    return render(
        request,
        "sources/outlet_detail.html",
        {"outlet": outlet, "sources": sources, "claims": claims},
    )
