"""Staffing views: hourly folds keep the totals; live-channel needs meet their target."""

from __future__ import annotations

import numpy as np
import pytest

from model.engine import Week, simulate, week_of
from model.examples import ecommerce
from model.operations import queueing
from model.operations.staffing import hourly_load, live_service
from model.params import MON_FRI, Levers, RegionalCentre, Scenario
from model.weekgrid import WEEKS_PER_MONTH


@pytest.fixture(scope="module")
def shop_week() -> tuple[Scenario, Week]:
    scenario = Scenario(ecommerce())
    return scenario, week_of(scenario, simulate(scenario), 11, "baseline")


def test_hourly_tickets_add_up_to_the_months_tickets(shop_week):
    scenario, week = shop_week
    projection = simulate(scenario)
    tickets = projection.variant("baseline")["tickets"].iloc[11]
    assert hourly_load(week).tickets.sum() * WEEKS_PER_MONTH == pytest.approx(tickets)


def test_on_duty_follows_krakow_hours(shop_week):
    _, week = shop_week
    on_duty = hourly_load(week).on_duty[0]
    # Krakow is UTC+1, open 9-17 local on weekdays: 08-16 UTC
    assert on_duty[8] == pytest.approx(5 * 0.7) and on_duty[7] == 0.0 and on_duty[16] == 0.0
    assert on_duty[5 * 24 + 10] == 0.0                      # Saturday


def test_required_live_agents_meet_the_target_in_every_busy_hour(shop_week):
    _, week = shop_week
    live = live_service(week, patience_h=3 / 60, target_service_level=0.8)
    i = 0                                                    # chat
    busy = live.traffic_erl[i] > 0
    n = live.required_agents[i][busy]
    r = queueing.erlang_a(n, live.traffic_erl[i][busy], week.handle_time_h[1], 3 / 60, week.target_h[1])
    assert np.all(r.service_level >= 0.8 - 1e-9)


def test_closed_hours_abandon_every_live_contact(shop_week):
    _, week = shop_week
    live = live_service(week, patience_h=3 / 60, target_service_level=0.8)
    night = 2                                                # Monday 02:00 UTC: Krakow is closed
    assert live.abandon_pct[:, night].tolist() == [1.0, 1.0]
    assert live.service_level[:, night].tolist() == [0.0, 0.0]


def test_a_centre_appears_as_its_own_site():
    centre = RegionalCentre("Lisbon", 0.0, 9, 17, MON_FRI, 3, 3000, 20000)
    scenario = Scenario(ecommerce(), levers=Levers(centres=(centre,)))
    week = week_of(scenario, simulate(scenario), 11, "scenario")
    assert week.sites == ("Krakow", "Lisbon")
    assert hourly_load(week).on_duty[1][9] > 0 and hourly_load(week).on_duty[1][8] == 0


def test_backlog_at_krakow_opening_is_worst_on_monday(shop_week):
    from model.operations.staffing import backlog_at_opening
    _, week = shop_week
    (krakow,) = backlog_at_opening(week)
    assert krakow.site == "Krakow"
    assert krakow.worst_step // (24 * week.steps_per_hour) == 0        # Monday
    assert 60.0 < krakow.worst_age_h < 66.0                            # since Friday 16:00 UTC
    assert 0.0 < krakow.mean_age_h < krakow.worst_age_h


def test_live_channels_are_staffed_per_queue_when_sites_serve_their_own_regions():
    """Kasza with a US East centre answering US East first and not helping: each queue is its own pool, so at
    every hour the agents needed are at least the pooled figure (separate pools lose pooling's economy), and in
    Warsaw's closed hours US East's chats are answered by the centre alone."""
    import dataclasses

    from tests.test_routing import kasza
    company = kasza()
    centre = RegionalCentre("New York", -5.0, 9, 17, MON_FRI, 3, 25_000, 60_000, serves=("US East",),
                            helps_others=False)
    routed = Scenario(company, levers=Levers(centres=(centre,)))
    pooled = Scenario(company, levers=Levers(centres=(dataclasses.replace(centre, serves=(), helps_others=True),)))
    weeks = [week_of(s, simulate(s), 11, "scenario") for s in (routed, pooled)]
    assert weeks[0].queue_agents.shape[0] == 2 and weeks[1].queue_agents.shape[0] == 1
    live = [live_service(w, patience_h=3 / 60, target_service_level=0.8) for w in weeks]
    assert np.all(live[0].required_agents >= live[1].required_agents)
    assert np.allclose(live[0].traffic_erl, live[1].traffic_erl, rtol=0.02)    # customers differ a little by month 11
    evening = 20                        # Monday 20:00 UTC: Warsaw (8-16 local, UTC+1) closed, New York open
    assert hourly_load(weeks[0]).on_duty[0][evening] == 0.0 and hourly_load(weeks[0]).on_duty[1][evening] > 0
    assert live[0].service_level[0, evening] > 0.5
