"""A whole Scenario checked against the ranges the app's own controls allow, each problem naming its field.

A scenario read from a file (an import, a document written elsewhere) is a model input no control has bounded:
the model's own checks accept any positive handle time, and 1e300 minutes a contact overflows its queueing.
Whatever the controls could not have set is named here before the model sees it:

- the company by the company form's ranges (:func:`view.company_form.check`, the same messages as the form);
- each lever's numbers by the widest range its control or a plan action allows (:data:`LEVER_RANGES`);
- the horizon and discount rate by their sliders; assumptions and risk adjustments by the model's own checks, which
  the controls share.
"""

from __future__ import annotations

import math
from dataclasses import fields, is_dataclass
from typing import Any

from model import Scenario
from view import company_form, plan
from view.controls import BY_KEY


def _control(key: str) -> tuple[float, float]:
    c = BY_KEY[key]
    assert c.min is not None and c.max is not None
    return float(c.min), float(c.max)


def _plan(kind: str, key: str) -> tuple[float, float]:
    f = next(f for f in plan.KINDS[kind][1] if f.key == key)
    return float(f.low), float(f.high)


def _widest(*ranges: tuple[float, float]) -> tuple[float, float]:
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


_MONTH = _widest(_control("hire_start_month"), _plan("hire", "month"))
_HOUR_OPEN = _widest(_control("centre_open_h"), _plan("hours", "opens"))
_HOUR_CLOSE = _widest(_control("centre_close_h"), _plan("hours", "closes"))

# (lever, field) -> (label, low, high): a lever's value from a control or a plan action lies in this range.
LEVER_RANGES: dict[tuple[str, str], tuple[str, float, float]] = {
    ("hires", "agents"): ("agents hired or released", *_widest(_control("hire_agents"), _plan("hire", "agents"),
                                                               (-_plan("move", "agents")[1], _plan("move", "agents")[1]))),
    ("hires", "start_month"): ("start month", *_MONTH),
    ("hires", "ramp_months"): ("months to full proficiency", *_control("hire_ramp_months")),
    ("hires", "hiring_cost_per_agent"): ("recruiting cost per agent", *_control("hire_cost_per_agent")),
    ("centres", "utc_offset_h"): ("time zone", *_control("centre_utc_offset_h")),
    ("centres", "open_h"): ("opening hour", *_HOUR_OPEN),
    ("centres", "close_h"): ("closing hour", *_HOUR_CLOSE),
    ("centres", "headcount"): ("headcount", *_widest(_control("centre_headcount"), _plan("centre", "agents"))),
    ("centres", "loaded_cost_per_agent_month"): ("cost per agent-month",
                                                 *_widest(_control("centre_cost_per_agent_month"),
                                                          _plan("centre", "cost"))),
    ("centres", "setup_cost"): ("set-up cost", *_widest(_control("centre_setup_cost"), _plan("centre", "setup"))),
    ("centres", "shrinkage_pct"): ("shrinkage", 0.0, 0.95),
    ("centres", "start_month"): ("start month", *_MONTH),
    ("centres", "ramp_months"): ("ramp", 0.0, 12.0),
    ("deflection", "deflection_pct"): ("share of issues handled", *_control("deflection_pct")),
    ("deflection", "leakage_pct"): ("share coming back", *_control("leakage_pct")),
    ("deflection", "harder_mix_pct"): ("longer handle time of the rest", *_control("harder_mix_pct")),
    ("deflection", "licence_per_month"): ("licence per month", *_control("deflection_licence_per_month")),
    ("deflection", "fee_per_resolution"): ("fee per resolution", *_control("fee_per_resolution")),
    ("deflection", "implementation_cost"): ("implementation", *_control("deflection_implementation_cost")),
    ("deflection", "start_month"): ("start month", *_MONTH),
    ("deflection", "ramp_months"): ("ramp", 0.0, 12.0),
    ("deflection", "self_service_csat_pct"): ("CSAT of self-service", 0.0, 1.0),
    ("productivity", "handle_time_reduction_pct"): ("handle-time reduction", *_control("handle_time_reduction_pct")),
    ("productivity", "licence_per_agent_month"): ("licence per agent-month",
                                                  *_control("productivity_licence_per_agent_month")),
    ("productivity", "implementation_cost"): ("implementation", *_control("productivity_implementation_cost")),
    ("productivity", "start_month"): ("start month", *_MONTH),
    ("productivity", "ramp_months"): ("ramp", 0.0, 12.0),
    ("training", "fcr_gain_pts"): ("first-contact resolution gain", *_control("fcr_gain_pts")),
    ("training", "cost_per_agent"): ("cost per agent", *_control("training_cost_per_agent")),
    ("training", "cost_per_month"): ("coaching cost per month", *_control("training_cost_per_month")),
    ("training", "start_month"): ("start month", *_MONTH),
    ("training", "ramp_months"): ("ramp", 0.0, 12.0),
    ("extended_hours", "extra_hours_per_day"): ("extra hours per day", *_control("extra_hours_per_day")),
    ("extended_hours", "weekend_days"): ("weekend days", *_control("weekend_days")),
    ("extended_hours", "shift_premium_pct"): ("premium for the added hours", *_control("shift_premium_pct")),
    ("extended_hours", "start_month"): ("start month", *_MONTH),
    ("site_hours", "open_h"): ("opening hour", *_HOUR_OPEN),
    ("site_hours", "close_h"): ("closing hour", *_HOUR_CLOSE),
    ("site_hours", "start_month"): ("start month", *_MONTH),
    ("ai_agent", "channels.involvement_pct"): ("involvement", 0.0, 1.0),
    ("ai_agent", "behaviour.involvement_pct"): ("involvement", 0.0, 1.0),
    ("ai_agent", "start_month"): ("launch month", *_MONTH),
    ("ai_agent", "ramp_months"): ("months to full involvement", *_control("ai_ramp_months")),
    ("ai_agent", "ai_csat_relative"): ("CSAT of what it resolves", *_control("ai_csat_relative")),
    ("ai_agent", "handoff_csat_relative"): ("CSAT after a failed attempt", *_control("ai_handoff_csat_relative")),
    **{("ai_agent", f"behaviour.{name}"): (label, *_control(f"ai_{name}")) for name, label in (
        ("resolution_pct", "resolution rate"), ("return_pct", "share coming back"),
        ("new_demand_pct", "new demand"), ("resolved_handle_ratio", "handle time of what it resolves"),
        ("handoff_handle_ratio", "handle time of a hand-off"))},
    **{("ai_agent", f"run.{name}"): (label, *_control(f"ai_{name}")) for name, label in (
        ("implementation_cost", "implementation"), ("knowledge_upkeep_per_month", "knowledge upkeep"),
        ("qa_hours_per_month", "QA hours"), ("qa_cost_per_hour", "cost of a QA hour"))},
    ("ai_agent", "policy.attrition_pct"): ("agents leaving a month", *_control("ai_attrition_pct")),
    ("ai_agent", "policy.severance_months"): ("severance", *_control("ai_severance_months")),
    ("ai_agent", "policy.value_per_redeployed_agent_month"): ("value of a moved agent",
                                                              *_control("ai_redeploy_value")),
    **{("ai_agent", f"pricing.{name}"): (name.replace("_", " "), *_control(key)) for name, key in (
        ("price_per_resolution", "ai_price_per_resolution"), ("platform_fee_per_month", "ai_platform_fee_per_month"),
        ("included_resolutions_per_month", "ai_included_resolutions"),
        ("overage_price_per_resolution", "ai_overage_price"),
        ("price_per_conversation", "ai_price_per_conversation"), ("price_per_action", "ai_price_per_action"),
        ("actions_per_conversation", "ai_actions_per_conversation"), ("sessions_per_bundle", "ai_bundle_sessions"),
        ("price_per_bundle", "ai_bundle_price"), ("seats", "ai_seats"), ("price_per_seat_month", "ai_price_per_seat"))},
}

_LEVER_TITLES = {"hires": "Hire or release agents", "centres": "Regional centre", "deflection": "Self-service",
                 "productivity": "Productivity tool", "training": "Training", "extended_hours": "Extended hours",
                 "site_hours": "Site hours", "ai_agent": "AI agent"}


def scenario_problems(scenario: Scenario) -> list[str]:
    """Every value of ``scenario`` outside what the app's controls allow, as ``"where: what"`` (empty: none)."""
    out: list[str] = []
    _, company = company_form.check(company_form.draft_of(scenario.company, scenario.finance.currency))
    out += [f"Company, {p}" for p in company]
    for key, value in (("horizon_months", scenario.finance.horizon_months),
                       ("discount_rate_annual_pct", scenario.finance.discount_rate_annual_pct)):
        low, high = _control(key)
        if not low <= value <= high:
            out.append(f"{BY_KEY[key].label}: {value:g} is outside {low:g} to {high:g}")
    for lever, items in _lever_items(scenario):
        for i, item in enumerate(items):
            where = _LEVER_TITLES.get(lever, lever) + (f" {i + 1}" if len(items) > 1 else "")
            for name, value in _numbers(item):
                bound = LEVER_RANGES.get((lever, name))
                if bound is None:
                    continue
                label, low, high = bound
                if not (math.isfinite(value) and low <= value <= high):
                    out.append(f"{where}, {label}: {value:g} is outside {low:g} to {high:g}")
    return out


def _numbers(item: Any, prefix: str = "") -> list[tuple[str, float]]:
    """The numbers of a lever's dataclass by field name, those of the dataclasses inside it (the AI agent's pricing,
    behaviour, run costs, policy, channels) as ``"outer.inner"``."""
    out: list[tuple[str, float]] = []
    for f in fields(item):
        value = getattr(item, f.name)
        if is_dataclass(value):
            out += _numbers(value, f"{prefix}{f.name}.")
        elif isinstance(value, tuple) and value and all(is_dataclass(v) for v in value):
            for v in value:
                out += _numbers(v, f"{prefix}{f.name}.")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append((f"{prefix}{f.name}", float(value)))
    return out


def _lever_items(scenario: Scenario) -> list[tuple[str, tuple[Any, ...]]]:
    """Each lever's dataclasses: a tuple for the levers that come several at a time, one or none for the others."""
    out = []
    for f in fields(scenario.levers):
        value = getattr(scenario.levers, f.name)
        items = value if isinstance(value, tuple) else (value,) if is_dataclass(value) else ()
        out.append((f.name, items))
    return out
