"""What freed agent hours become: agents not hired, leavers not replaced, people moved to other work, or released.

Hours an AI agent frees are not money until the team is smaller than it would have been. A policy says how it gets
smaller, and each way has its own limit; the model counts only what the plan can realise:

- ``avoid_hires``: agents the growth plan would have hired are not; never more than the plan's hires so far;
- ``attrition``: leavers are not replaced; the team shrinks by at most the month's leavers (``attrition_pct``
  a month of those still employed);
- ``redeploy``: agents move to other work; their cost stays, and what they do there is a named benefit the user
  values (``value_per_redeployed_agent_month``, 0 unless entered);
- ``release``: agents are let go at once, each costing ``severance_months`` of their loaded cost.

Freed hours the policy cannot turn into fewer agents stay with the team, and come back as shorter waits, which the
rest of the model prices. Arrays have the months last (draws first); the attrition path runs month by month, all
draws at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
Policy = Literal["avoid_hires", "attrition", "redeploy", "release"]
POLICIES: tuple[Policy, ...] = ("avoid_hires", "attrition", "redeploy", "release")


@dataclass(frozen=True)
class HeadcountPolicy:
    """How freed agent hours become fewer agents (see the module docstring); shares as fractions a month."""

    policy: Policy = "attrition"
    attrition_pct: float = 0.03
    severance_months: float = 3.0
    value_per_redeployed_agent_month: float = 0.0

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(f"a headcount policy is one of {', '.join(POLICIES)}")
        if not 0.0 <= self.attrition_pct <= 0.5:
            raise ValueError("attrition must be 0 to 50 % a month")
        if self.severance_months < 0 or self.value_per_redeployed_agent_month < 0:
            raise ValueError("severance and the value of redeployed agents must be 0 or more")


@dataclass(frozen=True)
class HeadcountEffect:
    """Per month (agents, and money in the case's currency a month)."""

    fewer_agents: FloatArray          # below the path the team would have had
    redeployed_agents: FloatArray     # moved to other work, still paid
    unrealised_agents: FloatArray     # freed but not turned into fewer agents: service, not savings
    staff_savings: FloatArray         # fewer agents x loaded cost
    severance: FloatArray             # paid in the months agents are released
    redeployment_benefit: FloatArray  # the named benefit of redeployed agents, as the user values it


def headcount_effect(policy: HeadcountPolicy, freed_agents: ArrayLike, team_agents: ArrayLike,
                     planned_hires: ArrayLike, cost_per_agent_month: float) -> HeadcountEffect:
    """Freed agents (FTE the freed hours equal, per month) through ``policy``.

    ``team_agents`` is the team each month without the AI agent; ``planned_hires`` the agents the plan would hire
    each month (for ``avoid_hires``). Arrays broadcast; months on the last axis.
    """
    freed = np.maximum(np.asarray(freed_agents, dtype=np.float64), 0.0)
    team = np.broadcast_to(np.asarray(team_agents, dtype=np.float64), freed.shape)
    hires = np.broadcast_to(np.asarray(planned_hires, dtype=np.float64), freed.shape)
    zero = np.zeros_like(freed)
    fewer, redeployed, severance, benefit = zero, zero, zero, zero
    if policy.policy == "avoid_hires":
        fewer = np.minimum(np.minimum(freed, np.cumsum(np.maximum(hires, 0.0), axis=-1)), team)
    elif policy.policy == "attrition":
        fewer = _through_attrition(freed, team, policy.attrition_pct)
    elif policy.policy == "release":
        fewer = np.minimum(freed, team)
        released = np.maximum(np.diff(fewer, axis=-1, prepend=0.0), 0.0)
        severance = released * policy.severance_months * cost_per_agent_month
    else:
        redeployed = np.minimum(freed, team)
        benefit = redeployed * policy.value_per_redeployed_agent_month
    return HeadcountEffect(fewer_agents=fewer, redeployed_agents=redeployed,
                           unrealised_agents=freed - fewer - redeployed,
                           staff_savings=fewer * cost_per_agent_month, severance=severance,
                           redeployment_benefit=benefit)


def _through_attrition(freed: FloatArray, team: FloatArray, attrition: float) -> FloatArray:
    """Fewer agents each month: at most last month's reduction plus this month's leavers, at most what is freed."""
    fewer = np.empty_like(freed)
    previous = np.zeros(freed.shape[:-1])
    for m in range(freed.shape[-1]):                   # a recursion over months; every draw at once
        leavers = np.maximum(team[..., m] - previous, 0.0) * attrition
        previous = np.minimum(freed[..., m], previous + leavers)
        fewer[..., m] = previous
    return fewer
