"""Fit 4, the CSAT curve per channel: satisfaction against first response (logistic in log time).

See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import chdtrc, expit, logit

from calibration.fit import (
    DEFAULT_CURVES,
    SEED,
    Fit,
    FitResult,
    Skipped,
    band_90,
    channel_label,
    channel_rows,
    has_values,
    log_bins,
    parameter_draws,
    wilson_90,
)
from calibration.response_times import response_times_h
from model import EMAIL_CURVE, Z_95, CsatCurve, FloatArray
from model.customers import GIVE_UP_H

MIN_RATED_TICKETS = 200           # rated tickets of the channel with a first response
MIN_FREE_ENDS_RATINGS = 1000      # below this the CSAT floor and ceiling stay fixed
MAX_END_SE_PCT = 0.05             # a fitted floor or ceiling must be known to +-5 points (1 SE)
FLAT_P_VALUE = 0.05               # the CSAT curve is flat unless a trend is significant at this level
RESPONSE_FLOOR_H = 1.0 / 3600.0   # a first response of 0 counts as 1 s in the log-time trend test
EndsRule = Literal["auto", "fit", "fixed"]


def csat_curve_values(response_h: FloatArray, floor_pct: FloatArray, ceiling_pct: FloatArray,
                      half_h: FloatArray, slope: FloatArray) -> FloatArray:
    """The model's CSAT of a ticket answered after ``response_h``, parameters broadcasting.

    Same formula as :func:`model.customers.experience.csat_of_response`: the logistic curve in log time times
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
    from scipy import optimize      # loaded on a first fit, not at the server's start
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
    return float(beta[1]), float(chdtrc(1, max(2.0 * (ll1 - ll0), 0.0)))


def _csat_bins(t: FloatArray, y: FloatArray) -> pd.DataFrame:
    """CSAT per log-spaced response bin (immediate answers in a bin of their own), Wilson 90 %."""
    positive = t[t > 0.0]
    edges = log_bins(positive, 12) if positive.size else np.array([0.0, 1.0])
    which = np.where(t > 0.0, np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(edges) - 2) + 1, 0)
    frame = pd.DataFrame({"bin": which, "t": t, "y": y})
    g = frame.groupby("bin")
    table = pd.DataFrame({"response_h": g["t"].median(), "rated": g.size(), "satisfied": g["y"].sum()})
    lower_edges = np.concatenate([[0.0], edges[:-1]])
    upper_edges = np.concatenate([[0.0], edges[1:]])
    table["from_h"] = lower_edges[table.index]
    table["to_h"] = upper_edges[table.index]
    table["csat_pct"] = table["satisfied"] / table["rated"]
    table["lower"], table["upper"] = wilson_90(table["satisfied"].to_numpy(), table["rated"].to_numpy())
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
    lo, hi = wilson_90(np.array([y.sum()]), np.array([n]))
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
    key, label = f"csat_curve:{channel}", f"CSAT versus first response ({channel_label(channel)})"
    rows = channel_rows(tickets, channel)
    if not has_values(rows, "satisfied"):
        return Skipped(key, f"no satisfaction ratings on {channel_label(channel)} tickets")
    t_all = response_times_h(rows).to_numpy(dtype=np.float64)
    rated = rows["satisfied"].notna().to_numpy() & np.isfinite(t_all)
    n = int(rated.sum())
    if n < MIN_RATED_TICKETS:
        return Skipped(key, f"{n} rated {channel_label(channel)} tickets with a response time; "
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
        draws4 = parameter_draws(rng, theta4, cov4)
        if ends == "fit" or _free_ends_allowed(theta4, cov4, t, n, draws4):
            free = (theta4, cov4, draws4)
    if free is not None:
        theta, cov, draws = free
        ends_used = None
    else:
        draws = parameter_draws(rng, theta, cov)
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
    low, high = band_90(band)
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
