"""Fits into the scenario (values set, uncertainty ranges narrowed), and every fit the data allow at once.

See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from calibration.arrivals import fit_arrival_profile
from calibration.classes import fit_class_multipliers
from calibration.csat_curve import fit_csat_curve
from calibration.fit import DEFAULT_CURVES, SHOWN_ONLY, Fit, FitResult, Skipped
from calibration.handle_time import fit_handle_time
from calibration.patience import fit_patience
from calibration.response_times import fit_response_distribution
from model import (
    EMAIL_CURVE,
    LIVE_CHANNELS,
    MULTIPLIER_BOUNDS,
    ArrivalProfile,
    Assumptions,
    Channel,
    Company,
    CsatCurve,
    Range,
    Scenario,
)

MIN_RANGE_HALF_WIDTH = 0.02       # a fitted uncertainty range is never narrower than +-2 %


def narrowed_range(name: str, relative_low: float, relative_high: float) -> Range:
    """The uncertainty range of assumption ``name`` from a fit's interval / its fitted value.

    Never wider than the default range of :class:`~model.params.Assumptions`, never narrower than
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
        if fit.kind in ("handle_time", "csat_curve", *SHOWN_ONLY) and fit.channel not in names:
            notes.append(f"{fit.key}: skipped, the scenario has no {fit.channel} channel")
        elif fit.kind in SHOWN_ONLY:
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
    ``response_distribution:<ch>``         :func:`model.operations.staffing.live_service`)
    =====================================  =============================================  ======================

    A range becomes the fit's 90 % interval divided by the fitted value (for ``expansion_effect``,
    of the multiplier's distance from 1), via :func:`narrowed_range`. * A range shared by all
    channels is narrowed only when every channel of the scenario has that fit, to the widest of
    their relative intervals; flat CSAT curves do not constrain the curve ranges. Fits for channels
    the scenario lacks are skipped (see :func:`apply_fits_explained` for the reasons).
    """
    return apply_fits_explained(scenario, fits)[0]


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
