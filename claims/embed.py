"""The publisher embed: our verdicts on the publisher's own article page.

A publisher adds one script tag to its article page (docs/reader-site.md#the-publisher-embed):

    <script src="https://desk.example/embed/v1/factdesk.js" data-article="SLUG" defer></script>

The script (static/embed/factdesk.js) asks `checks()` for the article's published checks and
marks each checked sentence it finds in the page's own text, with the annotated article's
anchoring rules. Only the origins configured on the article's outlet (Outlet.embed_origins)
are allowed to read the answer across origins (CORS).
"""

import hashlib
import json
import re
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.html import strip_tags
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe

from lib.text import looks_like_heading
from lib.url_shapes import reverse_in

from . import selectors, visibility
from .choices import AnchorState
from .claimreview import absolute_url
from .models import Article, Claim, ClaimTranslation, content_language
from .reader import language_name_in_reader

SCRIPT = "embed/factdesk.js"
MAX_CHECKS = 100  # an article with more is not a page anyone reads with markers
MAX_QUOTE_CHARS = 1000  # a "sentence" longer than this is not one the script should look for
SUMMARY_CHARS = 200
CACHE_SECONDS = 60  # short: a corrected verdict reaches publishers' pages within a minute
SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def page_language(requested: str) -> str:
    """The publisher page's language if we speak it (it-IT is it), else the desk's default."""
    code = (requested or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def one_line(rationale_html: str) -> str:
    """The rationale's first sentence as plain text, at most SUMMARY_CHARS long."""
    text = " ".join(strip_tags(rationale_html).split())
    first = SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) > SUMMARY_CHARS:
        first = first[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return first


def embed_checks(slug: str, language: str) -> tuple[Article | None, dict]:
    """The article (None when unknown) and the payload of its published, anchored checks,
    each in `language` where the desk has translated it, else as it was written.

    Two queries, at most MAX_CHECKS checks. An unknown article and one with nothing published
    both give an empty list: a publisher may add the script before the desk publishes.
    """
    article = Article.objects.select_related("outlet").only("slug", "outlet").filter(slug=slug)
    article = article.first()
    claims = []
    if article is not None:
        # The translation into the page's language rides along in the same query.
        translated = ClaimTranslation.objects.filter(claim=OuterRef("pk"), language=language)
        claims = list(
            visibility.public_claims()
            .filter(article=article, anchor_start__isnull=False)
            .exclude(anchor_state=AnchorState.ORPHANED)
            .select_related("verdict")
            .only(
                *("slug", "quote", "anchor_prefix", "anchor_suffix", "anchor_start"),
                *("claim_reviewed", "rationale_html", "imported_rating", "verdict", "language"),
            )
            .annotate(
                translated_wording=Subquery(translated.values("claim_reviewed")[:1]),
                translated_rationale=Subquery(translated.values("rationale_html")[:1]),
            )
            .order_by("anchor_start", "pk")[:MAX_CHECKS]
        )
    with override(language):
        payload = {
            "language": language,
            "labels": {
                "marker": _("Fact check"),
                "close": _("Close"),
                "read": _("Read the full check"),
            },
            "checks": [_check(claim, language) for claim in claims if _fits(claim)],
        }
    return article, payload


def _fits(claim: Claim) -> bool:
    return 0 < len(claim.quote) <= MAX_QUOTE_CHARS


def _check(claim: Claim, language: str) -> dict:
    """One check for a page in `language` (active): the interface and the verdict in it; the
    wording, rationale and link in it when translated, else in the claim's own language, which
    `language` names so the script marks that text with its own lang."""
    verdict = claim.verdict
    own = content_language(claim.language) or language
    if language == own or not claim.translated_wording:
        # Not translated: the check as written, and a link to the page it can be read on (a
        # claim in a language the site has no pages in reads on the page's own).
        shown = own if own in dict(settings.LANGUAGES) else language
        wording, rationale_html = claim.claim_reviewed, claim.rationale_html
        text_language = own
    else:
        shown = text_language = language
        wording, rationale_html = claim.translated_wording, claim.translated_rationale
    check = {
        "quote": claim.quote,
        "prefix": claim.anchor_prefix,
        "suffix": claim.anchor_suffix,
        "language": text_language,
        "claim": wording,
        "verdict": {
            "code": verdict.code if verdict else "",
            "label": verdict.label_in(language) if verdict else claim.imported_rating,
            "colour": verdict.colour if verdict else "",
        },
        "summary": one_line(rationale_html or ""),
        "url": absolute_url(reverse_in(shown, "claims:claim", slug=claim.slug)),
    }
    if text_language != language:
        # The language named in the page's (active) language: "(Italian)", "(Inglese)".
        name = language_name_in_reader(text_language)  # the code when Django knows no name
        check["read"] = _("Read the full check (%(language)s)") % {"language": name}
    return check


@require_safe
def checks(request, slug):
    """An article's published checks for the embed script: public, cacheable, CORS for the
    origins its outlet configured."""
    language = page_language(request.GET.get("lang", ""))
    article, payload = embed_checks(slug, language)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = quote_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response = get_conditional_response(request, etag=etag, response=response)
    _allow_origin(request, response, article)
    return response


def _allow_origin(request, response: HttpResponse, article: Article | None) -> None:
    # The answer differs by Origin only in this header; caches must keep one copy per origin.
    patch_vary_headers(response, ["Origin"])
    origin = request.headers.get("Origin", "")
    outlet = article.outlet if article is not None else None
    if origin and outlet is not None and origin in outlet.allowed_origins:
        response["Access-Control-Allow-Origin"] = origin
        # The script revalidates with If-None-Match; it must be able to read the ETag.
        response["Access-Control-Expose-Headers"] = "ETag"


@lru_cache(maxsize=1)
def script_source() -> bytes:
    path = finders.find(SCRIPT)
    with open(path, "rb") as script:
        return script.read()


@require_safe
def script(request):
    """The embed script at a stable address (static files get hashed names in production)."""
    body = script_source()
    etag = quote_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return get_conditional_response(request, etag=etag, response=response)


@require_safe
def demo(request, slug):
    """A copy of an article on a page laid out as a publisher's, not ours, with the embed
    script; one checked sentence is edited the way publishers edit, so it shows no marker.
    `?lang=en` makes it an English publisher's page (`<html lang="en">`), whatever the
    article's language."""
    page = selectors.article_page_data(slug)
    text = page.article.text
    edited = page.checks[-1].quote if page.checks else ""
    if edited:
        text = text.replace(edited, publisher_edit(edited), 1)
    # Each paragraph with whether it is a heading, as a publisher's own page would mark it up.
    paragraphs = [
        (p.strip(), looks_like_heading(p))
        for p in selectors.PARAGRAPH_BREAK.split(text)
        if p.strip()
    ]
    return render(
        request,
        "embed/demo.html",
        {
            "article": page.article,
            "page_language": page_language(request.GET.get("lang") or page.article.language),
            "paragraphs": paragraphs,
            "edited": publisher_edit(edited) if edited else "",
            "script_url": reverse_in(settings.LANGUAGE_CODE, "embed_script"),
        },
    )


def publisher_edit(sentence: str) -> str:
    """The sentence as a publisher might have reworded it after we checked it."""
    words = sentence.split(" ")
    middle = len(words) // 2
    return " ".join([*words[:middle], "(updated)", *words[middle:]])
