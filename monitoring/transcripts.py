"""Reading transcripts: SubRip (.srt), WebVTT (.vtt), or plain text with speaker labels.

    lines, problems = transcript_lines(text)      # a whole upload: bad cues skipped, each a reason
    line = transcript_line(text=..., start=...)   # one line posted live: bad input raises

Pure functions, no database. A cue whose timestamps are broken (unreadable, minutes past 59,
an end before its start) is skipped with a reason naming its line, and the rest is read: one
typo in an hour of subtitles must not lose the hour.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# "NAME: text" where NAME is a few capitalised words ("MELONI:", "Giorgia Meloni:", "On. Rossi:").
SPEAKER_LABEL = re.compile(r"^\s*(?:-\s*)?([^\W\d_][\w.'’ -]{0,59}?)\s*:\s+(\S.*)$", re.S)
VTT_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", re.I)
TAG = re.compile(r"<[^>]+>")
TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)(?:\s.*)?$")
TIMESTAMP = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[,.](\d{1,3}))?$")
# A transcript line longer than this is not a line: refused rather than stored.
MAX_LINE_CHARS = 5000
MAX_SPEAKER_WORDS = 5


@dataclass
class Line:
    text: str
    speaker: str = ""
    start_ms: int | None = None
    end_ms: int | None = None


# More control characters than this share of a file's text: a binary file (a PDF, a video),
# not subtitles.
MAX_CONTROL_SHARE = 0.01


def transcript_decode(data: bytes) -> str:
    """The text of an uploaded transcript file: UTF-16 when it starts with its byte order
    mark, else UTF-8, else Windows-1252 (what subtitle tools on Windows still save). Raises
    ValueError with a reason for a file that is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(
            1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f"
        )
        if "\x00" not in text and controls <= MAX_CONTROL_SHARE * len(text):
            return text
        break
    raise ValueError(
        _("This is not a text file: upload subtitles (.srt, .vtt) or plain text (.txt).")
    )


def timestamp_ms(value: str) -> int:
    """Milliseconds of "HH:MM:SS,mmm" (SRT), "HH:MM:SS.mmm" or "MM:SS.mmm" (WebVTT).
    Raises ValueError with a reason for anything else, minutes or seconds past 59 included."""
    found = TIMESTAMP.match(value.strip())
    if not found:
        raise ValueError(_("“%(value)s” is not a timestamp (HH:MM:SS,mmm).") % {"value": value})
    hours, minutes, seconds, millis = found.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        raise ValueError(_("“%(value)s” has minutes or seconds past 59.") % {"value": value})
    millis = int((millis or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def speaker_split(text: str) -> tuple[str, str]:
    """("NAME", "text") of a labelled line, ("", text) when it has no label."""
    voice = VTT_VOICE.search(text)
    if voice:
        return voice.group(1).strip(), TAG.sub("", text).strip()
    found = SPEAKER_LABEL.match(text)
    if found and len(found.group(1).split()) <= MAX_SPEAKER_WORDS and found.group(1)[0].isupper():
        return found.group(1).strip(), found.group(2).strip()
    return "", text.strip()


def transcript_format(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if re.search(r"^\s*\S+\s+-->\s+\S+", text[:5000], re.M):
        return "srt"
    return "plain"


def transcript_lines(text: str) -> tuple[list[Line], list[str]]:
    """The lines of a whole transcript in any of the three formats, and the reasons for each
    cue skipped. A speaker label carries over to the unlabelled lines that follow it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    kind = transcript_format(text)
    lines, problems = (_plain(text), []) if kind == "plain" else _cues(text)
    speaker = ""
    for line in lines:
        speaker = line.speaker = line.speaker or speaker
    return lines, problems


def _plain(text: str) -> list[Line]:
    lines = []
    for raw in text.split("\n"):
        if raw.strip():
            speaker, said = speaker_split(raw)
            lines.append(Line(text=said[:MAX_LINE_CHARS], speaker=speaker))
    return lines


def _cues(text: str) -> tuple[list[Line], list[str]]:
    """SRT and WebVTT cues: an optional identifier, a timing line, the cue's text lines."""
    lines, problems = [], []
    number = 0
    for block in re.split(r"\n\s*\n", text):
        rows = block.split("\n")
        first_row = number + 1
        number += len(rows) + 1
        timing_at = next((i for i, row in enumerate(rows) if "-->" in row), None)
        if timing_at is None:
            continue  # the WEBVTT header, a NOTE, a STYLE block, a stray index
        said = " ".join(row.strip() for row in rows[timing_at + 1 :] if row.strip())
        if not said:
            continue
        try:
            start, end = _timing(rows[timing_at])
        except ValueError as error:
            where = _("line %(n)s") % {"n": first_row + timing_at}
            problems.append(f"{where}: {error}")
            continue
        speaker, said = speaker_split(said)
        lines.append(Line(text=said[:MAX_LINE_CHARS], speaker=speaker, start_ms=start, end_ms=end))
    return lines, problems


def _timing(row: str) -> tuple[int, int]:
    found = TIMING.match(row)
    if not found:
        raise ValueError(_("“%(row)s” is not a cue timing (START --> END).") % {"row": row[:80]})
    start, end = timestamp_ms(found.group(1)), timestamp_ms(found.group(2))
    if end < start:
        raise ValueError(_("The cue ends before it starts (%(row)s).") % {"row": row.strip()})
    return start, end


def transcript_line(*, text: str, speaker: str = "", start: str = "", end: str = "") -> Line:
    """One line posted live. Raises ValidationError with a message per field."""
    errors = {}
    if not text.strip():
        errors["text"] = _("The line is empty.")
    elif len(text) > MAX_LINE_CHARS:
        errors["text"] = _("A line has at most %(n)s characters.") % {"n": MAX_LINE_CHARS}
    times = {}
    for field, value in (("start", start), ("end", end)):
        if value:
            try:
                times[field] = timestamp_ms(value)
            except ValueError as error:
                errors[field] = str(error)
    if "start" in times and "end" in times and times["end"] < times["start"]:
        errors["end"] = _("The line ends before it starts.")
    if errors:
        raise ValidationError(errors)
    labelled, said = speaker_split(text) if not speaker else ("", text.strip())
    return Line(
        text=said,
        speaker=(speaker or labelled).strip()[:300],
        start_ms=times.get("start"),
        end_ms=times.get("end"),
    )
