"""Your data: upload tickets, customers and monthly KPIs; see what was kept, fix the column mapping."""

import streamlit as st

import ui
from intake.uploads import TABLE_LABELS
from ui import data, data_view, store
from view.controls import scenario_of

values = ui.frame("Data", ":material/upload_file:")
currency = scenario_of(values, book=store.book()).finance.currency

st.title("Your data")
st.markdown("Upload what your help desk and billing system export. The **Metrics** page then measures it as the "
            "source articles define each metric, the **Calibrate** page fits the model to it, and the Scenario "
            "page draws your actual months next to the projection. Files in use are kept in the workspace (see the Library page), so they are here again after a refresh or a restart.")
def tz_changed() -> None:
    data.remember("tz", st.session_state["data_tz"])
    data.retime(st.session_state["data_tz"])


assume_tz = st.selectbox("Time zone of times written without one", data_view.TIME_ZONES,
                         index=data_view.TIME_ZONES.index(data.setting("tz", "UTC")), key="data_tz",
                         help="Exports often write local times without a zone. They are read in this zone and "
                              "converted to UTC (dates without a time stay on their day); the hour x weekday map on "
                              "the Metrics page and the arrival clock on the Calibrate page use it too.",
                         on_change=tz_changed)
findings = st.container()
tabs = st.tabs([TABLE_LABELS[t] for t in data.TABLE_NAMES])
for tab, table in zip(tabs, data.TABLE_NAMES, strict=True):
    with tab:
        data_view.table_panel(table, assume_tz, currency)
for finding in data.period_findings():       # after the panels: an upload in this run counts
    findings.warning(finding, icon=":material/date_range:")

ui.finish(values)
