"""Adoption ramps: the share of a lever's full effect reached in each month."""

from __future__ import annotations

import numpy as np

from model.weekgrid import FloatArray

LN9 = float(np.log(9.0))
MAX_RAMP_MONTHS = 36.0       # the levers' own limit, kept when a draw stretches a ramp


def stretched(ramp_months: float, multiplier: FloatArray | float) -> FloatArray:
    """A ramp times the ramp-time multiplier of each column (a draw), at most :data:`MAX_RAMP_MONTHS`."""
    return np.minimum(ramp_months * np.asarray(multiplier, dtype=np.float64), MAX_RAMP_MONTHS)


def s_curve(months: int, start_month: int, ramp_months: float | FloatArray) -> FloatArray:
    """Share of full effect in each month, shape ``np.shape(ramp_months) + (months,)``.

    Zero before ``start_month``. After it, a logistic S-curve whose value at the end of month
    ``k`` since the start is ``1 / (1 + exp(-(k + 1 - R / 2) * 2 ln 9 / R))`` for a ramp of R
    months: 90 % is reached after R months. With R = 6 this gives about 20 % in the first month
    and 90 % by month 6, the adoption ramp of Forrester TEI studies (defaults.md).
    ``ramp_months = 0`` gives the full effect at once. An array of ramps (one per draw) gives one
    row per ramp.
    """
    ramp = np.asarray(ramp_months, dtype=np.float64)[..., None]
    since = np.arange(months, dtype=np.float64) - start_month
    safe = np.where(ramp > 0.0, ramp, 1.0)
    with np.errstate(over="ignore"):
        share = np.where(ramp > 0.0, 1.0 / (1.0 + np.exp(-(since + 1.0 - safe / 2.0) * 2.0 * LN9 / safe)), 1.0)
    return np.where(since >= 0.0, share, 0.0)


def step_on(months: int, start_month: int) -> FloatArray:
    """1 from ``start_month`` on, 0 before: costs that start in full."""
    return (np.arange(months) >= start_month).astype(np.float64)
