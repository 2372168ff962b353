"""Every chart builder gives a Vega-Lite spec that passes Altair's schema validation.

The pages hand specs to Streamlit without validating them (it costs as much as building the chart),
so the validation happens here, for every builder, with and without draws.
"""

from __future__ import annotations

import pytest

from sim.engine import simulate
from sim.examples import saas
from sim.params import MON_FRI, Levers, RegionalCentre, Scenario
from ui import charts


@pytest.fixture(scope="module")
def projection():
    return simulate(Scenario(saas(), levers=Levers(centre=RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500,
                                                                         60000))), draws=200)


def test_every_chart_is_valid_vega_lite(projection):
    p = projection
    built = [
        charts.fan(charts.fan_data(p.uncertainty.bands, "csat_pct"), "CSAT", "CSAT (%)", ".1%"),
        charts.cash_fan(p), charts.npv_histogram(p), charts.tornado(p), charts.rank_correlation(p),
        charts.response_by_region(p.response, "email"), charts.waterfall(p),
    ]
    for chart in built:
        spec = charts.localized(chart, "EUR").to_dict(validate=True)
        assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_fan_spec_is_built_once_and_carries_no_data(projection):
    first = charts.fan_spec("CSAT", "CSAT (%)", ".1%", "USD")
    assert charts.fan_spec("CSAT", "CSAT (%)", ".1%", "USD") is first
    assert "datasets" not in first and "data" not in first
    rows = charts.fan_data(projection.uncertainty.bands, "csat_pct")
    assert set(rows["variant"]) == {"baseline", "scenario"} and len(rows) == 2 * 36
    assert (rows["p10"] <= rows["p90"]).all()
