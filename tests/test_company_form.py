"""The company form: every example round-trips, a blank form asks for what only the user knows, bad input is
named by field and row while everything else is kept, and no draft whatever makes the check raise."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import ecommerce, saas, simulate
from model.params import Scenario
from view.company_form import (
    COMPANY_FIELDS,
    blank_draft,
    check,
    days_text,
    draft_from_dict,
    draft_of,
    draft_to_dict,
    parse_days,
    with_currency,
)


def kasza_draft():
    """A Polish B2B SaaS typed into a blank form: the new user's own company, not an example."""
    d = blank_draft("PLN")
    values = {**d.values, "customers": 2500, "new_customers_per_month": 40, "arpu_per_month": 1200,
              "gross_margin_pct": 75, "churn_monthly_pct": 2, "nps_today": 22, "csat_today_pct": 81,
              "contact_rate_per_customer_month": 0.9}
    return dataclasses.replace(
        d, name="Kasza", values=values,
        regions=[{"name": "Europe", "utc_offset_h": 1, "share_pct": 55, "business_open_h": 9, "business_close_h": 17},
                 {"name": "US East", "utc_offset_h": -5, "share_pct": 35, "business_open_h": 9, "business_close_h": 17},
                 {"name": "Asia", "utc_offset_h": 8, "share_pct": 10, "business_open_h": 9, "business_close_h": 17}],
        channels=[{"name": "email", "share_pct": 80, "handle_time_min": 9, "target_response_h": 8, "concurrency": 1},
                  {"name": "chat", "share_pct": 20, "handle_time_min": 11, "target_response_h": 0.1, "concurrency": 2}],
        sites=[{"name": "Warsaw", "utc_offset_h": 1, "open_h": 8, "close_h": 16, "open_days": "Mon-Fri",
                "headcount": 8, "shrinkage_pct": 30, "loaded_cost_per_agent_month": 14000}])


@pytest.mark.parametrize("make, currency", [(saas, "USD"), (ecommerce, "EUR")])
def test_an_example_reads_back_as_itself(make, currency):
    company, problems = check(draft_of(make(), currency))
    assert problems == [] and company == make()


def test_a_blank_form_holds_nothing_about_another_company_and_names_what_is_missing():
    draft = blank_draft("PLN")
    assert draft.name == "" and draft.values["customers"] is None and draft.values["arpu_per_month"] is None
    company, problems = check(draft)
    assert company is None
    missing = {p.where for p in problems}
    for label in ("Company name", "Customers today", "Revenue per customer a month (ARPU)", "Gross margin",
                  "Churn a month", "NPS today", "CSAT today", "Contacts a month per customer",
                  "Support sites, row 1, Agents", "Support sites, row 1, Cost per agent-month",
                  "Channels, row 1 (email), Handle time (min)"):
        assert label in missing, label
    # defaults with a published source are filled in: shrinkage, first-contact resolution
    assert draft.sites[0]["shrinkage_pct"] == 30.0 and draft.values["first_contact_resolution_pct"] == 70.0


def test_kasza_entered_from_a_blank_form_is_her_company_and_runs():
    company, problems = check(kasza_draft())
    assert problems == []
    assert company.name == "Kasza" and company.customers == 2500 and company.gross_margin_pct == 0.75
    assert company.churn_monthly_pct == pytest.approx(0.02) and company.sites[0].name == "Warsaw"
    assert company.sites[0].open_h == 8 and company.sites[0].open_days == (0, 1, 2, 3, 4)
    assert [r.share_pct for r in company.regions] == pytest.approx([0.55, 0.35, 0.10])
    assert company.channels[1].concurrency == 2 and company.channels[0].concurrency == 1
    p = simulate(Scenario(company))
    assert p.summary.npv == 0.0 and p.variant("baseline")["csat_pct"].iloc[0] == pytest.approx(0.81, abs=0.01)


def test_bad_input_is_named_by_field_and_row_and_the_rest_is_kept():
    d = kasza_draft()
    bad = dataclasses.replace(
        d, name="K" * 10_000,
        regions=[{**d.regions[0], "share_pct": 140}, *d.regions[1:]],
        sites=[{**d.sites[0], "close_h": 25, "headcount": -3}])
    company, problems = check(bad)
    text = [str(p) for p in problems]
    assert company is None
    assert "Company name: at most 100 characters (this one has 10,000)" in text
    assert "Customer regions, row 1 (Europe), Share of customers (%): 140 is outside 0 to 100 %" in text
    assert "Support sites, row 1 (Warsaw), Closes (h): 25 is outside 0.25 to 24" in text
    assert "Support sites, row 1 (Warsaw), Agents: -3 is outside 0 to 10000" in text
    # nothing typed is lost: the draft still holds every value, the bad ones included
    again = draft_from_dict(json.loads(json.dumps(draft_to_dict(bad))))
    assert again.name == "K" * 10_000 and again.regions[0]["share_pct"] == 140 and again.sites[0]["close_h"] == 25
    assert again.values == bad.values


def test_shares_that_do_not_add_up_say_what_they_add_to():
    d = kasza_draft()
    _, problems = check(dataclasses.replace(d, channels=[{**d.channels[0], "share_pct": 70}, d.channels[1]]))
    assert [str(p) for p in problems] == ["Channels: the shares add to 90 %, not 100 %"]


@pytest.mark.parametrize("cell, message", [
    ("abc", "'abc' is not a number"), (float("inf"), "expected a finite number"), ("", "needs a value (agents)"),
])
def test_a_cell_that_is_not_a_number_is_named(cell, message):
    d = kasza_draft()
    _, problems = check(dataclasses.replace(d, sites=[{**d.sites[0], "headcount": cell}]))
    assert [str(p) for p in problems] == [f"Support sites, row 1 (Warsaw), Agents: {message}"]


def test_repeated_names_unknown_channels_and_empty_tables_are_named():
    d = kasza_draft()
    _, problems = check(dataclasses.replace(d, sites=[d.sites[0], d.sites[0]], regions=[],
                                            channels=[{**d.channels[0], "name": "fax", "share_pct": 100}]))
    text = [str(p) for p in problems]
    assert "Support sites: names must not repeat: Warsaw" in text
    assert "Customer regions: add at least one row" in text
    assert "Channels, row 1 (fax), Channel: choose e-mail, chat or phone (not 'fax')" in text


def test_a_site_that_opens_and_closes_at_the_same_hour_is_named():
    d = kasza_draft()
    _, problems = check(dataclasses.replace(d, sites=[{**d.sites[0], "open_h": 9, "close_h": 9}]))
    assert [p.where for p in problems] == ["Support sites, row 1 (Warsaw), Opens (h)"]


@pytest.mark.parametrize("text, days", [
    ("Mon-Fri", (0, 1, 2, 3, 4)), ("mon - sat", (0, 1, 2, 3, 4, 5)), ("Every day", tuple(range(7))),
    ("Sun-Thu", (0, 1, 2, 3, 6)), ("Mon, Wed, Fri", (0, 2, 4)), ("Sat", (5,)), ("Fri-Mon", (0, 4, 5, 6)),
])
def test_open_days_are_read_as_a_manager_writes_them(text, days):
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["", "weekdays", "Mon-Fri-Sun", None, "Mon,,Xyz"])
def test_open_days_that_cannot_be_read_say_how_to_write_them(text):
    with pytest.raises(ValueError, match="Mon-Fri"):
        parse_days(text)


@given(st.sets(st.integers(0, 6), min_size=1))
def test_open_days_read_back_as_written(days):
    assert parse_days(days_text(tuple(days))) == tuple(sorted(days))


def test_a_new_currency_converts_every_amount_or_only_the_label():
    d = kasza_draft()
    euros = with_currency(d, "EUR", 0.23)
    assert euros.currency == "EUR" and euros.values["arpu_per_month"] == pytest.approx(276)
    assert euros.sites[0]["loaded_cost_per_agent_month"] == pytest.approx(3220)
    assert euros.values["customers"] == 2500                    # not an amount
    relabelled = with_currency(d, "EUR", None)
    assert relabelled.values == d.values and relabelled.currency == "EUR"


cells = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6),
                  st.text(max_size=12), st.booleans())
rows = st.lists(st.dictionaries(st.sampled_from(["name", "utc_offset_h", "share_pct", "open_h", "close_h",
                                                  "open_days", "headcount", "shrinkage_pct", "handle_time_min",
                                                  "target_response_h", "concurrency", "business_open_h",
                                                  "business_close_h", "loaded_cost_per_agent_month"]), cells),
                max_size=4)


@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=200), values=st.dictionaries(st.sampled_from([f.key for f in COMPANY_FIELDS]), cells),
       regions=rows, channels=rows, sites=rows, currency=st.sampled_from(["PLN", "USD", "XXX"]))
def test_no_draft_makes_the_check_raise_and_a_clean_check_gives_a_valid_company(name, values, regions, channels,
                                                                              sites, currency):
    draft = dataclasses.replace(kasza_draft(), name=name, values={**kasza_draft().values, **values},
                                regions=regions, channels=channels, sites=sites, currency=currency)
    company, problems = check(draft)
    assert (company is None) == bool(problems)
    assert all(p.where and p.message for p in problems)
    kept = draft_from_dict(json.loads(json.dumps(draft_to_dict(draft), allow_nan=False)))
    assert kept.name == draft.name and len(kept.regions) == len(regions)


def test_figures_measured_from_the_data_fill_the_form_in_its_units_and_say_which():
    from view.company_form import fill_from

    filled, labels = fill_from(kasza_draft(), {"customers": 2380.0, "churn_monthly_pct": 0.021,
                                               "share_pct:email": 0.75, "share_pct:chat": 0.25, "unknown": 3.0})
    assert filled.values["customers"] == 2380 and filled.values["churn_monthly_pct"] == pytest.approx(2.1)
    assert [r["share_pct"] for r in filled.channels] == [75.0, 25.0]
    assert labels == ["Customers today", "Churn a month", "share of e-mail", "share of chat"]
    assert check(filled)[1] == []


def test_sites_say_which_regions_they_serve_first_and_whether_they_help():
    draft = kasza_draft()
    manila = {**draft.sites[0], "name": "Manila", "utc_offset_h": 8.0, "serves": "asia; us east",
              "helps_others": False}
    company, problems = check(dataclasses.replace(draft, sites=[draft.sites[0], manila]))
    assert problems == []
    assert company.sites[1].serves == ("Asia", "US East") and company.sites[1].helps_others is False
    assert company.sites[0].serves == () and company.sites[0].helps_others is True
    back = draft_of(company, "PLN")
    assert back.sites[1]["serves"] == "Asia, US East" and back.sites[1]["helps_others"] is False


def test_routing_that_cannot_work_is_named():
    draft = kasza_draft()
    first = {**draft.sites[0], "serves": "Europe, Mars"}
    second = {**draft.sites[0], "name": "Manila", "serves": "Europe", "helps_others": True}
    idle = {**draft.sites[0], "name": "Idle", "serves": "", "helps_others": False}
    _, problems = check(dataclasses.replace(draft, sites=[first, second, idle]))
    said = {p.where: p.message for p in problems}
    assert "'Mars' is not in the customer regions" in said["Support sites, row 1 (Warsaw), Serves first"]
    assert "Europe is already served first by Warsaw" in said["Support sites, row 2 (Manila), Serves first"]
    assert "would answer no ticket" in said["Support sites, row 3 (Idle), Helps other sites"]


def test_chats_at_once_may_be_left_empty_on_a_channel_that_is_not_chat():
    """A phone row added in the editor arrives without 'Chats at once' (chat only, 1 elsewhere); a chat row needs it."""
    d = kasza_draft()
    email, chat = d.channels
    phone = {"name": "phone", "share_pct": 10, "handle_time_min": 7, "target_response_h": 0.01, "concurrency": None}
    company, problems = check(dataclasses.replace(d, channels=[{**email, "share_pct": 70}, chat, phone]))
    assert not problems and company is not None
    assert [c.concurrency for c in company.channels] == [1.0, 2.0, 1.0]
    _, problems = check(dataclasses.replace(d, channels=[email, {**chat, "concurrency": None}]))
    assert [str(p) for p in problems] == ["Channels, row 2 (chat), Chats at once: needs a value (conversations)"]
