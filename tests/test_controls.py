"""Controls: link parameters are parsed strictly; values map to the intended scenario."""

from __future__ import annotations

import json

import pytest

from model.params import Levers
from view import format as fmt
from view.controls import BY_KEY, check_params, defaults, describe_levers, scenario_of


def test_defaults_are_the_baseline():
    scenario = scenario_of(defaults())
    assert scenario.levers == Levers()
    assert scenario.finance.currency == "USD"


@pytest.mark.parametrize("params, notice", [
    ({"hire_agents": "abc"}, "expected a number"),
    ({"hire_agents": "1e9"}, "expected -10 to 30"),
    ({"deflection_pct": "0.95"}, "expected 0 % to 80 %"),
    ({"horizon_months": "37"}, "expected a step of 6 from 12"),
    ({"deflection_pct": "nan"}, "finite"),
    ({"company": "'; DROP TABLE scenarios;--"}, "expected one of"),
    ({"centre_on": "<script>"}, "true or false"),
    ({"x" * 500: "1"}, "unknown link parameter"),
])
def test_hostile_link_parameters_are_ignored_with_a_notice(params, notice):
    accepted, notices = check_params(params)
    assert accepted == {}
    assert len(notices) == 1 and notice in notices[0]
    assert len(notices[0]) < 200


def test_valid_link_parameters_are_accepted():
    accepted, notices = check_params({"hire_agents": "3", "centre_on": "true", "deflection_pct": "0.25"})
    assert notices == []
    assert accepted == {"hire_agents": 3, "centre_on": True, "deflection_pct": 0.25}


def test_values_become_levers():
    s = scenario_of({"company": "E-commerce", "hire_agents": 2, "extra_hours_per_day": 3, "centre_on": True})
    assert s.levers.hires[0].site == "Krakow" and s.levers.hires[0].agents == 2
    assert s.levers.extended_hours[0].extra_hours_per_day == 3
    assert s.levers.centres and s.finance.currency == "EUR"
    assert "Hiring 2 agents in Krakow" == describe_levers({"company": "E-commerce", "hire_agents": 2})
    assert "Not replacing 1 agent in Krakow" == describe_levers({"company": "E-commerce", "hire_agents": -1})


def test_every_control_default_is_inside_its_range():
    for c in BY_KEY.values():
        if c.kind in ("slider", "number"):
            assert c.min <= c.default <= c.max, c.key


@pytest.mark.parametrize("currency, expected", [
    ("USD", "$1.2M"), ("EUR", "1,2 Mio. €"), ("GBP", "£1.2M"), ("PLN", "1,2 mln zł"), ("HUF", "1,2 M Ft"),
    ("RUB", "1,2 млн ₽"),
])
def test_money_is_formatted_in_the_currency_locale(currency, expected):
    assert fmt.money(1_234_567, currency) == expected.replace(" ", "\xa0") or \
        fmt.money(1_234_567, currency).replace("\xa0", " ") == expected


def test_small_amounts_and_missing_values():
    assert fmt.money(950.4, "USD") == "$950"
    assert fmt.money(float("nan"), "USD") == "n/a"
    assert fmt.duration_h(0.25) == "15 min" and fmt.duration_h(10.04) == "10.0 h"


def test_range_text_is_read_or_refused_with_a_reason():
    from view.controls import parse_range

    assert parse_range("0.85 to 1.15") == (0.85, 1.15)
    assert parse_range(".5-1.5") == (0.5, 1.5)
    assert parse_range("0,8 – 1,2") == (0.8, 1.2)
    assert parse_range("1") == (1.0, 1.0)
    for bad, reason in (("1 to", "low to high"), ("to 2", "low to high"), ("2 to 1", "above the high end"),
                        ("1e-300 to 1", "0.05 to 20"), ("0.5 to 50", "0.05 to 20"), ("abc", "numbers"),
                        ("nan to 1", "finite"), ("1" + " " * 100 + "x", "40 characters")):
        with pytest.raises(ValueError, match=reason):
            parse_range(bad)
    with pytest.raises(ValueError, match="40 characters"):                # refused before any parsing
        parse_range("1" + " " * 32_000 + "x")


def test_hostile_range_link_is_ignored_with_a_notice():
    accepted, notices = check_params({"range_contact_rate": "1e-300 to 1", "draws": "99999"})
    assert not accepted
    assert any("range_contact_rate" in n and "0.05 to 20" in n for n in notices)
    assert any("draws" in n for n in notices)


def _control_value(c):
    """A strategy for any value the control ``c`` accepts."""
    from hypothesis import strategies as hs

    from view.controls import range_text
    if c.kind == "toggle":
        return hs.booleans()
    if c.kind == "select":
        return hs.sampled_from([o for o in c.options if o != ""])
    if c.kind == "plan":            # a scenario file without controls is read back lever by lever (no plan)
        return hs.just("")
    if c.kind == "range":
        return hs.tuples(hs.sampled_from([0.5, 0.8, 0.9, 1.0]), hs.sampled_from([1.0, 1.2, 1.5, 2.0])).map(
            lambda lh: range_text(*lh))
    if c.kind == "slider":
        steps = int(round((c.max - c.min) / c.step))
        as_int = isinstance(c.default, int)
        return hs.integers(0, steps).map(lambda k: int(round(c.min + k * c.step)) if as_int
                                         else round(c.min + k * c.step, 10))
    return hs.integers(int(c.min), int(min(c.max, 10**6)))


def test_controls_of_reads_back_every_control_setting():
    """Property: the controls read back from a scenario describe that same scenario."""
    from hypothesis import given, settings
    from hypothesis import strategies as hs

    from view.controls import CONTROLS, controls_of

    levers = [c for c in CONTROLS if c.key not in ("draws",)]

    @settings(max_examples=150, deadline=None)
    @given(hs.fixed_dictionaries({c.key: _control_value(c) for c in levers}))
    def check(values):
        scenario = scenario_of(values)
        back, notes = controls_of(scenario)
        assert notes == []
        assert scenario_of(back) == scenario

    check()


def test_controls_of_names_what_the_controls_cannot_hold():
    from dataclasses import replace

    from model.examples import saas
    from model.params import HireAgents, RegionalCentre, Scenario
    from view.controls import controls_of

    company = replace(saas(), churn_monthly_pct=0.02)
    odd = Scenario(company, levers=Levers(
        hires=(HireAgents("New York", 3), HireAgents("New York", 2, start_month=6)),
        centres=(RegionalCentre("Manila", 8.0, 22, 6, (0, 2, 4), 7.3, 3000, 10000),)))
    values, notes = controls_of(odd)
    text = " ".join(notes)
    assert "differ from the example" in text
    assert "open days [0, 2, 4]" in text and "centre_headcount" in text
    assert values["hire_agents"] == 3 and values["centre_on"] is True and values["centre_days"] == "Mon-Fri"
    # the second change of headcount is not a lever: it comes back as a plan action
    assert json.loads(values["plan"]) == [{"do": "hire", "site": "New York", "agents": 2, "month": 6}]
    assert values["centre_headcount"] == BY_KEY["centre_headcount"].default


def test_link_parameters_that_are_not_controls_are_left_to_the_store():
    accepted, notices = check_params({"scenario": "x' OR 1=1", "ws": "abc", "hire_agents": "2"})
    assert accepted == {"hire_agents": 2} and notices == []
