"""Parts of the Scenario page that rerun alone (``st.fragment``): a click inside one redraws that part only.

Choosing a channel or a statistic of first response changes what is shown, not the case: the section's
fragment reruns with the projection the page last computed, and the levers, the KPI row and the other
charts stay as they are. Opening a table builds and sends that table alone.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from model import Projection
from ui import components, downloads, state
from view import charts, tables, words


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
