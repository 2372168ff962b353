"""The AI agent lever's parameters: validated on construction, and written and read as JSON with the scenario's own
serialiser, its pricing as whichever vendor model was chosen (told apart by its fields)."""

from __future__ import annotations

import json

import pytest

from model.ai_agent import (
    AgentBehaviour,
    AIAgent,
    HeadcountPolicy,
    PerAction,
    PerConversation,
    PerResolution,
    ResolutionAllowance,
    RunCosts,
    Seats,
    SessionBundle,
)
from model.serialize import _build, to_dict

BEHAVIOUR = AgentBehaviour(involvement_pct=0.45, resolution_pct=0.6)


@pytest.mark.parametrize("pricing", [PerResolution(0.99), ResolutionAllowance(1_000.0, 2_000.0, 1.5),
                                     PerConversation(2.0), PerAction(0.1, 6.0), SessionBundle(1_000, 1_200.0),
                                     Seats(10.0, 125.0)])
def test_every_pricing_round_trips_through_json(pricing):
    lever = AIAgent(BEHAVIOUR, pricing, RunCosts(15_000.0, 1_200.0, 20.0, 45.0), HeadcountPolicy("avoid_hires"),
                    start_month=2)
    again = _build(AIAgent, json.loads(json.dumps(to_dict(lever))))
    assert again == lever and type(again.pricing) is type(pricing)


def test_a_pricing_of_no_known_shape_is_named():
    written = to_dict(AIAgent(BEHAVIOUR, PerResolution(0.99)))
    written["pricing"] = {"price_per_minute": 0.5}
    with pytest.raises(ValueError, match="pricing: its fields \\['price_per_minute'\\] are none of PerResolution"):
        _build(AIAgent, written)


def test_out_of_range_values_are_refused():
    with pytest.raises(ValueError):
        AIAgent(BEHAVIOUR, PerResolution(0.99), ai_csat_relative=3.0)
    with pytest.raises(ValueError):
        AIAgent(BEHAVIOUR, PerResolution(0.99), ramp_months=60.0)
