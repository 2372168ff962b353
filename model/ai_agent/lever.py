"""The AI agent lever's parameters in one frozen dataclass: how it works, what it costs, what freed hours become.

Not yet part of :class:`model.params.Levers` (see ``docs/ai_agent.md``, "Next"): it is written and read as JSON with
the scenario's own serialiser, its pricing as whichever vendor model the user chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.ai_agent.flow import AgentBehaviour
from model.ai_agent.headcount import HeadcountPolicy
from model.ai_agent.pricing import PerAction, PerConversation, PerResolution, ResolutionAllowance, RunCosts, Seats, \
    SessionBundle


@dataclass(frozen=True)
class AIAgent:
    """An AI agent from ``start_month``, its involvement and resolution reaching the entered values over
    ``ramp_months``; ``ai_csat_relative`` is the CSAT of a conversation it resolves relative to a person's."""

    behaviour: AgentBehaviour
    pricing: PerResolution | ResolutionAllowance | PerConversation | PerAction | SessionBundle | Seats
    run: RunCosts = field(default_factory=RunCosts)
    policy: HeadcountPolicy = field(default_factory=HeadcountPolicy)
    ai_csat_relative: float = 0.9
    start_month: int = 0
    ramp_months: float = 6.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.ai_csat_relative <= 1.2:
            raise ValueError("the CSAT of AI-resolved conversations relative to a person's must be 0 to 1.2")
        if self.start_month < 0 or not 0.0 <= self.ramp_months <= 36.0:
            raise ValueError("the AI agent starts in month 0 or later and ramps over 0 to 36 months")
