"""Helpers the public pages' templates call (factdesk/jinja2.py makes them filters and
globals)."""

import json
from functools import lru_cache

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse, translate_url
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, override
from django.utils.translation import gettext as _

from lib import url_shapes
from lib.site_url import absolute_url
from lib.text import looks_like_heading
from sources.models import Reliability

# The characters json_script escapes, so data can never close its <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data: dict) -> SafeString:
    """A JSON-LD <script> block (data only: browsers never run it, so CSP allows it)."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


def language_links(request) -> list[dict]:
    """This page in every interface language: plain links, so switching needs no form,
    no cookie and no JavaScript, and every language version has its own address."""
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = _in_language(request, code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                # hreflang alternates must be whole addresses (search engines ignore others).
                "absolute_url": absolute_url(url),
                "current": code == current,
            }
        )
    return links


def _in_language(request, code: str) -> str:
    """translate_url(), without resolving the path again when the request already did."""
    match = request.resolver_match
    if match is None or not match.url_name:
        return translate_url(request.get_full_path(), code)
    path = url_shapes.reverse_in(code, match.view_name, *match.args, **match.kwargs)
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


def verdict_label(claim) -> str:
    """The claim's verdict in the reader's language (an imported rating when unmapped)."""
    return claim.verdict.label if claim.verdict_id else claim.imported_rating


def reliability_label(code: str) -> str:
    """An outlet's reliability in the reader's language: get_reliability_display() without
    rebuilding the field's choices for every source a claim cites."""
    try:
        return str(Reliability(code).label)
    except ValueError:
        return code


def language_name_in_reader(code: str) -> str:
    """A language's name in the reader's language ("Italian" on the English site)."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def language_name(code: str) -> str:
    """A content language's own name ("italiano"), or the code when Django does not know it."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


SITE_URLS = {
    "home": "claims:home",
    "list": "claims:list",
    "claimants": "claims:claimants",
    "articles": "claims:articles",
    "methodology": "claims:methodology",
    "corrections": "claims:corrections",
    "verdicts_rss": "claims:verdicts_rss",
    "verdicts_atom": "claims:verdicts_atom",
    "corrections_rss": "claims:corrections_rss",
    "corrections_atom": "claims:corrections_atom",
    "claimreview_feed": "claimreview_feed",
    "verdict_styles": "verdict_styles",
}


def site_urls() -> dict:
    """The addresses every page's header and footer link to, in the current language."""
    return _site_urls(get_language())


@lru_cache(maxsize=8)
def _site_urls(language: str) -> dict:
    # These addresses depend only on the URLconf and the language, and reversing a dozen of
    # them on every page was a measurable share of rendering it.
    with override(language):
        return {key: reverse(name) for key, name in SITE_URLS.items()}


def annotated_paragraphs(paragraphs) -> SafeString:
    """The article's paragraphs (selectors.article_paragraphs), each check's text highlighted
    by its innermost check's verdict and followed by its numbered marker; the text's headings
    as <h2>.

    Built here rather than with template tags: an article is hundreds of pieces, and looping
    over them in the template language was most of the article page's rendering time.
    """
    language = get_language()
    check_word = _("Check")
    html = []
    for paragraph in paragraphs:
        # A heading of the article's text (told by its shape: the text has no markup) is a
        # heading here too; its pieces, highlights and markers are the same as a paragraph's.
        tag = "h2" if looks_like_heading("".join(piece.text for piece in paragraph)) else "p"
        html.append(f'<{tag} class="article-heading">' if tag == "h2" else "<p>")
        for piece in paragraph:
            text = linebreaksbr(piece.text, autoescape=True)
            if piece.checks:
                nested = " check-nested" if len(piece.checks) > 1 else ""
                html.append(
                    format_html(
                        '<mark class="check verdict-{}{}" data-checks="{}" data-innermost="{}">'
                        "{}</mark>",
                        _verdict_code(piece.innermost),
                        nested,
                        " ".join(map(str, piece.checks)),
                        piece.innermost_number,
                        text,
                    )
                )
            else:
                html.append(text)
            for number, claim in piece.markers:
                html.append(
                    format_html(
                        '<a class="marker verdict-{code}" id="check-ref-{n}" href="#check-{n}" '
                        'data-check="{n}" lang="{language}"><span class="visually-hidden">'
                        '{check} </span>{n}<span class="marker-label"> {label}</span></a>',
                        code=_verdict_code(claim),
                        n=number,
                        language=language,
                        check=check_word,
                        label=verdict_label(claim),
                    )
                )
        html.append(f"</{tag}>\n")
    return mark_safe("".join(html))  # noqa: S308 (every part above is escaped)


def _verdict_code(claim) -> str:
    return claim.verdict.code if claim.verdict_id else ""
