"""The response model on a grid, so thousands of draws cost a few dozen weeks of queueing.

Within a month, what the queues do depends on two things: how much work arrives (tickets times
handle time, on the company's fixed weekly pattern) and who is on duty. ``build`` runs the week
model (``model.operations.response.respond``) once per staffing *anchor* (agents on duty per UTC step, e.g. without
and with a new centre) and per *node* of a geometric grid of work multipliers. Every month of every
draw then reads its figures off the table:

- in work, by linear interpolation in log(work) between the two nodes around it (the log of the
  mean response time, so it stays positive and follows its steep rise near saturation);
- across anchors, as the mixture of the anchors weighted by how far each capacity lever has ramped
  (a centre at 40 % of its proficiency weighs 0.4 on "with centre" and 0.6 on "without").

A change in handle time acts like the same change in ticket volume (same work per agent-hour); on
live channels this keeps the load and the wait's shape, not the wait's length scale [D].

CSAT needs more than a mean: each node keeps the distribution of its tickets' delays as weights
on a fixed log-spaced grid of delays (linear binning, so the weights move smoothly with the delays).
A draw's CSAT curve (its own half-point and slope) is evaluated once on that delay grid, and a
node's mean CSAT for every draw is one matrix product.

The rows (anchor x node) run on a few threads; a row's figures never depend on the rows run with it, so
rows already run (the baseline's, when a lever moves) are read back from a bounded cache by a digest of
their inputs.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from model.customers import experience
from model.operations.response import ResponseMeans, ResponseWeek, respond, summarise_means
from model.operations.routing import Routing
from model.weekgrid import BoolArray, FloatArray

NODE_RATIO = 1.06                 # work multiplier between neighbouring nodes where most months fall
TAIL_RATIO = 1.2                  # ... and out in the tails of the draws
FINE_REACH = float(np.log(1.6))   # the fine nodes reach at most this far (log) beyond the point view's work
TAIL_NODES = 8                    # at most this many nodes in each tail
WORK_BOUNDS = (1e-3, 50.0)        # work multipliers beyond these are held at them (an idle or hopeless queue)
# Delay points: two per doubling from one second to about 13 h, four per doubling from there to about
# 2,000 h, where the give-up factor of the CSAT curve bends sharply (beyond four weeks CSAT is nil).
DELAY_POINTS_H = np.concatenate([2.0 ** (np.arange(0, 2 * 16) / 2.0) / 3600.0,
                                 16.0 * 2.0 ** (np.arange(0, 4 * 7 + 1) / 4.0)])
DELAY_BINS = DELAY_POINTS_H.size
_LOG_POINTS = np.log(DELAY_POINTS_H)


@dataclass(frozen=True)
class ResponseTable:
    """Response figures per anchor ``a`` and node ``j`` (channels ``ch``, regions ``r``).

    ``log_x``: (A, J) log work multiplier of each anchor's nodes (1 = the reference work), rising;
    anchor ``a`` has ``sizes[a]`` nodes, the rest of its row (and of every array) is padding.
    ``log_mean_h`` / ``log_business_mean_h``: (A, J, ch, r) log of the mean first response (hours),
    over all tickets and over those written in the region's business hours; ``log_channel_mean_h``:
    (A, J, ch) over all tickets of a channel, every region.
    ``within_target_pct``: (A, J, ch, r). ``load_over_90_h``: (A, J) hours a week with offered work
    above 90 % of capacity. ``overloaded``: (A, J) 1 where the backlog grows week after week.
    ``delay_weights``: (A, J, ch, r, bins) share of a cell's tickets at each point of
    :data:`DELAY_POINTS_H`; ``business_delay_weights`` the same over the tickets written in the
    region's business hours.
    """

    log_x: FloatArray
    sizes: np.ndarray
    log_mean_h: FloatArray
    log_channel_mean_h: FloatArray
    log_business_mean_h: FloatArray
    within_target_pct: FloatArray
    load_over_90_h: FloatArray
    overloaded: FloatArray
    delay_weights: FloatArray
    business_delay_weights: FloatArray

    @property
    def evaluations(self) -> int:
        """Weeks the queueing model ran to build the table."""
        return int(self.sizes.sum())


_FINE = 32                                    # points two per doubling from one second (index k: 2**(k/2) s)
_COARSE_FROM_LOG2_S = float(np.log2(16.0 * 3600.0))  # then four per doubling from 16 h


# The points' index is piecewise linear in log2(delay in seconds): two per doubling up to the last fine point,
# one step across to 16 h, four per doubling from there; held at the first and last point.
_INDEX_KNOTS_LOG2_S = np.array([0.0, (_FINE - 1) / 2.0, _COARSE_FROM_LOG2_S,
                                _COARSE_FROM_LOG2_S + (DELAY_BINS - 1 - _FINE) / 4.0])
_INDEX_AT_KNOTS = np.array([0.0, _FINE - 1.0, float(_FINE), DELAY_BINS - 1.0])


def _point_index(delay_h: FloatArray) -> FloatArray:
    """Fractional index of each delay among :data:`DELAY_POINTS_H`, linear in log(delay) between points and
    held at the ends: ``np.interp(log(delay), log(points), indices)`` on the four knots where the spacing changes."""
    with np.errstate(divide="ignore"):
        x = np.log2(delay_h * 3600.0)
    return np.interp(x, _INDEX_KNOTS_LOG2_S, _INDEX_AT_KNOTS)


def _delay_weights(delay_paths_h: FloatArray, arrivals: FloatArray, business_hours: BoolArray,
                   queue_of_region: np.ndarray, is_live: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
    """Linear binning of delays (N, ch, Q, paths, steps) weighted by arrivals (N, ch, r, steps).

    Each ticket's weight is split between the two delay points around its delay in proportion to
    log distance. Returns the weights of every ticket and of those written in their region's
    business hours (``business_hours`` (r, steps)), each (N, ch, r, bins) summing to 1 over the bins
    of each cell with tickets. Every region of a queue shares a step's delays. A queue that holds one
    region bins its tickets straight into that region's weights, those written in business hours and
    the others in one count; one that holds several finds each step's split over the points once and
    the regions' arrivals weigh the steps in one product. ``is_live`` (ch,): channels whose paths all
    carry the same delay (chat and phone), binned from their first path.
    """
    n, ch, queues, _, steps = delay_paths_h.shape
    regions = arrivals.shape[-2]
    q_idx = np.broadcast_to(queue_of_region, (n, regions))
    in_hours = np.asarray(business_hours, dtype=bool)
    # [0] the tickets written in business hours, [1] the others
    halves = np.zeros((2, n, ch, regions, DELAY_BINS))
    for c in range(ch):                      # a handful of channels and sites
        for q in range(queues):
            member = q_idx == q                                                # (N, r)
            held = np.flatnonzero(member.any(axis=0))
            if held.size == 0:
                continue
            d = delay_paths_h[:, c, q, :1] if is_live is not None and is_live[c] else delay_paths_h[:, c, q]
            p = _point_index(d)
            lo = np.minimum(p.astype(np.int64), DELAY_BINS - 2)               # (N, P, steps); p >= 0
            above = p
            above -= lo
            above /= p.shape[1]                                                # weight of the point above
            below = 1.0 / p.shape[1] - above
            if held.size == 1:
                r = held[0]
                per_step = (arrivals[:, c, r] * member[:, r, None])[:, None, :]
                half = np.arange(n)[:, None, None] + n * ~in_hours[r]           # outside business hours: 2nd half
                cell = (half * DELAY_BINS + lo).ravel()
                halves[:, :, c, r] += _binned(cell, below * per_step, above * per_step, 2 * n).reshape(
                    2, n, DELAY_BINS)
                continue
            cell = ((np.arange(n)[:, None, None] * steps + np.arange(steps)) * DELAY_BINS + lo).ravel()
            split = _binned(cell, below, above, n * steps).reshape(n, steps, DELAY_BINS)
            w = arrivals[:, c] * member[:, :, None]                            # (N, r, steps)
            both = np.matmul(np.concatenate([w * in_hours, w * ~in_hours], axis=1), split)   # (N, 2r, bins)
            halves[:, :, c] += np.stack([both[:, :regions], both[:, regions:]])
    every = halves[0] + halves[1]
    return tuple(out / np.where(out.sum(axis=-1, keepdims=True) > 0.0, out.sum(axis=-1, keepdims=True), 1.0)
                 for out in (every, halves[0]))


def _binned(cell: np.ndarray, below: FloatArray, above: FloatArray, cells: int) -> FloatArray:
    """Weights summed per cell of :data:`DELAY_BINS` points: ``below`` at point ``cell``, ``above`` at the next
    (``cell`` never names a group's last point, so the next is in the same group); (cells, bins)."""
    size = cells * DELAY_BINS
    out = np.bincount(cell, below.ravel(), size)
    out[1:] += np.bincount(cell, above.ravel(), size)[:-1]
    return out.reshape(cells, DELAY_BINS)


_STEPS = np.diff(_LOG_POINTS)
# Linear binning spreads a ticket over the points on either side of it, so the cumulative weight up to
# point k reads the distribution half-way to the next point (exact for a ticket sitting on a point).
_CDF_AT = np.concatenate([[_LOG_POINTS[0] - _STEPS[0] / 2], _LOG_POINTS[:-1] + _STEPS / 2,
                          [_LOG_POINTS[-1] + _STEPS[-1] / 2]])


def quantile_of_weights(weights: FloatArray, q: float) -> FloatArray:
    """The ``q`` quantile (hours) of delays binned on :data:`DELAY_POINTS_H` (last axis), linear in log(delay).

    NaN where a cell has no tickets.
    """
    cum = np.concatenate([np.zeros(weights.shape[:-1] + (1,)), np.cumsum(weights, axis=-1)], axis=-1)
    total = cum[..., -1:]
    target = q * total
    k = np.clip(np.argmax(cum >= target - 1e-12 * total, axis=-1), 1, DELAY_BINS)[..., None]
    hi, lo = np.take_along_axis(cum, k, axis=-1), np.take_along_axis(cum, k - 1, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.clip(np.where(hi > lo, (target - lo) / (hi - lo), 1.0), 0.0, 1.0)
    log_d = _CDF_AT[k - 1] + frac * (_CDF_AT[k] - _CDF_AT[k - 1])
    return np.where(total > 0.0, np.exp(log_d), np.nan)[..., 0]


def work_nodes(x_used: FloatArray, x_fine: tuple[float, float], ratio: float = NODE_RATIO,
               tail_ratio: float = TAIL_RATIO) -> FloatArray:
    """Log work multipliers of one anchor's nodes.

    Nodes lie on the fixed lattice ``k * log(ratio)`` over ``x_fine`` widened to the 1st-99th
    percentile of ``x_used`` (by at most :data:`FINE_REACH` each side), and at least ``tail_ratio``
    apart from there out to the extremes of ``x_used`` (at most :data:`TAIL_NODES` each side), all
    within :data:`WORK_BOUNDS`. Because the lattice is fixed, the nodes around ``x_fine`` (the
    point view) are the same however many draws widen the range, and so is the point view's result.
    """
    bounds = np.log(WORK_BOUNDS)
    x = np.clip(np.log(np.asarray(x_used, dtype=np.float64)), *bounds)
    step = float(np.log(ratio))
    point_lo, point_hi = np.clip(np.log(x_fine), *bounds)
    fine_lo = max(min(point_lo, float(np.quantile(x, 0.01))), point_lo - FINE_REACH)
    fine_hi = min(max(point_hi, float(np.quantile(x, 0.99))), point_hi + FINE_REACH)
    # Every multiplier in the fine range has the same lower and upper lattice node however far the range reaches.
    fine = np.arange(np.floor(fine_lo / step), np.floor(fine_hi / step) + 2.0) * step
    lo, hi = min(float(x.min()), fine[0]), max(float(x.max()), fine[-1])

    def span(a: float, b: float) -> FloatArray:
        """Points from a to b (b included, a not; empty if a == b), few and at least a tail step apart."""
        if b - a < 1e-9:
            return np.zeros(0)
        n = min(int(np.ceil((b - a) / np.log(tail_ratio) - 1e-9)), TAIL_NODES)
        return np.linspace(a, b, n + 1)[1:]

    return np.concatenate([-span(-fine[0], -lo)[::-1], fine, span(fine[-1], hi)])


def _cpus() -> int:
    """CPUs this process may run on (a container's share, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# The week model's rows are independent (each row's figures depend on its own inputs alone), and numpy
# releases the GIL in its loops, so the table's rows are split among a few threads.
WORKERS = max(1, min(4, _cpus()))
_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="response-table")
# The model's matrix products are small: OpenBLAS's own threads made no run faster, and their busy waiting
# doubled the CPU each run cost (a server answering several people at once has none to spare). One BLAS thread,
# process-wide; the parallelism is the rows' threads above.
threadpool_limits(1, user_api="blas")


class _RowCache:
    """Figures of table rows already run, by a digest of everything a row's week depends on (least recently used
    dropped first, past ``limit_bytes``). A lever move changes some anchors' staffing; the others' rows (the
    baseline's, mostly) are read back instead of run again. A row's figures depend on its own inputs alone, so a
    row read back is the row that would be run."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._rows: OrderedDict[bytes, dict[str, FloatArray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, keys: list[bytes]) -> dict[bytes, dict[str, FloatArray]]:
        with self._lock:
            found = {k: self._rows[k] for k in keys if k in self._rows}
            for k in found:
                self._rows.move_to_end(k)
        return found

    def put(self, rows: dict[bytes, dict[str, FloatArray]]) -> None:
        with self._lock:
            for k, figures in rows.items():
                if k in self._rows:
                    continue
                own = {name: np.array(v) for name, v in figures.items()}        # copies, not views of the batch
                self._rows[k] = own
                self._bytes += sum(v.nbytes for v in own.values())
            while self._bytes > self.limit_bytes and self._rows:
                _, dropped = self._rows.popitem(last=False)
                self._bytes -= sum(v.nbytes for v in dropped.values())

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
            self._bytes = 0


ROW_CACHE_BYTES = 32 * 2**20     # a row of three channels and three regions takes 9 kB: some 3,500 rows
_ROWS = _RowCache(ROW_CACHE_BYTES)


def clear_row_cache() -> None:
    """Forget every row run so far (benchmarks time the model without it)."""
    _ROWS.clear()


def _row_keys(arrivals_ref: FloatArray, handle_time_h: FloatArray, is_live: FloatArray, anchors: FloatArray,
              target_h: FloatArray, business_hours: FloatArray, steps_per_hour: int, routing: Routing | None,
              a_idx: np.ndarray, log_x: FloatArray, mix: FloatArray | None = None) -> list[bytes]:
    """One digest per row: the inputs every row shares, its anchor's agents, routing and channel mix, and its
    node."""
    shared = hashlib.blake2b(digest_size=20)
    for part in (arrivals_ref, handle_time_h, np.asarray(is_live, dtype=bool), target_h, business_hours,
                 np.array([steps_per_hour, routing is None]), routing.helps if routing is not None else np.zeros(0)):
        arr = np.ascontiguousarray(part)
        shared.update(f"{arr.dtype}{arr.shape}".encode())
        shared.update(arr.tobytes())
    per_anchor = []
    for a in range(anchors.shape[0]):
        h = shared.copy()
        h.update(np.ascontiguousarray(anchors[a], dtype=np.float64).tobytes())
        if routing is not None:
            h.update(np.ascontiguousarray(routing.queue_of_region[a], dtype=np.int64).tobytes())
        if mix is not None and not np.all(mix[a] == 1.0):
            h.update(b"mix" + np.ascontiguousarray(mix[a], dtype=np.float64).tobytes())
        per_anchor.append(h)
    keys = []
    for a, node in zip(a_idx.tolist(), log_x.tolist()):
        h = per_anchor[a].copy()
        h.update(np.float64(node).tobytes())
        keys.append(h.digest())
    return keys


Job = tuple[frozenset[int] | None, np.ndarray]      # rows of one staffing group: the queues its rows hold, rows


def _shares(parts: list[Job]) -> list[list[Job]]:
    """Rows to run, in groups (queues held, rows), dealt to the workers so that each has about the same work.

    A row costs about as much as the queues it holds. The costliest groups are dealt first, and a group is
    split only where a worker's share ends: each call of the week model costs a few milliseconds beyond its
    rows, so no worker gets more calls than it needs.
    """
    def cost(held: frozenset[int] | None) -> int:
        return 1 if held is None else len(held)

    parts = sorted(((held, rows) for held, rows in parts if rows.size), key=lambda p: -p[1].size * cost(p[0]))
    share = sum(rows.size * cost(held) for held, rows in parts) / WORKERS
    shares: list[list[Job]] = [[]]
    load = 0.0
    for held, rows in parts:
        while rows.size:
            last = len(shares) == WORKERS
            take = rows.size if last else min(rows.size, max(1, round((share - load) / cost(held))))
            shares[-1].append((held, rows[:take]))
            load += take * cost(held)
            rows = rows[take:]
            if not last and load >= share - cost(held) / 2:
                shares.append([])
                load = 0.0
    return [jobs for jobs in shares if jobs]


def build(arrivals_ref: FloatArray, handle_time_h: FloatArray, is_live: FloatArray, anchors: FloatArray,
          nodes: list[FloatArray], target_h: FloatArray, business_hours: FloatArray, steps_per_hour: int,
          routing: Routing | None = None, channel_mix: FloatArray | None = None) -> ResponseTable:
    """Run the week model at every anchor and node.

    Parameters
    ----------
    arrivals_ref : (ch, r, steps) tickets per step at work multiplier 1.
    handle_time_h : (ch,) agent-hours per ticket.
    is_live : (ch,) True for chat and phone.
    anchors : (A, steps) agents on duty in each staffing anchor; with ``routing``, (A, sites, steps).
    routing : regions to sites' queues, ``queue_of_region`` (A, r) per anchor (``model.operations.routing``).
    nodes : per anchor, rising log work multipliers (:func:`work_nodes`).
    target_h, business_hours : as in :func:`model.operations.response.summarise_means`.
    channel_mix : (A, 2, ch) per anchor, each channel's tickets and handle time relative to ``arrivals_ref`` and
        ``handle_time_h`` (an AI agent that works on some channels only shifts the mix); None: 1 everywhere.
    """
    sizes = np.array([n.size for n in nodes])
    a_idx = np.repeat(np.arange(len(nodes)), sizes)
    j_idx = np.concatenate([np.arange(k) for k in sizes])
    log_x = np.full((len(nodes), int(sizes.max())), np.inf)
    log_x[a_idx, j_idx] = np.concatenate(nodes)
    x = np.exp(log_x[a_idx, j_idx])
    mix = np.ones((len(nodes), 2, handle_time_h.size)) if channel_mix is None else np.asarray(channel_mix, float)
    arrivals = x[:, None, None, None] * arrivals_ref[None] * mix[a_idx, 0][:, :, None, None]
    handle = handle_time_h[None, :] * mix[a_idx, 1]
    # Anchors whose routing is one pooled queue run as one queue; the others with a queue per site, those that
    # hold regions in the same queues together, so a queue nobody joins costs nothing.
    groups: dict[frozenset[int] | None, list[int]] = {}
    for a in range(len(nodes)):
        pooled = routing is None or Routing(routing.queue_of_region[a], routing.helps).is_pooled()
        groups.setdefault(None if pooled else frozenset(routing.queue_of_region[a].tolist()), []).append(a)

    def run(job: Job) -> tuple[np.ndarray, dict[str, FloatArray]]:
        held, rows = job
        on_duty = anchors[a_idx[rows]]
        if held is not None:
            week = respond(arrivals[rows], handle[rows], is_live, on_duty, steps_per_hour,
                           Routing(routing.queue_of_region[a_idx[rows]], routing.helps), ages=False)
        else:
            week = respond(arrivals[rows], handle[rows], is_live,
                           on_duty if routing is None else on_duty.sum(axis=-2), steps_per_hour, ages=False)
        return rows, _week_figures(week, arrivals[rows], is_live, target_h, business_hours, steps_per_hour)

    keys = _row_keys(arrivals_ref, handle_time_h, is_live, anchors, target_h, business_hours, steps_per_hour,
                     routing, a_idx, log_x[a_idx, j_idx], mix)
    known = _ROWS.get(keys)
    missing = np.array([i for i, k in enumerate(keys) if k not in known], dtype=np.int64)
    shares = _shares([(held, missing[np.isin(a_idx[missing], members)]) for held, members in groups.items()])

    def run_share(jobs: list[Job]) -> list[tuple[np.ndarray, dict[str, FloatArray]]]:
        return [run(job) for job in jobs]

    parts = [part for done in (_POOL.map(run_share, shares) if len(shares) > 1 else map(run_share, shares))
             for part in done]
    _ROWS.put({keys[row]: {k: v[i] for k, v in part.items()} for rows, part in parts for i, row in enumerate(rows)})
    if known:
        rows = np.array([i for i, k in enumerate(keys) if k in known], dtype=np.int64)
        parts.append((rows, {k: np.stack([known[keys[i]][k] for i in rows]) for k in next(iter(known.values()))}))
    figures = {k: np.zeros((x.size,) + v.shape[1:]) for k, v in parts[0][1].items()}
    for chosen, part in parts:
        for k, v in part.items():
            figures[k][chosen] = v
    means = ResponseMeans(figures["mean_h"], figures["within_target_pct"], figures["business_mean_h"])
    over_90, overloaded = figures["over_90"], figures["overloaded"]
    weights, business_weights = figures["weights"], figures["business_weights"]
    tiny = 1e-9                                   # a cell without tickets has mean 0: keep its log finite
    tickets = arrivals.sum(axis=-1)
    channel_mean = (means.mean_h * tickets).sum(axis=-1) / np.maximum(tickets.sum(axis=-1), 1e-300)

    def grid(values: FloatArray) -> FloatArray:
        out = np.full(log_x.shape + values.shape[1:], np.nan)
        out[a_idx, j_idx] = values
        return out

    return ResponseTable(
        log_x=log_x, sizes=sizes,
        log_mean_h=grid(np.log(np.maximum(means.mean_h, tiny))),
        log_channel_mean_h=grid(np.log(np.maximum(channel_mean, tiny))),
        log_business_mean_h=grid(np.log(np.maximum(means.business_mean_h, tiny))),
        within_target_pct=grid(means.within_target_pct),
        load_over_90_h=grid(over_90),
        overloaded=grid(overloaded),
        delay_weights=grid(weights),
        business_delay_weights=grid(business_weights),
    )


def _week_figures(week: ResponseWeek, arrivals: FloatArray, is_live: FloatArray, target_h: FloatArray,
                  business_hours: FloatArray, steps_per_hour: int) -> dict[str, FloatArray]:
    """What the table keeps of each week: per row, the means, load, overload and binned delays."""
    means = summarise_means(week.delay_paths_h, arrivals, target_h, business_hours, week.queue_of_region)
    weights, business_weights = _delay_weights(week.delay_paths_h, arrivals, business_hours, week.queue_of_region,
                                               is_live)
    return {
        "mean_h": means.mean_h, "within_target_pct": means.within_target_pct,
        "business_mean_h": means.business_mean_h,
        "over_90": ((week.load_pct > 0.9) & np.isfinite(week.load_pct)).sum(axis=-1) / steps_per_hour,
        "overloaded": week.overloaded.astype(np.float64), "weights": weights, "business_weights": business_weights,
    }


def csat_by_draw(table: ResponseTable, curves: experience.CurveArrays) -> FloatArray:
    """Mean raw CSAT per anchor, node, draw, channel and region: (A, J, D, ch, r).

    ``curves`` holds one curve per draw and channel: arrays of shape (D, ch). Draws that share a
    curve share one computation, so identical curves give bit-identical results.
    """
    params = np.stack([curves.half_h, curves.slope, curves.floor_pct, curves.ceiling_pct], axis=-1)
    flat = params.reshape(params.shape[0], -1)
    unique, inverse = np.unique(flat, axis=0, return_inverse=True)
    weights = np.nan_to_num(table.delay_weights)

    def csat_of(rows: FloatArray) -> FloatArray:
        u = rows.reshape((-1,) + params.shape[1:])
        unique_curves = experience.CurveArrays(floor_pct=u[..., 2], ceiling_pct=u[..., 3], half_h=u[..., 0],
                                               slope=u[..., 1])
        csat = experience.csat_of_response(DELAY_POINTS_H, unique_curves)        # (U, ch, bins)
        return np.einsum("ajcrb,ucb->ajucr", weights, csat, optimize=True)

    out = np.ascontiguousarray(csat_of(unique)[:, :, np.ravel(inverse)])
    # The first draw's curve on its own, so its result does not depend on how many others share the product.
    out[:, :, np.ravel(inverse) == np.ravel(inverse)[0]] = csat_of(flat[:1])
    return out


@dataclass(frozen=True)
class Position:
    """Where work multipliers fall on one anchor's nodes: lower node index and weight of the upper."""

    lower: np.ndarray      # int, same shape as x
    upper_weight: FloatArray


def locate(table: ResponseTable, anchor: int, x: FloatArray) -> Position:
    """Position of ``x`` (any shape) on ``anchor``'s nodes; outside them it is held at the end node."""
    nodes = table.log_x[anchor, : table.sizes[anchor]]
    # np.minimum/np.maximum rather than np.clip: the same values without np.clip's overhead (read every month)
    lx = np.log(np.maximum(x, WORK_BOUNDS[0]))                                     # no work: the idle end
    lx = np.minimum(np.maximum(lx, nodes[0], out=lx), nodes[-1], out=lx)
    lower = np.searchsorted(nodes, lx, side="right")
    lower = np.minimum(np.maximum(lower - 1, 0, out=lower), nodes.size - 2, out=lower)
    base = nodes[lower]
    return Position(lower, (lx - base) / (nodes[lower + 1] - base))


@dataclass(frozen=True)
class Reading:
    """Where work multipliers of shape ``lead`` fall on the anchors' nodes, and what each anchor weighs there.

    ``parts``: one per anchor with weight somewhere: (anchor, the flat positions read or None for every one,
    their lower node, the weight of the upper node, the anchor's weight at them). Found once, a reading serves
    every table read at the same multipliers (a month's CSAT and first response).
    """

    lead: tuple[int, ...]
    parts: tuple[tuple[int, np.ndarray | None, np.ndarray, FloatArray, FloatArray], ...]


def reading(table: ResponseTable, x: FloatArray, anchor_weights: FloatArray) -> Reading:
    """The :class:`Reading` of work multipliers ``x`` (shape ``lead``) with ``anchor_weights`` ``lead + (A,)``.

    An anchor weighing on fewer than half the positions is read at those alone, otherwise at every one
    (cheaper than picking; it adds zero where it weighs nothing).
    """
    xs = x.reshape(-1)
    ws = anchor_weights.reshape(xs.size, -1)
    parts = []
    for a in range(ws.shape[1]):
        weight = ws[:, a]
        rows = np.flatnonzero(weight)
        if rows.size == 0:
            continue
        if 2 * rows.size < xs.size:
            pos = locate(table, a, xs[rows])
            parts.append((a, rows, pos.lower, pos.upper_weight, weight[rows]))
        else:
            pos = locate(table, a, xs)
            parts.append((a, None, pos.lower, pos.upper_weight, weight))
    return Reading(x.shape, tuple(parts))


def mix_at(values: FloatArray, at: Reading, log_values: bool = False, draw_axis: bool = False) -> FloatArray:
    """Interpolate ``values`` (A, J, ...) at a :class:`Reading` and mix the anchors by weight.

    ``log_values``: the values are logs, interpolated as such and exponentiated before the anchors
    are mixed. ``draw_axis``: ``values`` is (A, J, D, ...) and the last axis of the reading's ``lead``
    indexes D. Returns ``lead + trailing shape of values``. An anchor without weight in a position
    adds nothing to it (values are finite wherever its nodes reach).
    """
    lead = at.lead
    n_a, n_j = values.shape[:2]
    n_d = values.shape[2] if draw_axis else 1
    trailing = values.shape[3:] if draw_axis else values.shape[2:]
    flat = values.reshape((n_a * n_j * n_d, -1))
    size = int(np.prod(lead))
    d = np.broadcast_to(np.arange(lead[-1]), lead).reshape(-1) if draw_axis else np.zeros(size, np.int64)
    out = np.zeros((size, flat.shape[1]))
    for a, rows, lower, upper_weight, weight in at.parts:
        index = (a * n_j + lower) * n_d + (d if rows is None else d[rows])
        lo, hi = np.take(flat, index, axis=0), np.take(flat, index + n_d, axis=0)
        hi -= lo
        hi *= upper_weight[:, None]
        value = np.add(lo, hi, out=lo)
        if log_values:
            np.exp(value, out=value)
        if rows is None:
            value *= weight[:, None]
            out += value
        else:
            out[rows] += weight[:, None] * value
    return out.reshape(lead + trailing)


def mix(table: ResponseTable, values: FloatArray, x: FloatArray, anchor_weights: FloatArray,
        log_values: bool = False, draw_axis: bool = False) -> FloatArray:
    """Interpolate ``values`` (A, J, ...) at work multipliers ``x`` and mix the anchors by weight.

    ``x`` has a leading shape ``lead`` (e.g. variants x columns); ``anchor_weights`` is
    ``lead + (A,)``. See :func:`mix_at`; returns ``lead + trailing shape of values``.
    """
    return mix_at(values, reading(table, x, anchor_weights), log_values, draw_axis)
