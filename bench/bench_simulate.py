"""Speed of the chain, with ratios against a peer measured in the same run.

1. ``simulate`` for each example company with a lever pulled, a company with three routed sites, and the B2B SaaS example
   with an AI agent (36 months, baseline + scenario):
   the point view, 1,000 and 10,000 Monte Carlo draws (time and peak memory), against a plain
   Python loop over draws that re-runs the model once per draw (the way a spreadsheet-style model
   would do it), measured on a sample of draws in the same process.
2. The fluid FIFO backlog (vectorised Newell diagram) against the same recursion written as a
   plain Python loop over the steps, the way a spreadsheet model would compute it.
3. The Scenario page answering a slider move (AppTest, a new uncached scenario each time): the B2B SaaS
   example, and a workspace company of three sites that serve their own regions.

Run with ``make bench`` (``python -m bench.bench_simulate "AI agent"`` runs the ``simulate`` lines of the matching
cases alone); the README quotes the latest figures.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.common import median_s, python_fifo
from model.ai_agent import AgentBehaviour, AIAgent, ChannelInvolvement, PerResolution, RunCosts
from model.draw import scenario_at
from model.engine import simulate
from model.operations.response_table import WORKERS, clear_row_cache
from model.examples import ecommerce, saas
from model.operations.backlog import fluid_fifo
from store import Repository, company_document, connect
from model.params import (
    MON_FRI,
    Assumptions,
    Channel,
    Company,
    CsatCurve,
    ExtendedHours,
    HireAgents,
    Levers,
    RegionalCentre,
    Region,
    Scenario,
    Site,
)

ROOT = Path(__file__).resolve().parents[1]

MEMORY_PROBE = """
import resource
from bench.bench_simulate import cases
from model.engine import simulate
simulate(cases()[{name!r}], draws=10_000)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss_mb(name: str) -> float:
    """Peak resident memory (MB) of a fresh Python process that runs 10,000 draws of case ``name``."""
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE.format(name=name)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024


def _after(scenario: Scenario, moved: Scenario) -> float:
    """Seconds for ``moved`` at 1,000 draws right after ``scenario``, as a slider move asks it."""
    clear_row_cache()
    simulate(scenario, draws=1_000)
    start = time.perf_counter()
    simulate(moved, draws=1_000)
    return time.perf_counter() - start


def _moved(scenario: Scenario) -> Scenario:
    """The case after a lever move: one more agent at its first centre, or one more extended hour."""
    levers = scenario.levers
    if levers.ai_agent is not None:
        agent = levers.ai_agent
        return replace(scenario, levers=replace(levers, ai_agent=replace(agent, behaviour=replace(
            agent.behaviour, resolution_pct=agent.behaviour.resolution_pct + 0.05))))
    if levers.centres:
        first = levers.centres[0]
        return replace(scenario, levers=replace(levers, centres=(replace(first, headcount=first.headcount + 1),
                                                                  *levers.centres[1:])))
    first = levers.extended_hours[0]
    return replace(scenario, levers=replace(levers, extended_hours=(
        replace(first, extra_hours_per_day=first.extra_hours_per_day + 1), *levers.extended_hours[1:])))


def three_sites() -> Company:
    """A company of our own making with two sites that serve their own regions: Warsaw (Europe, and what no
    site claims) and Manila (Asia), 4,000 customers."""
    email = Channel("email", 0.8, 12.0, 8.0, CsatCurve(0.6, 0.95, 6.0, 1.0))
    chat = Channel("chat", 0.2, 10.0, 5 / 60, CsatCurve(0.6, 0.95, 0.5, 1.0), concurrency=1.5)
    return Company(
        name="Kasza (three sites)", description="bench", customers=4_000.0, new_customers_per_month=60.0,
        arpu_per_month=1_200.0, gross_margin_pct=0.75, churn_monthly_pct=0.02, expansion_monthly_pct=0.01,
        referral_rate_per_month=0.001, nps_today=25.0, csat_today_pct=0.8, contact_rate_per_customer_month=1.2,
        first_contact_resolution_pct=0.7, channels=(email, chat),
        regions=(Region("Europe", 1.0, 0.55), Region("US East", -5.0, 0.3), Region("Asia", 8.0, 0.15)),
        sites=(Site("Warsaw", 1.0, 8.0, 16.0, MON_FRI, 10.0, 0.3, 18_000.0, serves=("Europe",)),
               Site("Manila", 8.0, 9.0, 17.0, MON_FRI, 3.0, 0.3, 9_000.0, serves=("Asia",))),
    )


def cases() -> dict[str, Scenario]:
    centre = RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500, 60000)
    us = RegionalCentre("New York", -5.0, 9, 17, MON_FRI, 3, 25_000, 60_000, serves=("US East",))
    return {
        "saas + European centre": Scenario(saas(), levers=Levers(centres=(centre,))),
        "e-commerce + weekend cover": Scenario(ecommerce(), levers=Levers(
            extended_hours=(ExtendedHours("Krakow", 4, 2),))),
        "3 sites routed + US centre": Scenario(three_sites(), levers=Levers(
            centres=(us,), hires=(HireAgents("Warsaw", 2.0),))),
        "saas + AI agent (attrition)": Scenario(saas(), levers=Levers(ai_agent=AIAgent(
            AgentBehaviour(0.0, 0.6), PerResolution(0.99), RunCosts(15_000.0, 1_200.0, 20.0, 45.0),
            channels=(ChannelInvolvement("email", 0.4), ChannelInvolvement("chat", 0.6))))),
    }


def main(only: str = "") -> None:
    """Every bench; ``only``: the ``simulate`` lines of the cases whose name holds it, nothing else."""
    allocator = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_")}
    print(f"simulate(), 36 months, baseline + scenario; response table on {WORKERS} threads; glibc allocator "
          f"{allocator or 'as the system sets it (make bench sets what make run sets)'}:")
    names = [name for name, _ in Assumptions().items()]
    for name, scenario in cases().items():
        if only not in name:
            continue
        # Every run from an empty row cache: the model's own time, not what earlier runs left behind.
        point = median_s(lambda s=scenario: (clear_row_cache(), simulate(s)), 15)
        mc = median_s(lambda s=scenario: (clear_row_cache(), simulate(s, draws=1_000)), 9)
        outcomes = simulate(scenario, draws=1_000).uncertainty.outcomes
        sample = outcomes.iloc[:20][names].to_dict("records")
        start = time.perf_counter()
        for values in sample:                     # the peer: one full model run per draw
            clear_row_cache()
            simulate(scenario_at(scenario, values))
        per_draw = (time.perf_counter() - start) / len(sample)
        big = median_s(lambda s=scenario: (clear_row_cache(), simulate(s, draws=10_000)), 3)
        moved = _moved(scenario)
        warm = statistics.median(_after(scenario, moved) for _ in range(5))
        peak_mb = _peak_rss_mb(name)
        print(f"  {name:28s} point view {point * 1000:5.1f} ms | 1,000 draws {mc * 1000:5.1f} ms (target 150); "
              f"Python loop over draws {per_draw * 1000:4.1f} ms a draw, {per_draw * 1000:4.1f} s per 1,000: "
              f"ratio {per_draw * 1000 / mc:.0f}x | 10,000 draws {big:.2f} s (target 1.5), "
              f"peak memory of the process {peak_mb:.0f} MB (target 500) | a lever move after it, the rows of "
              f"anchors it leaves alone read back: {warm * 1000:.0f} ms")

    if only:
        return
    rng = np.random.default_rng(1)
    steps = 168 * 4
    arrivals = rng.gamma(2.0, 1.0, steps)
    capacity = np.where((np.arange(steps) // 4) % 24 < 10, arrivals.sum() / (7 * 40), 0.0)
    vec = median_s(lambda: fluid_fifo(arrivals, capacity, 0.25), 50)
    peer = median_s(lambda: python_fifo(list(arrivals), list(capacity), 3), 10)
    got = fluid_fifo(arrivals, capacity, 0.25).delay_h
    want = np.array(python_fifo(list(arrivals), list(capacity), 3)) * 0.25
    agree = np.allclose(got, want, atol=1e-6)
    print(f"fluid backlog, one week at 15 min (672 steps): vectorised {vec * 1e3:.2f} ms, "
          f"Python loop {peer * 1e3:.2f} ms, ratio {peer / vec:.0f}x, same delays: {agree}")
    batch = np.tile(arrivals, (72, 1))
    vec_b = median_s(lambda: fluid_fifo(batch, capacity, 0.25), 10)
    print(f"  72 weeks at once (36 months x 2 variants): {vec_b * 1e3:.1f} ms, "
          f"ratio to 72 Python loops {72 * peer / vec_b:.0f}x")

    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/1_Scenario.py").run()
    at.toggle(key="centre_on").set_value(True).run()
    print(f"Scenario page rerun after a slider move (AppTest, uncached scenario, 12 moves), B2B SaaS example: "
          f"{_slider_moves(at)}")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ROI_STORE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        repo = Repository(connect(os.environ["ROI_STORE_URL"]))
        repo.companies.save(repo.default_workspace().id, company_document(three_sites(), "PLN"))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["company"] = three_sites().name
        at.switch_page("pages/1_Scenario.py").run()
        at.toggle(key="centre_on").set_value(True).run()
        at.slider(key="centre_utc_offset_h").set_value(-5.0).run()
        assert not at.exception and "answers US East first" in next(i.value for i in at.info if "worth" in i.value)
        print(f"  the same, three sites serving their own regions and a US centre serving US East: "
              f"{_slider_moves(at)}")


def _slider_moves(at) -> str:
    times = []
    for headcount in range(2, 14):
        t = time.perf_counter()
        at.slider(key="centre_headcount").set_value(headcount).run()
        times.append(time.perf_counter() - t)
    return (f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (target < 500 ms)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
