"""Parts of the Scenario page that rerun alone (``st.fragment``): a click inside one redraws that part only.

Choosing a channel or a statistic of first response changes what is shown, not the case: the section's
fragment reruns with the projection the page last computed, and the levers, the KPI row and the other
charts stay as they are. Opening a table builds and sends that table alone.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from model import Projection, Scenario
from ui import cache, components, data, downloads, state
from view import ai_agent as ai_view
from view import ai_controls, charts, controls, tables, words


@st.fragment
def service(projection: Projection, actuals: pd.DataFrame | None, actuals_caption: str,
            shares: dict[str, float]) -> None:
    """First response and CSAT fans of one channel, and first response by region (a channel and a statistic
    chosen here). ``shares``: each channel's share of tickets, to weigh first response over all channels where
    the uploads report only that (a KPI file, a log without channels)."""
    u, cur = projection.uncertainty, projection.currency
    if actuals_caption:
        st.caption(actuals_caption)
    channels = list(dict.fromkeys(projection.response["channel"]))
    overall = actuals is not None and bool((actuals["series"] == "frt_h").any())
    if overall and len(channels) == 1:             # one channel: its first response is the overall one
        actuals = actuals.replace({"series": {"frt_h": f"frt_{channels[0]}_h"}})
    state.start_view_choice("view_channel", channels)
    st.segmented_control("Channel", channels, key="view_channel")
    channel = state.keep_view_choice("view_channel")
    left, right = st.columns(2)
    components.fan(left, u, f"frt_{channel}_h", f"Mean first response, {channel}", "First response (hours)",
                   ",.1f", cur, actuals)
    components.fan(right, u, "csat_pct", "CSAT", "CSAT (% satisfied)", ".1%", cur, actuals)
    if overall and len(channels) > 1:
        components.fan(st, u, "frt_h", "Mean first response, all channels (weighted by tickets)",
                       "First response (hours)", ",.1f", cur, actuals,
                       channel_shares=shares)
    stats = list(charts.REGION_STATS)
    state.start_view_choice("view_region_stat", stats)
    st.segmented_control("First response by region", stats, key="view_region_stat")
    stat = state.keep_view_choice("view_region_stat")
    shown = charts.REGION_STATS[stat]
    components.spec_chart(st, charts.response_by_region_spec(channel, shown, cur),
                          charts.response_by_region_data(projection.response, channel, shown), cur)
    month = min(words.KPI_MONTH, projection.summary.horizon_months - 1)
    downloads.table(st, tables.in_locale(tables.response_by_region(projection, channel, month), cur),
                    f"first response by region, {channel}, month {month}", hide_index=True, width="stretch")
    st.caption(f"By region in month {month}: every assumption as entered (the point view). 'In business hours' "
               "counts the tickets a region writes on its weekdays' business hours, still measured in calendar "
               "hours; help desks report the median next to the mean, since a few tickets waiting over a weekend "
               "pull the mean up.")


TABLES = (("Monthly table (baseline and scenario)", tables.monthly),
          ("Incremental cash lines per month (scenario minus baseline)", tables.cash))


@st.fragment
def monthly_tables(projection: Projection) -> None:
    """The monthly and cash tables, each built and sent only while its expander is open."""
    cur = projection.currency
    for title, build in TABLES:
        box = st.expander(title, key=f"_open_{title}", on_change="rerun")
        if box.open:
            frame = build(projection)
            right: dict[str, Any] = {c: st.column_config.TextColumn(alignment="right") for c in frame.columns
                                     if c not in ("Month", "Variant")}
            downloads.table(box, tables.in_locale(frame, cur), title, export=frame, hide_index=True,
                            width="stretch", column_config=right)


@st.fragment
def ai_agent(projection: Projection, scenario: Scenario, values: dict[str, Any], book: Any) -> None:
    """The AI agent month by month: where its conversations went, what they cost per true resolution, what the
    freed hours became, its table, and the comparison with hiring (built only while open)."""
    frame, agent, cur = projection.ai_agent, scenario.levers.ai_agent, projection.currency
    if frame is None or agent is None:
        st.info("No AI agent in this case: set the share of issues it takes part in under AI agent, on the left.",
                icon=":material/smart_toy:")
        return
    s = ai_view.summary(projection, agent)
    lines = ai_view.summary_lines(s, cur)
    for column, (label, value, how) in zip(st.columns(len(lines)), lines):
        column.metric(components.plain(label), value, help=how)
    if agent.policy.policy == "avoid_hires" and not (frame["fewer_agents"] > 0.0).any():
        st.info("The plan hires no one, so the agent has no hires to avoid: its freed hours shorten waits and save no "
                "staff cost. Add the hires the plan would make (Hire or release agents, or the plan), or choose "
                "another use of the freed hours.", icon=":material/info:")
    left, right = st.columns(2)
    components.chart(left, ai_view.flow_chart(ai_view.flow_frame(frame)), cur)
    components.chart(right, ai_view.agents_chart(ai_view.agents_frame(frame)), cur)
    st.caption("Every assumption as entered (the point view). The vendor's resolution rate is the optimistic end: the "
               "bands and the Risk page draw 0.45 to 1.0 of it. Freed hours turn into agents at the team's productive "
               "hours and 85 % occupancy; only the policy's share is a saving, the rest shortens waits. The CSAT of "
               "what the agent resolves and after a failed attempt are modelling choices [D] that move churn: the "
               "Risk page's tornado shows how much the NPV rests on them.")
    box = st.expander("The AI agent month by month, next to CSAT and churn", key="_open_ai_table", on_change="rerun")
    if box.open:
        table = ai_view.monthly_table(projection)
        downloads.table(box, tables.in_locale(table, cur), "the AI agent month by month", export=table,
                        hide_index=True, width="stretch")
    box = st.expander("Every pricing model on one basis", key="_open_ai_pricing", on_change="rerun",
                      icon=":material/sell:")
    if box.open:
        table = ai_view.pricing_table(frame, agent, values, cur)
        downloads.table(box, table, "every pricing model on one basis", hide_index=True, width="stretch")
        box.caption("This agent's own conversations and resolutions (the point view) priced each way, at the prices "
                    "under AI agent on the left (choose a model there to edit its prices); run costs are the same in "
                    "every row. Vendor list prices are vendor claims [V].")
    box = st.expander("Compare: the AI agent, hiring agents instead, or both", key="_open_ai_compare",
                      on_change="rerun", icon=":material/compare_arrows:")
    if box.open:
        compare_with_hiring(box, values, book, ai_view.agents_to_compare(frame))


def compare_with_hiring(where: Any, values: dict[str, Any], book: Any, start: int) -> None:
    """The CFO's question: the AI agent at its vendor's price, ``agents`` hired instead, or both; each keeps the
    case's other levers, and each runs at the case's draws."""
    agents = where.number_input("Agents to hire instead", min_value=1, max_value=ai_view.MOST_HIRES, value=start, step=1,
                                key="ai_compare_agents",
                                help="Hired at the main site from the AI agent's launch month; it starts at the agents' "
                                     "worth of hours the AI agent frees in its last month, rounded up.")
    keys = tuple(k for k in values if k.startswith("ai_") and k.removeprefix("ai_") in ai_controls.CHANNEL_WORDS)
    options = ai_view.comparison_values(values, int(agents), keys)
    draws = int(values["draws"])
    projections = {name: cache.projection(data.calibrated(controls.scenario_of(v, book=book)), draws)
                   for name, v in options.items()}
    first = next(iter(projections.values()))
    channel = first.response["channel"].iloc[0]
    month = min(words.KPI_MONTH, first.summary.horizon_months - 1)
    table = ai_view.comparison_table(projections, first.currency, month, channel)
    downloads.table(where, table, "AI agent, hiring or both", width="stretch",
                    export=ai_view.comparison_table(projections, first.currency, month, channel, formatted=False))
    where.caption(f"The NPV that leads is the median of {draws:,} draws of the uncertain assumptions, as on the KPI "
                  "row; 'as entered' is the point view. Hiring is at the main site, from the AI agent's "
                  "launch month, at the hire lever's ramp and recruiting cost; every other lever of the case is in all "
                  "three." + (" Its freed hours avoid the hires of 'Both' as far as they reach ('Hires avoided'): "
                              "'Both' is the agent with the hiring it still needs, and the table's headcount shows it."
                              if values.get("ai_policy") == "Hires avoided" else ""))
