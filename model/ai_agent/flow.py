"""Where an AI agent's conversations go: resolved for good, handed to a person, or new demand, per ticket of today.

The vendor's resolution rate is not the share of tickets that leaves the team. Of today's tickets the agent takes part in a
share (``involvement_pct``) and resolves a share of those as the vendor counts it (``resolution_pct``); some of
those come back within the window (``return_pct``) and reach a person after all. On top, some of its conversations
would never have been tickets (``new_demand_pct``): they cost fees and remove no work. So, per ticket of today:

- conversations the agent takes part in: ``i / (1 - n)``; the vendor counts ``r`` of them resolved;
- tickets that leave the team for good: ``s = i u`` with ``u = r (1 - rho)`` the share of the agent's tickets it
  resolves for good; people still take ``1 - s`` tickets;
- hand-offs (unresolved attempts and returns): ``i - s``, customers who tried the agent first;
- agent hours, in today's hours per ticket: ``(1 - i) + f i (1 - W(u))``. Of the tickets it takes part in, the agent
  resolves the easiest first: the first take ``q`` of an average ticket's handle time (``resolved_handle_ratio``),
  later ones more, so the resolved share ``u`` carries ``W(u) = q u + (1 - q) u^2`` of those tickets' work (all of it
  at ``u = 1``). The tickets it hands off are the harder rest, ``1 + (1 - q) u`` times an average ticket, and take
  ``f`` (``handoff_handle_ratio``; 1 by default: no saving from the conversation's context unless measured) of that.
  Tickets it never sees keep an average handle time. More resolution never adds hours (``W`` rises with ``u``), the
  hours never fall below zero, and no involvement changes nothing.

Everything is vectorised: parameters may be arrays (draws, months, channels) broadcast together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from model.checks import check

FloatArray = NDArray[np.float64]


def _check_share(value: float, name: str, high: float = 1.0) -> None:
    check(0.0 <= value <= high, f"{name} must be 0 to {high * 100:g} %")


@dataclass(frozen=True)
class AgentBehaviour:
    """How an AI agent works on the team's conversations (shares as fractions, 0-1).

    ``new_demand_pct`` is the share of the agent's conversations that would never have become tickets, so it is
    below 1. ``resolved_handle_ratio`` is the handle time of the first (easiest) tickets the agent resolves relative
    to an average one; ``handoff_handle_ratio`` the handle time of a handed-off conversation relative to the same
    ticket arriving cold. Defaults and their sources: ``docs/ai_agent.md``.
    """

    involvement_pct: float
    resolution_pct: float
    return_pct: float = 0.20
    new_demand_pct: float = 0.10
    resolved_handle_ratio: float = 0.40
    handoff_handle_ratio: float = 1.0

    def __post_init__(self) -> None:
        _check_share(self.involvement_pct, "involvement")
        _check_share(self.resolution_pct, "resolution")
        _check_share(self.return_pct, "returns")
        _check_share(self.new_demand_pct, "new demand", 0.9)
        _check_share(self.resolved_handle_ratio, "the handle time of resolved tickets")
        _check_share(self.handoff_handle_ratio, "the handle time of hand-offs", 2.0)


@dataclass(frozen=True)
class Flow:
    """Per ticket of today (arrays broadcast from the inputs): what the agent does and what is left to people."""

    conversations: FloatArray           # the agent's conversations, new demand included
    new_demand: FloatArray              # of which would never have been tickets
    vendor_resolutions: FloatArray      # what the vendor counts (and may bill) as resolved
    resolved: FloatArray                # tickets that leave the team for good
    handoffs: FloatArray                # attempts that reach a person: unresolved, or back within the window
    tickets_for_people: FloatArray      # 1 - resolved
    agent_hours: FloatArray             # in today's agent hours per ticket

    @property
    def handle_multiplier(self) -> FloatArray:
        """Handle time of a ticket people still take, relative to today's average (the harder mix)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.tickets_for_people > 0, self.agent_hours / self.tickets_for_people, 1.0)


def flow(involvement: ArrayLike, resolution: ArrayLike, return_share: ArrayLike = 0.20,
         new_demand_share: ArrayLike = 0.10, resolved_handle_ratio: ArrayLike = 0.40,
         handoff_handle_ratio: ArrayLike = 1.0) -> Flow:
    """The agent's conversations and the work left to people, per ticket of today (see the module docstring)."""
    i, r, back, n, q, f = (np.asarray(x, dtype=np.float64) for x in
                           (involvement, resolution, return_share, new_demand_share, resolved_handle_ratio,
                            handoff_handle_ratio))
    conversations = i / (1.0 - n)
    u = r * (1.0 - back)
    resolved = i * u
    removed_work = q * u + (1.0 - q) * u * u          # of the work of the tickets the agent takes part in
    return Flow(conversations=conversations, new_demand=conversations - i, vendor_resolutions=conversations * r,
                resolved=resolved, handoffs=i - resolved, tickets_for_people=1.0 - resolved,
                agent_hours=(1.0 - i) + f * i * (1.0 - removed_work))


def flow_of(agent: AgentBehaviour) -> Flow:
    """:func:`flow` at an agent's entered values."""
    return flow(agent.involvement_pct, agent.resolution_pct, agent.return_pct, agent.new_demand_pct,
                agent.resolved_handle_ratio, agent.handoff_handle_ratio)
