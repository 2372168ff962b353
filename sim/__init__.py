"""The support ROI model: pure functions on frozen dataclasses and numpy arrays."""

from sim.engine import Projection, simulate
from sim.params import Company, Finance, Levers, Scenario

__all__ = ["Company", "Finance", "Levers", "Projection", "Scenario", "simulate"]
