"""The timeline chart (lib/charts.column_chart): what a screen reader hears, what is drawn."""

from lib.charts import Bar, column_chart


def test_a_timeline_says_every_figure_and_escapes_its_labels():
    columns = [Bar(label=f"Week <{n}>", value=n % 3) for n in range(20)]
    svg = str(column_chart(columns, title="Repeats & more", axis_labels=["a"] * 20))
    assert 'role="img"' in svg and "<title" in svg and "Repeats &amp; more" in svg
    for n in range(20):
        assert f"Week &lt;{n}&gt;: {n % 3}" in svg  # every period in the <desc>
    assert "<script" not in svg and "style=" not in svg
    # Only a few axis labels are drawn (they would overlap), and a zero draws no column.
    assert svg.count(">a</text>") <= 8
    assert svg.count("<rect") == sum(1 for n in range(20) if n % 3)


def test_the_same_timeline_renders_the_same_bytes():
    columns = [Bar(label="March", value=2), Bar(label="April", value=0)]
    assert column_chart(columns, title="T") == column_chart(columns, title="T")
    assert column_chart([], title="Empty").count("<rect") == 0
