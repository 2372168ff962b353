"""Compare: two to four scenarios side by side (KPIs, best by criterion, overlaid months, incremental cash)."""

import streamlit as st

import ui
from store import StoreError
from store import scenario_of as saved_input
from ui import cache, components, data, downloads, store
from view import charts, compare
from view import format as fmt
from view.controls import scenario_of

CURRENT = "current"

values = ui.frame("Compare", ":material/compare_arrows:")
st.title("Compare scenarios")
repo, ws = store.repository(), store.workspace()
try:
    saved = repo.scenarios(ws.id) if repo is not None and ws is not None else []
except StoreError as exc:
    saved = []
    st.warning(components.plain(f"Saved scenarios cannot be listed, so only the current levers can be shown: {exc}"),
               icon=":material/database:")
if repo is None:
    st.warning(f"The scenario store cannot be opened, so only the current levers can be shown: {store.problem()}",
               icon=":material/database:")
by_id = {s.id: s for s in saved}
options = [CURRENT, *by_id]
preset = [i for i in st.session_state.pop("_compare_ids", []) if i in by_id]
if preset:
    st.session_state["compare_pick"] = preset[:4]
elif "compare_pick" not in st.session_state:
    st.session_state["compare_pick"] = list(by_id)[:2] if len(by_id) >= 2 else options[:2]
st.session_state["compare_pick"] = [i for i in st.session_state["compare_pick"] if i in options]
pick = st.multiselect("Scenarios to compare (two to four)", options, key="compare_pick", max_selections=4,
                      format_func=lambda i: "The levers now (not saved)" if i == CURRENT else by_id[i].name,
                      help="Saved scenarios of this workspace, and the levers as they are set now.")
if len(pick) < 2:
    st.info("Choose at least two scenarios." + ("" if saved else " Save scenarios on the Scenario page first; "
            "the levers as they are now count as one."), icon=":material/compare_arrows:")
    ui.stop(values)

draws = int(values["draws"])
labels = compare.unique_labels(["The levers now (not saved)" if i == CURRENT else by_id[i].name for i in pick])
cases = []
with st.spinner("Projecting the scenarios"):
    for i, label in zip(pick, labels):
        model = data.calibrated(scenario_of(values, book=store.book())) if i == CURRENT else saved_input(by_id[i].document)
        cases.append(compare.Case(label, cache.projection(model, draws), model.company.name))

currencies = sorted({c.currency for c in cases})
if len(currencies) > 1:
    st.warning(f"These scenarios are in different currencies ({', '.join(currencies)}); amounts are shown in each "
               "one's own currency and are not converted, so compare their money figures with care.",
               icon=":material/currency_exchange:")

st.subheader("Which is best")
cols = st.columns(3)
for col, (criterion, (labels, figure)) in zip(cols, compare.best(cases).items()):
    with col.container(border=True):
        st.caption(f"Best by {criterion if criterion == 'NPV' else criterion.lower()}")
        st.markdown("**" + components.plain(" and ".join(labels) or "none") + "**")
        st.caption(components.plain(figure))
st.caption(f"Each scenario as saved (its company, calibrations and ranges), projected with {fmt.number(draws, cases[0].currency)} draws of "
           "the same seed; P50 is the median draw, months count from 0. Read NPV, payback and the probability of a "
           "loss together.")
fits = {tuple(by_id[i].document.get("fits", [])) for i in pick if i != CURRENT}
if len(fits) > 1:
    st.caption("These scenarios were saved with different calibrations, so part of their difference comes from the "
               "data they were calibrated on, not only from their levers.")

st.subheader("Key figures")
kpis = compare.kpi_table(cases)
downloads.table(st, kpis, "key figures compared", hide_index=True, width="stretch", height=35 * (len(kpis) + 1) + 3)

st.subheader("Month by month")
choices = {**compare.response_series(cases), **compare.SERIES}
series = st.segmented_control("Series", list(choices), default="csat_pct", key="compare_series",
                              format_func=lambda s: choices[s][0]) or "csat_pct"
label, y_title, y_format = choices[series]
cur = cases[0].currency
components.chart(st, charts.compare_lines(compare.overlay(cases, series), label, y_title.format(cur=cur), y_format),
                 cur)

st.subheader("Incremental cash")
if len(currencies) == 1:
    components.chart(st, charts.compare_cash(compare.cumulative_cash(cases), cur), cur)
else:
    st.info("The cumulative cash chart needs one currency; see the table.", icon=":material/currency_exchange:")
yearly = compare.yearly_cash(cases)
downloads.table(st, yearly, "incremental cash by year", hide_index=True, width="stretch",
                height=35 * (len(yearly) + 1) + 3)
st.caption("Scenario minus its baseline, undiscounted per year, with every assumption as entered (the point view); "
           "the NPV discounts the same monthly flows. The chart's lines are the median draw, so a line can stay "
           "below zero where the point view pays back.")

ui.finish(values)
