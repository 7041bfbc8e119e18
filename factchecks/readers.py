"""Reading what a fact-check source serves: a ClaimReview DataFeed, a page's JSON-LD, a sitemap,
an RSS or Atom feed, a page of Google Fact Check Tools search results.

Pure functions from fetched text to reviews or links; each raises HarvestError with a reason
an editor can read when the whole document is unusable (an HTML error page where JSON was
expected, malformed XML, a document nested absurdly deep). Fetching lives in harvesting.py.
"""

import json
import re

from django.utils.translation import gettext as _

from lib import claimreview_markup as markup
from lib import feeds
from lib.feeds import UnreadableDocument, looks_like_html

# A whole document (or source) could not be used; `str()` is the reason for the log. The same
# class as lib.feeds' reason, so a malformed feed or sitemap fails a run like any other.
HarvestError = UnreadableDocument
# Feeds and sitemaps are read by lib/feeds.py, which monitoring shares.
feed_links, sitemap_links = feeds.feed_links, feeds.sitemap_links


def json_document(text: str, content_type: str):
    """The JSON a DataFeed or an API answered with."""
    if looks_like_html(content_type, text):
        raise HarvestError(
            _("Expected JSON but the server sent an HTML page (an error or login page?).")
        )
    try:
        document = json.loads(text)
    except ValueError as error:
        reason = _("The feed is not valid JSON (%(error)s).") % {"error": error}
        raise HarvestError(reason) from None
    if markup.nesting_depth(document) > markup.MAX_DEPTH:
        raise HarvestError(
            _("The document nests deeper than %(n)s levels; no ClaimReview is that deep.")
            % {"n": markup.MAX_DEPTH}
        )
    return document


def page_reviews(html: str) -> tuple[list, list[str]]:
    """The ClaimReviews in a page's JSON-LD (other nodes, such as breadcrumbs, are not
    reviews and are skipped) and the reasons any JSON-LD block was unreadable."""
    documents, problems = markup.json_ld_blocks(html)
    reviews = []
    for document in documents:
        if markup.nesting_depth(document) > markup.MAX_DEPTH:
            problems.append(_("A JSON-LD block nests too deep to be a ClaimReview."))
            continue
        nodes = markup.claim_reviews_in(document)
        reviews.extend(node for node in nodes if "ClaimReview" in markup.types(node))
    return reviews, problems


def google_reviews(document) -> tuple[list[tuple[dict, dict]], str]:
    """(ClaimReview-shaped review, the API's own item) pairs of a claims:search answer, and
    its nextPageToken ("" on the last page).

    The API gives each claim once with its reviews by several publishers; each review is
    rewritten in ClaimReview's terms so that one path stores every kind of source.
    """
    if not isinstance(document, dict):
        raise HarvestError(_("The Google answer is not a JSON object."))
    if "error" in document:
        error = document["error"] if isinstance(document["error"], dict) else {}
        raise HarvestError(
            _("Google refused the search: %(message)s")
            % {"message": markup.text(error.get("message")) or "?"}
        )
    pairs = []
    claims = document.get("claims") or []
    for claim in claims if isinstance(claims, list) else []:
        if not isinstance(claim, dict):
            continue
        reviews = claim.get("claimReview") or []
        for review in reviews if isinstance(reviews, list) else []:
            if isinstance(review, dict):
                pairs.append((_as_claim_review(claim, review), {**claim, "claimReview": [review]}))
    return pairs, markup.text(document.get("nextPageToken"))


def _as_claim_review(claim: dict, review: dict) -> dict:
    publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
    site = markup.text(publisher.get("site"))
    return {
        "@type": "ClaimReview",
        "url": review.get("url"),
        "claimReviewed": claim.get("text"),
        "name": review.get("title"),
        "datePublished": review.get("reviewDate"),
        "inLanguage": review.get("languageCode"),
        "author": {"@type": "Organization", "name": publisher.get("name") or site, "url": site},
        "reviewRating": {"@type": "Rating", "alternateName": review.get("textualRating")},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"name": claim.get("claimant")},
            "datePublished": claim.get("claimDate"),
        },
    }


def fact_check_fields(review: dict) -> dict:
    """The ExternalFactCheck fields of a valid ClaimReview (markup.review_errors is empty)."""
    item = markup.item_reviewed(review)
    given = markup.rating(review)
    organisation = _first_object(review.get("author"))
    publisher = _first_object(review.get("publisher"))
    if "Person" in markup.types(organisation) and markup.text(publisher.get("name")):
        # The writer as author and the organisation as publisher (BOOM's pages do this).
        organisation = publisher
    organisation_url = markup.url(organisation.get("url") or organisation.get("@id"))
    return {
        "review_url": markup.url(review.get("url"))[:2000],
        "claim_reviewed": markup.text(review.get("claimReviewed")),
        "title": markup.text(review.get("name") or review.get("headline"))[:500],
        "rating_text": markup.rating_text(review)[:500],
        "rating_value": markup.text(given.get("ratingValue"))[:50],
        "rating_best": markup.text(given.get("bestRating"))[:50],
        "rating_worst": markup.text(given.get("worstRating"))[:50],
        "organization_name": markup.text(organisation.get("name"))[:300],
        "organization_url": organisation_url[:1000] if markup.is_web_url(organisation_url) else "",
        "language": markup.text(review.get("inLanguage"))[:16],
        "reviewed_at": markup.parse_when(review.get("datePublished")),
        "claimant": markup.text(item.get("author"))[:500],
        "appearance_urls": markup.appearances(item)[:20],
    }


def _first_object(value) -> dict:
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {"name": value}


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.I)


def page_language(html: str) -> str:
    """The language a page declares on its <html> element ("" when it declares none): most
    pages' ClaimReviews omit inLanguage."""
    found = _HTML_LANG.search(html[:20000])
    return found.group(1).lower() if found else ""
