"""The floor of bench_pages: a one-line Streamlit page, served and loaded the same way as the product."""

import streamlit as st

st.write("ready")
