"""lib.claimreview_markup's dates: what publishers write, read as aware datetimes, and never
one the database could store but not give back."""

from datetime import UTC, datetime

import pytest

from lib.claimreview_markup import parse_when


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-12:00",  # the year 10000 in UTC
        "0001-01-01T00:00:00+14:00",  # the year 0 in UTC
        "9999-12-31",  # noon in the desk's zone, a few hours from the end
        "0001-01-01T03:00:00Z",  # readable in UTC, not in a zone west of it
    ],
)
def test_a_date_at_the_calendars_edge_is_no_date(value):
    assert parse_when(value) is None


def test_an_ordinary_date_is_read():
    assert parse_when("2024-03-05T10:00:00+01:00") == datetime(2024, 3, 5, 9, tzinfo=UTC)
