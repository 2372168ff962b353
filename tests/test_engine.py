"""The causal chain: baseline reproduces today, each lever moves what it should, nothing breaks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.engine import BENEFIT_LINES, COST_LINES, simulate
from model.examples import ecommerce, saas
from model.params import (
    PAID_HOURS_PER_MONTH,
    DeflectionTool,
    ExtendedHours,
    Finance,
    HireAgents,
    Levers,
    ProductivityTool,
    RegionalCentre,
    Scenario,
    Training,
)
from model.weekgrid import WEEKS_PER_MONTH
from view.controls import CONTROLS, scenario_of


def _at(p, variant, column, month=11):
    return float(p.variant(variant)[column].iloc[month])


def test_baseline_reproduces_the_company_as_entered(company):
    p = simulate(Scenario(company))
    first = p.variant("baseline").iloc[0]
    assert first["csat_pct"] == pytest.approx(company.csat_today_pct, abs=0.001)
    assert first["churn_pct"] == pytest.approx(company.churn_monthly_pct, abs=0.001)
    assert first["nps"] == pytest.approx(company.nps_today, abs=0.1)
    assert first["expansion_pct"] == pytest.approx(company.expansion_monthly_pct, abs=1e-6)
    assert first["tickets_per_customer"] == pytest.approx(company.contact_rate_per_customer_month)


def test_no_lever_means_scenario_equals_baseline_and_npv_is_zero(company):
    p = simulate(Scenario(company))
    b, s = p.variant("baseline"), p.variant("scenario")
    numeric = b.select_dtypes("number").columns
    np.testing.assert_array_equal(b[numeric].to_numpy(), s[numeric].to_numpy())
    assert p.summary.npv == 0.0 and p.summary.roi_pct is None and p.summary.payback_month is None


def test_zero_effect_zero_cost_levers_give_npv_exactly_zero():
    company = saas()
    levers = Levers(hires=(HireAgents("New York", 0.0),), deflection=DeflectionTool(0.0),
                    productivity=ProductivityTool(0.0), training=Training(0.0),
                    extended_hours=(ExtendedHours("New York", 0.0, 0),))
    p = simulate(Scenario(company, levers=levers))
    assert p.summary.npv == 0.0
    assert np.all(p.cash["cash_flow"].to_numpy() == 0.0)


def test_regional_centre_cuts_its_regions_response_time(saas_centre):
    p = simulate(saas_centre)
    r = p.response[(p.response["month"] == 11) & (p.response["channel"] == "email")].set_index(["variant", "region"])
    europe_before = r.loc[("baseline", "Europe"), "mean_h"]
    europe_after = r.loc[("scenario", "Europe"), "mean_h"]
    assert europe_after < europe_before - 2.0
    assert r.loc[("scenario", "Americas"), "mean_h"] <= r.loc[("baseline", "Americas"), "mean_h"] + 1e-9
    assert _at(p, "scenario", "csat_pct") > _at(p, "baseline", "csat_pct")
    assert _at(p, "scenario", "churn_pct") < _at(p, "baseline", "churn_pct")
    assert p.pv_by_line["Added staff"] > 0 and p.pv_by_line["Set-up and hiring"] == pytest.approx(60000.0)


@pytest.mark.parametrize("agents", [1, 3, 8])
def test_more_agents_never_raise_response_time(agents):
    company = ecommerce()
    fewer = simulate(Scenario(company, levers=Levers(hires=(HireAgents("Krakow", agents - 1, ramp_months=0),))))
    more = simulate(Scenario(company, levers=Levers(hires=(HireAgents("Krakow", agents, ramp_months=0),))))
    for ch in ("email", "chat", "phone"):
        assert np.all(more.variant("scenario")[f"frt_{ch}_h"].to_numpy()
                      <= fewer.variant("scenario")[f"frt_{ch}_h"].to_numpy() + 1e-9)


def test_deflection_lowers_tickets_and_costs_fees():
    p = simulate(Scenario(saas(), levers=Levers(deflection=DeflectionTool(0.3, fee_per_resolution=1.0,
                                                                          licence_per_month=1000.0))))
    assert _at(p, "scenario", "tickets") < 0.85 * _at(p, "baseline", "tickets")
    assert p.pv_by_line["Tools"] > 36 * 1000.0 * 0.8


def test_productivity_tool_cuts_response_time():
    p = simulate(Scenario(ecommerce(), levers=Levers(productivity=ProductivityTool(0.3))))
    assert _at(p, "scenario", "frt_email_h") < _at(p, "baseline", "frt_email_h")


def test_training_raises_resolution_and_csat():
    p = simulate(Scenario(saas(), levers=Levers(training=Training(0.1, cost_per_agent=1000.0))))
    assert _at(p, "scenario", "first_contact_resolution_pct") == pytest.approx(0.8, abs=0.01)
    assert _at(p, "scenario", "csat_pct") > _at(p, "baseline", "csat_pct") + 0.05
    assert _at(p, "scenario", "tickets") < _at(p, "baseline", "tickets")
    assert p.pv_by_line["Training"] == pytest.approx(12 * 1000.0)


def test_weekend_cover_helps_weekend_shoppers_and_costs_premium():
    p = simulate(Scenario(ecommerce(), levers=Levers(extended_hours=(ExtendedHours("Krakow", 4.0, 2),))))
    assert _at(p, "scenario", "frt_email_h") < _at(p, "baseline", "frt_email_h") - 1.0
    assert p.pv_by_line["Added staff"] > 0


def test_releasing_agents_saves_staff_cost_and_hurts_service():
    p = simulate(Scenario(ecommerce(), levers=Levers(hires=(HireAgents("Krakow", -1.0),))))
    assert p.pv_by_line["Staff savings"] > 0
    assert _at(p, "scenario", "frt_email_h") > _at(p, "baseline", "frt_email_h")
    assert p.pv_by_line["Retention"] < 0


def test_npv_roi_and_payback_are_consistent(saas_centre):
    p = simulate(saas_centre)
    s = p.summary
    assert s.npv == pytest.approx(s.pv_benefits - s.pv_costs)
    assert s.roi_pct == pytest.approx(s.npv / s.pv_costs)
    assert p.cash["discounted_cash"].sum() == pytest.approx(s.npv)
    assert sum(v for k, v in p.pv_by_line.items() if k in ("Retention", "Expansion", "Referrals",
                                                            "Staff savings") and v > 0) == pytest.approx(s.pv_benefits)


def test_margin_lost_by_a_cut_counts_as_a_cost_of_the_case():
    p = simulate(Scenario(ecommerce(), levers=Levers(hires=(HireAgents("Krakow", -2.0),))))
    pv, s = p.pv_by_line, p.summary
    assert pv["Retention"] < 0 < pv["Staff savings"]
    assert s.pv_costs == pytest.approx(sum(pv[k] for k in COST_LINES) - sum(pv[k] for k in BENEFIT_LINES if pv[k] < 0))
    assert s.pv_benefits == pytest.approx(sum(pv[k] for k in BENEFIT_LINES if pv[k] >= 0))
    assert s.npv == pytest.approx(sum(pv[k] for k in BENEFIT_LINES) - sum(pv[k] for k in COST_LINES))


def test_benefits_are_counted_at_margin():
    company = saas()
    half = dataclasses.replace(company, gross_margin_pct=company.gross_margin_pct / 2)
    full_p = simulate(Scenario(company, levers=Levers(training=Training(0.1))))
    half_p = simulate(Scenario(half, levers=Levers(training=Training(0.1))))
    assert half_p.pv_by_line["Retention"] == pytest.approx(full_p.pv_by_line["Retention"] / 2)


def _control_values():
    strategies = {}
    for c in CONTROLS:
        if c.kind == "select":
            strategies[c.key] = st.sampled_from(c.options)
        elif c.kind == "toggle":
            strategies[c.key] = st.booleans()
        elif isinstance(c.default, int):
            strategies[c.key] = st.integers(int(c.min), int(c.max))
        else:
            strategies[c.key] = st.floats(c.min, c.max)
    return st.fixed_dictionaries(strategies)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=_control_values())
def test_any_slider_position_gives_finite_bounded_results(values):
    p = simulate(scenario_of(values))
    numeric = p.monthly.select_dtypes("number")
    assert np.all(np.isfinite(numeric.drop(columns=["cost_per_ticket"]).to_numpy()))
    for col in ("churn_pct", "csat_pct", "contact_csat_pct", "remembered_satisfied_pct", "remembered_dissatisfied_pct",
                "first_contact_resolution_pct"):
        assert p.monthly[col].between(0.0, 1.0).all(), col
    assert p.monthly["nps"].between(-100, 100).all()
    assert (p.monthly["customers"] > 0).all()
    assert np.isfinite(p.summary.npv)
    assert np.all(np.isfinite(p.cash.to_numpy()))
    assert p.summary.roi_pct is None or np.isfinite(p.summary.roi_pct)
    assert p.response[["mean_h", "business_mean_h"]].ge(0).all().all()
    assert p.response["within_target_pct"].between(0, 1).all()


def test_extended_hours_cost_is_added_paid_hours_at_the_hourly_cost():
    """Krakow, 5 agents, +4 h a day and both weekend days: 44 more open hours a week."""
    company = ecommerce()
    site = company.sites[0]
    p = simulate(Scenario(company, levers=Levers(extended_hours=(ExtendedHours("Krakow", 4.0, 2, 0.15),))))
    on_duty_per_head = (1 - site.shrinkage_pct) * min(1.0, 40.0 / site.open_hours_per_week)
    paid_h_per_month = 5 * on_duty_per_head * 44 / (1 - site.shrinkage_pct) * WEEKS_PER_MONTH
    hourly = site.loaded_cost_per_agent_month / PAID_HOURS_PER_MONTH
    assert p.cash["Added staff"].iloc[0] == pytest.approx(paid_h_per_month * hourly * 1.15)


def test_deflection_fees_are_charged_per_resolution():
    tool = DeflectionTool(0.3, fee_per_resolution=2.0, licence_per_month=0.0, implementation_cost=0.0)
    p = simulate(Scenario(saas(), levers=Levers(deflection=tool)))
    resolved = p.variant("scenario")["deflected_issues"].to_numpy()
    np.testing.assert_allclose(p.cash["Tools"].to_numpy(), 2.0 * resolved)
    assert resolved[11] == pytest.approx(p.variant("scenario")["customers"].iloc[11] * 1.8 / 1.3 * 0.3 * 0.8,
                                         rel=0.2)


def test_levers_starting_after_the_horizon_cost_nothing():
    company = saas()
    late = Levers(hires=(HireAgents("New York", 3.0, start_month=30, hiring_cost_per_agent=5000.0),),
                  centres=(RegionalCentre("Dublin", 0.0, 9, 17, (0, 1, 2, 3, 4), 4, 5500, 60000, start_month=30),),
                  deflection=DeflectionTool(0.3, implementation_cost=15000.0, start_month=30),
                  training=Training(0.05, cost_per_agent=1000.0, start_month=30))
    p = simulate(Scenario(company, finance=Finance(horizon_months=24), levers=late))
    assert p.summary.pv_costs == 0.0 and p.summary.npv == 0.0


def test_releasing_the_whole_team_destroys_value():
    p = simulate(Scenario(ecommerce(), levers=Levers(hires=(HireAgents("Krakow", -5.0),))))
    assert p.summary.npv < -1_000_000
    assert _at(p, "scenario", "csat_pct") < 0.2
    assert p.summary.payback_month is None


def test_deflection_that_leaves_service_unchanged_earns_about_nothing():
    company = saas()
    big = dataclasses.replace(company, sites=(dataclasses.replace(company.sites[0], headcount=200.0),))
    p = simulate(Scenario(big, levers=Levers(deflection=DeflectionTool(0.3, harder_mix_pct=0.0))))
    revenue = float(p.variant("baseline")["revenue"].sum()) * big.gross_margin_pct
    assert abs(p.summary.npv) < 1e-4 * revenue


def test_experience_memory_keeps_a_bad_month_in_churn_for_months():
    company = ecommerce()
    cut = simulate(Scenario(company, levers=Levers(hires=(HireAgents("Krakow", -2.0),))))
    gap = (cut.variant("scenario")["churn_pct"] - cut.variant("baseline")["churn_pct"]).to_numpy()
    assert gap[1] > 0 and gap[6] > 2 * gap[1]              # the effect builds up as memories accumulate


def test_the_risk_adjusted_view_without_adjustments_is_the_point_view_and_adjustments_only_lower_it():
    from model.engine import risk_adjusted_view
    from model.params import RiskAdjustment
    from view.controls import scenario_of
    scenario = scenario_of({"centre_on": True, "deflection_pct": 0.2})
    p = simulate(scenario)
    neutral = dataclasses.replace(scenario, risk=RiskAdjustment(*([0.0] * 8)))
    _, plain = risk_adjusted_view(neutral, p)
    assert plain.npv == pytest.approx(p.summary.npv, rel=1e-9, abs=1e-6)
    _, adjusted = risk_adjusted_view(scenario, p)
    assert adjusted.npv < plain.npv
