"""Several people at once: sessions driven through Streamlit's own protocol, and what each costs the server.

A meeting room: each session opens a Scenario deep link (a regional centre, 1,000 draws) and moves the centre's
headcount slider every 2 seconds, as a browser would (a ``rerun_script`` message with the moved widget's state,
over the app's websocket). A move counts as answered when the server says the script finished. Each session
has its own centre cost, so no two sessions ask the same scenario (their projections are not shared; the
response table's rows of equal staffing are, as in any deployment). Printed against the goals of the speed
issue, for 1, 5 and 10 sessions:

- the answer to a move, median and 95th percentile (goal with 10 sessions: p95 under 1.0 s);
- the server's CPU per move (user + system time of the server process over the run, less what the idle server
  spends in the same time, per move and first load; goal 0.15 s);
- a first load of the deep link, median and max;
- the same for 10 sessions stepping the slider one step at a time, where each next step is worked ahead;

and, with a workspace that keeps a 1,000,000-ticket export, the server's memory for the first session and for
each further one (goal: under 50 MB beyond the first); and the server's memory after 20 sessions came and went
(goal: back within 50 MB of the start: ``ui.idle`` hands it back once nobody is connected).

Run with ``make bench`` (or ``python -m bench.bench_sessions``); the README quotes the latest figures.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_pages import serve
from bench.protocol import Session
from bench.bench_uploads import export_csv
from store import Repository, connect

MOVE_EVERY_S = 2.0
MOVES = 12
IDLE_S = 4.0
SLIDER = "centre_headcount"


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _meeting(url: str, sessions: int, server_pid: int, stepping: bool = False) -> dict[str, float]:
    """``sessions`` people each moving the slider every 2 s for :data:`MOVES` moves, started 2 s / n apart: five
    steps at a time (a drag: nothing is worked ahead), or with ``stepping`` one step at a time up from the default
    (the arrow keys: each next step is worked ahead in the background, ``ui.ahead``)."""
    loads: list[float] = []
    answers: list[float] = []
    unchanged = 0

    async def person(k: int) -> None:
        nonlocal unchanged
        await asyncio.sleep(k * MOVE_EVERY_S / sessions)
        query = f"centre_on=true&draws=1000&centre_cost_per_agent_month={5000 + 37 * k}"
        async with Session(url, query) as s:
            loads.append(await s.run())
            before = s.npv
            start = time.perf_counter()
            for i in range(MOVES):
                await asyncio.sleep(max(0.0, start + i * MOVE_EVERY_S - time.perf_counter()))
                value = 5 + i if stepping else 5 + (i * 5 + k) % 14                  # never the default 4
                answers.append(await s.run(**{SLIDER: float(value)}))
                unchanged += s.npv == before
                before = s.npv

    idle_cpu = _cpu_s(server_pid)                   # what the server spends doing nothing (watchers, heartbeats)
    await asyncio.sleep(IDLE_S)
    idle_rate = (_cpu_s(server_pid) - idle_cpu) / IDLE_S
    cpu, start = _cpu_s(server_pid), time.perf_counter()
    await asyncio.gather(*(person(k) for k in range(sessions)))
    spent = _cpu_s(server_pid) - cpu - idle_rate * (time.perf_counter() - start)
    moves = sessions * MOVES
    cut = sorted(answers)
    return {"p50": statistics.median(answers), "p95": cut[min(len(cut) - 1, int(0.95 * len(cut)))],
            "cpu": spent / (moves + sessions), "idle": idle_rate, "load_p50": statistics.median(loads),
            "load_max": max(loads), "unchanged": unchanged}


async def _memory(url: str, pid: int, sessions: int) -> tuple[float, float, float, float]:
    """Server memory (MB) before any session, after the first and per further session (they stay open), and
    the first session's seconds."""
    before = _rss_mb(pid)
    opened = []
    first_s = 0.0
    for k in range(sessions):
        s, took = await _own_case(url, 5000 + 37 * k)
        first_s = first_s or took
        opened.append(s)
        if k == 0:
            after_first = _rss_mb(pid)
    after_all = _rss_mb(pid)
    for s in opened:
        await s.__aexit__()
    return before, after_first, (after_all - after_first) / max(1, sessions - 1), first_s


async def _own_case(url: str, centre_cost: int) -> tuple[Session, float]:
    """A session opened on its own case (a centre at ``centre_cost`` an agent-month, 1,000 draws) and its first
    run's seconds; the caller closes it."""
    s = await Session(url, f"centre_on=true&draws=1000&centre_cost_per_agent_month={centre_cost}").__aenter__()
    return s, await s.run()


async def _come_and_go(url: str, sessions: int) -> None:
    """``sessions`` people each opening their own case, moving a slider once, and leaving."""
    opened = []
    for k in range(sessions):
        s, _ = await _own_case(url, 6000 + 41 * k)
        await s.run(**{SLIDER: float(5 + k % 10)})
        opened.append(s)
    for s in opened:
        await s.__aexit__()


def _after_sessions(url: str, pid: int, sessions: int = 20, wait_s: float = 150.0) -> tuple[float, float, float, float]:
    """Server memory (MB) at the start (one session served and closed), with ``sessions`` open, and the lowest
    reached within ``wait_s`` after they closed, with the seconds it took."""
    asyncio.run(_warm(url))
    time.sleep(2.0)
    start = _rss_mb(pid)
    asyncio.run(_come_and_go(url, sessions))
    peak, closed = _rss_mb(pid), time.perf_counter()
    low, when = peak, 0.0
    while time.perf_counter() - closed < wait_s:
        time.sleep(5.0)
        now = _rss_mb(pid)
        if now < low:
            low, when = now, time.perf_counter() - closed
        if low - start < 25:
            break
    return start, peak, low, when


def main(rows: int = 1_000_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        Repository(connect(store_url)).default_workspace()
        app, url, _ = serve("app.py", store_url)
        try:
            start, peak, low, when = _after_sessions(url, app.pid)
            print(f"Memory after 20 sessions opened and closed: {start:.0f} MB at the start (one session served), "
                  f"{peak:.0f} MB with the 20 open, {low:.0f} MB {when:.0f} s after they closed: "
                  f"{low - start:+.0f} MB (goal within 50 MB)")
        finally:
            app.terminate()
            app.wait(timeout=30)
        app, url, _ = serve("app.py", store_url)
        try:
            asyncio.run(_warm(url))
            print("Sessions through Streamlit's protocol: Scenario deep link with a regional centre, 1,000 draws; "
                  f"each session moves the centre headcount every {MOVE_EVERY_S:.0f} s ({MOVES} moves):")
            for n in (1, 5, 10):
                r = asyncio.run(_meeting(url, n, app.pid))
                print(f"  {n:2d} session{'s' if n > 1 else ' '}: answer to a move median {r['p50']:.2f} s, "
                      f"95th percentile {r['p95']:.2f} s (goal with 10: < 1.0 s); server CPU per move "
                      f"{r['cpu']:.2f} s (goal 0.15 s; the idle server's {r['idle'] * 1000:.0f} ms a second taken "
                      f"out); first load median {r['load_p50']:.2f} s, max "
                      f"{r['load_max']:.2f} s; moves that left the NPV as it was: {r['unchanged']}")
            r = asyncio.run(_meeting(url, 10, app.pid, stepping=True))
            print(f"  10 sessions stepping one at a time (arrow keys; the next step worked ahead): answer to a move "
                  f"median {r['p50']:.2f} s, 95th percentile {r['p95']:.2f} s; server CPU per move {r['cpu']:.2f} s; "
                  f"moves that left the NPV as it was: {r['unchanged']}")
        finally:
            app.terminate()
            app.wait(timeout=30)

        path = Path(folder) / "tickets.csv"
        export_csv(rows, path)
        repo = Repository(connect(store_url))
        repo.put_upload(repo.default_workspace().id, "tickets", "tickets.csv", path.read_bytes(), {})
        path.unlink()
        app, url, _ = serve("app.py", store_url)
        try:
            before, first, each, first_s = asyncio.run(_memory(url, app.pid, 6))
            print(f"Server memory with a workspace keeping a {rows:,}-ticket export: {before:.0f} MB before any "
                  f"session, {first:.0f} MB after the first (which read the file: {first_s:.1f} s), then "
                  f"{each:.0f} MB for each further session (goal < 50 MB)")
        finally:
            app.terminate()
            app.wait(timeout=30)


async def _warm(url: str, page: str = "Scenario") -> None:
    """One session before the measured ones: imports and the example's first run done (a server in use)."""
    async with Session(url, "draws=1000", page) as s:
        await s.run()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
