"""Shared fixtures: example scenarios and the shared reference folder (skipped cleanly when absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.examples import ecommerce, saas
from sim.params import MON_FRI, Levers, RegionalCentre, Scenario

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_json(relative: str) -> dict:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is optional outside CI)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=["saas", "ecommerce"])
def company(request):
    return {"saas": saas, "ecommerce": ecommerce}[request.param]()


@pytest.fixture
def dublin() -> RegionalCentre:
    return RegionalCentre("Dublin", 0.0, 9.0, 17.0, MON_FRI, headcount=4.0, loaded_cost_per_agent_month=5500.0,
                          setup_cost=60000.0)


@pytest.fixture
def saas_centre(dublin) -> Scenario:
    return Scenario(saas(), levers=Levers(centre=dublin))
