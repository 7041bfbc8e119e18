"""The desk's pages run a fixed number of queries however much data there is.

Each page is loaded at a small and a larger size; the count must not move, and stays under a
maximum whose queries are named below.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.services.sightings import sighting_record
from tests.admin.conftest import desk_user
from tests.factories import ArticleFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db

QUOTES = [
    "unemployment fell to 6.1% in 2023",
    "exports rose by 12 per cent",
    "the figures are wrong",
]


def grow_desk(size: int, checker, editor):
    """`size` articles, each with claims in several states, evidence, comments and events."""
    for _ in range(size):
        article = ArticleFactory()
        for quote in QUOTES:
            claim = make_claim(article=article, quote=quote, created_by=checker)
            claim = services.claim_start_research(claim=claim, actor=checker)
            services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
            services.comment_add(claim=claim, author=editor, body="Checked with @checker.")
            sighting_record(claim, sentence=f"{quote}, again.", url=article_url(article), score=0.8)


def article_url(article) -> str:
    return f"https://news.example.com/{article.slug}"


def grow_fact_checks(size: int):
    """`size` other organisations' fact-checks of the same claims, embedded."""
    from factchecks.embeddings import fact_checks_embed
    from factchecks.harvesting import fact_check_upsert

    found = []
    for n in range(size):
        for number, quote in enumerate(QUOTES):
            review = {
                "@type": "ClaimReview",
                "url": f"https://checks.example.org/{size}-{n}-{number}",
                "claimReviewed": quote,
                "author": {"name": "Example Checks"},
                "reviewRating": {"alternateName": "False"},
            }
            found.append(fact_check_upsert(review=review)[0])
    fact_checks_embed(found)


def grow_claim(claim, size: int, checker, editor):
    """One claim with `size` evidence rows, comments and assignment events."""
    other = desk_user(f"other{size}", "Fact-checkers")
    for n in range(size):
        services.evidence_add(claim=claim, source=SourceFactory(), stance="context", note=str(n))
        services.comment_add(claim=claim, author=checker, body=f"Note {n}")
        services.claim_assign(claim=claim, actor=editor, assignee=other if n % 2 else checker)
        sighting_record(claim, sentence=f"Said again, {size}-{n}.", score=0.9)


def count(client, url) -> int:
    client.get(url)  # warm the per-process caches (content types, sites)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The claim changelist, for an editor:
#  1 session, 2 user, 3-4 the user's permissions (user and group),
#  5 verdict filter choices, 6 assignee filter (people with claims), 7 article filter,
#  8 count of the filtered claims, 9 count of all claims, 10 the page of claims with their
#  verdict, assignee and article, 11 the language filter values.
CHANGELIST_MAX = 11


def test_claim_changelist_query_count_is_constant(
    client, fact_checker, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist")
    grow_desk(1, fact_checker, editor)
    small = count(client, url)
    grow_desk(4, fact_checker, editor)
    with django_assert_max_num_queries(CHANGELIST_MAX):
        client.get(url)
    assert count(client, url) == small


def test_claim_changelist_search_and_filters_query_count_is_constant(client, fact_checker, editor):
    client.force_login(editor)
    url = reverse("admin:claims_claim_changelist") + "?q=exports&status__exact=researching"
    grow_desk(1, fact_checker, editor)
    small = count(client, url)
    grow_desk(4, fact_checker, editor)
    assert count(client, url) == small


# The claim change page, for an editor:
#  1 session, 2 user, 3 the claim with its article, verdict, assignee, revision and the people
#  on its record, 4-5 permissions, 6-7 history for "recent changes" (versions, then records),
#  8 topics, 9 evidence with their sources, 10 desk members for the assign menu, 11 verdict
#  choices, 12 assignee choices, 13 the article named by the anchored revision's label,
#  14 corrections, 15 events with actors, 16 comments with authors, 17-20 "checked before?"
#  (the candidates' scores, the matching claims with their verdicts, the claim vectors, then
#  the claims found only by meaning: claims.matching), 21-25 other organisations' fact-checks
#  (by wording, their vectors in two keyset pages, the matching rows, the review URLs the claim
#  already cites: factchecks.matching and the panel), 26 the claim's translations for the
#  languages side by side (the translations inline, shown when the user may edit the text,
#  reads them once more), 27 the evidence notes' translations for the evidence table's note
#  fields, 28-29 the evidence with their sources and their notes' translations for the
#  languages side by side; on PostgreSQL, 30-33
#  the fact-checks' wording query's time limit (a savepoint, setting and resetting the limit,
#  the release); last, its sightings by status and the latest ones (the "Said again" panel;
#  one query for a claim never seen again); the readers' requests it was made of (tips/, one
#  query for a desk member who may see them): 31-32, or 35-36 on PostgreSQL.
CHANGE_FORM_MAX = 32 + (4 if connection.vendor == "postgresql" else 0)


def test_claim_change_form_query_count_is_constant(
    client, fact_checker, editor, django_assert_max_num_queries
):
    claim = make_claim(created_by=fact_checker)
    claim = services.claim_start_research(claim=claim, actor=fact_checker)
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    grow_claim(claim, 1, fact_checker, editor)
    # Other claims saying the same thing, so "checked before?" has matches at both sizes.
    grow_desk(1, fact_checker, editor)
    grow_fact_checks(1)
    small = count(client, url)
    grow_claim(claim, 5, fact_checker, editor)
    grow_desk(3, fact_checker, editor)
    grow_fact_checks(3)
    with django_assert_max_num_queries(CHANGE_FORM_MAX):
        client.get(url)
    assert count(client, url) == small


# The admin index with the desk dashboard:
#  1 session, 2 user, 3-4 permissions, 5 counts per status, 6 my claims, 7 claims waiting
#  for my review, 8 stuck claims, 9 orphaned claims, 10-11 the editors' alert (how many new
#  sightings, the latest ones with their claims), 12 recent admin actions.
INDEX_MAX = 12


def test_dashboard_query_count_is_constant(
    client, fact_checker, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    url = reverse("admin:index")
    grow_desk(1, fact_checker, editor)
    small = count(client, url)
    grow_desk(4, fact_checker, editor)
    with django_assert_max_num_queries(INDEX_MAX):
        client.get(url)
    assert count(client, url) == small


# The Sightings list (the editors' alert), for an editor:
#  1 session, 2 user, 3-4 permissions, 5 count of the filtered (new) sightings, 6 the page of
#  sightings with their claims.
SIGHTINGS_MAX = 6


def test_sightings_changelist_query_count_is_constant(
    client, fact_checker, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    url = reverse("admin:claims_sighting_changelist")
    grow_desk(1, fact_checker, editor)
    small = count(client, url)
    grow_desk(4, fact_checker, editor)
    with django_assert_max_num_queries(SIGHTINGS_MAX):
        client.get(url)
    assert count(client, url) == small
