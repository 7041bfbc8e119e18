"""Near-misses that are not repeats (claims/same_claim.py): another figure, the opposite
direction, another year, a comparison the other way. The checks only veto, so a repeat in
other words or another language still counts."""

import pytest

from claims.same_claim import (
    comparisons_agree,
    directions_agree,
    figures,
    figures_agree,
    years_agree,
)

DEBT = "Il debito pubblico italiano ha superato i 2.800 miliardi di euro nel 2023."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Italy's public debt has passed 2,800 billion euros.", {2.8e12}),
        ("Il debito ha superato i 2.800 miliardi", {2.8e12}),
        ("Nel 2023 sono sbarcati 150 mila migranti", {150_000}),
        ("More than 150,000 migrants landed", {150_000}),
        ("a $5.5 trillion hit", {5.5e12}),
        ("5.500 miliardi di dollari", {5.5e12}),
        ("lo 0,2 per cento del bilancio", {0.2}),
        ("$62 billion, not $620 billion", {6.2e10, 6.2e11}),
        ("between 2008 and 2013", set()),
        ("Texas created over a million jobs", {1e6}),
        ("un milione di posti di lavoro", {1e6}),
    ],
)
def test_figures_read_the_same_across_languages_separators_and_scales(text, expected):
    assert figures(text) == expected


def test_a_translation_with_the_same_figure_agrees_and_another_figure_does_not():
    assert figures_agree("Italy's public debt has passed 2,800 billion euros.", DEBT)
    assert not figures_agree("Il debito pubblico ha superato i 2.300 miliardi di euro.", DEBT)


def test_a_text_without_figures_agrees_with_any():
    assert figures_agree("Lo Stato ha un debito enorme, mai visto prima.", DEBT)
    assert figures_agree("Il debito ha superato quota 2.800 miliardi.", "", DEBT)


def test_the_opposite_direction_is_not_the_same_claim_in_any_of_the_two_languages():
    claim = "Youth unemployment in Italy has fallen below 20 percent."
    assert not directions_agree("La disoccupazione giovanile è aumentata al 20 per cento.", claim)
    assert directions_agree("La disoccupazione giovanile è scesa sotto il 20 per cento.", claim)
    assert directions_agree("Youth unemployment is 20 percent.", claim)


def test_another_year_is_another_claim_and_no_year_agrees_with_any():
    claim = "Nel 2018 il 98 per cento dei nuovi contratti era precario"
    assert not years_agree("Nel 2022 il 98 per cento dei nuovi contratti era precario.", claim)
    assert years_agree("In 2018, 98 percent of new contracts were temporary.", claim)
    assert years_agree("L'anno scorso il 98 per cento dei contratti era precario.", claim)


def test_a_comparison_the_other_way_is_another_claim():
    claim = "The average family now takes home $4,000 less than five years ago."
    assert not comparisons_agree("Families take home $4,000 more than five years ago.", claim)
    assert comparisons_agree("Families now earn $4,000 less than in 2011.", claim)
    assert comparisons_agree("Families earn $4,000 under what they did.", claim)
