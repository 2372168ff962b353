"""Response model: one week of arrivals and on-duty agents -> first-response time per ticket.

This is the interface the Scenario page relies on. ``respond`` takes arrivals per channel,
region and UTC step and agents on duty per step, and gives the first-response delay of the
tickets arriving in each step, per channel. Live channels (chat, phone) are served first;
e-mail gets the capacity they leave. Each class is a fluid FIFO backlog (``sim.backlog``); the
wait is the larger of the fluid delay and the Erlang C wait of the step (``sim.queueing``), so
it never jumps when a small backlog appears and more agents never make it longer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import queueing
from sim.backlog import fluid_fifo
from sim.weekgrid import BoolArray, FloatArray

ERLANG_WAIT_CAP_H = 1.0


@dataclass(frozen=True)
class ResponseWeek:
    """First-response delays of one average week; leading axes as the inputs.

    ``delay_h``: (..., channels, steps) hours from arrival to first reply (e-mail includes the
    agent's handle time of the first touch, live channels the wait to answer).
    ``load_pct``: (..., steps) offered work / capacity (inf where closed and work arrives).
    """

    delay_h: FloatArray
    load_pct: FloatArray
    overloaded: BoolArray
    backlog_age_h: FloatArray    # (..., steps) age of the oldest waiting e-mail at each step's start


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
    async_q = fluid_fifo(work_async, np.maximum(capacity - live_q.served, 0.0), step_h)

    traffic_live = work_live / step_h
    traffic_all = (work_live + work_async) / step_h
    wait_live = queueing.average_speed_of_answer_h(on_duty[..., None, :], traffic_live[..., None, :],
                                                   handle_time_h[..., None])
    wait_all = queueing.average_speed_of_answer_h(on_duty[..., None, :], traffic_all[..., None, :],
                                                  handle_time_h[..., None])
    erlang_wait = np.where(live, wait_live, wait_all)
    erlang_wait = np.minimum(np.nan_to_num(erlang_wait, nan=ERLANG_WAIT_CAP_H, posinf=ERLANG_WAIT_CAP_H),
                             ERLANG_WAIT_CAP_H)
    erlang_wait = np.where(on_duty[..., None, :] > 0.0, erlang_wait, 0.0)   # closed: the backlog decides

    fluid_delay = np.where(live, live_q.delay_h[..., None, :], async_q.delay_h[..., None, :])
    delay = np.maximum(fluid_delay, erlang_wait) + np.where(live, 0.0, handle_time_h[..., None])

    offered = work_live + work_async
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        load = np.where(capacity > 0.0, offered / capacity, np.where(offered > 0.0, np.inf, 0.0))
    return ResponseWeek(delay_h=delay, load_pct=load, overloaded=live_q.overloaded | async_q.overloaded,
                        backlog_age_h=async_q.oldest_age_h)


def _at_crossing(sorted_values: FloatArray, cum_weights: FloatArray, q: float) -> FloatArray:
    """The first sorted value whose cumulative weight reaches ``q`` of the total (last axis)."""
    total = cum_weights[..., -1:]
    idx = np.argmax(cum_weights >= q * total - 1e-12 * total, axis=-1)[..., None]
    return np.take_along_axis(sorted_values, idx, axis=-1)[..., 0]


def weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> FloatArray:
    """Weighted quantile along the last axis (lower value at the crossing)."""
    order = np.argsort(values, axis=-1)
    v = np.take_along_axis(values, order, axis=-1)
    w = np.take_along_axis(np.broadcast_to(weights, values.shape), order, axis=-1)
    return _at_crossing(v, np.cumsum(w, axis=-1), q)


@dataclass(frozen=True)
class ResponseStats:
    """Per channel and region: mean, median, p90 first response (hours) and share within target."""

    mean_h: FloatArray
    median_h: FloatArray
    p90_h: FloatArray
    within_target_pct: FloatArray
    business_mean_h: FloatArray
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


def summarise(delay_h: FloatArray, arrivals: FloatArray, target_h: FloatArray,
              business_hours: FloatArray | None = None) -> ResponseStats:
    """Statistics over the week's tickets; delay (..., ch, steps), arrivals (..., ch, regions, steps).

    ``business_hours`` (regions, steps), True where a region is in its local business hours: the
    ``business_*`` figures are over the tickets written then (calendar time still counts).
    """
    d = np.broadcast_to(delay_h[..., None, :], arrivals.shape)
    within = _mean(d <= np.asarray(target_h)[:, None, None], arrivals)
    in_hours = arrivals if business_hours is None else arrivals * business_hours
    median, p90 = _quantiles_by_region(delay_h, arrivals, (0.5, 0.9))
    b_median, b_p90 = _quantiles_by_region(delay_h, in_hours, (0.5, 0.9))
    return ResponseStats(
        mean_h=_mean(d, arrivals),
        median_h=median,
        p90_h=p90,
        within_target_pct=np.where(arrivals.sum(axis=-1) > 0.0, within, 1.0),
        business_mean_h=_mean(d, in_hours),
        business_median_h=b_median,
        business_p90_h=b_p90,
    )
