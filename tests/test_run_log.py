"""A run's reasons (lib/run_log.py), as the harvest's and monitoring's health logs keep them."""

from lib.run_log import WHERE_CHARS, Reasons


def test_reasons_are_bounded_in_number_and_in_length():
    reasons = Reasons(limit=2)
    long_url = "https://example.org/" + "a" * 3000
    reasons.reason(long_url, "the page is not text")
    reasons.reason("", "the feed is not XML")
    reasons.reason("item 3", "no date")
    first, second, more = reasons.reasons()
    assert first.endswith("…: the page is not text") and len(first) < WHERE_CHARS + 30
    assert first.startswith("https://example.org/aaa")
    assert second == "the feed is not XML"
    assert "1 more" in more
