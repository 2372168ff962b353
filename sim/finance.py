"""Money: discounting, NPV, ROI and payback of an incremental cash flow (Forrester TEI)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import metrics
from sim.weekgrid import FloatArray


def discount_factors(months: int, annual_rate_pct: float) -> FloatArray:
    """Present-value factor of each month; month 0 (initial costs) is undiscounted."""
    return (1.0 + annual_rate_pct) ** (-np.arange(months) / 12.0)


def payback_month(cash_flow: FloatArray) -> int | None:
    """First month from which the undiscounted cumulative cash flow stays at or above zero.

    ``None`` when it never does within the horizon, or when there is no cash flow at all (no
    investment, nothing to pay back). A flow that is never negative pays back in month 0.
    """
    if not np.any(cash_flow):
        return None
    cumulative = np.cumsum(cash_flow)
    negative = np.flatnonzero(cumulative < -1e-9 * max(1.0, float(np.abs(cash_flow).sum())))
    if negative.size == 0:
        return 0
    month = int(negative[-1]) + 1
    return month if month < cash_flow.size else None


@dataclass(frozen=True)
class CaseSummary:
    """The headline of a case: always ROI together with NPV and payback."""

    pv_benefits: float
    pv_costs: float
    npv: float
    roi_pct: float | None
    payback_month: int | None
    horizon_months: int


def summarise(benefits: FloatArray, costs: FloatArray, annual_rate_pct: float) -> CaseSummary:
    """ROI = (PV benefits - PV costs) / PV costs; NPV = PV benefits - PV costs.

    ``benefits`` and ``costs`` are monthly flows (months,); ROI is ``None`` without costs.
    """
    disc = discount_factors(benefits.size, annual_rate_pct)
    pv_b = float((benefits * disc).sum())
    pv_c = float((costs * disc).sum())
    roi = metrics.roi_pct(pv_b, pv_c) if pv_c > 0.0 else None
    return CaseSummary(pv_b, pv_c, pv_b - pv_c, roi, payback_month(benefits - costs), benefits.size)
