"""The Scenario deep link's elements with nothing behind them: the browser's own cost of drawing that page.

The same kinds in the same numbers as ``/Scenario?centre_on=true&centre_headcount=6`` (counted through
Streamlit's protocol: 104 elements, 22 sliders, 18 text blocks, 13 page links, 10 number inputs, 8 metrics,
7 download buttons, 6 select boxes, three Vega charts of 108 points, one data frame, ...), laid out alike
(sidebar, KPI row, a levers column of expanders, three result tabs), with constant content (but for its first
lever) and no model.
``bench_pages`` loads it like the floor: the gap between it and the real page is what the app adds. Its first
lever moves the metric named NPV and the charts' lines, as a lever does on the real page: a key press on it is
the browser's own cost of redrawing this page after a move.
"""

import pandas as pd
import streamlit as st

LEVER = "Lever 0.0"
lever = int(st.session_state.get(LEVER, 5))
rows = pd.DataFrame({"month": list(range(36)) * 3, "value": [float(i % 36 + lever) for i in range(108)],
                     "band": ["P10", "P50", "P90"] * 36})
spec = {"mark": "line", "encoding": {"x": {"field": "month", "type": "quantitative"},
                                     "y": {"field": "value", "type": "quantitative"},
                                     "color": {"field": "band", "type": "nominal"}}}

with st.sidebar:
    for i in range(13):
        st.page_link(f"https://example.com/page{i}", label=f"Page {i}", icon=":material/home:")
    st.selectbox("Company", ["Example", "Own"])
    st.selectbox("Currency", ["EUR", "USD"])
    st.slider("Draws", 0, 1000, 250)
    st.caption("Settings of this session.")
st.title("Scenario")
st.info("A case sentence: what the plan does to first response, CSAT, churn and the money.", icon=":material/campaign:")
kpis = st.columns(4)
for i in range(8):
    if i == 4:
        kpis[0].metric("NPV (median)", f"{lever * 1000:,} €", "+12 %")
    else:
        kpis[i % 4].metric(f"Figure {i}", "1,234 €", "+12 %")
levers, results = st.columns([1, 2.6], gap="large")
with levers:
    st.subheader("Save this case")
    st.text_input("Name", "Plan")
    st.button("Save")
    st.text_input("Link", "https://example.com")
    st.button("Copy")
    st.subheader("Levers")
    st.caption("Sites and hours.")
    for g in range(7):
        with st.expander(f"Group {g}", expanded=g < 2):
            for j in range(3):
                st.slider(f"Lever {g}.{j}", 0, 50, 5, key=f"Lever {g}.{j}", help="What this lever does.")
            if g < 5:
                st.number_input(f"Cost {g} (EUR)", 0, 100_000, 5_000, help="What it costs.")
                st.number_input(f"Fee {g} (EUR)", 0, 100_000, 5_000)
            if g < 3:
                st.selectbox(f"Choice {g}", ["a", "b"])
            st.caption("A note on this group.")
    with st.expander("Plan: more actions"):
        st.caption("More actions.")
        st.text_area("Plan", "")
        st.text_area("Notes", "")
        st.toggle("Option one")
        st.toggle("Option two")
        st.selectbox("Site", ["a", "b"])
with results:
    service, customers, money = st.tabs(["Service", "Customers", "Money"])
    with service:
        st.caption("Black dots: your actual months.")
        st.segmented_control("Channel", ["email", "chat"], default="email")
        left, right = st.columns(2)
        for where, n in ((left, 1), (right, 2)):
            where.vega_lite_chart(rows, spec)
            where.download_button("CSV", "x", key=f"csv{n}")
            where.download_button("PNG", "x", key=f"png{n}")
        st.segmented_control("Statistic", ["Mean", "Median"], default="Mean")
        st.vega_lite_chart(rows, spec)
        st.download_button("CSV", "x", key="csv3")
        st.dataframe(pd.DataFrame({"Region": ["a", "b", "c"], "Mean": ["1,0 h", "2,0 h", "3,0 h"]}))
        st.download_button("CSV", "x", key="csv4")
        st.download_button("XLSX", "x", key="xlsx")
        for k in range(7):
            st.caption(f"Caption {k} with some **emphasis**.")
    with st.expander("Monthly table"):
        pass
    with st.expander("Cash lines"):
        pass
