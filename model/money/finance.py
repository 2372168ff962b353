"""Money: discounting, NPV, ROI and payback of an incremental cash flow (Forrester TEI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.weekgrid import FloatArray


def discount_factors(months: int, annual_rate_pct: float) -> FloatArray:
    """Present-value factor of each month; month 0 (initial costs) is undiscounted."""
    return (1.0 + annual_rate_pct) ** (-np.arange(months) / 12.0)


def payback_months(cash_flow: FloatArray) -> FloatArray:
    """First month from which the undiscounted cumulative cash flow stays at or above zero.

    ``cash_flow`` (..., months) gives (...): NaN where it never does within the horizon, or where
    there is no cash flow at all (no investment, nothing to pay back). A flow that is never
    negative pays back in month 0.
    """
    flow = np.asarray(cash_flow, dtype=np.float64)
    months = flow.shape[-1]
    cumulative = np.cumsum(flow, axis=-1)
    tolerance = 1e-9 * np.maximum(1.0, np.abs(flow).sum(axis=-1, keepdims=True))
    negative = cumulative < -tolerance
    last_negative = months - 1 - np.argmax(negative[..., ::-1], axis=-1)
    month = np.where(negative.any(axis=-1), last_negative + 1, 0).astype(np.float64)
    return np.where((month < months) & np.any(flow != 0.0, axis=-1), month, np.nan)


def payback_month(cash_flow: FloatArray) -> int | None:
    """:func:`payback_months` of one flow (months,), ``None`` where it has none."""
    month = float(payback_months(cash_flow))
    return None if np.isnan(month) else int(month)


@dataclass(frozen=True)
class CaseSummary:
    """The headline of a case: always ROI together with NPV and payback."""

    pv_benefits: float
    pv_costs: float
    npv: float
    roi_pct: float | None
    payback_month: int | None
    horizon_months: int

    @property
    def no_cash(self) -> bool:
        """No extra cash at all: no lever is pulled, so there is no NPV to pay back or to be uncertain about."""
        return self.pv_costs == 0.0 and self.pv_benefits == 0.0


@dataclass(frozen=True)
class ColumnOutcome:
    """NPV, ROI and payback of many cash-flow columns at once, arrays of shape (D,).

    ``roi_pct`` is NaN without costs; ``payback_month`` is NaN where there is none.
    """

    pv_by_line: dict[str, FloatArray]
    pv_benefits: FloatArray
    pv_costs: FloatArray
    npv: FloatArray
    roi_pct: FloatArray
    payback_month: FloatArray
    horizon_months: int

    def case(self, column: int) -> CaseSummary:
        roi, payback = float(self.roi_pct[column]), float(self.payback_month[column])
        return CaseSummary(float(self.pv_benefits[column]), float(self.pv_costs[column]), float(self.npv[column]),
                           None if np.isnan(roi) else roi, None if np.isnan(payback) else int(payback),
                           self.horizon_months)


def summarise_columns(lines: dict[str, FloatArray], benefit_lines: tuple[str, ...], cost_lines: tuple[str, ...],
                      annual_rate_pct: float) -> ColumnOutcome:
    """ROI, NPV and payback per column of monthly cash lines (D, months).

    A benefit line whose present value is negative in a column (margin lost when service gets
    worse) counts as a cost of the case in that column, so ROI = (PV gains - PV losses) / PV losses.
    """
    months = next(iter(lines.values())).shape[-1]
    for name, line in lines.items():
        if not np.all(np.isfinite(line)):
            raise ValueError(f"the cash line {name!r} is not finite in every month: the inputs are outside what "
                             "the model can value")
    disc = discount_factors(months, annual_rate_pct)
    pv = {k: (line * disc).sum(axis=-1) for k, line in lines.items()}
    gains = sum(np.where(pv[k][:, None] >= 0.0, lines[k], 0.0) for k in benefit_lines)
    losses = sum(lines[k] for k in cost_lines) + sum(np.where(pv[k][:, None] < 0.0, -lines[k], 0.0)
                                                      for k in benefit_lines)
    pv_b = (gains * disc).sum(axis=-1)
    pv_c = (losses * disc).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(pv_c > 0.0, (pv_b - pv_c) / np.where(pv_c > 0.0, pv_c, 1.0), np.nan)
    return ColumnOutcome(pv, pv_b, pv_c, pv_b - pv_c, roi, payback_months(gains - losses), months)


def _adjusted(line: FloatArray, share: float, benefit: bool) -> FloatArray:
    """A line made more conservative by ``share`` of its size in every month: benefits lower, costs higher."""
    return line - share * np.abs(line) if benefit else line + share * np.abs(line)


def risk_adjusted(lines: Mapping[str, FloatArray], initial: Mapping[str, float], adjustment: Mapping[str, float],
                  benefit_lines: tuple[str, ...], cost_lines: tuple[str, ...], annual_rate_pct: float
                  ) -> tuple[pd.DataFrame, CaseSummary]:
    """The Forrester TEI view: each line risk-adjusted, per year, with its total and present value.

    ``lines``: monthly cash per line (months,), costs positive; ``initial``: the part of each line
    paid up front in month 0; ``adjustment``: per line, the share by which a benefit is cut or a
    cost raised (e.g. 0.25 for a revenue benefit). Returns one row per line and the rows "Total
    benefits", "Total costs" and "Net benefits", with columns kind, line, adjustment_pct, initial,
    year_1 ... year_n, total, present_value; and the risk-adjusted case summary.
    """
    months = next(iter(lines.values())).size
    disc = discount_factors(months, annual_rate_pct)
    years = int(np.ceil(months / 12))
    rows = []
    adjusted = {}
    for kind, names in (("Benefit", benefit_lines), ("Cost", cost_lines)):
        for name in names:
            share = float(adjustment[name])
            line = _adjusted(lines[name], share, kind == "Benefit")
            up_front = float(_adjusted(np.array([initial.get(name, 0.0)]), share, kind == "Benefit")[0])
            by_year = np.add.reduceat(line, np.arange(0, months, 12))
            by_year[0] -= up_front
            adjusted[name] = line
            rows.append({"kind": kind, "line": name, "adjustment_pct": share if kind == "Cost" else -share,
                         "initial": up_front, **{f"year_{y + 1}": by_year[y] for y in range(years)},
                         "total": float(line.sum()), "present_value": float((line * disc).sum())})
    table = pd.DataFrame(rows)
    value_columns = ["initial"] + [f"year_{y + 1}" for y in range(years)] + ["total", "present_value"]
    benefits = table[table["kind"] == "Benefit"][value_columns].sum()
    costs = table[table["kind"] == "Cost"][value_columns].sum()
    totals = pd.DataFrame([{"kind": "Total", "line": "Total benefits", **benefits.to_dict()},
                           {"kind": "Total", "line": "Total costs", **costs.to_dict()},
                           {"kind": "Total", "line": "Net benefits", **(benefits - costs).to_dict()}])
    table = pd.concat([table, totals], ignore_index=True)
    outcome = summarise_columns({k: v[None, :] for k, v in adjusted.items()}, benefit_lines, cost_lines,
                                annual_rate_pct)
    return table, outcome.case(0)
