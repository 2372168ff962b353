"""Pieces several pages draw: the case sentence, the KPI row, guardrail warnings."""

from __future__ import annotations

import re

import copy
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from model import Projection
from ui import downloads
from view import charts
from view import format as fmt
from view.words import KPI_MONTH, payback_phrase


def kpi_row(p: Projection) -> None:
    """Operational KPIs after a year and the money KPIs of the whole horizon.

    With draws: each KPI is the P50 of the draws with its P10-P90 range beneath, deltas compare
    the scenario's P50 with the baseline's. A delta that rounds to zero is not shown. Drawn inside one
    container: the point view's line appears only once a lever is pulled, and an element more or less
    here would move everything below it, which the browser then builds again (every lever, every chart).
    """
    with st.container():
        _kpis(p)


def _kpis(p: Projection) -> None:
    u = p.uncertainty
    assert u is not None, "the KPI row shows the draws: run the projection with draws"
    cur = p.currency
    month = min(KPI_MONTH, p.summary.horizon_months - 1)

    def at(series: str, variant: str = "scenario") -> tuple[float, float, float]:
        return u.at(series, month, variant)

    first_channel = p.response["channel"].iloc[0]
    cols = st.columns(4)
    specs = (
        (f"frt_{first_channel}_h", f"First response ({first_channel})", lambda x: fmt.duration_h(x, cur),
         lambda d: _delta_h(d, cur), "inverse",
         "Ticket-weighted mean over regions of the time from a ticket's creation to the first reply."),
        ("csat_pct", "CSAT", lambda x: fmt.percent(x, cur), lambda d: _nonzero(fmt.signed(d * 100, cur, 1), " pts"),
         "normal", "Share of satisfied ratings over every contact: tickets people answer (the CSAT curve of "
                   "response time, calibrated to today's CSAT, plus first-contact resolution), and the issues "
                   "self-service or an AI agent resolves, or hands to a person, at their own CSAT. The churn follows "
                   "this figure."),
        ("nps", "NPS", lambda x: fmt.number(x, cur, 1), lambda d: _nonzero(fmt.signed(d, cur, 1)), "normal",
         "% promoters - % detractors, from the mix of experience classes."),
        ("churn_pct", "Churn per month", lambda x: fmt.percent(x, cur, 2),
         lambda d: _nonzero(fmt.signed(d * 100, cur, 2), " pts"), "inverse",
         "Customers lost in the month / customers at its start."),
    )
    for col, (series, label, show, delta, color, help_text) in zip(cols, specs):
        lo, mid, hi = at(series)
        col.metric(label, show(mid), delta=delta(mid - at(series, "baseline")[1]), delta_color=color,
                   help=help_text + " P50 of the draws; arrows compare with the baseline's P50.")
        col.caption(f"P10-P90: {show(lo)} to {show(hi)}")
    st.caption(f"Service and customer figures in month {month} (months count from 0), when most ramps are "
               f"complete, over {fmt.number(u.draws, cur)} draws of the uncertain assumptions (fixed seed {u.seed}).")

    cols = st.columns(4)
    lo, mid, hi = u.quantiles("npv")
    cols[0].metric("NPV (median)", fmt.money(mid, cur), help="Present value of benefits at margin minus present value of "
                   "costs, discounted monthly at the annual rate; month 0 undiscounted. P50 of the draws.")
    cols[0].caption(f"P10-P90: {fmt.money(lo, cur)} to {fmt.money(hi, cur)}")
    lo, mid, hi = u.quantiles("roi_pct")
    cols[1].metric("ROI", fmt.percent(mid, cur, 0), help="(PV benefits - PV costs) / PV costs; margin lost counts "
                   "as a cost. Read it with NPV and payback, never alone. P50 of the draws.")
    cols[1].caption(f"P10-P90: {fmt.percent(lo, cur, 0)} to {fmt.percent(hi, cur, 0)}")
    no_cash = p.summary.no_cash
    months = p.summary.horizon_months
    cols[2].metric("Payback", "n/a" if no_cash else _payback_short(u.payback_p50, months),
                   help="First month from which the cumulative (undiscounted) incremental cash flow stays at or "
                        "above zero. P50 of the draws; a draw that never pays back counts as later than any.")
    cols[2].caption("no cash to pay back" if no_cash else f"within {months} months in {fmt.percent(u.prob_payback, cur, 0)} of draws")
    cols[3].metric("Probability of a loss", "n/a" if no_cash else fmt.percent(u.prob_loss, cur, 0),
                   help="Share of draws in which the NPV is below zero.")
    cols[3].caption(f"NPV < 0 in {fmt.number(round(u.prob_loss * u.draws), cur)} of {fmt.number(u.draws, cur)} draws")
    s = p.summary
    if not no_cash:
        st.caption(f"With every assumption as entered (the point view): NPV {fmt.money(s.npv, cur)}, ROI "
                   f"{fmt.percent(s.roi_pct, cur, 0) if s.roi_pct is not None else 'n/a'}, "
                   f"{payback_phrase(p)}.")


def _is_zero(text: str) -> bool:
    return not any(ch in "123456789" for ch in text)


def _nonzero(text: str, unit: str = "") -> str | None:
    return None if _is_zero(text) else text + unit


def _payback_short(month: float | None, horizon: int) -> str:
    if month is None or not np.isfinite(month):
        return f"> {horizon} mo"
    return f"month {int(month)}"


def _delta_h(hours: float, currency: str) -> str | None:
    text = fmt.duration_h(abs(hours), currency)
    return None if _is_zero(text) else ("-" if hours < 0 else "+") + text


def guardrails(p: Projection) -> None:
    """The warnings that apply, inside one container so the page below never shifts."""
    with st.container():
        for w in p.warnings:
            st.warning(w, icon=":material/warning:")


LARGE_TYPE = {"axis": {"labelFontSize": 13, "titleFontSize": 15}, "legend": {"labelFontSize": 15},
              "title": {"fontSize": 20, "subtitleFontSize": 15}}


def chart(where: Any, altair_chart: Any, currency: str, files: bool = True, large: bool = False) -> None:
    """Draw an Altair chart full width in ``where`` (a column, the page), in the currency's locale, with PNG and
    SVG downloads under it unless ``files`` is false; ``large`` sets the type for reading across a room.

    The spec is handed over without Altair's schema validation, which costs as much as building
    the chart; every chart builder is validated against the Vega-Lite schema in the tests instead.
    """
    spec = charts.localized(altair_chart, currency).to_dict(validate=False)
    if large:
        config = spec.setdefault("config", {})
        for part, sizes in LARGE_TYPE.items():
            config[part] = {**config.get(part, {}), **sizes}
    title = downloads.title_of(spec)
    where.vega_lite_chart(spec, width="stretch")
    if files:
        downloads.chart_files(where, altair_chart, currency, title)


def fan(where: Any, u: Any, series: str, title: str, y_title: str, y_format: str, currency: str,
        actuals: Any = None, channel_shares: Any = None) -> None:
    """A fan chart of one band series of ``u`` (the projection's uncertainty): the cached spec with this rerun's
    rows (and the actual months). ``channel_shares``: the channels' weights of first response over all channels."""
    own = actuals is not None and bool((actuals["series"] == series).any())
    spec_chart(where, charts.fan_spec(title, y_title, y_format, currency, own),
               charts.fan_data(u, series, actuals if own else None, channel_shares, y_format), currency)


def spec_chart(where: Any, spec: dict, rows: Any, currency: str) -> None:
    """A cached spec without data (``view.charts.*_spec``) drawn full width with this rerun's ``rows``, with PNG and SVG
    downloads under it. The page draws a copy, so the cached spec is never changed."""
    where.vega_lite_chart(rows, copy.deepcopy(spec), width="stretch")
    downloads.chart_files(where, spec, currency, downloads.title_of(spec), rows)


def figure_text(f: Any, currency: str) -> str:
    """A measured figure (``intake.metrics.measures.Figure``) in the reader's units; "n/a" when undefined."""
    if f.value is None:
        return "n/a"
    return {"h": lambda v: fmt.duration_h(v, currency), "pct": lambda v: fmt.percent(v, currency),
            "count": lambda v: fmt.number(v, currency), "money": lambda v: fmt.money(v, currency, compact=False),
            "points": lambda v: fmt.signed(v, currency, 1), "ratio": lambda v: fmt.number(v, currency, 2),
            "months": lambda v: f"{fmt.number(v, currency, 1)} months"}[f.unit](f.value)


BARELY_DIFFER = 1.2   # churn and spend within 20 % across groups: the grouping says little


def temkin_table(t: Any, currency: str) -> None:
    """A ``intake.metrics.temkin.TemkinTable`` as the page shows it, with how to read it."""
    table = t.table
    shown = pd.DataFrame({
        "Customers": table["customers"].map(lambda v: fmt.number(v, currency)),
        "Churned": table["churned"].map(lambda v: fmt.number(v, currency)),
        "Churn, monthly": table["churn_monthly_pct"].map(lambda v: fmt.percent(v, currency, 2)),
        "Churn vs the lowest": table["churn_vs_lowest"].map(lambda v: "n/a" if pd.isna(v) else f"{v:.1f}x"),
        "Mean MRR": table["mrr_mean"].map(lambda v: "n/a" if pd.isna(v) else fmt.money(v, currency, compact=False)),
        "Expansion": table["expansion_pct"].map(lambda v: "n/a" if pd.isna(v) else fmt.percent(v, currency)),
        "Value at margin, per customer": table["value_at_margin"].map(
            lambda v: "n/a" if pd.isna(v) else fmt.money(v, currency)),
        "Moving one customer up is worth": table["move_up_per_customer"].map(
            lambda v: "" if pd.isna(v) else fmt.money(v, currency)),
        "Moving the group up is worth": table["move_up_group"].map(
            lambda v: "" if pd.isna(v) else fmt.money(v, currency)),
    }, index=table.index.rename("Group"))
    downloads.table(st, shown, "customer groups by experience", export=table.rename_axis("group"), width="stretch")
    churn = table["churn_monthly_pct"].dropna()
    spend = table["mrr_mean"].dropna()
    flat = (churn.max() <= BARELY_DIFFER * churn.min() if len(churn) > 1 and churn.min() > 0 else False) and \
        (spend.max() <= BARELY_DIFFER * spend.min() if len(spend) > 1 and spend.min() > 0 else True)
    st.caption(
        f"Window {t.window_start:%d %b %Y} to {t.window_end:%d %b %Y}. Churn = customers who left / customer-months "
        f"observed; value at margin = mean MRR x gross margin ({fmt.percent(t.gross_margin_pct, currency, 0)}, the "
        "case's) x lifetime (1 / churn, at most 10 years); moving up = the next row's value minus this row's. Groups "
        "under 5 customers are not valued.")
    if flat:
        st.warning("The groups barely differ in churn and spend (within 20 %): by the articles' rule, this pair of "
                   "metrics is not useful for valuing experience.")


def measured_text(name: str, value: float, currency: str) -> str:
    """A company figure by its name's unit: ``_pct`` as a percent, money as money, counts as numbers."""
    if name.endswith("_pct"):
        return fmt.percent(value, currency, 2)
    if name.startswith("arpu"):                        # a revenue per customer keeps its cents
        return fmt.unit_price(value, currency)
    if name == "channel shares":
        return f"{value:.0f} channels"
    return fmt.number(value, currency, 2 if abs(value) < 10 else 0)


_MARKDOWN = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!|<>~$:"})


_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(?=://)|(?<=\bwww)(?=\.)")
WORD_JOINER = "\u2060"


def plain(text: str) -> str:
    """Text from a user's file, escaped so Streamlit's markdown shows it as written (no links,
    images, emphasis or emoji short codes made from a cell's content). An address written out
    (``http://...``, ``www....``) would still become a link, escapes or not: an invisible word
    joiner after its scheme or ``www`` keeps it text."""
    return _AUTOLINK.sub(WORD_JOINER, str(text)).translate(_MARKDOWN)
