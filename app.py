"""Home: the current case in one sentence, the company it is about, where to go next."""

import streamlit as st

import ui
from ui import cache, components, data, store
from view import words
from view.controls import SUGGESTED, choice_of, describe_levers, link_params, scenario_of

values = ui.frame("Home", ":material/home:")
book = store.book()
choice = choice_of(values, book)
company = choice.company

st.title("Support ROI simulator")
st.caption("What your support budget is worth: from staffing and tools to response time, CSAT, churn, "
           "revenue, ROI, NPV and payback, month by month.")

pulled = bool(describe_levers(values, book))
if pulled or choice.example:
    # An example comes with a case to start from; the user's own company gets no invented one.
    case_values = values if pulled else {**values, **SUGGESTED[values["company"]]}
    projection = cache.projection(data.calibrated(scenario_of(case_values, book=book)), int(values["draws"]))
    st.subheader("Your case" if pulled else "A case to start from")
    st.info(words.case_sentence(case_values, projection, book), icon=":material/campaign:")
else:
    case_values = values
    st.subheader("Your case")
    st.info("No lever is pulled yet. Open the Scenario page and try one: hire or release agents, open a regional "
            "centre, a self-service or productivity tool, training, longer hours.", icon=":material/campaign:")

about = company.description or words.company_inputs(company, choice.currency)
st.markdown(f"**{components.plain(company.name)}.** {components.plain(about)}")
st.page_link("pages/1_Scenario.py", label="Open this case on the Scenario page" if not pulled
             else "Back to the Scenario page", icon=":material/tune:",
             query_params=link_params(case_values))
st.page_link("pages/11_Company.py", label="Describe your own company: sites, hours, headcount, customers, money"
             if choice.example else f"Change {company.name}'s figures", icon=":material/apartment:")
st.page_link("pages/2_Model_and_sources.py", label="How the numbers are made, with sources",
             icon=":material/menu_book:")
st.page_link("pages/5_Data.py", label="Upload your own tickets, customers and KPIs, then calibrate the model "
             "on them", icon=":material/upload_file:")

st.markdown(
    "**Quick start.** Describe your company on the Your company page, or pick an example in the sidebar. On "
    "the Scenario page, pull a lever (hire agents, open a regional centre, buy a self-service or productivity "
    "tool, train the team, extend hours) and watch response time, CSAT, churn, revenue and the money case move "
    "against the baseline. Copy the page's link to share the exact scenario.")

ui.finish(values)
