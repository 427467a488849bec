"""Geometry for the overview's bar charts, drawn as SVG by templates/network/_charts.html.

Horizontal bars with the label above each bar: they stay readable on a 320 px phone,
where twelve upright bars with labels under them would not. The SVG is a picture with
a name (role="img"); the same figures are in a table beside it for screen readers and
for anyone who prefers numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from mentorapp.domain import vocabulary

WIDTH = 320
LABEL_HEIGHT = 19
BAR_HEIGHT = 16
GAP = 10
VALUE_SPACE = 104  # room right of the longest bar for its value ("12,5 av 14 t")
ROW = LABEL_HEIGHT + BAR_HEIGHT + GAP


@dataclass
class Bar:
    label: str
    label_y: float
    bar_y: float
    width: float | None  # None: the figure is hidden
    text: str
    text_x: float
    marker_x: float | None = None


@dataclass
class Chart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def horizontal(rows: list[tuple[str, float | None, str, float | None]]) -> Chart:
    """rows: (label, value or None when hidden, text to show, optional marker value)."""
    top = max([value or 0 for _l, value, _t, _m in rows]
              + [marker or 0 for _l, _v, _t, marker in rows] + [0])
    span = WIDTH - VALUE_SPACE
    scale = span / top if top else 0
    bars = []
    for index, (label, value, text, marker) in enumerate(rows):
        y = index * ROW
        width = None if value is None else max(value * scale, 1 if value else 0)
        end = max(width or 0, (marker or 0) * scale if value is not None else 0)
        bars.append(Bar(label=label, label_y=y + LABEL_HEIGHT - 4, bar_y=y + LABEL_HEIGHT,
                        width=None if width is None else round(width, 1), text=text,
                        text_x=round(end + 6 if value is not None else 0, 1),
                        marker_x=None if marker is None or value is None
                        else round(marker * scale, 1)))
    return Chart(bars=bars, height=max(len(rows) * ROW - GAP + 2, ROW))


def ratings(summary: dict) -> Chart:
    """How many gave each rating, from a gatherings.feedback_summary()."""
    return horizontal([(f"{vocabulary.label(vocabulary.GATHERING_RATINGS, value)} ({value})",
                        count, str(count), None) for value, count in summary["ratings"]])
