"""Two to four projections side by side: the KPI table, the best by each criterion, overlaid months.

Pure pandas on projections (no st.*), so the page only lays them out and the tests check the
figures directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import Projection
from view import format as fmt

KPI_MONTH = 11                  # as on the Scenario page: the 12th month, months counting from 0
SERIES = {                      # series -> (label, axis title, Vega format)
    "csat_pct": ("CSAT", "CSAT (% satisfied)", ".1%"),
    "nps": ("NPS", "NPS (points)", ",.1f"),
    "churn_pct": ("Churn per month", "Churn (% a month)", ".2%"),
    "customers": ("Customers", "Customers (count)", ",.0f"),
    "revenue": ("Revenue per month", "Revenue ({cur} a month)", "~s"),
}


@dataclass(frozen=True)
class Case:
    """One compared scenario: its label (the saved name) and its projection with draws."""

    label: str
    projection: Projection
    company: str = ""          # the company the scenario is built on, named in the table when given

    @property
    def currency(self) -> str:
        return self.projection.currency


RESERVED = ("Figure", "Incremental cash", "Baseline")


def unique_labels(names: list[str]) -> list[str]:
    """Names as column and line labels: each distinct, none a table heading or a baseline's label."""
    out: list[str] = []
    for name in names:
        label, n = name, 1
        while label in out or label in RESERVED or label.startswith("Baseline of "):
            n += 1
            label = f"{name} ({n})"
        out.append(label)
    return out


def response_series(cases: list[Case]) -> dict[str, tuple[str, str, str]]:
    """First-response series of every channel any case has."""
    channels = dict.fromkeys(ch for c in cases for ch in c.projection.response["channel"].unique())
    return {f"frt_{ch}_h": (f"Mean first response, {ch}", "First response (hours)", ",.1f") for ch in channels}


def _q(c: Case, column: str) -> tuple[float, float, float]:
    assert c.projection.uncertainty is not None
    return c.projection.uncertainty.quantiles(column)


def _at(c: Case, series: str, month: int) -> float:
    u = c.projection.uncertainty
    assert u is not None
    band = u.bands[(u.bands["variant"] == "scenario") & (u.bands["series"] == series)]
    row = band[band["month"] == min(month, int(band["month"].max()))]
    return float(row["p50"].iloc[0]) if len(row) else math.nan


def payback_p50(c: Case) -> float:
    u = c.projection.uncertainty
    assert u is not None
    return u.payback_p50


def kpi_table(cases: list[Case]) -> pd.DataFrame:
    """Rows: the money case (P50 of the draws), then service and customers in month 12; one column per case."""
    columns: dict[str, list[str]] = {}
    for c in cases:
        u, cur, s = c.projection.uncertainty, c.currency, c.projection.summary
        assert u is not None
        lo, mid, hi = _q(c, "npv")
        payback = payback_p50(c)
        first_channel = str(c.projection.response["channel"].iloc[0])
        columns[c.label] = [
            fmt.money(mid, cur), f"{fmt.money(lo, cur)} to {fmt.money(hi, cur)}", fmt.percent(_q(c, "roi_pct")[1], cur, 0),
            fmt.payback(int(payback)) if math.isfinite(payback) else f"beyond the horizon ({s.horizon_months} months)",
            fmt.percent(u.prob_loss, cur, 0), fmt.money(s.pv_costs, cur), fmt.money(s.pv_benefits, cur),
            f"{fmt.duration_h(_at(c, f'frt_{first_channel}_h', KPI_MONTH), cur)} ({first_channel})",
            fmt.percent(_at(c, "csat_pct", KPI_MONTH), cur), fmt.number(_at(c, "nps", KPI_MONTH), cur, 1),
            fmt.percent(_at(c, "churn_pct", KPI_MONTH), cur, 2),
            fmt.number(_at(c, "customers", s.horizon_months - 1), cur), cur,
        ]
    index = ["NPV (P50)", "NPV P10 to P90", "ROI (P50)", "Payback (P50)", "Probability of a loss",
             "Costs, present value (point view)", "Benefits at margin, present value (point view)",
             f"First response, month {KPI_MONTH} (P50)", f"CSAT, month {KPI_MONTH} (P50)",
             f"NPS, month {KPI_MONTH} (P50)", f"Churn per month, month {KPI_MONTH} (P50)",
             "Customers at the end (P50)", "Currency"]
    if any(c.company for c in cases):
        for c in cases:
            columns[c.label].insert(0, c.company)
        index.insert(0, "Company")
    return pd.DataFrame(columns, index=pd.Index(index, name="Figure")).reset_index()


def best(cases: list[Case]) -> dict[str, tuple[list[str], str]]:
    """The best case(s) by NPV (highest P50), probability of a loss (lowest) and payback (earliest P50).

    Returns criterion -> (labels of the best, the figure in words); ties name every case that shares it.
    NPVs in different currencies are not ranked (amounts are never converted).
    """
    def pick(values: list[float], higher: bool) -> list[int]:
        arr = np.asarray(values, dtype=float)
        if not np.isfinite(arr).any():
            return []
        target = np.nanmax(np.where(np.isfinite(arr), arr, -np.inf)) if higher else np.nanmin(arr)
        return [i for i, v in enumerate(arr) if np.isfinite(v) and math.isclose(v, target, rel_tol=1e-9,
                                                                                 abs_tol=1e-9)]

    out: dict[str, tuple[list[str], str]] = {}
    if len({c.currency for c in cases}) > 1:
        out["NPV"] = ([], "not ranked: the scenarios are in different currencies")
    else:
        npv = [_q(c, "npv")[1] for c in cases]
        i = pick(npv, True)
        words = fmt.money(npv[i[0]], cases[i[0]].currency) + " at the median"
        out["NPV"] = ([cases[k].label for k in i], words + (" (every one loses money at the median)"
                                                            if npv[i[0]] < 0 else ""))
    loss = [c.projection.uncertainty.prob_loss for c in cases]   # type: ignore[union-attr]
    i = pick(loss, False)
    out["Probability of a loss"] = ([cases[k].label for k in i], f"a loss in {fmt.percent(loss[i[0]], cases[i[0]].currency, 0)} of the draws")
    payback = [payback_p50(c) for c in cases]
    i = pick(payback, False)
    out["Payback"] = (([cases[k].label for k in i], f"pays back in month {int(payback[i[0]])} at the median")
                      if i else ([], "none pays back within its horizon at the median"))
    return out


def overlay(cases: list[Case], series: str) -> pd.DataFrame:
    """P50 per month of ``series`` for each case (kind "scenario") and each distinct baseline (kind "baseline")."""
    frames, baselines = [], []
    for c in cases:
        u = c.projection.uncertainty
        assert u is not None
        for variant in ("scenario", "baseline"):
            b = u.bands[(u.bands["variant"] == variant) & (u.bands["series"] == series)]
            if b.empty:
                continue
            values = b["p50"].to_numpy()
            if variant == "baseline":
                if any(len(v) == len(values) and np.allclose(v, values, rtol=1e-9, atol=1e-12) for v in baselines):
                    continue
                baselines.append(values)
            label = c.label if variant == "scenario" else "Baseline" if len(baselines) == 1 else f"Baseline of {c.label}"
            frames.append(pd.DataFrame({"month": b["month"].to_numpy(), "value": values, "line": label,
                                        "kind": variant}))
    if len(baselines) > 1 and frames:          # name the first baseline after its case too
        first = next(f for f in frames if f["kind"].iloc[0] == "baseline")
        first["line"] = f"Baseline of {next(c.label for c in cases)}"
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["month", "value", "line", "kind"])


def cumulative_cash(cases: list[Case]) -> pd.DataFrame:
    """Cumulative incremental cash (scenario minus baseline, undiscounted), P10/P50/P90 per month and case."""
    frames = []
    for c in cases:
        u = c.projection.uncertainty
        assert u is not None
        b = u.bands[(u.bands["variant"] == "incremental") & (u.bands["series"] == "cumulative_cash")]
        frames.append(b[["month", "p10", "p50", "p90"]].assign(line=c.label))
    return pd.concat(frames, ignore_index=True)


def yearly_cash(cases: list[Case]) -> pd.DataFrame:
    """Incremental cash flow per year of the horizon (point view, undiscounted) and the NPV, one column per case."""
    columns: dict[str, list[str]] = {}
    years = max(math.ceil(c.projection.summary.horizon_months / 12) for c in cases)
    for c in cases:
        cash = c.projection.cash
        by_year = cash.groupby(cash["month"] // 12)["cash_flow"].sum()
        columns[c.label] = [fmt.money(float(by_year.get(y, math.nan)), c.currency, compact=False)
                            if y in by_year.index else "" for y in range(years)]
        columns[c.label].append(fmt.money(c.projection.summary.npv, c.currency, compact=False))
    index = [f"Year {y + 1} (months {12 * y} to {12 * y + 11})" for y in range(years)] + ["NPV (point view)"]
    return pd.DataFrame(columns, index=pd.Index(index, name="Incremental cash")).reset_index()
