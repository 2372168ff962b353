"""The only st.cache_* wrappers. The model is pure, so a scenario's projection is cached by its JSON.

``cache_resource`` keeps the object itself (no pickling); callers must not mutate it.
"""

from __future__ import annotations

import streamlit as st

from model import SEED, Projection, Scenario, scenario_from_json, scenario_to_json, simulate


@st.cache_resource(max_entries=256, show_spinner=False)
def _projection_of(scenario_json: str, draws: int) -> Projection:
    return simulate(scenario_from_json(scenario_json), draws=draws, seed=SEED)


def projection(scenario: Scenario, draws: int = 0) -> Projection:
    """The scenario's projection with ``draws`` Monte Carlo draws (0: the point view only), fixed seed."""
    return _projection_of(scenario_to_json(scenario), int(draws))
