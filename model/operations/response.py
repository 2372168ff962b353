"""Response model: one week of arrivals and on-duty agents -> first-response time per ticket.

This is the interface the Scenario page relies on. ``respond`` takes arrivals per channel,
region and UTC step and agents on duty per step (per site, with a routing of regions to sites'
queues: ``model.operations.routing``), and gives the first-response delay of the tickets arriving
in each step, per channel and queue. Within a queue live channels (chat, phone) are served first;
e-mail gets the capacity they leave.

- Live channels: a fluid FIFO backlog (``model.operations.backlog``); the wait is the larger of the fluid
  delay and the Erlang C wait of the step (``model.operations.queueing``), so it never jumps when a small
  backlog appears and more agents never make it longer.
- E-mail: the fluid backlog with its randomness (``model.operations.diffusion``), which reproduces Erlang C
  at steady load and stays right near saturation, where the fluid queue is empty but the real
  one is not; plus the agent's handle time of the first touch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from model.operations import diffusion, queueing
from model.operations.backlog import fluid_fifo
from model.operations.routing import Routing, queue_capacity
from model.weekgrid import BoolArray, FloatArray

ERLANG_WAIT_CAP_H = 1.0


@dataclass(frozen=True)
class ResponseWeek:
    """First-response delays of one average week; leading axes as the inputs.

    ``delay_paths_h``: (..., channels, queues, paths, steps) hours from arrival to first reply on
    each random path of the e-mail backlog (``model.operations.diffusion``), per site's queue
    (one queue when the week is not routed); e-mail includes the agent's handle time of the first
    touch, live channels (the same on every path) the wait to answer.
    ``queue_of_region``: (..., regions) the queue each region's tickets join.
    ``load_pct``: (..., steps) offered work / capacity of all sites (inf where closed and work arrives).
    """

    delay_paths_h: FloatArray
    load_pct: FloatArray
    overloaded: BoolArray
    backlog_age_h: FloatArray | None    # (..., steps) age of the oldest waiting e-mail of any queue at each step's
                                        # start; None when not asked for
    queue_of_region: np.ndarray
    queue_agents: FloatArray     # (..., queues, steps) agents answering each queue: its site's and the help it gets

    @property
    def delay_h(self) -> FloatArray:
        """(..., channels, queues, steps) mean over the paths."""
        return self.delay_paths_h.mean(axis=-2)

    def region_delay_h(self) -> FloatArray:
        """(..., channels, regions, steps) mean delay of the tickets of each region."""
        return by_region(self.delay_h, self.queue_of_region)


def by_region(per_queue: FloatArray, queue_of_region: np.ndarray) -> FloatArray:
    """Values per queue (..., ch, queues, last) read per region: (..., ch, regions, last)."""
    q = np.asarray(queue_of_region)
    if per_queue.shape[-2] == 1:
        return np.broadcast_to(per_queue, per_queue.shape[:-2] + (q.shape[-1], per_queue.shape[-1]))
    idx = q[..., None, :, None]
    idx = idx.reshape((1,) * (per_queue.ndim - idx.ndim) + idx.shape)
    lead = np.broadcast_shapes(per_queue.shape[:-2], idx.shape[:-2])
    return np.take_along_axis(np.broadcast_to(per_queue, lead + per_queue.shape[-2:]),
                              np.broadcast_to(idx, lead + (q.shape[-1], 1)), axis=-2)


def respond(arrivals: FloatArray, handle_time_h: FloatArray, is_live: BoolArray, on_duty: FloatArray,
            steps_per_hour: int, routing: Routing | None = None, ages: bool = True) -> ResponseWeek:
    """First-response delay per channel, queue and step.

    Parameters
    ----------
    arrivals : (..., channels, regions, steps) tickets per step.
    handle_time_h : (..., channels) agent-hours per ticket (after chat concurrency).
    is_live : (channels,) True for chat and phone.
    on_duty : (..., steps) agents on duty, one pooled queue; with ``routing``, (..., sites, steps)
        agents on duty per site, each site's queue holding the regions routed to it.
    steps_per_hour : grid resolution.
    routing : regions to sites' queues and which sites help (``model.operations.routing``).
    ages : also find the age of the oldest waiting e-mail at each step (``backlog_age_h``).
    """
    step_h = 1.0 / steps_per_hour
    work = arrivals * handle_time_h[..., None, None]                       # (..., ch, r, T)
    if routing is None:
        queue_of_region = np.zeros(arrivals.shape[-2], dtype=np.int64)
        work_q = work.sum(axis=-2, keepdims=True)                           # (..., ch, 1, T)
        capacity = on_duty[..., None, :] * step_h
        agents = on_duty[..., None, :]
    else:
        queue_of_region = routing.queue_of_region
        one_hot = routing.one_hot()                                         # (..., r, Q)
        work_q = np.swapaxes(np.matmul(np.swapaxes(work, -1, -2), one_hot[..., None, :, :]), -1, -2)
    live = is_live[:, None, None]
    work_live = np.where(live, work_q, 0.0).sum(axis=-3)                    # (..., Q, T)
    work_async = np.where(live, 0.0, work_q).sum(axis=-3)
    reach = _reachable(on_duty, routing)
    if routing is not None:
        capacity = queue_capacity(work_live, work_async, on_duty * step_h, routing)
        # Only queues that hold a region need their waits: the others' agents count through their help.
        held = np.unique(queue_of_region)
        if held.size < capacity.shape[-2]:
            queue_of_region = np.searchsorted(held, queue_of_region)
            capacity, work_live, work_async, work_q, reach = (
                x[..., held, :] for x in (capacity, work_live, work_async, work_q, reach))
        agents = capacity / step_h

    live_q = fluid_fifo(work_live, capacity, step_h, ages=False)
    left = capacity - live_q.served
    # Where chat and phone take every agent, the subtraction leaves rounding (1e-16 agent-hours), not time.
    async_capacity = np.where(left > 1e-9 * capacity, left, 0.0)
    async_q = fluid_fifo(work_async, async_capacity, step_h, ages=ages)

    handle = handle_time_h[..., None, None]                                 # (..., ch, 1, 1)
    wait_live = queueing.average_speed_of_answer_h(agents[..., None, :, :], (work_live / step_h)[..., None, :, :],
                                                   handle)
    wait_live = np.minimum(np.nan_to_num(wait_live, nan=ERLANG_WAIT_CAP_H, posinf=ERLANG_WAIT_CAP_H),
                           ERLANG_WAIT_CAP_H)
    # Where no site that may answer a queue is open, the backlog decides. Which sites are open, not how much
    # of their time is idle, draws the line, so more agents never move a step from "closed" to "open".
    wait_live = np.where(reach[..., None, :, :] > 0.0, wait_live, 0.0)
    wait_live = np.maximum(live_q.delay_h[..., None, :, :], wait_live)      # (..., ch, Q, T)

    async_handle_h = _work_weighted(work_q, handle_time_h, ~is_live)
    work_var = 2.0 * np.where(live, 0.0, work_q * handle).sum(axis=-3)
    shift = diffusion.wait_shift_agent_h(async_capacity / step_h, work_async / step_h, async_handle_h)
    wait_paths = diffusion.brownian_fifo(work_async, async_capacity, work_var, shift, steps_per_hour)

    delay_paths = np.where(is_live[:, None, None, None], wait_live[..., None, :],
                           wait_paths[..., None, :, :, :] + handle[..., None])

    offered = (work_live + work_async).sum(axis=-2)
    total = capacity.sum(axis=-2) if routing is None else on_duty.sum(axis=-2) * step_h
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        load = np.where(total > 0.0, offered / total, np.where(offered > 0.0, np.inf, 0.0))
    return ResponseWeek(delay_paths_h=delay_paths, load_pct=load,
                        overloaded=(live_q.overloaded | async_q.overloaded).any(axis=-1),
                        backlog_age_h=None if async_q.oldest_age_h is None else async_q.oldest_age_h.max(axis=-2),
                        queue_of_region=queue_of_region,
                        queue_agents=agents)


def respond_routed(arrivals: FloatArray, handle_time_h: FloatArray, is_live: BoolArray, on_duty_by_site: FloatArray,
                   steps_per_hour: int, routing: Routing) -> ResponseWeek:
    """:func:`respond` with agents per site; one pooled queue of every site's agents when the routing is pooled.

    Pooled routing (every region to one site, every other site helping) is the same queue as
    pooling the agents, so it runs as one queue: the result is the unrouted model's exactly.
    """
    if routing.is_pooled():
        week = respond(arrivals, handle_time_h, is_live, on_duty_by_site.sum(axis=-2), steps_per_hour)
        return replace(week, queue_of_region=np.zeros_like(routing.queue_of_region))
    return respond(arrivals, handle_time_h, is_live, on_duty_by_site, steps_per_hour, routing)


def _reachable(on_duty: FloatArray, routing: Routing | None) -> FloatArray:
    """(..., Q, T) agents on duty at the sites that may answer each queue: its own and every helping site."""
    if routing is None:
        return on_duty[..., None, :]
    helpers = (on_duty * routing.helps[:, None]).sum(axis=-2, keepdims=True)
    return on_duty + helpers - on_duty * routing.helps[:, None]


def _work_weighted(work: FloatArray, handle_time_h: FloatArray, chosen: BoolArray) -> FloatArray:
    """Work-weighted mean handle time (hours) of the chosen channels per queue and step; 0 where none arrives.

    ``work``: (..., ch, Q, T); returns (..., Q, T).
    """
    w = np.where(chosen[:, None, None], work, 0.0)
    total = w.sum(axis=-3)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0.0, (w * handle_time_h[..., None, None]).sum(axis=-3) / total, 0.0)


def _at_crossing(sorted_values: FloatArray, cum_weights: FloatArray, q: float) -> FloatArray:
    """The first sorted value whose cumulative weight reaches ``q`` of the total (last axis)."""
    total = cum_weights[..., -1:]
    idx = np.argmax(cum_weights >= q * total - 1e-12 * total, axis=-1)[..., None]
    return np.take_along_axis(sorted_values, idx, axis=-1)[..., 0]


@dataclass(frozen=True)
class ResponseMeans:
    """Per channel and region: mean first response (hours) and share answered within target.

    ``business_mean_h`` is over the tickets written in the region's business hours.
    """

    mean_h: FloatArray
    within_target_pct: FloatArray
    business_mean_h: FloatArray


@dataclass(frozen=True)
class ResponseStats(ResponseMeans):
    """:class:`ResponseMeans` plus the median and 90th percentile over every ticket (hours)."""

    median_h: FloatArray
    p90_h: FloatArray
    business_median_h: FloatArray
    business_p90_h: FloatArray


def _mean(d: FloatArray, w: FloatArray) -> FloatArray:
    total = w.sum(axis=-1)
    return (w * d).sum(axis=-1) / np.where(total > 0.0, total, 1.0)


def _quantiles_by_region(delay_h: FloatArray, weights: FloatArray, queue_of_region: np.ndarray,
                         qs: tuple[float, ...]) -> list[FloatArray]:
    """Weighted quantiles per channel and region, sorting each queue's delays once.

    Every region of a queue shares the same delay per step, so one sort per channel and queue
    orders the weights of its regions; ``delay_h`` (..., ch, Q, K), ``weights`` (..., ch, r, K).
    """
    order = np.argsort(delay_h, axis=-1)
    d_sorted = by_region(np.take_along_axis(delay_h, order, axis=-1), queue_of_region)
    order = by_region(order, queue_of_region)
    w_sorted = np.take_along_axis(weights, np.broadcast_to(order, weights.shape), axis=-1)
    cum = np.cumsum(w_sorted, axis=-1)
    d_full = np.broadcast_to(d_sorted, weights.shape)
    return [_at_crossing(d_full, cum, q) for q in qs]


def summarise_means(delay_paths_h: FloatArray, arrivals: FloatArray, target_h: FloatArray,
                    business_hours: FloatArray | None = None, queue_of_region: np.ndarray | None = None
                    ) -> ResponseMeans:
    """Means and share within target; delay (..., ch, Q, paths, steps), arrivals (..., ch, regions, steps).

    Each step's tickets are spread evenly over the paths, so the share within target counts the
    paths on which a step's tickets make it. ``business_hours`` (regions, steps), True where a
    region is in its local business hours. ``queue_of_region`` (..., regions): the queue each
    region joins (all the first when not given).
    """
    q = np.zeros(arrivals.shape[-2], dtype=np.int64) if queue_of_region is None else queue_of_region
    mean = np.broadcast_to(by_region(delay_paths_h.mean(axis=-2), q), arrivals.shape)
    made_it = by_region((delay_paths_h <= np.asarray(target_h)[:, None, None, None]).mean(axis=-2), q)
    in_hours = arrivals if business_hours is None else arrivals * business_hours
    within = _mean(np.broadcast_to(made_it, arrivals.shape), arrivals)
    return ResponseMeans(
        mean_h=_mean(mean, arrivals),
        within_target_pct=np.where(arrivals.sum(axis=-1) > 0.0, within, 1.0),
        business_mean_h=_mean(mean, in_hours),
    )


def summarise(delay_paths_h: FloatArray, arrivals: FloatArray, target_h: FloatArray,
              business_hours: FloatArray | None = None, queue_of_region: np.ndarray | None = None
              ) -> ResponseStats:
    """:func:`summarise_means` plus quantiles over every ticket of the week and every path.

    The quantiles sort paths x steps values per channel and queue: for one week's view, not for a loop.
    """
    q = np.zeros(arrivals.shape[-2], dtype=np.int64) if queue_of_region is None else queue_of_region
    means = summarise_means(delay_paths_h, arrivals, target_h, business_hours, q)
    paths = delay_paths_h.shape[-2]
    flat = np.swapaxes(delay_paths_h, -1, -2).reshape(delay_paths_h.shape[:-2] + (-1,))   # step-major
    weights = np.repeat(arrivals, paths, axis=-1) / paths
    in_hours = weights if business_hours is None else weights * np.repeat(business_hours, paths, axis=-1)
    median, p90 = _quantiles_by_region(flat, weights, q, (0.5, 0.9))
    b_median, b_p90 = _quantiles_by_region(flat, in_hours, q, (0.5, 0.9))
    return ResponseStats(mean_h=means.mean_h, within_target_pct=means.within_target_pct,
                         business_mean_h=means.business_mean_h, median_h=median, p90_h=p90,
                         business_median_h=b_median, business_p90_h=b_p90)
