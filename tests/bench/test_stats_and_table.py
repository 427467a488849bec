"""The harness's arithmetic and its table: what every printed figure passes through."""

from __future__ import annotations

import math

import pytest

from bench import stats
from bench.table import Table, ms, number, times


@pytest.mark.parametrize(("samples", "p", "expected"), [
    ([5], 50, 5),
    ([5], 99, 5),
    ([1, 2, 3, 4], 50, 2),
    ([1, 2, 3, 4], 75, 3),
    ([1, 2, 3, 4], 100, 4),
    ([4, 1, 3, 2], 0, 1),
    (list(range(1, 101)), 95, 95),
    (list(range(1, 101)), 99, 99),
    (list(range(1, 201)), 99, 198),
    ([10, 10, 10, 1000], 99, 1000),
])
def test_percentile_is_the_nearest_observed_rank(samples, p, expected):
    assert stats.percentile(samples, p) == expected


def test_percentile_of_nothing_is_not_a_number_and_a_bad_p_is_refused():
    assert math.isnan(stats.percentile([], 50))
    with pytest.raises(ValueError):
        stats.percentile([1], 101)


def test_latency_summary_is_in_milliseconds():
    summary = stats.Latency.of([0.001] * 98 + [0.050, 0.200])
    assert (summary.count, summary.p50, summary.p95) == (100, 1.0, 1.0)
    assert summary.p99 == pytest.approx(50.0)
    assert summary.max == pytest.approx(200.0)
    assert math.isnan(stats.Latency.of([]).p99)


def test_ratio_of_missing_figures_is_not_a_number():
    assert stats.ratio(10, 4) == 2.5
    assert math.isnan(stats.ratio(10, 0))
    assert math.isnan(stats.ratio(math.nan, 3))


@pytest.mark.parametrize(("value", "text"), [
    (1234567, "1 234 567"), (12.4, "12"), (None, "–"), (math.nan, "–")])
def test_numbers_group_thousands(value, text):
    assert number(value) == text


@pytest.mark.parametrize(("value", "text"), [(7.04, "7.0"), (99.96, "100.0"), (341.3, "341"),
                                             (math.nan, "–")])
def test_milliseconds_keep_one_decimal_below_a_hundred(value, text):
    assert ms(value) == text


@pytest.mark.parametrize(("value", "text"), [(5.493, "5.49×"), (12.34, "12.3×"), (None, "–")])
def test_ratios(value, text):
    assert times(value) == text


def test_table_is_aligned_markdown_and_a_pipe_cannot_split_a_column():
    table = Table(["area", "figure"])
    table.add("ingest", "1 | 2")
    table.add("memory, per worker", 44)
    lines = table.render().splitlines()
    assert lines[0] == "| area               | figure |"
    assert lines[1] == "|--------------------|--------|"
    assert lines[2] == "| ingest             | 1 \\| 2 |"
    assert len({len(line) for line in lines}) == 1
    with pytest.raises(ValueError):
        table.add("only one cell")
