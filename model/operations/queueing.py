"""Live channels: Erlang C and Erlang A, vectorised over any array of intervals x scenarios.

Erlang B is written through the Poisson distribution, ``B(N, A) = P(X = N) / P(X <= N)`` with
``X ~ Poisson(A)``, and extended to real N with the regularised incomplete gamma function:
``P(X <= N) = Q(N + 1, A)``. Everything is computed in logs, so there are no factorials and no
powers to overflow (correct from 0.01 to 20,000 Erlangs and beyond). Erlang C follows from B:
``C = N B / (N - A (1 - B))``.

Erlang A (M/M/N+M, callers abandon after an exponential patience) is solved exactly from the
birth-death chain of the number in system. A caller who finds ``j`` others waiting reaches an
agent after a sum of exponentials with rates ``N mu + i theta`` (i = j .. 0): that sum is
``-log(B) / theta`` with ``B ~ Beta(N mu / theta, j + 1)``, so the probability to be answered
within ``t`` before abandoning is a regularised incomplete beta function, with no numerical
integration.

Times are in hours unless a name says otherwise; traffic is in Erlangs (arrivals per hour x
handle time in hours).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from model.weekgrid import FloatArray

IntArray = np.ndarray
CHAT_CONCURRENCY_FACTORS = (1.0, 1.7, 2.5, 2.9, 3.5)   # 1 to 5 simultaneous chats (Call Centre Helper)
CHAT_CONCURRENCY_CAP = 3.0
MAX_AGENTS = 1_000_000


# ----------------------------------------------------------------------------- Erlang C


def erlang_b(agents: FloatArray | float, traffic_erl: FloatArray | float) -> FloatArray:
    """Blocking probability of an M/M/N/N system; agents may be fractional.

    0 without traffic and 1 without agents; the gamma functions run only where there are both (a week's
    closed hours cost nothing).
    """
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    n, a = np.broadcast_arrays(n, a)
    both = (a > 0.0) & (n > 0.0)
    out = np.where(a > 0.0, 1.0, 0.0)
    if both.all():
        out = _erlang_b_where_both(n, a)
    elif both.any():
        out[both] = _erlang_b_where_both(n[both], a[both])
    return out if out.ndim else out[()]


def _erlang_b_where_both(n: FloatArray, a: FloatArray) -> FloatArray:
    log_pmf = n * np.log(a) - a - special.gammaln(n + 1.0)
    cdf = special.gammaincc(n + 1.0, a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        b = np.exp(log_pmf) / cdf
    return np.clip(np.where(cdf > 0.0, b, 1.0), 0.0, 1.0)


def erlang_c(agents: FloatArray | float, traffic_erl: FloatArray | float) -> FloatArray:
    """Probability that a contact waits (M/M/N); 1 where the agents cannot carry the load."""
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    b = erlang_b(n, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    return np.where(n > a, np.clip(c, 0.0, 1.0), 1.0)


def immediate_answer(agents: FloatArray | float, traffic_erl: FloatArray | float) -> FloatArray:
    """Share of contacts answered without waiting, ``1 - C``."""
    return 1.0 - erlang_c(agents, traffic_erl)


def occupancy(agents: FloatArray | float, traffic_erl: FloatArray | float) -> FloatArray:
    """Share of agents' time spent handling contacts, ``A / N`` (capped at 1)."""
    n = np.asarray(agents, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0.0, np.minimum(np.asarray(traffic_erl) / n, 1.0), 1.0)


def average_speed_of_answer_h(agents: FloatArray | float, traffic_erl: FloatArray | float,
                              handle_time_h: FloatArray | float) -> FloatArray:
    """Mean wait before answer, hours; infinite where agents <= traffic."""
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        asa = erlang_c(n, a) * np.asarray(handle_time_h) / (n - a)
    return np.where(n > a, asa, np.inf)


def service_level(agents: FloatArray | float, traffic_erl: FloatArray | float,
                  handle_time_h: FloatArray | float, target_h: FloatArray | float) -> FloatArray:
    """Share of contacts answered within ``target_h``; 0 where agents <= traffic."""
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - erlang_c(n, a) * np.exp(-(n - a) * np.asarray(target_h) / np.asarray(handle_time_h))
    return np.where(n > a, np.clip(sl, 0.0, 1.0), 0.0)


# ----------------------------------------------------------------------------- staffing inverse


def _on(active: np.ndarray, test, n: IntArray, *columns: np.ndarray) -> np.ndarray:
    """``test`` evaluated only on the active cells (False elsewhere): cells that are settled cost nothing."""
    out = np.zeros(active.shape, dtype=bool)
    if active.any():
        out[active] = test(n[active], *(col[active] for col in columns))
    return out


def _smallest_meeting(meets, lower: IntArray, guess: IntArray | None = None) -> IntArray:
    """Smallest integer ``n >= lower`` with ``meets(n, active)`` True, per cell; monotone in n.

    ``meets`` evaluates the cells where ``active`` is True. From ``guess`` (default ``lower``) a
    growing step finds a bracket in the needed direction (``left`` fails, ``right`` meets), then
    bisection closes it: a few evaluations when the guess is good, about 2 log2(n) otherwise.
    """
    low = np.maximum(np.asarray(lower, dtype=np.int64), 1)
    start = low if guess is None else np.maximum(np.asarray(guess, dtype=np.int64), low)
    ok = meets(start, np.ones(start.shape, dtype=bool))
    left = np.where(ok, low - 1, start)           # fails (low - 1 stands for "below the range")
    right = start.copy()                          # meets where ok
    step = np.maximum(np.sqrt(start).astype(np.int64) // 2, 1)
    down = ok & (start > low)                     # from a guess that meets: probe downwards
    while down.any():
        probe = np.maximum(right - step, low)
        good = meets(probe, down)
        right = np.where(down & good, probe, right)
        left = np.where(down & ~good, probe, left)
        step = np.where(down, step * 2, step)
        down = down & good & (probe > low)
    up = ~ok                                      # from a guess that fails: probe upwards
    while up.any():
        probe = np.minimum(right + step, MAX_AGENTS)
        good = meets(probe, up)
        left = np.where(up & ~good, probe, left)
        right = np.where(up, probe, right)
        step = np.where(up, step * 2, step)
        up = up & ~good & (probe < MAX_AGENTS)
    searching = right - left > 1
    while searching.any():
        mid = (left + right) // 2
        good = meets(mid, searching)
        right = np.where(searching & good, mid, right)
        left = np.where(searching & ~good, mid, left)
        searching = searching & (right - left > 1)
    return right


RECURSION_BELOW_ERL = 10.0


def _erlang_b_whole(agents: FloatArray, traffic_erl: FloatArray) -> FloatArray:
    """Erlang B at whole agent counts: the classic upward recursion from ``B(0) = 1`` below
    ``RECURSION_BELOW_ERL`` Erlangs (at most a dozen steps, cheaper there than the incomplete gamma
    function, and as exact), :func:`erlang_b` above."""
    b = np.empty(traffic_erl.shape)
    small = traffic_erl < RECURSION_BELOW_ERL
    a, n = traffic_erl[small], agents[small]
    walk = np.ones(a.shape)
    for k in range(1, int(n.max(initial=0.0)) + 1):
        walk = np.where(k <= n, a * walk / (k + a * walk), walk)
    b[small] = walk
    b[~small] = erlang_b(agents[~small], traffic_erl[~small])
    return b


def required_agents(traffic_erl: FloatArray | float, handle_time_h: FloatArray | float,
                    target_h: FloatArray | float, target_service_level: FloatArray | float,
                    max_occupancy: FloatArray | float = 1.0) -> IntArray:
    """Fewest whole agents with Erlang C service level >= target and occupancy <= max (raw, on the phones).

    Erlang B is computed once per cell at the lower bound ``max(floor(A) + 1, ceil(A / max_occ))``;
    from there the exact recursion ``B(n + 1) = A B(n) / (n + 1 + A B(n))`` (stable upwards) walks
    each cell up one agent at a time until its target is met; settled cells leave the walk.
    """
    a, aht, t, sl, occ = (np.ravel(x) for x in np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (
        traffic_erl, handle_time_h, target_h, target_service_level, max_occupancy))))
    shape = np.broadcast_shapes(*(np.shape(v) for v in (traffic_erl, handle_time_h, target_h,
                                                        target_service_level, max_occupancy)))
    n = np.maximum(np.floor(a) + 1.0, np.ceil(a / occ - 1e-9))
    answer = np.zeros(a.shape, dtype=np.int64)
    idx = np.flatnonzero(a > 0.0)
    a, aht, t, sl, n = a[idx], aht[idx], t[idx], sl[idx], n[idx]
    b = _erlang_b_whole(n, a)
    step = np.exp(-t / aht)                       # the answer-time factor shrinks by this per extra agent
    decay = np.exp(-(n - a) * t / aht)
    while idx.size:
        c = n * b / (n - a * (1.0 - b))
        ok = 1.0 - c * decay >= sl - 1e-12
        answer[idx[ok]] = n[ok]
        keep = ~ok & (n < MAX_AGENTS)
        idx, a, sl, n, b, step, decay = (x[keep] for x in (idx, a, sl, n, b, step, decay))
        b = a * b / (n + 1.0 + a * b)
        n = n + 1.0
        decay = decay * step
    return answer.reshape(shape)


def with_shrinkage(raw_agents: IntArray | FloatArray, shrinkage_pct: FloatArray | float) -> IntArray:
    """Agents to schedule so that ``raw_agents`` are available: ``ceil(raw / (1 - shrinkage))``."""
    raw = np.asarray(raw_agents, dtype=np.float64)
    return np.ceil(raw / (1.0 - np.asarray(shrinkage_pct)) - 1e-9).astype(np.int64)


def concurrency_factor(simultaneous_chats: FloatArray | float) -> FloatArray:
    """Chat throughput multiplier for an agent handling several chats at once, capped at 3.

    Interpolates 1, 1.7, 2.5, 2.9, 3.5 for 1-5 chats (Call Centre Helper); effective handle
    time is handle time / factor. Beyond 3 the measured gains come with slower replies, so the
    factor is capped.
    """
    chats = np.clip(np.asarray(simultaneous_chats, dtype=np.float64), 1.0, 5.0)
    factor = np.interp(chats, np.arange(1.0, 6.0), CHAT_CONCURRENCY_FACTORS)
    return np.minimum(factor, CHAT_CONCURRENCY_CAP)


# ----------------------------------------------------------------------------- Erlang A


@dataclass(frozen=True)
class ErlangA:
    """Erlang A measures per cell. ``asa_h`` and ``service_level`` are over all arrivals
    (abandoned callers count as not answered in time; their time in queue counts in ``asa_h``)."""

    prob_wait: FloatArray
    abandon_pct: FloatArray
    asa_h: FloatArray
    service_level: FloatArray
    occupancy: FloatArray


def _answered_in_time(alpha: FloatArray, u: FloatArray, positions: int) -> FloatArray:
    """P(answered within t, before abandoning) for a caller with j = 0 .. positions - 1 ahead.

    ``alpha / (alpha + j + 1) * (1 - I_u(alpha + 1, j + 1))``; the regularised incomplete beta
    ``I_u(alpha + 1, j + 1)`` is the negative binomial CDF at j (``alpha + 1`` successes with
    probability ``u``), so every j comes from one cumulative sum of its terms, computed in logs.
    ``alpha`` and ``u`` have shape (..., 1).
    """
    j = np.arange(positions, dtype=np.float64)
    rising = np.concatenate([np.zeros(alpha.shape), np.cumsum(np.log(alpha + 1.0 + j[:-1]), axis=-1)], axis=-1)
    with np.errstate(divide="ignore"):
        log_terms = (alpha + 1.0) * np.log(u) + j * np.log1p(-u) + rising - special.gammaln(j + 1.0)
    beyond = np.clip(1.0 - np.cumsum(np.exp(log_terms), axis=-1), 0.0, 1.0)
    return alpha / (alpha + j + 1.0) * beyond


def _erlang_a_whole(agents: IntArray, traffic_erl: FloatArray, handle_time_h: FloatArray,
                    patience_h: FloatArray, target_h: FloatArray) -> ErlangA:
    """Erlang A for whole agents from the stationary birth-death chain of the number in system.

    Each cell's chain is solved on a window of states around its mode (±6 standard deviations
    and more); the probability outside it is below 1e-8, so every cell needs only a few hundred
    states however large the centre.
    """
    c = agents.astype(np.float64)[..., None]
    lam = (traffic_erl / handle_time_h)[..., None]
    mu = (1.0 / handle_time_h)[..., None]
    theta = (1.0 / patience_h)[..., None]
    mode = np.minimum(lam / mu, c) + np.maximum(lam - c * mu, 0.0) / theta
    spread = np.sqrt(lam / mu + lam / theta + 1.0)
    low = np.floor(np.maximum(mode - 6.0 * spread - 5.0, 0.0))
    width = int(np.max(np.ceil(mode + 6.0 * spread + 5.0) - low)) + 1
    states = low + np.arange(width, dtype=np.float64)                   # (..., width)
    death = np.minimum(states[..., 1:], c) * mu + np.maximum(states[..., 1:] - c, 0.0) * theta
    with np.errstate(divide="ignore"):
        log_p = np.concatenate([np.zeros(c.shape), np.cumsum(np.log(lam) - np.log(death), axis=-1)], axis=-1)
    p = np.exp(log_p - log_p.max(axis=-1, keepdims=True))
    p = p / p.sum(axis=-1, keepdims=True)
    waiting = states >= c
    ahead = np.maximum(states - c, 0.0)
    queue_mean = (p * ahead).sum(axis=-1)
    alpha = c * mu / theta
    positions = int(np.max(ahead)) + 1
    in_time = _answered_in_time(alpha, np.exp(-theta * target_h[..., None]), positions)
    answered_in_time = np.take_along_axis(in_time, ahead.astype(np.int64), axis=-1)
    lam0, th0 = lam[..., 0], theta[..., 0]
    abandon = th0 * queue_mean / lam0
    return ErlangA(
        prob_wait=(p * waiting).sum(axis=-1),
        abandon_pct=abandon,
        asa_h=queue_mean / lam0,
        service_level=(p * np.where(waiting, answered_in_time, 1.0)).sum(axis=-1),
        occupancy=np.minimum(lam0 * (1.0 - abandon) / (c[..., 0] * mu[..., 0]), 1.0),
    )


def erlang_a(agents: FloatArray | float, traffic_erl: FloatArray | float, handle_time_h: FloatArray | float,
             patience_h: FloatArray | float, target_h: FloatArray | float) -> ErlangA:
    """Erlang A per cell; fractional agents interpolate linearly between the whole numbers around them.

    Valid for any load (abandonment keeps the queue finite). ``agents`` >= 1.
    """
    n, a, aht, pat, t = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (
        agents, traffic_erl, handle_time_h, patience_h, target_h)))
    n = np.maximum(n, 1.0)
    lo = np.floor(n)
    w = n - lo
    low = _erlang_a_whole(lo.astype(np.int64), a, aht, pat, t)
    if not np.any(w > 0.0):
        return low
    high = _erlang_a_whole(lo.astype(np.int64) + 1, a, aht, pat, t)
    blend = {k: (1.0 - w) * getattr(low, k) + w * getattr(high, k) for k in ErlangA.__dataclass_fields__}
    return ErlangA(**blend)


def required_agents_erlang_a(traffic_erl: FloatArray | float, handle_time_h: FloatArray | float,
                             patience_h: FloatArray | float, target_h: FloatArray | float,
                             target_service_level: FloatArray | float, max_occupancy: FloatArray | float = 1.0,
                             max_abandon_pct: FloatArray | float = 1.0) -> IntArray:
    """Fewest whole agents meeting the service level (over all arrivals), occupancy and abandonment.

    The search starts from 1 agent, not from the offered load: with abandonment a target can be
    met below the load.
    """
    a, aht, pat, t, sl, occ, ab = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (
        traffic_erl, handle_time_h, patience_h, target_h, target_service_level, max_occupancy,
        max_abandon_pct)))

    def test(n, a, aht, pat, t, sl, occ, ab):
        r = _erlang_a_whole(n, a, aht, pat, t)
        return (r.service_level >= sl - 1e-12) & (r.occupancy <= occ + 1e-12) & (r.abandon_pct <= ab + 1e-12)

    def meets(n: IntArray, active: np.ndarray) -> np.ndarray:
        return _on(active, test, n, a, aht, pat, t, sl, occ, ab)

    return np.where(a > 0.0, _smallest_meeting(meets, np.ones(a.shape), guess=_erlang_c_guess(a, aht, t, sl, occ)), 0)


def _erlang_c_guess(a: FloatArray, aht: FloatArray, t: FloatArray, sl: FloatArray, occ: FloatArray) -> IntArray:
    """Erlang C staffing: abandonment only helps, so it is a good place to start an Erlang A search."""
    return required_agents(a, aht, t, np.minimum(sl, 0.999), occ)
