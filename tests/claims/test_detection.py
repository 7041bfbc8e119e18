import json

import pytest
from django.core.management import CommandError, call_command

from claims.detection import detect_claims, evaluate, load_eval_set, split_sentences
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
