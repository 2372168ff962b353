"""The AI agent on the pages: its controls (the company's channels, then the chosen pricing's and policy's own
fields), the Scenario page's AI agent tab (figures, charts, table, the comparison with hiring), the link, the Risk
page's tornado and the Model and sources page."""

from __future__ import annotations

import pytest

from model import simulate
from view.controls import defaults, scenario_of
from tests.test_pages import _chart_specs, _run

AI = {"ai_chat": "0.5", "ai_email": "0.3"}


def _scenario(tab: str | None = None, **params):
    at = _run("pages/1_Scenario.py", **params)
    if tab is not None:
        at.session_state["view_results"] = tab
        at.run()
    return at


def _ai_tab_with(expander: str):
    """The Scenario page's AI agent tab with one of its expanders open (they build their tables only when open)."""
    at = _scenario("AI agent", **AI)
    at.session_state[expander] = True
    at.run()
    assert not at.exception
    return at


def test_without_an_agent_only_the_channel_shares_are_shown_and_no_tab():
    at = _scenario()
    assert not at.exception
    shown = [s.key for s in at.slider if s.key.startswith("ai_")] + [n.key for n in at.number_input
                                                                     if n.key.startswith("ai_")]
    assert sorted(shown) == ["ai_chat", "ai_email"]          # B2B SaaS has e-mail and chat, no phone
    assert [t.label for t in at.tabs] == ["Service", "Customers", "Money"]


def test_an_agent_shows_its_controls_its_tab_and_moves_the_case():
    at = _scenario("AI agent", **AI)
    assert not at.exception
    keys = {w.key for w in [*at.slider, *at.number_input, *at.selectbox]}
    assert {"ai_resolution_pct", "ai_pricing", "ai_price_per_resolution", "ai_policy", "ai_attrition_pct"} <= keys
    assert not {"ai_price_per_conversation", "ai_seats", "ai_severance_months"} & keys
    assert [t.label for t in at.tabs][-1] == "AI agent"
    figures = {m.label: m.value for m in at.metric}
    assert figures["Cost per true resolution"].startswith("$") and "." in figures["Cost per true resolution"]
    per_true = float(figures["Cost per true resolution"].strip("$").replace(",", ""))
    per_vendor = float(figures["Per vendor resolution"].strip("$").replace(",", ""))
    assert per_true > per_vendor > 0.99                     # the vendor's count flatters the price
    specs = _chart_specs(at)
    assert any("The AI agent's conversations a month" in s and "Conversations (a month)" in s for s in specs)
    assert any("What the freed hours become" in s and '"Agents"' in s for s in specs)
    assert any("An AI agent in 30% of e-mail and 50% of chat issues" in i.value for i in at.info)


def test_choosing_a_pricing_and_a_policy_shows_their_own_fields():
    at = _scenario(**AI, ai_pricing="Seats", ai_policy="Released")
    keys = {w.key for w in [*at.slider, *at.number_input]}
    assert {"ai_seats", "ai_price_per_seat", "ai_severance_months"} <= keys
    assert not {"ai_price_per_resolution", "ai_attrition_pct"} & keys
    assert not at.exception


def test_a_bad_ai_link_value_is_named_and_left_out():
    at = _scenario(ai_chat="1.7", ai_pricing="Free lunch")
    assert not at.exception
    said = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "ai_chat" in said and "ai_pricing" in said


def test_the_comparison_with_hiring_runs_three_options():
    at = _ai_tab_with("_open_ai_compare")
    table = next(d.value for d in at.dataframe if "Hire agents" in d.value.columns)
    assert list(table.columns) == ["AI agent", "Hire agents", "Both", "Today's team (baseline)"]
    assert table.loc["Headcount, month 11", "Today's team (baseline)"] == "12.0"
    lead = "NPV, median of 1,000 draws (USD)"
    assert table.index[0] == lead and {"Probability of a loss", "Payback, as entered"} <= set(table.index)
    hire = at.number_input(key="ai_compare_agents")
    assert hire.value >= 1
    before = table.loc[lead, "Hire agents"]
    hire.set_value(hire.value + 3).run()
    again = next(d.value for d in at.dataframe if "Hire agents" in d.value.columns)
    assert again.loc[lead, "Hire agents"] != before
    assert again.loc[lead, "AI agent"] == table.loc[lead, "AI agent"]


def test_the_comparisons_ai_option_is_the_case_itself():
    values = {**defaults(), "ai_chat": 0.5, "ai_email": 0.3}
    from view.ai_agent import comparison_values
    options = comparison_values(values, 3, ("ai_email", "ai_chat", "ai_phone"))
    assert simulate(scenario_of(options["AI agent"])).summary.npv == simulate(scenario_of(values)).summary.npv
    assert scenario_of(options["Hire agents"]).levers.ai_agent is None
    both = scenario_of(options["Both"]).levers
    assert both.ai_agent is not None and both.hires[0].agents == 3


def test_the_risk_page_tornado_holds_the_ai_assumptions():
    at = _run("pages/4_Risk.py", **AI)
    assert not at.exception
    from tests.test_library_pages import _chart_specs as with_rows, _title
    tornado = next(s for s in with_rows(at) if (_title(s) or "").startswith("What moves the NPV most"))
    labels = {row["label"] for row in tornado["rows"] if row.get("label")}   # the chart's rows, sent beside its spec
    assert "AI resolution achieved" in labels and "AI resolutions coming back" in labels


def test_the_model_page_lists_the_ai_assumptions_and_sources():
    at = _run("pages/2_Model_and_sources.py")
    table = next(d.value for d in at.dataframe if "90 % interval" in d.value.columns).set_index("Assumption")
    assert table.loc["AI resolution achieved", "90 % interval"] == "0.45 to 1"
    assert "[V" in table.loc["AI resolution achieved", "Source"]
    defaults = next(d.value for d in at.dataframe if "Default" in d.value.columns).set_index("AI agent")
    assert defaults.loc["Resolution rate its vendor reports", "Default"] == "60 %"
    assert "[V]" in defaults.loc["Price per resolution", "What it is, and the source of the default"]
    assert "AI agent." in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["pages/10_Present.py", "pages/9_Compare.py", "pages/3_Staffing.py",
                                  "pages/12_Predictions.py"])
def test_other_pages_take_a_case_with_an_agent(page):
    at = _run(page, **AI)
    assert not at.exception


def test_the_workbook_and_the_present_page_state_the_agent_with_its_sources():
    import io

    from openpyxl import load_workbook

    from exports.content import facts
    from exports.spreadsheet import workbook

    values = {**defaults(), "ai_chat": 0.5, "ai_email": 0.3, "ai_pricing": "Per conversation"}
    scenario = scenario_of(values)
    p = simulate(scenario, draws=100)
    f = facts(values, scenario, p)
    table = f.ai_agent.set_index("AI agent")
    assert table.loc["Pricing", "Value"] == "$2.00 per conversation, resolved or not"
    assert "[V]" in table.loc["Resolution rate its vendor reports", "Formula or source"]
    assert table.loc["Involvement, chat issues", "Value"] == "50%"
    wb = load_workbook(io.BytesIO(workbook(f, scenario, p)))
    assert "AI agent" in wb.sheetnames
    cells = [c.value for row in wb["AI agent"].iter_rows() for c in row if c.value is not None]
    assert "Cost per true resolution" in cells and "Resolved for good" in cells
    parameters = [c.value for row in wb["Assumptions"].iter_rows() for c in row if c.value is not None]
    assert "involvement, chat" in parameters and "price_per_conversation" in parameters
    assert not any("{" in str(c) for c in parameters)          # the agent's parts are flat, not dicts as text
    at = _run("pages/10_Present.py", ai_chat="0.5", ai_email="0.3")
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "AI agent" in d.value.columns)
    assert "Cost per true resolution" in list(shown["AI agent"])


def test_the_deck_has_a_slide_for_the_agent_with_its_sources():
    import io

    from pptx import Presentation

    from exports.content import facts
    from exports.slides import deck

    values = {**defaults(), "ai_chat": 0.5, "ai_email": 0.3}
    scenario = scenario_of(values)
    p = simulate(scenario, draws=100)
    prs = Presentation(io.BytesIO(deck([(facts(values, scenario, p), p)])))
    slide = next(s for s in prs.slides if any(
        sh.has_text_frame and "The AI agent" in sh.text_frame.text for sh in s.shapes))
    cells = [c.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    assert "Cost per true resolution" in cells and "Pricing" in cells
    assert any("[V]" in c for c in cells)
    assert not any(len(c) > 110 for c in cells)
    assert len(prs.slides) == 9


@pytest.mark.parametrize("pricing", ["Per resolution", "Allowance and overage", "Per conversation", "Per action",
                                     "Session bundles", "Seats"])
def test_a_saved_agent_reads_back_into_the_same_controls(pricing):
    from view.controls import controls_of

    values = {**defaults(), "ai_chat": 0.45, "ai_email": 0.2, "ai_pricing": pricing, "ai_policy": "Released",
              "ai_severance_months": 4.5, "ai_start_month": 3, "ai_ramp_months": 9, "ai_qa_hours_per_month": 35}
    scenario = scenario_of(values)
    again, notes = controls_of(scenario)
    assert notes == []
    assert scenario_of(again).levers.ai_agent == scenario.levers.ai_agent


def test_the_agents_monthly_table_sits_next_to_csat_and_churn():
    at = _ai_tab_with("_open_ai_table")
    table = next(d.value for d in at.dataframe if "Resolved for good" in d.value.columns)
    assert {"Conversations (a month)", "Handed to a person", "Fees (USD)", "Agent hours freed (a month)", "Fewer agents",
            "CSAT of all contacts (%)", "Churn (% a month)", "Churn, baseline (% a month)"} <= set(table.columns)
    assert len(table) == 36


def test_an_agent_on_a_channel_the_company_lacks_is_named_and_left_out():
    at = _scenario(ai_phone="0.5")                       # B2B SaaS answers e-mail and chat, no phone
    assert not at.exception
    said = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "ai_phone" in said and "has no phone channel" in said
    assert [t.label for t in at.tabs] == ["Service", "Customers", "Money"]


def test_the_comparison_starts_within_the_hire_levers_range():
    import pandas as pd

    from view.ai_agent import MOST_HIRES, agents_to_compare
    assert agents_to_compare(pd.DataFrame({"agents_freed": [0.0, 36.2]})) == MOST_HIRES == 30
    assert agents_to_compare(pd.DataFrame({"agents_freed": [0.0, 0.0]})) == 1
    assert agents_to_compare(pd.DataFrame({"agents_freed": [0.0, 2.0000000001]})) == 2


def test_every_pricing_model_is_put_on_one_basis_for_the_agents_own_counts():
    from view.ai_agent import pricing_table, summary

    values = {**defaults(), "ai_chat": 0.5, "ai_email": 0.3, "ai_pricing": "Per conversation"}
    scenario = scenario_of(values)
    p = simulate(scenario)
    table = pricing_table(p.ai_agent, scenario.levers.ai_agent, values, "USD").set_index("Pricing")
    assert len(table) == 6 and "Per conversation (chosen)" in table.index
    chosen = table.loc["Per conversation (chosen)", "Per true resolution (USD)"]
    assert chosen == f"${summary(p, scenario.levers.ai_agent).per_true_resolution:,.2f}"
    assert table.loc["Seats", "Price"] == "10 seats at $125.00 a month"
    at = _ai_tab_with("_open_ai_pricing")
    assert any("Per resolution (chosen)" in list(d.value.get("Pricing", [])) for d in at.dataframe)


def test_hires_avoided_without_hires_in_the_plan_says_why_nothing_is_saved():
    at = _scenario("AI agent", **AI, ai_policy="Hires avoided")
    assert any("no hires to avoid" in i.value for i in at.info)
    at = _scenario("AI agent", **AI, ai_policy="Hires avoided", hire_agents="3", hire_start_month="6")
    assert not any("no hires to avoid" in i.value for i in at.info)


def test_seats_start_at_one_per_agent_of_the_team():
    from view.controls import default_of
    assert default_of("ai_seats", {"company": "B2B SaaS"}) == 12
    at = _scenario(**AI, ai_pricing="Seats")
    assert at.number_input(key="ai_seats").value == 12
