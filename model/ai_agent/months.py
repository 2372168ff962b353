"""The AI agent month by month, per column of the engine (the point view, the tornado's runs, the draws).

Per issue that reaches the team (after any self-service), in each column and month: the agent's conversations, the
resolutions its vendor counts, the tickets that leave for good, the hand-offs, and the work left to people. Channels
are summed at their share of tickets for counts and at their share of today's work (tickets x handle time) for
work, so a chat resolved saves a chat's time and an e-mail an e-mail's. The totals set the tickets and the work the
queues meet; :func:`channel_mix` gives how they split over the channels (an agent on chat alone leaves e-mail's
tickets as they were).

Involvement and resolution grow with the launch ramp: involvement from 0, resolution from
:data:`~model.ai_agent.lever.RESOLUTION_AT_LAUNCH` of its settled rate. Uncertain inputs are multipliers per column
(``v``), each kept within its share's limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.ai_agent.flow import flow
from model.ai_agent.lever import MAX_CSAT_RELATIVE, RESOLUTION_AT_LAUNCH, AIAgent
from model.ramp import s_curve, stretched
from model.weekgrid import FloatArray

MAX_NEW_DEMAND = 0.9


@dataclass(frozen=True)
class AIMonths:
    """Per column and month (D, M), per issue reaching the team; ``csat_relative`` per column (D,)."""

    conversations: FloatArray          # the agent's conversations, new demand included
    vendor_resolutions: FloatArray     # what the vendor counts (and may bill) as resolved
    resolved: FloatArray               # tickets that leave the team for good
    handoffs: FloatArray               # tried the agent, then reached a person
    work: FloatArray                   # agent hours left, relative to today's per issue
    csat_relative: FloatArray          # CSAT of an AI-resolved conversation relative to a person's answer
    resolved_by_channel: FloatArray    # (D, M, ch) tickets of each channel that leave for good
    work_by_channel: FloatArray        # (D, M, ch) agent hours left per ticket of each channel, relative to today's

    @property
    def handle_multiplier(self) -> FloatArray:
        """Handle time of the tickets people still take, relative to today's average (the harder mix)."""
        left = 1.0 - self.resolved
        return np.where(left > 0.0, self.work / np.where(left > 0.0, left, 1.0), 1.0)


def ai_months(agent: AIAgent, channels: Sequence[str], ticket_share: FloatArray, work_share: FloatArray,
              months: int, v: Mapping[str, FloatArray]) -> AIMonths:
    """The agent's flow per column and month; ``ticket_share`` and ``work_share`` (channels,) each sum to 1.

    ``v`` holds the columns' multipliers: ``ai_resolution_achieved``, ``ai_returns``, ``ai_new_demand``,
    ``ai_csat`` and ``ramp_time`` (each (D,)).
    """
    b = agent.behaviour
    ramp = s_curve(months, agent.start_month, stretched(agent.ramp_months, v["ramp_time"]))
    involvement = np.array([agent.involvement_of(c) for c in channels])                  # (ch,)
    settled = np.minimum(b.resolution_pct * v["ai_resolution_achieved"], 1.0)[:, None]   # (D, 1)
    resolution = settled * (RESOLUTION_AT_LAUNCH + (1.0 - RESOLUTION_AT_LAUNCH) * ramp)   # (D, M)
    back = np.minimum(b.return_pct * v["ai_returns"], 1.0)[:, None, None]
    new = np.minimum(b.new_demand_pct * v["ai_new_demand"], MAX_NEW_DEMAND)[:, None, None]
    f = flow(ramp[..., None] * involvement, resolution[..., None], back, new, b.resolved_handle_ratio,
             b.handoff_handle_ratio)                                                       # (D, M, ch)
    return AIMonths(conversations=f.conversations @ ticket_share,
                    vendor_resolutions=f.vendor_resolutions @ ticket_share,
                    resolved=f.resolved @ ticket_share,
                    handoffs=f.handoffs @ ticket_share,
                    work=1.0 - (1.0 - f.agent_hours) @ work_share,      # exactly 1 where nothing is involved
                    csat_relative=np.minimum(agent.ai_csat_relative * v["ai_csat"], MAX_CSAT_RELATIVE),
                    resolved_by_channel=f.resolved, work_by_channel=f.agent_hours)


def channel_mix(resolved: FloatArray, work: FloatArray, ticket_share: FloatArray,
                work_share: FloatArray) -> tuple[FloatArray, FloatArray]:
    """How the tickets and the work people still take split over the channels, relative to today's split.

    ``resolved`` and ``work`` hold each channel's tickets leaving and hours left per ticket (..., ch). Returns each
    channel's tickets relative to its share of today's (``tickets``: its share of the tickets left over its share
    today) and its handle time relative to the all-channel multiplier (``handle``), so that the tickets and the work
    summed over the channels are the totals: ``sum(share * tickets) = 1`` and ``sum(share * handle_h * tickets *
    handle) = sum(share * handle_h)`` at today's handle times.
    """
    left = 1.0 - resolved
    total_left = np.maximum(left @ ticket_share, 1e-12)[..., None]
    total_work = np.maximum(1.0 - (1.0 - work) @ work_share, 1e-12)[..., None]
    tickets = left / total_left
    per_ticket = np.where(left > 1e-12, work / np.maximum(left, 1e-12), 1.0)
    return tickets, per_ticket / (total_work / total_left)
