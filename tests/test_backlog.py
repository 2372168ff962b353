"""The fluid FIFO backlog: exact small cases, reference cases with time zones, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from model.operations.backlog import fluid_fifo
from model.operations.response import respond, summarise, summarise_means
from model.weekgrid import local_day_and_hour, open_mask
from tests.conftest import shared_json


def test_two_step_burst_is_served_in_order():
    result = fluid_fifo(np.array([2.0, 2.0, 0.0, 0.0]), np.array([1.0, 1.0, 1.0, 1.0]), step_h=1.0, weeks=2)
    np.testing.assert_allclose(result.delay_h[:2], [0.5, 1.5])
    assert not result.overloaded


def test_growing_backlog_is_flagged():
    result = fluid_fifo(np.full(4, 3.0), np.full(4, 2.0), step_h=1.0, weeks=2)
    assert result.overloaded
    assert result.backlog_end > 0


def test_weekend_backlog_alone_is_not_overload():
    arrivals = np.ones(7)
    capacity = np.array([2.0, 2.0, 2.0, 2.0, 2.0, 0.0, 0.0])
    result = fluid_fifo(arrivals, capacity, step_h=24.0)
    assert result.backlog_end > 0
    assert not result.overloaded


def _region_arrivals(common: dict, steps_per_hour: int) -> np.ndarray:
    offsets = np.array([r["utc_offset_hours"] for r in common["regions"]])
    shares = np.array([r["share"] for r in common["regions"]])
    day, hour = local_day_and_hour(offsets, steps_per_hour)
    rate = (0.08 + np.exp(-0.5 * ((hour - 13) / 3) ** 2)) * np.where(day >= 5, 0.3, 1.0)
    return common["tickets_per_week"] * shares[:, None] * rate / rate.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("steps_per_hour", [4, 12])
def test_async_reference_cases(steps_per_hour):
    """Every expected figure within the file's tolerance; the mean inside Ciw's confidence interval.

    The e-mail wait is the fluid backlog plus its randomness (``model.operations.diffusion``), so the mean
    lies between the reference's fluid mean and its exact birth-death mean.
    """
    ref = shared_json("reference/async_frt_cases.json")
    common = ref["common_inputs"]
    arrivals = _region_arrivals(common, steps_per_hour)[None]
    handle_h = common["first_response_handle_time_minutes"] / 60.0
    for case in ref["cases"]:
        on_duty = np.zeros(168 * steps_per_hour)
        for c in case["centres"]:
            open_h, close_h = map(float, c["local_hours"].split("-"))
            agents = round(c["headcount"] * (1 - common["shrinkage"]))
            on_duty += open_mask(c["utc_offset_hours"], open_h, close_h, (0, 1, 2, 3, 4), steps_per_hour) * agents
        week = respond(arrivals, np.array([handle_h]), np.array([False]), on_duty, steps_per_hour)
        business = np.stack([open_mask(r["utc_offset_hours"], 9, 17, (0, 1, 2, 3, 4), steps_per_hour)
                             for r in common["regions"]])
        stats = summarise(week.delay_paths_h, arrivals, np.array([4.0]), business)
        weights = arrivals.sum(axis=-1)[0]                           # tickets per region
        mean = float((stats.mean_h[0] * weights).sum() / weights.sum())
        ciw_mean, ciw_half_width = (float(x) for x in case["reference"]["ciw_mean"].split(" (")[0].split("+/-"))
        assert mean == pytest.approx(ciw_mean, abs=ciw_half_width), case["id"]
        assert case["reference"]["fluid_mean"] - 0.05 <= mean <= case["reference"]["ctmc_exact_mean"], case["id"]
        assert mean == pytest.approx(case["expected"]["mean_frt_hours"], rel=0.10), case["id"]
        everyone = summarise(week.delay_paths_h, arrivals.sum(axis=-2, keepdims=True), np.array([4.0]))
        assert float(everyone.mean_h[0, 0]) == pytest.approx(mean)
        assert float(everyone.median_h[0, 0]) == pytest.approx(case["expected"]["median_frt_hours"],
                                                               abs=case["tolerance"]["median_frt_hours"]), case["id"]
        assert float(everyone.p90_h[0, 0]) == pytest.approx(case["expected"]["p90_frt_hours"], rel=0.10), case["id"]
        assert common["regions"][1]["name"] == "EMEA"
        assert float(stats.business_mean_h[0, 1]) == pytest.approx(
            case["expected"]["emea_business_hours_mean_frt_hours"],
            abs=case["tolerance"]["emea_business_hours_mean_frt_hours"]), case["id"]


def test_regional_centre_cuts_its_regions_response():
    ref = shared_json("reference/async_frt_cases.json")
    arrivals = _region_arrivals(ref["common_inputs"], 4)[None]
    us = open_mask(-5, 9, 17, (0, 1, 2, 3, 4), 4) * 8.0
    eu = open_mask(1, 9, 17, (0, 1, 2, 3, 4), 4) * 3.0
    target = np.array([4.0])
    before = summarise_means(respond(arrivals, np.array([0.25]), np.array([False]), us, 4).delay_paths_h, arrivals,
                             target)
    after = summarise_means(respond(arrivals, np.array([0.25]), np.array([False]), us + eu, 4).delay_paths_h,
                            arrivals, target)
    assert after.mean_h[0, 1] < before.mean_h[0, 1] - 2.0      # EMEA gains hours
    assert np.all(after.mean_h <= before.mean_h + 1e-9)


@settings(max_examples=60, deadline=None)
@given(arr=hnp.arrays(np.float64, 24, elements=st.floats(0, 50)),
       cap=hnp.arrays(np.float64, 24, elements=st.floats(0, 60)))
def test_fluid_properties(arr, cap):
    result = fluid_fifo(arr, cap, step_h=1.0)
    assert np.all(np.isfinite(result.delay_h)) and np.all(result.delay_h >= 0)
    assert np.all(result.served <= cap + 1e-9) and np.all(result.served >= -1e-9)
    more = fluid_fifo(arr, cap * 1.5 + 1.0, step_h=1.0)
    assert np.all(more.delay_h <= result.delay_h + 1e-6)


def test_night_shift_runs_past_midnight_into_the_next_day():
    mask = open_mask(0.0, 22.0, 6.0, (0,), 1)          # Monday 22:00 to Tuesday 06:00, UTC
    assert mask.sum() == 8
    assert mask[22] and mask[23] and mask[24] and mask[29] and not mask[30]
    assert not mask[6 * 24 + 23] and not mask[0]        # not Sunday night, not Monday early


@settings(max_examples=40, deadline=None)
@given(arr=hnp.arrays(np.float64, (2, 48), elements=st.floats(0, 20)),
       agents=hnp.arrays(np.float64, 48, elements=st.floats(0, 8)),
       extra=st.floats(0.0, 3.0))
@example(arr=np.eye(2, 48)[:1].repeat(2, axis=0) * np.array([[1.0], [0.0]]), agents=np.eye(1, 48, 1)[0],
         extra=1.0)   # work done exactly at a step's end: rounding once sent the search past the row
@example(arr=np.zeros((2, 48)) + np.eye(1, 48, 27)[0] * np.array([[0.0], [4.0]]), agents=np.full(48, 0.0625),
         extra=1.0)   # chat takes every agent: leftover rounding once counted as e-mail capacity
@example(arr=np.zeros((2, 48)) + np.eye(1, 48, 0)[0] * np.array([[0.0], [4.0]]), agents=np.full(48, 2.0 ** -52),
         extra=1.0)   # no e-mail at all: the would-be wait of an hour without tickets weighs nothing
@example(arr=np.full((2, 48), 1e-268) + np.eye(1, 48, 3)[0] * np.array([[0.0], [4.5]]),
         agents=np.eye(1, 48, 0)[0] + np.eye(1, 48, 1)[0] + 7 * np.eye(1, 48, 2)[0],
         extra=3.0)   # 1e-268 e-mails an hour: below capacity's rounding, so their would-be wait is noise
def test_more_agents_never_slow_the_first_response(arr, agents, extra):
    """Through the whole response model: live priority, fluid backlog and Erlang wait together."""
    arrivals = arr[:, None, :]                                 # email and chat, one region
    handle = np.array([0.2, 0.15])
    live = np.array([False, True])
    before = respond(arrivals, handle, live, agents, 2).region_delay_h()
    after = respond(arrivals, handle, live, agents + extra * (agents > 0), 2).region_delay_h()
    # The loop-free Lindley recursion subtracts cumulative sums of capacity (tens of agent-hours,
    # rounding ~1e-14) to find queues of 1e-8 agent-hours: waits then carry ~1e-7 h of rounding.
    # Only hours with tickets count: every output weighs an hour's wait by its tickets, and the
    # would-be wait of an empty hour is not defined when the agents on duty round to nothing. Nor
    # is it for a billionth of a ticket, far below the capacity sums' rounding (1e-268 e-mails an
    # hour once read a 0.2 h wait where 22 h was right); from 1e-12 tickets on the waits are exact.
    has_tickets = arrivals > 1e-9
    assert np.all((after <= before + 1e-6) | ~has_tickets)


def test_steady_experience_classes_are_a_fixed_point():
    from model.customers.experience import remembered_classes, steady_classes
    steady = steady_classes(0.3, 0.8, 12.0)
    np.testing.assert_allclose(remembered_classes(steady, 0.3, 0.8, 12.0), steady)
    assert steady.sum() == pytest.approx(1.0) and steady[1] / steady[2] == pytest.approx(4.0)


def test_oldest_waiting_work_at_an_opening_is_as_old_as_the_closure():
    """Work arrives evenly all day; one agent works 09-17. At 09:00 the oldest work is from 17:00."""
    arrivals = np.full(24, 0.25)
    capacity = np.where((np.arange(24) >= 9) & (np.arange(24) < 17), 1.0, 0.0)
    result = fluid_fifo(arrivals, capacity, step_h=1.0)
    assert result.oldest_age_h[9] == pytest.approx(16.0)
    assert result.oldest_age_h[3] == pytest.approx(10.0)
    assert result.oldest_age_h[16] == pytest.approx(0.0)


def _lindley(arrivals: np.ndarray, capacity: np.ndarray, weeks: int) -> np.ndarray:
    """Backlog at the end of every step of ``weeks`` repeats of the week, step by step from empty."""
    out, queue = [], 0.0
    for _ in range(weeks):
        for a, c in zip(arrivals, capacity):
            queue = max(queue + a - c, 0.0)
            out.append(queue)
    return np.array(out)


@settings(max_examples=200, deadline=None)
@given(arr=hnp.arrays(np.float64, 12, elements=st.floats(0, 50)),
       cap=hnp.arrays(np.float64, 12, elements=st.floats(0, 50)),
       weeks=st.integers(1, 5))
@example(arr=np.full(12, 3.0), cap=np.full(12, 2.0), weeks=4)          # grows every week
@example(arr=np.r_[np.full(6, 9.0), np.zeros(6)], cap=np.full(12, 4.0), weeks=3)   # clears within the week
def test_repeated_weeks_read_off_one_week_are_the_recursion_over_every_week(arr, cap, weeks):
    from model.operations.backlog import _backlog_of_weeks, _week_backlog, fluid_served
    want = _lindley(arr, cap, weeks)
    got = _backlog_of_weeks(arr - cap, weeks).reshape(-1)
    assert np.allclose(got, want, rtol=1e-12, atol=1e-9 * max(1.0, arr.sum() * weeks))
    s1 = np.cumsum(arr - cap)
    assert np.array_equal(_week_backlog(s1, np.minimum.accumulate(s1), weeks - 1),
                          _backlog_of_weeks(arr - cap, weeks)[-1])
    before = np.r_[want[-len(arr) - 1] if weeks > 1 else 0.0, want[-len(arr):-1]]
    assert np.allclose(fluid_served(arr, cap, weeks), before + arr - want[-len(arr):],
                       rtol=1e-12, atol=1e-9 * max(1.0, arr.sum() * weeks))


def test_without_ages_the_week_is_the_same_and_says_it_has_no_ages():
    arrivals = np.r_[np.full(8, 3.0), np.zeros(16)]
    capacity = np.r_[np.zeros(6), np.full(12, 2.0), np.zeros(6)]
    full, lean = fluid_fifo(arrivals, capacity, step_h=1.0), fluid_fifo(arrivals, capacity, step_h=1.0, ages=False)
    assert lean.oldest_age_h is None and full.oldest_age_h.max() > 0.0
    for name in ("delay_h", "served", "backlog_end", "overloaded"):
        assert np.array_equal(getattr(full, name), getattr(lean, name))
