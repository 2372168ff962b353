"""A fluid first-in-first-out backlog on a repeating week (Newell's cumulative diagram).

Work arrives at ``arrivals[k]`` and can be done at ``capacity[k]`` per step (both in the same
unit, e.g. agent-hours per step). The backlog follows Lindley's recursion, written without a
loop as ``Q = S - min(0, running min of S)`` with ``S`` the cumulative sum of arrivals minus
capacity. FIFO delay of the work arriving in step k is the time at which cumulative departures
reach the middle of that step's arrivals, minus the middle of the step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.weekgrid import BoolArray, FloatArray

NOT_SERVED_CAP_H = 24.0 * 7.0 * 8.0


@dataclass(frozen=True)
class FluidResult:
    """Delays and departures of the measured week; leading axes as the inputs.

    ``backlog_end`` is the work still queued when the measured week ends (weekend tickets
    waiting for Monday are normal); ``overloaded`` says the backlog grows from week to week.
    """

    delay_h: FloatArray
    served: FloatArray
    backlog_end: FloatArray
    overloaded: BoolArray
    oldest_age_h: FloatArray | None    # age of the oldest work still queued at the start of each step; None
                                       # when not asked for


def _inverse_cumulative(cum: FloatArray, targets: FloatArray) -> FloatArray:
    """Fractional step index at which each nondecreasing row of ``cum`` first reaches each target.

    ``cum`` has shape (R, T + 1) (values at step boundaries), ``targets`` (R, K). Each row is searched on
    its own values, so a row's answer does not depend on the other rows in the batch. Targets above a
    row's last value get ``inf``. A value that reaches a target only up to rounding (1e-12 of the row's
    scale) counts as reaching it: cumulative departures of an empty queue can sit 1e-16 below cumulative
    arrivals, and the search must not skip on to a later week.
    """
    rows, width = cum.shape
    top = np.maximum(np.max(cum, axis=1, initial=0.0), np.max(targets, axis=1, initial=0.0))[:, None] + 1.0
    reach = targets - 1e-12 * top
    idx = np.empty(targets.shape, dtype=np.int64)
    for r in range(rows):              # one search per queue of a table row (tens), never per draw or step
        idx[r] = np.searchsorted(cum[r], reach[r], side="left")
    j = np.clip(idx, 1, width - 1)
    lo = np.take_along_axis(cum, j - 1, axis=1)
    hi = np.take_along_axis(cum, j, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(hi > lo, (targets - lo) / (hi - lo), 0.0)
    pos = (j - 1) + np.clip(frac, 0.0, 1.0)
    return np.where(reach > cum[:, -1:], np.inf, pos)


def _week_backlog(s1: FloatArray, run1: FloatArray, w: int) -> FloatArray:
    """Backlog at the end of each step, ``Q = S - min(0, running min of S)``, in week ``w`` (0 = the first) of
    one week repeated from an empty queue, read off the first week alone: ``s1`` (..., T) its cumulative net
    work (arrivals minus capacity) and ``run1`` the running minimum of ``s1``.

    Week ``w``'s ``S`` is the first week's plus ``w`` times the week's total, and the lowest ``S`` before week
    ``w`` is the first week's lowest plus ``(w - 1) * min(0, total)``; the first week is the recursion's exactly.
    """
    total, low1 = s1[..., -1:], run1[..., -1:]
    s = s1 + w * total
    low = run1 + w * total
    if w >= 1:
        np.minimum(low, low1 + (w - 1) * np.minimum(total, 0.0), out=low)
    s -= np.minimum(low, 0.0, out=low)
    return s


def _backlog_of_weeks(net: FloatArray, weeks: int) -> FloatArray:
    """:func:`_week_backlog` of every week of ``weeks`` repeats of ``net`` (..., T): (..., weeks, T)."""
    s1 = np.cumsum(net, axis=-1)
    run1 = np.minimum.accumulate(s1, axis=-1)
    out = np.empty(net.shape[:-1] + (weeks, net.shape[-1]))
    for w in range(weeks):             # a handful of weeks
        out[..., w, :] = _week_backlog(s1, run1, w)
    return out


def fluid_served(arrivals: FloatArray, capacity: FloatArray, weeks: int = 3) -> FloatArray:
    """Work served per step of week number ``weeks`` from an empty queue: :func:`fluid_fifo`'s ``served`` alone.

    Shapes as :func:`fluid_fifo`; without the delays it needs no search, for callers that only
    ask how busy the agents are. Only the measured week, and the backlog the week before leaves, are
    read off the first week (:func:`_week_backlog`).
    """
    shape = np.broadcast_shapes(arrivals.shape, capacity.shape)
    a = np.broadcast_to(arrivals, shape)
    s1 = np.cumsum(a - capacity, axis=-1)
    run1 = np.minimum.accumulate(s1, axis=-1)
    last = _week_backlog(s1, run1, weeks - 1)
    before = (_week_backlog(s1[..., -1:], run1[..., -1:], weeks - 2) if weeks > 1
              else np.zeros(shape[:-1] + (1,)))
    return np.concatenate([before, last[..., :-1]], axis=-1) + a - last


def fluid_fifo(arrivals: FloatArray, capacity: FloatArray, step_h: float, weeks: int = 3,
               ages: bool = True) -> FluidResult:
    """Run the week from an empty queue and measure week number ``weeks``.

    ``arrivals`` and ``capacity`` have shape (..., T) for one week of T steps. One more week
    follows the measured one so that work arriving late in it (a Friday evening ticket) is
    served at the real next opening. Work still not served by the end of the run is given the
    delay it would have at the week's mean capacity, capped at eight weeks; such rows, and rows
    whose weekly work exceeds weekly capacity, are flagged as overloaded. ``ages``: also find the age
    of the oldest work waiting at each step (a second search; the response table does not need it).
    """
    steps = arrivals.shape[-1]
    shape = np.broadcast_shapes(arrivals.shape, capacity.shape)
    a2 = np.broadcast_to(arrivals, shape).reshape(-1, steps)
    c2 = np.broadcast_to(capacity, shape).reshape(-1, steps)
    rows = a2.shape[0]
    total = (weeks + 1) * steps

    queue = _backlog_of_weeks(a2 - c2, weeks + 1).reshape(rows, total)
    arrived = np.cumsum(a2, axis=1)
    zero = np.zeros((rows, 1))
    cum_arr = np.concatenate(
        [zero, (arrived[:, None, :] + np.arange(weeks + 1.0)[:, None] * arrived[:, None, -1:]).reshape(rows, total)],
        axis=1)
    cum_dep = cum_arr - np.concatenate([zero, queue], axis=1)

    first = (weeks - 1) * steps
    last = first + steps
    mid_work = 0.5 * (cum_arr[:, first:last] + cum_arr[:, first + 1:last + 1])
    pos = _inverse_cumulative(cum_dep, mid_work)
    mid_step = np.arange(first, last, dtype=np.float64) + 0.5
    mean_cap = np.maximum(c2.mean(axis=1, keepdims=True), 1e-300)
    unserved = mid_work - cum_dep[:, -1:]
    beyond = total + unserved / mean_cap
    pos = np.where(np.isfinite(pos), pos, beyond)
    delay = np.clip((pos - mid_step) * step_h, 0.0, NOT_SERVED_CAP_H)

    served = np.diff(cum_dep[:, first:last + 1], axis=1)
    oldest = None
    if ages:
        # FIFO: the oldest work still queued at boundary k arrived when cumulative arrivals reached
        # the cumulative departures at k.
        boundary = np.arange(first, last, dtype=np.float64)
        arrived_at = _inverse_cumulative(cum_arr, cum_dep[:, first:last])
        queued = cum_arr[:, first:last] - cum_dep[:, first:last] > 1e-9 * np.maximum(cum_arr[:, -1:], 1.0)
        oldest = np.maximum(np.where(queued & np.isfinite(arrived_at), (boundary - arrived_at) * step_h, 0.0),
                            0.0).reshape(shape[:-1] + (steps,))
    backlog_end = queue[:, last - 1]
    backlog_before = queue[:, first - 1] if first > 0 else np.zeros(rows)
    week_arr = a2.sum(axis=1)
    week_cap = c2.sum(axis=1)
    growing = backlog_end > backlog_before + 1e-6 * np.maximum(week_arr, 1.0)
    overloaded = (week_arr > week_cap * (1.0 + 1e-9)) | growing
    lead = shape[:-1]
    return FluidResult(
        delay_h=delay.reshape(lead + (steps,)),
        served=served.reshape(lead + (steps,)),
        backlog_end=backlog_end.reshape(lead),
        overloaded=overloaded.reshape(lead),
        oldest_age_h=oldest,
    )
