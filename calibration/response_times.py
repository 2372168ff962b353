"""Fit 3, first-response times per channel: a zero-inflated log-normal, with its KS distance.

See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr

from calibration.fit import Fit, FitResult, Skipped, channel_label, channel_rows, duration_text
from model import Z_95, FloatArray

MIN_RESPONSE_TICKETS = 50         # replied tickets of the channel


def response_times_h(tickets: pd.DataFrame) -> pd.Series:
    """First response of each ticket in hours: ``first_response_h``, else ``first_reply - created``.

    Missing while unanswered; a reply before creation is treated as missing (the validator flags it).
    """
    out = pd.Series(np.nan, index=tickets.index, dtype=np.float64)
    if "first_response_h" in tickets.columns:
        out = tickets["first_response_h"].astype(np.float64)
    if {"first_reply", "created"} <= set(tickets.columns):
        elapsed = (tickets["first_reply"] - tickets["created"]) / pd.Timedelta(hours=1)
        out = out.fillna(elapsed.astype(np.float64))
    return out.where(out >= 0.0)


def _quantile_interval(sorted_x: FloatArray, q: float) -> tuple[float, float]:
    """Distribution-free 90 % interval of the ``q`` quantile from order statistics (binomial)."""
    n = sorted_x.size
    spread = Z_95 * np.sqrt(n * q * (1 - q))
    lo = int(np.clip(np.floor(n * q - spread), 0, n - 1))
    hi = int(np.clip(np.ceil(n * q + spread), 0, n - 1))
    return float(sorted_x[lo]), float(sorted_x[hi])


def _mixture_cdf(x: FloatArray, zero_share: float, mu: float, sigma: float) -> FloatArray:
    """CDF of a point mass ``zero_share`` at 0 plus a log-normal for the rest."""
    with np.errstate(divide="ignore"):
        z = (np.log(x) - mu) / sigma
    return np.where(x > 0.0, zero_share + (1.0 - zero_share) * ndtr(z), zero_share)


def ks_distance(x: FloatArray, zero_share: float, mu: float, sigma: float) -> float:
    """Largest gap between the empirical CDF of ``x`` and :func:`_mixture_cdf`, ties handled."""
    values, counts = np.unique(x, return_counts=True)
    after = np.cumsum(counts) / x.size
    before = after - counts / x.size
    fitted = _mixture_cdf(values, zero_share, mu, sigma)
    fitted_before = np.where(values > 0.0, fitted, 0.0)    # the only jump of the model is at 0
    return float(max(np.abs(after - fitted).max(), np.abs(before - fitted_before).max()))


def fit_response_distribution(tickets: pd.DataFrame, channel: str) -> FitResult:
    """First-response times of one channel: empirical quantiles and a log-normal fit.

    Parameters
    ----------
    tickets : DataFrame
        Typed ticket table; uses ``first_response_h`` or ``first_reply`` and ``created``.
    channel : str
        The channel to fit.

    Returns
    -------
    Fit or Skipped
        ``values``: ``p10_h``, ``p25_h``, ``median_h``, ``p75_h``, ``p90_h``, ``p95_h``, ``mean_h``,
        ``zero_share_pct`` (answered at once), ``lognormal_mu`` and ``lognormal_sigma`` (of log hours
        of the positive times). Intervals: ``median_h`` and ``p90_h`` from order statistics.
        Quality: KS distance between the data and the log-normal (with its point mass at 0).
        ``data``: ``response_h``, ``observed_cdf``; ``curve``: ``response_h``, ``fitted_cdf``.
        Sets no model parameter (the model derives response times from staffing). Skipped below
        ``MIN_RESPONSE_TICKETS`` replied tickets.
    """
    key = f"response_distribution:{channel}"
    rows = channel_rows(tickets, channel)
    hours = response_times_h(rows).to_numpy(dtype=np.float64)
    hours = np.sort(hours[np.isfinite(hours)])
    positive = hours[hours > 0.0]
    if positive.size < MIN_RESPONSE_TICKETS:
        return Skipped(key, f"{positive.size} {channel_label(channel)} tickets with a first response "
                            f"after creation; the fit needs {MIN_RESPONSE_TICKETS}")
    n = hours.size
    zero_share = 1.0 - positive.size / n
    logs = np.log(positive)
    mu, sigma = float(logs.mean()), float(max(logs.std(ddof=1), 1e-9))
    ks = ks_distance(hours, zero_share, mu, sigma)
    qs = {"p10_h": 0.10, "p25_h": 0.25, "median_h": 0.50, "p75_h": 0.75, "p90_h": 0.90, "p95_h": 0.95}
    values = tuple((name, float(np.quantile(hours, q))) for name, q in qs.items()) + (
        ("mean_h", float(hours.mean())), ("zero_share_pct", zero_share), ("lognormal_mu", mu),
        ("lognormal_sigma", sigma))
    intervals = tuple((name, *_quantile_interval(hours, qs[name])) for name in ("median_h", "p90_h"))
    grid = np.geomspace(positive[0], positive[-1], 60)
    observed = np.searchsorted(hours, grid, side="right") / n
    data = pd.DataFrame({"response_h": grid, "observed_cdf": observed})
    curve = pd.DataFrame({"response_h": grid, "fitted_cdf": _mixture_cdf(grid, zero_share, mu, sigma)})
    v = dict(values)
    note = (f"{zero_share:.0%} answered at once, median first response {duration_text(v['median_h'])}, 90 % within "
            f"{duration_text(v['p90_h'])}; the log-normal is off by at most {ks:.1%} of tickets (KS).")
    return Fit(key, f"First-response times ({channel_label(channel)})", n, "KS distance", ks, values,
               intervals, data, curve, note)
