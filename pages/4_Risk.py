"""Risk: the NPV distribution, what drives it, the risk-adjusted (TEI) view and the assumption ranges."""

import streamlit as st

import ui
from model import ASSUMPTION_INFO, RISK_FIELD_OF_LINE, risk_adjusted_view
from ui import cache, components, data, downloads, state, store
from view import charts, tables, words
from view import format as fmt
from view.controls import RANGE_PREFIX, range_problems, scenario_of

values = ui.frame("Risk", ":material/casino:")
scenario = data.calibrated(scenario_of(values, book=store.book()))
projection = cache.projection(scenario, int(values["draws"]))
cur = projection.currency
u = projection.uncertainty

st.title("Risk")
st.info(words.case_sentence(values, projection, store.book()), icon=":material/campaign:")
components.guardrails(projection)

if projection.summary.no_cash:
    # Without a lever there is no extra cash: every draw's NPV is 0, and the charts would be empty or one bar.
    st.caption("The NPV's distribution over the draws, what drives it and the risk-adjusted (TEI) view appear here "
               "once a lever is pulled. The ranges of the uncertain assumptions below can be set already.")
    st.page_link("pages/1_Scenario.py", label="Pull a lever on the Scenario page", icon=":material/tune:")
else:
    # Cached specs without data and this projection's rows, as the Scenario page's fans: building the three charts
    # with Altair for each new case cost the page more than everything else it does.
    left, right = st.columns(2)
    components.spec_chart(left, charts.npv_histogram_spec(projection), charts.npv_histogram_rows(projection), cur)
    components.spec_chart(right, charts.tornado_spec(cur, len(u.tornado)), charts.tornado_rows(projection), cur)
    left, right = st.columns(2)
    components.spec_chart(left, charts.rank_correlation_spec(cur, len(u.rank_correlation)),
                          charts.rank_correlation_rows(projection), cur)
    with right:
        st.markdown("**How to read these**")
        st.markdown(
            f"- Each of the {fmt.number(u.draws, cur)} draws picks every uncertain assumption from its range below "
            "(Latin hypercube sampling, a fixed seed) and runs baseline and scenario on the same draw, so the "
            "difference is the lever's effect, not noise.\n"
            "- The tornado moves one assumption to its P10 or P90 with all others at their medians: the longest bars "
            "are where better evidence (your own data) pays most.\n"
            "- Rank correlation shows how strongly each assumption's draws move the NPV across all draws together.")

    st.subheader("Risk-adjusted view (Forrester TEI)")
    st.caption("The point view's cash lines, each made more conservative: benefits cut, costs raised, by line. "
               "A finance team reads this table beside the Monte Carlo result above.")
    table, case = risk_adjusted_view(scenario, projection)
    cols = st.columns(3)
    cols[0].metric("Risk-adjusted NPV", fmt.money(case.npv, cur))
    cols[1].metric("Risk-adjusted ROI", fmt.percent(case.roi_pct, cur, 0) if case.roi_pct is not None else "n/a")
    cols[2].metric("Risk-adjusted payback", "n/a" if case.no_cash else fmt.payback(case.payback_month))
    shown = tables.risk_adjusted(table, cur, scenario.finance.horizon_months)
    downloads.table(st, tables.in_locale(shown, cur), "risk-adjusted cash", export=shown, hide_index=True,
                    width="stretch", height="content",
                    column_config={c: st.column_config.TextColumn(alignment="right") for c in shown.columns
                                   if c not in ("Line", "Risk adjustment")})
    with st.expander("Risk adjustment per line", key="_open_risk"):
        cols = st.columns(2)
        for i, field in enumerate(RISK_FIELD_OF_LINE.values()):
            with cols[i % 2]:
                state.render(f"risk_{field}")

st.subheader("Uncertain assumptions")
st.caption("Each range is a 90 % interval of a multiplier on the value entered (1 = as entered): 5 % of outcomes "
           "fall below its low end and 5 % above its high end. Write it as \"0.8 to 1.2\"; a single value makes "
           "the assumption certain. Every multiplier is log-normal, so it stays positive.")
problems = range_problems(values)
entered = scenario_of(values, book=store.book()).assumptions
cols = st.columns(2)
for i, (name, used) in enumerate(scenario.assumptions.items()):
    key = f"{RANGE_PREFIX}{name}"
    # One container each: a message that comes or goes under one range leaves the ranges below it in their place
    # (a moved input is built again by the browser, and the one being typed in would lose its focus).
    with cols[i % 2], st.container():
        state.render(key)
        if used != getattr(entered, name):
            st.info(f"Calibrated from your data: {used.low:.3g} to {used.high:.3g} is used (the Calibrate page).",
                    icon=":material/model_training:")
        st.caption(ASSUMPTION_INFO[name][2])
        if key in problems:
            st.error(problems[key], icon=":material/error:")

ui.finish(values)
