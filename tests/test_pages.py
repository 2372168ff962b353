"""AppTest for every page: renders without exception, levers move KPIs, links restore levers."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = ["app.py", "pages/1_Scenario.py", "pages/2_Model_and_sources.py", "pages/3_Staffing.py", "pages/4_Risk.py",
         "pages/8_Library.py", "pages/9_Compare.py", "pages/10_Present.py", "pages/12_Predictions.py"]
TIMEOUT = 30


def _run(page: str, **params: str) -> AppTest:
    """Run ``page`` inside the whole app (the entrypoint is app.py, as on a server)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("company", ["B2B SaaS", "E-commerce"])
def test_every_page_renders_for_every_example(page, company):
    at = _run(page, company=company)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value
    assert at.selectbox(key="company").value == company
    assert not at.warning or "link" not in at.warning[0].value


def test_home_states_the_case_in_one_sentence():
    at = _run("app.py")
    sentence = at.info[0].value
    assert sentence.startswith("Opening a 4-agent centre in UTC+1 that answers Europe first is worth an NPV of $")
    for part in ("the median of 1,000 draws", "With every assumption as entered it costs", "returns",
                 "over 3 years", "ROI", "pay", "undiscounted"):
        assert part in sentence


def test_moving_a_lever_changes_the_kpis():
    at = _run("pages/1_Scenario.py")
    assert _metric(at, "NPV (median)") == "$0"
    at.toggle(key="centre_on").set_value(True).run()
    npv_centre = _metric(at, "NPV (median)")
    assert npv_centre != "$0"
    assert at.metric[0].delta.startswith("-")                  # first response falls
    at.slider(key="centre_headcount").set_value(8).run()
    assert _metric(at, "NPV (median)") != npv_centre
    assert not at.exception


def test_every_lever_group_moves_the_npv():
    moves = {"hire_agents": 3, "deflection_pct": 0.3, "handle_time_reduction_pct": 0.2, "fcr_gain_pts": 0.05,
             "extra_hours_per_day": 4}
    for key, value in moves.items():
        at = _run("pages/1_Scenario.py", company="E-commerce")
        at.slider(key=key).set_value(value).run()
        assert _metric(at, "NPV (median)") not in ("0 €", "0\xa0€"), key


def test_url_parameter_restores_a_lever():
    at = _run("pages/1_Scenario.py", hire_agents="5", centre_on="true")
    assert at.slider(key="hire_agents").value == 5
    assert at.toggle(key="centre_on").value is True
    assert "hiring 5 agents in New York" in at.info[0].value


def test_invalid_url_parameter_is_ignored_with_a_notice():
    at = _run("pages/1_Scenario.py", hire_agents="lots", unknown="1", deflection_pct="0.2")
    warning = at.warning[0].value.replace("\\", "")   # link text is markdown-escaped on the page
    assert "Ignored link parameter 'hire_agents': expected a number" in warning
    assert "unknown link parameter 'unknown'" in warning
    assert at.slider(key="hire_agents").value == 0
    assert at.slider(key="deflection_pct").value == pytest.approx(0.2)
    assert not at.exception


def test_a_link_value_a_widget_would_round_is_dropped_not_rewritten():
    """``hire_agents=2.5`` is no step of the slider: the case is the default's, and the address no longer holds the
    parameter (the slider would have read it as 2 and written ``hire_agents=2``, a link to another case)."""
    at = _run("pages/1_Scenario.py", hire_agents="2.5", deflection_pct="0.2")
    assert "Ignored link parameter 'hire_agents'" in at.warning[0].value.replace("\\", "")
    assert at.slider(key="hire_agents").value == 0
    assert "hire_agents" not in at.query_params and at.query_params["deflection_pct"] == "0.2"
    baseline = _metric(_run("pages/1_Scenario.py", deflection_pct="0.2"), "NPV (median)")
    assert _metric(at, "NPV (median)") == baseline
    at.run()
    assert "hire_agents" not in at.query_params and at.slider(key="hire_agents").value == 0


def test_company_sets_its_own_currency_unless_one_is_chosen():
    at = _run("pages/1_Scenario.py", company="E-commerce", centre_on="true")
    assert at.selectbox(key="currency").value == "EUR"
    assert "€" in _metric(at, "NPV (median)")


def test_currency_choice_formats_money():
    at = _run("pages/1_Scenario.py", currency="PLN", centre_on="true")
    assert "zł" in _metric(at, "NPV (median)")


def test_model_page_shows_inputs_with_sources():
    at = _run("pages/2_Model_and_sources.py")
    inputs = at.dataframe[0].value
    assert "Source" in inputs.columns and inputs["Source"].str.len().min() > 0
    assert any("BLS" in s for s in inputs["Source"])


def test_switching_company_switches_to_its_currency():
    at = _run("pages/1_Scenario.py", centre_on="true")
    assert at.selectbox(key="currency").value == "USD"
    at.selectbox(key="company").set_value("E-commerce").run()
    assert at.selectbox(key="currency").value == "EUR"
    assert "€" in _metric(at, "NPV (median)")
    assert not at.exception
    assert not any("Session State" in w.value for w in at.warning)


def test_centre_with_equal_hours_is_left_out_with_a_message():
    at = _run("pages/1_Scenario.py", centre_on="true", centre_open_h="9", centre_close_h="9")
    assert "opens and closes at 9:00" in at.error[0].value
    assert at.info[0].value.startswith("No lever is pulled yet")
    assert not at.exception


def test_night_shift_centre_is_a_valid_lever():
    at = _run("pages/1_Scenario.py", centre_on="true", centre_open_h="18", centre_close_h="9")
    assert not at.error and not at.exception
    assert _metric(at, "NPV (median)") != "$0"


def test_no_lever_shows_no_change_arrows():
    at = _run("pages/1_Scenario.py", company="E-commerce")
    assert all(not m.delta for m in at.metric), [(m.label, m.delta) for m in at.metric]
    moved = _run("pages/1_Scenario.py", company="E-commerce", hire_agents="2")
    assert all(moved.metric[i].delta for i in (0, 1, 2)), [(m.label, m.delta) for m in moved.metric]


SCENARIO_TABLES = ("_open_Monthly table (baseline and scenario)",
                   "_open_Incremental cash lines per month (scenario minus baseline)")


def test_the_scenario_tables_are_built_only_when_opened():
    at = _run("pages/1_Scenario.py", centre_on="true")
    assert [list(d.value.columns)[0] for d in at.dataframe] == ["Region"]       # the monthly tables closed
    at.session_state[SCENARIO_TABLES[0]] = True
    assert [list(d.value.columns)[0] for d in at.run().dataframe] == ["Region", "Month"]


def test_tables_have_readable_headers_and_costs_negative():
    at = _run("pages/1_Scenario.py", centre_on="true")
    for key in SCENARIO_TABLES:
        at.session_state[key] = True
    at.run()
    monthly, cash = at.dataframe[1].value, at.dataframe[2].value
    assert {"Churn (% a month)", "CSAT (%)", "Revenue (USD a month)"} <= set(monthly.columns)
    assert cash["Added staff (USD)"].iloc[1].startswith("-")        # shown as text in the currency's locale
    cash = cash.apply(lambda c: c.str.replace(",", "").astype(float) if c.dtype != "int64" else c)
    assert (cash["Added staff (USD)"] <= 0).all() and (cash["Added staff (USD)"] < 0).any()
    assert cash["Net cash flow (USD)"].sum() == pytest.approx(cash["Cumulative, undiscounted (USD)"].iloc[-1], abs=36)


def _region_figures(at: AppTest, column: str) -> dict[tuple[str, str], float]:
    table = at.dataframe[0].value
    return {(r["Region"], r["Case"]): float(str(r[column]).replace(",", "")) for _, r in table.iterrows()}


def test_scenario_page_shows_first_response_by_region_mean_and_median_and_the_centre_serves_europe():
    """A European centre answering Europe first: Europe's business-hours first response falls the most;
    the table gives mean and median, calendar and business hours, scenario and baseline."""
    at = _run("pages/1_Scenario.py", centre_on="true", centre_utc_offset_h="1.0")
    assert at.selectbox(key="centre_serves").value == "Nearest region"
    assert "Europe" in at.selectbox(key="centre_serves").options
    assert {"Median (h)", "Median, business hours (h)", "Within target"} <= set(at.dataframe[0].value.columns)
    routed = _region_figures(at, "Mean, business hours (h)")
    regions = {r for r, _ in routed}
    gain = {r: routed[(r, "Baseline")] - routed[(r, "Scenario")] for r in regions}
    assert max(gain, key=gain.get) == "Europe"
    assert _region_figures(at, "Median, business hours (h)")[("Europe", "Scenario")] < 1.0
    shared = _run("pages/1_Scenario.py", centre_on="true", centre_utc_offset_h="1.0",
                  centre_serves="No region (shares the queue)")
    pooled = _region_figures(shared, "Mean, business hours (h)")
    assert pooled[("Europe", "Scenario")] > routed[("Europe", "Scenario")] + 1.0
    at.segmented_control(key="view_region_stat").set_value("Median, in business hours").run()
    assert not at.exception


def test_a_link_naming_a_region_the_company_does_not_have_is_refused_by_name():
    at = _run("pages/1_Scenario.py", centre_on="true", centre_serves="Mars")
    assert any("centre\\_serves" in w.value and "Mars" in w.value for w in at.warning)
    assert at.selectbox(key="centre_serves").value == "Nearest region"


def test_model_page_lists_the_levers_of_the_current_scenario():
    at = _run("pages/2_Model_and_sources.py", deflection_pct="0.3")
    levers = next(d.value for d in at.dataframe if "Parameter" in d.value.columns)
    row = levers[levers["Parameter"] == "deflection pct"].iloc[0]
    assert row["Value"] == "0.3" and "Gartner" in row["Source"]


def test_staffing_page_answers_how_many_agents_and_moves_with_patience():
    at = _run("pages/3_Staffing.py", company="E-commerce")
    assert "more agent-hours a week" in at.warning[0].value
    regions = at.dataframe[0].value
    assert set(regions["Region"]) == {"Central Europe", "UK and Ireland", "Nordics"}
    before = at.warning[0].value
    at.slider(key="staff_patience").set_value(15.0).run()
    assert not at.exception
    at.slider(key="staff_sl").set_value(0.5).run()
    assert at.warning[0].value != before or at.success


def _chart_specs(at: AppTest) -> list[str]:
    def walk(block):
        for child in getattr(block, "children", {}).values():
            yield child
            yield from walk(child)
    return [e.proto.spec for e in walk(at.main) if getattr(e, "type", "") == "vega_lite_chart"]


def test_staffing_page_shows_the_regional_centre_as_a_site():
    at = _run("pages/3_Staffing.py", centre_on="true")
    specs = _chart_specs(at)
    assert any("Agents on duty: Regional centre" in s for s in specs)
    assert any("Agents on duty: New York" in s for s in specs)


def test_staffing_page_reports_backlog_at_opening_and_business_hours():
    at = _run("pages/3_Staffing.py", company="E-commerce")
    regions, openings = at.dataframe[0].value, at.dataframe[1].value
    assert "Mean, written in business hours" in regions.columns
    assert openings["Site"].tolist() == ["Krakow"] and openings["Worst opening"].iloc[0].startswith("Mon 08:00")


def test_charts_use_the_currency_locale():
    specs = _chart_specs(_run("pages/1_Scenario.py", currency="PLN", centre_on="true"))
    assert specs and all('"decimal": ","' in s for s in specs)
    specs = _chart_specs(_run("pages/1_Scenario.py", centre_on="true"))
    assert all('"decimal": "."' in s for s in specs)


def test_scenario_page_shows_bands_and_kpi_ranges():
    at = _run("pages/1_Scenario.py", centre_on="true")
    ranges = [c.value for c in at.caption if c.value.startswith("P10-P90")]
    assert len(ranges) >= 6                                   # four service KPIs, NPV and ROI
    npv_lo, npv_hi = next(r for r in ranges if "$" in r).removeprefix("P10-P90: ").split(" to ")
    assert npv_lo != npv_hi
    specs = _chart_specs(at)
    for tab in ("Customers", "Money"):                       # each tab's charts are built when it is opened
        at.session_state["view_results"] = tab
        specs += _chart_specs(at.run())
    for title in ("Mean first response, email", "CSAT", "Churn per month", "Customers", "Revenue per month (USD)",
                  "Cumulative extra cash (USD)"):
        assert any(f'"text": "{title}"' in s and "P10 to P90" in s for s in specs), title
    assert "the median of 1,000 draws" in at.info[0].value
    assert _metric(at, "Probability of a loss").endswith("%")


def test_scenario_page_builds_only_the_open_tab():
    at = _run("pages/1_Scenario.py", centre_on="true")
    assert [t.label for t in at.tabs] == ["Service", "Customers", "Money"]
    titles = " ".join(_chart_specs(at))
    assert "Mean first response, email" in titles
    assert "Revenue per month" not in titles and "Churn per month" not in titles
    npv = _metric(at, "NPV (median)")
    at.session_state["view_results"] = "Money"
    titles = " ".join(_chart_specs(at.run()))
    assert "Revenue per month" in titles and "Where the NPV comes from" in titles
    assert "Mean first response, email" not in titles
    assert _metric(at, "NPV (median)") == npv                 # the same case, another view of it


def test_scenario_page_keeps_the_view_chosen_across_tabs_and_pages():
    """A closed tab's widgets are not drawn, and Streamlit forgets the state of a widget a run does not draw: the
    channel and statistic shown, and the open tab, are kept by the page itself."""
    at = _run("pages/1_Scenario.py", centre_on="true")
    at.session_state["view_channel"] = "chat"
    at.session_state["view_region_stat"] = "Median"
    assert "Mean first response, chat" in " ".join(_chart_specs(at.run()))
    for tab in ("Money", "Service"):
        at.session_state["view_results"] = tab
        at.run()
    assert not at.exception
    assert at.button_group(key="view_channel").value == "chat"
    assert at.button_group(key="view_region_stat").value == "Median"
    titles = " ".join(_chart_specs(at))
    assert "Mean first response, chat" in titles and "Median first response, chat, by customer region" in titles
    at.session_state["view_results"] = "Money"
    at.run()
    at.switch_page("pages/4_Risk.py").run()
    at.switch_page("pages/1_Scenario.py").run()
    assert not at.exception
    assert "Revenue per month" in " ".join(_chart_specs(at))           # back on the Money tab


def test_draws_selector_and_fixed_seed():
    first = _run("pages/4_Risk.py", centre_on="true", draws="250")
    again = _run("pages/4_Risk.py", centre_on="true", draws="250")
    assert "the median of 250 draws" in first.info[0].value
    assert first.info[0].value == again.info[0].value        # the same link shows the same numbers
    more = _run("pages/4_Risk.py", centre_on="true", draws="2500")
    assert "the median of 2,500 draws" in more.info[0].value
    bad = _run("pages/4_Risk.py", centre_on="true", draws="7")
    assert any("draws" in w.value for w in bad.warning)
    assert "the median of 1,000 draws" in bad.info[0].value


def test_risk_page_without_a_lever_draws_no_empty_charts():
    """No lever: every draw's NPV is 0, so there is no distribution to draw (the tornado's axis read 'NaN', the
    histogram one bar); the page says what appears once a lever is pulled and keeps the ranges to set."""
    at = _run("pages/4_Risk.py")
    assert not at.exception
    assert _chart_specs(at) == [] and len(at.dataframe) == 0
    assert any("appear here once a lever is pulled" in c.value for c in at.caption)
    assert any(s.value == "Uncertain assumptions" for s in at.subheader) and len(at.text_input) > 5


def test_risk_page_shows_distribution_tornado_and_tei_table():
    at = _run("pages/4_Risk.py", centre_on="true")
    assert not at.exception
    specs = _chart_specs(at)
    assert any("NPV over 1,000 draws (USD)" in s and "probability of a loss" in s for s in specs)
    assert any("What moves the NPV most (USD)" in s for s in specs)
    assert any("What drives the spread" in s for s in specs)
    table = at.dataframe[0].value
    assert list(table["Line"]) == ["Retention", "Expansion", "Referrals", "Staff savings", "Redeployed work",
                                   "Added staff", "Tools",
                                   "Set-up and hiring", "Training", "Total benefits", "Total costs", "Net benefits"]
    assert {"Initial (USD)", "Year 1 (USD)", "Year 3 (USD)", "Total (USD)", "Present value (USD)"} <= set(table.columns)
    setup = table.set_index("Line").loc["Set-up and hiring"]
    assert setup["Initial (USD)"] == "-66,000" and setup["Risk adjustment"] == "+10 %"
    assert not (table.drop(columns=["Line", "Risk adjustment"]).map(lambda x: str(x) in ("-0", "-0.0"))).any().any()
    npv = _metric(at, "Risk-adjusted NPV")
    at.slider(key="risk_retention_pct").set_value(0.5).run()
    assert _metric(at, "Risk-adjusted NPV") != npv
    assert at.dataframe[0].value.set_index("Line").loc["Retention", "Risk adjustment"] == "-50 %"


def test_editing_a_range_moves_the_distribution_and_bad_text_is_explained():
    at = _run("pages/4_Risk.py", centre_on="true")
    before = at.info[0].value
    at.text_input(key="range_churn_dissatisfied").set_value("0.2 to 5").run()
    widened = at.info[0].value
    assert widened != before
    at.text_input(key="range_churn_dissatisfied").set_value("5 to 0.2").run()
    assert any("Churn risk of dissatisfied customers" in e.value and "above the high end" in e.value
               for e in at.error)
    assert at.text_input(key="range_churn_dissatisfied").value == "5 to 0.2"   # the user's text stays
    assert at.info[0].value == before                          # the default range is used meanwhile
    at.text_input(key="range_churn_dissatisfied").set_value("1").run()
    assert not at.error
    assert "the median of 1,000 draws" in at.info[0].value


def test_a_range_in_the_link_is_restored():
    at = _run("pages/4_Risk.py", centre_on="true", range_contact_rate="0.5 to 2")
    assert at.text_input(key="range_contact_rate").value == "0.5 to 2"
    assert not at.warning or "link" not in at.warning[0].value


def test_model_page_lists_the_uncertain_assumptions_with_sources():
    at = _run("pages/2_Model_and_sources.py", range_contact_rate="0.5 to 2")
    table = next(d.value for d in at.dataframe if "90 % interval" in d.value.columns)
    rows = table.set_index("Assumption")
    assert len(rows) == 16
    assert rows.loc["Contact rate", "90 % interval"] == "0.5 to 2"
    assert "[D]" in rows.loc["CSAT curve: slope", "Source"]


@pytest.mark.parametrize("currency, shown", [("EUR", "-1.234.567 €"), ("USD", "-$1,234,567"), ("PLN", "-1 234 567 zł")])
def test_the_sidebar_says_how_numbers_read_in_the_chosen_currency(currency, shown):
    at = _run("pages/1_Scenario.py", currency=currency)
    captions = [" ".join(c.value.split()) for c in at.sidebar.caption]
    assert any(f"Numbers read {shown}" in c for c in captions), captions


def test_a_run_reads_its_workspace_from_the_store_once_not_once_per_caller(monkeypatch):
    """The sidebar, the companies and the save panel each ask for the workspace: nine queries a Scenario run before."""
    from store import Repository
    reads = []
    for name in ("workspace", "default_workspace"):
        original = getattr(Repository, name)
        monkeypatch.setattr(Repository, name, lambda self, *a, _o=original, **k: reads.append(1) or _o(self, *a, **k))
    at = _run("pages/1_Scenario.py")
    reads.clear()
    at.toggle(key="centre_on").set_value(True).run()
    assert not at.exception and 1 <= len(reads) <= 2
    reads.clear()
    at.switch_page("pages/8_Library.py").run()
    assert not at.exception and 1 <= len(reads) <= 2


def _widget_places(node, where: tuple[int, ...] = ()) -> dict[str, tuple[int, ...]]:
    """Every keyed widget's place in the page's tree (its index in each block down to it)."""
    children = getattr(node, "children", None)
    if children is None:
        key = getattr(node, "key", None)
        return {key: where} if key and hasattr(node, "value") else {}
    out: dict[str, tuple[int, ...]] = {}
    for i, child in children.items():
        out.update(_widget_places(child, (*where, i)))
    return out


@pytest.mark.parametrize("lever", [{"hire_agents": "1"}, {"ai_chat": "0.05"}, {"centre_on": "true"}])
def test_pulling_a_lever_leaves_every_widget_where_it_was(lever):
    """The browser builds an element again when its place changes: the first lever pulled (which adds the point
    view's line to the KPI row) must not move the levers and charts below it, or the page is drawn anew, with a
    second copy of the lever on screen while the run lasts."""
    before = _widget_places(_run("pages/1_Scenario.py").main)
    after = _widget_places(_run("pages/1_Scenario.py", **lever).main)
    assert len(before) > 40 and set(before) <= set(after)
    assert {k: after[k] for k in before} == before


def test_a_message_under_one_range_leaves_the_other_ranges_where_they_were():
    at = _run("pages/4_Risk.py", centre_on="true")
    before = _widget_places(at.main)
    first = next(k for k in before if k.startswith("range_"))
    at.text_input(key=first).set_value("5 to 0.2").run()
    assert any("above the high end" in e.value for e in at.error)               # the message is there
    assert _widget_places(at.main) == before


def test_a_range_typed_the_wrong_way_round_is_named_beside_it_not_as_a_broken_link():
    """The range's widget writes the user's text into the address; the next run must not read it back as a shared
    link that could not be used. A link that carries the same text to a new session is still named as one."""
    at = _run("pages/4_Risk.py", centre_on="true")
    at.text_input(key="range_contact_rate").set_value("5 to 0.2").run()
    at.run()                                                                    # any later run of the page
    assert not any("Part of the link could not be used" in w.value for w in at.warning)
    assert any("Contact rate: '5 to 0.2' cannot be used" in e.value for e in at.error)
    shared = _run("pages/4_Risk.py", centre_on="true", range_contact_rate="5 to 0.2")
    assert any("Part of the link could not be used" in w.value and "range\\_contact\\_rate" in w.value
               for w in shared.warning)
