"""Adoption ramps: the share of a lever's full effect reached in each month."""

from __future__ import annotations

import numpy as np

from sim.weekgrid import FloatArray

LN9 = float(np.log(9.0))


def s_curve(months: int, start_month: int, ramp_months: float) -> FloatArray:
    """Share of full effect in each month, shape (months,).

    Zero before ``start_month``. After it, a logistic S-curve whose value at the end of month
    ``k`` since the start is ``1 / (1 + exp(-(k + 1 - R / 2) * 2 ln 9 / R))`` for a ramp of R
    months: 90 % is reached after R months. With R = 6 this gives about 20 % in the first month
    and 90 % by month 6, the adoption ramp of Forrester TEI studies (defaults.md).
    ``ramp_months = 0`` gives the full effect at once.
    """
    m = np.arange(months, dtype=np.float64)
    since = m - start_month
    if ramp_months <= 0.0:
        share = np.ones(months)
    else:
        share = 1.0 / (1.0 + np.exp(-(since + 1.0 - ramp_months / 2.0) * 2.0 * LN9 / ramp_months))
    return np.where(since >= 0.0, share, 0.0)


def step_on(months: int, start_month: int) -> FloatArray:
    """1 from ``start_month`` on, 0 before: costs that start in full."""
    return (np.arange(months) >= start_month).astype(np.float64)
