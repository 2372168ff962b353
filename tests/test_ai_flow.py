"""Where the AI agent's conversations go: the rules the issue names (no involvement is no lever, more resolution
never adds agent hours, new demand never removes tickets) as properties, and the harder mix in the range
practitioners report."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.ai_agent import AgentBehaviour, PerResolution, cost_per_true_resolution, flow, flow_of, monthly_fee

share = st.floats(0, 1, allow_nan=False)


def test_no_involvement_is_no_lever():
    f = flow(0.0, 0.8, 0.3, 0.2)
    assert f.conversations == 0 and f.resolved == 0 and f.handoffs == 0
    assert f.tickets_for_people == 1 and f.agent_hours == 1 and f.handle_multiplier == 1


@given(i=share, low=share, high=share, back=share, n=st.floats(0, 0.9), q=share, f=st.floats(0, 2))
def test_more_resolution_never_adds_agent_hours(i, low, high, back, n, q, f):
    low, high = min(low, high), max(low, high)
    assert flow(i, high, back, n, q, f).agent_hours <= flow(i, low, back, n, q, f).agent_hours + 1e-12


@given(i=share, r=share, back=share, n1=st.floats(0, 0.9), n2=st.floats(0, 0.9))
def test_new_demand_costs_conversations_and_never_removes_tickets(i, r, back, n1, n2):
    a, b = flow(i, r, back, n1), flow(i, r, back, n2)
    assert a.tickets_for_people == b.tickets_for_people and a.agent_hours == b.agent_hours
    if n2 > n1:
        assert b.conversations >= a.conversations and b.vendor_resolutions >= a.vendor_resolutions


def test_the_vendors_rate_is_not_the_work_that_leaves():
    """84 % of conversations resolved as the vendor counts them; a third of cases involve the agent, a fifth of its
    resolutions come back, a tenth of its conversations are new: 22 % of the work leaves, not 84 %."""
    f = flow_of(AgentBehaviour(involvement_pct=0.33, resolution_pct=0.84, return_pct=0.20, new_demand_pct=0.10))
    assert round(float(f.vendor_resolutions / f.conversations), 2) == 0.84
    assert round(float(f.resolved), 4) == 0.2218
    assert round(float(f.handoffs), 4) == round(0.33 - 0.2218, 4)


@pytest.mark.parametrize("removed, longer", [(0.3, 0.17), (0.5, 0.40)])
def test_the_tickets_left_are_harder_in_the_range_practitioners_report(removed, longer):
    f = flow(removed / 0.8, 0.8, 0.0, 0.0)               # the default ratio 0.6: 15-40 % longer at 30-50 % removed
    assert round(float(f.resolved), 6) == removed
    assert round(float(f.handle_multiplier) - 1.0, 2) == longer


def test_draws_months_and_channels_broadcast():
    involvement = np.array([[0.2], [0.4]])               # 2 channels x 1
    resolution = np.array([0.5, 0.6, 0.7])               # 3 months
    f = flow(involvement, resolution)
    assert f.resolved.shape == (2, 3) and f.agent_hours.shape == (2, 3)
    assert np.all(np.diff(f.agent_hours, axis=1) <= 0)


def test_the_flow_feeds_the_pricing():
    tickets = 20_000.0
    f = flow_of(AgentBehaviour(involvement_pct=0.45, resolution_pct=0.60, return_pct=0.15, new_demand_pct=0.10))
    fee = monthly_fee(PerResolution(0.99), [tickets * f.conversations], [tickets * f.vendor_resolutions])
    assert round(float(fee[0]), 2) == round(tickets * 0.45 / 0.9 * 0.6 * 0.99, 2) == 5_940.00
    per_true = cost_per_true_resolution(PerResolution(0.99), [tickets * f.conversations],
                                        [tickets * f.vendor_resolutions], [tickets * f.resolved])
    assert round(float(per_true), 2) == round(5_940.00 / (tickets * 0.45 * 0.6 * 0.85), 2) == 1.29


@pytest.mark.parametrize("bad", [dict(involvement_pct=1.2, resolution_pct=0.5),
                                 dict(involvement_pct=0.5, resolution_pct=0.5, new_demand_pct=0.95),
                                 dict(involvement_pct=0.5, resolution_pct=-0.1)])
def test_shares_out_of_range_are_refused(bad):
    with pytest.raises(ValueError):
        AgentBehaviour(**bad)
