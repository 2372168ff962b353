"""Fit 1, the arrival profile: the share of a week's tickets in each local hour, from creation times.

See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd

from calibration.fit import SEED, Fit, FitResult, Skipped, band_90, has_values, parameter_draws, weighted_r2
from model import Z_95, FloatArray

MIN_ARRIVAL_TICKETS = 500         # tickets with a creation time
MIN_ARRIVAL_DAYS = 7              # local calendar days spanned (every weekday seen at least once)
SUBSTEPS_PER_HOUR = 4             # the engine's 15-minute steps, summed into hours


def arrival_shares(params: FloatArray) -> FloatArray:
    """Share of a week's tickets in each local hour of week under an :class:`ArrivalProfile`.

    Parameters
    ----------
    params : array, shape (..., 4)
        ``peak_h, spread_h, base, weekend_factor``.

    Returns
    -------
    array, shape (..., 168)
        Shares summing to 1; hour 0 is Monday 00:00-01:00 local. The rate is evaluated at the
        midpoints of 15-minute steps and summed per hour, as :func:`model.operations.demand.region_week_profile`
        does for the engine's steps.
    """
    p = np.asarray(params, dtype=np.float64)
    peak, spread, base, weekend = (p[..., i, None] for i in range(4))
    steps = np.arange(168 * SUBSTEPS_PER_HOUR)
    hour = np.mod((steps + 0.5) / SUBSTEPS_PER_HOUR, 24.0)
    weekend_step = steps // (24 * SUBSTEPS_PER_HOUR) >= 5
    rate = base + np.exp(-0.5 * ((hour - peak) / spread) ** 2)
    rate = rate * np.where(weekend_step, weekend, 1.0)
    hourly = rate.reshape(rate.shape[:-1] + (168, SUBSTEPS_PER_HOUR)).sum(axis=-1)
    total = hourly.sum(axis=-1, keepdims=True)
    # a draw whose narrow peak falls between the steps has no rate at all: an even week, not 0/0
    return np.where(total > 0, hourly / np.where(total > 0, total, 1.0), 1.0 / 168)


def observed_week_shares(created: pd.Series, utc_offset_h: float) -> tuple[FloatArray, FloatArray, int]:
    """Tickets per local hour of week, each weekday divided by how often it was observed.

    Parameters
    ----------
    created : Series of datetime64[us, UTC]
        Creation times (missing ones are dropped).
    utc_offset_h : float
        Local time = UTC + this many hours (no daylight saving).

    Returns
    -------
    counts : array (168,)
        Tickets in each local hour of week (Monday 00-01 first).
    shares : array (168,)
        Share of an average week's tickets in each hour: counts / number of that weekday's dates
        between the first and the last ticket's local date, normalised to sum 1.
    days : int
        Local calendar days spanned.
    """
    local = created.dropna() + pd.Timedelta(hours=utc_offset_h)
    slot = (local.dt.day_of_week * 24 + local.dt.hour).to_numpy(dtype=np.int64)
    counts = np.bincount(slot, minlength=168).astype(np.float64)
    shares, days = week_shares(counts, local.min(), local.max())
    return counts, shares, days


def week_shares(counts: FloatArray, first_local: pd.Timestamp, last_local: pd.Timestamp) -> tuple[FloatArray, int]:
    """Tickets per local hour of week (``counts``, Monday 00-01 first) -> an average week's shares, each weekday
    divided by how often it occurs from the first to the last local date; and the days spanned."""
    dates = pd.date_range(first_local.normalize(), last_local.normalize(), freq="D")
    seen = np.repeat(np.bincount(dates.day_of_week, minlength=7), 24)
    rate = np.asarray(counts, dtype=np.float64) / np.maximum(seen, 1)
    return rate / rate.sum(), len(dates)


def _arrival_start(shares: FloatArray) -> list[FloatArray]:
    week = shares.reshape(7, 24)
    weekday, weekend = week[:5].mean(axis=0), week[5:].mean(axis=0)
    peak = float(np.argmax(weekday)) + 0.5
    base = float(weekday.min() / max(weekday.max(), 1e-12))
    ratio = float(weekend.sum() / max(weekday.sum(), 1e-12))
    return [np.array([peak, spread, base, ratio]) for spread in (1.5, 3.0, 5.0)]


def fit_arrival_profile(tickets: pd.DataFrame, utc_offset_h: float = 0.0) -> FitResult:
    """Least-squares fit of :class:`~model.params.ArrivalProfile` to the local hour-of-week shape.

    Parameters
    ----------
    tickets : DataFrame
        Typed ticket table; uses ``created``.
    utc_offset_h : float
        Hours to add to UTC to get the customers' local clock.

    Returns
    -------
    Fit or Skipped
        ``values``: ``peak_h``, ``spread_h``, ``base``, ``weekend_factor``. Intervals: Wald, from the
        least-squares Jacobian. Quality: R² of the fitted 168 shares against the observed ones.
        ``data``: ``hour_of_week``, ``weekday``, ``hour``, ``tickets``, ``observed_share``.
        ``curve``: ``hour_of_week``, ``fitted_share``, ``lower``, ``upper``.
        Skipped below ``MIN_ARRIVAL_TICKETS`` tickets or ``MIN_ARRIVAL_DAYS`` days.
    """
    key = "arrival_profile"
    if not has_values(tickets, "created"):
        return Skipped(key, "the tickets have no creation times")
    n = int(tickets["created"].notna().sum())
    if n < MIN_ARRIVAL_TICKETS:
        return Skipped(key, f"{n} tickets; the weekly shape needs at least {MIN_ARRIVAL_TICKETS}")
    counts, shares, days = observed_week_shares(tickets["created"], utc_offset_h)
    return fit_arrival_counts(counts, shares, days)


def fit_arrival_counts(counts: FloatArray, shares: FloatArray, days: int, where: str = "") -> FitResult:
    """:func:`fit_arrival_profile` on tickets already counted per local hour of week (``counts``, their ``shares`` of
    an average week and the ``days`` spanned, as :func:`observed_week_shares` gives them, or a database sums them).
    ``where`` is added to the fit's note (where the counts come from)."""
    key = "arrival_profile"
    n = int(np.sum(counts))
    if n < MIN_ARRIVAL_TICKETS:
        return Skipped(key, f"{n} tickets; the weekly shape needs at least {MIN_ARRIVAL_TICKETS}")
    if days < MIN_ARRIVAL_DAYS:
        return Skipped(key, f"the tickets span {days} days; the weekly shape needs {MIN_ARRIVAL_DAYS}")

    def residuals(x: FloatArray) -> FloatArray:
        return arrival_shares(x) - shares

    lower, upper = [0.0, 0.3, 0.0, 0.0], [23.999, 24.0, 50.0, 10.0]
    from scipy import optimize      # loaded on a first fit, not at the server's start
    best = min((optimize.least_squares(residuals, np.clip(x0, lower, upper), bounds=(lower, upper))
                for x0 in _arrival_start(shares)), key=lambda r: r.cost)
    x = best.x
    sigma2 = 2.0 * best.cost / (168 - 4)
    cov = sigma2 * np.linalg.pinv(best.jac.T @ best.jac)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    names = ("peak_h", "spread_h", "base", "weekend_factor")
    lows = np.maximum(x - Z_95 * se, [0.0, 1e-3, 0.0, 0.0])
    highs = x + Z_95 * se
    draws = np.clip(parameter_draws(np.random.default_rng(SEED), x, cov), [-24.0, 0.05, 0.0, 0.0], None)
    band_low, band_high = band_90(arrival_shares(draws))
    fitted = arrival_shares(x)
    r2 = weighted_r2(shares, fitted)
    hours = np.arange(168)
    data = pd.DataFrame({"hour_of_week": hours, "weekday": hours // 24, "hour": hours % 24,
                         "tickets": counts, "observed_share": shares})
    curve = pd.DataFrame({"hour_of_week": hours, "fitted_share": fitted, "lower": band_low, "upper": band_high})
    note = (f"Arrivals peak near {x[0]:.1f} h local (spread {x[1]:.1f} h), weekend days run at "
            f"{x[3]:.0%} of weekdays; the shape explains {r2:.0%} of the hour-to-hour variation.")
    if r2 < 0.5:
        note += " The model's one-peak day with a Saturday-Sunday weekend fits these data poorly."
    note += where
    return Fit(key, "Arrivals by local hour of week", n, "R²", r2,
               tuple((nm, float(v)) for nm, v in zip(names, x)),
               tuple((nm, float(lo), float(hi)) for nm, lo, hi in zip(names, lows, highs)),
               data, curve, note)
