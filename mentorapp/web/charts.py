"""The one chart model: the geometry of the charts the server draws as SVG, with no chart
library and no script. Each chart is a picture with a name and a description in words, and
the pages put a table with the same figures beside it.

Two shapes: week charts (`Chart`: columns or lines over the weeks, an agreed level; drawn
by templates/charts/_chart.html for the counsellor's placement page and report) and
labelled horizontal bars (`RowChart`: drawn by templates/network/_charts.html for the
network's overview, where bars with the label above them stay readable at 320 px).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Week charts ----------------------------------------------------------------------------

WIDTH, HEIGHT = 360, 190
LEFT, RIGHT, TOP, BOTTOM = 38, 8, 12, 30


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # what the bar says, for its <title>
    partial: bool = False  # a week only partly in the period (the one going on, say)


@dataclass
class Chart:
    key: str
    title: str
    description: str
    unit_label: str
    ticks: list[tuple[float, str]]  # (y, label) on the value axis
    columns: list[tuple[float, str]]  # (x, label) on the week axis
    bars: list[Bar] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # polyline point lists (gaps split them)
    dots: list[tuple[float, float, str]] = field(default_factory=list)
    target: tuple[float, str] | None = None  # (y, label): the agreed level
    empty: bool = False
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def x_slots(count: int) -> tuple[float, list[float]]:
    span = (WIDTH - RIGHT - LEFT) / max(count, 1)
    return span, [LEFT + span * i + span / 2 for i in range(count)]


def y_of(value: float, low: float, high: float) -> float:
    plot = HEIGHT - BOTTOM - TOP
    return round(HEIGHT - BOTTOM - (value - low) / (high - low) * plot, 1)


def nice_ceiling(value: float) -> float:
    for nice in (1, 2, 4, 6, 8, 10, 12, 16, 20, 30, 40, 60, 80):
        if value <= nice:
            return nice
    return float(int(value) + 1)


# Horizontal bars ------------------------------------------------------------------------

ROW_WIDTH = 320
LABEL_HEIGHT = 19
BAR_HEIGHT = 16
GAP = 10
VALUE_SPACE = 104  # room right of the longest bar for its value ("12,5 av 14 t")
ROW = LABEL_HEIGHT + BAR_HEIGHT + GAP


@dataclass
class Row:
    label: str
    label_y: float
    bar_y: float
    width: float | None  # None: the figure is hidden
    text: str
    text_x: float
    marker_x: float | None = None


@dataclass
class RowChart:
    bars: list[Row]
    height: int
    width: int = ROW_WIDTH
    bar_height: int = BAR_HEIGHT


def horizontal(rows: list[tuple[str, float | None, str, float | None]]) -> RowChart:
    """rows: (label, value or None when hidden, text to show, optional marker value)."""
    top = max([value or 0 for _l, value, _t, _m in rows]
              + [marker or 0 for _l, _v, _t, marker in rows] + [0])
    span = ROW_WIDTH - VALUE_SPACE
    scale = span / top if top else 0
    bars = []
    for index, (label, value, text, marker) in enumerate(rows):
        y = index * ROW
        width = None if value is None else max(value * scale, 1 if value else 0)
        end = max(width or 0, (marker or 0) * scale if value is not None else 0)
        bars.append(Row(label=label, label_y=y + LABEL_HEIGHT - 4, bar_y=y + LABEL_HEIGHT,
                        width=None if width is None else round(width, 1), text=text,
                        text_x=round(end + 6 if value is not None else 0, 1),
                        marker_x=None if marker is None or value is None
                        else round(marker * scale, 1)))
    return RowChart(bars=bars, height=max(len(rows) * ROW - GAP + 2, ROW))
