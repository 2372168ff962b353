"""The Compare page's figures: KPI table, best by criterion (ties included), overlaid lines, yearly cash."""

from __future__ import annotations

import math

import pytest

from model.engine import SEED, simulate
from view import compare
from view import format as fmt
from view.controls import scenario_of

DRAWS = 200


@pytest.fixture(scope="module")
def cases():
    centre = simulate(scenario_of({"centre_on": True, "centre_utc_offset_h": 1.0}), draws=DRAWS, seed=SEED)
    ai = simulate(scenario_of({"deflection_pct": 0.25}), draws=DRAWS, seed=SEED)
    shop = simulate(scenario_of({"company": "E-commerce", "deflection_pct": 0.25}), draws=DRAWS, seed=SEED)
    return {"centre": compare.Case("Centre", centre), "ai": compare.Case("AI", ai), "shop": compare.Case("Shop", shop)}


def test_kpi_table_shows_each_case_in_its_column(cases):
    table = compare.kpi_table([cases["centre"], cases["ai"]])
    assert list(table.columns) == ["Figure", "Centre", "AI"]
    row = dict(zip(table["Figure"], table["Centre"]))
    u = cases["centre"].projection.uncertainty
    assert row["NPV (P50)"] == fmt.money(u.quantiles("npv")[1], "USD")
    assert row["Probability of a loss"] == fmt.percent(u.prob_loss, "USD", 0)
    assert row["Currency"] == "USD"
    assert dict(zip(table["Figure"], table["AI"]))["Costs, present value (point view)"] == fmt.money(
        cases["ai"].projection.summary.pv_costs, "USD")


def test_best_names_the_winner_of_each_criterion(cases):
    pair = [cases["centre"], cases["ai"]]
    best = compare.best(pair)
    npvs = {c.label: c.projection.uncertainty.quantiles("npv")[1] for c in pair}
    assert best["NPV"][0] == [max(npvs, key=npvs.get)]
    losses = {c.label: c.projection.uncertainty.prob_loss for c in pair}
    assert best["Probability of a loss"][0] == [min(losses, key=losses.get)]
    paybacks = {c.label: c.projection.uncertainty.payback_p50 for c in pair}
    finite = {k: v for k, v in paybacks.items() if math.isfinite(v)}
    assert best["Payback"][0] == ([min(finite, key=finite.get)] if finite else [])


def test_a_tie_names_every_case_that_shares_it(cases):
    twin = compare.Case("Centre again", cases["centre"].projection)
    best = compare.best([cases["centre"], twin, cases["ai"]])
    for criterion in ("NPV", "Probability of a loss"):
        labels = best[criterion][0]
        assert ("Centre" in labels) == ("Centre again" in labels)


def test_overlay_draws_one_baseline_per_distinct_company(cases):
    same = compare.overlay([cases["centre"], cases["ai"]], "csat_pct")
    assert set(same["line"]) == {"Centre", "AI", "Baseline"}
    assert same.groupby("line").size().nunique() == 1            # every line covers every month
    mixed = compare.overlay([cases["centre"], cases["shop"]], "csat_pct")
    assert set(mixed["line"]) == {"Centre", "Shop", "Baseline of Centre", "Baseline of Shop"}


def test_yearly_cash_sums_to_the_cash_flows(cases):
    case = cases["centre"]
    table = compare.yearly_cash([case])
    assert list(table["Incremental cash"])[:3] == ["Year 1 (months 0 to 11)", "Year 2 (months 12 to 23)",
                                                   "Year 3 (months 24 to 35)"]
    cash = case.projection.cash
    assert table["Centre"][0] == fmt.money(float(cash["cash_flow"][cash["month"] < 12].sum()), "USD", compact=False)
    assert table["Centre"].iloc[-1] == fmt.money(case.projection.summary.npv, "USD", compact=False)


def test_cumulative_cash_is_the_incremental_band(cases):
    frame = compare.cumulative_cash([cases["centre"], cases["ai"]])
    assert set(frame["line"]) == {"Centre", "AI"}
    assert (frame["p10"] <= frame["p50"] + 1e-9).all() and (frame["p50"] <= frame["p90"] + 1e-9).all()


def test_the_table_names_each_scenarios_company_when_given():
    from model import SEED, Scenario, saas, simulate
    from view.compare import Case, kpi_table

    p = simulate(Scenario(saas()), draws=100, seed=SEED)
    table = kpi_table([Case("Plan A", p, "Kasza"), Case("Plan B", p, "Northwind Analytics (B2B SaaS)")])
    assert table.iloc[0].tolist() == ["Company", "Kasza", "Northwind Analytics (B2B SaaS)"]
    assert kpi_table([Case("Plan A", p)]).iloc[0]["Figure"] == "NPV (P50)"
