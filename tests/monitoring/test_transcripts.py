"""Reading transcripts: SRT, WebVTT and plain text with speaker labels; broken timestamps are
skipped with a reason naming their line, the rest is read."""

import pytest
from django.core.exceptions import ValidationError

from monitoring.transcripts import transcript_line, transcript_lines

from .conftest import FIXTURES


def test_srt_cues_keep_speaker_and_time_and_broken_timestamps_are_reasons():
    lines, problems = transcript_lines((FIXTURES / "debate.srt").read_text())

    assert [line.speaker for line in lines] == ["MODERATORE", "ROSSI", "ROSSI"]
    assert lines[1].text.startswith("Il debito pubblico")
    assert (lines[1].start_ms, lines[1].end_ms) == (4500, 9000)
    assert lines[2].start_ms == 12000  # read after the two broken cues
    assert len(problems) == 2
    assert problems[0].startswith("line 10:") and "ends before it starts" in problems[0]
    assert problems[1].startswith("line 14:") and "past 59" in problems[1]


def test_webvtt_voices_name_the_speaker():
    lines, problems = transcript_lines((FIXTURES / "debate.vtt").read_text())
    assert problems == []
    assert [(line.speaker, line.start_ms) for line in lines] == [("Bianchi", 1000), ("Verdi", 5000)]
    assert lines[0].text == "Le tasse sono aumentate del 12 per cento in cinque anni."


def test_plain_text_labels_carry_over_to_unlabelled_lines():
    lines, problems = transcript_lines((FIXTURES / "debate.txt").read_text())
    assert problems == []
    assert [line.speaker for line in lines] == ["Giorgia Rossi", "Giorgia Rossi", "MODERATORE"]
    assert lines[1].text.startswith("E la disoccupazione")
    assert all(line.start_ms is None for line in lines)


def test_a_sentence_with_a_colon_is_not_a_speaker():
    lines, _problems = transcript_lines("il punto è questo: le tasse sono salite del 3%.")
    assert lines[0].speaker == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "Ciao a tutti.", "start": "1:2:3:4"}, "start"),
        ({"text": "Ciao a tutti.", "start": "00:00:70,000"}, "start"),
        ({"text": "Ciao a tutti.", "start": "00:00:05,000", "end": "00:00:04,000"}, "end"),
    ],
)
def test_a_live_line_with_broken_input_is_refused_by_field(fields, field):
    with pytest.raises(ValidationError) as refused:
        transcript_line(**fields)
    assert field in refused.value.message_dict


def test_a_live_line_reads_its_label_and_time():
    line = transcript_line(text="ROSSI: Le tasse sono salite.", start="00:01:02.5")
    assert (line.speaker, line.text, line.start_ms) == ("ROSSI", "Le tasse sono salite.", 62500)
