"""Controls: link parameters are parsed strictly; values map to the intended scenario."""

from __future__ import annotations

import pytest

from sim.params import Levers
from ui import format as fmt
from ui.controls import BY_KEY, check_params, defaults, describe_levers, scenario_of


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
    assert s.levers.centre is not None and s.finance.currency == "EUR"
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
    from ui.controls import parse_range

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
