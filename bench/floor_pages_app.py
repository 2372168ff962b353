"""The floor for a page switch and a slider move in bench_pages: one-line pages and a slider with a metric.

Served and driven the same way as the product: pages reached through ``st.page_link`` in the sidebar, and a
slider whose key press reruns the script and changes the metric beside it. What it takes is Streamlit's own
cost of a switch and of a rerun, with nothing of the app behind them.
"""

import streamlit as st


def one() -> None:
    st.title("One")
    st.write("ready")


def two() -> None:
    st.title("Two")
    st.write("ready")


def slider() -> None:
    st.title("Slider")
    value = st.slider("Headcount", 0, 100, 5)
    st.metric("NPV", f"{value * 1000:,} EUR")


pages = [st.Page(one, title="One", url_path="one", default=True), st.Page(two, title="Two", url_path="two"),
         st.Page(slider, title="Slider", url_path="slider")]
page = st.navigation(pages, position="hidden")
with st.sidebar:
    for p in pages:
        st.page_link(p, label=p.title)
page.run()
