"""Reads that cross relations, each fetching what its page shows in a fixed number of queries.

Only what readers may see ever leaves these functions: every public page starts from
claims/visibility.py.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from lib import keyset
from sources.models import Outlet

from . import caching, visibility
from .claimreview import scale_bounds
from .models import Evidence, Topic, VerdictRating

CONTEXT_MAX_CHARS = 600
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SEARCH_CONFIGS = {"it": "italian", "en": "english"}


def published_claims():
    return visibility.public_claims().with_public_relations().order_by("-published_at", "-pk")


# --- Claims list and search ---------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFilters:
    q: str = ""
    verdict: str = ""
    topic: str = ""
    outlet: str = ""
    language: str = ""
    since: date | None = None
    until: date | None = None


def claim_list(filters: ClaimFilters, *, reader_language: str = "en"):
    """Published claims matching the filters: newest first, or best match first for a search
    (ranked among the SEARCH_CANDIDATES newest matches)."""
    claims = _filtered(filters)
    if filters.q.strip():
        claims = _search(claims, filters.q.strip(), reader_language)
    return claims


def _filtered(filters: ClaimFilters):
    claims = published_claims()
    if filters.verdict:
        claims = claims.filter(verdict__code=filters.verdict)
    if filters.topic:
        claims = claims.filter(topics__slug=filters.topic)
    if filters.outlet:
        claims = claims.filter(article__outlet__domain=filters.outlet)
    if filters.language:
        claims = claims.filter(language=filters.language)
    if filters.since:
        claims = claims.filter(published_at__date__gte=filters.since)
    if filters.until:
        claims = claims.filter(published_at__date__lte=filters.until)
    return claims


# A list page is bounded whatever the desk's size: keyset links walk the order index from a
# cursor; numbered pages (?page=N, links from before keyset pages) skip at most
# MAX_NUMBERED_PAGE pages through the index only; the count stops at COUNT_LIMIT ("more than
# 1,000"); a search ranks only its SEARCH_CANDIDATES newest matches.
LIST_PAGE_SIZE = 20
MAX_NUMBERED_PAGE = 500
COUNT_LIMIT = 1000
SEARCH_CANDIDATES = 500


class PageOutOfReach(Exception):
    """A numbered page deeper than MAX_NUMBERED_PAGE."""


@dataclass
class ListPage:
    claims: list
    count: int  # at most COUNT_LIMIT; `count_capped` says there are more
    count_capped: bool
    number: int | None = None  # the numbered page shown, if one was asked for
    newer: dict | None = None  # query parameters of the neighbouring pages, None at an end
    older: dict | None = None


def claim_list_page(
    filters: ClaimFilters,
    *,
    reader_language: str = "en",
    page: int | None = None,
    after: str = "",
    before: str = "",
    size: int = LIST_PAGE_SIZE,
) -> ListPage:
    """One page of the claims list: by cursor (`after`/`before`, from the page's own links),
    by number (`page`), or the first. Raises keyset.BadCursor or PageOutOfReach."""
    claims = claim_list(filters, reader_language=reader_language)
    count = claims.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    capped = count > COUNT_LIMIT
    count = min(count, COUNT_LIMIT)
    if filters.q.strip():
        # Ranked results have no cursor order: numbered pages within the bounded candidates.
        number = page or 1
        if number > -(-SEARCH_CANDIDATES // size):
            raise PageOutOfReach
        rows = list(claims[(number - 1) * size : number * size + 1])
        return ListPage(
            claims=rows[:size],
            count=count,
            count_capped=capped,
            number=number,
            newer={"page": number - 1} if number > 1 else None,
            older={"page": number + 1} if len(rows) > size else None,
        )
    if after or before:
        cursor = keyset.Cursor.parse(after or before)
        if after:
            rows = list(keyset.after(claims, "published_at", cursor, descending=True)[: size + 1])
            more_older, more_newer = len(rows) > size, True
            rows = rows[:size]
        else:
            rows = list(keyset.after(claims, "published_at", cursor, descending=False)[: size + 1])
            more_older, more_newer = True, len(rows) > size
            rows = rows[:size][::-1]
        number = None
    elif page and page > 1:
        if page > MAX_NUMBERED_PAGE:
            raise PageOutOfReach
        # Skip through the index only (ids), then fetch the page's rows by id.
        offset = (page - 1) * size
        ids = claims.values("pk")[offset : offset + size + 1]
        rows = list(claims.filter(pk__in=list(ids.values_list("pk", flat=True))))
        more_older, more_newer, number = len(rows) > size, True, page
        rows = rows[:size]
    else:
        rows = list(claims[: size + 1])
        more_older, more_newer, number = len(rows) > size, False, 1
        rows = rows[:size]
    return ListPage(
        claims=rows,
        count=count,
        count_capped=capped,
        number=number,
        newer={"before": str(keyset.Cursor.of(rows[0], "published_at"))}
        if rows and more_newer
        else None,
        older={"after": str(keyset.Cursor.of(rows[-1], "published_at"))}
        if rows and more_older
        else None,
    )


def _search(claims, text: str, reader_language: str):
    if connection.vendor != "postgresql":
        # SQLite: every word must appear in the wording, the quote or the claimant.
        for word in text.split():
            claims = claims.filter(
                Q(claim_reviewed__icontains=word)
                | Q(quote__icontains=word)
                | Q(claimant__icontains=word)
            )
        return claims.order_by("-published_at", "-pk")
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # The vector is built in each claim's own language; the query is stemmed both in the
    # reader's language and in Italian and English (the desk's languages), and as plain words
    # for names (claimants are indexed with the 'simple' configuration).
    configs = dict.fromkeys(
        [SEARCH_CONFIGS.get(reader_language[:2], "simple"), "italian", "english", "simple"]
    )
    query = None
    for config in configs:
        part = SearchQuery(text, config=config, search_type="websearch")
        query = part if query is None else query | part
    # Ranking reads every match's vector: only the newest SEARCH_CANDIDATES matches are ranked,
    # so a search for common words costs what a rare one does.
    candidates = claims.filter(search_vector=query).order_by("-published_at", "-pk")
    candidate_ids = candidates.values("pk")[:SEARCH_CANDIDATES]
    return (
        published_claims()
        .filter(pk__in=candidate_ids)
        .annotate(rank=SearchRank("search_vector", query))
        .order_by("-rank", "-published_at", "-pk")
    )


@dataclass
class FilterChoices:
    verdicts: list
    topics: list
    outlets: list
    languages: list


CHOICES_CACHE_KEY = "factdesk:list-choices:{version}"


def claim_filter_choices() -> FilterChoices:
    """What the list's filters offer: only values that lead to at least one published claim.

    Kept in the cache under the pages version (claims/caching.py), which every change a reader
    could see bumps, so they are worked out once per change instead of once per request."""
    version = caching.pages_version()
    if version is None:
        return _filter_choices()
    key = CHOICES_CACHE_KEY.format(version=version)
    choices = cache.get(key)
    if choices is None:
        choices = _filter_choices()
        cache.set(key, choices, timeout=settings.FACTDESK_PAGE_CACHE_SECONDS or 600)
    return choices


_LANGUAGES_SQL = """
WITH RECURSIVE found(language) AS (
    SELECT MIN(language) FROM claims_claim WHERE status = %s
    UNION ALL
    SELECT (SELECT MIN(language) FROM claims_claim WHERE status = %s AND language > found.language)
    FROM found WHERE found.language IS NOT NULL
)
SELECT language FROM found WHERE language IS NOT NULL
"""


def _filter_choices() -> FilterChoices:
    # Each value of the small tables is asked "is there one published claim?", an index probe
    # that stops at the first one. A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL
    # turns EXISTS into a join over every published claim (0.27 s at a million).
    published = visibility.public_claims().order_by()

    def used(rows, path: str):
        first = published.filter(**{path: OuterRef("pk")}).values("pk")[:1]
        return rows.alias(first_claim=Subquery(first)).filter(first_claim__isnull=False)

    with connection.cursor() as cursor:
        # Languages have no table: hop from one to the next along the language index.
        cursor.execute(_LANGUAGES_SQL, [visibility.PUBLIC_STATUS, visibility.PUBLIC_STATUS])
        languages = [row[0] for row in cursor.fetchall()]
    return FilterChoices(
        verdicts=list(used(VerdictRating.objects.all(), "verdict")),
        topics=list(used(Topic.objects.all(), "topics")),
        outlets=list(used(Outlet.objects.order_by("name"), "article__outlet")),
        languages=languages,
    )


def _moment(raw: str) -> datetime | None:
    """An ISO 8601 date or date-time (UTC when it names no offset), or None."""
    try:
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except ValueError:
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


# --- ClaimReview feed ---------------------------------------------------------------------

# A harvest is a walk in the order claims last changed, oldest change first: an aggregator
# that keeps the `next` link of its last page asks next time for what changed since then.
FEED_PAGE_SIZE = 100


@dataclass(frozen=True)
class FeedRequest:
    after: keyset.Cursor | None = None
    modified_since: datetime | None = None
    size: int = FEED_PAGE_SIZE

    @classmethod
    def from_query(cls, query) -> "tuple[FeedRequest, dict[str, list[str]]]":
        """The feed's query parameters (`after`, `modified_since`, `page_size`), and a message
        per parameter that is wrong."""
        errors, after, since, size = {}, None, None, FEED_PAGE_SIZE
        # Present but empty is as wrong as malformed: no link of ours has it.
        if "after" in query:
            raw = query["after"]
            try:
                after = keyset.Cursor.parse(raw)
            except keyset.BadCursor:
                errors["after"] = [_("Not a cursor from this feed: use its `next` link.")]
        if "modified_since" in query:
            since = _moment(query["modified_since"])
            if since is None:
                errors["modified_since"] = [
                    _("An ISO 8601 date or date and time, e.g. 2026-01-31T12:00:00Z.")
                ]
        if raw := query.get("page_size", ""):
            # As the API's lists: more than the most gets the most.
            if raw.isascii() and raw.isdigit() and int(raw) >= 1:
                size = min(int(raw), FEED_PAGE_SIZE)
            else:
                errors["page_size"] = [_("A whole number of 1 or more.")]
        return cls(after=after, modified_since=since, size=size), errors


@dataclass
class FeedPage:
    claims: list
    next: keyset.Cursor | None  # where the next page (or harvest) starts; None: from the start
    bounds: tuple[int, int]


def claimreview_feed_page(request: FeedRequest) -> FeedPage:
    """One page of published claims for the ClaimReview feed: at most `size`, in a fixed number
    of queries, read from the (status, updated_at, id) index."""
    claims = (
        visibility.public_claims()
        .with_public_relations()
        .defer("search_vector")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("source")))
    )
    start = request.after
    if start is None and request.modified_since is not None:
        start = keyset.Cursor(request.modified_since, 0)
    if start is not None:
        claims = keyset.after(claims, "updated_at", start, descending=False)
    else:
        claims = claims.order_by("updated_at", "pk")
    rows = list(claims[: request.size])
    following = keyset.Cursor.of(rows[-1], "updated_at") if rows else start
    return FeedPage(claims=rows, next=following, bounds=scale_bounds())
