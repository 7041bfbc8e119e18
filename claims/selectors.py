"""Reads that cross relations, each fetching what its page shows in a fixed number of queries.

Only what readers may see ever leaves these functions: every public page starts from
claims/visibility.py.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection, connections, router, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from claimants.models import Claimant
from lib import keyset
from lib.compiled_query import CompiledQuery, run_together, set_prefetched
from sources.models import Outlet, Source

from . import caching, translations, visibility
from .choices import AnchorState
from .claimreview import claim_review, scale_bounds, scale_bounds_of, scale_bounds_subqueries
from .models import (
    Article,
    Claim,
    ClaimTranslation,
    Correction,
    Evidence,
    EvidenceTranslation,
    Sighting,
    Stance,
    Topic,
    VerdictRating,
    content_language,
)
from .repeats import Repeats, claim_repeats

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
    claimant: str = ""  # a claimant's slug
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
    # The verdict's and the claimant's ids as one-row subqueries (InitPlans), as the topic's:
    # the index walk then starts at the id. Joined on their code or slug instead, PostgreSQL
    # walked every published claim in the list's order, testing each against the join (a
    # verdict and a claimant with nothing in common: 594 ms at a million claims).
    verdict_id = None
    if filters.verdict:
        verdicts = VerdictRating.objects.filter(code=filters.verdict).order_by()
        verdict_id = Subquery(verdicts.values("pk")[:1])
        if not filters.topic:  # with a topic, the listing's copy of the verdict (_in_topic)
            claims = claims.filter(verdict_id=verdict_id)
    if filters.outlet:
        claims = claims.filter(article__outlet__domain=filters.outlet)
    if filters.language and not filters.topic:  # with a topic, the listing's copy
        claims = claims.filter(language=filters.language)
    speaker_id = None
    if filters.claimant:
        # From the index on (speaker, status, -published_at): any other filter is tested on
        # the claimant's claims only (11,905 of them, 2 ms, for the benchmark's busiest).
        speakers = Claimant.objects.filter(slug=filters.claimant).order_by()
        speaker_id = Subquery(speakers.values("pk")[:1])
        if not filters.topic:  # with a topic, the listing's copy of the claimant
            claims = claims.filter(speaker_id=speaker_id)
    # Dates as a range of instants (midnight in the site's time zone), not `published_at::date`:
    # a range is where the order index starts and stops its walk.
    dates = {}
    if filters.since:
        dates["published_at__gte"] = _midnight(filters.since)
    if filters.until and filters.until < date.max:  # (the last day there is ends nothing)
        dates["published_at__lt"] = _midnight(filters.until + timedelta(days=1))
    claims = claims.filter(**dates)
    if filters.topic:
        claims = _in_topic(
            claims,
            filters.topic,
            language=filters.language,
            verdict_id=verdict_id,
            speaker_id=speaker_id,
            dates=dates,
        )
    return claims


# The list's order: (moment, id) fields of the claims queryset, for ordering and cursors.
LIST_ORDER = ("published_at", "pk")
# A topic's list walks the topic's listing rows (TopicListing) in the list's order instead.
TOPIC_LIST_ORDER = ("listed_at", "listed_pk")


def _in_topic(claims, slug: str, *, language: str, verdict_id, speaker_id, dates: dict):
    """The claims of a topic, walked from the index on (topic, status[, language | verdict |
    speaker], -published_at, -claim) and then joined to their claims for any other filter: a
    page reads its 20 rows and stops, and two filters that match nothing together (a topic and
    a language, a verdict or a claimant) find that within the index, without reading a claim."""
    # The topic's id as a one-row subquery (an InitPlan), so the index walk starts at it; a
    # join to the topic table would make PostgreSQL sort the topic's claims instead.
    topic_id = Subquery(Topic.objects.filter(slug=slug).order_by().values("pk")[:1])
    # One filter() call: every condition on the same listing row (one join).
    on_listing = {"topic_listings__topic_id": topic_id}
    on_listing["topic_listings__status"] = visibility.PUBLIC_STATUS
    if language:
        on_listing["topic_listings__language"] = language
    if verdict_id is not None:
        # Not also on the claim (nor the language): PostgreSQL then hashed all the verdict's
        # claims to count a topic's (35 ms at a million claims), or joined all of a topic's
        # claims in a language and sorted them (30 ms), misjudging how few both would leave.
        on_listing["topic_listings__verdict_id"] = verdict_id
    if speaker_id is not None:
        on_listing["topic_listings__speaker_id"] = speaker_id
    for lookup, value in dates.items():
        on_listing[f"topic_listings__{lookup}"] = value
    return (
        claims.filter(**on_listing)
        # F() in alias() reuses the filter's join: the order is the listing row's.
        .alias(listed_at=F("topic_listings__published_at"), listed_pk=F("topic_listings__claim"))
        .order_by("-listed_at", "-listed_pk")
    )


def _list_order(filters: ClaimFilters) -> tuple[str, str]:
    return TOPIC_LIST_ORDER if filters.topic else LIST_ORDER


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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


# What a list page may cost the database at most. Every filter and order above has an index,
# and a topic with any other list filter walks TopicListing; but two other filters that each
# match many claims and none together (a verdict and an outlet, say) can still walk an index
# to its end: the page is refused (ListTooSlow) rather than let any reader spend that, and
# more as the desk grows. PostgreSQL only.
LIST_STATEMENT_TIMEOUT_MS = 400


class ListTooSlow(Exception):
    """The list's queries ran past LIST_STATEMENT_TIMEOUT_MS."""


def claim_list_page(filters: ClaimFilters, **options) -> ListPage:
    """One page of the claims list: by cursor (`after`/`before`, from the page's own links),
    by number (`page`), or the first. Raises keyset.BadCursor, PageOutOfReach or ListTooSlow."""
    using = router.db_for_read(Claim)
    if connections[using].vendor != "postgresql":
        return _claim_list_page(filters, **options)
    try:
        # set_config(..., true) is SET LOCAL: until the transaction ends, this page's only.
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            # No parallel workers either: a page reads a few dozen index entries, and starting
            # workers cost 6-11 ms before the first row at a million claims (EXPLAIN ANALYZE).
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true),"
                " set_config('max_parallel_workers_per_gather', '0', true)",
                [str(int(LIST_STATEMENT_TIMEOUT_MS))],
            )
            return _claim_list_page(filters, **options)
    except OperationalError as error:
        from psycopg.errors import QueryCanceled

        if isinstance(error.__cause__, QueryCanceled):
            raise ListTooSlow from error
        raise


def _claim_list_page(
    filters: ClaimFilters,
    *,
    reader_language: str = "en",
    page: int | None = None,
    after: str = "",
    before: str = "",
    size: int = LIST_PAGE_SIZE,
) -> ListPage:
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
            claims=translations.for_reader(rows[:size], reader_language),
            count=count,
            count_capped=capped,
            number=number,
            newer={"page": number - 1} if number > 1 else None,
            older={"page": number + 1} if len(rows) > size else None,
        )
    if after or before:
        cursor = keyset.Cursor.parse(after or before)
        field, tie = _list_order(filters)
        if after:
            rows = list(keyset.after(claims, field, cursor, descending=True, tie=tie)[: size + 1])
            more_older, more_newer = len(rows) > size, True
            rows = rows[:size]
        else:
            rows = list(keyset.after(claims, field, cursor, descending=False, tie=tie)[: size + 1])
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
        claims=translations.for_reader(rows, reader_language),
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
        # SQLite: every word must appear in the wording (in any of its languages), the quote
        # or the claimant.
        for word in text.split():
            claims = claims.filter(
                Q(claim_reviewed__icontains=word)
                | Q(quote__icontains=word)
                | Q(claimant__icontains=word)
                | Exists(
                    ClaimTranslation.objects.filter(
                        claim=OuterRef("pk"), claim_reviewed__icontains=word
                    )
                )
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
    # Read once, as ids: the page's count and its rows then both start from these (a
    # subquery would run the search twice, once per query: 2 x 35 ms for a common word in a
    # topic at a million claims).
    candidate_ids = list(candidates.values_list("pk", flat=True)[:SEARCH_CANDIDATES])
    return (
        published_claims()
        .filter(pk__in=candidate_ids)
        # F(): the stored vector itself; a field name would be parsed again from its text
        # (to_tsvector(search_vector::text)), 15 ms for 500 candidates.
        .annotate(rank=SearchRank(F("search_vector"), query))
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


# --- Claim page ---------------------------------------------------------------------------


@dataclass
class QuoteInContext:
    before: str
    quote: str
    after: str


@dataclass
class ClaimPage:
    claim: Claim
    evidence_groups: list[tuple[str, list[Evidence]]]
    corrections: list[Correction]
    topics: list[Topic]
    also_seen: list[Claim]
    context: QuoteInContext | None
    claim_review: dict
    last_modified: datetime
    # The site languages the check reads in, and the one this page shows it in: None when
    # the check is not written in the reader's language yet (the page then says so).
    languages: list[str] = field(default_factory=list)
    language: str | None = None
    # "Repeated N times since we checked it" and its timeline (claims/repeats.py).
    repeats: Repeats | None = None


# The claim page's queries, compiled once (lib/compiled_query.py): building them cost the
# page more than running them. The claim and its evidence are asked for together (one round
# trip on PostgreSQL). Most claims have no corrections, topics or other sightings: the claim's
# query says which, so a typical page makes two queries.
_page_claim = CompiledQuery(
    lambda slug: (
        visibility.public_claims()
        .with_public_relations()
        .defer("search_vector")
        .annotate(
            has_sightings=Exists(visibility.public_claims().filter(canonical=OuterRef("pk"))),
            has_corrections=Exists(Correction.objects.filter(claim=OuterRef("pk"))),
            has_topics=Exists(Claim.topics.through.objects.filter(claim=OuterRef("pk"))),
            has_translations=Exists(ClaimTranslation.objects.filter(claim=OuterRef("pk"))),
            # An index probe; the timeline's query runs only for a claim said again.
            has_repeats=Exists(Sighting.objects.counted().filter(claim=OuterRef("pk"))),
            **scale_bounds_subqueries(),
        )
        .filter(slug=slug)
    )
)
_page_evidence = CompiledQuery(
    lambda slug: (
        Evidence.objects.filter(claim__slug=slug)
        .select_related("source__outlet")
        .order_by("stance", "added_at", "pk")
    )
)
_page_corrections = CompiledQuery(
    lambda slug: Correction.objects.filter(claim__slug=slug).select_related(
        "previous_verdict", "new_verdict"
    )
)
_page_topics = CompiledQuery(lambda slug: Topic.objects.filter(claims__slug=slug))
_page_translations = CompiledQuery(
    lambda slug: ClaimTranslation.objects.filter(claim__slug=slug).order_by("language")
)


def claim_page_data(slug: str, language: str = "") -> ClaimPage:
    """A published claim and all its page shows in `language` (default: the reader's), in
    two to seven queries (Http404 otherwise)."""
    claims, evidence = run_together((_page_claim, {"slug": slug}), (_page_evidence, {"slug": slug}))
    if not claims:
        raise Http404("No published claim here.")
    language = language or get_language()
    claim = claims[0]
    # Most claims are in one language: the claim's query says whether to ask for others.
    translated = _page_translations(slug=slug) if claim.has_translations else []
    set_prefetched(claim, "translations", translated)
    languages = translations.languages_of(claim)
    shown = translations.claim_in(claim, language)
    if shown is None:
        # Not written in the reader's language yet: the page says where it can be read.
        return ClaimPage(
            claim=claim,
            evidence_groups=[],
            corrections=[],
            topics=[],
            also_seen=[],
            context=None,
            claim_review={},
            last_modified=claim.updated_at,
            languages=languages,
        )
    claim = shown
    if evidence and language != content_language(claim.language):
        # The notes in the page's language: one more query, on translated pages only.
        prefetch_related_objects(
            evidence,
            Prefetch("translations", EvidenceTranslation.objects.filter(language=language)),
        )
        evidence = translations.notes_in(evidence, language, own_language=claim.language)
    set_prefetched(claim, "evidence", evidence)  # claim_review() reads claim.evidence.all()
    corrections = _page_corrections(slug=slug) if claim.has_corrections else []
    changes = [claim.updated_at, *(item.created_at for item in corrections)]
    changes += [item.source.updated_at for item in evidence]
    bounds = scale_bounds_of(claim.scale_worst, claim.scale_best)
    return ClaimPage(
        claim=claim,
        evidence_groups=_group_by_stance(evidence),
        corrections=corrections,
        topics=_page_topics(slug=slug) if claim.has_topics else [],
        also_seen=also_seen_in(claim) if claim.canonical_id or claim.has_sightings else [],
        context=quote_in_context(claim),
        claim_review=claim_review(claim, bounds=bounds, language=claim.shown_language),
        last_modified=max(changes),
        languages=languages,
        language=claim.shown_language,
        repeats=_repeats_since_checked(claim) if claim.has_repeats else None,
    )


def _repeats_since_checked(claim: Claim) -> Repeats | None:
    # Sightings said before the check was published do not show: None when only those exist.
    repeats = claim_repeats(claim)
    return repeats if repeats.total else None


def _group_by_stance(evidence: list[Evidence]) -> list[tuple[str, list[Evidence]]]:
    groups = []
    for stance in Stance:
        items = [item for item in evidence if item.stance == stance]
        if items:
            groups.append((stance.label, items))
    return groups


def also_seen_in(claim: Claim) -> list[Claim]:
    """Other published sightings of the same claim: those sharing its canonical root."""
    root = claim.canonical_id or claim.pk
    return list(
        visibility.public_claims()
        .filter(Q(pk=root) | Q(canonical_id=root))
        .exclude(pk=claim.pk)
        .with_public_relations()
        .order_by("published_at")
    )


def quote_in_context(claim: Claim) -> QuoteInContext | None:
    """The claim's sentence inside its paragraph of the article, when it is anchored."""
    article = claim.article
    if (
        article is None
        or claim.anchor_start is None
        or claim.anchor_state not in (AnchorState.EXACT, AnchorState.FUZZY)
    ):
        return None
    text, start, end = article.text, claim.anchor_start, claim.anchor_end
    breaks = list(PARAGRAPH_BREAK.finditer(text))
    para_start = max((m.end() for m in breaks if m.end() <= start), default=0)
    para_end = min((m.start() for m in breaks if m.start() >= end), default=len(text))
    # A very long paragraph is clipped around the quote, at word boundaries.
    room = max(0, (CONTEXT_MAX_CHARS - (end - start)) // 2)
    before_start = max(para_start, start - room)
    after_end = min(para_end, end + room)
    before = text[before_start:start]
    after = text[end:after_end]
    if before_start > para_start:
        before = "…" + before.split(" ", 1)[-1]
    if after_end < para_end:
        after = after.rsplit(" ", 1)[0] + "…"
    return QuoteInContext(before=before, quote=text[start:end], after=after)


# --- Article page -------------------------------------------------------------------------


@dataclass
class Piece:
    """A run of article text and the checks (numbers) whose anchors cover it."""

    text: str
    checks: list[int] = field(default_factory=list)
    innermost: Claim | None = None
    innermost_number: int | None = None
    markers: list[tuple[int, Claim]] = field(default_factory=list)


@dataclass
class ArticlePage:
    article: Article
    checks: list[Claim]  # anchored, in reading order; check N is checks[N - 1]
    unanchored: list[Claim]
    paragraphs: list[list[Piece]]
    last_modified: datetime


_page_article = CompiledQuery(
    lambda slug: Article.objects.select_related("outlet").filter(slug=slug)
)
_page_article_claims = CompiledQuery(
    lambda slug: (
        visibility.public_claims()
        .filter(article__slug=slug)
        .select_related("verdict", "speaker")
        .defer("search_vector")
        .order_by("anchor_start", "-anchor_end", "pk")
    )
)


def article_page_data(slug: str) -> ArticlePage:
    """An article with its published claims (in the reader's language where translated), in
    three queries. Http404 unless at least one of its claims is published: the desk's work in
    progress never shows."""
    articles, claims = run_together(
        (_page_article, {"slug": slug}), (_page_article_claims, {"slug": slug})
    )
    if not articles:
        raise Http404("No such article.")
    article = articles[0]
    if not claims:
        raise Http404("No published checks on this article.")
    claims = translations.for_reader(claims, get_language())
    for claim in claims:
        claim.article = article
    length = len(article.text)
    checks = [
        claim
        for claim in claims
        if claim.anchor_start is not None
        and claim.anchor_state != AnchorState.ORPHANED
        and claim.anchor_end <= length
    ]
    return ArticlePage(
        article=article,
        checks=checks,
        unanchored=[claim for claim in claims if claim not in checks],
        paragraphs=article_paragraphs(article.text, checks),
        last_modified=max([article.updated_at, *(claim.updated_at for claim in claims)]),
    )


def article_paragraphs(text: str, checks: list[Claim]) -> list[list[Piece]]:
    """Split the text into paragraphs of pieces, cut wherever a check starts or ends.

    Anchors may overlap or nest: each piece knows every check covering it (numbered in
    reading order) and the innermost one, which gives its colour. A check's marker follows
    the last piece it covers.
    """
    numbered = list(enumerate(checks, start=1))
    separators = [(m.start(), m.end()) for m in PARAGRAPH_BREAK.finditer(text)]
    cuts = {0, len(text)}
    for claim in checks:
        cuts.update((claim.anchor_start, claim.anchor_end))
    for start, end in separators:
        cuts.update((start, end))
    positions = sorted(cuts)
    paragraphs: list[list[Piece]] = [[]]
    marked: set[int] = set()
    for start, end in pairwise(positions):
        if any(s <= start and end <= e for s, e in separators):
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        covering = [
            (number, claim)
            for number, claim in numbered
            if claim.anchor_start <= start and end <= claim.anchor_end
        ]
        piece = Piece(text[start:end], checks=[number for number, _ in covering])
        if covering:
            piece.innermost_number, piece.innermost = min(
                covering, key=lambda c: c[1].anchor_end - c[1].anchor_start
            )
        for number, claim in numbered:
            if number not in marked and claim.anchor_start < end and claim.anchor_end <= end:
                piece.markers.append((number, claim))
                marked.add(number)
        paragraphs[-1].append(piece)
    return [paragraph for paragraph in paragraphs if paragraph]


# --- Sources, outlets, corrections, methodology -------------------------------------------


def source_page_data(pk: int) -> tuple[Source, list[Evidence]]:
    """A source cited by at least one published claim, and those citations (two queries)."""
    source = Source.objects.select_related("outlet").filter(pk=pk).first()
    if source is None:
        raise Http404("No such source.")
    citations = list(
        visibility.public_evidence()
        .filter(source=source)
        .select_related("claim__verdict")
        .order_by("-claim__published_at", "pk")
    )
    if not citations:
        raise Http404("This source is not cited by any published check.")
    return source, citations


def outlet_page_data(domain: str) -> tuple[Outlet, list[Source], list[Claim]]:
    """An outlet, its sources cited by published claims (with the citing claims), and its
    articles' published claims. Http404 when none: unchecked outlets are the desk's business."""
    outlet = Outlet.objects.filter(domain=domain).first()
    if outlet is None:
        raise Http404("No such outlet.")
    sources = list(
        visibility.public_sources()
        .filter(outlet=outlet)
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=visibility.public_evidence()
                .select_related("claim__verdict")
                .order_by("-claim__published_at"),
                to_attr="public_citations",
            )
        )
        .order_by("title", "pk")
    )
    claims = list(published_claims().filter(article__outlet=outlet)[:50])
    if not sources and not claims:
        raise Http404("No published check involves this outlet.")
    return outlet, sources, claims


def public_corrections():
    """Corrections of claims that are published now, newest first."""
    return visibility.public_corrections().select_related(
        "claim", "previous_verdict", "new_verdict"
    )


def verdict_scale():
    """The active verdict scale with how many published claims carry each rating."""
    # An aggregate drops Meta.ordering, so the scale's order is asked for again.
    return (
        VerdictRating.objects.filter(is_active=True)
        .annotate(
            published_count=Count("claims", filter=visibility.public_claim_condition("claims__"))
        )
        .order_by("order")
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
FEED_PAGE_SIZE = 50  # by default; `page_size` may ask for up to FEED_MAX_PAGE_SIZE
FEED_MAX_PAGE_SIZE = 100


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
                size = min(int(raw), FEED_MAX_PAGE_SIZE)
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
    claims = visibility.public_claims().with_public_relations().defer("search_vector")
    start = request.after
    if start is None and request.modified_since is not None:
        start = keyset.Cursor(request.modified_since, 0)
    if start is not None:
        claims = keyset.after(claims, "updated_at", start, descending=False)
    else:
        claims = claims.order_by("updated_at", "pk")
    rows = list(claims[: request.size])
    # The page's evidence in one query, handed to each claim (prefetch_related would build a
    # filtered queryset per claim, a fifth of the page's cost).
    evidence: dict[int, list] = {}
    page_evidence = Evidence.objects.filter(claim_id__in=[row.pk for row in rows])
    for item in page_evidence.select_related("source").order_by("stance", "added_at", "pk"):
        evidence.setdefault(item.claim_id, []).append(item)
    # Likewise their translations: the feed holds one review per language of each check.
    translated: dict[int, list] = {}
    for item in ClaimTranslation.objects.filter(claim_id__in=[row.pk for row in rows]):
        translated.setdefault(item.claim_id, []).append(item)
    for row in rows:
        set_prefetched(row, "evidence", evidence.get(row.pk, []))
        set_prefetched(row, "translations", translated.get(row.pk, []))
    following = keyset.Cursor.of(rows[-1], "updated_at") if rows else start
    return FeedPage(claims=rows, next=following, bounds=scale_bounds())


# --- Index of checked articles ------------------------------------------------------------


def checked_articles():
    """Articles with at least one published check, the most recently checked first, each with
    `checks` (how many are published) and `checked_at`: one query per page."""
    published = visibility.public_claim_condition("claims__")
    return (
        visibility.public_articles()
        .select_related("outlet")
        .annotate(
            checks=Count("claims", filter=published),
            checked_at=Max("claims__published_at", filter=published),
        )
        .only("slug", "title", "language", "published_on", "outlet__name", "outlet__domain")
        .order_by("-checked_at", "-pk")
    )
