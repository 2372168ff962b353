"""Staffing: when tickets arrive, who is on duty, how loaded each hour is, and what live channels need."""

import numpy as np
import pandas as pd
import streamlit as st

import ui
from model import week_of
from model.operations import backlog_at_opening, hourly_load, live_service, response_stats
from ui import cache, components, data, downloads, store
from view import charts
from view import format as fmt
from view.controls import scenario_of

LOAD_SCALE_TOP = 1.5

values = ui.frame("Staffing", ":material/groups:")
scenario = data.calibrated(scenario_of(values, book=store.book()))
projection = cache.projection(scenario)
company = scenario.company
cur = projection.currency

st.title("Staffing")
st.caption("One average week of the chosen month, hour by hour, for the baseline or the scenario.")

left, mid, right = st.columns(3)
variant = left.segmented_control("Show", ["scenario", "baseline"], default="scenario", key="staff_variant") \
    or "scenario"
month = mid.slider("Month", 0, scenario.finance.horizon_months - 1, 11, key="staff_month",
                   help="Month of the horizon (0 = first month).")
zones = {"UTC": 0.0} | {f"{s.name} (UTC{s.utc_offset_h:+g})": s.utc_offset_h for s in company.sites} \
    | {f"{r.name} (UTC{r.utc_offset_h:+g})": r.utc_offset_h for r in company.regions}
zone = right.selectbox("Clock", list(zones), key="staff_zone", help="Time zone of the hours shown.")
offset = int(round(zones[zone]))

week = week_of(scenario, projection, month, variant)
load = hourly_load(week)

st.subheader("Tickets, agents on duty and load by hour")
a, b = st.columns(2)
components.spec_chart(a, charts.week_heatmap_spec(cur, "tickets", "Tickets arriving per hour, all channels",
                                                 "tickets / hour"),
                      charts.week_frame(load.tickets.sum(axis=0), "tickets", offset), cur)
shown_load = np.minimum(load.load_pct, LOAD_SCALE_TOP)          # closed hours with arrivals: top of the scale
components.spec_chart(b, charts.week_heatmap_spec(cur, "load", "Load: work arriving / on-duty agent-hours", "load",
                                                 ".0%", "orangered", LOAD_SCALE_TOP),
                      charts.week_frame(shown_load, "load", offset), cur)
st.caption("Load above 100 % means work piles up in that hour; closed hours with arrivals show at the top of "
           "the scale (their tickets wait for the next opening). Above 90 % queues are very sensitive.")
sites = st.columns(max(len(week.sites), 1))
for i, name in enumerate(week.sites):
    components.spec_chart(sites[i], charts.week_heatmap_spec(cur, "agents", f"Agents on duty: {name}", "agents"),
                          charts.week_frame(load.on_duty[i], "agents", offset), cur)

st.subheader("First response by customer region")
stats = response_stats(week)
downloads.table(st, pd.DataFrame({
    "Channel": stats["channel"], "Region": stats["region"],
    **{label: stats[column].map(lambda h: fmt.duration_h(h, cur)) for label, column in (
        ("Mean", "mean_h"), ("Median", "median_h"), ("90th percentile", "p90_h"))},
    "Within target": stats["within_target_pct"].map(lambda x: fmt.percent(x, cur, 0)),
    "Mean, written in business hours": stats["business_mean_h"].map(lambda h: fmt.duration_h(h, cur)),
    "Median, written in business hours": stats["business_median_h"].map(lambda h: fmt.duration_h(h, cur)),
}), "first response by customer region", hide_index=True, width="stretch", export=stats.rename(columns={
    "channel": "Channel", "region": "Region", "mean_h": "Mean (hours)", "median_h": "Median (hours)",
    "p90_h": "90th percentile (hours)", "within_target_pct": "Within target (share)",
    "business_mean_h": "Mean, written in business hours (hours)",
    "business_median_h": "Median, written in business hours (hours)"}))
st.caption("Calendar time from a ticket's creation to the first reply (e-mail includes the agent's first "
           "touch), over the tickets of an average week; targets per channel: "
           + ", ".join(f"{c.name} {fmt.duration_h(c.target_response_h)}" for c in company.channels)
           + ". 'Written in business hours' counts only tickets a region writes on weekdays "
           + ", ".join(f"{r.business_open_h:g}-{r.business_close_h:g}" for r in company.regions[:1])
           + " local time (still measured in calendar hours). E-mail medians, percentiles and shares within target "
           "count the backlog's random paths; for chat and phone they use each quarter hour's mean wait.")

openings = backlog_at_opening(week)
if openings:
    downloads.table(st, pd.DataFrame({
        "Site": [o.site for o in openings],
        "Oldest e-mail waiting at opening, mean": [fmt.duration_h(o.mean_age_h, cur) for o in openings],
        "Worst": [fmt.duration_h(o.worst_age_h, cur) for o in openings],
        "Worst opening": [f"{charts.WEEKDAY_NAMES[(o.worst_step // week.steps_per_hour + offset) % 168 // 24]} "
                          f"{(o.worst_step // week.steps_per_hour + offset) % 24:02d}:00 ({zone})" for o in openings],
    }), "backlog at opening", hide_index=True, width="stretch")
    st.caption("How long the oldest waiting e-mail has waited when each site opens: the backlog a morning "
               "shift inherits (Mondays inherit the weekend), on the backlog's mean (fluid) path.")

st.subheader("Live channels hour by hour")
if not week.is_live.any():
    st.info("This company has no live channel (chat or phone).")
else:
    c1, c2 = st.columns(2)
    patience_min = c1.slider("Caller patience (minutes, mean)", 0.5, 15.0, 3.0, 0.5, key="staff_patience",
                             help="Mean time a caller or chatter waits before giving up (Erlang A).")
    target_sl = c2.slider("Service-level target", 0.5, 0.95, 0.8, 0.05, format="percent", key="staff_sl",
                          help="Share of contacts answered within the channel's target time.")
    live = live_service(week, patience_min / 60.0, target_sl)
    hours = np.arange(168)

    def by_channel(measure: np.ndarray) -> pd.DataFrame:
        return pd.concat([pd.DataFrame({"hour_of_week": hours, "value": np.roll(measure[i], offset), "series": ch})
                          for i, ch in enumerate(live.channels)])

    s1, s2 = st.columns(2)
    components.spec_chart(s1, charts.hourly_lines_spec(cur, "value", "series", "Answered within target (Erlang A, "
                                                       "agents on duty)", "share of contacts"),
                          by_channel(live.service_level), cur)
    components.spec_chart(s2, charts.hourly_lines_spec(cur, "value", "series", "Abandoned before an answer",
                                                       "share of contacts"),
                          by_channel(live.abandon_pct), cur)
    needed = live.required_agents.sum(axis=0)
    on_duty = load.on_duty.sum(axis=0)
    short = np.maximum(needed - on_duty, 0.0)
    gap_h = float(short.sum())
    needed_title = f"Agents needed to answer {target_sl:.0%} of live contacts in target"
    components.spec_chart(st, charts.hourly_lines_spec(cur, "value", "series", needed_title, "agents", ",.0f"),
                          pd.concat([
                              pd.DataFrame({"hour_of_week": hours, "value": np.roll(needed, offset),
                                            "series": "needed for live channels"}),
                              pd.DataFrame({"hour_of_week": hours, "value": np.roll(on_duty, offset),
                                            "series": "on duty (all work)"})]), cur)
    worst = np.argsort(np.roll(short, offset))[::-1][:3]
    when = ", ".join(f"{charts.WEEKDAY_NAMES[h // 24]} {h % 24:02d}:00" for h in worst if np.roll(short, offset)[h] > 0)
    if gap_h > 0:
        st.warning(f"To reach the target in every hour, live channels alone need {gap_h:,.0f} more agent-hours "
                   f"a week on duty than the whole team has ({zone} clock), most at {when}. Hours where nobody "
                   "is on duty point to longer opening hours or a centre in another time zone.",
                   icon=":material/schedule:")
    else:
        st.success("Every hour has at least the agents live channels need for the target (e-mail is served "
                   "from the time left; see its first response above).", icon=":material/check_circle:")
    st.caption("Each live channel is sized on its own (an upper bound; pooling needs slightly fewer). E-mail "
               "has no hourly target: its need shows in its first response by region.")

ui.finish(values)
