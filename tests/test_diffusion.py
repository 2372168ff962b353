"""The e-mail backlog's randomness (model.operations.diffusion): steady state, shift, search and paths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from model.operations import diffusion, queueing

HANDLE_H = 10.0 / 60.0
STEPS_PER_HOUR = 4
STEPS = 168 * STEPS_PER_HOUR


def _steady_wait_h(agents: float, traffic_erl: float, weeks: int = 8, paths: int = 64) -> float:
    """Mean wait at constant rates, measured in week ``weeks`` after starting empty."""
    step_h = 1.0 / STEPS_PER_HOUR
    work = np.full(STEPS, traffic_erl * step_h)
    capacity = np.full(STEPS, agents * step_h)
    shift = diffusion.wait_shift_agent_h(capacity / step_h, work / step_h, HANDLE_H)
    waits = diffusion.brownian_fifo(work, capacity, 2.0 * HANDLE_H * work, shift, STEPS_PER_HOUR,
                                    weeks=weeks, paths=paths)
    assert waits.shape == (paths, STEPS)
    return float(waits.mean())


@pytest.mark.parametrize("agents, load", [(5.0, 0.8), (5.0, 0.9), (5.0, 0.95), (2.0, 0.95), (20.0, 0.9),
                                          (20.0, 0.98), (50.0, 0.9)])
def test_steady_load_gives_erlang_c_mean_wait(agents, load):
    """At constant rates the shifted Brownian workload gives Erlang C's mean wait, with the app's 16 paths.

    Sampled hourly (not continuously) it is within 15 %, or 10 seconds where the wait is under a minute.
    """
    erlang = float(queueing.average_speed_of_answer_h(agents, load * agents, HANDLE_H))
    ours = _steady_wait_h(agents, load * agents, paths=diffusion.PATHS)
    assert abs(ours - erlang) <= max(0.15 * erlang, 10.0 / 3600.0), (ours * 3600, erlang * 3600)


def test_light_load_waits_are_seconds():
    erlang = float(queueing.average_speed_of_answer_h(5.0, 2.5, HANDLE_H))
    assert abs(_steady_wait_h(5.0, 2.5) - erlang) < 1.0 / 60.0       # within a minute of Erlang C's 31 s


def test_overload_grows_the_queue_week_after_week():
    assert _steady_wait_h(5.0, 5.5, weeks=3) > 24.0


def test_shift_is_zero_without_agents_and_continuous_at_saturation():
    assert float(diffusion.wait_shift_agent_h(0.0, 3.0, HANDLE_H)) == 0.0
    below = float(diffusion.wait_shift_agent_h(10.0, 10.0 * (1 - 1e-3), HANDLE_H))
    above = float(diffusion.wait_shift_agent_h(10.0, 10.0 * (1 + 1e-3), HANDLE_H))
    assert below == pytest.approx(above, rel=0.01)
    assert below > 0.0


@settings(max_examples=80, deadline=None)
@given(traffic=st.floats(0.0, 500.0), agents=st.floats(0.0, 600.0), more=st.floats(0.0, 50.0))
def test_shift_never_falls_when_agents_are_added(traffic, agents, more):
    """More agents absorb more work before anyone waits: what keeps waits monotone in agents."""
    before = float(diffusion.wait_shift_agent_h(agents, traffic, HANDLE_H))
    after = float(diffusion.wait_shift_agent_h(agents + more, traffic, HANDLE_H))
    assert before >= 0.0                                  # inf: nobody ever waits
    assert after >= before * (1.0 - 1e-9) - 1e-12


def test_first_above_waits_for_the_next_opening_and_treats_equal_rows_alike():
    cum = np.array([[0.0, 1.0, 1.0, 1.0, 2.0]] * 2)          # open, closed twice, open
    targets = np.array([[0.5, 1.0, 1.5, 2.5]] * 2)
    pos = diffusion._first_above(cum, targets)
    np.testing.assert_array_equal(pos[0], [0.5, 3.0, 3.5, np.inf])
    np.testing.assert_array_equal(pos[0], pos[1])


def test_paths_are_antithetic_and_each_week_is_stratified():
    z, e = diffusion._noise(16, 3, 168)
    np.testing.assert_array_equal(z[:8], -z[8:])
    np.testing.assert_array_equal(e[:8], e[8:])
    week_sums = z.reshape(16, 3, 168).sum(axis=-1) / np.sqrt(168)
    strata = np.floor(np.sort(ndtr(week_sums), axis=0) * 16)
    np.testing.assert_array_equal(strata, np.arange(16)[:, None].repeat(3, axis=1))
    with pytest.raises(ValueError, match="even"):
        diffusion._noise(3, 3, 168)


def test_leading_axes_give_one_answer_per_row_and_equal_rows_agree():
    step_h = 1.0 / STEPS_PER_HOUR
    hours = np.arange(STEPS) / STEPS_PER_HOUR
    open_ = (hours % 24 >= 9) & (hours % 24 < 17)
    work = np.where(open_, 3.0, 0.5) * step_h * HANDLE_H * 30
    capacity = np.stack([open_ * 4.0, open_ * 4.0, open_ * 6.0]) * step_h
    work_rows = np.broadcast_to(work, capacity.shape)
    shift = diffusion.wait_shift_agent_h(capacity / step_h, work_rows / step_h, HANDLE_H)
    waits = diffusion.brownian_fifo(work_rows, capacity, 2.0 * HANDLE_H * work_rows, shift, STEPS_PER_HOUR)
    assert waits.shape == (3, diffusion.PATHS, STEPS)
    np.testing.assert_array_equal(waits[0], waits[1])
    assert waits[2].mean() < waits[0].mean()
    alone = diffusion.brownian_fifo(work, capacity[2], 2.0 * HANDLE_H * work, shift[2], STEPS_PER_HOUR)
    np.testing.assert_allclose(alone, waits[2], rtol=1e-12, atol=1e-12)
