"""Fit 2, handle time per channel: a log-normal on the tickets' positive handle times.

See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, stdtrit

from calibration.fit import Fit, FitResult, Skipped, channel_label, channel_rows, has_values, log_bins

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
        ``values``: ``mean_min`` (sets ``Channel.handle_time_min``), ``median_min``, ``p90_min``,
        ``sd_min``, ``lognormal_sigma``. Interval: ``mean_min`` by Student's t (the mean of 30 or
        more tickets is close to normal even for skewed times). Quality: relative SE of the mean.
        ``data``: log-spaced histogram, ``from_min``, ``to_min``, ``tickets``, ``share``.
        ``curve``: ``from_min``, ``to_min``, ``share`` of a log-normal with the data's log mean and SD.
        Skipped below ``MIN_HANDLE_TICKETS`` tickets.
    """
    key = f"handle_time:{channel}"
    rows = channel_rows(tickets, channel)
    if not has_values(rows, "handle_time_h"):
        return Skipped(key, f"no handle times on {channel_label(channel)} tickets")
    minutes = rows["handle_time_h"].to_numpy(dtype=np.float64) * 60.0
    minutes = minutes[np.isfinite(minutes) & (minutes > 0.0)]
    n = minutes.size
    if n < MIN_HANDLE_TICKETS:
        return Skipped(key, f"{n} {channel_label(channel)} handle times; the fit needs {MIN_HANDLE_TICKETS}")
    mean, sd = float(minutes.mean()), float(minutes.std(ddof=1))
    se = sd / np.sqrt(n)
    t = float(stdtrit(n - 1, 0.95))
    logs = np.log(minutes)
    mu, sigma = float(logs.mean()), float(logs.std(ddof=1))
    edges = log_bins(minutes, 20)
    hist = np.histogram(minutes, edges)[0]
    cdf = ndtr((np.log(edges) - mu) / max(sigma, 1e-12))
    data = pd.DataFrame({"from_min": edges[:-1], "to_min": edges[1:], "tickets": hist, "share": hist / n})
    curve = pd.DataFrame({"from_min": edges[:-1], "to_min": edges[1:], "share": np.diff(cdf)})
    values = (("mean_min", mean), ("median_min", float(np.median(minutes))),
              ("p90_min", float(np.percentile(minutes, 90))), ("sd_min", sd), ("lognormal_sigma", sigma))
    note = (f"{channel_label(channel).capitalize()} tickets take {mean:.2f} min of agent time on average "
            f"(90 %: {mean - t * se:.2f}-{mean + t * se:.2f}), median {values[1][1]:.2f} min.")
    return Fit(key, f"Handle time ({channel_label(channel)})", n, "relative SE", se / mean, values,
               (("mean_min", float(mean - t * se), float(mean + t * se)),), data, curve, note)
