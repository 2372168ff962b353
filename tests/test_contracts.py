"""Contracts across the package: model stays pure, scenarios round-trip as JSON, inputs are validated."""

from __future__ import annotations

import subprocess
import sys

import pytest

from model.examples import ecommerce, saas
from model.params import MON_FRI, Company, Levers, Scenario, Site
from model.serialize import scenario_from_json, scenario_to_json
from tests.conftest import ROOT


def test_importing_everything_but_the_glue_does_not_import_streamlit():
    code = ("import sys, model, intake.uploads, intake.metrics, calibration, view.charts, view.controls, exports, store; "
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("make", [saas, ecommerce])
def test_scenario_json_round_trip(make, dublin):
    scenario = Scenario(make(), levers=Levers(centres=(dublin,) if make is saas else ()))
    assert scenario_from_json(scenario_to_json(scenario)) == scenario


@pytest.mark.parametrize("text, reason", [
    ("not json", "not valid JSON"),
    ('{"schema_version": 99, "scenario": {}}', "schema_version"),
    ('{"schema_version": 1, "scenario": {"name": 3}}', "name: expected text"),
    ('{"schema_version": 1, "scenario": {"name": "x"}}', "Scenario is incomplete: missing company"),
])
def test_bad_scenario_json_is_refused_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        scenario_from_json(text)


def test_tampered_values_are_caught_by_validation():
    text = scenario_to_json(Scenario(saas())).replace('"churn_monthly_pct": 0.015', '"churn_monthly_pct": 1.5')
    with pytest.raises(ValueError, match="churn"):
        scenario_from_json(text)


def test_company_validation_names_the_problem():
    good = saas()
    with pytest.raises(ValueError, match="channel shares"):
        Company(**{**good.__dict__, "channels": good.channels[:1]})
    with pytest.raises(ValueError, match="opening and closing hour are the same"):
        Site("X", 0.0, 9.0, 9.0, MON_FRI, 3.0, 0.3, 1000.0)
    assert Site("Night", 0.0, 18.0, 9.0, MON_FRI, 3.0, 0.3, 1000.0).open_hours_per_week == 75.0
