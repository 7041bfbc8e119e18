"""schema.org ClaimReview, the markup search engines and fact-check aggregators read.

https://schema.org/ClaimReview and Google's fact-check guidelines: claimReviewed, reviewRating
(with alternateName, the rating in words), itemReviewed as a Claim, author, url, datePublished.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max, Min, Subquery
from django.utils.translation import get_language, override

from lib.site_url import absolute_url
from lib.text import strip_bidi_controls

from . import translations
from .models import Claim, Stance, VerdictRating


def scale_bounds() -> tuple[int, int]:
    """(worst, best) ratingValue of the verdict scale: one query, to pass to claim_review()."""
    bounds = VerdictRating.objects.filter(rating_value__isnull=False).aggregate(
        worst=Min("rating_value"), best=Max("rating_value")
    )
    return scale_bounds_of(bounds["worst"], bounds["best"])


def scale_bounds_subqueries() -> dict:
    """scale_bounds() as annotations `scale_worst` and `scale_best`, for a page that reads
    them in the same query as its claim (then pass them through scale_bounds_of)."""
    rated = VerdictRating.objects.filter(rating_value__isnull=False).values("rating_value")
    return {
        "scale_worst": Subquery(rated.order_by("rating_value")[:1]),
        "scale_best": Subquery(rated.order_by("-rating_value")[:1]),
    }


def scale_bounds_of(worst: int | None, best: int | None) -> tuple[int, int]:
    # A scale with no numeric ratings still gives aggregators a valid (if trivial) range.
    return worst or 1, best or 1


def organization_url() -> str:
    """The desk's home page: configured, else the configured site; never a placeholder."""
    return settings.FACTDESK_ORGANIZATION_URL or settings.FACTDESK_SITE_URL


def claim_review(
    claim: Claim, *, bounds: tuple[int, int], context: bool = True, language: str = ""
) -> dict:
    """One ClaimReview for a published claim, in `language` (default: the claim's own).

    Pass a claim as it reads in that language (claims.translations.claim_in): the review's
    url, claimReviewed and rating name are all in it, one review per language.
    Expects `claim.verdict`, `claim.article` and, for appearances, prefetched `evidence`
    with sources. Imported reviews keep their own url, author and date.
    """
    language = language or claim.language
    imported = claim.imported_review or {}
    # The review's own page is the page in its language (each language has its own address).
    with override(language if language in dict(settings.LANGUAGES) else get_language()):
        own_url = absolute_url(claim.get_absolute_url())
    review = {
        "@type": "ClaimReview",
        "url": imported.get("url") or own_url,
        # An imported review keeps its own wording; ours is shortened to 140 characters.
        # Shown as one line of plain text (search results): no bidi control may reorder it.
        "claimReviewed": strip_bidi_controls(
            _imported_text(imported, "claimReviewed") or claim.claim_reviewed
        ),
        "datePublished": imported.get("datePublished")
        or (claim.published_at.date().isoformat() if claim.published_at else None),
        "inLanguage": language,
        "author": imported.get("author")
        or {
            "@type": "Organization",
            "name": settings.FACTDESK_ORGANIZATION_NAME,
            **({"url": organization_url()} if organization_url() else {}),
        },
        "reviewRating": _rating(claim, bounds, language),
        "itemReviewed": _item_reviewed(claim),
    }
    if context:
        review = {"@context": "https://schema.org", **review}
    return {key: value for key, value in review.items() if value not in (None, "", [], {})}


def claim_reviews(claim: Claim, *, bounds: tuple[int, int]) -> list[dict]:
    """One ClaimReview per language the check is written in, each in that language (expects
    prefetched `translations`). An imported review stays the one review it was."""
    if claim.imported_review:
        return [claim_review(claim, bounds=bounds, context=False)]
    reviews, seen = [], set()
    own = claim.language.split("-")[0].lower()
    # The claim's own language first: the review as the desk wrote it, then its translations.
    for language in sorted(translations.languages_of(claim), key=lambda code: code != own):
        shown = translations.claim_in(claim, language)
        # A claim in a language the site has no pages in reads as written everywhere: one
        # review, in its own language.
        if shown is not None and shown.shown_language not in seen:
            seen.add(shown.shown_language)
            reviews.append(
                claim_review(shown, bounds=bounds, context=False, language=shown.shown_language)
            )
    return reviews


def _imported_text(imported: dict, key: str) -> str:
    value = imported.get(key)
    return value if isinstance(value, str) else ""


RATING_NUMBERS = ("ratingValue", "bestRating", "worstRating")


def _rating(claim: Claim, bounds: tuple[int, int], language: str) -> dict:
    rating = {"@type": "Rating"}
    verdict = claim.verdict
    if claim.imported_review:
        # Another organisation's review keeps its own numbers on its own scale (2 of 5 stays
        # 2 of 5): our 1-6 values would misstate what they published.
        rating["alternateName"] = claim.imported_rating or (
            verdict.label_in(language) if verdict else ""
        )
        given = claim.imported_review.get("reviewRating")
        given = given if isinstance(given, dict) else {}
        rating.update(
            (key, given[key])
            for key in RATING_NUMBERS
            if isinstance(given.get(key), int | float | str)
            and not isinstance(given[key], bool)
            and str(given[key]).strip()
        )
        return rating
    if verdict is None:
        rating["alternateName"] = claim.imported_rating
        return rating
    rating["alternateName"] = claim.imported_rating or verdict.label_in(language)
    if verdict.rating_value is not None:
        worst, best = bounds
        rating.update(ratingValue=verdict.rating_value, bestRating=best, worstRating=worst)
    return rating


def _item_reviewed(claim: Claim) -> dict:
    item = {"@type": "Claim"}
    author = _author(claim)
    if author:
        item["author"] = author
    date = claim.claimed_on or (claim.article.published_on if claim.article else None)
    if date:
        item["datePublished"] = date.isoformat()
    appearances = []
    if claim.article and claim.article.url:
        appearances.append(claim.article.url)
    appearances += [
        evidence.source.url for evidence in claim.evidence.all() if evidence.stance == Stance.ORIGIN
    ]
    if appearances:
        item["appearance"] = [
            {"@type": "CreativeWork", "url": url} for url in dict.fromkeys(appearances)
        ]
        item["firstAppearance"] = item["appearance"][0]
    return item


def _author(claim: Claim) -> dict | None:
    """itemReviewed.author: the name this claim credits, typed and identified by the claimant
    record when it links one (expects `claim.speaker` fetched with the claim)."""
    speaker = claim.speaker if claim.speaker_id else None
    name = claim.claimant or (speaker.name if speaker else "")
    if not name:
        return None
    organization = speaker.is_organization if speaker else claim.claimant_is_organization
    # Names stored before bidi controls were stripped on save may still hold some.
    author = {"@type": "Organization" if organization else "Person"}
    author["name"] = strip_bidi_controls(name)
    same_as = claim.claimant_url or (speaker.same_as if speaker else "")
    if same_as:
        author["sameAs"] = same_as
    return author


def data_feed(claims, *, bounds: tuple[int, int], feed_url: str = "") -> dict:
    """A schema.org DataFeed of ClaimReviews, the bulk format fact-check aggregators ingest.

    `claims` should be published claims with verdict, article and evidence→source prefetched.
    """
    items = []
    latest = None
    for claim in claims:
        modified = claim.updated_at
        latest = max(latest, modified) if latest else modified
        items.append(
            {
                "@type": "DataFeedItem",
                "dateCreated": claim.published_at.isoformat() if claim.published_at else None,
                "dateModified": modified.isoformat(),
                "item": claim_reviews(claim, bounds=bounds),
            }
        )
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.FACTDESK_ORGANIZATION_NAME} ClaimReview feed",
        "url": feed_url or None,
        "dateModified": latest.isoformat() if latest else None,
        "dataFeedElement": items,
    }
    return {key: value for key, value in feed.items() if value is not None}


def data_feed_page(claims, *, bounds: tuple[int, int], feed_url: str, next_url: str) -> dict:
    """data_feed() for one page of a harvest, with `next`: the address of the following page,
    present on every page. A page shorter than asked for means the harvest is up to date;
    its `next` is where the next harvest starts (it then lists only what changed since)."""
    feed = data_feed(claims, bounds=bounds, feed_url=feed_url)
    feed["next"] = next_url
    return feed


def feed_next_url(base_url: str, query, cursor) -> str:
    """The feed's address for the page after `cursor`, keeping the caller's page size."""
    params = {"page_size": query["page_size"]} if query.get("page_size") else {}
    if cursor is not None:
        params["after"] = str(cursor)
    return base_url + ("?" + urlencode(params) if params else "")
