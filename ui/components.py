"""Pieces several pages draw: the case sentence, the KPI row, guardrail warnings."""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.engine import Projection
from ui import charts
from ui import format as fmt
from ui.controls import describe_levers

KPI_MONTH = 11   # the 12th month: after a year, when most ramps are complete


def horizon_text(months: int) -> str:
    return f"{months // 12} years" if months % 12 == 0 else f"{months} months"


def payback_phrase(p: Projection) -> str:
    """How the undiscounted cumulative cash behaves, in words."""
    month = p.summary.payback_month
    if month == 0:
        return "cash-positive from month 0"
    if month is not None:
        return f"pays back in month {month} (undiscounted)"
    final = float(p.cash["cumulative_cash"].iloc[-1])
    return (f"does not pay back: the undiscounted cumulative cash is {fmt.money(final, p.currency)} "
            f"at month {p.summary.horizon_months - 1}")


def case_sentence(values: dict[str, Any], p: Projection) -> str:
    """"Opening a ... costs X and returns Y over 3 years: ROI Z, NPV W, payback in month M"."""
    cur = p.currency
    what = describe_levers(values)
    if not what:
        return "No lever is pulled yet: the scenario equals the baseline."
    s = p.summary
    roi = fmt.percent(s.roi_pct, cur, 0) if s.roi_pct is not None else "n/a (nothing spent or lost)"
    return (f"{what} costs {fmt.money(s.pv_costs, cur)} and returns {fmt.money(s.pv_benefits, cur)} "
            f"over {horizon_text(s.horizon_months)} (present values, revenue at margin): ROI {roi}, "
            f"NPV {fmt.money(s.npv, cur)}, {payback_phrase(p)}.")


def _at(p: Projection, variant: str, column: str) -> float:
    frame = p.variant(variant)
    return float(frame[column].iloc[min(KPI_MONTH, len(frame) - 1)])


def kpi_row(p: Projection) -> None:
    """Operational KPIs after a year and the money KPIs of the whole horizon, with deltas.

    A delta that rounds to zero at the shown precision is not shown (no arrow for no change).
    """
    cur = p.currency
    first_channel = p.response["channel"].iloc[0]
    frt_col = f"frt_{first_channel}_h"
    frt_b, frt_s = _at(p, "baseline", frt_col), _at(p, "scenario", frt_col)
    cols = st.columns(4)
    cols[0].metric(f"First response ({first_channel})", fmt.duration_h(frt_s, cur),
                   delta=_delta_h(frt_s - frt_b, cur), delta_color="inverse",
                   help="Ticket-weighted mean over regions of the time from a ticket's creation to the first "
                        "reply, scenario vs baseline.")
    csat_b, csat_s = _at(p, "baseline", "csat_pct"), _at(p, "scenario", "csat_pct")
    cols[1].metric("CSAT", fmt.percent(csat_s, cur),
                   delta=_nonzero(fmt.signed((csat_s - csat_b) * 100, cur, 1), " pts"),
                   help="Share of satisfied ratings among rated tickets (the CSAT curve of response time, "
                        "calibrated to today's CSAT, plus first-contact resolution).")
    nps_b, nps_s = _at(p, "baseline", "nps"), _at(p, "scenario", "nps")
    cols[2].metric("NPS", fmt.number(nps_s, cur, 1), delta=_nonzero(fmt.signed(nps_s - nps_b, cur, 1)),
                   help="% promoters - % detractors, from the mix of experience classes.")
    ch_b, ch_s = _at(p, "baseline", "churn_pct"), _at(p, "scenario", "churn_pct")
    cols[3].metric("Churn per month", fmt.percent(ch_s, cur, 2),
                   delta=_nonzero(fmt.signed((ch_s - ch_b) * 100, cur, 2), " pts"), delta_color="inverse",
                   help="Customers lost in the month / customers at its start.")
    st.caption(f"Service and customer figures in month {KPI_MONTH} (the twelfth month, months count from 0), "
               "when most ramps are complete; arrows compare the scenario with the baseline.")
    cols = st.columns(4)
    rev_b = float(p.variant("baseline")["revenue"].sum())
    rev_s = float(p.variant("scenario")["revenue"].sum())
    rev_delta = fmt.money(rev_s - rev_b, cur)
    cols[0].metric(f"Revenue, {p.summary.horizon_months} months", fmt.money(rev_s, cur),
                   delta=None if _is_zero(rev_delta) else rev_delta,
                   help="Sum of monthly recurring revenue; benefits below count it at gross margin.")
    s = p.summary
    cols[1].metric("NPV", fmt.money(s.npv, cur),
                   help="Present value of benefits at margin minus present value of costs, discounted "
                        "monthly at the annual rate; month 0 undiscounted.")
    cols[2].metric("ROI", fmt.percent(s.roi_pct, cur, 0) if s.roi_pct is not None else "n/a",
                   help="(PV benefits - PV costs) / PV costs; margin lost counts as a cost. Read it with NPV "
                        "and payback, never alone.")
    no_cash = s.pv_costs == 0.0 and s.pv_benefits == 0.0
    cols[3].metric("Payback", "n/a" if no_cash else _payback_short(s.payback_month, s.horizon_months),
                   help="First month from which the cumulative (undiscounted) incremental cash flow stays "
                        "at or above zero.")


def _is_zero(text: str) -> bool:
    return not any(ch in "123456789" for ch in text)


def _nonzero(text: str, unit: str = "") -> str | None:
    return None if _is_zero(text) else text + unit


def _payback_short(month: int | None, horizon: int) -> str:
    return f"month {month}" if month is not None else f"> {horizon} mo"


def _delta_h(hours: float, currency: str) -> str | None:
    text = fmt.duration_h(abs(hours), currency)
    return None if _is_zero(text) else ("-" if hours < 0 else "+") + text


def guardrails(p: Projection) -> None:
    """The warnings that apply, inside one container so the page below never shifts."""
    with st.container():
        for w in p.warnings:
            st.warning(w, icon=":material/warning:")


def chart(where: Any, altair_chart: Any, currency: str) -> None:
    """Draw an Altair chart full width in ``where`` (a column, the page), in the currency's locale."""
    where.altair_chart(charts.localized(altair_chart, currency), width="stretch")
