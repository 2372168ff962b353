"""The AI agent lever's parameters in one frozen dataclass: how it works, what it costs, what freed hours become.

It is ``model.params.Levers.ai_agent``; the engine reads it in ``model.engine`` (``_demand_levers``, ``_ai_staff``,
``_ai_counts``).
It is written and read as JSON with the scenario's own serialiser, its pricing as whichever vendor model the user
chose (the members of the pricing union are told apart by their fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.ai_agent.flow import AgentBehaviour
from model.ai_agent.headcount import HeadcountPolicy
from model.ramp import MAX_RAMP_MONTHS
from model.ai_agent.pricing import PerAction, PerConversation, PerResolution, ResolutionAllowance, RunCosts, Seats, \
    SessionBundle

RESOLUTION_AT_LAUNCH = 0.5   # of the settled resolution rate in the launch month, rising with the ramp [D]
MAX_CSAT_RELATIVE = 1.2      # the CSAT of the agent's conversations relative to a person's answer, at most


@dataclass(frozen=True)
class ChannelInvolvement:
    """The share of one channel's contacts (0-1) the agent takes part in."""

    channel: str
    involvement_pct: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.involvement_pct <= 1.0:
            raise ValueError(f"the AI agent's involvement in {self.channel} must be 0 to 100 %")


@dataclass(frozen=True)
class AIAgent:
    """An AI agent from ``start_month``, its involvement and resolution reaching the entered values over
    ``ramp_months``.

    ``channels`` gives the involvement per channel; a channel it does not name takes ``behaviour.involvement_pct``.
    ``ai_csat_relative`` is the CSAT of a conversation the agent resolves relative to a person's answer that month;
    ``handoff_csat_relative`` that of a customer who tried the agent first and then reached a person (a failed
    attempt is a worse experience than a person's answer alone).
    """

    behaviour: AgentBehaviour
    pricing: PerResolution | ResolutionAllowance | PerConversation | PerAction | SessionBundle | Seats
    run: RunCosts = field(default_factory=RunCosts)
    policy: HeadcountPolicy = field(default_factory=HeadcountPolicy)
    ai_csat_relative: float = 0.9
    handoff_csat_relative: float = 0.85
    start_month: int = 0
    ramp_months: float = 6.0
    channels: tuple[ChannelInvolvement, ...] = ()

    def __post_init__(self) -> None:
        if not (0.0 <= self.ai_csat_relative <= MAX_CSAT_RELATIVE
                and 0.0 <= self.handoff_csat_relative <= MAX_CSAT_RELATIVE):
            raise ValueError("the CSAT of AI-resolved and handed-off conversations relative to a person's must be "
                             f"0 to {MAX_CSAT_RELATIVE:g}")
        if self.start_month < 0 or not 0.0 <= self.ramp_months <= MAX_RAMP_MONTHS:
            raise ValueError("the AI agent starts in month 0 or later and ramps over 0 to 36 months")
        named = [c.channel for c in self.channels]
        if len(set(named)) != len(named):
            raise ValueError("the AI agent's involvement names a channel twice")

    def involvement_of(self, channel: str) -> float:
        """The share of ``channel``'s contacts the agent takes part in."""
        return next((c.involvement_pct for c in self.channels if c.channel == channel),
                    self.behaviour.involvement_pct)
