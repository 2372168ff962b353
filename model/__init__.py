"""The support ROI model: pure functions on frozen dataclasses and numpy arrays, never Streamlit.

The causal chain, one room a step (see DESIGN.md and the *Model and sources* page):

``params``       the company as it is today, the levers, the finance settings: frozen, validated
``weekgrid``     the UTC week cut into 15-minute steps, local clock time on it
``operations/``  tickets and agents on the week, queueing (Erlang C, Erlang A), the e-mail backlog,
                 first-response time, staffing views
``customers/``   first response to CSAT, experience classes and NPS; the customer stock month by month
``money/``       discounting, NPV, ROI, payback, the TEI risk view; the headline figures
``ai_agent/``    the AI agent lever as vendors sell it: its flow, pricing models, headcount policies
``uncertainty``  90 % intervals as draws; ``draw`` writes one draw back into a scenario
``engine``       ``simulate(scenario, draws)``: the whole chain, baseline and scenario, month by month
``examples``, ``sources``, ``serialize``, ``ramp``, ``checks``: example companies, where each default comes
                 from, scenarios as JSON (never pickle), adoption ramps of the levers, how a parameter is refused
"""

from model.customers import GIVE_UP_H
from model.draw import scenario_at
from model.engine import (
                          ALL_CHANNELS_FRT,
                          BENEFIT_LINES,
                          COST_LINES,
                          DEFAULT_DRAWS,
                          SEED,
                          Projection,
                          Uncertainty,
                          risk_adjusted_view,
                          simulate,
                          week_of,
)
from model.examples import CHAT_CURVE, EMAIL_CURVE, EXAMPLE_CURRENCY, EXAMPLES, PHONE_CURVE, ecommerce, saas
from model.params import (
                          CHANNEL_NAMES,
                          CURRENCIES,
                          LIVE_CHANNELS,
                          MON_FRI,
                          MULTIPLIER_BOUNDS,
                          RISK_FIELD_OF_LINE,
                          WEEKDAYS,
                          ArrivalProfile,
                          Assumptions,
                          Channel,
                          Company,
                          CsatCurve,
                          DeflectionTool,
                          ExperienceClasses,
                          ExtendedHours,
                          Finance,
                          HireAgents,
                          Levers,
                          ProductivityTool,
                          Region,
                          RegionalCentre,
                          RiskAdjustment,
                          Scenario,
                          Site,
                          SiteHours,
                          Training,
)
from model.serialize import company_from_dict, scenario_from_dict, scenario_from_json, scenario_to_json, to_dict
from model.sources import ASSUMPTION_INFO, SOURCES
from model.uncertainty import Z_95, Range
from model.weekgrid import BoolArray, FloatArray

__all__ = [
    "ALL_CHANNELS_FRT", "ASSUMPTION_INFO", "BENEFIT_LINES", "CHANNEL_NAMES", "CHAT_CURVE", "COST_LINES", "CURRENCIES", "DEFAULT_DRAWS",
    "EMAIL_CURVE", "EXAMPLES", "EXAMPLE_CURRENCY", "GIVE_UP_H", "LIVE_CHANNELS", "MON_FRI", "MULTIPLIER_BOUNDS",
    "PHONE_CURVE", "RISK_FIELD_OF_LINE", "SEED", "SOURCES", "WEEKDAYS", "Z_95",
    "ArrivalProfile", "Assumptions", "BoolArray", "Channel", "Company", "CsatCurve", "DeflectionTool",
    "ExperienceClasses", "ExtendedHours", "Finance", "FloatArray", "HireAgents", "Levers", "ProductivityTool",
    "Projection", "Range", "Region", "RegionalCentre", "RiskAdjustment", "Scenario", "Site", "SiteHours", "Training",
    "Uncertainty", "company_from_dict", "ecommerce", "risk_adjusted_view", "saas", "scenario_at", "scenario_from_dict", "scenario_from_json",
    "scenario_to_json", "simulate", "to_dict", "week_of",
]
