"""Response model: one week of arrivals and on-duty agents -> first-response time per ticket.

This is the interface the Scenario page relies on. ``respond`` takes arrivals per channel,
region and UTC step and agents on duty per step, and gives the first-response delay of the
tickets arriving in each step, per channel. Live channels (chat, phone) are served first;
e-mail gets the capacity they leave.

- Live channels: a fluid FIFO backlog (``model.operations.backlog``); the wait is the larger of the fluid
  delay and the Erlang C wait of the step (``model.operations.queueing``), so it never jumps when a small
  backlog appears and more agents never make it longer.
- E-mail: the fluid backlog with its randomness (``model.operations.diffusion``), which reproduces Erlang C
  at steady load and stays right near saturation, where the fluid queue is empty but the real
  one is not; plus the agent's handle time of the first touch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.operations import diffusion, queueing
from model.operations.backlog import fluid_fifo
from model.weekgrid import BoolArray, FloatArray

ERLANG_WAIT_CAP_H = 1.0


@dataclass(frozen=True)
class ResponseWeek:
    """First-response delays of one average week; leading axes as the inputs.

    ``delay_paths_h``: (..., channels, paths, steps) hours from arrival to first reply on each
    random path of the e-mail backlog (``model.operations.diffusion``); e-mail includes the agent's handle time
    of the first touch, live channels (the same on every path) the wait to answer.
    ``delay_h``: (..., channels, steps) their mean over the paths.
    ``load_pct``: (..., steps) offered work / capacity (inf where closed and work arrives).
    """

    delay_paths_h: FloatArray
    load_pct: FloatArray
    overloaded: BoolArray
    backlog_age_h: FloatArray    # (..., steps) age of the oldest waiting e-mail at each step's start

    @property
    def delay_h(self) -> FloatArray:
        return self.delay_paths_h.mean(axis=-2)


def respond(arrivals: FloatArray, handle_time_h: FloatArray, is_live: BoolArray, on_duty: FloatArray,
            steps_per_hour: int) -> ResponseWeek:
    """First-response delay per channel and step.

    Parameters
    ----------
    arrivals : (..., channels, regions, steps) tickets per step.
    handle_time_h : (..., channels) agent-hours per ticket (after chat concurrency).
    is_live : (channels,) True for chat and phone.
    on_duty : (..., steps) agents on duty.
    steps_per_hour : grid resolution.
    """
    step_h = 1.0 / steps_per_hour
    per_channel = arrivals.sum(axis=-2)
    work = per_channel * handle_time_h[..., None]
    live = is_live[:, None]
    work_live = np.where(live, work, 0.0).sum(axis=-2)
    work_async = np.where(live, 0.0, work).sum(axis=-2)
    capacity = on_duty * step_h

    live_q = fluid_fifo(work_live, capacity, step_h)
    left = capacity - live_q.served
    # Where chat and phone take every agent, the subtraction leaves rounding (1e-16 agent-hours), not time.
    async_capacity = np.where(left > 1e-9 * capacity, left, 0.0)
    async_q = fluid_fifo(work_async, async_capacity, step_h)

    traffic_live = work_live / step_h
    wait_live = queueing.average_speed_of_answer_h(on_duty[..., None, :], traffic_live[..., None, :],
                                                   handle_time_h[..., None])
    wait_live = np.minimum(np.nan_to_num(wait_live, nan=ERLANG_WAIT_CAP_H, posinf=ERLANG_WAIT_CAP_H),
                           ERLANG_WAIT_CAP_H)
    wait_live = np.where(on_duty[..., None, :] > 0.0, wait_live, 0.0)     # closed: the backlog decides
    wait_live = np.maximum(live_q.delay_h[..., None, :], wait_live)

    async_handle_h = _work_weighted(work, handle_time_h, ~live)
    work_var = 2.0 * np.where(live, 0.0, work * handle_time_h[..., None]).sum(axis=-2)
    shift = diffusion.wait_shift_agent_h(async_capacity / step_h, work_async / step_h, async_handle_h)
    wait_paths = diffusion.brownian_fifo(work_async, async_capacity, work_var, shift, steps_per_hour)

    delay_paths = np.where(live[:, None], wait_live[..., None, :],
                           wait_paths[..., None, :, :] + handle_time_h[..., None, None])

    offered = work_live + work_async
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        load = np.where(capacity > 0.0, offered / capacity, np.where(offered > 0.0, np.inf, 0.0))
    return ResponseWeek(delay_paths_h=delay_paths, load_pct=load, overloaded=live_q.overloaded | async_q.overloaded,
                        backlog_age_h=async_q.oldest_age_h)


def _work_weighted(work: FloatArray, handle_time_h: FloatArray, chosen: BoolArray) -> FloatArray:
    """Work-weighted mean handle time (hours) of the chosen channels per step; 0 where none arrives."""
    w = np.where(chosen, work, 0.0)
    total = w.sum(axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0.0, (w * handle_time_h[..., None]).sum(axis=-2) / total, 0.0)


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


def _quantiles_by_region(delay_h: FloatArray, weights: FloatArray, qs: tuple[float, ...]) -> list[FloatArray]:
    """Weighted quantiles per channel and region, sorting each channel's delays once.

    Every region of a channel shares the same delay per step, so one sort per channel orders the
    weights of all regions; ``delay_h`` (..., ch, steps), ``weights`` (..., ch, regions, steps).
    """
    order = np.argsort(delay_h, axis=-1)
    d_sorted = np.take_along_axis(delay_h, order, axis=-1)[..., None, :]
    w_sorted = np.take_along_axis(weights, np.broadcast_to(order[..., None, :], weights.shape), axis=-1)
    cum = np.cumsum(w_sorted, axis=-1)
    d_full = np.broadcast_to(d_sorted, weights.shape)
    return [_at_crossing(d_full, cum, q) for q in qs]


def summarise_means(delay_paths_h: FloatArray, arrivals: FloatArray, target_h: FloatArray,
                    business_hours: FloatArray | None = None) -> ResponseMeans:
    """Means and share within target; delay (..., ch, paths, steps), arrivals (..., ch, regions, steps).

    Each step's tickets are spread evenly over the paths, so the share within target counts the
    paths on which a step's tickets make it. ``business_hours`` (regions, steps), True where a
    region is in its local business hours.
    """
    mean = delay_paths_h.mean(axis=-2)[..., None, :]
    made_it = (delay_paths_h <= np.asarray(target_h)[:, None, None]).mean(axis=-2)[..., None, :]
    in_hours = arrivals if business_hours is None else arrivals * business_hours
    within = _mean(np.broadcast_to(made_it, arrivals.shape), arrivals)
    return ResponseMeans(
        mean_h=_mean(np.broadcast_to(mean, arrivals.shape), arrivals),
        within_target_pct=np.where(arrivals.sum(axis=-1) > 0.0, within, 1.0),
        business_mean_h=_mean(np.broadcast_to(mean, arrivals.shape), in_hours),
    )


def summarise(delay_paths_h: FloatArray, arrivals: FloatArray, target_h: FloatArray,
              business_hours: FloatArray | None = None) -> ResponseStats:
    """:func:`summarise_means` plus quantiles over every ticket of the week and every path.

    The quantiles sort paths x steps values per channel: for one week's view, not for a loop.
    """
    means = summarise_means(delay_paths_h, arrivals, target_h, business_hours)
    paths = delay_paths_h.shape[-2]
    flat = np.swapaxes(delay_paths_h, -1, -2).reshape(delay_paths_h.shape[:-2] + (-1,))   # step-major
    weights = np.repeat(arrivals, paths, axis=-1) / paths
    in_hours = weights if business_hours is None else weights * np.repeat(business_hours, paths, axis=-1)
    median, p90 = _quantiles_by_region(flat, weights, (0.5, 0.9))
    b_median, b_p90 = _quantiles_by_region(flat, in_hours, (0.5, 0.9))
    return ResponseStats(mean_h=means.mean_h, within_target_pct=means.within_target_pct,
                         business_mean_h=means.business_mean_h, median_h=median, p90_h=p90,
                         business_median_h=b_median, business_p90_h=b_p90)
