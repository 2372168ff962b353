"""Monte Carlo view of a case: draws, common random numbers, bands, tornado (model.engine)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.engine import BENEFIT_LINES, COST_LINES, simulate
from model.examples import ecommerce, saas
from model.money import finance
from model.params import (
    MON_FRI,
    Assumptions,
    DeflectionTool,
    HireAgents,
    Levers,
    ProductivityTool,
    RegionalCentre,
    Scenario,
    Training,
)
from model.uncertainty import Range

CENTRE = RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500, 60000)


@pytest.fixture(scope="module")
def saas_centre_mc():
    scenario = Scenario(saas(), levers=Levers(centres=(CENTRE,)))
    return scenario, simulate(scenario, draws=400, seed=11)


def test_percentiles_are_ordered_everywhere(saas_centre_mc):
    _, p = saas_centre_mc
    bands = p.uncertainty.bands
    assert np.all(np.isfinite(bands[["p10", "p50", "p90"]].to_numpy()))
    assert np.all(bands["p10"] <= bands["p50"]) and np.all(bands["p50"] <= bands["p90"])
    series = set(bands["series"])
    assert {"frt_email_h", "frt_chat_h", "csat_pct", "nps", "churn_pct", "expansion_pct", "referral_rate", "customers",
            "tickets", "revenue", "cash_flow", "cumulative_cash"} <= series
    # A real band: the draws disagree about the scenario's CSAT and the case's cash.
    csat = p.uncertainty.band("csat_pct").loc[12]
    assert csat["p90"] - csat["p10"] > 0.005
    cash = p.uncertainty.band("cumulative_cash", "incremental").iloc[-1]
    assert cash["p90"] - cash["p10"] > 10_000
    # One month read by position (the KPI row's) is that month's row of the band.
    for series, variant in (("csat_pct", "scenario"), ("churn_pct", "baseline"), ("cumulative_cash", "incremental")):
        for month in (0, 12, 35):
            row = p.uncertainty.band(series, variant).loc[month]
            assert p.uncertainty.at(series, month, variant) == (row["p10"], row["p50"], row["p90"])
    # An outcome's quantiles, kept once found, are numpy's linear P10, P50 and P90 of the draws.
    npv = p.uncertainty.outcomes["npv"].to_numpy()
    assert p.uncertainty.quantiles("npv") == pytest.approx(tuple(np.quantile(npv, [0.1, 0.5, 0.9])), rel=1e-12)
    assert p.uncertainty.quantiles("npv") is p.uncertainty.quantiles("npv")


def test_outcomes_have_one_row_per_draw_with_consistent_probabilities(saas_centre_mc):
    _, p = saas_centre_mc
    u = p.uncertainty
    assert len(u.outcomes) == 400 and u.draws == 400
    assert u.prob_loss == pytest.approx(float((u.outcomes["npv"] < 0).mean()))
    assert 0.0 < u.prob_loss < 1.0                       # this case is close to break-even either way
    paid_back = u.outcomes["payback_month"].dropna()
    assert u.prob_payback == pytest.approx(len(paid_back) / 400)
    assert paid_back.between(0, 35).all()
    # A draw that pays back within the horizon has its cumulative cash at or above zero at the end.
    assert (u.outcomes.loc[paid_back.index, "npv"] > -200_000).all()


def test_point_view_does_not_depend_on_the_draws():
    scenario = Scenario(saas(), levers=Levers(centres=(CENTRE,)))
    alone = simulate(scenario)
    with_draws = simulate(scenario, draws=300, seed=5)
    assert with_draws.summary == alone.summary
    assert with_draws.monthly.equals(alone.monthly)
    assert alone.uncertainty is None


def test_zero_width_ranges_reproduce_the_point_view_exactly():
    scenario = Scenario(ecommerce(), levers=Levers(deflection=DeflectionTool(0.3), training=Training(0.05)),
                        assumptions=Assumptions.certain())
    point = simulate(scenario)
    p = simulate(scenario, draws=200, seed=3)
    u = p.uncertainty
    assert np.all(u.outcomes["npv"] == point.summary.npv)
    assert np.all(u.outcomes["payback_month"] == point.summary.payback_month)
    scen = point.variant("scenario")
    for series in ("csat_pct", "churn_pct", "customers", "revenue", "frt_email_h"):
        band = u.band(series)
        assert np.array_equal(band["p10"].to_numpy(), scen[series].to_numpy()), series
        assert np.array_equal(band["p90"].to_numpy(), scen[series].to_numpy()), series
    assert np.all(u.tornado["swing"] == 0.0)


@pytest.mark.parametrize("levers", [
    Levers(training=Training(0.0)),
    Levers(deflection=DeflectionTool(0.0, licence_per_month=0.0)),
    Levers(hires=(HireAgents("Krakow", 0.0),)),
    Levers(productivity=ProductivityTool(0.0)),
], ids=["training", "deflection", "hire", "productivity"])
def test_a_lever_without_effect_gives_zero_cash_in_every_draw(levers):
    p = simulate(Scenario(ecommerce(), levers=levers), draws=300, seed=9)
    assert np.all(p.uncertainty.outcomes["npv"] == 0.0)
    cash = p.uncertainty.bands.query("variant == 'incremental'")
    assert np.all(cash[["p10", "p50", "p90"]].to_numpy() == 0.0)
    base, scen = p.uncertainty.band("churn_pct", "baseline"), p.uncertainty.band("churn_pct")
    assert base.equals(scen)


def test_same_seed_same_numbers_other_seed_other_numbers():
    scenario = Scenario(ecommerce(), levers=Levers(productivity=ProductivityTool(0.2)))
    a = simulate(scenario, draws=200, seed=7).uncertainty
    b = simulate(scenario, draws=200, seed=7).uncertainty
    c = simulate(scenario, draws=200, seed=8).uncertainty
    assert a.outcomes.equals(b.outcomes) and a.bands.equals(b.bands) and a.tornado.equals(b.tornado)
    assert not a.outcomes["npv"].equals(c.outcomes["npv"])


def test_median_npv_is_stable_from_2000_to_20000_draws():
    scenario = Scenario(saas(), levers=Levers(training=Training(0.1, cost_per_agent=1500.0)))
    small = simulate(scenario, draws=2_000, seed=1).uncertainty.outcomes["npv"].median()
    large = simulate(scenario, draws=20_000, seed=1).uncertainty.outcomes["npv"].median()
    assert abs(small - large) < 0.01 * abs(large)


def test_tornado_ranks_a_dominant_assumption_first():
    narrow = {name: Range(0.98, 1.02) for name, _ in Assumptions().items()}
    wide = dataclasses.replace(Assumptions(**narrow), churn_dissatisfied=Range(0.3, 3.0))
    scenario = Scenario(saas(), levers=Levers(training=Training(0.1)), assumptions=wide)
    u = simulate(scenario, draws=300, seed=4).uncertainty
    assert u.tornado["assumption"].iloc[0] == "churn_dissatisfied"
    assert u.tornado["swing"].iloc[0] > 5 * u.tornado["swing"].iloc[1]
    assert np.all(np.diff(u.tornado["swing"].to_numpy()) <= 0.0)
    assert u.rank_correlation["assumption"].iloc[0] == "churn_dissatisfied"
    assert u.rank_correlation["rank_correlation"].iloc[0] > 0.9
    # Low and high runs move only their own assumption; the base is every median.
    row = u.tornado.iloc[0]
    assert row["low"] == pytest.approx(Range(0.3, 3.0).quantile(0.1))
    assert row["high"] == pytest.approx(Range(0.3, 3.0).quantile(0.9))
    assert min(row["npv_low"], row["npv_high"]) < u.median_npv < max(row["npv_low"], row["npv_high"])


def test_levers_an_assumption_does_not_touch_have_no_swing():
    u = simulate(Scenario(saas(), levers=Levers(training=Training(0.1))), draws=100, seed=4).uncertainty
    swing = u.tornado.set_index("assumption")["swing"]
    for name in ("deflection_achieved", "leakage", "handle_reduction_achieved"):
        assert swing[name] == 0.0
    assert swing["fcr_gain_achieved"] > 0.0


def test_achieved_share_below_plan_leaves_more_tickets_in_every_draw():
    """Deflection achieved at 0.4-0.7 of plan: every draw leaves agents more work than the plan."""
    tool = DeflectionTool(0.3)
    plan = simulate(Scenario(ecommerce(), levers=Levers(deflection=tool), assumptions=Assumptions.certain()))
    low = dataclasses.replace(Assumptions.certain(), deflection_achieved=Range(0.4, 0.7))
    p = simulate(Scenario(ecommerce(), levers=Levers(deflection=tool), assumptions=low), draws=200, seed=1)
    assert p.summary == plan.summary                      # the point view stays the plan
    assert p.uncertainty.outcomes["deflection_achieved"].between(0.2, 0.95).all()
    later = slice(6, None)
    frt = p.uncertainty.band("frt_email_h").iloc[later]
    assert np.all(frt["p10"].to_numpy() > plan.variant("scenario")["frt_email_h"].iloc[later].to_numpy())
    baseline = p.uncertainty.band("frt_email_h", "baseline")
    assert np.array_equal(baseline["p10"].to_numpy(), plan.variant("baseline")["frt_email_h"].to_numpy())


def test_risk_adjusted_table_cuts_benefits_and_raises_costs(saas_centre_mc):
    scenario, p = saas_centre_mc
    adjust = {k: scenario.risk.of_line(k) for k in p.lines}
    table, case = finance.risk_adjusted(p.lines, p.initial_by_line, adjust, BENEFIT_LINES, COST_LINES,
                                        scenario.finance.discount_rate_annual_pct)
    rows = table.set_index("line")
    assert rows.loc["Retention", "present_value"] == pytest.approx(0.75 * p.pv_by_line["Retention"])
    assert rows.loc["Added staff", "present_value"] == pytest.approx(1.10 * p.pv_by_line["Added staff"])
    assert rows.loc["Set-up and hiring", "initial"] == pytest.approx(1.10 * 60_000)
    years = [c for c in table.columns if c.startswith("year_")]
    assert years == ["year_1", "year_2", "year_3"]
    totals = rows[["initial"] + years].sum(axis=1)
    assert np.allclose(totals.to_numpy(), rows["total"].to_numpy())
    assert rows.loc["Net benefits", "present_value"] == pytest.approx(case.npv)
    assert case.npv < p.summary.npv
    assert case.pv_benefits == pytest.approx(rows.loc["Total benefits", "present_value"])


def test_payback_months_match_the_one_flow_rule():
    rng = np.random.default_rng(0)
    flows = rng.normal(0.0, 1.0, (200, 24)).cumsum(axis=1) + rng.normal(0.0, 3.0, (200, 1))
    flows[0] = 0.0
    got = finance.payback_months(flows)
    for row, month in zip(flows, got):
        want = finance.payback_month(row)
        assert (np.isnan(month) and want is None) or month == want


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agents=st.integers(-3, 8), deflection=st.sampled_from([0.0, 0.2, 0.5]),
       cut=st.sampled_from([0.0, 0.15, 0.4]), gain=st.sampled_from([0.0, 0.05]), seed=st.integers(0, 2**31))
def test_any_case_gives_ordered_finite_bands(agents, deflection, cut, gain, seed):
    levers = Levers(hires=(HireAgents("Krakow", float(agents)),), deflection=DeflectionTool(deflection),
                    productivity=ProductivityTool(cut), training=Training(gain))
    p = simulate(Scenario(ecommerce(), levers=levers), draws=60, seed=seed)
    b = p.uncertainty.bands
    values = b[["p10", "p50", "p90"]].to_numpy()
    assert np.all(np.isfinite(values))
    assert np.all(values[:, 0] <= values[:, 1]) and np.all(values[:, 1] <= values[:, 2])
    csat = b[b["series"] == "csat_pct"][["p10", "p90"]].to_numpy()
    assert np.all((csat > 0.0) & (csat < 1.0))
    assert np.all(np.isfinite(p.uncertainty.outcomes["npv"]))


@pytest.mark.parametrize("scenario", [
    Scenario(saas(), levers=Levers(centres=(CENTRE,), training=Training(0.05, cost_per_agent=1000.0))),
    Scenario(ecommerce(), levers=Levers(deflection=DeflectionTool(0.3, fee_per_resolution=1.0),
                                        productivity=ProductivityTool(0.2), hires=(HireAgents("Krakow", 1.0),))),
], ids=["saas", "shop"])
def test_each_draw_is_its_own_point_view(scenario):
    """A draw of the vectorised engine agrees with re-running the model with that draw's values entered.

    The two differ only by where the response grid's nodes fall (the re-run covers one draw).
    """
    from model.draw import scenario_at

    p = simulate(scenario, draws=40, seed=12)
    outcomes = p.uncertainty.outcomes
    names = [name for name, _ in Assumptions().items()]
    spread = outcomes["npv"].std()
    for d in (0, 7, 19, 33):
        alone = simulate(scenario_at(scenario, outcomes.loc[d, names].to_dict()))
        assert outcomes.loc[d, "npv"] == pytest.approx(alone.summary.npv, abs=0.03 * spread)


def test_edge_companies_stay_finite_and_neutral():
    """No contacts at all, or resolution already above the cap: nothing breaks, nothing moves by itself."""
    quiet = dataclasses.replace(ecommerce(), contact_rate_per_customer_month=0.0)
    p = simulate(Scenario(quiet, levers=Levers(hires=(HireAgents("Krakow", 1.0),))), draws=50, seed=1)
    assert np.isfinite(p.summary.npv) and np.all(np.isfinite(p.uncertainty.outcomes["npv"]))
    assert p.summary.npv < 0                                    # an agent with nothing to do only costs
    perfect = dataclasses.replace(ecommerce(), first_contact_resolution_pct=1.0)
    p = simulate(Scenario(perfect, levers=Levers(training=Training(0.0))), draws=50, seed=1)
    assert p.summary.npv == 0.0 and np.all(p.uncertainty.outcomes["npv"] == 0.0)


def test_releases_add_up_per_site():
    with pytest.raises(ValueError, match="cannot remove more agents than Krakow has"):
        Scenario(ecommerce(), levers=Levers(hires=(HireAgents("Krakow", -4.0), HireAgents("Krakow", -4.0))))


def test_long_ramps_are_capped_alike_in_the_engine_and_a_re_run():
    from model.draw import scenario_at

    slow = dataclasses.replace(Assumptions.certain(), ramp_time=Range(1.5, 2.0))
    scenario = Scenario(ecommerce(), levers=Levers(hires=(HireAgents("Krakow", 2.0, ramp_months=30.0),)),
                        assumptions=slow)
    p = simulate(scenario, draws=20, seed=3)
    outcomes = p.uncertainty.outcomes
    spread = outcomes["npv"].std()
    for d in (0, 11):
        alone = simulate(scenario_at(scenario, {"ramp_time": outcomes.loc[d, "ramp_time"]}))
        assert outcomes.loc[d, "npv"] == pytest.approx(alone.summary.npv, abs=0.05 * spread + 1.0)


def test_bands_read_by_position_are_the_rows_a_filter_finds():
    u = simulate(Scenario(saas(), levers=Levers(centres=(CENTRE,))), draws=100).uncertainty
    b = u.bands
    pairs = set(zip(b["variant"], b["series"]))
    assert len(pairs) > 20
    for variant, series in pairs:
        want = b[(b["variant"] == variant) & (b["series"] == series)]
        assert u.rows(series, (variant,)).equals(want.reset_index(drop=True))
        assert u.band(series, variant).equals(want.set_index("month")[["p10", "p50", "p90"]])
    both = u.rows("csat_pct")
    assert list(both["variant"].unique()) == ["baseline", "scenario"] and len(both) == 2 * 36
    assert u.rows("no such series").empty
