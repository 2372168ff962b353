"""What a case says, once, for the presentation page, the deck and the workbook.

Every figure comes from the projection the pages show; every assumption carries its source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from model import ASSUMPTION_INFO, Projection, Scenario, risk_adjusted_view
from model.money import CaseSummary
from view import ai_agent as ai_view
from view import format as fmt
from view.controls import CompanyChoice, describe_levers
from view.tables import risk_adjusted
from view.words import KPI_MONTH, case_sentence, company_inputs

ASSUMPTIONS_SHOWN = 6


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str


@dataclass(frozen=True)
class Facts:
    """The case of one scenario in words and tables, in its currency and locale."""

    title: str
    company: str
    inputs: str                        # what the case stands on: customers, ARPU, margin, sites, regions
    currency: str
    sentence: str
    kpis: tuple[Kpi, ...]
    assumptions: pd.DataFrame          # the assumptions that move the NPV most, with ranges and sources
    risk_table: pd.DataFrame           # the TEI table, numbers in the currency
    risk_case: CaseSummary
    npv_p50: float
    ai_agent: pd.DataFrame | None = None   # the AI agent's figures and assumptions with sources (None: no agent)


def _interval(r: Any, currency: str) -> str:
    """The 90 % interval of a multiplier as entered (the Risk page's range), in the locale's decimals."""
    return f"{fmt.number(r.low, currency, 2)} to {fmt.number(r.high, currency, 2)}"


def facts(values: dict[str, Any], scenario: Scenario, p: Projection) -> Facts:
    """The case of ``scenario`` (built from ``values``) as its projection ``p`` (with draws) states it."""
    u = p.uncertainty
    if u is None:
        raise ValueError("the case is stated over the draws: project with draws")
    cur = p.currency
    own = {str(values.get("company", "")): CompanyChoice(scenario.company, scenario.finance.currency)}
    lo, mid, hi = u.quantiles("npv")
    roi = u.quantiles("roi_pct")
    payback = u.payback_p50
    months = p.summary.horizon_months
    month = min(KPI_MONTH, months - 1)

    def at(series: str) -> float:
        band = u.band(series, "scenario")
        return float(band.loc[month, "p50"])

    def base(series: str) -> float:
        return float(u.band(series, "baseline").loc[month, "p50"])

    table, risk_case = risk_adjusted_view(scenario, p)
    channel = str(p.response["channel"].iloc[0])
    frt = f"frt_{channel}_h"
    kpis = (
        Kpi("NPV (median)", fmt.money(mid, cur), f"P10-P90 {fmt.money(lo, cur)} to {fmt.money(hi, cur)}"),
        Kpi("ROI", fmt.percent(roi[1], cur, 0), f"P10-P90 {fmt.percent(roi[0], cur, 0)} to {fmt.percent(roi[2], cur, 0)}"),
        Kpi("Payback", f"month {int(payback)}" if math.isfinite(payback) else f"> {months} months",
            f"within {months} months in {fmt.percent(u.prob_payback, cur, 0)} of draws"),
        Kpi("Probability of a loss", fmt.percent(u.prob_loss, cur, 0),
            f"NPV < 0 in {fmt.number(round(u.prob_loss * u.draws), cur)} of {fmt.number(u.draws, cur)} draws"),
        Kpi(f"First response ({channel})", fmt.duration_h(at(frt), cur), f"baseline {fmt.duration_h(base(frt), cur)}"),
        Kpi("CSAT", fmt.percent(at("csat_pct"), cur), f"baseline {fmt.percent(base('csat_pct'), cur)}"),
        Kpi("Churn per month", fmt.percent(at("churn_pct"), cur, 2), f"baseline {fmt.percent(base('churn_pct'), cur, 2)}"),
        Kpi("Risk-adjusted NPV", fmt.money(risk_case.npv, cur), "TEI risk adjustments, assumptions as entered"),
    )
    rows = []
    for _, r in u.tornado.head(ASSUMPTIONS_SHOWN).iterrows():
        name = str(r["assumption"])
        label, multiplies, source = ASSUMPTION_INFO[name]
        rows.append({"Assumption": label, "Multiplies": multiplies,
                     "90 % interval": _interval(getattr(scenario.assumptions, name), cur),
                     f"NPV at P10 ({cur})": float(r["npv_low"]), f"NPV at P90 ({cur})": float(r["npv_high"]),
                     "Source": source})
    return Facts(
        title=describe_levers(values, own) or "Baseline (no lever pulled)",
        company=scenario.company.name, inputs=company_inputs(scenario.company, cur), currency=cur, sentence=case_sentence(values, p, own), kpis=kpis,
        assumptions=pd.DataFrame(rows), risk_table=risk_adjusted(table, cur, months), risk_case=risk_case,
        npv_p50=mid, ai_agent=_ai_agent(scenario, p))


def _ai_agent(scenario: Scenario, p: Projection) -> pd.DataFrame | None:
    agent = scenario.levers.ai_agent
    if p.ai_agent is None or agent is None:
        return None
    channels = tuple(c.name for c in scenario.company.channels)
    return ai_view.assumptions_table(agent, channels, ai_view.summary(p, agent), p.currency)
