import pytest

from lib.text import looks_like_heading, strip_bidi_controls


def test_embedding_override_and_isolate_controls_are_removed():
    assert strip_bidi_controls(
        "\u202eevil\u202c \u2067name\u2069 \u202a\u202b\u202d\u2066\u2068"
    ) == ("evil name ")


def test_marks_and_right_to_left_names_are_kept():
    name = "\u05d3\u05d5\u05d3 \u05dc\u05d5\u05d9\u200f"  # Hebrew, ending with an RLM
    assert strip_bidi_controls(name) == name
    assert strip_bidi_controls("") == ""


@pytest.mark.parametrize(
    "paragraph",
    [
        "L’affronto di Tokayev a Putin sul riconoscimento di Donetsk e Lugansk",
        "What the figures say",
        "2023 in numbers",
        "«Un alleato fedele»",
    ],
)
def test_a_short_line_that_does_not_end_as_a_sentence_is_a_heading(paragraph):
    assert looks_like_heading(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Stop che poi è rientrato.",
        "Who pays for it?",
        "He said: «basta».",
        "Non solo:",
        "a line starting in lower case",
        "First line\nsecond line",
        "A very long line without a final stop " * 4,
        "",
    ],
)
def test_sentences_long_lines_and_several_lines_are_not_headings(paragraph):
    assert not looks_like_heading(paragraph)
