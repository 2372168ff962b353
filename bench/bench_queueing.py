"""Operational engine speed, each figure beside a peer measured in the same run.

1. Required agents (Erlang C, 80 % in 20 s) over 10,080 cells: 168 hourly intervals of a week x
   60 volume levels, against pyworkforce's ErlangC.required_positions cell by cell (the peer;
   skipped with a message if pyworkforce cannot be imported). Answers are compared one by one.
   Two grids: volume levels up to 1,500 calls an hour at the weekly peak (75 Erlangs) and up to
   6,000 (300 Erlangs); the peer's cost grows with the square of the agents, ours hardly.
2. Erlang A required agents for a 168-interval week (patience 3 min), against the same exact
   method called one interval at a time (pyworkforce 0.5 has no Erlang A).
3. The response model (fluid backlog, its randomness for e-mail, Erlang wait): 4 weeks at
   15-minute resolution, 3 sites, 3 regions; its fluid backlog against a plain Python loop over
   the steps of the same recursion.
"""

from __future__ import annotations

import time

import numpy as np

from bench.common import median_s, python_fifo
from model.operations import queueing
from model.operations.backlog import fluid_fifo
from model.operations.response import respond
from model.weekgrid import local_day_and_hour, open_mask

AHT_H = 180 / 3600
TARGET_H = 20 / 3600




def _week_profile() -> np.ndarray:
    day, hour = local_day_and_hour(0.0, 1)
    rate = (0.08 + np.exp(-0.5 * ((hour - 13) / 3) ** 2)) * np.where(day >= 5, 0.3, 1.0)
    return rate / rate.max()


def bench_erlang_c(peak_calls_per_level: float) -> None:
    calls_per_hour = np.outer(np.arange(1, 61) * peak_calls_per_level, _week_profile()).ravel()   # 10,080 cells
    traffic = calls_per_hour * AHT_H
    ours = median_s(lambda: queueing.required_agents(traffic, AHT_H, TARGET_H, 0.8), 5)
    answer = queueing.required_agents(traffic, AHT_H, TARGET_H, 0.8)
    print(f"Erlang C required agents, {traffic.size:,} cells (0.3 to {traffic.max():.0f} Erlangs): "
          f"{ours * 1e3:.1f} ms")
    try:
        from pyworkforce.queuing import ErlangC
    except ImportError as exc:
        print(f"  peer skipped: pyworkforce cannot be imported ({exc}); `pip install pyworkforce` to compare")
        return
    t = time.perf_counter()
    peer = np.array([ErlangC(transactions=c, aht=3.0, asa=20 / 60, interval=60).required_positions(0.8)
                     ["raw_positions"] for c in calls_per_hour])
    peer_s = time.perf_counter() - t
    same = peer == answer
    # pyworkforce starts its search at round(A + 1), one above floor(A) + 1 when A's fraction is >= .5
    skipped = ~same & (peer == answer + 1) & (answer == np.floor(traffic) + 1) & (traffic % 1 >= 0.5)
    print(f"  pyworkforce {peer_s:.2f} s -> {peer_s / ours:,.0f}x faster; identical answers in "
          f"{same.sum():,} of {same.size:,} cells; {skipped.sum()} differ because pyworkforce starts at "
          f"round(A + 1) (ours meets the target there, checked); other differences: {(~same & ~skipped).sum()}")
    if skipped.any():
        i = np.flatnonzero(skipped)
        assert np.all(queueing.service_level(answer[i], traffic[i], AHT_H, TARGET_H) >= 0.8)


def bench_erlang_a() -> None:
    traffic = 60.0 * _week_profile() * 200 * AHT_H
    patience_h = 3 / 60
    ours = median_s(lambda: queueing.required_agents_erlang_a(traffic, AHT_H, patience_h, TARGET_H, 0.8), 7)
    loop = median_s(lambda: [queueing.required_agents_erlang_a(a, AHT_H, patience_h, TARGET_H, 0.8)
                              for a in traffic], 3)
    print(f"Erlang A required agents, 168 intervals (up to {traffic.max():.0f} Erlangs): {ours * 1e3:.1f} ms "
          f"(target < 50 ms); one interval at a time {loop * 1e3:.0f} ms -> {loop / ours:.0f}x")




def bench_backlog() -> None:
    sph = 4
    offsets = np.array([-5.0, 1.0, 8.0])
    day, hour = local_day_and_hour(offsets, sph)
    rate = (0.08 + np.exp(-0.5 * ((hour - 13) / 3) ** 2)) * np.where(day >= 5, 0.3, 1.0)
    arrivals = (1000 * np.array([0.5, 0.35, 0.15])[:, None] * rate / rate.sum(axis=-1, keepdims=True))[None]
    on_duty = sum(open_mask(o, 9, 17, (0, 1, 2, 3, 4), sph) * n for o, n in ((-5, 8), (1, 3), (8, 3)))
    ours = median_s(lambda: respond(arrivals, np.array([0.25]), np.array([False]), on_duty, sph), 50)
    work = list(arrivals.sum(axis=(0, 1)) * 0.25)
    cap = list(on_duty / sph)
    peer = median_s(lambda: python_fifo(work, cap, 3), 10)
    fluid = median_s(lambda: fluid_fifo(np.array(work), np.array(cap), 1 / sph, weeks=3), 50)
    print(f"Response model, 4 weeks at 15 min, 3 sites, 3 regions: {ours * 1e3:.2f} ms (target < 5 ms); "
          f"its fluid backlog {fluid * 1e3:.2f} ms vs a Python loop {peer * 1e3:.2f} ms -> {peer / fluid:.0f}x")


if __name__ == "__main__":
    bench_erlang_c(25.0)      # small to mid-size teams: up to 75 Erlangs
    bench_erlang_c(100.0)     # up to large centres: up to 300 Erlangs
    bench_erlang_a()
    bench_backlog()
