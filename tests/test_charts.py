"""Every chart builder gives a Vega-Lite spec that passes Altair's schema validation.

The pages hand specs to Streamlit without validating them (it costs as much as building the chart),
so the validation happens here, for every builder, with and without draws.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from model.engine import simulate
from model.examples import saas
from model.params import MON_FRI, Levers, RegionalCentre, Scenario
from view import charts


@pytest.fixture(scope="module")
def projection():
    return simulate(Scenario(saas(), levers=Levers(centres=(RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500,
                                                                          60000),))), draws=200)


def test_every_chart_is_valid_vega_lite(projection):
    p = projection
    built = [
        charts.fan(charts.fan_data(p.uncertainty, "csat_pct"), "CSAT", "CSAT (%)", ".1%"),
        charts.cash_fan(p), charts.npv_histogram(p), charts.tornado(p), charts.rank_correlation(p),
        charts.response_by_region(charts.response_by_region_data(p.response, "email"), "email"), charts.waterfall(p),
    ]
    from view import compare
    cases = [compare.Case("A", p), compare.Case("B", p)]
    built += [charts.compare_lines(compare.overlay(cases, "csat_pct"), "CSAT", "CSAT (%)", ".1%"),
              charts.compare_cash(compare.cumulative_cash(cases), "EUR")]
    for chart in built:
        spec = charts.localized(chart, "EUR").to_dict(validate=True)
        assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_fan_spec_is_built_once_and_carries_no_data(projection):
    first = charts.fan_spec("CSAT", "CSAT (%)", ".1%", "USD")
    assert charts.fan_spec("CSAT", "CSAT (%)", ".1%", "USD") is first
    assert "datasets" not in first and "data" not in first
    rows = charts.fan_data(projection.uncertainty, "csat_pct")
    assert set(rows["variant"]) == {"baseline", "scenario"} and len(rows) == 2 * 36
    assert (rows["p10"] <= rows["p90"]).all()


def _without_data(spec: dict) -> dict:
    spec = {k: v for k, v in spec.items() if k not in ("data", "datasets")}
    if "layer" in spec:
        spec["layer"] = [{k: v for k, v in layer.items() if k != "data"} for layer in spec["layer"]]
    return spec


def test_cached_specs_with_their_rows_are_the_charts_the_exports_draw(projection):
    """The Scenario page sends a cached spec and this rerun's rows; together they are the full chart."""
    import altair as alt

    from ui.downloads import with_rows
    p = projection
    cur = p.currency
    bars = charts.waterfall_frame(p)
    cases = [
        (charts.cash_fan(p), charts.cash_fan_spec(cur), charts.cash_fan_data(p)),
        (charts.waterfall(p), charts.waterfall_spec(cur, tuple(bars["line"])), bars),
        (charts.response_by_region(charts.response_by_region_data(p.response, "email", "median_h"), "email",
                                   "median_h"),
         charts.response_by_region_spec("email", "median_h", cur),
         charts.response_by_region_data(p.response, "email", "median_h")),
    ]
    # the Risk page's: the NPV's spread, the tornado and the rank correlations
    cases += [(charts.npv_histogram(p), charts.npv_histogram_spec(p), charts.npv_histogram_rows(p)),
              (charts.tornado(p), charts.tornado_spec(cur, len(p.uncertainty.tornado)), charts.tornado_rows(p)),
              (charts.rank_correlation(p), charts.rank_correlation_spec(cur, len(p.uncertainty.rank_correlation)),
               charts.rank_correlation_rows(p))]
    # the Staffing page's: an hour-of-week heat map and hourly lines
    load = charts.week_frame(np.linspace(0.0, 1.4, 168), "load", 2)
    cases.append((charts.week_heatmap(load, "load", "Load", "load", ".0%", "orangered", domain_max=1.5),
                  charts.week_heatmap_spec(cur, "load", "Load", "load", ".0%", "orangered", 1.5), load))
    import pandas as pd
    lines = pd.DataFrame({"hour_of_week": np.arange(168), "value": np.linspace(0.5, 1.0, 168), "series": "chat"})
    cases.append((charts.hourly_lines(lines, "value", "series", "Answered within target", "share"),
                  charts.hourly_lines_spec(cur, "value", "series", "Answered within target", "share"), lines))
    for full, spec, rows in cases:
        whole = charts.localized(full, cur).to_dict(validate=True)
        assert _without_data(whole) == spec and "datasets" not in spec and "data" not in spec
        [values] = whole["datasets"].values()
        assert len(values) == len(rows) and list(values[0]) == list(rows.columns)
        assert len(rows) > 0
        spec_with_rows = with_rows(spec, rows)
        (alt.LayerChart if "layer" in spec else alt.Chart).from_dict(spec_with_rows, validate=True)
    assert charts.cash_fan_spec(cur) is charts.cash_fan_spec(cur)           # built once per currency
    assert charts.cash_fan_spec("EUR") is not charts.cash_fan_spec(cur)


def test_data_and_fit_charts_are_valid_vega_lite(projection):
    import pandas as pd

    import calibration as cal
    from calibration import fits_from_tables
    from intake.metrics.measures import actual_series, measure, plan_month_index
    from intake.uploads.load import load
    from tests.uploads import tickets_csv
    from view import data_charts, fit_charts

    tickets = load(tickets_csv(), "tickets.csv").validated.frame
    m = measure(tickets)
    series = actual_series(tickets, None, None)
    actuals = series.assign(month=plan_month_index(series["calendar_month"], pd.Timestamp("2024-04-01")))
    rows = charts.fan_data(projection.uncertainty, "csat_pct", actuals)
    assert set(rows["variant"]) == {"actual", "baseline", "scenario"}
    assert (rows.query("variant == 'actual'")["month"] < 0).all()
    fits, _ = fits_from_tables(tickets, None, utc_offset_h=0.0, company=saas())
    rng = np.random.default_rng(3)
    n = 3000
    complained = rng.random(n) < 0.2
    start = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(rng.uniform(0, 300, n), unit="D")
    end = start + pd.to_timedelta(rng.exponential(np.where(complained, 90, 600)), unit="D")
    customers = pd.DataFrame({"customer_id": np.arange(n).astype(str), "start": start,
                              "end": end.where(end < pd.Timestamp("2024-06-01", tz="UTC")), "complained": complained})
    wait = rng.exponential(0.05, n)
    patience = rng.exponential(0.1, n)
    live = pd.DataFrame({"ticket_id": np.arange(n).astype(str), "created": start.sort_values().to_numpy(),
                         "channel": "phone", "wait_h": np.minimum(wait, patience), "abandoned": patience < wait})
    fits += [cal.fit_class_multipliers(customers), cal.fit_patience(live, "phone")]
    assert {f.kind for f in fits} >= {"arrival_profile", "response_distribution", "csat_curve", "classes",
                                      "patience"}
    built = [charts.fan(rows, "CSAT", "CSAT (%)", ".1%", with_actuals=True),
             data_charts.volume_heatmap(m.volume_by_weekday_hour, "UTC"),
             data_charts.monthly_line(m.monthly, "tickets", "Tickets", "Tickets", ",.0f"),
             data_charts.share_bars(m.channel_mix, "Channel mix", "channel"),
             data_charts.csat_bars(m.csat_by_agent, "agent", "CSAT by agent")]
    built += [fit_charts.fit_chart(f) for f in fits]
    for chart in built:
        charts.localized(chart, "USD").to_dict(validate=True)


def test_the_ai_agents_charts_are_valid_vega_lite():
    from model.ai_agent import AgentBehaviour, AIAgent, PerResolution
    from view import ai_agent

    p = simulate(Scenario(saas(), levers=Levers(ai_agent=AIAgent(AgentBehaviour(0.5, 0.6), PerResolution(0.99)))))
    for chart in (ai_agent.flow_chart(ai_agent.flow_frame(p.ai_agent)),
                  ai_agent.agents_chart(ai_agent.agents_frame(p.ai_agent))):
        spec = charts.localized(chart, "PLN").to_dict(validate=True)
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert "Conversations (a month)" in str(spec) or "Agents" in str(spec)


def test_a_tiny_change_is_drawn_on_an_axis_of_readable_size():
    # CSAT between 86.00 % and 86.05 %: the axis spans 5 % of the level about the middle, not 0.05 points
    lo, hi = charts.least_span(np.array([[0.8600, 0.8602, 0.8605]]), ".1%")
    assert hi - lo == pytest.approx(0.05 * 0.86025) and (lo + hi) / 2 == pytest.approx(0.86025)
    # NPS of 31 to 32: at least four of the format's steps (one point each)
    lo, hi = charts.least_span(np.array([31.0, 32.0]), ",.0f")
    assert (lo, hi) == (pytest.approx(29.5), pytest.approx(33.5))
    # a range wider than the least is kept as it is; no value, no range
    assert charts.least_span(np.array([2.0, 9.0]), ",.1f") == (2.0, 9.0)
    assert all(np.isnan(charts.least_span(np.array([np.nan]), ".1%")))


def test_the_fan_widens_its_axis_to_the_least_span(projection):
    rows = charts.fan_data(projection.uncertainty, "csat_pct", y_format=".1%")
    assert rows["span_lo"].nunique() == 1 and rows["span_hi"].nunique() == 1
    assert rows["span_lo"].iloc[0] <= rows[["p10", "p50", "p90"]].min().min()
    assert rows["span_hi"].iloc[0] >= rows[["p10", "p50", "p90"]].max().max()
    assert rows["span_hi"].iloc[0] - rows["span_lo"].iloc[0] >= 0.05 * rows["p50"].mean() - 1e-12
    spec = charts.fan_spec("CSAT", "CSAT (%)", ".1%", "USD")
    widening = [layer for layer in spec["layer"] if layer["encoding"]["y"]["field"] == "span_lo"]
    assert len(widening) == 1 and widening[0]["mark"]["opacity"] == 0
    assert widening[0]["encoding"]["y2"]["field"] == "span_hi"
    assert widening[0]["encoding"]["y"]["title"] == "CSAT (%)"


def test_compared_lines_widen_their_axis_too(projection):
    from view import compare
    frame = compare.overlay([compare.Case("A", projection), compare.Case("B", projection)], "csat_pct")
    spec = charts.compare_lines(frame, "CSAT", "CSAT (%)", ".1%").to_dict(validate=True)
    widening = [layer for layer in spec["layer"] if layer["encoding"]["y"]["field"] == "span_lo"]
    assert len(widening) == 1 and widening[0]["mark"]["opacity"] == 0
    (values,) = [rows for name, rows in spec["datasets"].items() if name in json.dumps(widening[0]["data"])]
    middle = frame["value"].mean()
    assert values[0]["span_hi"] - values[0]["span_lo"] >= 0.05 * middle * 0.99
    assert values[0]["span_lo"] <= frame["value"].min() and values[0]["span_hi"] >= frame["value"].max()


def test_the_handle_time_histogram_draws_bars_standing_on_zero():
    """Each bin a bar from its lower to its upper edge and from zero to its share (with only x2, Vega-Lite draws a
    dash at the share's height)."""
    import pandas as pd

    import calibration as cal
    from view import fit_charts

    minutes = np.random.default_rng(5).lognormal(np.log(9.0), 0.7, 2000)
    fit = cal.fit_handle_time(pd.DataFrame({"channel": "chat", "handle_time_h": minutes / 60}), "chat")
    spec = charts.localized(fit_charts.fit_chart(fit), "USD").to_dict(validate=True)
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "bar")
    assert bars["encoding"]["x2"]["field"] == "to_min" and bars["encoding"]["y"]["field"] == "share"
    assert bars["encoding"]["y2"] == {"datum": 0} and bars["encoding"]["y"]["scale"]["domainMin"] == 0


def test_regions_answered_alike_both_show():
    """Two regions with the same times (one team, one time zone) draw one line over the other: each region is drawn
    narrower than the one before it, so the one underneath still shows around it, and the chart says so."""
    import pandas as pd
    for regions in (["United Kingdom", "Ireland"], ["United Kingdom", "Ireland", "France"],
                    [f"R{k:02d}" for k in range(9)]):
        response = pd.DataFrame({"variant": "scenario", "month": 0, "channel": "email", "mean_h": 3.0,
                                 "region": regions})
        rows = charts.response_by_region_data(response, "email")
        # the browser draws lines in the rows' order: the widest first (underneath), each next one narrower
        assert rows["region"].tolist() == sorted(regions)
        widths = rows["line_px"].tolist()
        assert widths[-1] == charts.REGION_LINE_MIN_PX and max(widths) <= charts.REGION_LINE_MAX_PX
        steps = [a - b for a, b in zip(widths, widths[1:])]
        assert min(steps) >= (1.0 if len(regions) < 9 else 0.5), widths      # a pixel of colour shows on each side
    spec = charts.response_by_region(rows, "email").to_dict()
    assert spec["encoding"]["strokeWidth"] == {"field": "line_px", "legend": None, "scale": None,
                                               "type": "quantitative"}
    assert spec["encoding"]["color"]["field"] == "region"
    assert "wider one is underneath" in " ".join(spec["title"]["subtitle"])
