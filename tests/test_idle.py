"""Memory handed back when the server is idle: the cached projections go only when nobody is connected."""

from __future__ import annotations

from ui import cache, idle
from view.controls import scenario_of


def test_trim_lets_the_cached_cases_go_only_when_nobody_is_connected(monkeypatch):
    scenario = scenario_of({"centre_on": True})
    first = cache.projection(scenario, 0)
    monkeypatch.setattr(idle, "nobody_connected", lambda: False)
    idle.trim()
    assert cache.projection(scenario, 0) is first                 # someone may still use it: kept
    monkeypatch.setattr(idle, "nobody_connected", lambda: True)
    idle.trim()
    again = cache.projection(scenario, 0)
    assert again is not first                                      # computed again for whoever comes back
    assert again.summary == first.summary


def test_without_a_server_nobody_connected_is_not_assumed():
    assert idle.nobody_connected() is False
