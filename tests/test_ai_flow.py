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


def test_the_vendors_rate_is_not_the_tickets_that_leave():
    """84 % of conversations resolved as the vendor counts them; a third of cases involve the agent, a fifth of its
    resolutions come back, a tenth of its conversations are new: 22 % of the tickets leave, not 84 %."""
    f = flow_of(AgentBehaviour(involvement_pct=0.33, resolution_pct=0.84, return_pct=0.20, new_demand_pct=0.10))
    assert round(float(f.vendor_resolutions / f.conversations), 2) == 0.84
    assert round(float(f.resolved), 4) == 0.2218
    assert round(float(f.handoffs), 4) == round(0.33 - 0.2218, 4)


@pytest.mark.parametrize("removed, longer", [(0.3, 0.18), (0.5, 0.30), (0.9, 0.54)])
def test_the_tickets_left_are_harder_in_the_range_practitioners_report(removed, longer):
    """On every ticket (the default ratio 0.4): 18 % longer at 30 % removed and 30 % at 50 %, within the 15-40 %
    practitioners report, and bounded as resolution nears all: 1 + 0.6 u."""
    f = flow(1.0, removed, 0.0, 0.0)
    assert round(float(f.resolved), 6) == removed
    assert round(float(f.handle_multiplier) - 1.0, 2) == longer


@given(i=share, r=share, back=share, q=share, f=st.floats(0, 2))
def test_hours_stay_between_none_and_the_hand_offs_at_their_hardest(i, r, back, q, f):
    """The work left is never negative, nothing is left when every ticket is resolved, and the tickets left never
    take more than 2 - q of an average ticket (times the hand-off ratio)."""
    out = flow(i, r, back, 0.0, q, f)
    assert out.agent_hours >= -1e-12
    left = float(out.tickets_for_people)
    if left > 1e-9:
        assert float(out.handle_multiplier) <= max(1.0, f * (2.0 - q)) + 1e-9
    if i == 1.0 and r == 1.0 and back == 0.0:
        assert abs(float(out.agent_hours)) < 1e-12


def test_the_agent_on_a_share_of_tickets_leaves_the_others_average():
    """Involved in half the tickets, resolving 60 % of those for good: the other half keep an average handle time,
    the hand-offs are the harder rest of the agent's half."""
    out = flow(0.5, 0.6, 0.0, 0.0, 0.4, 1.0)
    removed = 0.4 * 0.6 + 0.6 * 0.36                     # W(0.6) = 0.456 of the agent's half
    assert float(out.agent_hours) == pytest.approx(0.5 + 0.5 * (1 - removed))


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
