"""lib/compiled_query.py: querysets compiled once, run with fresh values, giving what the
ORM would."""

import gc
import threading
import weakref
from datetime import datetime

import pytest
from django.db import connection, connections
from django.db.models import Exists, OuterRef

from claims import services, visibility
from claims.models import Claim, Correction, Evidence
from lib.compiled_query import (
    AnyOf,
    CompiledQuery,
    CompiledRows,
    rows_together,
    run_together,
    set_prefetched,
)
from tests.factories import make_published_claim, verdict

pytestmark = pytest.mark.django_db

claim_by_slug = CompiledQuery(
    lambda slug: (
        visibility.public_claims()
        .with_public_relations()
        .annotate(has_corrections=Exists(Correction.objects.filter(claim=OuterRef("pk"))))
        .filter(slug=slug)
    )
)


@pytest.fixture
def published(fact_checker, editor):
    def _published(**fields):
        return make_published_claim(checker=fact_checker, editor=editor, **fields)

    return _published


def test_gives_what_the_orm_gives_with_relations_in_one_query(published, django_assert_num_queries):
    claim = published(quote="exports rose by 12 per cent")
    expected = Claim.objects.select_related("verdict", "article__outlet").get(pk=claim.pk)
    with django_assert_num_queries(1):  # the claim, its verdict, article and outlet: one join
        (found,) = claim_by_slug(slug=claim.slug)
        assert found.verdict.code == expected.verdict.code
        assert found.article.title == expected.article.title
        assert found.article.outlet == expected.article.outlet
    for field in Claim._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.has_corrections is False
    assert isinstance(found.published_at, datetime) and found.published_at.tzinfo is not None


def test_each_call_runs_with_its_own_values(published):
    first = published(quote="exports rose by 12 per cent")
    second = published(quote="Critics say the figures are wrong")
    assert [c.pk for c in claim_by_slug(slug=first.slug)] == [first.pk]
    assert [c.pk for c in claim_by_slug(slug=second.slug)] == [second.pk]
    assert claim_by_slug(slug="no-such-claim") == []


def test_a_value_is_a_parameter_never_sql(published):
    published()
    assert claim_by_slug(slug="x' OR '1'='1") == []
    assert claim_by_slug(slug='x" OR 1=1 --') == []


def test_sees_every_change_made_after_it_was_compiled(published, editor):
    """Compiled means the SQL is kept, never the rows: a corrected verdict shows at once."""
    claim = published(verdict_code="false")
    assert claim_by_slug(slug=claim.slug)[0].verdict.code == "false"
    services.claim_correct(
        claim=claim, actor=editor, note="New data.", verdict=verdict("mostly-true")
    )
    (found,) = claim_by_slug(slug=claim.slug)
    assert found.verdict.code == "mostly-true"
    assert found.has_corrections is True
    services.claim_unpublish(claim=found, actor=editor, reason="Under review again.")
    assert claim_by_slug(slug=claim.slug) == []


def test_set_prefetched_serves_the_relation_without_a_query(published, django_assert_num_queries):
    claim = published()
    evidence = list(Evidence.objects.filter(claim=claim))
    set_prefetched(claim, "evidence", evidence)
    with django_assert_num_queries(0):
        assert list(claim.evidence.all()) == evidence


def test_misuse_is_refused_with_a_reason(published):
    published()
    with pytest.raises(ValueError, match="prefetch_related"):
        CompiledQuery(lambda slug: Claim.objects.prefetch_related("evidence").filter(slug=slug))(
            slug="x"
        )
    with pytest.raises(ValueError, match="placeholders not found"):
        CompiledQuery(lambda slug: Claim.objects.filter(quote__icontains=slug))(slug="x")
    with pytest.raises(TypeError, match="expected values"):
        claim_by_slug(name="x")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepared statements")
def test_postgresql_plans_a_compiled_query_once_per_connection(published):
    claim = published()
    claim_by_slug(slug=claim.slug)
    claim_by_slug(slug="another")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "claims_claim"%"claims_claim"."slug" = $%'],
        )
        assert cursor.fetchone()[0] == 1


def test_queries_run_together_give_what_each_gives_alone(published, django_assert_num_queries):
    claim = published()
    evidence_of = CompiledQuery(
        lambda slug: Evidence.objects.filter(claim__slug=slug).select_related("source")
    )
    with django_assert_num_queries(2):  # sent together: one round trip on PostgreSQL
        claims, evidence = run_together(
            (claim_by_slug, {"slug": claim.slug}), (evidence_of, {"slug": claim.slug})
        )
    assert [c.pk for c in claims] == [c.pk for c in claim_by_slug(slug=claim.slug)]
    assert [e.source.url for e in evidence] == [
        e.source.url for e in Evidence.objects.filter(claim=claim)
    ]
    assert run_together((claim_by_slug, {"slug": "none"}), (evidence_of, {"slug": "none"})) == [
        [],
        [],
    ]


def test_rows_together_are_what_each_values_list_gives(published, editor):
    claim = published()
    other = published()
    services.claim_correct(
        claim=claim, actor=editor, note="Fixed.", verdict=verdict("true"), rationale="New."
    )
    evidence = CompiledRows(
        lambda ids: (
            Evidence.objects.filter(AnyOf("claim_id", ids))
            .order_by("pk")
            .values_list("claim_id", "added_at", "source__url")
        )
    )
    corrections = CompiledRows(
        lambda ids: Correction.objects.filter(AnyOf("claim_id", ids)).values_list(
            "claim_id", "created_at", "new_verdict__code"
        )
    )
    for ids in ([claim.pk, other.pk], [other.pk], [], [claim.pk]):  # compiled once, any ids
        found = rows_together((evidence, ids), (corrections, ids))
        assert found == [
            list(
                Evidence.objects.filter(claim_id__in=ids)
                .order_by("pk")
                .values_list("claim_id", "added_at", "source__url")
            ),
            list(
                Correction.objects.filter(claim_id__in=ids).values_list(
                    "claim_id", "created_at", "new_verdict__code"
                )
            ),
        ]
    assert found[1] and isinstance(found[1][0][1], datetime) and found[1][0][1].tzinfo


def test_a_threads_compiled_queries_go_with_its_connection():
    """Under runserver every request has its own thread and connection: what was compiled
    for one must not keep it alive."""
    connection_of_thread = []

    def request_in_a_thread():
        assert claim_by_slug(slug="nothing-here") == []
        connection_of_thread.append(weakref.ref(connections["default"]))
        connections.close_all()

    thread = threading.Thread(target=request_in_a_thread)
    thread.start()
    thread.join()
    gc.collect()
    assert connection_of_thread and connection_of_thread[0]() is None


def test_a_time_dependent_filter_is_refused_rather_than_frozen(published):
    from django.utils import timezone

    claim = published()
    recent = CompiledQuery(
        lambda slug: Claim.objects.filter(slug=slug, published_at__lte=timezone.now())
    )
    with pytest.raises(ValueError, match="current time"):
        recent(slug=claim.slug)


def test_every_page_query_compiles_under_the_contract(published):
    """The reader pages' own compiled queries: each builds the same SQL twice, and gives what
    the ORM gives (the selectors' tests compare their pages; here, that they compile)."""
    from claims import selectors

    claim = published()
    pages = {
        name: query for name, query in vars(selectors).items() if isinstance(query, CompiledQuery)
    }
    assert {"_page_claim", "_page_evidence", "_page_article"} <= set(pages)
    for name, query in pages.items():
        slug = claim.article.slug if "article" in name else claim.slug
        values = {query.names[0]: slug}
        assert isinstance(query(**values), list), name
