"""Handle times -> the few figures the handle-time fit reads: count, mean and SD, those of the logarithms, the median,
the 90th percentile and a log-spaced histogram.

They are computed here from an upload's times, or in the team's database where the tickets live
(:mod:`intake.warehouse.handle`), so that only these figures travel; the fit (:mod:`calibration.handle_time`) is the
same either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HISTOGRAM_BINS = 20


def log_edges(shortest: float, longest: float, bins: int) -> np.ndarray:
    """``bins`` log-spaced bins from ``shortest`` to just past ``longest`` (so the longest falls inside); two edges
    around a single value when all are equal."""
    if longest > shortest:
        return np.geomspace(shortest, longest * (1 + 1e-9), bins + 1)
    return np.array([shortest * 0.999, shortest * 1.001])


@dataclass(frozen=True)
class HandleTimes:
    """One channel's positive handle times, all in minutes.

    ``edges_min`` are :data:`HISTOGRAM_BINS` bins by :func:`log_edges` of the shortest and the longest time and
    ``counts`` the times in each (a bin holds its lower edge; the last holds its upper one too, as in
    ``np.histogram``). ``log_mean`` and ``log_sd`` are those of the natural logarithms of the minutes. SDs divide by
    n - 1; quantiles interpolate linearly between the two times around them, as ``np.percentile``.
    """

    tickets: int
    mean_min: float
    sd_min: float
    log_mean: float
    log_sd: float
    median_min: float
    p90_min: float
    edges_min: np.ndarray
    counts: np.ndarray


def handle_times(minutes: np.ndarray) -> HandleTimes:
    """The figures of positive, finite handle times in minutes (at least two)."""
    logs = np.log(minutes)
    edges = log_edges(float(minutes.min()), float(minutes.max()), HISTOGRAM_BINS)
    return HandleTimes(int(minutes.size), float(minutes.mean()), float(minutes.std(ddof=1)), float(logs.mean()),
                       float(logs.std(ddof=1)), float(np.median(minutes)), float(np.percentile(minutes, 90)),
                       edges, np.histogram(minutes, edges)[0])
