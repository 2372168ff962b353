"""Fit 2, handle time per channel: a log-normal on the tickets' positive handle times.

The fit needs only a few figures of the times (their count, mean and SD, those of their logarithms, the median,
the 90th percentile and a log-spaced histogram), so the team's database can compute them where the tickets live
(``intake.warehouse.handle``; the figures: ``intake.metrics.handle_times``), and the fit is the one the same tickets
uploaded get.
See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, stdtrit

from calibration.fit import Fit, FitResult, Skipped, channel_label, channel_rows, has_values
from intake.metrics import HandleTimes, handle_times

MIN_HANDLE_TICKETS = 30           # tickets of the channel with a positive handle time


def fit_handle_time(tickets: pd.DataFrame, channel: str) -> FitResult:
    """Agent handle time of one channel: mean with a t interval, median, spread and a log-normal view.

    Parameters
    ----------
    tickets : DataFrame
        Typed ticket table; uses ``handle_time_h`` (positive values) and ``channel``.
    channel : str
        The channel to fit.

    Returns
    -------
    Fit or Skipped
        As :func:`fit_handle_times`. Skipped below ``MIN_HANDLE_TICKETS`` tickets.
    """
    key = f"handle_time:{channel}"
    rows = channel_rows(tickets, channel)
    if not has_values(rows, "handle_time_h"):
        return Skipped(key, f"no handle times on {channel_label(channel)} tickets")
    minutes = rows["handle_time_h"].to_numpy(dtype=np.float64) * 60.0
    minutes = minutes[np.isfinite(minutes) & (minutes > 0.0)]
    if minutes.size < MIN_HANDLE_TICKETS:
        return Skipped(key, f"{minutes.size} {channel_label(channel)} handle times; the fit needs {MIN_HANDLE_TICKETS}")
    return fit_handle_times(handle_times(minutes), channel)


def fit_handle_times(times: HandleTimes, channel: str, where: str = "") -> FitResult:
    """The handle-time fit of one channel from the figures of its times (``where``: a sentence naming where they
    were computed, added to the note).

    Returns
    -------
    Fit or Skipped
        ``values``: ``mean_min`` (sets ``Channel.handle_time_min``), ``median_min``, ``p90_min``,
        ``sd_min``, ``lognormal_sigma``. Interval: ``mean_min`` by Student's t (the mean of 30 or
        more tickets is close to normal even for skewed times). Quality: relative SE of the mean.
        ``data``: log-spaced histogram, ``from_min``, ``to_min``, ``tickets``, ``share``.
        ``curve``: ``from_min``, ``to_min``, ``share`` of a log-normal with the data's log mean and SD.
        Skipped below ``MIN_HANDLE_TICKETS`` tickets.
    """
    key, n = f"handle_time:{channel}", times.tickets
    if n < MIN_HANDLE_TICKETS:
        return Skipped(key, f"{n} {channel_label(channel)} handle times; the fit needs {MIN_HANDLE_TICKETS}")
    mean, sd, sigma = times.mean_min, times.sd_min, times.log_sd
    se = sd / np.sqrt(n)
    t = float(stdtrit(n - 1, 0.95))
    edges, hist = np.asarray(times.edges_min, dtype=np.float64), np.asarray(times.counts)
    cdf = ndtr((np.log(edges) - times.log_mean) / max(sigma, 1e-12))
    data = pd.DataFrame({"from_min": edges[:-1], "to_min": edges[1:], "tickets": hist, "share": hist / n})
    curve = pd.DataFrame({"from_min": edges[:-1], "to_min": edges[1:], "share": np.diff(cdf)})
    values = (("mean_min", mean), ("median_min", times.median_min), ("p90_min", times.p90_min), ("sd_min", sd),
              ("lognormal_sigma", sigma))
    note = (f"{channel_label(channel).capitalize()} tickets take {mean:.2f} min of agent time on average "
            f"(90 %: {mean - t * se:.2f}-{mean + t * se:.2f}), median {times.median_min:.2f} min.{where}")
    return Fit(key, f"Handle time ({channel_label(channel)})", n, "relative SE", se / mean, values,
               (("mean_min", float(mean - t * se), float(mean + t * se)),), data, curve, note)
