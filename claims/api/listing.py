"""The claims API's list, written out by hand: the same JSON as ClaimSerializer and
DeskClaimSerializer give, at a fraction of the cost.

Why: DRF spent about 0.3 ms per claim on the list (a field object called per value, a nested
serializer per piece of evidence, a model instance per related row), so the list of 100
claims served 1-1.5 % of a trivial view's throughput uncached. Here the claims' relations come
as plain rows (`values_list`, three queries sent in one round trip) and each claim is one dict
built in one function. Times go through DRF's own fields, so the output is the serializers'
byte for byte: tests/api/test_claim_list_output.py compares the two on claims with every
relation filled, for anonymous callers and the desk. A field added to the serializers must be
added here too; that test fails until it is.
"""

from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import F, OuterRef, Subquery
from django.urls import NoReverseMatch
from rest_framework import serializers

from claims import visibility
from claims.claimreview import absolute_url
from claims.models import Claim, Correction, Evidence
from claims.permissions import allowed_transitions, transition_key
from lib.compiled_query import AnyOf, CompiledRows, rows_together

_datetime = serializers.DateTimeField().to_representation
_date = serializers.DateField().to_representation

# Placeholder slug for the claim page's address, built once per request (slugs are ASCII
# letters, digits, "-" and "_": reverse() escapes none of them).
_SLUG = "factdesk-slug-placeholder"

EVIDENCE_COLUMNS = (
    "claim_id",
    "id",
    "stance",
    "excerpt",
    "locator",
    "added_at",
    "note",
    "added_by__username",
    "source__id",
    "source__url",
    "source__title",
    "source__outlet__id",
    "source__outlet__name",
    "source__outlet__domain",
    "source__outlet__reliability",
    "source__authors",
    "source__published_on",
    "source__accessed_on",
    "source__language",
    "source__kind",
    "source__archive_url",
    "source__archived_at",
    "source__link_checked_at",
    "source__link_status_code",
    "source__updated_at",
)
CORRECTION_COLUMNS = (
    "claim_id",
    "id",
    "note",
    "previous_verdict__code",
    "new_verdict__code",
    "created_at",
)


def _when(value):
    return _datetime(value) if value else None


def _day(value):
    return _date(value) if value else None


# What the list reads across a to-one relation, as columns of the claims' own query: model
# instances of verdicts and claimants per claim cost more than the claims.
JOINED = {
    "verdict_code": "verdict__code",
    "speaker_slug": "speaker__slug",
    "speaker_name": "speaker__name",
    "speaker_kind": "speaker__kind",
}
# The desk's list names five people per claim: each a scalar subquery, not a join. PostgreSQL
# took 42 ms to plan the claims joined to five user tables (EXPLAIN ANALYZE: 0.5 ms to run);
# subqueries are planned one by one.
PEOPLE = ("assignee", "reviewer", "created_by", "submitted_by", "published_by")


def list_queryset(claims, *, desk: bool):
    """claim_queryset()'s claims as claims_data() reads them: related names as columns of the
    claims' own query, no prefetches (claims_data reads the relations), and without the
    imported ClaimReview and rendered rationale, which the list does not show."""
    joined = {name: F(path) for name, path in JOINED.items()}
    if desk:
        users = get_user_model().objects.order_by()
        for role in PEOPLE:
            holder = users.filter(pk=OuterRef(f"{role}_id")).values("username")[:1]
            joined[f"{role}_username"] = Subquery(holder)
    return (
        claims.select_related(None)
        .prefetch_related(None)
        .defer("imported_review", "rationale_html")
        .annotate(**joined)
    )


# The page's relations, compiled once per connection (lib/compiled_query.py).
_EVIDENCE = CompiledRows(
    lambda ids: (
        Evidence.objects.filter(AnyOf("claim_id", ids))
        .order_by("stance", "pk")
        .values_list(*EVIDENCE_COLUMNS)
    )
)
_CORRECTIONS = CompiledRows(
    lambda ids: (
        Correction.objects.filter(AnyOf("claim_id", ids))
        .order_by("-created_at", "-pk")
        .values_list(*CORRECTION_COLUMNS)
    )
)
_TOPICS = CompiledRows(
    lambda ids: (
        Claim.topics.through.objects.filter(AnyOf("claim_id", ids))
        .order_by("topic__name", "topic_id")
        .values_list("claim_id", "topic__slug")
    )
)


def _relations(ids: list[int]) -> list:
    """The page's evidence, corrections and topics, as rows, in one round trip."""
    using = router.db_for_read(Claim)
    return rows_together((_EVIDENCE, ids), (_CORRECTIONS, ids), (_TOPICS, ids), using=using)


def _evidence(rows, *, desk: bool) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for (
        claim_id,
        pk,
        stance,
        excerpt,
        locator,
        added_at,
        note,
        added_by,
        source_id,
        url,
        title,
        outlet_id,
        outlet_name,
        outlet_domain,
        outlet_reliability,
        authors,
        published_on,
        accessed_on,
        language,
        kind,
        archive_url,
        archived_at,
        link_checked_at,
        link_status_code,
        source_updated_at,
    ) in rows:
        outlet = None
        if outlet_id is not None:
            outlet = {
                "id": outlet_id,
                "name": outlet_name,
                "domain": outlet_domain,
                "reliability": outlet_reliability,
            }
        item = {
            "id": pk,
            "source": {
                "id": source_id,
                "url": url,
                "title": title,
                "outlet": outlet,
                "authors": authors,
                "published_on": _day(published_on),
                "accessed_on": _day(accessed_on),
                "language": language,
                "kind": kind,
                "archive_url": archive_url,
                "archived_at": _when(archived_at),
                "link_checked_at": _when(link_checked_at),
                "link_status_code": link_status_code,
                # Source.is_dead, on the row's values.
                "is_dead": link_status_code is not None and not 200 <= link_status_code < 400,
                "updated_at": _when(source_updated_at),
            },
            "stance": stance,
            "excerpt": excerpt,
            "locator": locator,
            "added_at": _when(added_at),
        }
        if desk:
            item["note"] = note
            item["added_by"] = added_by
        found.setdefault(claim_id, []).append(item)
    return found


def _corrections(rows) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for claim_id, pk, note, previous, new, created_at in rows:
        found.setdefault(claim_id, []).append(
            {
                "id": pk,
                "claim": claim_id,
                "note": note,
                "previous_verdict": previous,
                "new_verdict": new,
                "created_at": _when(created_at),
            }
        )
    return found


def _topics(ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    links = Claim.topics.through.objects.filter(claim_id__in=ids).order_by(
        "topic__name", "topic_id"
    )
    for claim_id, slug in links.values_list("claim_id", "topic__slug"):
        found.setdefault(claim_id, []).append(slug)
    return found


def _transitions(known: dict, user, claim) -> list[str]:
    """allowed_transitions(), worked out once per kind of claim on the page (most share a
    status and their people): each refusal builds a translated message, 700 for 100 claims."""
    key = transition_key(user, claim)
    if key not in known:
        known[key] = allowed_transitions(user, claim)
    return known[key]


def claims_data(claims: list[Claim], *, request, desk: bool) -> list[dict]:
    """The page's claims as the list serializer gives them (desk: DeskClaimSerializer).

    `claims` come from list_queryset(); their evidence, corrections and topics are read here."""
    ids = [claim.pk for claim in claims]
    if not ids:
        return []
    evidence_rows, correction_rows, topic_rows = _relations(ids)
    evidence = _evidence(evidence_rows, desk=desk)
    corrections = _corrections(correction_rows)
    topics = _topics(topic_rows)
    try:
        page_url = absolute_url(Claim(slug=_SLUG).get_absolute_url())
    except NoReverseMatch:  # pragma: no cover - the route always exists
        page_url = None
    data = []
    transitions = {}
    for claim in claims:
        item = {
            "id": claim.pk,
            "slug": claim.slug,
            "page_url": page_url.replace(_SLUG, claim.slug)
            if page_url and visibility.is_public(claim)
            else None,
            "claim_reviewed": claim.claim_reviewed,
            "quote": claim.quote,
            "speaker": {
                "id": claim.speaker_id,
                "slug": claim.speaker_slug,
                "name": claim.speaker_name,
                "kind": claim.speaker_kind,
            }
            if claim.speaker_id is not None
            else None,
            "claimant": claim.claimant,
            "claimant_is_organization": claim.claimant_is_organization,
            "claimant_url": claim.claimant_url,
            "attribution": claim.attribution,
            "claimed_on": _day(claim.claimed_on),
            "language": claim.language,
            "article": claim.article_id,
            "anchor": {
                "start": claim.anchor_start,
                "end": claim.anchor_end,
                "prefix": claim.anchor_prefix,
                "suffix": claim.anchor_suffix,
                "state": claim.anchor_state,
            },
            "parent": claim.parent_id,
            "canonical": claim.canonical_id,
            "topics": topics.get(claim.pk, []),
            "status": claim.status,
            "verdict": claim.verdict_code,
            "rationale": claim.rationale,
            "unpublished_reason": claim.unpublished_reason,
            "published_at": _when(claim.published_at),
            "updated_at": _when(claim.updated_at),
            "version": claim.version,
            "evidence": evidence.get(claim.pk, []),
            "corrections": corrections.get(claim.pk, []),
        }
        if desk:
            item.update(
                {
                    "assignee": claim.assignee_username,
                    "reviewer": claim.reviewer_username,
                    "created_by": claim.created_by_username,
                    "submitted_by": claim.submitted_by_username,
                    "published_by": claim.published_by_username,
                    "created_at": _when(claim.created_at),
                    "status_changed_at": _when(claim.status_changed_at),
                    "imported_rating": claim.imported_rating,
                    "needs_rating_mapping": claim.needs_rating_mapping,
                    "allowed_transitions": _transitions(transitions, request.user, claim),
                }
            )
        data.append(item)
    return data
