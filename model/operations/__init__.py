"""The operational engine: one week of tickets and agents -> first-response time, on a 15-minute UTC grid.

``demand``          customers -> agent-handled tickets per channel, region and step
``supply``          sites' local hours, headcount and shrinkage -> agents on duty per step
``queueing``        Erlang B, C and A, staffing to a target, chat concurrency (vectorised)
``backlog``         the fluid first-in-first-out backlog on a repeating week (Newell)
``diffusion``       the e-mail backlog's randomness (a reflected Brownian workload)
``routing``         which site's queue each region joins, and the help idle sites give other queues
``response``        the week's first-response times per ticket, live channels first
``response_table``  the response model on a grid of work levels, for thousands of draws
``staffing``        views of one :class:`Week`: load by hour, live service, agents needed
"""

from model.operations.backlog import fluid_fifo
from model.operations.queueing import (
                                       ErlangA,
                                       erlang_a,
                                       erlang_b,
                                       erlang_c,
                                       required_agents,
                                       required_agents_erlang_a,
                                       service_level,
)
from model.operations.response import respond, summarise
from model.operations.staffing import Week, backlog_at_opening, hourly_load, live_service, response_stats

__all__ = [
    "ErlangA", "Week", "backlog_at_opening", "erlang_a", "erlang_b", "erlang_c", "fluid_fifo", "hourly_load",
    "live_service", "required_agents", "required_agents_erlang_a", "respond", "response_stats", "service_level",
    "summarise",
]
