"""Reading schema.org ClaimReview markup as fact-checkers really publish it.

One lenient reader for the desk's importer (claims/services/importing.py) and the harvester of
other organisations' fact-checks (factchecks/harvesting.py), so a quirk learnt by one is known
to both. Real markup is untidy: "type" for "@type", @type as a list or a full IRI, a review
inside @graph, a DataFeed or a DataFeedItem, dates with a space or a malformed offset, URLs
without a scheme, sameAs or names as lists.

App-free: plain dicts and lists in, plain values out.
"""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

# Real ClaimReview markup nests a few levels (DataFeed > DataFeedItem > ClaimReview >
# itemReviewed > author); the walks below recurse, so a deeper document is refused up front.
MAX_DEPTH = 32


def types(node) -> set[str]:
    """A node's schema.org types by their short names ("http://schema.org/Claim" -> "Claim")."""
    if not isinstance(node, dict):
        return set()
    raw = node.get("@type", node.get("type", []))
    raw = raw if isinstance(raw, list) else [raw]
    return {str(t).rsplit("/", 1)[-1] for t in raw}


def nesting_depth(document) -> int:
    """How deep lists and objects nest in `document` (a scalar is 0), without recursing."""
    deepest, pending = 0, [(document, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in node)
    return deepest


def claim_reviews_in(document) -> list:
    """Every ClaimReview in a document, in order (anything else that is not one is kept as an
    item too, so the report can say why it was rejected)."""
    if isinstance(document, list):
        return [review for node in document for review in claim_reviews_in(node)]
    if not isinstance(document, dict):
        return [document]
    if "@graph" in document:
        return claim_reviews_in(document["@graph"])
    kinds = types(document)
    if "DataFeed" in kinds:
        return claim_reviews_in(document.get("dataFeedElement", []))
    if "DataFeedItem" in kinds:
        return claim_reviews_in(document.get("item", []))
    return [document]


def text(value) -> str:
    """A plain string from a value, a list's first value, or an object's name (or url)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or ""
    return str(value or "").strip()


def url(value) -> str:
    found = text(value)
    if found and "://" not in found and "." in found.split("/")[0]:
        found = "https://" + found  # "factcheck.example.org" as some publishers write it
    return found


def is_web_url(value: str) -> bool:
    return value[:8].lower().startswith(("http://", "https://"))


_BAD_OFFSET = re.compile(r"([+-])(\d):(\d\d)$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def within_calendar(moment: datetime | None) -> datetime | None:
    """`moment`, or None when it lies within a day of the calendar's ends in UTC (the year 1
    or 9999 with an offset): PostgreSQL stores such a time, but Python cannot read it back
    or show it in another time zone, and every page listing it would fail."""
    if moment is None:
        return None
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        return None
    edge = timedelta(days=1)
    if (
        not datetime.min.replace(tzinfo=UTC) + edge
        <= utc
        <= datetime.max.replace(tzinfo=UTC) - edge
    ):
        return None
    return moment


def parse_when(value) -> datetime | None:
    """An aware datetime from the date forms publishers write; a bare date is read as noon.
    None for what cannot be read, or lies at the calendar's ends (within_calendar)."""
    raw = text(value).replace(" ", "T", 1)
    raw = _BAD_OFFSET.sub(r"\g<1>0\2:\3", raw)  # "+5:30" -> "+05:30"
    try:
        # A date alone is that day, not its midnight: parse_datetime would read "2024-03-05" as
        # 00:00 here, which is the day before in UTC. Noon keeps the day in every zone we use.
        parsed = None if _DATE_ONLY.match(raw) else parse_datetime(raw)
        if parsed is None:
            day = parse_date(raw[:10])
            parsed = datetime.combine(day, time(12)) if day else None
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        try:
            parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
        except OverflowError:
            return None
    return within_calendar(parsed)


def parse_day(value) -> date | None:
    parsed = parse_when(value)
    return parsed.date() if parsed else None


def rating(review: dict) -> dict:
    """The review's reviewRating object ({} when it has none or it is not an object)."""
    found = review.get("reviewRating")
    if isinstance(found, list):
        found = found[0] if found else {}
    return found if isinstance(found, dict) else {}


def rating_text(review: dict) -> str:
    """The rating in words; a bare number is kept as "value/best" for an editor to map."""
    given = rating(review)
    words = text(given.get("alternateName") or review.get("textualRating"))
    if not words and text(given.get("ratingValue")):
        words = f"{text(given.get('ratingValue'))}/{text(given.get('bestRating')) or '?'}"
    return words


def item_reviewed(review: dict) -> dict:
    item = review.get("itemReviewed")
    if isinstance(item, list):
        item = item[0] if item else {}
    return item if isinstance(item, dict) else {}


def appearances(item: dict) -> list[str]:
    """The http(s) URLs where the reviewed claim appeared, each once, in order."""
    urls = [url(item.get("url"))]
    for key in ("appearance", "firstAppearance"):
        value = item.get(key) or []
        for node in value if isinstance(value, list) else [value]:
            urls.append(url(node.get("url") if isinstance(node, dict) else node))
    return [found for found in dict.fromkeys(urls) if is_web_url(found)]


def has_nul(node) -> bool:
    # PostgreSQL stores no NUL character in text or jsonb: refuse it here, not with a crash.
    if isinstance(node, str):
        return "\x00" in node
    if isinstance(node, dict):
        return any(has_nul(k) or has_nul(v) for k, v in node.items())
    if isinstance(node, list):
        return any(has_nul(item) for item in node)
    return False


def review_errors(review) -> list[str]:
    """Why a node cannot be kept as a ClaimReview (empty when it can): the fields Google's
    rules require (url, claimReviewed, reviewRating) and what the database cannot store."""
    if not isinstance(review, dict) or "ClaimReview" not in types(review):
        return [_("Not a ClaimReview.")]
    if has_nul(review):
        return [_("The review contains NUL characters.")]
    errors = []
    if not is_web_url(url(review.get("url"))):
        errors.append(_("url: the review's URL is missing or not http(s)."))
    if not text(review.get("claimReviewed")):
        errors.append(_("claimReviewed: missing."))
    if not rating_text(review):
        errors.append(_("reviewRating: missing, so there is no verdict to keep."))
    return errors


class _JsonLdScripts(HTMLParser):
    """Collects the text of every <script type="application/ld+json"> in a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
            self._inside = kind == "application/ld+json"
            if self._inside:
                self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def json_ld_blocks(html: str) -> tuple[list, list[str]]:
    """The JSON-LD documents of an HTML page, and why any block could not be read.

    A page often carries several blocks (breadcrumbs, the organisation, the review); one broken
    block does not hide the others.
    """
    parser = _JsonLdScripts()
    parser.feed(html)
    parser.close()
    documents, problems = [], []
    for number, block in enumerate(parser.blocks, start=1):
        try:
            # strict=False: raw newlines and tabs inside strings are common in hand-made markup.
            documents.append(json.loads(block.strip(), strict=False))
        except ValueError as error:
            problems.append(
                _("JSON-LD block %(n)s is not valid JSON (%(error)s).")
                % {"n": number, "error": error}
            )
    return documents, problems
