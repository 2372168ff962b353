"""Metrics: the uploads measured exactly as the source articles define each metric."""

import streamlit as st

import ui
from intake.metrics import DEFINITIONS, GROUPINGS, temkin_tables
from ui import components, data, store
from view import data_charts, words
from view.controls import scenario_of

values = ui.frame("Metrics", ":material/monitoring:")
case = scenario_of(values, book=store.book())
cur, margin = case.finance.currency, case.company.gross_margin_pct

st.title("Metrics")
if not data.any_data():
    st.info("No data yet. Upload a ticket export, a customer table or monthly KPIs on the **Data** page; every "
            "metric the files allow appears here, each with its definition.", icon=":material/upload_file:")
    st.page_link("pages/5_Data.py", label="Go to Data", icon=":material/upload_file:")
    ui.stop(values)

for warning in data.foreign_amounts(cur):
    st.warning(components.plain(warning), icon=":material/currency_exchange:")
tz = data.setting("tz", "UTC")
# Keyed by the company: another company's staff cost starts from its own sites, not from the last one's.
cost = st.number_input(f"Support cost per month ({cur})", min_value=0.0,
                       value=float(round(case.company.staff_cost_per_month)), step=1000.0,
                       format="%.0f", key=f"metrics_cost_{case.company.name}",
                       help="Salaries, tools and overheads of support in a typical month. Used for cost per contact, "
                            "cost per conversation and CRC where the monthly KPI table has no support cost. "
                            "It starts from the company's sites (agents x cost per agent-month); 0 leaves them out.")
st.caption(components.plain(words.staff_cost_source(case.company, cur)))
m = data.measures(cost or None, tz)
if "support_cost" in m.monthly.columns and m.monthly["support_cost"].notna().any():
    st.caption("Your monthly KPI table's support cost is used; this input fills only months without one.")


def show(figures, columns: int = 4) -> None:
    cols = st.columns(columns)
    for i, f in enumerate(figures):
        cols[i % columns].metric(f.label, components.figure_text(f, cur), help=f"{f.definition} "
                                 f"Rests on {f.rests_on:,}.")


TICKET_KEYS = ("tickets", "frt_mean_h", "frt_median_h", "frt_p90_h", "avg_response_h", "avg_resolution_h",
               "resolution_median_h", "resolution_rate_pct", "replies_per_ticket", "csat_pct", "abandon_pct")
CUSTOMER_KEYS = ("churn_monthly_pct", "retention_monthly_pct", "mrr", "expansion_mrr_pct", "clv", "nps",
                 "contact_rate_pct")
MONEY_KEYS = ("cost_per_contact", "cost_per_conversation", "crc")
by_key = {f.key: f for f in m.figures}

ticket_figures = [by_key[k] for k in TICKET_KEYS if k in by_key]
if ticket_figures:                               # a customer table alone: no ticket heading over nothing
    st.subheader("Tickets")
    show(ticket_figures)
if m.volume_by_weekday_hour is not None:
    components.chart(st, data_charts.volume_heatmap(m.volume_by_weekday_hour, tz), cur)
left, right = st.columns(2)
if m.channel_mix is not None:
    components.chart(left, data_charts.share_bars(m.channel_mix, "Channel mix", "channel"), cur)
if m.csat_by_channel is not None:
    components.chart(right, data_charts.csat_bars(m.csat_by_channel, "channel", "CSAT by channel"), cur)
if m.csat_by_agent is not None:
    with st.expander(f"CSAT by agent ({len(m.csat_by_agent)} agents): who is best, who needs coaching"):
        components.chart(st, data_charts.csat_bars(m.csat_by_agent, "agent", "CSAT by agent"), cur)

customer_figures = [by_key[k] for k in CUSTOMER_KEYS + MONEY_KEYS if k in by_key]
if customer_figures:
    st.subheader("Customers and money")
    show(customer_figures)

if len(m.monthly):
    st.subheader("Month by month")
    series = [("tickets", "Tickets per month", "Tickets", ",.0f"),
              ("first_response_h", "Mean first response", "First response (hours)", ",.1f"),
              ("csat_pct", "CSAT", "CSAT (% satisfied)", ".0%"),
              ("churned", "Customers lost", "Customers lost", ",.0f"),
              ("customers", "Customers at the month's start", "Customers", ",.0f"),
              ("mrr", "MRR", f"MRR ({cur})", ",.0f")]
    present = [s for s in series if s[0] in m.monthly.columns and m.monthly[s[0]].notna().any()]
    kpi_file = data.slot("kpis").in_use
    sources = words.monthly_sources(kpi_file and kpi_file.name, data.frame("kpis"), [s[:2] for s in present])
    if sources:
        st.caption(components.plain(sources))
    cols = st.columns(2)
    for i, (column, title, y_title, y_format) in enumerate(present):
        components.chart(cols[i % 2], data_charts.monthly_line(m.monthly, column, title, y_title, y_format), cur)

customers = data.frame("customers")
if customers is not None:
    st.subheader("What experience is worth (Temkin)")
    tables = temkin_tables(customers, data.frame("tickets"), gross_margin_pct=margin)
    if not tables:
        st.info("Group customers by their experience: add an NPS or CSAT answer or a 'complained' column to the "
                "customer table, or upload tickets with ratings and customer ids.")
    else:
        grouping = st.selectbox("Group customers by", list(tables), format_func=lambda g: GROUPINGS[g],
                                key="temkin_grouping")
        components.temkin_table(tables[grouping], cur)

if m.missing:
    with st.expander("Metrics the data do not allow yet, and why"):
        st.markdown("\n".join(f"- {text}" for text in m.missing))
with st.expander("Definitions"):
    st.markdown("\n".join(f"- **{key}**: {text}" for key, text in DEFINITIONS.items()))

ui.finish(values)
