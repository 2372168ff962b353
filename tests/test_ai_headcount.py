"""What freed agent hours become under each headcount policy: never savings above the agents' cost actually
avoided, and each policy within its own limit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.ai_agent import POLICIES, HeadcountPolicy, headcount_effect

COST = 5_000.0
MONTHS = 12


def _ramp(top: float) -> np.ndarray:
    return np.minimum(np.arange(MONTHS) / 6.0, 1.0) * top


def test_attrition_lets_the_team_shrink_only_as_fast_as_people_leave():
    """20 agents freed by month 6 in a team of 40 losing 3 % a month: 1.2 in month 1, then each month's leavers."""
    effect = headcount_effect(HeadcountPolicy("attrition", attrition_pct=0.03), _ramp(20.0), 40.0, 0.0, COST)
    fewer = effect.fewer_agents
    assert fewer[0] == 0.0 and round(fewer[1], 4) == 1.2
    assert round(fewer[2], 4) == round(1.2 + 38.8 * 0.03, 4) == 2.364
    assert np.allclose(np.diff(fewer), (40.0 - fewer[:-1]) * 0.03)         # every month bound by its leavers
    assert np.all(fewer <= _ramp(20.0)) and round(effect.unrealised_agents[-1], 2) == round(20.0 - fewer[-1], 2)
    assert np.allclose(effect.staff_savings, fewer * COST)
    small = headcount_effect(HeadcountPolicy("attrition", attrition_pct=0.03), _ramp(3.0), 40.0, 0.0, COST)
    assert np.allclose(small.fewer_agents, _ramp(3.0))                      # slow enough: all of it realised


def test_hires_avoided_never_exceed_the_plans_hires():
    plan = np.zeros(MONTHS)
    plan[[2, 8]] = 2.0                                                   # the plan hires 2 in month 2 and 2 in month 8
    effect = headcount_effect(HeadcountPolicy("avoid_hires"), np.full(MONTHS, 3.0), 40.0, plan, COST)
    assert effect.fewer_agents.tolist() == [0, 0, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3]
    assert effect.unrealised_agents.tolist() == [3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]


def test_release_pays_severance_in_the_months_agents_go():
    effect = headcount_effect(HeadcountPolicy("release", severance_months=3.0), _ramp(6.0), 40.0, 0.0, COST)
    assert np.allclose(effect.fewer_agents, _ramp(6.0))
    assert effect.severance.sum() == pytest.approx(6.0 * 3.0 * COST)
    assert effect.severance[-1] == 0.0                                   # nobody more to release once it is flat


def test_redeployment_keeps_the_cost_and_names_its_benefit():
    effect = headcount_effect(HeadcountPolicy("redeploy", value_per_redeployed_agent_month=2_000.0), _ramp(4.0),
                              40.0, 0.0, COST)
    assert effect.staff_savings.sum() == 0.0 and np.allclose(effect.redeployed_agents, _ramp(4.0))
    assert effect.redeployment_benefit.sum() == pytest.approx(_ramp(4.0).sum() * 2_000.0)


freed = st.lists(st.floats(0, 50, allow_nan=False), min_size=1, max_size=36)


@given(freed=freed, team=st.floats(0, 200), attrition=st.floats(0, 0.5), plan=st.floats(0, 5),
       policy=st.sampled_from(POLICIES))
def test_no_policy_shows_savings_above_the_agents_cost_actually_avoided(freed, team, attrition, plan, policy):
    freed = np.array(freed)
    effect = headcount_effect(HeadcountPolicy(policy, attrition_pct=attrition), freed, team, plan, COST)
    assert np.all(effect.fewer_agents <= freed + 1e-9) and np.all(effect.fewer_agents <= team + 1e-9)
    assert np.all(effect.staff_savings <= np.minimum(freed, team) * COST + 1e-6)
    assert np.allclose(effect.fewer_agents + effect.redeployed_agents + effect.unrealised_agents, freed)


def test_draws_are_computed_at_once():
    freed = np.stack([_ramp(3.0), _ramp(9.0)])
    effect = headcount_effect(HeadcountPolicy("attrition"), freed, 40.0, 0.0, COST)
    assert effect.fewer_agents.shape == (2, MONTHS)
    single = headcount_effect(HeadcountPolicy("attrition"), _ramp(9.0), 40.0, 0.0, COST)
    assert np.allclose(effect.fewer_agents[1], single.fewer_agents)


def test_an_unknown_policy_or_attrition_out_of_range_is_refused():
    with pytest.raises(ValueError):
        HeadcountPolicy("fire_everyone")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        HeadcountPolicy("attrition", attrition_pct=0.8)
