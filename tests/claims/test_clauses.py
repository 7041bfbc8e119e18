"""The clauses of a long sentence (claims/clauses.py): where a claim inside reported speech
begins and ends."""

from claims.clauses import clauses


def test_reported_speech_is_split_after_that_and_before_a_comma_and_conjunction():
    sentence = (
        "At the rally she reminded the crowd that by 2040 the city's population will double, "
        "and that the council must start building now."
    )
    assert clauses(sentence) == [
        "At the rally she reminded the crowd",
        "by 2040 the city's population will double",
        "the council must start building now",
    ]


def test_italian_reported_speech_is_split_the_same_way():
    sentence = (
        "Nel suo intervento il sindaco ha ricordato che i posti negli asili sono cresciuti "
        "del 40 per cento, ma che la lista d'attesa resta lunga."
    )
    assert clauses(sentence)[1] == "i posti negli asili sono cresciuti del 40 per cento"


def test_a_claim_of_two_facts_side_by_side_stays_whole():
    # "while" without a comma joins the two halves of one claim; nothing to split.
    assert clauses("Exports to Asia doubled while imports from Asia fell by a fifth.") == []


def test_clauses_too_short_to_match_are_left_out():
    assert clauses("He said that prices rose; that is all.") == []
