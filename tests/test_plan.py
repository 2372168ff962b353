"""Plans of several actions: the plan's text (view.plan), its levers in the scenario, and the Scenario page's list."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from model import simulate
from model.examples import saas
from tests.conftest import ROOT
from tests.test_routing import kasza
from view import plan
from view.controls import (
    check_params,
    defaults,
    describe_levers,
    plan_problems,
    scenario_of,
)

KASZA_PLAN = [
    {"do": "hire", "site": "Warsaw", "agents": 3, "month": 6},
    {"do": "centre", "name": "New York", "utc": -5.0, "agents": 3, "opens": 9, "closes": 17, "days": "Mon-Fri",
     "cost": 25_000.0, "setup": 0.0, "serves": "US East", "month": 0},
    {"do": "hours", "site": "Warsaw", "opens": 9, "closes": 17, "days": "Mon-Fri", "month": 12},
]


def test_a_plan_reads_back_as_written_and_becomes_the_scenarios_levers():
    company = kasza()
    actions, problems = plan.parse(plan.text_of(KASZA_PLAN), company)
    assert problems == [] and actions == KASZA_PLAN
    added = plan.levers_of(actions, company, hiring_cost_per_agent=14_000.0)
    assert [(h.site, h.agents, h.start_month, h.hiring_cost_per_agent) for h in added.hires] == \
        [("Warsaw", 3.0, 6, 14_000.0)]
    [centre] = added.centres
    assert centre.serves == ("US East",) and centre.loaded_cost_per_agent_month == 25_000.0
    assert centre.setup_cost == 10 * company.sites[0].loaded_cost_per_agent_month   # 0: ten months of Warsaw
    assert added.site_hours[0].open_h == 9.0 and added.site_hours[0].start_month == 12


def test_moving_agents_releases_them_at_one_site_and_adds_them_at_the_other_without_hiring_cost():
    company = kasza()
    company = company.__class__(**{**company.__dict__, "sites": company.sites + (
        company.sites[0].__class__("Manila", 8.0, 9.0, 17.0, (0, 1, 2, 3, 4), 2.0, 0.3, 9_000.0),)})
    added = plan.levers_of([{"do": "move", "from": "Warsaw", "to": "Manila", "agents": 2, "month": 3}], company, 5_000.0)
    assert [(h.site, h.agents, h.hiring_cost_per_agent) for h in added.hires] == \
        [("Warsaw", -2.0, 0.0), ("Manila", 2.0, 0.0)]


def test_bad_plans_from_a_link_name_what_is_left_out_and_keep_the_rest():
    company = kasza()
    text = json.dumps([KASZA_PLAN[0], {"do": "move", "from": "Gdansk", "to": "Warsaw", "agents": 2, "month": 0},
                       {"do": "hire", "site": "Warsaw", "agents": 400, "month": 0}, {"do": "launch"}, 7,
                       {"do": "hours", "site": "Warsaw", "opens": 9, "closes": 9, "days": "Mon-Fri", "month": 0}])
    actions, problems = plan.parse(text, company)
    assert actions == [KASZA_PLAN[0]]
    said = " | ".join(problems)
    assert "Plan action 2 (move agents from one site to another): 'Gdansk' is not a site of Kasza" in said
    assert "Plan action 3 (hire or release agents at a site): agents (negative: leavers not replaced): " \
           "expected -20 to 30" in said
    assert "Plan action 4: not an action" in said and "Plan action 5: not an action" in said
    assert "Plan action 6 (change a site's hours): opens and closes at the same hour" in said
    assert plan.parse("{not json", company) == ([], ["The plan in the link is not readable (expected a list of "
                                                      "actions)."])
    assert plan.parse("x" * 10_000, company)[1][0].startswith("The plan in the link is 10,000 characters")
    many = plan.parse(json.dumps([KASZA_PLAN[0]] * 12), company)
    assert len(many[0]) == plan.MAX_ACTIONS and "the first 8 are used" in many[1][0]


def test_hostile_plan_values_are_named_not_raised():
    company = kasza()
    for item in ({"do": [1]}, {"do": {"x": 1}}, {"do": "hours", "site": "Warsaw", "days": [1]},
                 {"do": "hire", "site": ["Warsaw"], "agents": 2, "month": 0},
                 {"do": "hire", "site": "Warsaw", "agents": 10 ** 400, "month": 0},
                 {"do": "hire", "site": "Warsaw", "agents": 2.7, "month": 0},
                 {"do": "centre", "name": "X", "utc": 1.3, "agents": 3, "opens": 9, "closes": 17, "days": "Mon-Fri",
                  "cost": 0, "setup": 0, "serves": {"a": 1}, "month": 0}):
        actions, problems = plan.parse(json.dumps([item]), company)
        assert actions == [] and len(problems) == 1 and "left out" in problems[0], item


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20)
                   | st.sampled_from(["do", "hire", "move", "centre", "hours", "site", "Mon-Fri", "New York"]),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from(["do", "site", "agents", "month", "days", "from", "to", "serves"])
                        | st.text(max_size=8), inner, max_size=5), max_leaves=20))
def test_no_text_makes_the_plan_reader_fail(raw):
    actions, problems = plan.parse(json.dumps(raw), saas())
    assert isinstance(actions, list) and all(isinstance(p, str) for p in problems)
    assert plan.parse(plan.text_of(actions), saas()) == (actions, [])


def test_a_plan_that_releases_more_agents_than_a_site_has_is_left_out_by_name():
    values = {**defaults(), "plan": plan.text_of([{"do": "hire", "site": "New York", "agents": -20, "month": 0}])}
    assert scenario_of(values).levers.hires == ()
    assert plan_problems(values) == ["The plan is left out: cannot remove more agents than New York has."]


def test_the_case_sentence_names_every_action_and_the_plan_changes_the_figures():
    values = {**defaults(), "hire_agents": 2,
              "plan": plan.text_of([{"do": "hire", "site": "New York", "agents": 3, "month": 6}])}
    assert describe_levers(values) == "Hiring 2 agents in New York and hiring 3 agents in New York from month 6"
    with_plan = simulate(scenario_of(values))
    without = simulate(scenario_of({**values, "plan": ""}))
    assert with_plan.summary.pv_costs > without.summary.pv_costs
    assert check_params({"plan": values["plan"]})[0] == {"plan": values["plan"]}


def _scenario_page(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page("pages/1_Scenario.py")
    return at.run()


def _sentence(at: AppTest) -> str:
    return next(i.value for i in at.info if "is worth" in i.value)


def test_the_scenario_page_adds_edits_and_removes_actions_and_the_link_carries_the_plan():
    at = _scenario_page()
    at.selectbox(key="_plan_new_kind").set_value("hire").run()
    at.button(key="_plan_add").click().run()
    at.slider(key="_plan_w_0_agents").set_value(4).run()
    at.slider(key="_plan_w_0_month").set_value(6).run()
    at.selectbox(key="_plan_new_kind").set_value("centre").run()
    at.button(key="_plan_add").click().run()
    at.slider(key="_plan_w_1_utc").set_value(1.0).run()
    assert not at.exception
    sentence = _sentence(at)
    assert sentence.startswith("Hiring 4 agents in New York from month 6 and opening Second centre (UTC+1, 3 agents) "
                               "from month 0 is worth")
    text = at.session_state["plan"]
    assert json.loads(text)[0] == {"do": "hire", "site": "New York", "agents": 4, "month": 6}
    # The link: a new session opened with the plan's text shows the same case.
    again = _scenario_page(plan=text)
    assert _sentence(again) == sentence
    assert again.slider(key="_plan_w_0_agents").value == 4
    at.button(key="_plan_w_remove_0").click().run()
    assert _sentence(at).startswith("Opening Second centre (UTC+1, 3 agents) from month 0 is worth")
    assert [a["do"] for a in json.loads(at.session_state["plan"])] == ["centre"]


def test_a_hostile_plan_in_the_link_is_named_and_the_rest_of_the_case_opens():
    at = _scenario_page(plan='[{"do":"hire","site":"<script>","agents":3,"month":0}]', hire_agents="2")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "is not a site of Northwind Analytics" in notices and "script" in notices
    assert _sentence(at).startswith("Hiring 2 agents in New York is worth")


def test_a_scenario_file_without_controls_reads_its_plan_back():
    """An imported scenario (no control values kept): the actions the levers cannot hold come back as a plan,
    and the case it opens has the same NPV."""
    from view.controls import controls_of
    values = {**defaults(), "hire_agents": 2, "centre_on": True, "plan": plan.text_of([
        {"do": "hire", "site": "New York", "agents": 3, "month": 6},
        {"do": "centre", "name": "Manila", "utc": 8.0, "agents": 3, "opens": 9, "closes": 17, "days": "Mon-Fri",
         "cost": 3_000.0, "setup": 20_000.0, "serves": "Asia-Pacific", "month": 12},
        {"do": "hours", "site": "New York", "opens": 8, "closes": 18, "days": "Mon-Fri", "month": 3}])}
    scenario = scenario_of(values)
    back, notes = controls_of(scenario)
    assert notes == []
    assert [a["do"] for a in json.loads(back["plan"])] == ["hire", "centre", "hours"]
    assert simulate(scenario_of(back)).summary.npv == simulate(scenario).summary.npv


def test_a_scenario_saved_before_routing_keeps_its_shared_queue():
    """Saved with a centre before a centre answered its own region first: it opens as it was built."""
    from view.controls import NO_REGION, read_values
    saved = {k: v for k, v in {**defaults(), "centre_on": True}.items() if k not in ("centre_serves", "centre_helps",
                                                                                    "plan")}
    values, _ = read_values(saved)
    assert values["centre_serves"] == NO_REGION
    assert scenario_of(values).levers.centres[0].serves == ()
    assert read_values({**saved, "centre_serves": "Europe"})[0]["centre_serves"] == "Europe"


def test_an_edit_that_makes_an_action_unusable_is_not_taken_and_the_next_action_keeps_its_values():
    hours = {"do": "hours", "site": "New York", "opens": 8, "closes": 16, "days": "Mon-Fri", "month": 7}
    hire = {"do": "hire", "site": "New York", "agents": 2, "month": 0}
    at = _scenario_page(plan=plan.text_of([hours, hire]))
    at.slider(key="_plan_w_0_opens").set_value(16).run()              # opens when it closes: not usable
    assert not at.exception
    assert any("Plan action 1" in w.value and "kept as it was" in w.value for w in at.warning)
    assert json.loads(at.session_state["plan"]) == [hours, hire]
    assert at.slider(key="_plan_w_0_opens").value == 8 and at.slider(key="_plan_w_1_month").value == 0
    at.slider(key="_plan_w_1_agents").set_value(3).run()
    assert json.loads(at.session_state["plan"])[1] == {**hire, "agents": 3}


def test_another_company_draws_the_plan_it_can_use_and_nothing_stale():
    plan_text = plan.text_of([{"do": "hire", "site": "New York", "agents": 2, "month": 3},
                              {"do": "centre", "name": "Lisbon", "utc": 0.0, "agents": 3, "opens": 9, "closes": 17,
                               "days": "Mon-Fri", "cost": 0.0, "setup": 0.0, "serves": "Nearest region",
                               "month": 0}])
    at = _scenario_page(plan=plan_text)
    at.sidebar.selectbox(key="company").set_value("E-commerce").run()
    assert not at.exception
    assert at.slider(key="_plan_w_0_month").value == 0 and at.slider(key="_plan_w_0_agents").value == 3
    assert any("'New York' is not a site of Alpine Outdoor" in w.value for w in at.warning)


def test_the_sentence_leaves_out_a_plan_the_model_leaves_out():
    values = {**defaults(), "hire_agents": 2,
              "plan": plan.text_of([{"do": "hire", "site": "New York", "agents": -20, "month": 0}])}
    assert describe_levers(values) == "Hiring 2 agents in New York"


def test_imported_hires_and_moves_come_back_as_they_were():
    from dataclasses import replace

    from model.params import Site
    from view.controls import CompanyChoice, controls_of
    two_sites = replace(saas(), sites=saas().sites + (Site("Manila", 8.0, 9.0, 17.0, (0, 1, 2, 3, 4), 4.0, 0.3,
                                                           2_500.0),))
    book = {"Two sites": CompanyChoice(two_sites, "USD")}
    values = {**defaults(), "company": "Two sites", "hire_agents": 2, "plan": plan.text_of([
        {"do": "hire", "site": "New York", "agents": 2, "month": 0},
        {"do": "move", "from": "New York", "to": "Manila", "agents": 3, "month": 4}])}
    scenario = scenario_of(values, book=book)
    back, notes = controls_of(scenario, book)
    assert [a["do"] for a in json.loads(back["plan"])] == ["hire", "move"]
    assert simulate(scenario_of(back, book=book)).summary.npv == simulate(scenario).summary.npv


def test_a_centre_that_would_answer_nothing_helps_and_says_so():
    from view.controls import NO_REGION, problems
    values = {**defaults(), "centre_on": True, "centre_serves": NO_REGION, "centre_helps": False}
    assert "would answer no ticket" in " ".join(problems(values))
    assert scenario_of(values).levers.centres[0].helps_others is True


def test_a_typed_plan_and_the_links_compare_equal_whatever_the_spaces():
    typed = json.dumps(KASZA_PLAN, indent=2)
    assert plan.compact(typed) == plan.text_of(KASZA_PLAN)
    assert plan.compact("  ") == "" and plan.compact("not json [") == "not json ["
    from view.controls import link_params
    assert link_params({"plan": typed}) == link_params({"plan": plan.text_of(KASZA_PLAN)})
