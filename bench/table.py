"""The one table `make bench` prints: Markdown, so it can be pasted into docs/performance.md."""

from __future__ import annotations

import math


def number(value: float | int | None, digits: int = 0) -> str:
    """Figures with thin grouping for thousands; '–' for what was not measured."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if digits == 0:
        return f"{round(value):,}".replace(",", " ")
    return f"{value:,.{digits}f}".replace(",", " ")


def ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    return number(value, 1 if value < 100 else 0)


def times(value: float | None) -> str:
    """A ratio such as 5.2×."""
    if value is None or math.isnan(value):
        return "–"
    return f"{value:.2f}×" if value < 10 else f"{value:.1f}×"


class Table:
    def __init__(self, columns: list[str]):
        self.columns = columns
        self.rows: list[list[str]] = []

    def add(self, *cells: object) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"expected {len(self.columns)} cells, got {len(cells)}")
        # A pipe inside a cell would split the Markdown column.
        self.rows.append(["" if cell is None else str(cell).replace("|", "\\|") for cell in cells])

    def render(self) -> str:
        widths = [len(c) for c in self.columns]
        for row in self.rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

        def line(cells: list[str]) -> str:
            padded = [cell.ljust(w) for cell, w in zip(cells, widths, strict=True)]
            return "| " + " | ".join(padded) + " |"

        rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
        return "\n".join([line(self.columns), rule, *(line(row) for row in self.rows)])
