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
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import get_language, get_language_from_path, override
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from lib import keyset
from lib.charts import Bar, bar_chart, column_chart
from lib.site_url import site_url
from lib.url_shapes import reverse

from . import claimant_selectors, selectors, translations
from .caching import cached_page
from .claimreview import absolute_url, data_feed_page, feed_next_url, organization_url
from .models import VerdictRating

PAGE_SIZE = 20
PAGING_PARAMS = ("page", "after", "before")
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
        {
            "claims": translations.for_reader(
                list(selectors.published_claims()[:12]), get_language()
            ),
            "search_url": reverse("claims:list"),
        },
    )


def _date_param(request, name: str) -> tuple[date | None, str | None]:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, _("“%(value)s” is not a date: use YYYY-MM-DD.") % {"value": raw}


def _slug_param(request, name: str) -> tuple[str, str | None]:
    raw = request.GET.get(name, "").strip()
    if not raw or (VERDICT_CODE.fullmatch(raw) and len(raw) <= 200):
        return raw, None
    return "", _("“%(value)s” is not a claimant's address.") % {"value": raw[:200]}


@require_safe
@cached_page(with_query=True)
def claim_list(request):
    since, since_error = _date_param(request, "since")
    until, until_error = _date_param(request, "until")
    claimant, claimant_error = _slug_param(request, "claimant")
    filters = selectors.ClaimFilters(
        q=request.GET.get("q", "")[:200],
        verdict=request.GET.get("verdict", ""),
        topic=request.GET.get("topic", ""),
        outlet=request.GET.get("outlet", ""),
        language=request.GET.get("language", ""),
        claimant=claimant,
        since=since,
        until=until,
    )
    errors = [error for error in (since_error, until_error, claimant_error) if error]
    try:
        page = selectors.claim_list_page(
            filters,
            reader_language=get_language(),
            page=_page_number(request.GET.get("page")),
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
    except keyset.BadCursor:
        errors.append(_("This list link is damaged: start again from the first page."))
        page = None
    except selectors.ListTooSlow:
        errors.append(_("These filters together take too long to list: narrow them by date."))
        page = None
    except selectors.PageOutOfReach:
        if filters.q:
            message = _("A search shows its best %(n)s matches: add words or filters.")
            errors.append(message % {"n": selectors.SEARCH_CANDIDATES})
        else:
            message = _("Page numbers go up to %(n)s: use the Older links or the date filters.")
            errors.append(message % {"n": selectors.MAX_NUMBERED_PAGE})
        page = None
    query = request.GET.copy()
    for name in ("page", "after", "before"):
        query.pop(name, None)
    return render(
        request,
        "claims/claim_list.html",
        {
            "page": page,
            "filters": filters,
            "choices": selectors.claim_filter_choices(),
            "query_string": query.urlencode(),
            "errors": errors,
            "searching": any(
                request.GET.get(name) for name in request.GET if name not in PAGING_PARAMS
            ),
        },
        status=400 if errors else 200,
    )


def _page_number(raw: str | None) -> int | None:
    """?page=N from a link; anything that is not a page number is the first page, as before."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else None


@require_safe
@cached_page
def claim_detail(request, slug):
    page = selectors.claim_page_data(slug)
    if page.language is None:
        return _claim_elsewhere(request, page)
    canonical_url = absolute_url(page.claim.get_absolute_url())
    embed_url = absolute_url(reverse("claims:claim_embed", slug=slug))
    response = render(
        request,
        "claims/claim_detail.html",
        {
            "page": page,
            "claim": page.claim,
            "page_languages": page.languages,
            "canonical_url": canonical_url,
            "embed_code": _iframe(embed_url, page.claim.claim_reviewed),
            "oembed_url": absolute_url(reverse("oembed")) + "?" + urlencode({"url": canonical_url}),
            "repeats": _repeats_figure(page.repeats) if page.repeats else None,
        },
    )
    return _with_last_modified(response, page.last_modified)


# How each timeline step names a period: short under a column, in full in the table.
_PERIOD_LABELS = {
    "week": ("j M", "DATE_FORMAT"),
    "month": ("M Y", "YEAR_MONTH_FORMAT"),
    "year": ("Y", "Y"),
}


def _repeats_figure(repeats) -> dict:
    """The timeline of a claim's repeats (SVG) and its text equivalent (a table's rows)."""
    short, full = _PERIOD_LABELS[repeats.step]
    headings = {"week": _("Week of %(date)s"), "month": "%(date)s", "year": "%(date)s"}
    rows = [
        (headings[repeats.step] % {"date": date_format(start, full)}, count)
        for start, count in repeats.periods
    ]
    columns = [Bar(label=label, value=count) for label, count in rows]
    titles = {
        "week": _("Times this claim was repeated, by week"),
        "month": _("Times this claim was repeated, by month"),
        "year": _("Times this claim was repeated, by year"),
    }
    chart = column_chart(
        columns,
        title=titles[repeats.step],
        axis_labels=[date_format(start, short) for start, _count in repeats.periods],
    )
    return {"total": repeats.total, "chart": chart, "rows": rows, "step": repeats.step}


def _claim_elsewhere(request, page) -> HttpResponse:
    """A check not written in the reader's language yet: say so, in that language, and link
    to the languages it can be read in, rather than show one language under another."""
    elsewhere = []
    for code in page.languages:
        with override(code):
            elsewhere.append({"code": code, "url": page.claim.get_absolute_url()})
    response = render(
        request,
        "claims/claim_elsewhere.html",
        {"claim": page.claim, "page_languages": page.languages, "elsewhere": elsewhere},
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
    # Not translated into the card's language: the check as written (the template marks its
    # lang), and a link to a page it can be read on rather than to the "available in" page.
    read_in = page.language or (page.languages[0] if page.languages else get_language())
    with override(read_in):
        read_url = page.claim.get_absolute_url()
    response = render(
        request,
        "claims/claim_embed.html",
        {"claim": page.claim, "read_url": read_url, "read_in": read_in},
    )
    return _with_last_modified(response, page.last_modified)


@require_safe
def oembed(request):
    """oEmbed (https://oembed.com) for claim pages: a "rich" card in an iframe."""
    url = request.GET.get("url", "")
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": _("Only the json format is offered.")}, status=501)
    parts = urlsplit(url)
    ours = {urlsplit(settings.FACTDESK_SITE_URL).netloc, request.get_host()}
    # The page's language is in its address (/it/claims/...): resolve and answer in it, not in
    # the consumer's Accept-Language, or an Italian page would not resolve for an English one.
    language = get_language_from_path(parts.path) or get_language()
    with override(language):
        try:
            match = resolve(parts.path) if parts.netloc in ours else None
        except Resolver404:
            match = None
        if match is None or match.view_name != "claims:claim":
            message = _("Give the address of a published claim page.")
            return JsonResponse({"url": [message]}, status=400)
        page = selectors.claim_page_data(match.kwargs["slug"], language)
        embed_url = absolute_url(reverse("claims:claim_embed", slug=page.claim.slug))
    width = _bounded_int(request.GET.get("maxwidth"), EMBED_WIDTH)
    height = _bounded_int(request.GET.get("maxheight"), EMBED_HEIGHT)
    # Not translated into that language: the title as written (the card shows it so, marked).
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
@cached_page(with_query=True)
def claimreview_feed(request):
    """Published ClaimReviews as a schema.org DataFeed for fact-check aggregators, a page at a
    time in the order they last changed (see selectors.claimreview_feed_page)."""
    feed_request, errors = selectors.FeedRequest.from_query(request.GET)
    if errors:
        return JsonResponse(errors, status=400)
    page = selectors.claimreview_feed_page(feed_request)
    next_url = feed_next_url(absolute_url(request.path), request.GET, page.next)
    feed = data_feed_page(
        page.claims,
        bounds=page.bounds,
        feed_url=absolute_url(request.get_full_path()),
        next_url=next_url,
    )
    response = HttpResponse(
        json.dumps(feed, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Link"] = f'<{next_url}>; rel="next"'
    return response


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


# --- Claimants --------------------------------------------------------------------------------


@require_safe
@cached_page(with_query=True)
def claimant_index(request):
    q = request.GET.get("q", "")[:200]
    claimants = claimant_selectors.public_claimants(q)
    page = Paginator(claimants, PAGE_SIZE * 3).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "claims/claimant_index.html",
        {"page": page, "q": q, "query_string": query.urlencode()},
    )


@require_safe
@cached_page(with_query=True)
def claimant_detail(request, slug):
    claimant = claimant_selectors.claimant_for_page(slug)
    if claimant.merged_into_id:
        # A duplicate merged away keeps its address: it leads to the record that absorbed it.
        return redirect(claimant.merged_into, permanent=True)
    data = claimant_selectors.claimant_page_data(claimant)
    page = Paginator(data.claims, PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "claims/claimant_detail.html",
        {
            "data": data,
            "claimant": claimant,
            "page": page,
            "report_chart": _report_chart(data),
            "years_chart": _years_chart(data),
            "canonical_url": absolute_url(claimant.get_absolute_url()),
        },
    )
    return _with_last_modified(response, data.last_modified)


def _report_chart(data):
    bars = [
        Bar(
            label=share.verdict.label if share.verdict else _("Not on our scale"),
            value=share.count,
            colour=share.verdict.colour if share.verdict else "",
            value_text=_("%(count)s (%(percent)s%%)")
            % {"count": share.count, "percent": share.percent},
        )
        for share in data.report_card
    ]
    return bar_chart(
        bars,
        title=_("Verdicts on %(name)s's checked claims") % {"name": data.claimant.name},
        summary=_("%(total)s checked claims.") % {"total": data.total},
    )


def _years_chart(data):
    return bar_chart(
        [Bar(label=str(year), value=count) for year, count in data.by_year],
        title=_("Claims by %(name)s checked each year") % {"name": data.claimant.name},
    )
