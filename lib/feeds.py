"""Reading what sites publish for machines: RSS and Atom feeds, sitemaps (news sitemaps too).

Pure functions from fetched text to links and entries, shared by the fact-check harvest
(factchecks/) and monitored media (monitoring/). Each raises UnreadableDocument with a reason
an editor can read when the whole document is unusable: an HTML error page where XML was
expected, malformed XML, a DTD (which no feed or sitemap needs). Fetching is the caller's,
through lib/fetching.py.
"""

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from xml.parsers import expat

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lib.claimreview_markup import is_web_url, within_calendar


class UnreadableDocument(Exception):
    """A whole document could not be used; `str()` is the reason for the health log."""


def looks_like_html(content_type: str, text: str) -> bool:
    return (
        content_type in {"text/html", "application/xhtml+xml"}
        or text.lstrip()[:15].lower() in {"<!doctype html>"}
        or text.lstrip()[:5].lower() == "<html"
    )


def xml_root(text: str):
    """The root element of a feed or sitemap, once it is known to be XML without a DTD."""
    if looks_like_html("", text) or "<html" in text[:2000].lower():
        raise UnreadableDocument(_("Expected XML but the server sent an HTML page."))
    data = text.encode("utf-8")
    _refuse_dtd(data)
    try:
        # Safe once _refuse_dtd passed: without a DTD there is no entity to expand or fetch.
        return ElementTree.fromstring(data)  # noqa: S314
    except ElementTree.ParseError as error:
        raise UnreadableDocument(
            _("The XML is malformed (%(error)s).") % {"error": error}
        ) from None


def _refuse_dtd(data: bytes) -> None:
    """Sitemaps and feeds never need a DTD; refusing one rules out entity expansion ("billion
    laughs") and external entities, what defusedxml guards against, without the dependency."""

    def refuse(*_args):
        raise UnreadableDocument(_("The XML declares a DTD, which sitemaps and feeds never need."))

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise UnreadableDocument(
            _("The XML is malformed (%(error)s).") % {"error": error}
        ) from None


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def sitemap_links(text: str) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or a sitemap index, in order."""
    root = xml_root(text)
    pages, sitemaps = [], []
    for node in root:
        kind = local_name(node.tag)
        loc = next((child.text or "" for child in node if local_name(child.tag) == "loc"), "")
        loc = loc.strip()
        if not is_web_url(loc):
            continue
        (sitemaps if kind == "sitemap" else pages).append(loc)
    return pages, sitemaps


@dataclass
class FeedEntry:
    """One item of an RSS 2.0 or Atom feed: its link and what the feed itself says of it."""

    link: str
    title: str = ""
    text: str = ""  # the entry's content, else its summary, as the feed gives it (often HTML)
    published: datetime | None = None


def _child_text(node, *names: str) -> str:
    for name in names:
        found = next((c for c in node if local_name(c.tag) == name), None)
        if found is not None and (found.text or "").strip():
            return found.text.strip()
    return ""


def _entry_link(node, kind: str) -> str:
    if kind == "item":  # RSS: <link>URL</link>
        return _child_text(node, "link")
    # Atom: <link rel="alternate" href="URL"/>
    candidates = [c for c in node if local_name(c.tag) == "link"]
    chosen = next((c for c in candidates if c.get("rel", "alternate") == "alternate"), None)
    return (chosen.get("href", "") if chosen is not None else "").strip()


def feed_date(value: str) -> datetime | None:
    """An RSS (RFC 822) or Atom (RFC 3339) date, aware; None when unreadable, naive or at the
    calendar's ends (claimreview_markup.within_calendar)."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
    return within_calendar(parsed) if parsed is not None and parsed.tzinfo is not None else None


def feed_entries(text: str) -> list[FeedEntry]:
    """The entries of an RSS 2.0 or Atom feed with a web link, in order, once per link."""
    root = xml_root(text)
    entries: dict[str, FeedEntry] = {}
    for node in root.iter():
        kind = local_name(node.tag)
        if kind not in {"item", "entry"}:
            continue
        link = _entry_link(node, kind)
        if not is_web_url(link) or link in entries:
            continue
        entries[link] = FeedEntry(
            link=link,
            title=_child_text(node, "title"),
            text=_child_text(node, "encoded", "content", "description", "summary"),
            published=feed_date(_child_text(node, "pubdate", "published", "updated", "date")),
        )
    return list(entries.values())


def feed_links(text: str) -> list[str]:
    """The item links of an RSS 2.0 or Atom feed, in order."""
    return [entry.link for entry in feed_entries(text)]


# Tags that end a paragraph: their text is not run into the next one's.
_BLOCK_TAGS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
_SKIPPED_TAGS = {"script", "style", "noscript", "template"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    """The readable text of a feed entry's HTML (or plain text): a paragraph a line, no tags,
    no scripts, entities decoded."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
