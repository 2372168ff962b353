"""The AI agent as a manager and a CFO read it: its month-by-month table, the figures that compare vendors, two charts,
and the comparison "AI agent / hire N agents / both". Pure pandas and Altair (no st.*); the Scenario page and the
exports use them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from model import Projection
from model.ai_agent import AIAgent
from view import format as fmt
from view.charts import AUTOSIZE, HEIGHT, _x_month

FLOW_PARTS = {"true_resolutions": "resolved for good", "handoffs": "handed to a person",
              "new_demand": "new demand (never a ticket)"}
AGENT_PARTS = {"agents_freed": "freed by the AI agent", "fewer_agents": "fewer agents (a saving)",
               "redeployed_agents": "moved to other work", "unrealised_agents": "kept: shorter waits"}


def monthly_table(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The AI agent month by month (``Projection.ai_agent``), headers with units, rounded to what is meaningful."""
    cur = currency
    return pd.DataFrame({
        "Month": frame["month"],
        "Conversations": frame["conversations"].round(0),
        "Of which new demand": frame["new_demand"].round(0),
        "Resolutions its vendor counts": frame["vendor_resolutions"].round(0),
        "Resolved for good": frame["true_resolutions"].round(0),
        "Handed to a person": frame["handoffs"].round(0),
        f"Fees ({cur})": frame["fees"].round(0),
        f"Upkeep and QA ({cur})": frame["run_costs"].round(0),
        "Agent hours freed": frame["agent_hours_freed"].round(0),
        "Agents freed": frame["agents_freed"].round(2),
        "Fewer agents": frame["fewer_agents"].round(2),
        "Moved to other work": frame["redeployed_agents"].round(2),
        "Kept (shorter waits)": frame["unrealised_agents"].round(2),
        f"Staff saved ({cur})": frame["staff_savings"].round(0),
        f"Severance ({cur})": frame["severance"].round(0),
        f"Value of moved work ({cur})": frame["redeployment_benefit"].round(0),
    })


@dataclass(frozen=True)
class Summary:
    """Over the horizon (point view): what the agent cost, what it truly took off the team, and per unit."""

    paid: float                       # fees, upkeep, QA and implementation
    fees: float
    true_resolutions: float
    vendor_resolutions: float
    conversations: float
    agents_freed_last: float          # in the last month
    fewer_agents_last: float

    @property
    def per_true_resolution(self) -> float:
        """Everything paid per issue that left the team's work for good (NaN: none did)."""
        return self.paid / self.true_resolutions if self.true_resolutions > 0 else math.nan

    @property
    def per_vendor_resolution(self) -> float:
        """Everything paid per resolution as the vendor counts it: what a vendor's own ROI sheet divides by."""
        return self.paid / self.vendor_resolutions if self.vendor_resolutions > 0 else math.nan


def summary(frame: pd.DataFrame, agent: AIAgent) -> Summary:
    """:class:`Summary` of ``Projection.ai_agent`` for ``agent`` (its implementation paid once if it launches within
    the horizon)."""
    launched = agent.start_month < len(frame)
    paid = float(frame["fees"].sum() + frame["run_costs"].sum()) + (agent.run.implementation_cost if launched else 0.0)
    last = frame.iloc[-1]
    return Summary(paid, float(frame["fees"].sum()), float(frame["true_resolutions"].sum()),
                   float(frame["vendor_resolutions"].sum()), float(frame["conversations"].sum()),
                   float(last["agents_freed"]), float(last["fewer_agents"]))


def summary_lines(s: Summary, currency: str) -> list[tuple[str, str, str]]:
    """(label, value, how it is computed) for the figures a CFO compares vendors on."""
    cur = currency
    per = (lambda x: "n/a" if math.isnan(x) else fmt.money(x, cur, compact=False))
    return [
        ("Cost per true resolution", per(s.per_true_resolution),
         f"everything paid ({fmt.money(s.paid, cur)}: fees, upkeep, QA, implementation) / issues that left the "
         f"team's work for good ({fmt.number(s.true_resolutions, cur)})"),
        ("Cost per resolution its vendor counts", per(s.per_vendor_resolution),
         f"the same paid / resolutions the vendor counts ({fmt.number(s.vendor_resolutions, cur)}): the figure a "
         "vendor's sheet shows"),
        ("Agents freed in the last month", fmt.number(s.agents_freed_last, cur, 1),
         f"of which fewer agents (a saving): {fmt.number(s.fewer_agents_last, cur, 1)}"),
    ]


def flow_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Long rows of :func:`flow_chart`: each month's conversations by where they went."""
    long = frame[["month", *FLOW_PARTS]].rename(columns=FLOW_PARTS).melt(
        id_vars="month", var_name="part", value_name="count")
    return long


def flow_chart(data: pd.DataFrame) -> alt.Chart:
    """Stacked bars: the AI agent's conversations a month, resolved for good, handed off, new demand."""
    return (
        alt.Chart(data, title=alt.Title("The AI agent's conversations a month",
                                        subtitle="where they went: resolved for good, handed to a person, or new "
                                                 "demand that was never a ticket"),
                  height=HEIGHT, autosize=AUTOSIZE)
        .mark_bar()
        .encode(x=_x_month(),
                y=alt.Y("count:Q", title="Conversations (a month)", stack="zero",
                        axis=alt.Axis(format=",.0f")),
                color=alt.Color("part:N", title=None, sort=list(FLOW_PARTS.values()),
                                scale=alt.Scale(domain=list(FLOW_PARTS.values()),
                                                range=["#1f6feb", "#d29922", "#9aa5b1"]),
                                legend=alt.Legend(orient="bottom")),
                tooltip=["month:Q", "part:N", alt.Tooltip("count:Q", title="conversations", format=",.0f")])
    )


def agents_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["month", *AGENT_PARTS]].rename(columns=AGENT_PARTS).melt(
        id_vars="month", var_name="part", value_name="count")


def agents_chart(data: pd.DataFrame) -> alt.Chart:
    """Lines: agents' worth of hours freed each month, and what the headcount policy makes of them."""
    return (
        alt.Chart(data, title=alt.Title("What the freed hours become",
                                        subtitle="agents (full-time, at 85 % occupancy of productive hours)"),
                  height=HEIGHT, autosize=AUTOSIZE)
        .mark_line(strokeWidth=2.5)
        .encode(x=_x_month(),
                y=alt.Y("count:Q", title="Agents", axis=alt.Axis(format=",.1f")),
                color=alt.Color("part:N", title=None, sort=list(AGENT_PARTS.values()),
                                scale=alt.Scale(domain=list(AGENT_PARTS.values()),
                                                range=["#57606a", "#1a7f37", "#8250df", "#d29922"]),
                                legend=alt.Legend(orient="bottom")),
                tooltip=["month:Q", "part:N", alt.Tooltip("count:Q", title="agents", format=",.2f")])
    )


# --------------------------------------------------------------------------- the CFO's comparison

OPTIONS = ("AI agent", "Hire agents", "Both")


def agents_to_compare(frame: pd.DataFrame) -> int:
    """The hires the comparison starts at: the agents' worth of hours the agent frees in its last month, rounded up
    (at least 1)."""
    return max(1, math.ceil(float(frame["agents_freed"].iloc[-1]) - 1e-9))


def comparison_values(values: dict[str, Any], agents: int, ai_keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The control values of the three options, each keeping the case's other levers: the AI agent as set (no hire
    at the main site), ``agents`` hired at the main site from the AI agent's launch month (no AI agent), and both."""
    no_ai = {k: 0.0 for k in ai_keys}
    hire = {"hire_agents": agents, "hire_start_month": values["ai_start_month"]}
    return {"AI agent": {**values, "hire_agents": 0},
            "Hire agents": {**values, **no_ai, **hire},
            "Both": {**values, **hire}}


def comparison_table(projections: dict[str, Projection], currency: str, month: int,
                     channel: str) -> pd.DataFrame:
    """One row per option: the NPV that leads (point view), its P10-P90 and P(loss), ROI, payback, and the service
    and team in ``month``."""
    cur = currency
    rows = []
    for name, p in projections.items():
        s, u = p.summary, p.uncertainty
        scen = p.variant("scenario")
        row = {"Option": name, f"NPV, point view ({cur})": fmt.money(s.npv, cur, compact=False)}
        if u is not None:
            p10, _, p90 = u.quantiles("npv")
            row[f"NPV P10 to P90 ({cur})"] = f"{fmt.money(p10, cur)} to {fmt.money(p90, cur)}"
            row["Probability of a loss"] = fmt.percent(u.prob_loss, cur, 0)
        row["ROI"] = "n/a" if s.roi_pct is None else fmt.percent(s.roi_pct, cur, 0)
        row["Payback"] = fmt.payback(s.payback_month)
        row[f"PV of costs ({cur})"] = fmt.money(s.pv_costs, cur)
        row[f"First response, {channel}, month {month}"] = fmt.duration_h(float(scen[f"frt_{channel}_h"].iloc[month]),
                                                                          cur)
        row[f"CSAT of contacts, month {month}"] = fmt.percent(float(scen["contact_csat_pct"].iloc[month]), cur)
        row[f"Headcount, month {month}"] = fmt.number(float(scen["headcount"].iloc[month]), cur, 1)
        rows.append(row)
    return pd.DataFrame(rows)
