"""Work ahead: after one step of a lever, the next step's projection is computed before it is asked for."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.testing.v1 import AppTest

import ui.cache
from tests.conftest import ROOT
from ui import ahead
from view.controls import defaults, next_step, scenario_of

BASE = {**defaults(), "centre_on": True}


@pytest.mark.parametrize(("key", "old", "new", "then"), [
    ("centre_headcount", 4, 5, 6),                 # an arrow key to the right
    ("centre_headcount", 4, 3, 2),                 # to the left
    ("centre_utc_offset_h", 0.0, 0.5, 1.0),        # a half-hour step
    ("centre_utc_offset_h", -3.5, -4.0, -4.5),
    ("hire_cost_per_agent", 4000, 4500, 5000),     # a number's +
])
def test_one_step_of_one_control_asks_for_one_more_in_the_same_direction(key, old, new, then):
    ahead_values = next_step({**BASE, key: old}, {**BASE, key: new})
    assert ahead_values == {**BASE, key: then}
    assert type(ahead_values[key]) is type(new)


@pytest.mark.parametrize(("before", "now"), [
    (None, BASE),                                                               # a page's first run
    (BASE, BASE),                                                               # nothing moved
    ({**BASE, "centre_headcount": 4}, {**BASE, "centre_headcount": 7}),         # a drag: three steps at once
    ({**BASE, "centre_headcount": 49}, {**BASE, "centre_headcount": 50}),       # the next would pass the bound
    ({**BASE, "hire_cost_per_agent": 4000}, {**BASE, "hire_cost_per_agent": 4321}),   # an amount typed
    ({**BASE, "centre_on": False}, BASE),                                       # a switch
    ({**BASE, "centre_days": "Mon-Fri"}, {**BASE, "centre_days": "Mon-Sat"}),   # a choice
    (BASE, {**BASE, "centre_headcount": 5, "hire_agents": 1}),                  # two controls at once
    ({k: v for k, v in BASE.items() if k != "plan"}, {**BASE, "centre_headcount": 5}),  # not the same controls
])
def test_any_other_change_asks_for_nothing(before, now):
    assert next_step(before, now) is None


def _headcounts(runs: list) -> list[float]:
    return [s.levers.centres[0].headcount for s in runs if s.levers.centres]


def test_the_next_step_is_ready_before_it_is_asked_for(monkeypatch):
    runs: list = []
    original = ui.cache.simulate
    monkeypatch.setattr(ui.cache, "simulate", lambda s, **kw: runs.append(s) or original(s, **kw))
    ui.cache.forget_per_case()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["centre_on"] = "true"
    at.query_params["draws"] = "250"
    at.switch_page("pages/1_Scenario.py").run()
    assert _headcounts(runs) == [4.0]                          # the page's own case; nothing ahead on a first run

    at.slider(key="centre_headcount").set_value(5).run()       # one step
    ahead.wait()
    assert _headcounts(runs) == [4.0, 5.0, 6.0]                # the page's case, then the next step's in the background

    at.slider(key="centre_headcount").set_value(6).run()       # the next step: read, not computed again
    ahead.wait()
    assert _headcounts(runs) == [4.0, 5.0, 6.0, 7.0]
    shown = next(m.value for m in at.metric if m.label == "NPV (median)")
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for key, value in {"centre_on": "true", "draws": "250", "centre_headcount": "6"}.items():
        fresh.query_params[key] = value
    ui.cache.forget_per_case()
    fresh.switch_page("pages/1_Scenario.py").run()
    assert next(m.value for m in fresh.metric if m.label == "NPV (median)") == shown   # the same figures as computed now

    runs.clear()
    at.slider(key="centre_headcount").set_value(12).run()      # a jump: nothing ahead
    ahead.wait()
    assert _headcounts(runs) == [12.0]
    assert not at.exception


def test_the_server_runs_one_model_at_a_time(monkeypatch):
    # Ten sessions' runs side by side fought over memory and caches (0.29 s of CPU a move against 0.15-0.18 s).
    inside, most = [0], [0]
    guard = threading.Lock()
    original = ui.cache.simulate

    def counted(scenario, **kw):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            time.sleep(0.02)                                       # long enough for the others to arrive
            return original(scenario, **kw)
        finally:
            with guard:
                inside[0] -= 1

    monkeypatch.setattr(ui.cache, "simulate", counted)
    ui.cache.forget_per_case()
    cases = [scenario_of({**BASE, "centre_headcount": h}) for h in range(3, 9)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        projections = list(pool.map(lambda s: ui.cache.projection(s, 50), cases))
    assert most[0] == 1
    assert len({id(p) for p in projections}) == len(cases)                  # each case its own run, kept
    assert all(ui.cache.projection(s, 50) is p for s, p in zip(cases, projections, strict=True))


def test_nothing_is_worked_ahead_while_the_model_is_busy(monkeypatch):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["centre_on"] = "true"
    at.query_params["draws"] = "250"
    at.switch_page("pages/1_Scenario.py").run()
    started: list[bool] = []
    monkeypatch.setattr(ahead, "step", lambda values, book, _step=ahead.step: started.append(_step(values, book)))
    monkeypatch.setattr(ui.cache, "model_busy", lambda: True)     # another session's run under way
    at.slider(key="centre_headcount").set_value(5).run()
    assert started == [False]
    monkeypatch.setattr(ui.cache, "model_busy", lambda: False)
    at.slider(key="centre_headcount").set_value(6).run()
    ahead.wait()
    assert started == [False, True]
