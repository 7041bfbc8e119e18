"""Bar charts drawn on the server as accessible SVG: no script, no CDN, no style attribute
(the pages' CSP forbids inline styles; SVG presentation attributes are not styles).

Each chart is an <svg role="img"> with a <title> and a <desc> that says every figure in
words, so a screen reader gets the whole chart; pages print a table beside it too (the text
equivalent), which is also what a reader without SVG sees.
"""

import hashlib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_COLOUR = "#4a5568"
ROW_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 26, 18, 170, 260, 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = DEFAULT_COLOUR
    # What the value means in words ("12 claims, 40%"); the value itself when empty.
    value_text: str = ""


def _colour(value: str) -> str:
    return value if COLOUR.fullmatch(value or "") else DEFAULT_COLOUR


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(bars: list[Bar], *, title: str, summary: str = "") -> Markup:
    """Horizontal bars, one a row, scaled to the largest value; empty charts say so."""
    # Named from its content, so the same chart renders the same bytes (the page's ETag).
    chart_id = "chart-" + hashlib.sha256(f"{title}|{bars}".encode()).hexdigest()[:10]
    peak = max((bar.value for bar in bars), default=0) or 1
    height = max(1, len(bars)) * ROW_HEIGHT + 4
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    words = "; ".join(f"{bar.label}: {bar.value_text or _number(bar.value)}" for bar in bars)
    desc = " ".join(part for part in (summary, words) if part)
    parts = [
        f'<svg class="chart" id="{chart_id}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{chart_id}-t {chart_id}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = row * ROW_HEIGHT + 2
        length = round(BAR_WIDTH * max(bar.value, 0) / peak, 1)
        parts += [
            # The rows repeat the <desc>: hidden from assistive technology, said once there.
            f'<g aria-hidden="true"><text x="{LABEL_WIDTH - 6}" y="{y + 14}" '
            f'text-anchor="end" font-size="12">{escape(_clip(bar.label))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{_colour(bar.colour)}"></rect>',
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 14}" font-size="12">'
            f"{escape(bar.value_text or _number(bar.value))}</text></g>",
        ]
    parts.append("</svg>")
    # Every text in it went through escape() above; the rest is fixed markup and numbers.
    return Markup("".join(parts))  # noqa: S704


def _clip(label: str, size: int = 26) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


COLUMNS_WIDTH, COLUMNS_HEIGHT, AXIS_HEIGHT, MAX_AXIS_LABELS = 520, 120, 20, 8


def column_chart(
    columns: list[Bar], *, title: str, summary: str = "", axis_labels: list[str] | None = None
) -> Markup:
    """Vertical columns in order (a timeline), scaled to the largest value. Only a few of the
    axis labels are drawn so they never overlap; the <desc> and the page's table say them all.
    `axis_labels` are shorter names for the columns under the axis (default: their labels)."""
    axis_labels = axis_labels or [column.label for column in columns]
    chart_id = "chart-" + hashlib.sha256(f"{title}|{columns}".encode()).hexdigest()[:10]
    peak = max((column.value for column in columns), default=0) or 1
    slot = COLUMNS_WIDTH / max(1, len(columns))
    every = -(-len(columns) // MAX_AXIS_LABELS) or 1  # ceiling division
    height = COLUMNS_HEIGHT + AXIS_HEIGHT
    words = "; ".join(f"{c.label}: {c.value_text or _number(c.value)}" for c in columns)
    desc = " ".join(part for part in (summary, words) if part)
    parts = [
        f'<svg class="chart timeline" id="{chart_id}" role="img" '
        f'viewBox="0 0 {COLUMNS_WIDTH} {height}" width="{COLUMNS_WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        '<g aria-hidden="true">',
        f'<line x1="0" y1="{COLUMNS_HEIGHT}" x2="{COLUMNS_WIDTH}" y2="{COLUMNS_HEIGHT}" '
        'stroke="#a0aec0"></line>',
    ]
    for index, column in enumerate(columns):
        x = round(index * slot, 1)
        length = round((COLUMNS_HEIGHT - 14) * max(column.value, 0) / peak, 1)
        if length:
            parts.append(
                f'<rect x="{round(x + slot * 0.15, 1)}" y="{COLUMNS_HEIGHT - length}" '
                f'width="{round(slot * 0.7, 1)}" height="{length}" '
                f'fill="{_colour(column.colour)}"></rect>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{x}" y="{height - 5}" font-size="11">'
                f"{escape(_clip(axis_labels[index], 12))}</text>"
            )
    parts.append(
        f'<text x="{COLUMNS_WIDTH}" y="11" text-anchor="end" font-size="11">'
        f"{escape(_number(peak if columns else 0))}</text></g></svg>"
    )
    # Every text in it went through escape() above; the rest is fixed markup and numbers.
    return Markup("".join(parts))  # noqa: S704
