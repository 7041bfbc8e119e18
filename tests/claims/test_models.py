import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Claim, Evidence, VerdictRating
from tests.factories import ARTICLE_TEXT, ArticleFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db


def test_claim_is_anchored_at_the_exact_offsets_of_its_quote():
    claim = make_claim(quote="exports rose by 12 per cent")
    start = ARTICLE_TEXT.index("exports rose by 12 per cent")
    assert (claim.anchor_start, claim.anchor_end) == (start, start + len(claim.quote))
    assert claim.article.text[claim.anchor_start : claim.anchor_end] == claim.quote
    assert claim.anchor_prefix.endswith("According to Reuters, ")
    assert claim.anchor_suffix.startswith(". Critics")
    assert claim.anchored_revision.number == 1


def test_quote_missing_from_the_article_is_refused_with_a_field_error():
    article = ArticleFactory()
    with pytest.raises(ValidationError) as error:
        make_claim(article=article, quote="exports fell by 40 per cent")
    assert "quote" in error.value.message_dict
    assert not Claim.objects.exists()


def test_repeated_quote_needs_a_start_position():
    article = ArticleFactory(text="Prices rose. Wages fell. Prices rose.")
    with pytest.raises(ValidationError, match="appears 2 times"):
        make_claim(article=article, quote="Prices rose")
    second = make_claim(article=article, quote="Prices rose", anchor_start=25)
    assert second.anchor_start == 25


def test_anchor_position_that_does_not_hold_the_quote_is_invalid():
    claim = make_claim(quote="exports rose by 12 per cent")
    claim.anchor_start += 1
    claim.anchor_end += 1
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "quote" in error.value.message_dict


def test_database_refuses_an_anchor_that_ends_before_it_starts():
    claim = make_claim()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(anchor_start=10, anchor_end=5)


def test_short_wording_is_limited_to_140_characters():
    with pytest.raises(ValidationError) as error:
        make_claim(claim_reviewed="x" * 141)
    assert "claim_reviewed" in error.value.message_dict


def test_claim_slugs_stay_unique():
    article = ArticleFactory(text="Prices rose. Prices rose again.")
    first = make_claim(article=article, quote="Prices rose.", claim_reviewed="Prices rose")
    second = make_claim(article=article, quote="Prices rose again.", claim_reviewed="Prices rose")
    assert first.slug == "prices-rose"
    assert second.slug == "prices-rose-2"


def test_one_evidence_per_claim_source_and_stance():
    claim = make_claim()
    source = SourceFactory()
    Evidence.objects.create(claim=claim, source=source, stance="refutes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=claim, source=source, stance="refutes")
    Evidence.objects.create(claim=claim, source=source, stance="context")


def test_default_verdict_scale_is_ordered_worst_to_best_with_unverifiable_off_scale():
    scale = list(VerdictRating.objects.all())
    assert [r.code for r in scale] == [
        "true",
        "mostly-true",
        "mixed",
        "misleading",
        "mostly-false",
        "false",
        "unverifiable",
    ]
    values = [r.rating_value for r in scale if r.rating_value is not None]
    assert values == sorted(values, reverse=True)
    assert min(values) == 1
    unverifiable = scale[-1]
    assert unverifiable.rating_value is None and unverifiable.requires_methods_note


def test_verdict_labels_follow_the_active_language():
    from django.utils import translation

    false = VerdictRating.objects.get(code="false")
    with translation.override("it"):
        assert false.label == "Falso"
    with translation.override("en"):
        assert false.label == "False"
    assert "pants on fire" in false.alias_set()


def test_rating_values_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        VerdictRating.objects.create(
            code="dup",
            label_en="Dup",
            label_it="Dup",
            description_en="",
            description_it="",
            rating_value=1,
            colour="#000000",
            order=99,
        )


def test_the_rendered_rationale_follows_every_change_to_the_rationale(fact_checker):
    claim = make_claim()
    assert claim.rationale_html == ""
    claim = services.claim_update(
        claim=claim, actor=fact_checker, rationale="# Findings\n\n**No**: <script>x()</script>"
    )
    claim.refresh_from_db()
    # Rendered, cleaned, and kept below the page's own headings (claims/markdown.py).
    assert "<h3>Findings</h3>" in claim.rationale_html
    assert "<strong>No</strong>" in claim.rationale_html
    assert "<script>" not in claim.rationale_html
    claim.rationale = "Now *this*."
    claim.save(update_fields=["rationale"])
    claim.refresh_from_db()
    assert claim.rationale_html == "<p>Now <em>this</em>.</p>"


def test_the_migration_renders_the_rationales_already_stored():
    from django.apps import apps

    render_rationales = importlib.import_module(
        "claims.migrations.0005_claim_rationale_html"
    ).render_rationales
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(rationale="Plain *words*.", rationale_html="")
    render_rationales(apps, None)
    claim.refresh_from_db()
    assert claim.rationale_html == "<p>Plain <em>words</em>.</p>"
