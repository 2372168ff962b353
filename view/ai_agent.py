"""The AI agent as a manager and a CFO read it: its month-by-month table, the figures that compare vendors, two charts,
and the comparison "AI agent / hire N agents / both". Pure pandas and Altair (no st.*); the Scenario page and the
exports use them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from model import SOURCES, Projection
from model.ai_agent import (
    AIAgent,
    PerAction,
    PerConversation,
    PerResolution,
    ResolutionAllowance,
    Seats,
    SessionBundle,
    monthly_fee,
)
from view import ai_controls
from view import format as fmt
from view.charts import AUTOSIZE, HEIGHT, _x_month

FLOW_PARTS = {"true_resolutions": "resolved for good", "handoffs": "handed off", "new_demand": "new demand"}
AGENT_PARTS = {"agents_freed": "freed", "fewer_agents": "fewer (saved)", "redeployed_agents": "moved",
               "unrealised_agents": "kept (shorter waits)"}


def monthly_table(p: Projection) -> pd.DataFrame:
    """The AI agent month by month (``p.ai_agent``) next to the customers' CSAT of all contacts and churn, baseline
    and scenario; headers with units, rounded to what is meaningful."""
    frame, cur = p.ai_agent, p.currency
    if frame is None:
        raise ValueError("the projection has no AI agent")
    base, scen = p.variant("baseline"), p.variant("scenario")
    return pd.DataFrame({
        "Month": frame["month"],
        "Conversations (a month)": frame["conversations"].round(0),
        "Of which new demand": frame["new_demand"].round(0),
        "Resolutions its vendor counts": frame["vendor_resolutions"].round(0),
        "Resolved for good": frame["true_resolutions"].round(0),
        "Handed to a person": frame["handoffs"].round(0),
        "CSAT of all contacts (%)": (scen["csat_pct"].to_numpy() * 100).round(1),
        "CSAT, baseline (%)": (base["csat_pct"].to_numpy() * 100).round(1),
        "Churn (% a month)": (scen["churn_pct"].to_numpy() * 100).round(2),
        "Churn, baseline (% a month)": (base["churn_pct"].to_numpy() * 100).round(2),
        f"Fees ({cur})": frame["fees"].round(0),
        f"Upkeep and QA ({cur})": frame["run_costs"].round(0),
        "Agent hours freed (a month)": frame["agent_hours_freed"].round(0),
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
    person_ticket_cost: float = math.nan   # staff cost per ticket people answer today (the baseline's month 0)

    @property
    def per_true_resolution(self) -> float:
        """Everything paid per issue that left the team's work for good (NaN: none did)."""
        return self.paid / self.true_resolutions if self.true_resolutions > 0 else math.nan

    @property
    def per_vendor_resolution(self) -> float:
        """Everything paid per resolution as the vendor counts it: what a vendor's own ROI sheet divides by."""
        return self.paid / self.vendor_resolutions if self.vendor_resolutions > 0 else math.nan


def summary(p: Projection, agent: AIAgent) -> Summary:
    """:class:`Summary` of ``p.ai_agent`` for ``agent`` (its implementation paid once if it launches within the
    horizon), with what a ticket people answer costs today for comparison."""
    frame = p.ai_agent
    if frame is None:
        raise ValueError("the projection has no AI agent")
    launched = agent.start_month < len(frame)
    paid = float(frame["fees"].sum() + frame["run_costs"].sum()) + (agent.run.implementation_cost if launched else 0.0)
    last = frame.iloc[-1]
    return Summary(paid, float(frame["fees"].sum()), float(frame["true_resolutions"].sum()),
                   float(frame["vendor_resolutions"].sum()), float(frame["conversations"].sum()),
                   float(last["agents_freed"]), float(last["fewer_agents"]),
                   float(p.variant("baseline")["cost_per_ticket"].iloc[0]))


def summary_lines(s: Summary, currency: str) -> list[tuple[str, str, str]]:
    """(label, value, how it is computed) for the figures a CFO compares vendors on."""
    cur = currency
    per = (lambda x: fmt.unit_price(x, cur))
    return [
        ("Cost per true resolution", per(s.per_true_resolution),
         f"everything paid ({fmt.money(s.paid, cur)}: fees, upkeep, QA, implementation) / issues that left the "
         f"team's work for good ({fmt.number(s.true_resolutions, cur)})"),
        ("Per vendor resolution", per(s.per_vendor_resolution),
         f"the same paid / resolutions the vendor counts ({fmt.number(s.vendor_resolutions, cur)}): the figure a "
         "vendor's sheet shows"),
        ("Per human ticket today", per(s.person_ticket_cost),
         "the staff cost a month / the tickets people answer in it (the baseline's first month), to set beside the cost "
         "per true resolution; an issue the agent resolves for good also spares the re-contacts an unresolved one "
         "brings"),
        ("Agents freed, last month", fmt.number(s.agents_freed_last, cur, 1),
         f"of which fewer agents (a saving): {fmt.number(s.fewer_agents_last, cur, 1)}"),
    ]


def flow_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Long rows of :func:`flow_chart`: each month's conversations by where they went."""
    long = frame[["month", *FLOW_PARTS]].rename(columns=FLOW_PARTS).melt(
        id_vars="month", var_name="part", value_name="count")
    return long


def flow_chart(data: pd.DataFrame) -> alt.Chart:
    """Stacked areas: the AI agent's conversations a month, resolved for good, handed off, new demand."""
    return (
        alt.Chart(data, title=alt.Title("The AI agent's conversations a month",
                                        subtitle="resolved for good, handed to a person, or never a ticket"),
                  height=HEIGHT, autosize=AUTOSIZE)
        .mark_area(opacity=0.85)
        .encode(x=_x_month(),
                y=alt.Y("count:Q", title="Conversations (a month)", stack="zero", axis=alt.Axis(format=",.0f")),
                color=alt.Color("part:N", title=None, sort=list(FLOW_PARTS.values()),
                                scale=alt.Scale(domain=list(FLOW_PARTS.values()),
                                                range=["#1f6feb", "#d29922", "#9aa5b1"]),
                                legend=alt.Legend(orient="bottom", columns=2, labelLimit=160)),
                order=alt.Order("order:Q"),
                tooltip=["month:Q", "part:N", alt.Tooltip("count:Q", title="conversations", format=",.0f")])
        .transform_calculate(order=f"indexof({list(FLOW_PARTS.values())!r}, datum.part)")
    )


def agents_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["month", *AGENT_PARTS]].rename(columns=AGENT_PARTS).melt(
        id_vars="month", var_name="part", value_name="count")


def agents_chart(data: pd.DataFrame) -> alt.LayerChart:
    """Lines: what the headcount policy makes of the freed hours (fewer, moved, kept), and all freed dashed on top."""
    parts = list(AGENT_PARTS.values())
    base = alt.Chart(data, height=HEIGHT).encode(
        x=_x_month(),
        y=alt.Y("count:Q", title="Agents", axis=alt.Axis(format=",.1f")),
        color=alt.Color("part:N", title=None, sort=parts,
                        scale=alt.Scale(domain=parts, range=["#57606a", "#1a7f37", "#8250df", "#d29922"]),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=160)),
        tooltip=["month:Q", "part:N", alt.Tooltip("count:Q", title="agents", format=",.2f")])
    policy = base.transform_filter(alt.datum.part != parts[0]).mark_line(strokeWidth=2.5)
    freed = base.transform_filter(alt.datum.part == parts[0]).mark_line(strokeWidth=3, strokeDash=[8, 6])
    return alt.layer(policy, freed, title=alt.Title("What the freed hours become",
                                                    subtitle="full-time agents at 85 % occupancy; dashed: all freed"),
                     autosize=AUTOSIZE)


def assumptions_table(agent: AIAgent, company_channels: tuple[str, ...], s: Summary, currency: str) -> pd.DataFrame:
    """The AI agent for a meeting: the figures that compare vendors, then each assumption as entered with where its
    default comes from (vendor figures marked [V])."""
    cur = currency
    b, run, policy = agent.behaviour, agent.run, agent.policy
    pct = (lambda x: fmt.percent(x, cur, 0))
    rows = [(label, value, how) for label, value, how in summary_lines(s, cur)]
    rows += [(f"Involvement, {ai_controls.CHANNEL_WORDS[c]} issues", pct(agent.involvement_of(c)),
              SOURCES["ai_involvement"]) for c in company_channels]
    rows += [
        ("Resolution rate its vendor reports", pct(b.resolution_pct), SOURCES["ai_resolution"]),
        ("Of those, coming back to a person", pct(b.return_pct), SOURCES["ai_returns"]),
        ("Conversations that would never have been tickets", pct(b.new_demand_pct), SOURCES["ai_new_demand"]),
        ("Handle time of what it resolves, of an average ticket", pct(b.resolved_handle_ratio),
         SOURCES["ai_resolved_handle"]),
        ("Handle time of a hand-off, of a cold ticket", pct(b.handoff_handle_ratio), SOURCES["ai_handoff_handle"]),
        ("CSAT of what it resolves, of a person's answer", pct(agent.ai_csat_relative), SOURCES["ai_csat"]),
        ("CSAT after a failed attempt, of a person's answer", pct(agent.handoff_csat_relative), SOURCES["ai_csat"]),
        ("Pricing", pricing_words(agent, cur), SOURCES["ai_pricing"]),
        ("Run costs", f"{fmt.money(run.implementation_cost, cur, compact=False)} once, then "
                      f"{fmt.money(run.knowledge_upkeep_per_month, cur, compact=False)} of knowledge upkeep and "
                      f"{fmt.number(run.qa_hours_per_month, cur)} QA hours at "
                      f"{fmt.unit_price(run.qa_cost_per_hour, cur)} a month", SOURCES["ai_run_costs"]),
        ("What the freed hours become", policy_words(agent, cur), SOURCES["ai_policy"]),
        ("Launch and ramp", f"month {agent.start_month}, 90 % of its involvement after {agent.ramp_months:g} months",
         SOURCES["ramp"]),
    ]
    return pd.DataFrame(rows, columns=["AI agent", "Value", "Formula or source"])


def pricing_table(frame: pd.DataFrame, agent: AIAgent, values: dict[str, Any], currency: str) -> pd.DataFrame:
    """Every pricing model on one basis for this agent's own counts (point view): each at the prices its controls
    hold, its fees over the horizon, everything paid (run costs included) and the cost per true resolution."""
    cur = currency
    conversations, counted = frame["conversations"].to_numpy(), frame["vendor_resolutions"].to_numpy()
    launched = (frame["month"] >= agent.start_month).to_numpy()
    run = float(frame["run_costs"].sum()) + (agent.run.implementation_cost if launched.any() else 0.0)
    true = float(frame["true_resolutions"].sum())
    rows = []
    for option in ai_controls.PRICINGS:
        model = ai_controls.pricing_of({**values, "ai_pricing": option})
        fees = float((monthly_fee(model, conversations, counted) * launched).sum())
        priced = dataclasses.replace(agent, pricing=model)
        rows.append({"Pricing": option + (" (chosen)" if option == values.get("ai_pricing") else ""),
                     f"Per true resolution ({cur})": fmt.unit_price((fees + run) / true if true > 0 else math.nan, cur),
                     f"Everything paid ({cur})": fmt.money(fees + run, cur),
                     f"Fees over the horizon ({cur})": fmt.money(fees, cur),
                     "Price": pricing_words(priced, cur)})
    return pd.DataFrame(rows)


def defaults_table() -> pd.DataFrame:
    """Every AI agent control with its default and where that default comes from ([V]: a vendor's own claim)."""
    rows = []
    for c in ai_controls.AI_CONTROLS:
        value = f"{c.default * 100:g} %" if c.format == "percent" else str(c.default)
        rows.append((c.label, value, c.help))
    return pd.DataFrame(rows, columns=["AI agent", "Default", "What it is, and the source of the default"])


def pricing_words(agent: AIAgent, currency: str) -> str:
    """The vendor's price in words ("0.99 per resolution the vendor counts")."""
    p, price = agent.pricing, (lambda x: fmt.unit_price(x, currency))
    match p:
        case PerResolution(a):
            return f"{price(a)} per resolution the vendor counts"
        case ResolutionAllowance(fee, included, overage):
            return (f"{fmt.money(fee, currency, compact=False)} a month with {fmt.number(included, currency)} "
                    f"resolutions included, {price(overage)} each past them")
        case PerConversation(a):
            return f"{price(a)} per conversation, resolved or not"
        case PerAction(a, n):
            return f"{price(a)} per action, {fmt.number(n, currency, 1)} actions a conversation"
        case SessionBundle(size, a):
            return f"{price(a)} per bundle of {fmt.number(size, currency)} sessions, bought whole"
        case Seats(n, a):
            return f"{fmt.number(n, currency)} seats at {price(a)} a month"
    return type(p).__name__


def policy_words(agent: AIAgent, currency: str) -> str:
    p = agent.policy
    return {"attrition": f"leavers not replaced, at most {fmt.percent(p.attrition_pct, currency, 1)} of the team a month",
            "avoid_hires": "hires of the plan not made",
            "redeploy": f"agents moved to other work, valued at {fmt.money(p.value_per_redeployed_agent_month, currency)}"
                        " a month each",
            "release": f"agents released, {p.severance_months:g} months of loaded cost in severance"}[p.policy]


# --------------------------------------------------------------------------- the CFO's comparison

OPTIONS = ("AI agent", "Hire agents", "Both")


MOST_HIRES = 30        # the hire lever's own limit


def agents_to_compare(frame: pd.DataFrame) -> int:
    """The hires the comparison starts at: the agents' worth of hours the agent frees in its last month, rounded up,
    1 to :data:`MOST_HIRES`."""
    return min(MOST_HIRES, max(1, math.ceil(float(frame["agents_freed"].iloc[-1]) - 1e-9)))


def comparison_values(values: dict[str, Any], agents: int, ai_keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The control values of the three options, each keeping the case's other levers: the AI agent as set (no hire
    at the main site), ``agents`` hired at the main site from the AI agent's launch month (no AI agent), and both."""
    no_ai = {k: 0.0 for k in ai_keys}
    hire = {"hire_agents": agents, "hire_start_month": values["ai_start_month"]}
    return {"AI agent": {**values, "hire_agents": 0},
            "Hire agents": {**values, **no_ai, **hire},
            "Both": {**values, **hire}}


def comparison_table(projections: dict[str, Projection], currency: str, month: int, channel: str,
                     formatted: bool = True) -> pd.DataFrame:
    """One column per option and one for the baseline (today's team, no lever), one row per measure: the NPV that
    leads (the median of the draws, as on the KPI row), its P10 to P90 and the probability of a loss, the point
    view's NPV, ROI and payback, the present value of the costs, and the service and team in ``month``.
    ``formatted``: text in the currency's locale (for the page), else numbers (for a file)."""
    cur = currency
    f = (lambda text, value: text) if formatted else (lambda text, value: value)
    first = next(iter(projections.values()))
    rows: dict[str, dict[str, Any]] = {}

    def service(frame: pd.DataFrame) -> dict[str, Any]:
        frt, csat = float(frame[f"frt_{channel}_h"].iloc[month]), float(frame["csat_pct"].iloc[month])
        team = float(frame["headcount"].iloc[month])
        return {f"First response, {channel}, month {month}" + ("" if formatted else " (h)"):
                f(fmt.duration_h(frt, cur), frt),
                f"CSAT of all contacts, month {month}": f(fmt.percent(csat, cur), csat),
                f"Headcount, month {month}": f(fmt.number(team, cur, 1), team)}

    for name, p in projections.items():
        s, u = p.summary, p.uncertainty
        column: dict[str, Any] = {}
        if u is not None:
            p10, p50, p90 = u.quantiles("npv")
            column[f"NPV, median of {u.draws:,} draws ({cur})"] = f(fmt.money(p50, cur), p50)
            column[f"NPV, P10 to P90 ({cur})"] = f(f"{fmt.money(p10, cur)} to {fmt.money(p90, cur)}", f"{p10:.0f} to {p90:.0f}")
            column["Probability of a loss"] = f(fmt.percent(u.prob_loss, cur, 0), u.prob_loss)
        column[f"NPV, every assumption as entered ({cur})"] = f(fmt.money(s.npv, cur), s.npv)
        column["ROI, as entered"] = f("n/a" if s.roi_pct is None else fmt.percent(s.roi_pct, cur, 0), s.roi_pct)
        column["Payback, as entered"] = f(fmt.payback(s.payback_month), s.payback_month)
        column[f"Present value of the costs ({cur})"] = f(fmt.money(s.pv_costs, cur), s.pv_costs)
        rows[name] = column | service(p.variant("scenario"))
    rows["Today's team (baseline)"] = {k: f("", None) for k in next(iter(rows.values()))} \
        | service(first.variant("baseline"))
    return pd.DataFrame(rows).rename_axis("Measure")
