"""90 % intervals, fitted families and Latin hypercube draws (model.uncertainty)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr
from scipy.stats import rankdata

from model.uncertainty import Range, normal_scores, percentiles, ranks, sample


@pytest.mark.parametrize("r", [Range(5.0, 10.0), Range(0.1, 0.45, "share"), Range(-20.0, 15.0, "real")])
def test_interval_ends_are_the_5th_and_95th_percentiles(r):
    assert r.quantile(0.05) == pytest.approx(r.low, rel=1e-12, abs=1e-12)
    assert r.quantile(0.95) == pytest.approx(r.high, rel=1e-12, abs=1e-12)
    draws = sample({"x": r}, 20_000, seed=7)["x"]
    below, above = np.mean(draws < r.low), np.mean(draws > r.high)
    assert below == pytest.approx(0.05, abs=0.002) and above == pytest.approx(0.05, abs=0.002)


def test_families_keep_quantities_where_they_live():
    share = sample({"s": Range(0.01, 0.99, "share")}, 50_000, seed=1)["s"]
    assert share.min() > 0.0 and share.max() < 1.0
    positive = sample({"p": Range(0.001, 1000.0)}, 50_000, seed=1)["p"]
    assert positive.min() > 0.0
    assert Range(1.3, 3.0).median == pytest.approx(np.sqrt(1.3 * 3.0))          # log-normal: geometric mean
    assert Range(0.1, 0.45, "share").median == pytest.approx(0.25, abs=0.03)


def test_zero_width_range_is_the_value_in_every_draw():
    values = sample({"a": Range.point(0.25, "share"), "b": Range.point(2.0, "positive")}, 1000, seed=3)
    assert np.all(values["a"] == 0.25) and np.all(values["b"] == 2.0)


@pytest.mark.parametrize("bad, message", [
    (dict(low=2.0, high=1.0), "above the high end"),
    (dict(low=0.0, high=0.5, kind="share"), "strictly between 0 and 1"),
    (dict(low=-1.0, high=2.0, kind="positive"), "start above 0"),
    (dict(low=float("nan"), high=2.0), "finite"),
    (dict(low=1.0, high=2.0, kind="percent"), "unknown kind"),
])
def test_bad_ranges_say_what_is_wrong(bad, message):
    with pytest.raises(ValueError, match=message):
        Range(**bad)


def test_same_seed_same_numbers_and_each_assumption_its_own_stream():
    ranges = {"a": Range(1.0, 2.0), "b": Range(0.2, 0.4, "share")}
    first, again = sample(ranges, 500, seed=11), sample(ranges, 500, seed=11)
    np.testing.assert_array_equal(first["a"], again["a"])
    with_more = sample(ranges | {"c": Range(-1.0, 1.0, "real")}, 500, seed=11)
    np.testing.assert_array_equal(first["b"], with_more["b"])            # adding one leaves the others alone
    assert not np.array_equal(first["a"], sample(ranges, 500, seed=12)["a"])


@settings(max_examples=30, deadline=None)
@given(draws=st.integers(1, 400), seed=st.integers(0, 2**31))
def test_latin_hypercube_uses_every_stratum_once(draws, seed):
    z = normal_scores(("x", "y"), draws, seed)
    strata = np.sort(np.floor(ndtr(z) * draws), axis=0)
    np.testing.assert_array_equal(strata, np.repeat(np.arange(draws)[:, None], 2, axis=1))


def test_percentiles_are_ordered_along_the_draws_axis():
    values = sample({"x": Range(1.0, 5.0)}, 2000, seed=5)["x"][:, None] * np.arange(1, 4)
    p10, p50, p90 = percentiles(values)
    assert p10.shape == (3,) and np.all(p10 <= p50) and np.all(p50 <= p90)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=300), st.integers(1, 4))
def test_percentiles_are_numpys_linear_quantiles(values, columns):
    x = np.tile(np.array(values)[:, None], (1, columns))
    assert np.allclose(percentiles(x, axis=0), np.quantile(x, (0.1, 0.5, 0.9), axis=0), rtol=1e-12, atol=1e-9)
    lo, mid, hi = percentiles(x, axis=0)
    assert np.all(lo <= mid) and np.all(mid <= hi)


@given(st.lists(st.integers(-3, 3), min_size=1, max_size=40))
def test_ranks_give_ties_the_mean_of_their_ranks_as_scipy_does(values):
    x = np.array(values, dtype=float)
    np.testing.assert_array_equal(ranks(x), rankdata(x))
    np.testing.assert_array_equal(ranks(np.stack([x, -x], axis=1), axis=0), rankdata(np.stack([x, -x], axis=1), axis=0))
