"""Bar geometry for the overview's charts: scaled to the largest value, hidden figures
drawn as no bar at all, markers on the same scale."""

from __future__ import annotations

from mentorapp.web import charts


def test_bars_scale_to_the_largest_value_and_hidden_ones_have_no_bar():
    chart = charts.horizontal([("Uke 1", 10, "10", None), ("Uke 2", None, "", None),
                               ("Uke 3", 5, "5", None), ("Uke 4", 0, "0", None)])
    widths = [bar.width for bar in chart.bars]
    span = charts.ROW_WIDTH - charts.VALUE_SPACE
    assert widths == [span, None, span / 2, 0]
    assert chart.height == 4 * charts.ROW - charts.GAP + 2
    assert all(bar.text_x <= charts.ROW_WIDTH - 40 for bar in chart.bars)
    assert [bar.bar_y for bar in chart.bars] == sorted(bar.bar_y for bar in chart.bars)


def test_a_marker_counts_in_the_scale_and_is_hidden_with_its_bar():
    chart = charts.horizontal([("Uke 1", 12.5, "12,5 av 20 t", 20), ("Uke 2", None, "", 20)])
    span = charts.ROW_WIDTH - charts.VALUE_SPACE
    first, hidden = chart.bars
    assert first.marker_x == span and first.width == round(12.5 * span / 20, 1)
    assert first.text_x == span + 6  # the value sits right of the marker, not on it
    assert hidden.width is None and hidden.marker_x is None


def test_an_empty_chart_has_a_height():
    assert charts.horizontal([]).height == charts.ROW
    assert charts.horizontal([("a", 0, "0", None)]).bars[0].width == 0
