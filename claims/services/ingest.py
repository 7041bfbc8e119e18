"""Bring an article in: from pasted text, or from a URL through the safe fetcher.

From a URL, trafilatura extracts the main text (no menus, ads or comments), the title, the
byline and the date; the language comes from the page's markup, else from its words.
Fetching a URL that is already stored stores a new revision and re-anchors its claims.
"""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import trafilatura
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.fetching import FetchError, FetchPolicy, fetch
from lib.text import strip_control_characters
from sources.normalization import normalize_url
from sources.services import outlet_get_or_create

from ..models import Article, ArticleRevision
from .articles import article_create, article_update_text

HTML_TYPES = {"text/html", "application/xhtml+xml"}
STOPWORDS = {
    "it": {"il", "la", "di", "che", "e", "per", "un", "una", "non", "sono", "della", "del", "gli"},
    "en": {"the", "of", "and", "to", "is", "that", "for", "was", "with", "are", "this", "by"},
    "fr": {"le", "les", "des", "est", "et", "une", "pour", "que", "dans", "pas", "qui", "sur"},
    "es": {"el", "los", "las", "del", "que", "y", "una", "por", "para", "con", "es", "se"},
    "de": {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "den", "von"},
}
LANG_ATTRIBUTE = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2,3})", re.IGNORECASE)


@dataclass
class Extracted:
    title: str
    text: str
    byline: str
    published_on: date | None
    language: str


def guess_language(text: str) -> str:
    """The language whose commonest words the text uses most ("" when none stands out)."""
    words = re.findall(r"[^\W\d_]+", text.lower())[:2000]
    counts = {code: sum(word in stop for word in words) for code, stop in STOPWORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 3 else ""


def extract_article(html: str, *, url: str = "") -> Extracted:
    """The main text and metadata of an HTML page. Raises ValidationError when it has none.

    Control characters (NUL and the like) are dropped: a page is not refused for its bytes,
    and the HTML parser would choke on some of them."""
    html = strip_control_characters(html)
    document = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, favor_precision=True
    )
    text = (document.text or "").strip() if document else ""
    if not text:
        raise ValidationError(
            {"url": _("No article text could be found on that page.")}, code="no_text"
        )
    title = (document.title or "").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    body = "\n\n".join(lines)
    match = LANG_ATTRIBUTE.search(html[:5000])
    language = (match.group(1).lower() if match else "") or guess_language(body)
    return Extracted(
        title=title[:500] or _("Untitled article"),
        text=body,
        byline=(document.author or "").strip()[:300],
        published_on=_parse_date(document.date),
        language=language,
    )


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def article_ingest_url(*, url: str, actor, policy: FetchPolicy | None = None) -> Article:
    """Fetch a page and store it as a new article, or as a new revision of the stored one.

    The page is fetched and read before the transaction opens: a slow server then holds no
    transaction and no lock, only the caller's thread, for as long as the fetch policy allows.
    """
    try:
        normalized = normalize_url(url)
        result = fetch(url, policy=policy)
    except FetchError as error:
        raise ValidationError({"url": str(error)}, code=error.code) from None
    except ValueError:
        raise ValidationError({"url": _("This is not a valid URL.")}) from None
    if result.status != 200:
        raise ValidationError(
            {"url": _("The page answered with HTTP status %(status)s.") % {"status": result.status}}
        )
    if result.content_type not in HTML_TYPES:
        raise ValidationError(
            {"url": _("That is not a web page (it is %(type)s).") % {"type": result.content_type}}
        )
    extracted = extract_article(result.text(), url=result.url)
    return _article_store_fetched(
        url=normalized, fetched_from=result.url, page=extracted, actor=actor
    )


@transaction.atomic
def _article_store_fetched(*, url: str, fetched_from: str, page: Extracted, actor) -> Article:
    """Store a fetched page under its normalised `url`: a new revision if it is stored already."""
    existing = Article.objects.filter(url=url).first()
    if existing is not None:
        article_update_text(
            article=existing,
            text=page.text,
            actor=actor,
            origin=ArticleRevision.Origin.FETCHED,
            note=_("Fetched again from %(url)s") % {"url": fetched_from},
        )
        existing.refresh_from_db()
        return existing
    if not page.language:
        raise ValidationError({"language": _("The article's language could not be told.")})
    outlet, _created = outlet_get_or_create(domain=urlsplit(url).hostname)
    return article_create(
        title=page.title,
        text=page.text,
        language=page.language,
        url=url,
        outlet=outlet,
        published_on=page.published_on,
        byline=page.byline,
        origin=ArticleRevision.Origin.FETCHED,
        created_by=actor,
    )


def article_ingest_text(*, text: str, title: str, actor, language: str = "", **fields) -> Article:
    """Store pasted text as a new article; the language is guessed when not given."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Paste the article's text.")})
    language = language or guess_language(text)
    if not language:
        raise ValidationError(
            {"language": _("The article's language could not be told; say which it is.")}
        )
    return article_create(
        title=title.strip() or text.splitlines()[0][:200],
        text=text,
        language=language,
        origin=ArticleRevision.Origin.PASTED,
        created_by=actor,
        **fields,
    )
