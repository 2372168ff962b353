"""The headline figures of a projection, as the Library lists them and a saved scenario keeps them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:                       # the engine imports model.money; the type alone is needed here
    from model.engine import Projection


def headline(p: Projection) -> dict[str, float | None]:
    """NPV (P10, P50, P90 of the draws and the point view), ROI P50, payback P50 month, probability of a loss.

    Money is in the projection's currency; ``roi_p50`` and ``prob_loss`` are fractions;
    ``payback_month_p50`` is None when the median draw does not pay back within the horizon, and
    every figure but the point NPV is None without draws.
    """
    out: dict[str, float | None] = {"npv_point": float(p.summary.npv), "npv_p10": None, "npv_p50": None,
                                    "npv_p90": None, "roi_p50": None, "payback_month_p50": None,
                                    "prob_loss": None, "draws": 0.0}
    u = p.uncertainty
    if u is None:
        return out
    lo, mid, hi = u.quantiles("npv")
    roi = u.quantiles("roi_pct")[1]
    payback = u.payback_p50
    out.update(npv_p10=lo, npv_p50=mid, npv_p90=hi, roi_p50=roi if math.isfinite(roi) else None,
               payback_month_p50=payback if math.isfinite(payback) else None, prob_loss=u.prob_loss,
               draws=float(u.draws))
    return {k: (None if v is not None and not math.isfinite(v) else v) for k, v in out.items()}
