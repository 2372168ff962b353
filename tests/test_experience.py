"""Experience: the calibration's CSAT shift."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from model.customers.experience import logit_shift_to_match, shifted


@settings(max_examples=200, deadline=None)
@given(raw=hnp.arrays(np.float64, (3, 2, 3), elements=st.floats(1e-6, 1 - 1e-6)),
       weights=hnp.arrays(np.float64, (2, 3), elements=st.floats(0.01, 1.0)),
       target=st.floats(0.05, 0.95))
@example(raw=np.full((3, 2, 3), 1e-6), weights=np.ones((2, 3)), target=0.95)     # every cell far below
@example(raw=np.full((3, 2, 3), 1 - 1e-6), weights=np.ones((2, 3)), target=0.05)  # every cell far above
def test_the_shift_makes_the_weighted_mean_the_target(raw, weights, target):
    shift = logit_shift_to_match(raw, weights, target)
    assert shift.shape == (3,)
    mean = (shifted(raw, shift[:, None, None]) * weights).sum(axis=(-1, -2)) / weights.sum()
    assert np.allclose(mean, target, rtol=0.0, atol=1e-12)


def test_a_target_beyond_reach_holds_the_shift_at_the_bracket():
    # A CSAT of 0 is read as 1e-12 (logit -27.6): the bracket's top shift of 40 lifts it to 0.999996 at most.
    shift = logit_shift_to_match(np.zeros((1, 1, 1)), np.ones((1, 1)), 0.9999999)
    assert shift[0] == 40.0
