"""Which site answers which customers: each region's tickets join the queue of the site that serves it first.

A site's agents work their own queue first (live channels, then e-mail). When it is empty, the
agents of a site that helps take tickets from the other sites' queues. Each queue is run on its
own site's agents plus the idle time the helping sites give it:

1. every site's idle agent-hours per step are found with each site serving its own queue alone
   (all of a site's time is idle when no region is its own);
2. for :data:`HELP_ROUNDS` rounds they are found again with each queue also served by the help
   it receives, its own agents counted busy first (a site whose evening tickets another site
   answers starts the next morning with less to do, and has more time to help);
3. a helping site's idle time goes to the other queues in proportion to the work arriving at
   each in that step. Shares fixed by the arrivals (not by how far behind each queue is) keep
   every queue's agent-hours, and so every wait, monotone in every site's agents.

With one queue (every region served first by one site, the others helping) this is one pooled
first-in-first-out queue of all the agents on duty, the model as it was before routing. Checked
against Ciw with customer classes per region and agents who pick their own regions first
(``tests/test_ciw_routing.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.operations.backlog import fluid_served
from model.weekgrid import BoolArray, FloatArray

HELP_ROUNDS = 2         # rounds of idle time recomputed with the help each queue receives
TINY_WEIGHT = 1e-12     # a queue with regions but no arrivals in a step still takes (a vanishing part of) the help


@dataclass(frozen=True)
class Routing:
    """Regions to queues, one queue per site.

    ``queue_of_region``: (..., regions) int, the site whose agents serve the region's tickets
    first (leading axes as the week's rows, e.g. one assignment per staffing anchor).
    ``helps``: (sites,) bool, True where a site's idle agents take the other sites' tickets.
    """

    queue_of_region: np.ndarray
    helps: BoolArray

    @property
    def sites(self) -> int:
        return int(self.helps.size)

    def one_hot(self) -> FloatArray:
        """(..., regions, sites) 1.0 where a region joins a site's queue."""
        return (self.queue_of_region[..., None] == np.arange(self.sites)).astype(np.float64)

    def is_pooled(self) -> bool:
        """One queue: every region joins the same site's queue in every row, and every other site helps."""
        first = self.queue_of_region.reshape(-1)[:1]
        if first.size == 0 or not np.all(self.queue_of_region == first[0]):
            return False
        others = np.ones(self.sites, dtype=bool)
        others[int(first[0])] = False
        return bool(np.all(self.helps[others]))


def assign(regions: Sequence[str], claims: Sequence[Sequence[str]], order: Sequence[int] | None = None,
           main: int = 0) -> np.ndarray:
    """Each region's queue: the first site (taken in ``order``) whose claim names it, else ``main``.

    ``claims``: per site, the regions it serves first; an empty claim serves none first.
    """
    order = range(len(claims)) if order is None else order
    out = np.full(len(regions), main, dtype=np.int64)
    for r, name in enumerate(regions):
        out[r] = next((s for s in order if name in claims[s]), main)
    return out


def _served(work_live: FloatArray, work_async: FloatArray, capacity: FloatArray) -> FloatArray:
    """Agent-hours per step a queue's work takes of ``capacity``, live work first; (..., sites, steps)."""
    live = fluid_served(work_live, capacity)
    left = capacity - live
    left = np.where(left > 1e-9 * capacity, left, 0.0)
    return live + fluid_served(work_async, left)


def _received(idle: FloatArray, weight: FloatArray, routing: Routing, has_regions: BoolArray) -> FloatArray:
    """Agent-hours per step each queue receives from the other sites' idle agents (split by ``weight``)."""
    gives = idle * routing.helps[:, None]
    others = weight.sum(axis=-2, keepdims=True) - weight                      # each giver's receivers
    with np.errstate(divide="ignore", invalid="ignore"):
        per_weight = np.where(others > 0.0, gives / others, 0.0)              # (..., sites, steps)
    return np.where(has_regions[..., None], weight * (per_weight.sum(axis=-2, keepdims=True) - per_weight), 0.0)


def queue_capacity(work_live: FloatArray, work_async: FloatArray, capacity: FloatArray, routing: Routing
                   ) -> FloatArray:
    """Agent-hours per step each queue gets: its site's own plus what the helping sites give it.

    A site's idle time is first found with each site serving its own queue alone; then, for
    :data:`HELP_ROUNDS` rounds, again with every queue also served by the help it receives (a site
    whose evening tickets another site answers starts the next day with less to do, and has more
    time to help). Own agents are counted busy first.

    Parameters
    ----------
    work_live, work_async : (..., sites, steps) agent-hours of work arriving at each site's queue.
    capacity : (..., sites, steps) agent-hours on duty at each site.
    routing : which regions each queue holds (``queue_of_region`` broadcasting with the rows).
    """
    has_regions = np.broadcast_to(routing.one_hot().sum(axis=-2) > 0.0, capacity.shape[:-1])
    weight = work_live + work_async + TINY_WEIGHT * has_regions[..., None]
    if not np.any(has_regions.sum(axis=-1) > 1):
        return capacity + _received(capacity, weight, routing, has_regions)

    scale = 1e-9 * capacity.max(axis=-1, keepdims=True)

    def idle_of(served: FloatArray) -> FloatArray:
        idle = capacity - np.minimum(served, capacity)
        return np.where((idle > scale) & (capacity > 0.0), idle, 0.0)   # a closed or busy site leaves rounding

    idle = idle_of(_served(work_live, work_async, capacity))
    for _ in range(HELP_ROUNDS):
        idle = idle_of(_served(work_live, work_async, capacity + _received(idle, weight, routing, has_regions)))
    return capacity + _received(idle, weight, routing, has_regions)
