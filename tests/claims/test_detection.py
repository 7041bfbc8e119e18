import json

import pytest
from django.core.management import CommandError, call_command

from claims.detection import (
    detect_claims,
    ranked,
    score_sentence,
    split_sentences,
)
from claims.detection_eval import evaluate, load_eval_set
from tests.factories import ArticleFactory


def test_sentences_keep_exact_offsets_and_skip_abbreviations_and_decimals():
    text = "Mr. Smith said GDP grew 2.5% in 2023. Is that true?\n\nA heading"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Mr. Smith said GDP grew 2.5% in 2023.",
        "Is that true?",
        "A heading",
    ]


def test_figures_attributions_and_quotes_are_proposed_with_reasons():
    text = (
        "According to Reuters, exports rose by 12 per cent in 2023. "
        "We think this is a wonderful time to be alive. "
        "Il ministro ha dichiarato che il debito è sceso a 2.800 miliardi di euro."
    )
    found = detect_claims(text)
    assert [c.text for c in found] == [
        "According to Reuters, exports rose by 12 per cent in 2023.",
        "Il ministro ha dichiarato che il debito è sceso a 2.800 miliardi di euro.",
    ]
    assert "a percentage" in found[0].reasons
    assert "an attribution" in found[0].reasons
    assert "an amount of money" in found[1].reasons
    assert all(text[c.start : c.end] == c.text for c in found)


def test_questions_opinions_and_headings_are_not_proposed():
    text = (
        "Budget day brings 12 surprises\n\n"
        "Will the minister keep his promise of 500 new schools?\n"
        "We should all hope the 2024 plan works."
    )
    assert detect_claims(text) == []


def test_detector_meets_its_goal_on_the_labelled_evaluation_set():
    result = evaluate(load_eval_set())
    assert result.passages >= 40
    assert result.recall >= 0.9, result.missed
    assert result.precision >= 0.6, result.wrong


def test_suggest_claims_prints_json_with_offsets_into_the_article(db, capsys):
    article = ArticleFactory()
    call_command("suggest_claims", str(article.pk), "--json")
    candidates = json.loads(capsys.readouterr().out)
    assert candidates, "the factory article holds figures and an attribution"
    for candidate in candidates:
        assert set(candidate) == {"start", "end", "text", "score", "reasons"}
        assert article.text[candidate["start"] : candidate["end"]] == candidate["text"]
        assert 0 < candidate["score"] <= 1 and candidate["reasons"]


def test_suggest_claims_names_a_missing_article(db):
    with pytest.raises(CommandError, match="no article with id 999"):
        call_command("suggest_claims", "999", "--json")


# Issue 14, on sentences written for these tests in the style of the real material.
def test_a_statement_without_a_closing_full_stop_is_not_a_heading():
    statement = "Says the governor cut funding for public schools by 300 million dollars"
    assert [c.text for c in detect_claims(statement)] == [statement]
    article = "Schools and money\n\nThe governor cut school funding by 300 million dollars."
    (heading, _reasons) = score_sentence("Schools and money", heading=True)
    assert heading < 0.5
    assert [c.text for c in detect_claims(article)] == [article.split("\n\n")[1]]


@pytest.mark.parametrize(
    "sentence",
    [
        "Gov. Mark Dalton backed the federal shutdown.",
        "Marijuana is less toxic than alcohol.",
        "The state has the lowest voter turnout in the country.",
    ],
)
def test_short_factual_sentences_score(sentence):
    score, reasons = score_sentence(sentence)
    assert score >= 0.5 and "a statement of fact" in reasons


@pytest.mark.parametrize(
    "statement",
    [
        "Le navi delle Ong attirano i migranti verso l’Italia",
        "In Germania le scuole restano chiuse per il caldo",
        "Siamo il primo partito del Mezzogiorno con oltre il 30 per cento",
    ],
)
def test_italian_statements_are_found_with_or_without_quote_marks(statement):
    bare = score_sentence(statement)[0]
    assert bare >= 0.5
    assert score_sentence(f"«{statement}»")[0] == bare
    assert score_sentence(f"“{statement}”.")[0] == bare


DEBUNK = (
    "Il 12 marzo la redazione ha ricevuto una segnalazione via WhatsApp che chiedeva di "
    "verificare un video condiviso 40 mila volte. "
    "Il 10 marzo su Facebook è stato pubblicato un video che mostra un camion pieno di casse. "
    "Il video è accompagnato da questo commento: «Ecco i vaccini buttati dal governo». "
    "Si tratta di una notizia falsa. "
    "Vediamo perché. "
    "Il video è stato girato nel 2019 in Brasile e mostra un carico di bibite. "
    "Il ministero della Salute ha distribuito 3,2 milioni di dosi a marzo. "
    "In conclusione, il video non mostra alcun vaccino buttato."
)


def test_a_debunk_proposes_its_facts_not_its_boilerplate():
    found = [c.text for c in detect_claims(DEBUNK)]
    assert found == [
        "Il video è stato girato nel 2019 in Brasile e mostra un carico di bibite.",
        "Il ministero della Salute ha distribuito 3,2 milioni di dosi a marzo.",
    ]
    sentences = split_sentences(DEBUNK)
    assert len(found) < len(sentences) / 2
    tip = score_sentence(DEBUNK[: DEBUNK.index("volte.") + 6])
    assert tip[0] == 0 and "the newsroom about its own work (method, tips, verdict)" in tip[1]


def test_candidates_are_ranked_strongest_first():
    text = (
        "The mayor opened a new bridge. "
        "Unemployment fell to 4.2% in March, down from 5.1% a year earlier, the office said."
    )
    order = [c.text for c in ranked(detect_claims(text, threshold=0.3))]
    assert order[0].startswith("Unemployment fell")
