"""The AI agent's pricing models: the worked examples of docs/ai_agent.md to the cent, and the rules every model
keeps (a fee never falls when the counts grow; a per-conversation price ignores resolutions)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.ai_agent import (
    PerAction,
    PerConversation,
    PerResolution,
    ResolutionAllowance,
    RunCosts,
    Seats,
    SessionBundle,
    cost_per_true_resolution,
    monthly_fee,
)

CONVERSATIONS, VENDOR, TRUE = 10_000.0, 6_000.0, 4_500.0

WORKED = [
    (PerResolution(0.99), 5_940.00, 1.32),
    (ResolutionAllowance(1_000.0, 2_000.0, 1.50), 7_000.00, 1.56),
    (PerConversation(2.00), 20_000.00, 4.44),
    (PerAction(0.10, 6.0), 6_000.00, 1.33),
    (SessionBundle(1_000, 1_200.0), 12_000.00, 2.67),
    (Seats(10.0, 125.0), 1_250.00, 0.28),
]


@pytest.mark.parametrize("pricing, fee, per_true", WORKED)
def test_the_worked_month_to_the_cent(pricing, fee, per_true):
    month = monthly_fee(pricing, [CONVERSATIONS], [VENDOR])
    assert round(float(month[0]), 2) == fee
    assert round(float(cost_per_true_resolution(pricing, [CONVERSATIONS], [VENDOR], [TRUE])), 2) == per_true


def test_a_year_with_run_costs_to_the_cent():
    run = RunCosts(implementation_cost=15_000.0, knowledge_upkeep_per_month=1_200.0, qa_hours_per_month=20.0,
                   qa_cost_per_hour=45.0)
    months = np.full(12, 1.0)
    pricing = PerResolution(0.99)
    assert round(float(monthly_fee(pricing, CONVERSATIONS * months, VENDOR * months).sum()), 2) == 71_280.00
    assert run.implementation_cost + 12 * run.per_month == 40_200.00
    per_true = cost_per_true_resolution(pricing, CONVERSATIONS * months, VENDOR * months, TRUE * months, run)
    assert round(float(per_true), 2) == 2.06
    per_counted = cost_per_true_resolution(pricing, CONVERSATIONS * months, VENDOR * months, VENDOR * months, run)
    assert round(float(per_counted), 2) == 1.55


def test_a_bundle_is_bought_whole():
    assert float(monthly_fee(SessionBundle(1_000, 1_200.0), [10_001.0], [0.0])[0]) == 13_200.0
    assert float(monthly_fee(SessionBundle(1_000, 1_200.0), [0.0], [0.0])[0]) == 0.0


def test_nothing_truly_resolved_has_no_cost_per_resolution():
    assert np.isnan(cost_per_true_resolution(PerConversation(2.0), [100.0], [50.0], [0.0]))


def test_draws_and_months_are_computed_at_once():
    conv = np.array([[1_000.0, 2_000.0], [3_000.0, 4_000.0]])         # 2 draws x 2 months
    fees = monthly_fee(ResolutionAllowance(100.0, 500.0, 2.0), conv, conv / 2)
    assert fees.tolist() == [[100.0, 1_100.0], [2_100.0, 3_100.0]]
    per = cost_per_true_resolution(PerResolution(1.0), conv, conv / 2, conv / 4)
    assert per.shape == (2,) and per.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("bad", [lambda: PerResolution(-1.0), lambda: SessionBundle(0, 10.0),
                                 lambda: ResolutionAllowance(1.0, -5.0, 1.0), lambda: RunCosts(qa_hours_per_month=-1)])
def test_negative_prices_and_empty_bundles_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


counts = st.floats(0, 1e6, allow_nan=False)
prices = st.floats(0, 100, allow_nan=False)


@given(conv=counts, more=counts, share=st.floats(0, 1), price=prices, actions=st.floats(0, 20),
       included=counts, size=st.integers(1, 10_000))
def test_a_fee_never_falls_when_the_counts_grow(conv, more, share, price, actions, included, size):
    for pricing in (PerResolution(price), ResolutionAllowance(price, included, price), PerConversation(price),
                    PerAction(price, actions), SessionBundle(size, price), Seats(3.0, price)):
        low = monthly_fee(pricing, [conv], [conv * share])[0]
        high = monthly_fee(pricing, [conv + more], [(conv + more) * share])[0]
        assert high >= low - 1e-9 * max(1.0, low)


@given(conv=counts, a=st.floats(0, 1), b=st.floats(0, 1), price=prices)
def test_a_per_conversation_price_ignores_how_many_resolve(conv, a, b, price):
    assert monthly_fee(PerConversation(price), [conv], [conv * a])[0] == \
        monthly_fee(PerConversation(price), [conv], [conv * b])[0]
