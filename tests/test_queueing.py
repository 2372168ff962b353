"""Erlang C against published cases, and its shape over the whole range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from model.operations import queueing
from tests.conftest import shared_json


def _cases() -> list[dict]:
    return shared_json("reference/erlang_cases.json")["cases"]


def _inputs(inp: dict) -> tuple[float, float, float]:
    """Traffic (Erlangs), handle time and target (hours) of a reference case."""
    aht_h = inp["aht_seconds"] / 3600.0 if "aht_seconds" in inp else inp["aht_minutes"] / 60.0
    traffic = inp["calls"] / (inp["interval_minutes"] / 60.0) * aht_h
    return traffic, aht_h, inp.get("target_answer_seconds", 20.0) / 3600.0


def test_every_erlang_c_reference_case():
    checked = 0
    for case in _cases():
        inp, exp, tol = case["inputs"], case["expected"], case["tolerance"]
        if "mean_patience_minutes" in inp:
            continue
        traffic, aht_h, target_h = _inputs(inp)
        if "agents" in inp:
            n = inp["agents"]
        else:
            n = int(queueing.required_agents(traffic, aht_h, target_h, inp["target_service_level"],
                                             inp.get("max_occupancy", 1.0)))
        got = {
            "traffic_erlangs": traffic,
            "raw_agents": n,
            "agents_with_shrinkage": int(queueing.with_shrinkage(n, inp.get("shrinkage", 0.0))),
            "prob_wait": float(queueing.erlang_c(n, traffic)),
            "immediate_answer": float(queueing.immediate_answer(n, traffic)),
            "occupancy": float(queueing.occupancy(n, traffic)),
            "asa_seconds": float(queueing.average_speed_of_answer_h(n, traffic, aht_h)) * 3600.0,
            "service_level": float(queueing.service_level(n, traffic, aht_h, target_h)),
        }
        for key, want in exp.items():
            assert got[key] == pytest.approx(want, abs=tol.get(key, 0)), (case["id"], key)
            checked += 1
    assert checked >= 20


def test_erlang_a_reference_case():
    case = next(c for c in _cases() if "mean_patience_minutes" in c["inputs"])
    inp, exp, tol = case["inputs"], case["expected"], case["tolerance"]
    traffic, aht_h, target_h = _inputs(inp)
    r = queueing.erlang_a(inp["agents"], traffic, aht_h, inp["mean_patience_minutes"] / 60.0, target_h)
    got = {"prob_wait": r.prob_wait, "abandon_prob": r.abandon_pct, "service_level": r.service_level,
           "asa_minutes_all_arrivals": r.asa_h * 60.0, "occupancy": r.occupancy}
    for key, want in exp.items():
        assert float(got[key]) == pytest.approx(want, abs=tol[key]), key


def test_worked_example_fourteen_agents():
    """Call Centre Helper: 100 calls in 30 min, 180 s AHT -> 14 agents give 88.8 % in 20 s."""
    sl = queueing.service_level(14, 10.0, 180 / 3600, 20 / 3600)
    assert float(sl) == pytest.approx(0.8884, abs=5e-4)
    assert float(queueing.erlang_c(14, 10.0)) == pytest.approx(0.1741, abs=5e-4)


@given(agents=st.floats(0.5, 25_000), load=st.floats(0.0, 0.999))
def test_erlang_c_is_a_probability_and_never_nan(agents, load):
    c = queueing.erlang_c(agents, agents * load)
    assert np.isfinite(c) and 0.0 <= c <= 1.0


@given(traffic=st.floats(0.01, 20_000))
def test_more_agents_never_wait_longer(traffic):
    agents = traffic * np.array([1.01, 1.1, 1.5, 2.0, 3.0]) + 1.0
    asa = queueing.average_speed_of_answer_h(agents, traffic, 0.1)
    assert np.all(np.diff(asa) <= 1e-12)


def test_overloaded_hour_has_certain_wait_and_no_service_level():
    assert float(queueing.erlang_c(5, 6.0)) == 1.0
    assert float(queueing.service_level(5, 6.0, 0.1, 0.01)) == 0.0
    assert np.isinf(queueing.average_speed_of_answer_h(5, 6.0, 0.1))


@given(traffic=st.floats(0.01, 20_000), sl=st.floats(0.5, 0.95), occ=st.floats(0.7, 1.0))
def test_required_agents_is_the_smallest_that_meets_the_target(traffic, sl, occ):
    aht, target = 0.05, 20 / 3600
    n = int(queueing.required_agents(traffic, aht, target, sl, occ))
    assert queueing.service_level(n, traffic, aht, target) >= sl - 1e-9 and traffic <= occ * n + 1e-9
    fewer = n - 1
    assert fewer <= 0 or not (queueing.service_level(fewer, traffic, aht, target) >= sl
                              and traffic <= occ * fewer)


def test_required_agents_over_a_grid_matches_one_by_one():
    traffic = np.linspace(0.5, 400.0, 37)
    together = queueing.required_agents(traffic, 0.05, 20 / 3600, 0.8, 0.9)
    alone = [int(queueing.required_agents(a, 0.05, 20 / 3600, 0.8, 0.9)) for a in traffic]
    assert together.tolist() == alone


def test_huge_loads_stay_finite():
    n = np.array([25_000.0, 24_001.0, 20_500.0])
    a = np.array([24_000.0, 24_000.0, 20_000.0])
    for values in (queueing.erlang_c(n, a), queueing.service_level(n, a, 0.05, 0.01),
                   queueing.average_speed_of_answer_h(n, a, 0.05)):
        assert np.all(np.isfinite(values))


@settings(max_examples=40, deadline=None)
@given(agents=st.integers(1, 60), load=st.floats(0.05, 2.0), patience_min=st.floats(0.2, 30.0))
def test_erlang_a_is_bounded_at_any_load(agents, load, patience_min):
    r = queueing.erlang_a(agents, agents * load, 0.05, patience_min / 60.0, 20 / 3600)
    for value in (r.prob_wait, r.abandon_pct, r.service_level, r.occupancy):
        assert 0.0 <= float(value) <= 1.0 + 1e-12
    assert float(r.asa_h) >= 0.0


def test_erlang_a_tends_to_erlang_c_with_very_patient_callers():
    r = queueing.erlang_a(14, 10.0, 0.05, 1e5, 20 / 3600)
    assert float(r.prob_wait) == pytest.approx(float(queueing.erlang_c(14, 10.0)), abs=1e-4)
    assert float(r.service_level) == pytest.approx(float(queueing.service_level(14, 10.0, 0.05, 20 / 3600)), abs=1e-4)


def test_erlang_a_can_meet_a_target_below_the_offered_load():
    """Impatient callers leave the queue, so fewer agents than Erlangs can reach the target."""
    n = int(queueing.required_agents_erlang_a(10.0, 0.05, 0.2 / 60, 20 / 3600, 0.5))
    assert n < 10 and n < int(queueing.required_agents(10.0, 0.05, 20 / 3600, 0.5))


def test_fractional_agents_give_a_smooth_erlang_a():
    r = queueing.erlang_a(np.array([3.0, 3.25, 3.5, 4.0]), 10.0, 0.05, 5 / 60, 20 / 3600)
    assert np.all(np.diff(r.abandon_pct) < 0) and np.all(np.diff(r.service_level) > 0)


def test_chat_concurrency_is_capped():
    np.testing.assert_allclose(queueing.concurrency_factor([1, 2, 3, 4, 5]), [1.0, 1.7, 2.5, 2.9, 3.0])


@settings(max_examples=60, deadline=None)
@given(traffic=hnp.arrays(np.float64, 50, elements=st.floats(1e-6, 40.0)), extra=st.integers(0, 6))
def test_erlang_b_recursion_for_small_loads_equals_the_gamma_form(traffic, extra):
    """The staffing search's Erlang B (recursion below 10 Erlangs) equals the incomplete-gamma form."""
    agents = np.floor(traffic) + 1.0 + extra
    np.testing.assert_allclose(queueing._erlang_b_whole(agents, traffic), queueing.erlang_b(agents, traffic),
                               rtol=1e-11, atol=1e-300)
