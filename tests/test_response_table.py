"""The response model on a grid of work levels and staffing anchors (model.operations.response_table)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import engine
from model.customers import experience
from model.examples import ecommerce, saas
from model.operations import response_table as rt
from model.operations.response import by_region, respond_routed, summarise_means
from model.operations.routing import Routing
from model.params import MON_FRI, HireAgents, Levers, RegionalCentre, Scenario


def _setup(scenario):
    company = scenario.company
    s = engine._Static.of(company)
    cap = engine._capacity(scenario, 36, np.ones(1))
    tickets = company.customers * s.issues_per_customer * (2 - company.first_contact_resolution_pct)
    arrivals = engine.demand.weekly_arrivals(tickets, s.channel_share, s.region_share, s.profile)
    return s, cap, arrivals


def _exact(s, arrivals, on_duty, route, x):
    week = respond_routed(arrivals[None] * x, s.handle_h[None], s.is_live, on_duty[None], engine.STEPS_PER_HOUR,
                          route)
    paths = week.delay_paths_h.shape[-2]
    by_path = [by_region(week.delay_paths_h[..., k, :], week.queue_of_region) for k in range(paths)]
    csat = np.mean([experience.ticket_weighted_csat(d, arrivals[None] * x, s.curves) for d in by_path], axis=0)[0]
    return csat, summarise_means(week.delay_paths_h, arrivals[None] * x, s.target_h,
                                 queue_of_region=week.queue_of_region).mean_h[0]


@pytest.mark.parametrize("scenario", [
    Scenario(saas(), levers=Levers(centres=(RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500, 60000),))),
    Scenario(ecommerce(), levers=Levers(hires=(HireAgents("Krakow", 2.0),))),
    Scenario(saas(), levers=Levers(centres=(RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500, 60000,
                                                          serves=("Europe",)),))),
], ids=["saas-centre", "shop-hire", "saas-centre-serving-europe"])
def test_grid_matches_the_week_model_between_nodes(scenario):
    """Half-way between nodes (the worst place) CSAT is within 0.15 point and mean response within 1 %."""
    s, cap, arrivals = _setup(scenario)
    nodes = [rt.work_nodes(np.array([0.9, 1.2]), (0.9, 1.2)) for _ in range(cap.anchors.shape[0])]
    route = engine._routing(scenario, cap.queue_of_region)
    table = rt.build(arrivals, s.handle_h, s.is_live, cap.anchors, nodes, s.target_h, s.business_hours,
                     engine.STEPS_PER_HOUR, route)
    curves = experience.CurveArrays(*(getattr(s.curves, f)[None] for f in ("floor_pct", "ceiling_pct",
                                                                           "half_h", "slope")))
    raw = rt.csat_by_draw(table, curves)
    for a in range(cap.anchors.shape[0]):
        weights = np.zeros((1, 1, cap.anchors.shape[0]))
        weights[..., a] = 1.0
        for lo, hi in zip(nodes[a][:-1], nodes[a][1:]):
            x = float(np.exp(0.5 * (lo + hi)))
            csat, mean = _exact(s, arrivals, cap.anchors[a],
                                Routing(cap.queue_of_region[a][None], route.helps), x)
            got_csat = rt.mix(table, raw, np.array([[x]]), weights, draw_axis=True)[0, 0]
            got_mean = rt.mix(table, table.log_mean_h, np.array([[x]]), weights, log_values=True)[0, 0]
            assert np.abs(got_csat - csat).max() < 0.0015
            assert np.allclose(got_mean, mean, rtol=0.01, atol=1e-4)


def test_delay_weights_split_each_ticket_between_its_two_points():
    rng = np.random.default_rng(0)
    delays = np.clip(rng.lognormal(0.0, 2.5, (3, 2, 16, 672)), 0.001, 1000.0)
    delays[:, 1] = delays[:, 1, :1]                                  # a live channel: one delay per step
    arrivals = rng.random((3, 2, 3, 672))
    business = np.arange(672) % 96 < 40                                  # 10 hours a day
    got, in_hours = rt._delay_weights(delays[:, :, None], arrivals, np.tile(business, (3, 1)), np.zeros(3, dtype=int))
    only_business, _ = rt._delay_weights(delays[:, :, None], arrivals * business, np.ones((3, 672), bool),
                                         np.zeros(3, dtype=int))
    assert np.allclose(in_hours, only_business, atol=1e-13)
    pos = np.interp(np.log(delays), np.log(rt.DELAY_POINTS_H), np.arange(rt.DELAY_BINS))
    want = np.zeros_like(got)
    for n in range(3):
        for c in range(2):
            lo = np.minimum(np.floor(pos[n, c]).astype(int), rt.DELAY_BINS - 2)
            frac = pos[n, c] - lo
            for r in range(3):
                w = np.broadcast_to(arrivals[n, c, r], lo.shape) / 16
                np.add.at(want[n, c, r], lo, w * (1 - frac))
                np.add.at(want[n, c, r], lo + 1, w * frac)
    want /= want.sum(axis=-1, keepdims=True)
    assert np.allclose(got, want, atol=1e-13)
    # The weighted mean of log(delay point) is each ticket's log delay (inside the grid of points).
    inside = (delays > rt.DELAY_POINTS_H[0]) & (delays < rt.DELAY_POINTS_H[-1])
    assert inside.all()
    mean_log = (got * np.log(rt.DELAY_POINTS_H)).sum(axis=-1)
    tickets = arrivals[:, :, :, None, :] / 16 * np.ones((1, 1, 1, 16, 1))
    direct = (tickets * np.log(delays)[:, :, None]).sum(axis=(-1, -2)) / tickets.sum(axis=(-1, -2))
    assert np.allclose(mean_log, direct, atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(lo=st.floats(0.2, 1.0), span=st.floats(1.0, 4.0), point=st.floats(0.3, 2.0), width=st.floats(1.0, 1.3))
def test_nodes_around_the_point_view_do_not_depend_on_the_draws(lo, span, point, width):
    fine = (point, point * width)
    alone = rt.work_nodes(np.array([point, point * width]), fine)
    wide = rt.work_nodes(np.array([lo, lo * span, point, point * width]), fine)
    assert np.all(np.diff(alone) > 0) and np.all(np.diff(wide) > 0)
    assert np.log(point) >= alone[0] - 1e-12 and np.log(point * width) <= alone[-1] + 1e-12
    inner = alone[(alone >= np.log(point) - 0.06) & (alone <= np.log(point * width) + 0.06)]
    assert np.all(np.isin(np.round(inner, 12), np.round(wide, 12)))
    fine_width = np.log(width) + 2 * rt.FINE_REACH
    assert wide.size <= 2 * rt.TAIL_NODES + fine_width / np.log(rt.NODE_RATIO) + 3      # bounded work
    assert np.max(np.diff(wide)) <= max(np.log(rt.TAIL_RATIO), (wide[-1] - wide[0]) / rt.TAIL_NODES) + 1e-9
    assert wide[0] <= np.log(lo) + 1e-12 and wide[-1] >= np.log(max(lo * span, point * width)) - 1e-12


def test_mixing_anchors_is_the_weighted_mean_of_their_figures():
    scenario = Scenario(saas(), levers=Levers(centres=(RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500, 60000),)))
    s, cap, arrivals = _setup(scenario)
    nodes = [rt.work_nodes(np.array([0.9, 1.1]), (0.9, 1.1))] * 2
    table = rt.build(arrivals, s.handle_h, s.is_live, cap.anchors, nodes, s.target_h, s.business_hours,
                     engine.STEPS_PER_HOUR, engine._routing(scenario, cap.queue_of_region))
    x = np.array([[1.0, 1.03]])
    only = [rt.mix(table, table.within_target_pct, x, np.eye(2)[[a, a]][None]) for a in (0, 1)]
    half = rt.mix(table, table.within_target_pct, x, np.full((1, 2, 2), 0.5))
    assert np.allclose(half, 0.5 * (only[0] + only[1]))
    # The centre's anchor answers European e-mail sooner.
    europe = 1
    assert only[1][0, 0, 0, europe] > only[0][0, 0, 0, europe]


def test_delay_weights_read_each_region_from_its_own_queue():
    """Two queues: a region's weights are those of its queue's delays alone."""
    rng = np.random.default_rng(1)
    delays = np.clip(rng.lognormal(0.0, 2.5, (2, 1, 2, 16, 672)), 0.001, 1000.0)
    arrivals = rng.random((2, 1, 3, 672))
    queue_of_region = np.array([[0, 1, 0], [1, 1, 0]])
    business = np.stack([np.arange(672) % 96 < 40, np.arange(672) % 96 >= 30, np.ones(672, bool)])
    got, in_hours = rt._delay_weights(delays, arrivals, business, queue_of_region)
    for n in range(2):
        for r in range(3):
            alone, alone_in_hours = rt._delay_weights(delays[n:n + 1, :, queue_of_region[n, r]][:, :, None],
                                                      arrivals[n:n + 1, :, r:r + 1], business[r:r + 1],
                                                      np.zeros(1, dtype=int))
            assert np.allclose(got[n, 0, r], alone[0, 0, 0], atol=1e-13)
            assert np.allclose(in_hours[n, 0, r], alone_in_hours[0, 0, 0], atol=1e-13)


def test_quantile_of_weights_reads_the_median_of_binned_delays():
    rng = np.random.default_rng(2)
    delays = np.exp(rng.normal(np.log(3.0), 1.0, 20_000))
    weights, _ = rt._delay_weights(delays[None, None, None, None, :], np.ones((1, 1, 1, delays.size)),
                                   np.ones((1, delays.size), bool), np.zeros(1, dtype=int))
    median = rt.quantile_of_weights(weights, 0.5)[0, 0, 0]
    assert median == pytest.approx(np.median(delays), rel=0.05)
    assert np.isnan(rt.quantile_of_weights(np.zeros(rt.DELAY_BINS), 0.5))


def test_absurd_ranges_keep_the_grid_small():
    """Draws a billion times today's work or a billionth of it are held at the work bounds."""
    x = np.exp(np.random.default_rng(0).normal(0.0, 8.0, 5000))
    nodes = rt.work_nodes(x, (0.9, 1.1))
    assert nodes.size <= 2 * rt.TAIL_NODES + (np.log(1.1 / 0.9) + 2 * rt.FINE_REACH) / np.log(rt.NODE_RATIO) + 3
    assert np.exp(nodes[0]) >= rt.WORK_BOUNDS[0] * (1 - 1e-9) and np.exp(nodes[-1]) <= rt.WORK_BOUNDS[1] * (1 + 1e-9)


def _europe_centre(low: float, high: float):
    """The SaaS example with a Dublin centre answering Europe first: its staffing anchors, nodes covering work from
    ``low`` to ``high``, and a table builder for any anchors."""
    scenario = Scenario(saas(), levers=Levers(centres=(
        RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500, 60000, serves=("Europe",)),)))
    s, cap, arrivals = _setup(scenario)
    nodes = [rt.work_nodes(np.array([low, high]), (0.9, 1.2)) for _ in range(cap.anchors.shape[0])]
    route = engine._routing(scenario, cap.queue_of_region)

    def build(anchors):
        return rt.build(arrivals, s.handle_h, s.is_live, anchors, nodes, s.target_h, s.business_hours,
                        engine.STEPS_PER_HOUR, route)

    return cap.anchors, nodes, build


def test_the_table_is_the_same_whatever_the_number_of_workers(monkeypatch):
    """Rows are split among threads; each row's figures depend on that row alone, so the split changes nothing."""
    anchors, _, build = _europe_centre(0.7, 1.4)
    tables = []
    for workers in (1, 3):
        monkeypatch.setattr(rt, "WORKERS", workers)
        rt.clear_row_cache()                          # run every row, not read it back
        tables.append(build(anchors))
    one, three = tables
    assert one.evaluations == three.evaluations > 10
    for field in ("log_mean_h", "log_business_mean_h", "within_target_pct", "delay_weights", "overloaded"):
        np.testing.assert_array_equal(getattr(one, field), getattr(three, field))


def test_rows_already_run_are_read_back_and_only_changed_anchors_run_again(monkeypatch):
    """A lever move changes one anchor's staffing: the baseline's rows come from the row cache, identical."""
    anchors, nodes, build = _europe_centre(0.8, 1.3)
    run_rows = []
    real = rt.respond

    def counted(arrivals_, *args, **kwargs):
        run_rows.append(arrivals_.shape[0])
        return real(arrivals_, *args, **kwargs)

    monkeypatch.setattr(rt, "respond", counted)
    rt.clear_row_cache()
    first = build(anchors)
    assert sum(run_rows) == first.evaluations
    run_rows.clear()
    again = build(anchors)
    assert run_rows == []
    for field in ("log_mean_h", "within_target_pct", "delay_weights", "business_delay_weights", "overloaded"):
        np.testing.assert_array_equal(getattr(first, field), getattr(again, field))
    bigger = anchors.copy()
    bigger[1] = bigger[1] * 1.5                       # the centre anchor's agents change, the baseline's do not
    moved = build(bigger)
    assert sum(run_rows) == nodes[1].size
    rt.clear_row_cache()
    run_rows.clear()
    cold = build(bigger)
    for field in ("log_mean_h", "within_target_pct", "delay_weights", "overloaded"):
        np.testing.assert_array_equal(getattr(moved, field), getattr(cold, field))


def test_the_row_cache_forgets_the_least_recently_used_rows():
    cache = rt._RowCache(32)                                  # two rows of two floats (16 bytes each)
    cache.put({b"a": {"x": np.ones(2)}, b"b": {"x": np.zeros(2)}})
    assert set(cache.get([b"a"])) == {b"a"}                  # "a" used last
    cache.put({b"c": {"x": np.full(2, 3.0)}})
    assert set(cache.get([b"a", b"b", b"c"])) == {b"a", b"c"}


def test_blas_runs_on_one_thread_once_the_model_is_imported():
    # OpenBLAS's own threads doubled the CPU a run costs without making it faster (bench/bench_sessions.py).
    from threadpoolctl import threadpool_info

    import model.operations.response_table  # noqa: F401
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    assert blas and all(i["num_threads"] == 1 for i in blas)


@settings(max_examples=80, deadline=None)
@given(sizes=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3)), min_size=1, max_size=4),
       workers=st.integers(1, 4))
def test_rows_are_dealt_once_and_evenly_to_the_workers(sizes, workers):
    """Every row runs exactly once, in its own group; no worker's share exceeds the fair share by a row's cost."""
    parts, start = [], 0
    for g, (rows, queues) in enumerate(sizes):
        held = None if queues == 0 else frozenset(range(g * 10, g * 10 + queues))
        parts.append((held, np.arange(start, start + rows)))
        start += rows
    saved = rt.WORKERS
    rt.WORKERS = workers
    try:
        shares = rt._shares(parts)
    finally:
        rt.WORKERS = saved
    dealt = np.concatenate([rows for share in shares for _, rows in share]) if shares else np.zeros(0, int)
    assert np.array_equal(np.sort(dealt), np.arange(start))
    group_of = {int(r): held for held, rows in parts for r in rows}
    assert all(group_of[int(r)] == held for share in shares for held, rows in share for r in rows)
    cost = {held: 1 if held is None else len(held) for held, _ in parts}
    loads = [sum(rows.size * cost[held] for held, rows in share) for share in shares]
    fair = sum(loads) / workers
    assert len(shares) <= workers
    # each share but the last ends within a row of the fair share; the last takes what is left
    top = max(cost.values())
    assert all(abs(load - fair) <= top for load in loads[:-1])
    assert not loads or loads[-1] <= fair + len(shares) * top
