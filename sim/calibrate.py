"""Uploaded data -> fitted model parameters, each with the diagnostics to judge it.

Every fit takes the typed tables of :mod:`sim.io.schema` (tickets with a boolean-or-missing
``satisfied`` column beside the schema's fields; customers) and returns a :class:`Fit`, or a
:class:`Skipped` with the reason when the data are too thin. :func:`apply_fits` writes fits into a
:class:`~sim.params.Scenario` and narrows the matching uncertainty ranges; :func:`fits_from_tables`
runs every fit the data allow. ``docs/calibration.md`` gives each formula, minimum and mapping.

Units live in the names: ``_h`` hours, ``_min`` minutes, ``_pct`` fractions in [0, 1]. Every
interval is a 90 % interval. Random numbers (bootstrap, parameter draws) come from a fixed seed,
so a fit is a pure function of its input.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import expit, logit

from sim.examples import CHAT_CURVE, EMAIL_CURVE, PHONE_CURVE
from sim.experience import GIVE_UP_H
from sim.params import (LIVE_CHANNELS, MULTIPLIER_BOUNDS, ArrivalProfile, Assumptions, Channel, Company,
                        CsatCurve, Scenario)
from sim.uncertainty import Z_95, Range
from sim.weekgrid import FloatArray

# Minimum data: below these a fit is skipped rather than shown with intervals nobody should trust.
MIN_ARRIVAL_TICKETS = 500         # tickets with a creation time
MIN_ARRIVAL_DAYS = 7              # local calendar days spanned (every weekday seen at least once)
MIN_HANDLE_TICKETS = 30           # tickets of the channel with a positive handle time
MIN_RESPONSE_TICKETS = 50         # replied tickets of the channel
MIN_RATED_TICKETS = 200           # rated tickets of the channel with a first response
MIN_FREE_ENDS_RATINGS = 1000      # below this the CSAT floor and ceiling stay fixed
MAX_END_SE_PCT = 0.05             # a fitted floor or ceiling must be known to +-5 points (1 SE)
MIN_CLASS_CUSTOMERS = 30          # customers in a class (and in "none") for its multiplier
MIN_CLASS_TABLE = 100             # customers in the table
MIN_NONE_CHURNS = 10              # churns in "none", the denominator of every churn multiplier
MIN_LIVE_CONTACTS = 200           # live contacts of the channel with a wait and an outcome
MIN_ABANDONS = 20                 # abandonments among them

FLAT_P_VALUE = 0.05               # the CSAT curve is flat unless a trend is significant at this level
MIN_RANGE_HALF_WIDTH = 0.02       # a fitted uncertainty range is never narrower than +-2 %
BOOTSTRAP_REPLICATES = 1000
PARAMETER_DRAWS = 2000            # draws of fitted parameters for the curves' bands
SEED = 20_240_601
DAYS_PER_MONTH = 365.25 / 12.0
SUBSTEPS_PER_HOUR = 4             # the engine's 15-minute steps, summed into hours
RESPONSE_FLOOR_H = 1.0 / 3600.0   # a first response of 0 counts as 1 s in the log-time trend test

CLASS_NAMES = ("none", "satisfied", "dissatisfied")   # the order of sim.experience
CHANNEL_LABELS = {"email": "e-mail", "chat": "chat", "phone": "phone"}
DEFAULT_CURVES = {"email": EMAIL_CURVE, "chat": CHAT_CURVE, "phone": PHONE_CURVE}
EndsRule = Literal["auto", "fit", "fixed"]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, eq=False)
class Fit:
    """One fitted part of the model and the evidence behind it.

    Attributes
    ----------
    key : str
        ``"arrival_profile"``, ``"handle_time:<channel>"``, ``"response_distribution:<channel>"``,
        ``"csat_curve:<channel>"``, ``"classes"`` or ``"patience:<channel>"``.
    label : str
        A title for the page, e.g. "CSAT versus first response (e-mail)".
    rows : int
        Rows the fit rests on (tickets, rated tickets, customers or live contacts).
    quality_name, quality : str, float
        The goodness-of-fit figure and its value (R², KS distance, relative SE, log-loss gain).
    values : tuple of (name, value)
        Fitted parameters, units in the names; the names of :mod:`sim.params` where one is set.
    intervals : tuple of (name, low, high)
        90 % intervals of the main parameters, same names and units as ``values``.
    data : DataFrame
        Points to plot (binned where the rows are many); columns documented per fit.
    curve : DataFrame
        The fitted curve, with ``lower`` / ``upper`` band columns where meaningful.
    note : str
        One sentence on what the fit says, including when the data show no relationship.
    """

    key: str
    label: str
    rows: int
    quality_name: str
    quality: float
    values: tuple[tuple[str, float], ...]
    intervals: tuple[tuple[str, float, float], ...]
    data: pd.DataFrame
    curve: pd.DataFrame
    note: str

    def __post_init__(self) -> None:
        # Plain floats, so values and intervals serialise as JSON whatever numpy type a fit produced.
        object.__setattr__(self, "values", tuple((str(n), float(v)) for n, v in self.values))
        object.__setattr__(self, "intervals", tuple((str(n), float(lo), float(hi)) for n, lo, hi in self.intervals))
        object.__setattr__(self, "quality", float(self.quality))
        object.__setattr__(self, "rows", int(self.rows))

    @property
    def kind(self) -> str:
        """The key before the colon: ``"csat_curve"`` for ``"csat_curve:email"``."""
        return self.key.partition(":")[0]

    @property
    def channel(self) -> str | None:
        """The channel after the colon, ``None`` for fits that are not per channel."""
        return self.key.partition(":")[2] or None

    def value(self, name: str) -> float:
        """The fitted value called ``name`` (KeyError when the fit has none)."""
        return dict(self.values)[name]

    def interval(self, name: str) -> tuple[float, float] | None:
        """The 90 % interval of ``name``, or ``None`` when the fit gives none."""
        found = {n: (lo, hi) for n, lo, hi in self.intervals}
        return found.get(name)


@dataclass(frozen=True)
class Skipped:
    """A fit that could not run, and why. Falsy, so ``if fit:`` reads like a check for ``None``."""

    key: str
    reason: str

    def __bool__(self) -> bool:
        return False


FitResult = Fit | Skipped


def _has(frame: pd.DataFrame | None, column: str) -> bool:
    return frame is not None and column in frame.columns and bool(frame[column].notna().any())


def _channel_rows(tickets: pd.DataFrame, channel: str) -> pd.DataFrame:
    """The tickets of ``channel``; a table without a channel column is taken to be all ``channel``."""
    if "channel" not in tickets.columns:
        return tickets
    return tickets[tickets["channel"] == channel]


def _channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


def _wilson(successes: FloatArray, trials: FloatArray) -> tuple[FloatArray, FloatArray]:
    """90 % Wilson score interval of a share."""
    n = np.maximum(np.asarray(trials, dtype=np.float64), 1.0)
    p = np.asarray(successes, dtype=np.float64) / n
    z2 = Z_95 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return np.clip(np.minimum(centre - half, p), 0.0, 1.0), np.clip(np.maximum(centre + half, p), 0.0, 1.0)


def _band(draws: FloatArray) -> tuple[FloatArray, FloatArray]:
    """5th and 95th percentiles over the first (draws) axis."""
    low, high = np.nanpercentile(draws, [5.0, 95.0], axis=0)
    return low, high


def _duration(hours: float) -> str:
    """A duration for a sentence: seconds, minutes or hours, whichever reads best."""
    if hours < 1.0 / 60.0:
        return f"{hours * 3600:.0f} s"
    return f"{hours * 60:.1f} min" if hours < 1.0 else f"{hours:.2g} h"


def _weighted_r2(observed: FloatArray, fitted: FloatArray, weights: FloatArray | None = None) -> float:
    w = np.ones_like(observed) if weights is None else weights
    mean = np.average(observed, weights=w)
    total = float((w * (observed - mean) ** 2).sum())
    return 1.0 - float((w * (observed - fitted) ** 2).sum()) / total if total > 0 else float("nan")


# --------------------------------------------------------------------------- 1. arrival profile


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
        midpoints of 15-minute steps and summed per hour, as :func:`sim.demand.region_week_profile`
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
    return hourly / hourly.sum(axis=-1, keepdims=True)


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
    dates = pd.date_range(local.min().normalize(), local.max().normalize(), freq="D")
    seen = np.repeat(np.bincount(dates.day_of_week, minlength=7), 24)
    rate = counts / np.maximum(seen, 1)
    return counts, rate / rate.sum(), len(dates)


def _arrival_start(shares: FloatArray) -> list[FloatArray]:
    week = shares.reshape(7, 24)
    weekday, weekend = week[:5].mean(axis=0), week[5:].mean(axis=0)
    peak = float(np.argmax(weekday)) + 0.5
    base = float(weekday.min() / max(weekday.max(), 1e-12))
    ratio = float(weekend.sum() / max(weekday.sum(), 1e-12))
    return [np.array([peak, spread, base, ratio]) for spread in (1.5, 3.0, 5.0)]


def fit_arrival_profile(tickets: pd.DataFrame, utc_offset_h: float = 0.0) -> FitResult:
    """Least-squares fit of :class:`~sim.params.ArrivalProfile` to the local hour-of-week shape.

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
    if not _has(tickets, "created"):
        return Skipped(key, "the tickets have no creation times")
    n = int(tickets["created"].notna().sum())
    if n < MIN_ARRIVAL_TICKETS:
        return Skipped(key, f"{n} tickets; the weekly shape needs at least {MIN_ARRIVAL_TICKETS}")
    counts, shares, days = observed_week_shares(tickets["created"], utc_offset_h)
    if days < MIN_ARRIVAL_DAYS:
        return Skipped(key, f"the tickets span {days} days; the weekly shape needs {MIN_ARRIVAL_DAYS}")

    def residuals(x: FloatArray) -> FloatArray:
        return arrival_shares(x) - shares

    lower, upper = [0.0, 0.3, 0.0, 0.0], [23.999, 24.0, 50.0, 10.0]
    best = min((optimize.least_squares(residuals, np.clip(x0, lower, upper), bounds=(lower, upper))
                for x0 in _arrival_start(shares)), key=lambda r: r.cost)
    x = best.x
    sigma2 = 2.0 * best.cost / (168 - 4)
    cov = sigma2 * np.linalg.pinv(best.jac.T @ best.jac)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    names = ("peak_h", "spread_h", "base", "weekend_factor")
    lows = np.maximum(x - Z_95 * se, [0.0, 1e-3, 0.0, 0.0])
    highs = x + Z_95 * se
    draws = np.clip(_draws(np.random.default_rng(SEED), x, cov), [-24.0, 0.05, 0.0, 0.0], None)
    band_low, band_high = _band(arrival_shares(draws))
    fitted = arrival_shares(x)
    r2 = _weighted_r2(shares, fitted)
    hours = np.arange(168)
    data = pd.DataFrame({"hour_of_week": hours, "weekday": hours // 24, "hour": hours % 24,
                         "tickets": counts, "observed_share": shares})
    curve = pd.DataFrame({"hour_of_week": hours, "fitted_share": fitted, "lower": band_low, "upper": band_high})
    note = (f"Arrivals peak near {x[0]:.1f} h local (spread {x[1]:.1f} h), weekend days run at "
            f"{x[3]:.0%} of weekdays; the shape explains {r2:.0%} of the hour-to-hour variation.")
    if r2 < 0.5:
        note += " The model's one-peak day with a Saturday-Sunday weekend fits these data poorly."
    return Fit(key, "Arrivals by local hour of week", n, "R²", r2,
               tuple((nm, float(v)) for nm, v in zip(names, x)),
               tuple((nm, float(lo), float(hi)) for nm, lo, hi in zip(names, lows, highs)),
               data, curve, note)


# --------------------------------------------------------------------------- 2. handle time


def _log_bins(x: FloatArray, bins: int) -> FloatArray:
    lo, hi = float(x.min()), float(x.max())
    return np.geomspace(lo, hi * (1 + 1e-9), bins + 1) if hi > lo else np.array([lo * 0.999, lo * 1.001])


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
    rows = _channel_rows(tickets, channel)
    if not _has(rows, "handle_time_h"):
        return Skipped(key, f"no handle times on {_channel_label(channel)} tickets")
    minutes = rows["handle_time_h"].to_numpy(dtype=np.float64) * 60.0
    minutes = minutes[np.isfinite(minutes) & (minutes > 0.0)]
    n = minutes.size
    if n < MIN_HANDLE_TICKETS:
        return Skipped(key, f"{n} {_channel_label(channel)} handle times; the fit needs {MIN_HANDLE_TICKETS}")
    mean, sd = float(minutes.mean()), float(minutes.std(ddof=1))
    se = sd / np.sqrt(n)
    t = float(stats.t.ppf(0.95, n - 1))
    logs = np.log(minutes)
    mu, sigma = float(logs.mean()), float(logs.std(ddof=1))
    edges = _log_bins(minutes, 20)
    hist = np.histogram(minutes, edges)[0]
    cdf = stats.norm.cdf((np.log(edges) - mu) / max(sigma, 1e-12))
    data = pd.DataFrame({"from_min": edges[:-1], "to_min": edges[1:], "tickets": hist, "share": hist / n})
    curve = pd.DataFrame({"from_min": edges[:-1], "to_min": edges[1:], "share": np.diff(cdf)})
    values = (("mean_min", mean), ("median_min", float(np.median(minutes))),
              ("p90_min", float(np.percentile(minutes, 90))), ("sd_min", sd), ("lognormal_sigma", sigma))
    note = (f"{_channel_label(channel).capitalize()} tickets take {mean:.2f} min of agent time on average "
            f"(90 %: {mean - t * se:.2f}-{mean + t * se:.2f}), median {values[1][1]:.2f} min.")
    return Fit(key, f"Handle time ({_channel_label(channel)})", n, "relative SE", se / mean, values,
               (("mean_min", float(mean - t * se), float(mean + t * se)),), data, curve, note)


# --------------------------------------------------------------------------- 3. first response


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
    return np.where(x > 0.0, zero_share + (1.0 - zero_share) * stats.norm.cdf(z), zero_share)


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
    rows = _channel_rows(tickets, channel)
    hours = response_times_h(rows).to_numpy(dtype=np.float64)
    hours = np.sort(hours[np.isfinite(hours)])
    positive = hours[hours > 0.0]
    if positive.size < MIN_RESPONSE_TICKETS:
        return Skipped(key, f"{positive.size} {_channel_label(channel)} tickets with a first response "
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
    note = (f"{zero_share:.0%} answered at once, median first response {_duration(v['median_h'])}, 90 % within "
            f"{_duration(v['p90_h'])}; the log-normal is off by at most {ks:.1%} of tickets (KS).")
    return Fit(key, f"First-response times ({_channel_label(channel)})", n, "KS distance", ks, values,
               intervals, data, curve, note)


# --------------------------------------------------------------------------- 4. CSAT curve


def csat_curve_values(response_h: FloatArray, floor_pct: FloatArray, ceiling_pct: FloatArray,
                      half_h: FloatArray, slope: FloatArray) -> FloatArray:
    """The model's CSAT of a ticket answered after ``response_h``, parameters broadcasting.

    Same formula as :func:`sim.experience.csat_of_response`: the logistic curve in log time times
    the share of customers still waiting, ``1 / (1 + (t / GIVE_UP_H) ** 4)``.
    """
    t = np.maximum(np.asarray(response_h, dtype=np.float64), 0.0)
    with np.errstate(over="ignore", divide="ignore"):    # an infinite ratio is a CSAT at the floor
        curve = floor_pct + (ceiling_pct - floor_pct) / (1.0 + (t / half_h) ** slope)
        return curve / (1.0 + (t / GIVE_UP_H) ** 4)


@dataclass(frozen=True)
class _CsatData:
    log_t: FloatArray        # log hours, -inf for an immediate answer
    give_up: FloatArray      # the model's still-waiting factor at each response time
    y: FloatArray            # 1 satisfied, 0 not


def _ends(theta: FloatArray, fixed: tuple[float, float] | None) -> tuple[FloatArray, FloatArray]:
    """(floor, ceiling) from the parameter vector: fixed, or floor = expit(a), ceiling above it."""
    if fixed is not None:
        return np.asarray(fixed[0]), np.asarray(fixed[1])
    floor = expit(theta[..., 2])
    return floor, floor + (1.0 - floor) * expit(theta[..., 3])


def _csat_p_and_jacobian(theta: FloatArray, d: _CsatData,
                         fixed: tuple[float, float] | None) -> tuple[FloatArray, FloatArray]:
    """CSAT per rating and its derivatives by ``theta`` = (log half_h, log slope[, a, b])."""
    slope = np.exp(theta[1])
    with np.errstate(invalid="ignore"):
        u = slope * (d.log_t - theta[0])
    s = expit(-u)                               # 1 / (1 + (t / half) ** slope)
    ds = s * (1.0 - s)
    floor, ceiling = _ends(theta, fixed)
    span = (ceiling - floor) * d.give_up
    cols = [span * ds * slope, -span * np.where(ds > 0.0, ds * u, 0.0)]
    if fixed is None:
        eb = expit(theta[3])
        cols.append(d.give_up * floor * (1 - floor) * ((1 - s) + (1 - eb) * s))
        cols.append(d.give_up * s * (1 - floor) * eb * (1 - eb))
    p = (floor + (ceiling - floor) * s) * d.give_up
    return np.clip(p, 1e-9, 1 - 1e-9), np.stack(cols, axis=1)


def _nll(theta: FloatArray, d: _CsatData, fixed: tuple[float, float] | None) -> tuple[float, FloatArray]:
    p, jac = _csat_p_and_jacobian(theta, d, fixed)
    nll = -float(np.sum(d.y * np.log(p) + (1 - d.y) * np.log1p(-p)))
    return nll, -((d.y - p) / (p * (1 - p))) @ jac


def _fisher_cov(theta: FloatArray, d: _CsatData, fixed: tuple[float, float] | None) -> FloatArray:
    p, jac = _csat_p_and_jacobian(theta, d, fixed)
    info = jac.T @ (jac / (p * (1 - p))[:, None])
    cov = np.linalg.pinv(info)
    return 0.5 * (cov + cov.T)


def _draws(rng: np.random.Generator, theta: FloatArray, cov: FloatArray) -> FloatArray:
    """Parameter draws from the asymptotic normal law of the estimate (a singular cov is allowed)."""
    return rng.multivariate_normal(theta, cov, size=PARAMETER_DRAWS, method="eigh", check_valid="ignore")


def _grid_start(d: _CsatData, fixed: tuple[float, float]) -> FloatArray:
    """Best (log half, log slope) on a coarse grid, on at most 20,000 ratings (a strided subsample)."""
    step = max(1, d.y.size // 20_000)
    log_t, give_up, y = d.log_t[::step], d.give_up[::step], d.y[::step]
    finite = log_t[np.isfinite(log_t)]
    halves = np.quantile(finite, np.linspace(0.02, 0.98, 25)) if finite.size else np.array([0.0])
    lh, ls = np.meshgrid(halves, np.log([0.5, 1.0, 2.0]), indexing="ij")
    lh, ls = lh.ravel()[:, None], ls.ravel()[:, None]
    with np.errstate(invalid="ignore", over="ignore"):
        s = expit(-np.exp(ls) * (log_t - lh))
    p = np.clip((fixed[0] + (fixed[1] - fixed[0]) * s) * give_up, 1e-9, 1 - 1e-9)
    ll = (y * np.log(p) + (1 - y) * np.log1p(-p)).sum(axis=1)
    best = int(np.argmax(ll))
    return np.array([lh[best, 0], ls[best, 0]])


def _minimise(theta0: FloatArray, d: _CsatData, fixed: tuple[float, float] | None,
              log_t_range: tuple[float, float]) -> FloatArray:
    lo, hi = log_t_range
    bounds = [(lo - 5.0, hi + 5.0), (np.log(0.05), np.log(20.0))] + ([] if fixed else [(-12.0, 12.0)] * 2)
    res = optimize.minimize(_nll, theta0, args=(d, fixed), jac=True, method="L-BFGS-B", bounds=bounds)
    return res.x


def trend_test(response_h: FloatArray, satisfied: FloatArray) -> tuple[float, float]:
    """Likelihood-ratio test of CSAT against log response time, versus a flat CSAT.

    The model's curve with floor 0 and ceiling 1 is ``logit(csat) = slope * (log half_h - log t)``:
    a logistic regression on log time, which contains the flat model (coefficient 0). Times of 0
    count as ``RESPONSE_FLOOR_H``.

    Returns
    -------
    coefficient : float
        Change of logit(CSAT) per unit of log hours; the model's curve needs it negative.
    p_value : float
        Of the likelihood-ratio statistic, chi-square with 1 degree of freedom.
    """
    x = np.log(np.maximum(response_h, RESPONSE_FLOOR_H))
    x = x - x.mean()
    y = np.asarray(satisfied, dtype=np.float64)
    pbar = float(np.clip(y.mean(), 1e-9, 1 - 1e-9))
    beta = np.array([logit(pbar), 0.0])
    design = np.stack([np.ones_like(x), x], axis=1)
    for _ in range(25):                         # Newton on 2 parameters: converges in a few steps
        p = expit(design @ beta)
        hess = design.T @ (design * (p * (1 - p))[:, None])
        step = np.linalg.lstsq(hess, design.T @ (y - p), rcond=None)[0]
        beta = beta + step
        if np.abs(step).max() < 1e-10:
            break
    p = np.clip(expit(design @ beta), 1e-12, 1 - 1e-12)
    ll1 = float(np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)))
    ll0 = float(np.sum(y * np.log(pbar) + (1 - y) * np.log1p(-pbar)))
    return float(beta[1]), float(stats.chi2.sf(max(2.0 * (ll1 - ll0), 0.0), 1))


def _csat_bins(t: FloatArray, y: FloatArray) -> pd.DataFrame:
    """CSAT per log-spaced response bin (immediate answers in a bin of their own), Wilson 90 %."""
    positive = t[t > 0.0]
    edges = _log_bins(positive, 12) if positive.size else np.array([0.0, 1.0])
    which = np.where(t > 0.0, np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(edges) - 2) + 1, 0)
    frame = pd.DataFrame({"bin": which, "t": t, "y": y})
    g = frame.groupby("bin")
    table = pd.DataFrame({"response_h": g["t"].median(), "rated": g.size(), "satisfied": g["y"].sum()})
    lower_edges = np.concatenate([[0.0], edges[:-1]])
    upper_edges = np.concatenate([[0.0], edges[1:]])
    table["from_h"] = lower_edges[table.index]
    table["to_h"] = upper_edges[table.index]
    table["csat_pct"] = table["satisfied"] / table["rated"]
    table["lower"], table["upper"] = _wilson(table["satisfied"].to_numpy(), table["rated"].to_numpy())
    return table.reset_index(drop=True)[["from_h", "to_h", "response_h", "rated", "satisfied", "csat_pct",
                                         "lower", "upper"]]


def _free_ends_allowed(theta: FloatArray, cov: FloatArray, t: FloatArray, n: int,
                       draws: FloatArray) -> bool:
    """Floor and ceiling are identified: many ratings, each end known to +-5 points, and the
    observed response times reach from 90 % to 10 % of the way between ceiling and floor."""
    if n < MIN_FREE_ENDS_RATINGS or not np.all(np.isfinite(cov)):
        return False
    floor, ceiling = _ends(draws, None)
    if max(float(np.std(floor)), float(np.std(ceiling))) > MAX_END_SE_PCT:
        return False
    half, slope = np.exp(theta[0]), np.exp(theta[1])
    t05, t95 = np.quantile(t, [0.05, 0.95])
    return bool(t05 <= half * 9.0 ** (-1.0 / slope) and t95 >= half * 9.0 ** (1.0 / slope))


def _flat_csat_fit(key: str, label: str, t: FloatArray, y: FloatArray, fallback: CsatCurve,
                   coefficient: float, p_value: float) -> Fit:
    n, pbar = y.size, float(y.mean())
    lo, hi = _wilson(np.array([y.sum()]), np.array([n]))
    grid = np.geomspace(max(t[t > 0].min(), 1e-4) if (t > 0).any() else 1e-3, max(t.max(), 1e-3), 60)
    curve = pd.DataFrame({"response_h": grid, "csat_pct": pbar, "lower": lo[0], "upper": hi[0]})
    why = ("CSAT rises with response time here, which the model's falling curve cannot follow"
           if coefficient > 0 and p_value <= FLAT_P_VALUE else "No relationship in the data")
    note = (f"{why}: the curve is flat at {pbar:.0%} (likelihood-ratio p = {p_value:.2g} against a flat "
            f"CSAT), so faster answers earn no CSAT in the model for this channel.")
    values = (("floor_pct", pbar), ("ceiling_pct", pbar), ("half_h", fallback.half_h),
              ("slope", fallback.slope), ("csat_pct", pbar), ("lr_p_value", p_value),
              ("log_time_coefficient", coefficient))
    return Fit(key, label, n, "log-loss gain vs flat", 0.0, values, (("csat_pct", float(lo[0]), float(hi[0])),),
               _csat_bins(t, y), curve, note)


def fit_csat_curve(tickets: pd.DataFrame, channel: str, floor_pct: float | None = None,
                   ceiling_pct: float | None = None, ends: EndsRule = "auto") -> FitResult:
    """Maximum-likelihood fit of the model's CSAT curve to rated tickets of one channel.

    ``csat(t) = (floor + (ceiling - floor) / (1 + (t / half_h) ** slope)) / (1 + (t / GIVE_UP_H) ** 4)``
    with each rating a Bernoulli draw of ``satisfied``. ``half_h`` and ``slope`` are always fitted;
    floor and ceiling too when ``ends`` allows it (see below), else fixed.

    Parameters
    ----------
    tickets : DataFrame
        Typed ticket table; uses ``satisfied`` (boolean or missing), the first response
        (:func:`response_times_h`) and ``channel``.
    channel : str
        The channel to fit.
    floor_pct, ceiling_pct : float, optional
        The fixed ends (the channel's current curve); default the example curve of the channel.
    ends : {"auto", "fit", "fixed"}
        ``"fit"`` fits floor and ceiling; ``"fixed"`` keeps them; ``"auto"`` fits them when there are
        ``MIN_FREE_ENDS_RATINGS`` ratings, each end's SE is below ``MAX_END_SE_PCT`` and the observed
        response times (5th to 95th percentile) cover the fall from 90 % to 10 % of the curve's span.

    Returns
    -------
    Fit or Skipped
        ``values``: ``floor_pct``, ``ceiling_pct``, ``half_h``, ``slope``, ``csat_pct`` (overall),
        ``lr_p_value`` and ``log_time_coefficient`` of :func:`trend_test`. When that test finds no
        falling trend (p > ``FLAT_P_VALUE`` or a rising one) the curve is flat: floor = ceiling =
        overall CSAT, ``half_h`` and ``slope`` those of the fixed curve (they no longer matter).
        Intervals: ``half_h`` and ``slope`` (Wald on the log scale, Fisher information), and
        ``floor_pct`` / ``ceiling_pct`` when fitted; ``csat_pct`` (Wilson) when flat.
        Quality: log-loss gain over a flat CSAT, ``1 - NLL(curve) / NLL(flat)``.
        ``data``: ``from_h``, ``to_h``, ``response_h`` (bin median), ``rated``, ``satisfied``,
        ``csat_pct``, ``lower``, ``upper`` (Wilson 90 %). ``curve``: ``response_h``, ``csat_pct``,
        ``lower``, ``upper`` (5th-95th percentile of the curve over parameter draws from the Fisher
        covariance). Skipped below ``MIN_RATED_TICKETS`` rated tickets with a response time.
    """
    key, label = f"csat_curve:{channel}", f"CSAT versus first response ({_channel_label(channel)})"
    rows = _channel_rows(tickets, channel)
    if not _has(rows, "satisfied"):
        return Skipped(key, f"no satisfaction ratings on {_channel_label(channel)} tickets")
    t_all = response_times_h(rows).to_numpy(dtype=np.float64)
    rated = rows["satisfied"].notna().to_numpy() & np.isfinite(t_all)
    n = int(rated.sum())
    if n < MIN_RATED_TICKETS:
        return Skipped(key, f"{n} rated {_channel_label(channel)} tickets with a response time; "
                            f"the curve needs {MIN_RATED_TICKETS}")
    t = t_all[rated]
    y = rows["satisfied"].to_numpy()[rated].astype(bool).astype(np.float64)
    fallback = DEFAULT_CURVES.get(channel, EMAIL_CURVE)
    fixed = (fallback.floor_pct if floor_pct is None else float(floor_pct),
             fallback.ceiling_pct if ceiling_pct is None else float(ceiling_pct))
    fallback = CsatCurve(*fixed, fallback.half_h, fallback.slope)
    coefficient, p_value = trend_test(t, y)
    if p_value > FLAT_P_VALUE or coefficient >= 0.0:
        return _flat_csat_fit(key, label, t, y, fallback, coefficient, p_value)

    with np.errstate(divide="ignore"):
        d = _CsatData(np.log(t), 1.0 / (1.0 + (t / GIVE_UP_H) ** 4), y)
    positive = np.log(t[t > 0]) if (t > 0).any() else np.array([0.0])
    span = (float(positive.min()), float(positive.max()))
    theta = _minimise(_grid_start(d, fixed), d, fixed, span)
    cov = _fisher_cov(theta, d, fixed)
    rng = np.random.default_rng(SEED)
    free = None
    if ends != "fixed":
        f0, c0 = np.clip(fixed[0], 0.01, 0.98), np.clip(fixed[1], 0.02, 0.99)
        start = np.array([theta[0], theta[1], logit(f0), logit(np.clip((c0 - f0) / (1 - f0), 0.01, 0.99))])
        theta4 = _minimise(start, d, None, span)
        cov4 = _fisher_cov(theta4, d, None)
        draws4 = _draws(rng, theta4, cov4)
        if ends == "fit" or _free_ends_allowed(theta4, cov4, t, n, draws4):
            free = (theta4, cov4, draws4)
    if free is not None:
        theta, cov, draws = free
        ends_used = None
    else:
        draws = _draws(rng, theta, cov)
        ends_used = fixed
    return _curve_fit_result(key, label, t, y, theta, cov, draws, ends_used, d, coefficient, p_value)


def _curve_fit_result(key: str, label: str, t: FloatArray, y: FloatArray, theta: FloatArray,
                      cov: FloatArray, draws: FloatArray, fixed: tuple[float, float] | None,
                      d: _CsatData, coefficient: float, p_value: float) -> Fit:
    n, pbar = y.size, float(y.mean())
    floor, ceiling = (float(v) for v in _ends(theta, fixed))
    half, slope = float(np.exp(theta[0])), float(np.exp(theta[1]))
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    nll_curve = _nll(theta, d, fixed)[0]
    nll_flat = -float(np.sum(y * np.log(pbar) + (1 - y) * np.log1p(-pbar)))
    gain = 1.0 - nll_curve / nll_flat if nll_flat > 0 else 0.0
    reach = np.minimum(Z_95 * se[:2], 50.0)      # a shapeless likelihood: very wide, but finite
    intervals = [("half_h", half * np.exp(-reach[0]), half * np.exp(reach[0])),
                 ("slope", slope * np.exp(-reach[1]), slope * np.exp(reach[1]))]
    draw_floor, draw_ceiling = _ends(draws, fixed)
    if fixed is None:
        for name, sample in (("floor_pct", draw_floor), ("ceiling_pct", draw_ceiling)):
            lo, hi = np.percentile(sample, [5.0, 95.0])
            intervals.append((name, float(lo), float(hi)))
    positive = t[t > 0]
    grid = np.geomspace(np.quantile(positive, 0.005), np.quantile(positive, 0.995), 60) if positive.size \
        else np.geomspace(1e-3, 1.0, 60)
    with np.errstate(over="ignore"):
        band = csat_curve_values(grid, np.atleast_1d(draw_floor)[:, None], np.atleast_1d(draw_ceiling)[:, None],
                                 np.exp(draws[:, 0])[:, None], np.exp(draws[:, 1])[:, None])
    low, high = _band(band)
    curve = pd.DataFrame({"response_h": grid, "csat_pct": csat_curve_values(grid, floor, ceiling, half, slope),
                          "lower": low, "upper": high})
    ends_text = "fitted" if fixed is None else "fixed"
    note = (f"CSAT falls from {ceiling:.0%} to {floor:.0%} ({ends_text} ends), half-way at {half:.2g} h "
            f"(90 %: {intervals[0][1]:.2g}-{intervals[0][2]:.2g}), slope {slope:.2f}; likelihood-ratio "
            f"p = {p_value:.2g} against a flat CSAT.")
    if gain < 0:
        note += " The curve fits worse than a flat CSAT: its fixed floor and ceiling do not suit these data."
    values = (("floor_pct", floor), ("ceiling_pct", ceiling), ("half_h", half), ("slope", slope),
              ("csat_pct", pbar), ("lr_p_value", p_value), ("log_time_coefficient", coefficient))
    return Fit(key, label, n, "log-loss gain vs flat", gain, values,
               tuple((nm, float(lo), float(hi)) for nm, lo, hi in intervals), _csat_bins(t, y), curve, note)


# --------------------------------------------------------------------------- 5. experience classes


@dataclass(frozen=True)
class ClassExposure:
    """Per customer: months at risk and churn in each class, and the class at the end.

    ``months`` and ``churned`` have shape (customers, 3), classes in ``CLASS_NAMES`` order.
    """

    months: FloatArray
    churned: FloatArray
    final_class: np.ndarray
    source: str


def _days(stamps: pd.Series | pd.Index) -> FloatArray:
    return ((stamps - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)).to_numpy(dtype=np.float64)


def _utc(stamps: pd.Series) -> pd.Series:
    s = pd.to_datetime(stamps)
    return s.dt.tz_localize("UTC") if s.dt.tz is None else s.dt.tz_convert("UTC")


def _window_end(customers: pd.DataFrame, tickets: pd.DataFrame | None) -> pd.Timestamp:
    """The latest date the tables mention: the data's "now"."""
    dates = [_utc(customers["start"]).max(), _utc(customers["end"]).max() if _has(customers, "end") else pd.NaT]
    if _has(tickets, "created"):
        dates.append(_utc(tickets["created"]).max())
    return max(d for d in dates if pd.notna(d))


def exposure_from_tickets(customers: pd.DataFrame, tickets: pd.DataFrame,
                          window_end: pd.Timestamp) -> ClassExposure | None:
    """Months in each class with classes that change at each rated ticket.

    A customer is "none" from ``start`` to their first rated ticket, then in the class of their
    latest rated ticket so far (satisfied or dissatisfied) until the next one, until they leave or
    the window ends. A churn counts in the class the customer was in when leaving. Tickets before
    ``start`` count at ``start``; tickets after the customer left are ignored. ``None`` when no
    rated ticket links to a customer.
    """
    start, stop, _ = _customer_span(customers, window_end)
    ids = pd.Series(np.arange(len(customers)), index=customers["customer_id"].to_numpy())
    rated = tickets[tickets["satisfied"].notna() & tickets["customer_id"].isin(ids.index)]
    if rated.empty:
        return None
    who = rated["customer_id"].map(ids).to_numpy(dtype=np.int64)
    when = np.maximum(_days(_utc(rated["created"])), start[who])
    keep = when <= stop[who]
    who, when = who[keep], when[keep]
    cls = np.where(rated["satisfied"].to_numpy()[keep].astype(bool), 1, 2)
    order = np.lexsort((when, who))
    who, when, cls = who[order], when[order], cls[order]
    n = len(customers)
    last = np.r_[who[1:] != who[:-1], True]
    first = np.r_[True, who[1:] != who[:-1]]
    seg_end = np.where(last, stop[who], np.r_[when[1:], 0.0])
    months = np.bincount(who * 3 + cls, weights=(seg_end - when) / DAYS_PER_MONTH, minlength=3 * n).reshape(n, 3)
    first_ticket = np.full(n, np.nan)
    first_ticket[who[first]] = when[first]
    months[:, 0] = (np.where(np.isnan(first_ticket), stop, first_ticket) - start) / DAYS_PER_MONTH
    final = np.zeros(n, dtype=np.int64)
    final[who[last]] = cls[last]
    return ClassExposure(months, _churn_matrix(customers, window_end, final), final, "latest rated ticket")


def exposure_from_complaints(customers: pd.DataFrame, window_end: pd.Timestamp) -> ClassExposure | None:
    """Static classes from ``complained``: complainers are "dissatisfied", the others "none".

    Customers without a complaint flag are left out (zero months, no churn). ``None`` without flags.
    """
    if not _has(customers, "complained"):
        return None
    start, stop, _ = _customer_span(customers, window_end)
    flag = customers["complained"]
    known = flag.notna().to_numpy()
    final = np.where(flag.fillna(False).astype(bool).to_numpy(), 2, 0)
    months = np.zeros((len(customers), 3))
    months[np.arange(len(customers)), final] = (stop - start) / DAYS_PER_MONTH
    months[~known] = 0.0
    churned = _churn_matrix(customers, window_end, final)
    churned[~known] = 0.0
    return ClassExposure(months, churned, np.where(known, final, -1), "complaint flag")


def _customer_span(customers: pd.DataFrame, window_end: pd.Timestamp) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Start, stop (leaving or the window's end) and a left flag, in days."""
    start = _days(_utc(customers["start"]))
    end = _days(_utc(customers["end"])) if "end" in customers.columns else np.full(len(customers), np.nan)
    stop_day = _days(pd.Series([window_end]))[0]
    left = np.isfinite(end) & (end <= stop_day)
    stop = np.where(left, end, stop_day)
    return start, np.maximum(stop, start), left.astype(np.float64)


def _churn_matrix(customers: pd.DataFrame, window_end: pd.Timestamp, final: np.ndarray) -> FloatArray:
    _, _, left = _customer_span(customers, window_end)
    churned = np.zeros((len(customers), 3))
    churned[np.arange(len(customers)), np.clip(final, 0, 2)] = left
    return churned


def _bootstrap_sums(columns: FloatArray, replicates: int, seed: int) -> FloatArray:
    """Column sums of ``replicates`` resamples of the rows (customers), shape (replicates, k).

    Resamples are drawn as row counts in chunks of about four million cells, so memory stays small.
    """
    n = columns.shape[0]
    rng = np.random.default_rng(seed)
    chunk = max(1, min(replicates, 4_000_000 // max(n, 1)))
    out = []
    for done in range(0, replicates, chunk):
        b = min(chunk, replicates - done)
        picks = rng.integers(0, n, size=(b, n))
        counts = np.bincount((picks + n * np.arange(b)[:, None]).ravel(), minlength=b * n).reshape(b, n)
        out.append(counts @ columns)
    return np.concatenate(out, axis=0)


def _ratio_to_none(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """(rate of each class) / (rate of none) along the last axis of length 3."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = numerator / denominator
        return rate / rate[..., :1]


def _expansion_columns(customers: pd.DataFrame, exposure: ClassExposure) -> tuple[FloatArray, FloatArray] | None:
    """Per customer and final class: MRR gained (above start) and start MRR x months observed."""
    if not (_has(customers, "mrr") and _has(customers, "start_mrr")):
        return None
    mrr, base = customers["mrr"].to_numpy(np.float64), customers["start_mrr"].to_numpy(np.float64)
    ok = np.isfinite(mrr) & np.isfinite(base) & (base > 0) & (exposure.final_class >= 0)
    if not ok.any():
        return None
    gained = np.zeros((len(customers), 3))
    mrr_months = np.zeros((len(customers), 3))
    rows, cls = np.flatnonzero(ok), exposure.final_class[ok]
    gained[rows, cls] = np.maximum(mrr[ok] - base[ok], 0.0)
    mrr_months[rows, cls] = base[ok] * exposure.months[ok].sum(axis=1)
    return gained, mrr_months


def fit_class_multipliers(customers: pd.DataFrame, tickets: pd.DataFrame | None = None) -> FitResult:
    """Churn and expansion of the experience classes relative to customers with no rated contact.

    Parameters
    ----------
    customers : DataFrame
        Typed customer table: ``customer_id``, ``start``, ``end`` (missing while active); optional
        ``mrr`` and ``start_mrr`` (expansion) and ``complained``.
    tickets : DataFrame, optional
        Typed ticket table with ``customer_id``, ``created`` and ``satisfied``. Without rated
        tickets that link to customers, classes come from ``complained`` (complainers are
        "dissatisfied", the others "none"; no "satisfied" class).

    Returns
    -------
    Fit or Skipped
        Churn hazard of a class = churns in it / customer-months at risk in it (see
        :func:`exposure_from_tickets`); window from the first start to the latest date the tables
        mention. ``values``: ``churn_mult_satisfied``, ``churn_mult_dissatisfied`` (hazard / hazard
        of "none"), ``expansion_mult_satisfied``, ``expansion_mult_dissatisfied`` (MRR gained above
        start per start-MRR-month, by the class at the end, / that of "none"), and
        ``churn_monthly_pct_<class>``; each multiplier only when its class and "none" have
        ``MIN_CLASS_CUSTOMERS`` customers. Intervals: bootstrap over customers (percentile, 90 %).
        Quality: relative SE (bootstrap SD / value) of ``churn_mult_dissatisfied``.
        ``data``: per class ``class``, ``customers``, ``churned``, ``customer_months``,
        ``churn_monthly_pct``, ``expansion_monthly_pct``. ``curve``: per class ``class``,
        ``churn_mult``, ``churn_lower``, ``churn_upper``, ``expansion_mult``, ``expansion_lower``,
        ``expansion_upper``. Skipped below ``MIN_CLASS_TABLE`` customers, ``MIN_NONE_CHURNS`` churns in
        "none", or without any class to compare.
    """
    key = "classes"
    if customers is None or not _has(customers, "start"):
        return Skipped(key, "no customer table with start dates")
    customers = customers[customers["start"].notna()].reset_index(drop=True)
    if len(customers) < MIN_CLASS_TABLE:
        return Skipped(key, f"{len(customers)} customers; the class comparison needs {MIN_CLASS_TABLE}")
    window_end = _window_end(customers, tickets)
    exposure = None
    if tickets is not None and {"customer_id", "satisfied", "created"} <= set(tickets.columns):
        exposure = exposure_from_tickets(customers, tickets, window_end)
    if exposure is None:
        exposure = exposure_from_complaints(customers, window_end)
    if exposure is None:
        return Skipped(key, "no rated tickets linked to customers and no complaint flag: no classes")
    return _class_fit(key, customers, exposure)


def _class_fit(key: str, customers: pd.DataFrame, exposure: ClassExposure) -> FitResult:
    members = ((exposure.months > 0) | (exposure.churned > 0)).sum(axis=0)   # anyone with time in it
    churns = exposure.churned.sum(axis=0)
    if members[0] < MIN_CLASS_CUSTOMERS or churns[0] < MIN_NONE_CHURNS:
        return Skipped(key, f'"none" has {members[0]} customers and {int(churns[0])} churns; multipliers need '
                            f"{MIN_CLASS_CUSTOMERS} and {MIN_NONE_CHURNS}")
    usable = [k for k in (1, 2) if members[k] >= MIN_CLASS_CUSTOMERS]
    if not usable:
        return Skipped(key, f"no class other than \"none\" has {MIN_CLASS_CUSTOMERS} customers")
    expansion = _expansion_columns(customers, exposure)
    columns = [exposure.churned, exposure.months] + (list(expansion) if expansion else [])
    boot = _bootstrap_sums(np.concatenate(columns, axis=1), BOOTSTRAP_REPLICATES, SEED).reshape(
        BOOTSTRAP_REPLICATES, len(columns), 3)
    point = np.stack([c.sum(axis=0) for c in columns])
    churn_mult, churn_boot = _ratio_to_none(point[0], point[1]), _ratio_to_none(boot[:, 0], boot[:, 1])
    values: list[tuple[str, float]] = []
    intervals: list[tuple[str, float, float]] = []
    curve = pd.DataFrame({"class": CLASS_NAMES}).assign(
        churn_mult=np.nan, churn_lower=np.nan, churn_upper=np.nan,
        expansion_mult=np.nan, expansion_lower=np.nan, expansion_upper=np.nan)
    for k in usable:
        _add_multiplier("churn", k, churn_mult, churn_boot, values, intervals, curve)
    expansion_rate = np.full(3, np.nan)
    if expansion is not None and point[2][0] > 0:
        expansion_rate = point[2] / point[3]
        exp_mult, exp_boot = _ratio_to_none(point[2], point[3]), _ratio_to_none(boot[:, 2], boot[:, 3])
        for k in usable:
            _add_multiplier("expansion", k, exp_mult, exp_boot, values, intervals, curve)
    curve.loc[0, ["churn_mult", "churn_lower", "churn_upper"]] = 1.0
    if np.isfinite(expansion_rate[0]):
        curve.loc[0, ["expansion_mult", "expansion_lower", "expansion_upper"]] = 1.0
    hazard = point[0] / np.where(point[1] > 0, point[1], np.nan)
    values += [(f"churn_monthly_pct_{CLASS_NAMES[k]}", float(hazard[k])) for k in [0, *usable]]
    data = pd.DataFrame({"class": CLASS_NAMES, "customers": members, "churned": churns,
                         "customer_months": point[1], "churn_monthly_pct": hazard,
                         "expansion_monthly_pct": expansion_rate})
    main = 2 if 2 in usable else usable[0]
    sd = float(np.nanstd(churn_boot[:, main]))
    quality = sd / churn_mult[main] if churn_mult[main] > 0 else float("nan")
    return Fit(key, "Churn and expansion by last support experience", len(customers),
               f"relative SE (churn, {CLASS_NAMES[main]})", quality, tuple(values), tuple(intervals),
               data, curve, _class_note(churn_mult, curve, main, exposure.source))


def _add_multiplier(what: str, k: int, point: FloatArray, boot: FloatArray, values: list, intervals: list,
                    curve: pd.DataFrame) -> None:
    if not np.isfinite(point[k]):               # e.g. a class without usable MRR rows
        return
    finite = boot[:, k][np.isfinite(boot[:, k])]
    lo, hi = np.percentile(finite, [5.0, 95.0]) if finite.size else (np.nan, np.nan)
    name = f"{what}_mult_{CLASS_NAMES[k]}"
    values.append((name, float(point[k])))
    intervals.append((name, float(lo), float(hi)))
    curve.loc[k, [f"{what}_mult", f"{what}_lower", f"{what}_upper"]] = [float(point[k]), lo, hi]


def _class_note(churn_mult: FloatArray, curve: pd.DataFrame, main: int, source: str) -> str:
    lo, hi = curve.loc[main, "churn_lower"], curve.loc[main, "churn_upper"]
    other = "customers without a complaint" if source == "complaint flag" else "those without a rated contact"
    verdict = " (the interval includes 1: no clear difference)" if lo <= 1.0 <= hi else ""
    return (f"Classed by {source}: {CLASS_NAMES[main]} customers churn {churn_mult[main]:.2f}x as often as "
            f"{other} (90 %: {lo:.2f}-{hi:.2f}){verdict}.")


# --------------------------------------------------------------------------- 6. patience


def _blocks(frame: pd.DataFrame) -> pd.DataFrame:
    """Consecutive contacts (by creation time) in blocks of similar congestion: mean wait, abandon share."""
    n = len(frame)
    size = int(np.clip(n // 100, 20, 500))
    order = frame.sort_values("created") if "created" in frame.columns else frame
    block = np.arange(n) // size
    g = pd.DataFrame({"block": block, "wait_h": order["wait_h"].to_numpy(np.float64),
                      "abandoned": order["abandoned"].to_numpy().astype(bool)}).groupby("block")
    table = pd.DataFrame({"contacts": g.size(), "mean_wait_min": g["wait_h"].mean() * 60.0,
                          "abandon_pct": g["abandoned"].mean()})
    return table[table["contacts"] >= size // 2].reset_index(drop=True)


def hazard_late_to_early(wait_h: FloatArray, abandoned: np.ndarray) -> float:
    """Abandonment hazard after the median abandoner's wait / before it; 1 for exponential patience."""
    split = float(np.median(wait_h[abandoned]))
    early = abandoned & (wait_h < split)
    late = abandoned & (wait_h >= split)
    at_risk_early = np.minimum(wait_h, split).sum()
    at_risk_late = np.maximum(wait_h - split, 0.0).sum()
    if at_risk_early <= 0 or at_risk_late <= 0 or early.sum() == 0:
        return float("nan")
    return float((late.sum() / at_risk_late) / (early.sum() / at_risk_early))


def fit_patience(tickets: pd.DataFrame, channel: str) -> FitResult:
    """Exponential patience of a live channel from waits and abandonments.

    The waits of served contacts are censored patience times, so the maximum-likelihood mean
    patience is (total time waited by everyone, abandoned or served) / (number abandoned).

    Parameters
    ----------
    tickets : DataFrame
        Typed ticket table; uses ``wait_h``, ``abandoned``, ``created`` and ``channel``.
    channel : str
        A live channel.

    Returns
    -------
    Fit or Skipped
        ``values``: ``patience_min``, ``abandon_pct`` (overall) and ``hazard_late_to_early`` (1 when
        patience is exponential). Interval: ``patience_min`` from the chi-square law of
        2 x abandonments x (true / estimated patience), 2 x abandonments degrees of freedom.
        ``data``: blocks of consecutive contacts, ``contacts``, ``mean_wait_min``, ``abandon_pct``.
        ``curve``: ``mean_wait_min``, ``abandon_pct`` = mean wait / patience (exact for exponential
        patience in any queue), ``lower``, ``upper``. Quality: contact-weighted R² of that line over
        the blocks. Skipped below ``MIN_LIVE_CONTACTS`` contacts or ``MIN_ABANDONS`` abandonments.
    """
    key = f"patience:{channel}"
    rows = _channel_rows(tickets, channel)
    if not (_has(rows, "wait_h") and _has(rows, "abandoned")):
        return Skipped(key, f"no queue waits with outcomes on {_channel_label(channel)} contacts")
    rows = rows[rows["wait_h"].notna() & rows["abandoned"].notna() & (rows["wait_h"] >= 0)]
    wait, abandoned = rows["wait_h"].to_numpy(np.float64), rows["abandoned"].to_numpy().astype(bool)
    n, d = len(rows), int(abandoned.sum())
    if n < MIN_LIVE_CONTACTS or d < MIN_ABANDONS:
        return Skipped(key, f"{n} {_channel_label(channel)} contacts and {d} abandonments; patience needs "
                            f"{MIN_LIVE_CONTACTS} and {MIN_ABANDONS}")
    total = float(wait.sum())
    patience_h = total / d
    low_h = 2.0 * total / stats.chi2.ppf(0.95, 2 * d)
    high_h = 2.0 * total / stats.chi2.ppf(0.05, 2 * d)
    blocks = _blocks(rows)
    w = blocks["mean_wait_min"].to_numpy()
    r2 = _weighted_r2(blocks["abandon_pct"].to_numpy(), np.minimum(w / (60 * patience_h), 1.0),
                      blocks["contacts"].to_numpy(np.float64)) if len(blocks) >= 3 else float("nan")
    grid = np.linspace(0.0, max(float(w.max()) * 1.1, 1e-6), 50)
    share = {name: np.minimum(grid / (60.0 * h), 1.0)
             for name, h in (("abandon_pct", patience_h), ("lower", high_h), ("upper", low_h))}
    curve = pd.DataFrame({"mean_wait_min": grid, **share})
    ratio = hazard_late_to_early(wait, abandoned)
    note = f"Mean patience {60 * patience_h:.1f} min (90 %: {60 * low_h:.1f}-{60 * high_h:.1f})"
    note += (f"; abandonment = mean wait / patience has R² {r2:.2f} across busy and quiet spells." if np.isfinite(r2)
             else "; too few contacts to compare busy and quiet spells.")
    if np.isfinite(ratio) and not 0.8 <= ratio <= 1.25:
        note += (f" The abandonment rate {'falls' if ratio < 1 else 'rises'} with time waited (x{ratio:.2f}), "
                 f"so patience is not exactly exponential.")
    values = (("patience_min", 60 * patience_h), ("abandon_pct", d / n), ("hazard_late_to_early", ratio))
    return Fit(key, f"Patience in the queue ({_channel_label(channel)})", n, "R² (abandonment vs wait)", r2,
               values, (("patience_min", 60 * low_h, 60 * high_h),), blocks, curve, note)


# --------------------------------------------------------------------------- 7. into the scenario


def narrowed_range(name: str, relative_low: float, relative_high: float) -> Range:
    """The uncertainty range of assumption ``name`` from a fit's interval / its fitted value.

    Never wider than the default range of :class:`~sim.params.Assumptions`, never narrower than
    +-``MIN_RANGE_HALF_WIDTH`` around 1, and inside ``MULTIPLIER_BOUNDS``.
    """
    default = getattr(Assumptions(), name)
    low = min(max(relative_low, default.low), 1.0 - MIN_RANGE_HALF_WIDTH)
    high = max(min(relative_high, default.high), 1.0 + MIN_RANGE_HALF_WIDTH)
    lo_bound, hi_bound = MULTIPLIER_BOUNDS
    return Range(float(np.clip(low, lo_bound, hi_bound)), float(np.clip(high, lo_bound, hi_bound)))


def _relative(fit: Fit, name: str) -> tuple[float, float] | None:
    """The fit's interval of ``name`` divided by its value, or None when either is unusable."""
    found = fit.interval(name)
    value = dict(fit.values).get(name)
    if found is None or value is None or not (value > 0 and np.all(np.isfinite(found))):
        return None
    return found[0] / value, found[1] / value


def _effect_relative(fit: Fit, name: str) -> tuple[float, float] | None:
    """Interval of the expansion effect scale: the multiplier's distance from 1, relative."""
    found, value = fit.interval(name), dict(fit.values).get(name)
    if found is None or value is None or abs(value - 1.0) < 0.02 or not np.all(np.isfinite(found)):
        return None
    scales = sorted(((found[0] - 1.0) / (value - 1.0), (found[1] - 1.0) / (value - 1.0)))
    return scales[0], scales[1]


def _widest(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(p[0] for p in pairs), max(p[1] for p in pairs)


def _fitted_channel(channel: Channel, handle: Fit | None, csat: Fit | None) -> Channel:
    changes: dict[str, object] = {}
    if handle is not None:
        changes["handle_time_min"] = handle.value("mean_min")
    if csat is not None and _is_flat(csat):      # half-point and slope no longer matter: keep them
        level = csat.value("floor_pct")
        changes["csat_curve"] = dataclasses.replace(channel.csat_curve, floor_pct=level, ceiling_pct=level)
    elif csat is not None:
        changes["csat_curve"] = CsatCurve(csat.value("floor_pct"), csat.value("ceiling_pct"),
                                          csat.value("half_h"), csat.value("slope"))
    return dataclasses.replace(channel, **changes)


REQUIRED_VALUES = {"arrival_profile": ("peak_h", "spread_h", "base", "weekend_factor"),
                   "handle_time": ("mean_min",), "csat_curve": ("floor_pct", "ceiling_pct", "half_h", "slope")}


def _usable(fit: Fit) -> bool:
    """The values apply_fits writes are present and finite (a hand-made or damaged fit may lack them)."""
    v = dict(fit.values)
    return all(name in v and np.isfinite(v[name]) for name in REQUIRED_VALUES.get(fit.kind, ()))


def _is_flat(fit: Fit) -> bool:
    return fit.value("floor_pct") == fit.value("ceiling_pct")


def apply_fits_explained(scenario: Scenario, fits: Sequence[Fit]) -> tuple[Scenario, tuple[str, ...]]:
    """:func:`apply_fits`, and one sentence per fit or range it skipped or changed."""
    notes: list[str] = [f"{f.key}: skipped, it lacks finite values for {', '.join(REQUIRED_VALUES[f.kind])}"
                        for f in fits if isinstance(f, Fit) and not _usable(f)]
    by_key = {f.key: f for f in fits if isinstance(f, Fit) and _usable(f)}
    company = scenario.company
    names = {c.name for c in company.channels}
    for fit in by_key.values():
        if fit.kind in ("handle_time", "csat_curve", "patience", "response_distribution") and fit.channel not in names:
            notes.append(f"{fit.key}: skipped, the scenario has no {fit.channel} channel")
        elif fit.kind in ("patience", "response_distribution"):
            notes.append(f"{fit.key}: shown only; it sets no scenario parameter")
    handle = {c.name: by_key.get(f"handle_time:{c.name}") for c in company.channels}
    csat = {c.name: by_key.get(f"csat_curve:{c.name}") for c in company.channels}
    channels = tuple(_fitted_channel(c, handle[c.name], csat[c.name]) for c in company.channels)
    changes: dict[str, object] = {"channels": channels}
    if (arrival := by_key.get("arrival_profile")) is not None:
        v = dict(arrival.values)
        changes["arrival_profile"] = ArrivalProfile(v["peak_h"] % 24.0, v["spread_h"], v["base"], v["weekend_factor"])
    if (classes := by_key.get("classes")) is not None:
        fitted = {k: v for k, v in classes.values
                  if k.startswith(("churn_mult_", "expansion_mult_")) and np.isfinite(v) and v >= 0.0}
        changes["classes"] = dataclasses.replace(company.classes, **fitted)
    company = dataclasses.replace(company, **changes)
    ranges = _fitted_ranges(scenario, handle, csat, classes, notes)
    assumptions = dataclasses.replace(scenario.assumptions, **ranges)
    return dataclasses.replace(scenario, company=company, assumptions=assumptions), tuple(notes)


def _fitted_ranges(scenario: Scenario, handle: dict[str, Fit | None], csat: dict[str, Fit | None],
                   classes: Fit | None, notes: list[str]) -> dict[str, Range]:
    """The narrowed ranges; shared ranges only when every channel they scale has a fit."""
    ranges: dict[str, Range] = {}

    def shared(name: str, fits: dict[str, Fit | None], value: str, skip_flat: bool) -> None:
        missing = [c for c, f in fits.items() if f is None]
        if missing:
            if any(f is not None for f in fits.values()):
                notes.append(f"{name}: range kept, it also scales channels without a fit ({', '.join(missing)})")
            return
        pairs = [_relative(f, value) for f in fits.values() if not (skip_flat and _is_flat(f))]
        if pairs and all(p is not None for p in pairs):
            ranges[name] = narrowed_range(name, *_widest(pairs))

    shared("handle_time", handle, "mean_min", skip_flat=False)
    shared("csat_half_point", csat, "half_h", skip_flat=True)
    shared("csat_slope", csat, "slope", skip_flat=True)
    if classes is not None:
        if (churn := _relative(classes, "churn_mult_dissatisfied")) is not None:
            ranges["churn_dissatisfied"] = narrowed_range("churn_dissatisfied", *churn)
        effects = [e for e in (_effect_relative(classes, f"expansion_mult_{k}") for k in ("satisfied", "dissatisfied"))
                   if e is not None]
        if effects:
            ranges["expansion_effect"] = narrowed_range("expansion_effect", *_widest(effects))
    return ranges


def apply_fits(scenario: Scenario, fits: Sequence[Fit]) -> Scenario:
    """A new scenario with the fitted values written in and the matching ranges narrowed.

    =====================================  =============================================  ======================
    fit                                    sets                                           narrows
    =====================================  =============================================  ======================
    ``arrival_profile``                    ``company.arrival_profile`` (all four fields)  —
    ``handle_time:<ch>``                   ``Channel.handle_time_min`` = ``mean_min``     ``handle_time`` *
    ``csat_curve:<ch>``                    ``Channel.csat_curve`` (floor, ceiling,        ``csat_half_point``,
                                           half_h, slope)                                 ``csat_slope`` *
    ``classes``                            ``ExperienceClasses`` ``churn_mult_*`` and     ``churn_dissatisfied``,
                                           ``expansion_mult_*`` that were fitted          ``expansion_effect``
    ``patience:<ch>``,                     nothing (patience is passed to
    ``response_distribution:<ch>``         :func:`sim.staffing.live_service`)
    =====================================  =============================================  ======================

    A range becomes the fit's 90 % interval divided by the fitted value (for ``expansion_effect``,
    of the multiplier's distance from 1), via :func:`narrowed_range`. * A range shared by all
    channels is narrowed only when every channel of the scenario has that fit, to the widest of
    their relative intervals; flat CSAT curves do not constrain the curve ranges. Fits for channels
    the scenario lacks are skipped (see :func:`apply_fits_explained` for the reasons).
    """
    return apply_fits_explained(scenario, fits)[0]


# --------------------------------------------------------------------------- 8. everything at once


def fits_from_tables(tickets: pd.DataFrame | None, customers: pd.DataFrame | None, *, utc_offset_h: float,
                     company: Company | None = None,
                     channel_if_missing: str | None = None) -> tuple[list[Fit], list[str]]:
    """Every fit the data allow, and the reasons for those that could not run.

    Parameters
    ----------
    tickets, customers : DataFrame or None
        Typed tables (tickets with a ``satisfied`` column where rated).
    utc_offset_h : float
        The customers' local clock, for the arrival profile.
    company : Company, optional
        Its channels' current CSAT curves are the fixed ends of the CSAT fits.
    channel_if_missing : str, optional
        The channel of every ticket when the table has no channel column; without it, per-channel
        fits are skipped for such a table.

    Returns
    -------
    fits : list of Fit
    reasons : list of str
        ``"<key>: <reason>"`` for every fit not run.
    """
    results: list[FitResult] = []
    reasons: list[str] = []
    if tickets is None or tickets.empty:
        reasons.append("tickets: no ticket table, so no arrival, handle-time, response, CSAT or patience fit")
    else:
        results.append(fit_arrival_profile(tickets, utc_offset_h))
        results += _channel_fits(tickets, company, channel_if_missing, reasons)
    if customers is None or customers.empty:
        reasons.append("classes: no customer table")
    else:
        results.append(fit_class_multipliers(customers, tickets))
    reasons += [f"{r.key}: {r.reason}" for r in results if isinstance(r, Skipped)]
    return [r for r in results if isinstance(r, Fit)], reasons


def _channel_fits(tickets: pd.DataFrame, company: Company | None, channel_if_missing: str | None,
                  reasons: list[str]) -> list[FitResult]:
    if "channel" in tickets.columns:
        channels = sorted(str(c) for c in tickets["channel"].dropna().unique())
        if company is not None:    # only channels the case has can take a fit; a free-text column has thousands
            others = [c for c in channels if c not in {ch.name for ch in company.channels}]
            if others:
                shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
                reasons.append(f"per-channel fits: not run for channels the case does not have ({shown})")
            channels = [c for c in channels if c not in others]
    elif channel_if_missing is not None:
        channels = [channel_if_missing]
    else:
        reasons.append("per-channel fits: the tickets have no channel column")
        return []
    curves = {c.name: c.csat_curve for c in company.channels} if company is not None else {}
    out: list[FitResult] = []
    for channel in channels:
        curve = curves.get(channel, DEFAULT_CURVES.get(channel, EMAIL_CURVE))
        out += [fit_handle_time(tickets, channel), fit_response_distribution(tickets, channel),
                fit_csat_curve(tickets, channel, curve.floor_pct, curve.ceiling_pct)]
        if channel in LIVE_CHANNELS:
            out.append(fit_patience(tickets, channel))
    return out
