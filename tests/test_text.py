from lib.text import strip_bidi_controls


def test_embedding_override_and_isolate_controls_are_removed():
    assert strip_bidi_controls(
        "\u202eevil\u202c \u2067name\u2069 \u202a\u202b\u202d\u2066\u2068"
    ) == ("evil name ")


def test_marks_and_right_to_left_names_are_kept():
    name = "\u05d3\u05d5\u05d3 \u05dc\u05d5\u05d9\u200f"  # Hebrew, ending with an RLM
    assert strip_bidi_controls(name) == name
    assert strip_bidi_controls("") == ""
