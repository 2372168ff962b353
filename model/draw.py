"""One draw of the assumptions written back into a scenario's entered values.

``simulate`` applies the assumption multipliers to all its columns at once; this module applies
one set of multipliers to the company and levers themselves, so any single draw can be re-run as
an ordinary point view: to check the vectorised engine against it, and as the draw-by-draw loop a
spreadsheet model would run (the peer of ``bench/bench_simulate.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from model.ai_agent.lever import MAX_CSAT_RELATIVE
from model.ai_agent.months import MAX_NEW_DEMAND
from model.customers.experience import scaled_effect
from model.engine import MAX_FCR_GAIN
from model.ramp import MAX_RAMP_MONTHS
from model.params import Assumptions, Channel, Scenario


def _scaled(multiplier: float, scale: float) -> float:
    return float(scaled_effect(multiplier, scale))


def scenario_at(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """``scenario`` with each assumption's multiplier in ``values`` applied to what it scales.

    The result carries certain assumptions (every multiplier 1), so its point view is this draw.
    """
    v = {name: float(values.get(name, 1.0)) for name, _ in Assumptions().items()}
    company, levers = scenario.company, scenario.levers

    def channel(c: Channel) -> Channel:
        curve = dataclasses.replace(c.csat_curve, half_h=c.csat_curve.half_h * v["csat_half_point"],
                                    slope=c.csat_curve.slope * v["csat_slope"])
        return dataclasses.replace(c, handle_time_min=c.handle_time_min * v["handle_time"], csat_curve=curve)

    k = company.classes
    classes = dataclasses.replace(
        k, churn_mult_dissatisfied=k.churn_mult_dissatisfied * v["churn_dissatisfied"],
        expansion_mult_satisfied=_scaled(k.expansion_mult_satisfied, v["expansion_effect"]),
        expansion_mult_dissatisfied=_scaled(k.expansion_mult_dissatisfied, v["expansion_effect"]),
        referral_mult_satisfied=_scaled(k.referral_mult_satisfied, v["referral_effect"]),
        referral_mult_dissatisfied=_scaled(k.referral_mult_dissatisfied, v["referral_effect"]))
    company = dataclasses.replace(
        company, contact_rate_per_customer_month=company.contact_rate_per_customer_month * v["contact_rate"],
        channels=tuple(channel(c) for c in company.channels), classes=classes)

    ramp = v["ramp_time"]
    changes: dict[str, object] = {
        "hires": tuple(dataclasses.replace(h, ramp_months=min(h.ramp_months * ramp, MAX_RAMP_MONTHS)) for h in levers.hires)}
    changes["centres"] = tuple(dataclasses.replace(c, ramp_months=min(c.ramp_months * ramp, MAX_RAMP_MONTHS))
                               for c in levers.centres)
    if (tool := levers.deflection) is not None:
        changes["deflection"] = dataclasses.replace(
            tool, deflection_pct=min(tool.deflection_pct * v["deflection_achieved"], 1.0),
            leakage_pct=min(tool.leakage_pct * v["leakage"], 1.0), ramp_months=min(tool.ramp_months * ramp, MAX_RAMP_MONTHS))
    if (prod := levers.productivity) is not None:
        changes["productivity"] = dataclasses.replace(
            prod, handle_time_reduction_pct=min(prod.handle_time_reduction_pct * v["handle_reduction_achieved"], 0.8),
            ramp_months=min(prod.ramp_months * ramp, MAX_RAMP_MONTHS))
    if (train := levers.training) is not None:
        changes["training"] = dataclasses.replace(
            train, fcr_gain_pts=min(train.fcr_gain_pts * v["fcr_gain_achieved"], MAX_FCR_GAIN),
            ramp_months=min(train.ramp_months * ramp, MAX_RAMP_MONTHS))
    if (agent := levers.ai_agent) is not None:
        b = agent.behaviour
        behaviour = dataclasses.replace(
            b, resolution_pct=min(b.resolution_pct * v["ai_resolution_achieved"], 1.0),
            return_pct=min(b.return_pct * v["ai_returns"], 1.0),
            new_demand_pct=min(b.new_demand_pct * v["ai_new_demand"], MAX_NEW_DEMAND))
        changes["ai_agent"] = dataclasses.replace(
            agent, behaviour=behaviour, ai_csat_relative=min(agent.ai_csat_relative * v["ai_csat"], MAX_CSAT_RELATIVE),
            ramp_months=min(agent.ramp_months * ramp, MAX_RAMP_MONTHS))
    return dataclasses.replace(scenario, company=company, levers=dataclasses.replace(levers, **changes),
                               assumptions=Assumptions.certain())
