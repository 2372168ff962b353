"""Erlang C against published cases, and its shape over the whole range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import queueing
from tests.conftest import shared_json


def _cases():
    return shared_json("reference/erlang_cases.json")["cases"]


def test_erlang_reference_cases_with_given_agents():
    checked = 0
    for case in _cases():
        inp, exp, tol = case["inputs"], case["expected"], case["tolerance"]
        if "agents" not in inp or "patience_seconds" in inp or "abandon" in str(exp):
            continue
        aht_h = inp["aht_seconds"] / 3600.0
        traffic = inp["calls"] * inp["aht_seconds"] / (inp["interval_minutes"] * 60.0)
        n = inp["agents"]
        got = {
            "traffic_erlangs": traffic,
            "prob_wait": float(queueing.erlang_c(n, traffic)),
            "occupancy": traffic / n,
            "asa_seconds": float(queueing.average_speed_of_answer_h(n, traffic, aht_h)) * 3600.0,
        }
        if "target_answer_seconds" in inp:
            got["service_level"] = float(queueing.service_level(n, traffic, aht_h, inp["target_answer_seconds"] / 3600))
        for key, want in exp.items():
            if key in got:
                assert got[key] == pytest.approx(want, abs=tol[key]), (case["id"], key)
                checked += 1
    assert checked >= 5


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
