"""How much a measured month wanders around what the model says, per metric.

The model's bands hold the uncertainty of its assumptions: at month 0 they have no width, since the model starts
from today's figures. A month as the help desk reports it also varies by itself (a busy week, a few angry surveys,
a large customer leaving). A prediction scored against reported months must include that variation, or its
80 % band would miss most months for no fault of the plan.

Each metric's month-to-month variation is measured on the user's own history where there are at least
``MIN_HISTORY_MONTHS`` actual months: the standard deviation of the residuals around a straight line through
them, on the metric's scale (relative for counts, amounts and times; in points for shares and NPS), never below a
quarter of the default. Without history, ``DEFAULT_NOISE`` is used and named as an assumption.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Scale = Literal["log", "abs"]
MIN_HISTORY_MONTHS = 6
FLOOR_SHARE = 0.25       # a measured variation is never taken below a quarter of the default (a smooth series of
                         # a few months, or a KPI file that rounds or interpolates, would promise months no team sees)


@dataclass(frozen=True)
class Noise:
    """One metric's month-to-month variation: a standard deviation on ``scale`` ("log": relative, 0.1 is about
    10 %; "abs": in the metric's own unit), and where it comes from."""

    scale: Scale
    sd: float
    source: str

    def __post_init__(self) -> None:
        if not (np.isfinite(self.sd) and self.sd >= 0.0):
            raise ValueError(f"a month-to-month variation must be a finite number from 0, got {self.sd!r}")


_ASSUMED = "assumed (no history of this metric uploaded); upload 6 or more months to measure it"

# Defaults without history: about a tenth for volume and a fifth for response times (queues amplify volume swings),
# two points of CSAT (a few hundred surveys a month), a quarter of the churn rate (a few dozen leavers a month).
DEFAULT_NOISE: dict[str, Noise] = {
    "tickets": Noise("log", 0.08, _ASSUMED),
    "frt": Noise("log", 0.20, _ASSUMED),
    "csat_pct": Noise("abs", 0.02, _ASSUMED),
    "nps": Noise("abs", 4.0, _ASSUMED),
    "churn_pct": Noise("log", 0.25, _ASSUMED),
    "customers": Noise("log", 0.01, _ASSUMED),
    "revenue": Noise("log", 0.03, _ASSUMED),
}


def family(metric: str) -> str:
    """The noise family of a metric: every ``frt_<channel>_h`` and ``frt_h`` is "frt"."""
    return "frt" if metric.startswith("frt_") else metric


def default_noise(metric: str) -> Noise:
    return DEFAULT_NOISE[family(metric)]


def measured_noise(values: np.ndarray, scale: Scale) -> float | None:
    """Standard deviation of the residuals of ``values`` (months in order) around their straight-line trend, on
    ``scale``; None with fewer than ``MIN_HISTORY_MONTHS`` usable months."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if scale == "log":
        x = np.log(x[x > 0.0])
    if x.size < MIN_HISTORY_MONTHS:
        return None
    t = np.arange(x.size, dtype=np.float64)
    slope, intercept = np.polyfit(t, x, 1)
    residuals = x - (intercept + slope * t)
    return float(np.sqrt(residuals @ residuals / (x.size - 2)))


def noise_from_history(history: pd.DataFrame, metrics: tuple[str, ...]) -> dict[str, Noise]:
    """Each metric's noise: measured on ``history`` (rows ``series``, ``calendar_month``, ``value``, as
    ``intake.actual_series`` gives them) where it holds enough months, else the default."""
    out: dict[str, Noise] = {}
    for metric in metrics:
        default = default_noise(metric)
        rows = history[history["series"] == metric].sort_values("calendar_month") if len(history) else history
        sd = measured_noise(rows["value"].to_numpy(), default.scale) if len(rows) else None
        if sd is None:
            out[metric] = default
            continue
        floor = FLOOR_SHARE * default.sd
        span = f"{rows['calendar_month'].min():%b %Y} to {rows['calendar_month'].max():%b %Y}"
        raised = f" ({sd:.3g}, raised to the floor of a quarter of the assumed {default.sd:g})" if sd < floor else ""
        out[metric] = Noise(default.scale, max(sd, floor),
                            f"measured on your {len(rows)} months ({span}): residuals around their trend{raised}")
    return out


def widen(p10: np.ndarray, p50: np.ndarray, p90: np.ndarray, noise: Noise) -> tuple[np.ndarray, np.ndarray]:
    """P10 and P90 of a reported month: the model's band with the month's own variation added.

    Each half of the band is combined with the noise as independent normal spreads on the noise's scale
    (``sqrt(half ** 2 + (1.2816 * sd) ** 2)``), so a skewed band stays skewed and a zero-width band becomes the
    noise's own 80 % band.
    """
    z = 1.2815515655446004 * noise.sd
    if noise.scale == "log":
        lo, mid, hi = (np.log(np.maximum(a, 1e-12)) for a in (p10, p50, p90))
        return p50 * np.exp(-np.hypot(mid - lo, z)), p50 * np.exp(np.hypot(hi - mid, z))
    return p50 - np.hypot(p50 - p10, z), p50 + np.hypot(p90 - p50, z)


def noise_table(noise: Mapping[str, Noise]) -> pd.DataFrame:
    """One row per metric: scale, sd and source (for the page and the files)."""
    return pd.DataFrame([{"metric": m, "scale": n.scale, "sd": n.sd, "source": n.source} for m, n in noise.items()])
