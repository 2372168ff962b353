"""A filed prediction against the months that happened.

Per metric and month: inside the P10-P90 band or not, the signed bias (actual minus P50), the absolute
percentage error, the pinball loss averaged over the three quantiles, and the weighted interval score (WIS;
Bracher et al. 2021, PLoS Comput Biol 17(2): e1008618) of the 80 % interval and the median:
``WIS = (0.5 * |y - m| + 0.1 * IS) / 1.5`` with ``IS = (u - l) + 10 * max(l - y, 0) + 10 * max(y - u, 0)``.

Did the action work? Each month's actual is weighed under the plan's band and under the baseline's (a
two-piece normal on the metric's scale: the band's lower half below the P50, its upper half above). The sum of
the log ratios says which the months look like: above ``DECISIVE`` (odds of 20 to 1) the plan, below minus it
the baseline, else not yet either. A month outside both bands is left out of that sum: neither explains it, and
a gap the model had before any action (a first response the model puts far from the team's) would otherwise be
credited to the action or held against it. Months that had begun before the prediction was filed are not scored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from track.noise import Noise, default_noise
from track.prediction import Prediction

Z_80 = 1.2815515655446004        # P90 of a standard normal
DECISIVE = math.log(20.0)
NOMINAL_COVERAGE = 0.8


def pinball(actual: np.ndarray, quantile: np.ndarray, tau: float) -> np.ndarray:
    """Pinball (quantile) loss of ``quantile`` at level ``tau`` for ``actual``."""
    d = actual - quantile
    return np.maximum(tau * d, (tau - 1.0) * d)


def interval_score(actual: np.ndarray, low: np.ndarray, high: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """Interval score of the central (1 - alpha) interval ``[low, high]``: its width plus 2/alpha times a miss."""
    return (high - low) + (2.0 / alpha) * (np.maximum(low - actual, 0.0) + np.maximum(actual - high, 0.0))


def wis(actual: np.ndarray, p10: np.ndarray, p50: np.ndarray, p90: np.ndarray) -> np.ndarray:
    """Weighted interval score of the median and the 80 % interval (lower is better, in the metric's unit)."""
    return (0.5 * np.abs(actual - p50) + 0.1 * interval_score(actual, p10, p90)) / 1.5


def _scaled(x: np.ndarray, noise: Noise) -> np.ndarray:
    return np.log(np.maximum(x, 1e-12)) if noise.scale == "log" else x


def log_density(actual: np.ndarray, p10: np.ndarray, p50: np.ndarray, p90: np.ndarray, noise: Noise) -> np.ndarray:
    """Log density of ``actual`` under a two-piece normal with median P50 and the band's halves as its 80 %
    spreads, on the metric's scale (a band of no width is given the noise's own, so no month is impossible)."""
    y, lo, mid, hi = (_scaled(np.asarray(a, dtype=np.float64), noise) for a in (actual, p10, p50, p90))
    floor = max(noise.sd, 1e-9)
    s_lo = np.maximum((mid - lo) / Z_80, floor)
    s_hi = np.maximum((hi - mid) / Z_80, floor)
    side = np.where(y < mid, s_lo, s_hi)
    return np.log(2.0 / (math.sqrt(2.0 * math.pi) * (s_lo + s_hi))) - 0.5 * ((y - mid) / side) ** 2


def scores(prediction: Prediction, actuals: pd.DataFrame) -> pd.DataFrame:
    """One row per metric and month that has an actual: the plan's band, the actual and its scores.

    ``actuals`` has rows ``series``, ``calendar_month`` (first of month) and ``value`` (``intake.actual_series``).
    Columns: ``metric``, ``target_month``, ``horizon``, ``actual``, ``p10``, ``p50``, ``p90``, ``inside``,
    ``inside_baseline``, ``bias``, ``ape``, ``pinball``, ``wis``, ``baseline_p50``, ``baseline_wis``,
    ``log_ratio`` (plan over baseline; 0 for a month outside both bands) and ``neither`` (outside both). Months
    before the month of filing are left out.
    """
    plan, base = prediction.wide("scenario"), prediction.wide("baseline")
    merged = plan.merge(base[["metric", "target_month", "p10", "p50", "p90"]], on=["metric", "target_month"],
                        suffixes=("", "_b"))
    seen = actuals.assign(target_month=pd.to_datetime(actuals["calendar_month"]).dt.strftime("%Y-%m"))
    seen = seen.rename(columns={"series": "metric", "value": "actual"})[["metric", "target_month", "actual"]]
    seen = seen.groupby(["metric", "target_month"], as_index=False)["actual"].mean()
    rows = merged.merge(seen, on=["metric", "target_month"], how="inner")
    filed = f"{prediction.filed_at:%Y-%m}"
    rows = rows[np.isfinite(rows["actual"]) & (rows["target_month"] >= filed)].reset_index(drop=True)
    y = rows["actual"].to_numpy(dtype=np.float64)
    p10, p50, p90 = (rows[c].to_numpy(dtype=np.float64) for c in ("p10", "p50", "p90"))
    b10, b50, b90 = (rows[c].to_numpy(dtype=np.float64) for c in ("p10_b", "p50_b", "p90_b"))
    ratio = np.zeros(len(rows))
    for metric, at in rows.groupby("metric", sort=False).indices.items():
        noise = prediction.noise.get(metric, default_noise(metric))
        ratio[at] = (log_density(y[at], p10[at], p50[at], p90[at], noise)
                     - log_density(y[at], b10[at], b50[at], b90[at], noise))
    with np.errstate(divide="ignore", invalid="ignore"):
        ape = np.where(y != 0.0, np.abs(y - p50) / np.abs(y), np.nan)
    out = rows[["metric", "target_month", "horizon", "actual", "p10", "p50", "p90"]].copy()
    out["inside"] = (y >= p10) & (y <= p90)
    out["inside_baseline"] = (y >= b10) & (y <= b90)
    out["bias"] = y - p50
    out["ape"] = ape
    out["pinball"] = (pinball(y, p10, 0.1) + pinball(y, p50, 0.5) + pinball(y, p90, 0.9)) / 3.0
    out["wis"] = wis(y, p10, p50, p90)
    out["baseline_p50"] = b50
    out["baseline_wis"] = wis(y, b10, b50, b90)
    out["log_ratio"] = np.where(out["inside"] | out["inside_baseline"], ratio, 0.0)
    out["neither"] = ~(out["inside"] | out["inside_baseline"])
    return out


def by_metric(scored: pd.DataFrame, scales: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Scores pooled per metric, then over all.

    Columns: ``months``, ``inside``, ``coverage``, ``bias`` (on a metric of ``scales`` "abs", CSAT and NPS: the
    mean of actual minus P50 in the metric's unit; else the sum of actuals over the sum of P50s minus 1, a
    share), ``bias_unit`` ("abs" or "share"), ``wape`` (sum of absolute errors over the sum of actuals),
    ``relative_wis`` and ``baseline_relative_wis`` (summed WIS over the sum of actuals), ``log_ratio`` and
    ``neither`` (months outside both bands). The "all" row counts every metric-month; its WAPE and WIS are the
    mean of the metrics' own and it has no bias (signs and units differ)."""
    columns = ["metric", "months", "inside", "coverage", "bias", "bias_unit", "wape", "relative_wis",
               "baseline_relative_wis", "log_ratio", "neither"]
    if scored.empty:
        return pd.DataFrame(columns=columns)
    scales = scales or {}

    def pool(metric: str, g: pd.DataFrame) -> dict[str, object]:
        scale = float(np.abs(g["actual"]).sum())
        absolute = scales.get(metric) == "abs"
        plan = float(g["p50"].sum())
        bias = float(g["bias"].mean()) if absolute else (float(g["actual"].sum()) / plan - 1.0 if plan else np.nan)
        return {"metric": metric, "months": len(g), "inside": int(g["inside"].sum()),
                "coverage": float(g["inside"].mean()),
                "bias": bias, "bias_unit": "abs" if absolute else "share",
                "wape": float(np.abs(g["bias"]).sum() / scale) if scale else float("nan"),
                "relative_wis": float(g["wis"].sum() / scale) if scale else float("nan"),
                "baseline_relative_wis": float(g["baseline_wis"].sum() / scale) if scale else float("nan"),
                "log_ratio": float(g["log_ratio"].sum()), "neither": int(g["neither"].sum())}
    rows = [pool(str(m), g) for m, g in scored.groupby("metric", sort=False)]
    every = {"metric": "all", "months": len(scored), "inside": int(scored["inside"].sum()),
             "coverage": float(scored["inside"].mean()), "bias": float("nan"), "bias_unit": "",
             "wape": float(np.nanmean([r["wape"] for r in rows])),
             "relative_wis": float(np.nanmean([r["relative_wis"] for r in rows])),
             "baseline_relative_wis": float(np.nanmean([r["baseline_relative_wis"] for r in rows])),
             "log_ratio": float(scored["log_ratio"].sum()), "neither": int(scored["neither"].sum())}
    return pd.DataFrame([*rows, every], columns=columns)


@dataclass(frozen=True)
class Verdict:
    """Which the months look like: "plan", "baseline" or "not yet", with the summed log ratio, the metric-months
    weighed and those left out (outside both bands)."""

    looks_like: str
    log_ratio: float
    months: int
    left_out: int = 0

    @property
    def odds(self) -> float:
        """Odds of the plan's band over the baseline's for the months seen (above 1 favours the plan)."""
        return math.exp(max(min(self.log_ratio, 700.0), -700.0))


def verdict(scored: pd.DataFrame) -> Verdict:
    if scored.empty:
        return Verdict("not yet", 0.0, 0)
    weighed = ~scored["neither"]
    total = float(scored["log_ratio"].sum())
    looks = "plan" if total > DECISIVE else "baseline" if total < -DECISIVE else "not yet"
    return Verdict(looks, total, int(weighed.sum()), int((~weighed).sum()))


def miss_odds(months: int, misses: int, nominal: float = NOMINAL_COVERAGE) -> float:
    """How often a correct band of ``nominal`` coverage misses at least ``misses`` of ``months`` independent
    months (a binomial tail): 12 months, 3 misses, 80 % gives 0.44."""
    if not 0 <= misses <= months:
        raise ValueError(f"misses must lie in 0..{months}, got {misses}")
    p = 1.0 - nominal
    return float(sum(math.comb(months, k) * p ** k * (1.0 - p) ** (months - k) for k in range(misses, months + 1)))
