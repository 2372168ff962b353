"""``frame(title)``: the one call each page starts with (page config, shared sidebar, link notices)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.examples import EXAMPLE_CURRENCY, EXAMPLES
from ui import state


PAGES = (
    ("app.py", "Home", ":material/home:"),
    ("pages/1_Scenario.py", "Scenario", ":material/tune:"),
    ("pages/4_Risk.py", "Risk", ":material/casino:"),
    ("pages/3_Staffing.py", "Staffing", ":material/groups:"),
    ("pages/5_Data.py", "Your data", ":material/upload_file:"),
    ("pages/6_Metrics.py", "Metrics", ":material/monitoring:"),
    ("pages/7_Calibrate.py", "Calibrate", ":material/model_training:"),
    ("pages/2_Model_and_sources.py", "Model and sources", ":material/menu_book:"),
)


def frame(title: str, icon: str = ":material/insights:") -> dict[str, Any]:
    """Set up the page and the sidebar; return the current value of every control."""
    st.set_page_config(page_title=f"{title} - Support ROI simulator", page_icon=icon, layout="wide")
    state.collect_url_notices()
    with st.sidebar:
        for target, label, page_icon in PAGES:
            st.page_link(target, label=label, icon=page_icon)
        st.divider()
        st.subheader("Case")
        company = state.render("company", on_change=state.follow_company_currency)
        st.caption(EXAMPLES[company]().name)
        state.render("currency", default=EXAMPLE_CURRENCY[company])
        state.render("horizon_months")
        state.render("discount_rate_annual_pct")
        state.render("draws")
    notices = state.url_notices()
    # Always one container here, even empty: elements below keep their place in the page, so
    # widgets and expanders are not re-created when a notice comes or goes.
    slot = st.container()
    if notices:
        with slot.container(border=True):
            st.warning("Part of the link could not be used; the rest of the scenario is open as shared.\n\n"
                       + "\n".join(f"- {n}" for n in notices), icon=":material/link_off:")
            st.button("Dismiss", on_click=state.dismiss_url_notices, key="_dismiss_notices")
    return state.values()
