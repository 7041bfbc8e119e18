"""Keyset (cursor) pagination over a (moment, id) order, for lists that must cost the same on
their ten-thousandth page as on their first.

A page is "the rows after this row" instead of "the rows after skipping N": the database walks
an index on (moment, id) from the cursor and stops after the page, where OFFSET reads and
throws away every row before it. Rows added or edited meanwhile never make a reader see a row
twice or miss one that was there all along.

A cursor is the boundary row's moment in microseconds since the epoch and its id,
"1690000000123456-4411": short, readable in a URL, and checked strictly on the way in.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

_CURSOR = re.compile(r"(-?\d{1,17})-(\d{1,19})")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadCursor(ValueError):
    """A cursor that this module did not make (or that was cut short)."""


@dataclass(frozen=True)
class Cursor:
    moment: datetime
    pk: int

    def __str__(self) -> str:
        delta = self.moment - _EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return f"{micros}-{self.pk}"

    @classmethod
    def parse(cls, raw: str) -> "Cursor":
        match = _CURSOR.fullmatch(raw or "")
        if not match:
            raise BadCursor(raw)
        try:
            moment = _EPOCH + timedelta(microseconds=int(match[1]))
        except OverflowError:
            raise BadCursor(raw) from None
        pk = int(match[2])
        if pk > 2**63 - 1:
            raise BadCursor(raw)
        return cls(moment, pk)

    @classmethod
    def of(cls, row, field: str) -> "Cursor":
        return cls(getattr(row, field), row.pk)


def after(
    rows: QuerySet, field: str, cursor: Cursor, *, descending: bool, tie: str = "pk"
) -> QuerySet:
    """`rows` past `cursor` in the order (field, tie), descending or ascending, in that order.
    `tie` is the id field (an alias when the order is a joined row's, naming the same id).

    The plain bound on `field` lets the database start its index walk at the cursor; the OR
    only sorts out rows of the very same moment."""
    if descending:
        return rows.filter(
            Q(**{f"{field}__lt": cursor.moment})
            | Q(**{field: cursor.moment, f"{tie}__lt": cursor.pk}),
            **{f"{field}__lte": cursor.moment},
        ).order_by(f"-{field}", f"-{tie}")
    return rows.filter(
        Q(**{f"{field}__gt": cursor.moment}) | Q(**{field: cursor.moment, f"{tie}__gt": cursor.pk}),
        **{f"{field}__gte": cursor.moment},
    ).order_by(field, tie)
