"""Staffing views of one week: load by hour, live-channel service by hour, agents needed.

Pure functions on :class:`Week`, which :func:`model.engine.week_of` builds from a projection. Hours are UTC hours of the week (0 = Monday 00-01 UTC).
Live channels share the agents on duty; each live channel is given the agents left after the
other live channels' offered load (a priority-free split that keeps every channel's answer).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.operations import queueing
from model.operations.response import summarise
from model.weekgrid import FloatArray, per_hour

HOURS = 168


@dataclass(frozen=True)
class Week:
    """The average week behind one month of one variant, on the UTC grid (for the Staffing page).

    ``arrivals``: (channels, regions, steps) tickets per step; ``handle_time_h``: (channels,)
    agent-hours per ticket after concurrency and levers; ``on_duty_by_site``: (sites, steps);
    ``backlog_age_h``: (steps,) age of the oldest waiting e-mail at the start of each step;
    ``delay_paths_h``: (channels, queues, paths, steps) first response per site's queue and path
    of the e-mail backlog; ``queue_of_region``: (regions,) the queue each region's tickets join;
    ``queue_agents``: (queues, steps) agents answering each queue (its site's and the help it gets);
    ``business_hours``: (regions, steps) True in each region's local business hours.
    """

    arrivals: FloatArray
    handle_time_h: FloatArray
    is_live: np.ndarray
    target_h: FloatArray
    on_duty_by_site: FloatArray
    backlog_age_h: FloatArray
    delay_paths_h: FloatArray
    queue_of_region: np.ndarray
    queue_agents: FloatArray
    business_hours: FloatArray
    channels: tuple[str, ...]
    regions: tuple[str, ...]
    sites: tuple[str, ...]
    steps_per_hour: int

    @property
    def on_duty(self) -> FloatArray:
        return self.on_duty_by_site.sum(axis=0)


@dataclass(frozen=True)
class HourlyLoad:
    """Per UTC hour of the week: tickets arriving (per channel), agents on duty (per site), load."""

    tickets: FloatArray          # (channels, 168) tickets per hour
    on_duty: FloatArray          # (sites, 168) mean agents on duty in the hour
    work_h: FloatArray           # (168,) agent-hours of work arriving in the hour
    load_pct: FloatArray         # (168,) work / on-duty agent-hours (inf where closed and work arrives)


def hourly_load(week: Week) -> HourlyLoad:
    sph = week.steps_per_hour
    tickets = per_hour(week.arrivals.sum(axis=1), sph)
    on_duty = per_hour(week.on_duty_by_site, sph, how="mean")
    work = (tickets * week.handle_time_h[:, None]).sum(axis=0)
    capacity = on_duty.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(capacity > 0.0, work / capacity, np.where(work > 0.0, np.inf, 0.0))
    return HourlyLoad(tickets, on_duty, work, load)


@dataclass(frozen=True)
class LiveService:
    """Per live channel and UTC hour: service level, abandonment, mean wait and agents needed."""

    channels: tuple[str, ...]
    service_level: FloatArray     # (live channels, 168) answered within target / all arrivals
    abandon_pct: FloatArray       # (live channels, 168)
    asa_h: FloatArray             # (live channels, 168) mean wait over all arrivals
    required_agents: FloatArray   # (live channels, 168) whole agents for this channel alone to meet its target
    traffic_erl: FloatArray       # (live channels, 168)


def live_service(week: Week, patience_h: float, target_service_level: float,
                 max_occupancy: float = 0.9) -> LiveService:
    """Erlang A per live channel and hour with the agents answering each queue, and the agents it would need.

    Each site's queue (``model.operations.routing``) is its own pool: its agents (its site's and the
    help it gets) answer its regions' contacts; per channel and hour the queues' figures are weighed
    by their traffic, and the agents needed add up. Hours with nobody on duty have service level 0
    and every arrival counted as abandoned (the contact cannot be answered live). Required agents
    use the same Erlang A model.
    """
    live = np.flatnonzero(week.is_live)
    names = tuple(week.channels[i] for i in live)
    if live.size == 0:
        empty = np.zeros((0, HOURS))
        return LiveService(names, empty, empty, empty, empty, empty)
    sph = week.steps_per_hour
    queues = week.queue_agents.shape[0]
    member = (week.queue_of_region[:, None] == np.arange(queues)).astype(np.float64)        # (r, Q)
    by_queue = np.einsum("crt,rq->cqt", week.arrivals[live], member)
    traffic = per_hour(by_queue, sph) * week.handle_time_h[live, None, None]                # (live, Q, 168) Erlangs
    agents = per_hour(week.queue_agents, sph, how="mean")                                   # (Q, 168)
    others = traffic.sum(axis=0, keepdims=True) - traffic
    own = np.maximum(agents - others, 0.0)
    aht = np.broadcast_to(week.handle_time_h[live, None, None], traffic.shape)
    target = np.broadcast_to(week.target_h[live, None, None], traffic.shape)
    open_ = own >= 1.0
    busy = traffic > 0.0
    r = queueing.erlang_a(np.maximum(own, 1.0), np.maximum(traffic, 1e-9), aht, patience_h, target)
    needed = queueing.required_agents_erlang_a(np.maximum(traffic, 1e-9), aht, patience_h, target,
                                               target_service_level, max_occupancy)
    weight = traffic + 1e-12                     # an hour without contacts: the queues count alike

    def pooled(values: FloatArray) -> FloatArray:
        return (weight * values).sum(axis=1) / weight.sum(axis=1)

    asa = np.where(open_, r.asa_h, np.nan)
    return LiveService(
        channels=names,
        service_level=pooled(np.where(open_, r.service_level, 0.0)),
        abandon_pct=pooled(np.where(open_, r.abandon_pct, np.where(busy, 1.0, 0.0))),
        asa_h=np.where(np.isnan(asa).all(axis=1), np.nan, (np.nan_to_num(asa) * weight).sum(axis=1)
                       / np.where(open_, weight, 0.0).sum(axis=1).clip(1e-300)),
        required_agents=np.where(busy, needed, 0).sum(axis=1),
        traffic_erl=traffic.sum(axis=1),
    )


@dataclass(frozen=True)
class Opening:
    """How old the e-mail backlog is when a site opens (mean over its openings in the week, and the worst)."""

    site: str
    mean_age_h: float
    worst_age_h: float
    worst_step: int


def backlog_at_opening(week: Week) -> list[Opening]:
    """Age of the oldest waiting e-mail at each site's opening, per site (none for a site never open)."""
    out = []
    for name, duty in zip(week.sites, week.on_duty_by_site):
        open_now = duty > 0.0
        opens = np.flatnonzero(open_now & ~np.roll(open_now, 1))
        if opens.size == 0:
            continue
        ages = week.backlog_age_h[opens]
        worst = int(opens[np.argmax(ages)])
        out.append(Opening(name, float(ages.mean()), float(ages.max()), worst))
    return out


def response_stats(week: Week) -> pd.DataFrame:
    """First response per channel and customer region over the week's tickets and every path.

    Columns: channel, region, mean_h, median_h, p90_h, within_target_pct, business_mean_h,
    business_median_h (hours; the business figures count the tickets written in the region's
    business hours).
    """
    s = summarise(week.delay_paths_h, week.arrivals, week.target_h, week.business_hours, week.queue_of_region)
    channels, regions = np.meshgrid(np.arange(len(week.channels)), np.arange(len(week.regions)), indexing="ij")
    return pd.DataFrame({
        "channel": [week.channels[i] for i in channels.ravel()],
        "region": [week.regions[j] for j in regions.ravel()],
        "mean_h": s.mean_h.ravel(), "median_h": s.median_h.ravel(), "p90_h": s.p90_h.ravel(),
        "within_target_pct": s.within_target_pct.ravel(), "business_mean_h": s.business_mean_h.ravel(),
        "business_median_h": s.business_median_h.ravel(),
    })
