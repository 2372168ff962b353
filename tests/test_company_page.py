"""The Your company page in AppTest: Kasza typed into a blank form, every problem named while typing, saved,
then every page runs on her company (her site in the levers, her currency, her name in the case)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

TIMEOUT = 60
KASZA = {"Customers today": 2500, "New customers a month": 40, "Revenue per customer a month": 1200,
         "Gross margin": 75, "Churn a month": 2, "NPS today": 22, "CSAT today": 81,
         "Contacts a month per customer": 0.9}
REGIONS = {"edited_rows": {0: {"name": "Europe", "utc_offset_h": 1, "share_pct": 55}},
           "added_rows": [{"name": "US East", "utc_offset_h": -5, "share_pct": 35, "business_open_h": 9,
                           "business_close_h": 17},
                          {"name": "Asia", "utc_offset_h": 8, "share_pct": 10, "business_open_h": 9,
                           "business_close_h": 17}],
           "deleted_rows": []}
CHANNELS = {"edited_rows": {0: {"share_pct": 80, "handle_time_min": 9, "target_response_h": 8}},
            "added_rows": [{"name": "chat", "share_pct": 20, "handle_time_min": 11, "target_response_h": 0.1,
                            "concurrency": 2}],
            "deleted_rows": []}
SITES = {"edited_rows": {0: {"name": "Warsaw", "utc_offset_h": 1, "open_h": 8, "close_h": 16, "headcount": 8,
                             "loaded_cost_per_agent_month": 14000}},
         "added_rows": [], "deleted_rows": []}


def company_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/11_Company.py")
    return at.run()


def number(at: AppTest, label: str):
    return next(n for n in at.number_input if n.label.startswith(label))


def said(at: AppTest) -> str:
    """What the page's success boxes say, as read (the page escapes markdown, e.g. "\\(" for "(")."""
    return "\n".join(s.value for s in at.success).replace("\\", "")


def problems(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("- **"))


def type_kasza(at: AppTest, sites: dict = SITES) -> AppTest:
    at.text_input[0].set_value("Kasza")
    at.selectbox(key="company_form_currency").set_value("PLN")
    for label, value in KASZA.items():
        number(at, label).set_value(value)
    at.run()
    at.session_state["_company_table_regions_0_PLN"] = REGIONS
    at.session_state["_company_table_channels_0_PLN"] = CHANNELS
    at.session_state["_company_table_sites_0_PLN"] = sites
    return at.run()


def test_a_blank_form_names_what_is_missing_and_nothing_of_an_example():
    at = company_page()
    assert not at.exception
    text = problems(at)
    assert "Company name**: needs a name" in text and "Customers today**: needs a value" in text
    assert "Northwind" not in text and all(n.value is None for n in at.number_input
                                           if n.label.startswith(("Customers today", "Revenue per customer")))
    assert next(b for b in at.button if b.label == "Save company").disabled


def test_bad_input_is_named_and_the_rest_is_kept():
    at = type_kasza(company_page(), sites={"edited_rows": {0: {**SITES["edited_rows"][0], "close_h": 25,
                                                               "headcount": -3}},
                                           "added_rows": [], "deleted_rows": []})
    number(at, "Gross margin").set_value(140)
    at.text_input[0].set_value("K" * 10_000)
    at.run()
    text = problems(at).replace("\\", "")         # the page escapes markdown: "\\(" shows as "("
    assert "Company name**: at most 100 characters (this one has 10,000)" in text
    assert "Gross margin**: 140 is outside 0 to 100 %" in text
    assert "Support sites, row 1 (Warsaw), Closes (h)**: 25 is outside 0.25 to 24" in text
    assert "Support sites, row 1 (Warsaw), Agents**: -3 is outside 0 to 10000" in text
    assert number(at, "Customers today").value == 2500 and number(at, "Churn a month").value == 2
    # the draft is kept in the workspace as typed: a new session finds it
    again = company_page()
    assert again.text_input[0].value == "K" * 10_000 and number(again, "Gross margin").value == 140


def test_kasza_saved_is_the_company_every_page_runs_on():
    at = type_kasza(company_page())
    assert problems(at) == ""
    assert "Kasza: 2\xa0500 customers at 1\xa0200\xa0zł a month" in said(at)
    next(b for b in at.button if b.label == "Save company").click()
    at.run()
    assert "Saved 'Kasza' (revision 1)" in said(at)
    assert at.sidebar.selectbox(key="company").value == "Kasza"
    # her amounts are entered in złoty: the currency is hers, shown, and changed only on the company page
    assert any("Currency: PLN, the company's own" in c.value for c in at.sidebar.caption)
    assert not [s for s in at.sidebar.selectbox if s.key == "currency"]

    at.switch_page("pages/1_Scenario.py").run()
    assert not at.exception
    assert any("Kasza: 8 agents in Warsaw (UTC+1, 8-16 local)" in c.value.replace("\\", "") for c in at.caption)
    hire = next(s for s in at.slider if s.label.startswith("Agents to add at"))
    assert hire.label == "Agents to add at Warsaw"
    hire.set_value(3).run()
    sentence = next(i.value for i in at.info if "is worth" in i.value)
    assert sentence.startswith("Hiring 3 agents in Warsaw is worth an NPV of") and "zł" in sentence


def test_a_saved_company_is_opened_changed_and_keeps_its_revisions():
    at = type_kasza(company_page())
    next(b for b in at.button if b.label == "Save company").click()
    at.run()
    at.selectbox(key="_company_source").set_value("Kasza")
    at.run()
    next(b for b in at.button if b.key == "_company_open").click()
    at.run()
    assert at.text_input[0].value == "Kasza" and any("Changing your saved company (revision 1)" in c.value
                                                      for c in at.caption)
    number(at, "Customers today").set_value(2600)
    at.run()
    next(b for b in at.button if b.label == "Save company").click()
    at.run()
    assert "Saved 'Kasza' (revision 2)" in said(at)


@pytest.mark.parametrize("name", ["B2B SaaS", "E-commerce"])
def test_an_example_name_is_not_taken_by_a_company(name):
    at = type_kasza(company_page())
    at.text_input[0].set_value(name)
    at.run()
    assert "is the name of an example; choose your own" in problems(at)


def test_a_link_cannot_relabel_her_amounts_in_another_currency():
    at = type_kasza(company_page())
    next(b for b in at.button if b.label == "Save company").click()
    at.run()
    at.query_params["currency"] = "EUR"
    at.query_params["hire_agents"] = "2"
    at.switch_page("pages/1_Scenario.py").run()
    sentence = next(i.value for i in at.info if "is worth" in i.value)
    assert "zł" in sentence and "€" not in sentence


def test_sites_read_from_the_ticket_export_fill_the_sites_table():
    from tests.test_sites import replies

    team = {**{f"W{i}": (7.0, 15.0, (0, 1, 2, 3, 4)) for i in range(5)},
            **{f"N{i}": (14.0, 22.0, (0, 1, 2, 3, 4)) for i in range(3)}}
    frame = replies(team)
    csv = frame.assign(**{"Id": range(1, len(frame) + 1),
                          "Created at": frame["created"].dt.strftime("%Y-%m-%d %H:%M:%S"),
                          "First reply time in minutes": 30, "Assignee": frame["agent"]})[
        ["Id", "Created at", "First reply time in minutes", "Assignee"]].to_csv(index=False).encode()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/5_Data.py").run()
    at.file_uploader(key="upload_tickets").set_value(("tickets.csv", csv, "text/csv")).run()
    at.switch_page("pages/11_Company.py").run()
    assert not at.exception
    assert any(e.label == "Sites from your tickets (2)" for e in at.expander)
    shown = at.dataframe[0].value
    assert shown["Replies in (UTC)"].tolist() == ["07:00-15:00", "14:00-22:00"] and shown["Agents"].tolist() == [5, 3]
    next(b for b in at.button if b.label == "Use these sites in the form").click()
    at.run()
    sites = at.data_editor[2].value
    assert sites["name"].tolist() == ["Site 1", "Site 2"] and sites["headcount"].tolist() == [5.0, 3.0]
    assert sites["utc_offset_h"].tolist() == [2.0, -5.0] and sites["open_days"].tolist() == ["Mon-Fri", "Mon-Fri"]
    assert "Filled from your data: 2 support sites" in "\n".join(i.value for i in at.info)


def test_home_shows_her_company_without_an_invented_case():
    at = type_kasza(company_page())
    next(b for b in at.button if b.label == "Save company").click()
    at.run()
    at.switch_page("app.py").run()
    assert not at.exception
    assert at.info[0].value.startswith("No lever is pulled yet")
    about = " ".join(m.value for m in at.markdown).replace("\\", "").replace("\xa0", " ")
    assert "Kasza." in about and "8 agents in Warsaw" in about and "Northwind" not in about


def test_filling_from_data_of_other_decades_says_what_is_hard_to_believe():
    from tests.uploads import old_purchase_log_csv, tickets_csv

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/5_Data.py").run()
    at.file_uploader(key="upload_tickets").set_value(("tickets.csv", tickets_csv(1500), "text/csv")).run()
    at.file_uploader(key="upload_customers").set_value(("purchases.csv", old_purchase_log_csv(), "text/csv")).run()
    at.switch_page("pages/11_Company.py").run()
    next(b for b in at.button if b.label == "Fill from your data").click()
    at.run()
    assert not at.exception
    assert any(i.value.startswith("Filled from your data: Customers today") for i in at.info)
    warning = next(w.value for w in at.warning if "Hard to believe" in w.value).replace("\\", "")
    assert "the customers Jan 1997 to Dec 1998" in warning and "years apart" in warning
    assert number(at, "Customers today").value is not None          # filled, to be checked before saving


def test_filling_the_revenue_per_customer_from_amounts_in_another_currency_says_so():
    """A customer table in złoty fills a form in dollars: its mean MRR is written as dollars, and the page says the
    file's amounts are in zł before the form is saved."""
    content = ("customer_id,start,end,mrr\n" + "".join(
        f"C-{i},2024-0{1 + i % 6}-01,,\"{400 + i},50 zł\"\n" for i in range(40))).encode()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/5_Data.py").run()
    at.file_uploader(key="upload_customers").set_value(("klienci.csv", content, "text/csv")).run()
    at.switch_page("pages/11_Company.py").run()
    next(b for b in at.button if b.label == "Fill from your data").click()
    at.run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "Hard to believe" in w.value).replace("\\", "")
    assert "klienci.csv: the amounts in 'mrr' are written with 'zł', but this case counts in USD." in warning


def test_her_lever_amounts_start_from_her_own_costs_and_her_centre_answers_a_region_she_names():
    """No example's dollars in her case: the centre's cost per agent, the set-up and the hiring cost start from
    Warsaw's 14,000 zł; the centre lists her regions, answers US East first, and a US East centre cuts US East."""
    at = type_kasza(company_page())
    next(b for b in at.button if b.label == "Save company").click()
    at.run()
    at.switch_page("pages/1_Scenario.py").run()
    assert at.number_input(key="centre_cost_per_agent_month").value == 14000
    assert at.number_input(key="hire_cost_per_agent").value == 14000
    assert at.number_input(key="centre_setup_cost").value == 140000
    at.toggle(key="centre_on").set_value(True).run()
    at.slider(key="centre_utc_offset_h").set_value(-5.0).run()
    serves = at.selectbox(key="centre_serves")
    assert serves.options == ["Nearest region", "Europe", "US East", "Asia", "No region (shares the queue)"]
    sentence = next(i.value for i in at.info if "is worth" in i.value)
    assert "centre in UTC-5 that answers US East first" in sentence
    table = at.dataframe[0].value
    us = table[(table["Region"] == "US East")].set_index("Case")["Mean, business hours (h)"]
    hours = {case: float(str(v).replace("\xa0", "").replace(",", ".")) for case, v in us.items()}
    assert hours["Baseline"] > 12.0 and hours["Scenario"] < 1.0
    # Back on an example, its own catalogue amounts return.
    at.sidebar.selectbox(key="company").set_value("B2B SaaS").run()
    assert at.number_input(key="centre_cost_per_agent_month").value == 5500


def _save_scenario(at: AppTest, name: str) -> AppTest:
    next(t for t in at.text_input if t.label == "Name").set_value(name)
    next(t for t in at.text_input if t.label == "Your name").set_value("Kasia")
    return next(b for b in at.button if b.label == "Save as a new scenario").click().run()


def test_kasza_walks_both_options_to_compare_and_present():
    """Her question, end to end in AppTest: hire 3 in Warsaw, or a 3-person centre on the US East coast; both
    saved, compared side by side on her company, presented with her name and inputs, and the US centre is the
    one that answers US East the same day."""
    at = type_kasza(company_page())
    next(b for b in at.button if b.label == "Save company").click()
    at.run()
    at.switch_page("pages/1_Scenario.py").run()
    at.slider(key="hire_agents").set_value(3).run()
    at = _save_scenario(at, "Hire 3 in Warsaw")
    at.slider(key="hire_agents").set_value(0).run()
    at.toggle(key="centre_on").set_value(True).run()
    at.slider(key="centre_utc_offset_h").set_value(-5.0).run()
    at.slider(key="centre_headcount").set_value(3).run()
    assert "that answers US East first" in next(i.value for i in at.info if "is worth" in i.value)
    at = _save_scenario(at, "US East centre")
    assert not at.exception

    at.switch_page("pages/9_Compare.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table.columns) == {"Figure", "Hire 3 in Warsaw", "US East centre"}
    assert table.iloc[0].tolist()[1:] == ["Kasza", "Kasza"]
    assert "zł" in table.iloc[1, 1]

    at.switch_page("pages/10_Present.py").run()
    assert not at.exception
    assert at.title[0].value.replace("\\", "") == "Opening a 3-agent centre in UTC-5 that answers US East first"
    captions = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "Kasza · amounts in PLN" in captions
    assert "Today: 2 500 customers at 1 200 zł a month" in captions.replace("\xa0", " ")
    assert "8 agents in Warsaw" in captions


def test_the_currency_says_where_to_change_it_once_amounts_are_typed():
    at = company_page()
    assert not any("Fixed while amounts are typed" in c.value for c in at.caption)
    at = type_kasza(at)
    assert at.selectbox(key="company_form_currency").disabled
    assert any("Fixed while amounts are typed: change it under 'Change the currency'" in c.value for c in at.caption)
