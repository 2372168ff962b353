"""Sites serve regions: unit, property and engine tests of routing (model.operations.routing).

The Ciw oracle for routed queues is in tests/test_ciw_routing.py.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from model import engine
from model.examples import saas
from model.operations.response import respond, respond_routed
from model.operations.routing import Routing, assign
from model.params import (
    MON_FRI,
    Channel,
    Company,
    CsatCurve,
    ExtendedHours,
    HireAgents,
    Levers,
    Region,
    RegionalCentre,
    Scenario,
    Site,
    SiteHours,
)
from model.weekgrid import open_mask

SPH = 4
HANDLE = np.array([0.25, 0.1])                 # e-mail, chat (agent-hours per ticket)
LIVE = np.array([False, True])


def _arrivals(regions_utc=(-5.0, 1.0, 8.0), shares=(0.45, 0.4, 0.15), tickets=900.0):
    hour = (np.arange(168 * SPH) / SPH)
    out = []
    for offset, share in zip(regions_utc, shares):
        local = (hour + offset) % 24
        rate = 0.08 + np.exp(-0.5 * ((local - 13) / 3) ** 2)
        out.append(share * rate / rate.sum())
    per_region = tickets * np.array(out)
    return np.stack([0.8 * per_region, 0.2 * per_region])[None]            # (1, ch, r, steps)


def _site(offset, agents):
    return open_mask(offset, 9, 17, MON_FRI, SPH) * agents


def _region_means(week, arrivals):
    d = week.region_delay_h()
    return (d * arrivals).sum(axis=-1) / arrivals.sum(axis=-1)


def test_one_queue_helped_by_every_other_site_is_the_pooled_queue():
    arrivals = _arrivals()
    sites = np.stack([_site(-5, 8.0), _site(1, 3.0)])
    pooled = respond(arrivals, HANDLE[None], LIVE, sites.sum(axis=0), SPH)
    routed = respond(arrivals, HANDLE[None], LIVE, sites[None], SPH, Routing(np.zeros(3, dtype=int),
                                                                               np.array([True, True])))
    assert np.allclose(_region_means(routed, arrivals), _region_means(pooled, arrivals), rtol=1e-9, atol=1e-9)
    shortcut = respond_routed(arrivals, HANDLE[None], LIVE, sites[None], SPH,
                              Routing(np.zeros(3, dtype=int), np.array([True, True])))
    assert np.array_equal(shortcut.delay_paths_h, pooled.delay_paths_h)


def test_sites_that_do_not_help_are_separate_teams():
    arrivals = _arrivals()
    sites = np.stack([_site(-5, 8.0), _site(1, 3.0)])
    routed = respond(arrivals, HANDLE[None], LIVE, sites[None], SPH, Routing(np.array([0, 1, 0]),
                                                                               np.array([False, False])))
    got = _region_means(routed, arrivals)[0]
    us = respond(arrivals[:, :, [0, 2]], HANDLE[None], LIVE, sites[0], SPH)
    eu = respond(arrivals[:, :, [1]], HANDLE[None], LIVE, sites[1], SPH)
    assert np.allclose(got[:, [0, 2]], _region_means(us, arrivals[:, :, [0, 2]])[0], rtol=1e-9)
    assert np.allclose(got[:, [1]], _region_means(eu, arrivals[:, :, [1]])[0], rtol=1e-9)


def test_a_centre_serving_its_region_cuts_that_region_most():
    """The articles' hypothesis on the SaaS example (support in New York): a 4-agent centre in Europe
    serving Europe first cuts Europe's business-hours first response the most, to about an hour;
    pooled, the same agents spend their mornings on the Americas' evening tickets."""
    centre = RegionalCentre("Dublin", 1.0, 9.0, 17.0, MON_FRI, 4.0, 5_500.0, 60_000.0)
    today = _business_frt(Scenario(saas()), variant="baseline")
    pooled = _business_frt(Scenario(saas(), levers=Levers(centres=(centre,))))
    routed = _business_frt(Scenario(saas(), levers=Levers(centres=(dataclasses.replace(centre, serves=("Europe",)),))))
    gain = {r: today[r] - routed[r] for r in today}
    assert max(gain, key=gain.get) == "Europe"
    assert routed["Europe"] < 1.5 and routed["Europe"] < pooled["Europe"] - 1.0
    assert routed["Asia-Pacific"] > pooled["Asia-Pacific"]         # served first by New York now, not by the centre


def test_regions_go_to_the_first_site_that_claims_them_else_the_main_site():
    regions = ["Americas", "Europe", "Asia"]
    assert assign(regions, [(), ("Europe",), ("Europe", "Asia")]).tolist() == [0, 1, 2]
    assert assign(regions, [(), ("Europe",), ("Europe", "Asia")], order=[2, 0, 1]).tolist() == [0, 2, 2]
    assert assign(regions, [(), ()], main=1).tolist() == [1, 1, 1]


@settings(max_examples=40, deadline=None)
@given(queues=hnp.arrays(np.int64, 3, elements=st.integers(0, 2)),
       helps=hnp.arrays(np.bool_, 3),
       agents=hnp.arrays(np.float64, 3, elements=st.floats(0.0, 6.0)),
       offsets=hnp.arrays(np.float64, 3, elements=st.sampled_from([-8.0, -5.0, 0.0, 1.0, 5.5, 8.0])),
       site=st.integers(0, 2), extra=st.floats(0.5, 4.0), load=st.floats(200.0, 1500.0))
def test_more_agents_at_any_site_never_slow_any_region(queues, helps, agents, offsets, site, extra, load):
    """As for one queue, agents are added where a site has some (a site opening from nobody starts
    answering chats with a steady-state wait, where before its queue waited for the next opening)."""
    arrivals = _arrivals(tickets=load)
    agents = np.round(agents, 2)                     # staffing as entered, not a billionth of an agent
    assume(agents[site] > 0.0)
    sites = np.stack([_site(o, a) for o, a in zip(offsets, agents)])
    more = sites.copy()
    more[site] += _site(offsets[site], extra)
    route = Routing(queues, helps)
    before = respond(arrivals, HANDLE[None], LIVE, sites[None], SPH, route).region_delay_h()
    after = respond(arrivals, HANDLE[None], LIVE, more[None], SPH, route).region_delay_h()
    has_tickets = arrivals > 1e-9
    assert np.all((after <= before + 1e-6) | ~has_tickets)


# ----------------------------------------------------------------------------- engine: Kasza's two options

CURVE = CsatCurve(0.6, 0.95, 6.0, 1.0)


def kasza() -> Company:
    """A Polish B2B SaaS: 8 agents in Warsaw 8-16 on weekdays, 35 % of customers on the US East coast."""
    return Company(
        name="Kasza", description="B2B SaaS in Warsaw", customers=2_500.0, new_customers_per_month=40.0,
        arpu_per_month=1_200.0, gross_margin_pct=0.75, churn_monthly_pct=0.02, expansion_monthly_pct=0.01,
        referral_rate_per_month=0.001, nps_today=25.0, csat_today_pct=0.8,
        contact_rate_per_customer_month=1.2, first_contact_resolution_pct=0.7,
        channels=(Channel("email", 0.8, 12.0, 8.0, CURVE),
                  Channel("chat", 0.2, 10.0, 5 / 60, CsatCurve(0.6, 0.95, 0.5, 1.0), concurrency=1.5)),
        regions=(Region("Europe", 1.0, 0.55), Region("US East", -5.0, 0.35), Region("Asia", 8.0, 0.10)),
        sites=(Site("Warsaw", 1.0, 8.0, 16.0, MON_FRI, 8.0, 0.3, 18_000.0),),
    )


def _business_frt(scenario: Scenario, month: int = 12, variant: str = "scenario") -> dict[str, float]:
    """Mean e-mail first response (hours) of the tickets written in each region's business hours."""
    r = engine.simulate(scenario).response
    rows = r[(r["variant"] == variant) & (r["month"] == month) & (r["channel"] == "email")]
    return dict(zip(rows["region"], rows["business_mean_h"]))


def test_kasza_us_centre_cuts_the_us_region_and_warsaw_hires_cut_europe():
    company = kasza()
    today = _business_frt(Scenario(company))
    hire = _business_frt(Scenario(company, levers=Levers(hires=(HireAgents("Warsaw", 3.0),))))
    centre = _business_frt(Scenario(company, levers=Levers(centres=(RegionalCentre(
        "New York", -5.0, 9.0, 17.0, MON_FRI, 3.0, 25_000.0, 60_000.0, serves=("US East",)),))))
    # Tickets written in US hours wait for Warsaw's next morning (21 h); the centre answers them the same day.
    assert today["US East"] > 12.0 and centre["US East"] < 1.0 and centre["US East"] < hire["US East"]
    assert today["US East"] - centre["US East"] == max(today[r] - centre[r] for r in today)
    assert hire["Europe"] < today["Europe"] - 0.1


def test_a_centre_that_serves_no_region_first_is_pooled_as_before():
    company = kasza()
    centre = RegionalCentre("New York", -5.0, 9.0, 17.0, MON_FRI, 3.0, 25_000.0, 60_000.0)
    pooled = engine.simulate(Scenario(company, levers=Levers(centres=(centre,)))).response
    not_helping = engine.simulate(Scenario(company, levers=Levers(centres=(dataclasses.replace(
        centre, serves=("US East",), helps_others=False),)))).response
    helping = engine.simulate(Scenario(company, levers=Levers(centres=(dataclasses.replace(
        centre, serves=("US East",)),)))).response
    europe = (pooled["region"] == "Europe") & (pooled["variant"] == "scenario") & (pooled["month"] == 12)
    # Europe gains from the centre only through its help.
    assert helping.loc[europe, "mean_h"].iloc[0] <= not_helping.loc[europe, "mean_h"].iloc[0] + 1e-9
    baseline = (pooled["variant"] == "baseline")
    assert np.array_equal(pooled.loc[baseline, "mean_h"], helping.loc[baseline, "mean_h"])


def test_a_site_claiming_an_unknown_region_is_refused():
    with pytest.raises(ValueError, match="not customer regions"):
        dataclasses.replace(kasza(), sites=(Site("Warsaw", 1.0, 8.0, 16.0, MON_FRI, 8.0, 0.3, 1.0,
                                                 serves=("Mars",)),))


def test_a_plan_with_two_centres_runs_each_on_its_own_region():
    """Two centres in one plan, each answering its own region first: each cuts its region; the second opening
    later leaves its region as it was until then."""
    company = kasza()
    us = RegionalCentre("New York", -5.0, 9.0, 17.0, MON_FRI, 3.0, 25_000.0, 60_000.0, serves=("US East",))
    asia = RegionalCentre("Manila", 8.0, 9.0, 17.0, MON_FRI, 2.0, 9_000.0, 30_000.0, serves=("Asia",),
                          start_month=12)
    scenario = Scenario(company, levers=Levers(centres=(us, asia)))
    r = engine.simulate(scenario).response
    email = r[(r["channel"] == "email") & (r["variant"] == "scenario")].set_index(["month", "region"])
    base = r[(r["channel"] == "email") & (r["variant"] == "baseline")].set_index(["month", "region"])
    assert email.loc[(6, "US East"), "business_mean_h"] < 1.0
    assert email.loc[(24, "Asia"), "business_mean_h"] < base.loc[(24, "Asia"), "business_mean_h"] - 1.0
    cash = engine.simulate(scenario).cash
    assert cash.loc[0, "Set-up and hiring"] == 60_000.0 and cash.loc[12, "Set-up and hiring"] == 30_000.0


def test_a_scenario_saved_with_one_centre_reads_as_a_plan_of_one():
    from model.serialize import scenario_from_dict, to_dict
    scenario = Scenario(kasza(), levers=Levers(centres=(RegionalCentre(
        "New York", -5.0, 9.0, 17.0, MON_FRI, 3.0, 25_000.0, 60_000.0),)))
    old = to_dict(scenario)
    old["levers"]["centre"] = old["levers"].pop("centres")[0]
    assert scenario_from_dict(old) == scenario
    old["levers"]["centre"] = None
    assert scenario_from_dict(old).levers.centres == ()


def test_new_hours_at_a_site_move_its_agents_to_the_hours_its_customers_write():
    """Warsaw opening 12-20 instead of 8-16 from month 6: the same agents (same cost) answer US East's mornings;
    before month 6 nothing changes."""
    company = kasza()
    later = SiteHours("Warsaw", 12.0, 20.0, MON_FRI, start_month=6)
    p = engine.simulate(Scenario(company, levers=Levers(site_hours=(later,))))
    r = p.response
    email = r[(r["channel"] == "email")].set_index(["variant", "month", "region"])["business_mean_h"]
    assert email[("scenario", 3, "US East")] == pytest.approx(email[("baseline", 3, "US East")])
    assert email[("scenario", 12, "US East")] < email[("baseline", 12, "US East")] - 3.0
    assert np.allclose(p.cash["Added staff"], 0.0) and np.allclose(p.cash["Staff savings"], 0.0)
    with pytest.raises(ValueError, match="new hours and longer hours"):
        Scenario(company, levers=Levers(site_hours=(later,), extended_hours=(ExtendedHours("Warsaw", 2.0),)))
    with pytest.raises(ValueError, match="no site named"):
        Scenario(company, levers=Levers(site_hours=(SiteHours("Gdansk", 8.0, 16.0, MON_FRI),)))


def test_a_plan_of_many_staffing_actions_stays_a_few_dozen_corners():
    """Seven hires and three centres at different months: at most 2**6 staffing corners (levers that move together
    switch together, the closest are merged past six), not 2**10."""
    hires = tuple(HireAgents("Warsaw", 1.0, start_month=m) for m in range(0, 14, 2))
    centres = tuple(RegionalCentre(f"C{i}", off, 9, 17, MON_FRI, 3, 5_000, 10_000, start_month=m, serves=(r,))
                    for i, (off, m, r) in enumerate([(1, 0, "Europe"), (8, 4, "Asia"), (-5, 8, "US East")]))
    cap = engine._capacity(Scenario(kasza(), levers=Levers(hires=hires, centres=centres)), 36, np.ones(3))
    assert cap.anchors.shape[0] <= 2 ** engine.MAX_LEVER_GROUPS
    assert np.allclose(cap.weights.sum(axis=-1), 1.0)
    together = engine._capacity(Scenario(kasza(), levers=Levers(hires=(HireAgents("Warsaw", 2.0),),
                                                                centres=centres[:1])), 36, np.ones(1))
    assert together.anchors.shape[0] == 2            # the hire and the centre ramp alike: one switch
