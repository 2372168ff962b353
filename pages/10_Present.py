"""Present: the case for a meeting, controls folded away, large type; downloads of the deck and workbook."""

import dataclasses

import streamlit as st

import ui
from exports import facts
from store import StoreError
from store import scenario_of as saved_input
from ui import cache, components, data, present, store
from view import charts, compare
from view import format as fmt
from view.controls import controls_of, describe_levers, scenario_of

CURRENT = "current"

values = ui.frame("Present", ":material/slideshow:", sidebar="collapsed")
present.large_type()
repo, ws = store.repository(), store.workspace()
try:
    saved = repo.scenarios(ws.id) if repo is not None and ws is not None else []
except StoreError:
    saved = []
by_id = {s.id: s for s in saved}
with st.expander("What to present", expanded=False, key="_open_present_pick"):
    pick = st.multiselect("The case first; more scenarios add a comparison (at most four)", [CURRENT, *by_id],
                          default=[CURRENT], max_selections=4, key="present_pick",
                          format_func=lambda i: "The levers now" if i == CURRENT else by_id[i].name)
pick = pick or [CURRENT]
if len(pick) > 1 and not describe_levers(values, store.book()):     # the levers now are the baseline: nothing to show
    pick = [i for i in pick if i != CURRENT]
draws = int(values["draws"])
labels = compare.unique_labels(["The levers now" if i == CURRENT else by_id[i].name for i in pick])
shown = []
for i, label in zip(pick, labels):
    if i == CURRENT:
        case_values, model = values, data.calibrated(scenario_of(values, book=store.book()))
    else:
        doc = by_id[i].document
        case_values = doc["controls"] if doc["controls"] is not None else controls_of(saved_input(doc), store.book())[0]
        model = saved_input(doc)
    p = cache.projection(model, draws)
    f = facts(case_values, model, p)
    shown.append((label, case_values, model, p, f if i == CURRENT else dataclasses.replace(f, title=by_id[i].name)))

label, case_values, model, p, f = shown[0]
if not describe_levers(case_values, store.book()):
    st.title("Present")
    st.info("Nothing to present yet: the scenario equals the baseline. Pull a lever on the Scenario page, or choose "
            "a saved scenario under “What to present”.", icon=":material/slideshow:")
    st.page_link("pages/1_Scenario.py", label="Open the Scenario page", icon=":material/tune:")
    ui.stop(values)
cur = f.currency
st.title(components.plain(f.title))
st.caption(components.plain(f"{f.company} · amounts in {cur} · {fmt.number(draws, cur)} draws of the uncertain "
                            "assumptions"))
st.caption(components.plain(f"Today: {f.inputs}"))
st.html(f'<p class="case-sentence">{components.plain(f.sentence).replace(chr(92), "")}</p>')
cols = st.columns(4)
for col, k in zip(cols * 2, f.kpis):
    col.metric(k.label, k.value)
    col.caption(k.note)

left, right = st.columns(2)
cash, waterfall, tornado = charts.cash_fan(p), charts.waterfall(p), charts.tornado(p)
components.chart(left, cash, cur, files=False, large=True)      # the files are under "Take it with you"
components.chart(right, waterfall, cur, files=False, large=True)
components.chart(left, tornado, cur, files=False, large=True)
with right:
    st.markdown("**The assumptions that matter**")
    money = [c for c in f.assumptions.columns if c.startswith("NPV at")]
    st.dataframe(f.assumptions.drop(columns=["Multiplies"]).assign(
        **{c: f.assumptions[c].map(lambda v: fmt.money(v, cur, compact=False)) for c in money}),
        hide_index=True, width="stretch", column_config={"Source": st.column_config.TextColumn(width="large")})
    st.caption("Each interval multiplies the value entered; the NPV columns hold the NPV with that assumption at its "
               "P10 or P90 and every other at its median. The Risk page shows the risk-adjusted table.")

if f.ai_agent is not None:
    st.markdown("**The AI agent: what it costs per true resolution, and what it rests on**")
    st.dataframe(f.ai_agent, hide_index=True, width="stretch",
                 column_config={"Formula or source": st.column_config.TextColumn(width="large")})
    st.caption("[V] marks a vendor's own figure: the optimistic end. The bands draw 0.45 to 1.0 of the resolution rate "
               "entered; the agent's month-by-month table is on the Scenario page and in the workbook.")

comparison = best = None
if len(shown) > 1:
    st.subheader("The scenarios side by side")
    cases = [compare.Case(lbl, proj, mdl.company.name) for lbl, _, mdl, proj, _ in shown]
    comparison, best = compare.kpi_table(cases), compare.best(cases)
    cols = st.columns(3)
    for col, (criterion, (names, figure)) in zip(cols, best.items()):
        col.metric(f"Best by {criterion if criterion == 'NPV' else criterion.lower()}",
                   components.plain(" and ".join(names) or "none"))      # a metric's value renders markdown too
        col.caption(components.plain(figure))
    st.dataframe(comparison, hide_index=True, width="stretch", height=35 * (len(comparison) + 1) + 3)

st.divider()
st.subheader("Take it with you")
present.downloads(f, model, p, {"Cash fan": cash, "NPV waterfall": waterfall, "Tornado": tornado},
                  comparison, best, [(x[4], x[3]) for x in shown])

ui.finish(values)
