"""Percentiles and summaries of latency samples."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by the nearest-rank method: a value that was observed.

    Nearest rank never interpolates, so a p99 of 200 samples is the 198th smallest one, a
    latency some request really had.
    """
    if not samples:
        return math.nan
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0..100, got {p}")
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latency:
    count: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        """Summarise samples given in seconds; the fields are in milliseconds."""
        ms = sorted(s * 1000 for s in seconds)
        if not ms:
            return cls(0, math.nan, math.nan, math.nan, math.nan)
        return cls(len(ms), percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), ms[-1])


def ratio(ours: float, theirs: float) -> float:
    if not theirs or math.isnan(theirs) or math.isnan(ours):
        return math.nan
    return ours / theirs
