"""Scenario: the levers, the KPI row with deltas, and the chain month by month."""

import streamlit as st

import ui
from ui import ahead, cache, components, data, library, plan_editor, sections, state, store
from view import charts, plan, words
from view.controls import (
    CONTROLS,
    LEVER_GROUPS,
    choice_of,
    default_of,
    link_params,
    plan_problems,
    problems,
    scenario_of,
    visible,
)
from view.ai_controls import GROUP as AI_GROUP
from view.ai_controls import is_on as ai_on

values = ui.frame("Scenario", ":material/tune:")
book = store.book()
company = choice_of(values, book).company
main_site = company.sites[0]

st.title("Scenario")
scenario = data.calibrated(scenario_of(values, book=book))
projection = cache.projection(scenario, int(values["draws"]))
u = projection.uncertainty
cur = projection.currency
actuals, actuals_caption = data.plan_actuals()
shares = scenario.company.channel_shares
gaps = words.level_gaps(actuals, u, shares, cur)
actuals_caption = f"{actuals_caption} {gaps}".strip()
st.info(words.case_sentence(values, projection, book), icon=":material/campaign:")
components.kpi_row(projection)
components.guardrails(projection)

levers_col, results_col = st.columns([1, 2.6], gap="large")

with levers_col:
    library.save_panel(values, scenario, projection)
    library.long_link(values)
    st.page_link("pages/12_Predictions.py", label="Track this case as a prediction",
                 icon=":material/fact_check:", query_params=link_params(values))
    st.subheader("Levers")
    sites = "; ".join(words.site_line(s, days=False) for s in company.sites)
    fitted = sorted(f.label for f in data.applied().values())
    st.caption(components.plain(f"{company.name}: {sites}." + (
        f" Hiring and longer hours act on {main_site.name}, the first site." if len(company.sites) > 1 else "") + (
        f" Calibrated on your data (the Calibrate page): {'; '.join(fitted)}." if fitted else "")))
    with st.container():
        for problem in problems(values):
            st.error(problem, icon=":material/error:")
    for group in LEVER_GROUPS:
        with st.expander(group, expanded=group in ("Regional centre", "Hire or release agents")
                         or (group == AI_GROUP and ai_on(values, company)), key=f"_open_{group}"):
            for control in (c for c in CONTROLS if c.group == group and visible(c.key, values, company)):
                label = control.label.replace("the main site", main_site.name)
                if control.kind == "number" and control.money:
                    label += f" ({cur})"
                options = plan.region_choices(company) if control.key == "centre_serves" else None
                state.render(control.key, label=label, options=options,
                             default=default_of(control.key, values, book))
    with st.expander("Plan: more actions", expanded=bool(values["plan"]), key="_open_plan",
                     icon=":material/playlist_add:"):
        st.caption("Beyond the levers above: hires and releases at any site, agents moved between sites, more "
                   "centres, a site's new hours, each from its own month.")
        plan_editor.editor(values, company, cur, plan_problems(values, book))

with results_col:
    # Only the open tab is built and drawn: a new session, a link and a slider move draw three or four charts, not
    # eight (the browser's drawing, not the model, set the time to a usable page).
    results = ["Service", "Customers", "Money"] + (["AI agent"] if projection.ai_agent is not None else [])
    state.start_view_choice("view_results", results)
    service_tab, customers_tab, money_tab, *ai_tab = st.tabs(results, key="view_results", on_change="rerun")
    state.keep_view_choice("view_results")
    if service_tab.open:
        with service_tab:
            sections.service(projection, actuals, actuals_caption, shares)
    if customers_tab.open:
        with customers_tab:
            if actuals_caption:
                st.caption(actuals_caption)
            left, right = st.columns(2)
            components.fan(left, u, "churn_pct", "Churn per month", "Churn (% a month)", ".2%", cur, actuals)
            components.fan(right, u, "customers", "Customers", "Customers (count)", ",.0f", cur, actuals)
            left, right = st.columns(2)
            components.fan(left, u, "tickets", "Tickets per month", "Tickets (a month)", ",.0f", cur, actuals)
            components.fan(right, u, "nps", "NPS", "NPS (points, -100 to 100)", ",.0f", cur, actuals)
    if money_tab.open:
        with money_tab:
            for warning in data.foreign_amounts(cur):        # the revenue's actual months are drawn from them
                st.warning(components.plain(warning), icon=":material/currency_exchange:")
            left, right = st.columns(2)
            components.fan(left, u, "revenue", f"Revenue per month ({cur})", f"Revenue ({cur} a month)", "~s", cur,
                           actuals)
            if projection.summary.no_cash:
                right.info("No extra cash yet: pull a lever on the left to see the money case.",
                           icon=":material/savings:")
            else:
                components.spec_chart(right, charts.cash_fan_spec(cur), charts.cash_fan_data(projection), cur)
                bars = charts.waterfall_frame(projection)
                components.spec_chart(st, charts.waterfall_spec(cur, tuple(bars["line"])), bars, cur)
                st.caption("Where the NPV comes from: every assumption as entered (the point view). The "
                           "distribution of the NPV, what drives it and the risk-adjusted view are on the Risk page.")
    if ai_tab and ai_tab[0].open:
        with ai_tab[0]:
            sections.ai_agent(projection, scenario, values, book)

    sections.monthly_tables(projection)

ui.finish(values)
ahead.step(values, book)
