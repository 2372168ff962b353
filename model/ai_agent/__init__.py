"""The AI agent lever as vendors sell it and finance checks it.

``flow``     where its conversations go per ticket of today: resolved for good, handed off, new demand; the
             agent hours and the harder mix left to people
``headcount``  what freed hours become: hires avoided, leavers not replaced, redeployment or release, never
             more than the plan can realise
``lever``    the lever's parameters in one frozen dataclass, ``model.params.Levers.ai_agent``
``pricing``  the vendors' pricing models (per resolution, allowance and overage, per conversation, per action,
             session bundles, seats) and run costs, each reduced to one figure: the cost per true resolution
"""

from model.ai_agent.flow import AgentBehaviour, Flow, flow, flow_of
from model.ai_agent.headcount import POLICIES, HeadcountEffect, HeadcountPolicy, headcount_effect
from model.ai_agent.lever import RESOLUTION_AT_LAUNCH, AIAgent, ChannelInvolvement
from model.ai_agent.pricing import (
    PerAction,
    PerConversation,
    PerResolution,
    Pricing,
    ResolutionAllowance,
    RunCosts,
    Seats,
    SessionBundle,
    cost_per_true_resolution,
    monthly_fee,
)

__all__ = ["AIAgent", "AgentBehaviour", "ChannelInvolvement", "RESOLUTION_AT_LAUNCH", "Flow", "flow", "flow_of", "POLICIES", "HeadcountEffect", "HeadcountPolicy",
           "headcount_effect", "PerAction", "PerConversation", "PerResolution", "Pricing", "ResolutionAllowance", "RunCosts", "Seats",
           "SessionBundle", "cost_per_true_resolution", "monthly_fee"]
