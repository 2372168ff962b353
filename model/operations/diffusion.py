"""The e-mail backlog's randomness: a reflected Brownian workload around the fluid backlog.

The fluid backlog (``model.operations.backlog``) replaces the random queue by its mean flow. That is right
when a backlog is large or the load is light, and wrong near saturation: at 95 % load the fluid
queue is empty while the real one holds hours of work, and a week whose work nearly equals its
capacity carries random leftovers into the next day (Mandelbaum and Massey, *Strong
approximations for time-dependent queues*, Math. Oper. Res. 20, 1995: the fluid limit plus a
reflected Brownian correction).

Here the pooled workload ``W`` (agent-hours) is a Brownian motion with the fluid's drift
(work arriving minus capacity, per hour) and the variance of compound Poisson work,
``2 * handle_h * work`` per hour for exponential handle times, reflected at zero. The process is
sampled exactly at hour ends, the minimum inside each hour drawn from its Brownian bridge, so the
reflection is not missed between samples. A ticket arriving at ``t`` is first touched when the
capacity after ``t`` has done the work ahead of it, ``max(W(t) - shift, 0)``; the ``shift``
turns the pooled server into ``c`` agents and is chosen so that, for a continuously observed
process at constant rates, the mean wait equals Erlang C's (:func:`wait_shift_agent_h`). Sampled
hourly over 16 paths it lands within 15 % of Erlang C, or 10 seconds where the wait is under a
minute (2 to 50 agents, 80-98 % load; ``tests/test_diffusion.py``).

Paths are fixed (seeded, stratified, antithetic), so the result is a smooth, reproducible function of the
inputs, and shared by every variant, so more agents never lengthen a wait on any path.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.special import ndtri

from model.operations import queueing
from model.operations.backlog import NOT_SERVED_CAP_H
from model.weekgrid import FloatArray, per_hour

PATHS = 16
SEED = 20_261_124
_AT_SATURATION = 1e-4     # relative gap below which a load counts as saturated


@lru_cache(maxsize=8)
def _noise(paths: int, weeks: int, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Standard normals and ``-2 ln U`` per path and hour of ``weeks`` weeks of ``hours``; read-only.

    Near saturation the wait is driven by how much work a whole week brings, so each week's sum
    of normals is stratified (a Latin hypercube over the paths, each week its own order), the
    hours inside the week keep their independent Brownian-bridge spread; the second half of the
    paths mirrors the first (antithetic). On the near-saturation reference weeks (94 % and 98 % of
    the agent-hours) sixteen paths give the mean of 4,096 within 2-4 %.
    """
    if paths < 2 or paths % 2:
        raise ValueError(f"paths must be an even number >= 2, got {paths}")
    rng = np.random.default_rng(SEED)
    half = paths // 2
    spread = rng.standard_normal((half, weeks, hours))
    spread -= spread.mean(axis=-1, keepdims=True)
    # each week: one stratum of every mirrored pair (s, paths - 1 - s) per path, picked at random
    pairs = np.stack([rng.permutation(half) for _ in range(weeks)], axis=1)
    strata = np.where(rng.random((half, weeks)) < 0.5, pairs, paths - 1 - pairs)
    week_sum = np.sqrt(hours) * ndtri((strata + 0.5) / paths)
    z = (spread + (week_sum / hours)[..., None]).reshape(half, weeks * hours)
    e = -2.0 * np.log1p(-rng.random((half, weeks * hours)))
    z = np.concatenate([z, -z])
    e = np.concatenate([e, e])
    z.flags.writeable = False
    e.flags.writeable = False
    return z, e


def wait_shift_agent_h(agents: FloatArray, traffic_erl: FloatArray, handle_time_h: FloatArray) -> FloatArray:
    """Pooled work (agent-hours) that ``agents`` absorb before a ticket waits.

    With a reflected Brownian workload of variance ``2 * h * a`` and drift ``a - c`` the
    stationary wait is exponential with mean ``h * rho / (c (1 - rho))``; Erlang C's mean wait is
    ``C(c, a) * h / (c (1 - rho))``. Subtracting ``h * rho * ln(rho / C) / (1 - rho)`` from the
    workload makes them equal. At and above saturation the value at the saturation limit is
    used, so the shift is continuous and grows with the agents (more agents, less waiting).
    Zero where no agent is on duty or no work arrives; infinite where nobody ever waits (Erlang C
    below the smallest double).
    """
    c = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    saturated = c <= a * (1.0 + _AT_SATURATION)
    a_eff = np.where(saturated, c * (1.0 - _AT_SATURATION), a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = a_eff / c
        waits = queueing.erlang_c(c, a_eff)
        shift = rho * (np.log(rho) - np.log(waits)) / (1.0 - rho)
    never_waits = (c > 0.0) & (rho > 0.0) & (waits <= 0.0)      # Erlang C below the smallest double
    shift = np.where(never_waits, np.inf, np.where((c > 0.0) & np.isfinite(shift), shift, 0.0))
    return np.maximum(shift, 0.0) * np.asarray(handle_time_h, dtype=np.float64)


def _first_above(cum: FloatArray, targets: FloatArray) -> FloatArray:
    """Fractional step index at which each row of nondecreasing ``cum`` first exceeds each target.

    ``cum`` (R, T + 1) at step boundaries, ``targets`` (R, K). A target equal to a flat stretch
    (a closed site) maps to the stretch's end, the next opening (``np.interp`` takes the last of
    equal points). ``inf`` beyond a row's last value. Each row is searched on its own values, so
    identical rows give identical answers.
    """
    index = np.arange(cum.shape[1], dtype=np.float64)
    pos = np.empty(targets.shape)
    for r in range(cum.shape[0]):      # one search per queue of a table row (tens), never per draw or step
        pos[r] = np.interp(targets[r], cum[r], index)
    pos[targets > cum[:, -1:]] = np.inf
    return pos


def brownian_fifo(work: FloatArray, capacity: FloatArray, work_var: FloatArray, shift: FloatArray,
                  steps_per_hour: int, weeks: int = 3, paths: int = PATHS) -> FloatArray:
    """FIFO wait (hours) of the work arriving in each step of week number ``weeks``, per path.

    Returns (..., paths, T); the mean over the paths axis is the expected wait, and the paths
    together are the spread of waits that quantiles and shares within a target need.

    Parameters
    ----------
    work, capacity : (..., T) agent-hours arriving and available per step; T covers one week.
    work_var : (..., T) variance of the work arriving per step (agent-hours squared).
    shift : (..., T) :func:`wait_shift_agent_h` of the step.
    steps_per_hour : grid resolution; the Brownian workload is sampled per hour.
    weeks : the week measured, after ``weeks - 1`` weeks from empty; one more week lets late
        work reach the next opening, and work still waiting after it is given the delay at the
        week's mean capacity, capped at eight weeks (as the fluid backlog).
    """
    lead = np.broadcast_shapes(work.shape, capacity.shape, work_var.shape, shift.shape)
    steps = lead[-1]
    hours = steps // steps_per_hour
    step_h = 1.0 / steps_per_hour

    def rows(x: FloatArray) -> FloatArray:
        return np.broadcast_to(x, lead).reshape(-1, steps)

    a, c, v, k = rows(work), rows(capacity), rows(work_var), rows(shift)
    n_rows = a.shape[0]

    drift = np.tile(per_hour(a - c, steps_per_hour), weeks)[:, None, :]   # (R, 1, H * weeks)
    var = np.tile(per_hour(v, steps_per_hour), weeks)[:, None, :]
    z, e = _noise(paths, weeks, hours)
    inc = drift + np.sqrt(var) * z                                          # (R, P, H * weeks)
    level = np.cumsum(inc, axis=-1)
    # Brownian-bridge minimum inside each hour: level - inc + (inc - sqrt(inc**2 + var * e)) / 2
    low_in_hour = var * e
    low_in_hour += inc * inc
    np.sqrt(low_in_hour, out=low_in_hour)
    np.subtract(inc, low_in_hour, out=low_in_hour)
    low_in_hour *= 0.5
    low_in_hour += level - inc
    np.minimum.accumulate(low_in_hour, axis=-1, out=low_in_hour)
    workload = level - np.minimum(low_in_hour, 0.0, out=low_in_hour)

    first = (weeks - 1) * hours
    start = workload[..., first - 1:first + hours - 1] if first > 0 else np.concatenate(
        [np.zeros((n_rows, paths, 1)), workload[..., :hours - 1]], axis=-1)
    end = workload[..., first:first + hours]
    f = (np.arange(steps_per_hour) + 0.5) / steps_per_hour                 # step middles within the hour
    rise = end - start
    mid = rise[..., None] * f                                              # (R, P, H, sph)
    mid += start[..., None]
    ahead = mid.reshape(n_rows, paths, steps)
    ahead -= k[:, None, :]
    np.maximum(ahead, 0.0, out=ahead)

    cum = np.concatenate([np.zeros((n_rows, 1)), np.cumsum(np.tile(c, 2), axis=-1)], axis=-1)
    at_mid = 0.5 * (cum[:, :steps] + cum[:, 1:steps + 1])
    targets = ahead
    targets += at_mid[:, None, :]
    pos = _first_above(cum, targets.reshape(n_rows, -1)).reshape(n_rows, paths, steps)
    late = np.isinf(pos)
    if late.any():                         # still waiting after the last week: at the week's mean capacity
        mean_cap = np.maximum(c.mean(axis=-1), 1e-300)[:, None, None]
        beyond = 2 * steps + (targets - cum[:, -1:, None]) / mean_cap
        pos[late] = beyond[late]
    wait = pos
    wait -= np.arange(steps) + 0.5
    wait *= step_h
    np.clip(wait, 0.0, NOT_SERVED_CAP_H, out=wait)
    return wait.reshape(lead[:-1] + (paths, steps))
