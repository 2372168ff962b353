"""Every control the manager can move: its key (= URL parameter = parameter name), range, help.

Pure data and pure functions (no ``st.*``), so the mapping from control values to a Scenario is
tested without a page. Help texts give units and the source of each default (``model.sources``). One control's
class and how a link's text is read into it are ``view.control``; the AI agent's controls are ``view.ai_controls``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from model import (
    ASSUMPTION_INFO,
    BENEFIT_LINES,
    CURRENCIES,
    DEFAULT_DRAWS,
    EXAMPLE_CURRENCY,
    EXAMPLES,
    RISK_FIELD_OF_LINE,
    SOURCES,
    Assumptions,
    Company,
    DeflectionTool,
    ExtendedHours,
    Finance,
    HireAgents,
    Levers,
    ProductivityTool,
    Range,
    RegionalCentre,
    RiskAdjustment,
    Scenario,
    Training,
    to_dict,
)
from view import ai_controls, plan
from view.control import MONTH, PCT, Control, control, parse_range, range_text
from view.format import percent

DAYS_OPTIONS = plan.DAYS


@dataclass(frozen=True)
class CompanyChoice:
    """A company the case can be built on: an example, or one of the workspace's own, with its currency."""

    company: Company
    currency: str
    example: bool = False


Book = Mapping[str, CompanyChoice]
EXAMPLE_BOOK: dict[str, CompanyChoice] = {key: CompanyChoice(make(), EXAMPLE_CURRENCY[key], example=True)
                                          for key, make in EXAMPLES.items()}


NEAREST_REGION, NO_REGION = plan.NEAREST, plan.NO_REGION
RANGE_PREFIX = "range_"
DRAWS_OPTIONS = ("250", "1000", "2500", "10000")


_c = control

CONTROLS: tuple[Control, ...] = (
    _c("company", "Company", "select", "B2B SaaS", "Company",
       "The company the case is built on: an example, or your own from the Your company page.",
       options=tuple(EXAMPLES)),
    _c("currency", "Currency", "select", "", "Company",
       "Currency in which every amount is entered and shown (amounts are not converted). Each example "
       "company starts in its own currency.", options=("",) + CURRENCIES),
    _c("horizon_months", "Horizon (months)", "slider", 36, "Finance",
       "Months over which cash is counted. " + SOURCES["discount_rate"], min=12, max=60, step=6),
    _c("discount_rate_annual_pct", "Discount rate a year", "slider", 0.10, "Finance",
       "Annual rate used for NPV; month 0 is not discounted. " + SOURCES["discount_rate"],
       min=0.0, max=0.25, step=0.01, format=PCT),

    _c("hire_agents", "Agents to add at the main site", "slider", 0, "Hire or release agents",
       "Change of headcount at the company's main site (negative: leavers not replaced). New agents "
       "cost their loaded cost from the start month and reach full capacity over the ramp. "
       + SOURCES["loaded_cost_per_agent_month"], min=-10, max=30, step=1),
    _c("hire_start_month", "Start month", "slider", 0, "Hire or release agents",
       "Month the change takes effect (0 = first month).", **MONTH),
    _c("hire_ramp_months", "Months to full proficiency", "slider", 3, "Hire or release agents",
       "New agents reach 90 % of full capacity after this many months (S-curve). " + SOURCES["ramp"],
       min=0, max=12, step=1),
    _c("hire_cost_per_agent", "Recruiting and onboarding per agent", "number", 4000, "Hire or release agents",
       "One-off cost per added agent, in the scenario's currency. For your own company it starts at one month of "
       "your first site's loaded cost, a placeholder: enter what hiring costs you.", min=0, max=100000, step=500),

    _c("centre_on", "Open a regional centre", "toggle", False, "Regional centre",
       "Adds a support site in another time zone: capacity in the hours its customers write."),
    _c("centre_utc_offset_h", "Centre time zone (UTC offset, hours)", "slider", 0.0, "Regional centre",
       "UTC offset of the new centre, e.g. 0 Dublin/Lisbon, 1 Krakow, 5.5 Bangalore, 8 Singapore.",
       min=-12.0, max=14.0, step=0.5, format="UTC%+.1f"),
    _c("centre_headcount", "Centre headcount", "slider", 4, "Regional centre",
       "Agents employed at the centre. " + SOURCES["shrinkage_pct"], min=1, max=50, step=1),
    _c("centre_open_h", "Opens at (local hour)", "slider", 9, "Regional centre",
       "Local opening hour.", min=0, max=23, step=1),
    _c("centre_close_h", "Closes at (local hour)", "slider", 17, "Regional centre",
       "Local closing hour; an hour before the opening hour is a night shift ending the next morning.",
       min=1, max=24, step=1),
    _c("centre_days", "Open days", "select", "Mon-Fri", "Regional centre",
       "Local days the centre is open.", options=tuple(DAYS_OPTIONS)),
    _c("centre_cost_per_agent_month", "Loaded cost per agent-month", "number", 5500, "Regional centre",
       "Wage plus benefits and overhead per agent and month in the centre's country. For your own company it "
       "starts at your first site's, a placeholder: wages differ by country. " + SOURCES["loaded_cost_per_agent_month"],
       min=0, max=50000, step=100),
    _c("centre_setup_cost", "Set-up cost (one-off)", "number", 60000, "Regional centre",
       "Office, equipment, legal entity, recruiting: paid in the start month. For your own company it starts at "
       "ten months of your first site's loaded cost per agent, a placeholder: enter your estimate.",
       min=0, max=5000000, step=5000),
    _c("centre_start_month", "Start month", "slider", 0, "Regional centre",
       "Month the centre opens; its agents ramp over 3 months. " + SOURCES["ramp"], **MONTH),
    _c("centre_serves", "Serves first", "select", NEAREST_REGION, "Regional centre",
       "The customer region whose tickets the centre answers first once open (a regional centre's own "
       "region). 'Nearest region' is the region closest to the centre's time zone; 'No region' makes the "
       "centre share the other sites' queue.", options=(NEAREST_REGION, NO_REGION)),
    _c("centre_helps", "Helps other sites when idle", "toggle", True, "Regional centre",
       "On: when its own region's tickets are all answered, the centre's agents take other sites' tickets."),

    _c("plan", "The plan as text (as the link carries it)", "plan", "", "Plan",
       "More actions than the levers above, each with its start month: hires and releases at any site, agents "
       "moved between sites, more centres, a site's new hours. Edited with the actions above; kept in the link."),

    _c("deflection_pct", "Share of issues the tool handles", "slider", 0.0, "Self-service (help centre)",
       "Share of issues a help centre or knowledge base resolves before an agent sees them (the AI agent, priced "
       "and counted the way vendors sell it, is its own lever below). "
       + SOURCES["deflection"], min=0.0, max=0.8, step=0.01, format=PCT),
    _c("leakage_pct", "Of those, share that come back to an agent", "slider", 0.2, "Self-service (help centre)",
       SOURCES["leakage"], min=0.0, max=0.6, step=0.01, format=PCT),
    _c("harder_mix_pct", "Longer handle time of the remaining tickets", "slider", 0.10, "Self-service (help centre)",
       SOURCES["harder_mix"] + " Applies once the tool is adopted; customers whose issue the tool resolves "
       "are taken to be as satisfied as today's average ticket (a neutral assumption [D]).",
       min=0.0, max=0.3, step=0.01, format=PCT),
    _c("deflection_licence_per_month", "Licence per month", "number", 1500, "Self-service (help centre)",
       "Platform fee per month, from the start month.", min=0, max=500000, step=100),
    _c("fee_per_resolution", "Fee per resolution", "number", 1.0, "Self-service (help centre)",
       SOURCES["fee_per_resolution"], min=0.0, max=20.0, step=0.1),
    _c("deflection_implementation_cost", "Implementation (one-off)", "number", 15000, "Self-service (help centre)",
       "Set-up, content and integration, paid in the start month.", min=0, max=2000000, step=1000),
    _c("deflection_start_month", "Start month", "slider", 0, "Self-service (help centre)",
       "Month the tool goes live; adoption follows a 6-month S-curve. " + SOURCES["ramp"], **MONTH),

    *ai_controls.AI_CONTROLS,

    _c("handle_time_reduction_pct", "Handle-time reduction", "slider", 0.0, "Productivity tool",
       "Cut in agents' handle time on every channel once adopted. " + SOURCES["productivity"],
       min=0.0, max=0.5, step=0.01, format=PCT),
    _c("productivity_licence_per_agent_month", "Licence per agent-month", "number", 50, "Productivity tool",
       "Seat price per agent and month.", min=0, max=1000, step=5),
    _c("productivity_implementation_cost", "Implementation (one-off)", "number", 5000, "Productivity tool",
       "Set-up and roll-out, paid in the start month.", min=0, max=1000000, step=1000),
    _c("productivity_start_month", "Start month", "slider", 0, "Productivity tool",
       "Month the tool goes live; adoption follows a 6-month S-curve. " + SOURCES["ramp"], **MONTH),

    _c("fcr_gain_pts", "First-contact resolution gain", "slider", 0.0, "Training",
       "Points of first-contact resolution gained: fewer re-contacts and higher CSAT. "
       + SOURCES["training"], min=0.0, max=0.2, step=0.01, format=PCT),
    _c("training_cost_per_agent", "Training cost per agent (one-off)", "number", 1500, "Training",
       "Course and time off the queue per agent, paid in the start month.", min=0, max=50000, step=100),
    _c("training_cost_per_month", "Coaching cost per month", "number", 0, "Training",
       "Ongoing coaching or QA programme per month.", min=0, max=200000, step=100),
    _c("training_start_month", "Start month", "slider", 0, "Training",
       "Month the training starts; its effect builds over 3 months.", **MONTH),

    _c("extra_hours_per_day", "Extra hours per day at the main site", "slider", 0, "Extended hours",
       "Hours added after closing (then before opening), staffed at the same on-duty density and "
       "paid as extra agent-hours.", min=0, max=16, step=1),
    _c("weekend_days", "Weekend days covered", "slider", 0, "Extended hours",
       "Saturday, then Sunday, open the same hours as the weekdays (including any extra hours).",
       min=0, max=2, step=1),
    _c("shift_premium_pct", "Premium for the added hours", "slider", 0.15, "Extended hours",
       SOURCES["shift_premium"], min=0.0, max=0.5, step=0.05, format=PCT),
    _c("extended_start_month", "Start month", "slider", 0, "Extended hours",
       "Month the longer hours start.", **MONTH),
)

CONTROLS += (
    _c("draws", "Monte Carlo draws", "select", str(DEFAULT_DRAWS), "Finance",
       "How many draws of the uncertain assumptions make the bands and the NPV distribution. The seed is "
       "fixed, so a shared link shows the same numbers; more draws are steadier and slower.",
       options=DRAWS_OPTIONS),
)
CONTROLS += tuple(
    _c(f"{RANGE_PREFIX}{name}", ASSUMPTION_INFO[name][0], "range", range_text(r.low, r.high), "Uncertainty",
       f"90 % interval of a multiplier on {ASSUMPTION_INFO[name][1]} (1 = as entered; 5 % of outcomes below "
       f"the low end, 5 % above the high end). {ASSUMPTION_INFO[name][2]}")
    for name, r in Assumptions().items())
CONTROLS += tuple(
    _c(f"risk_{field}", f"{line}: {'cut' if line in BENEFIT_LINES else 'raise'} by", "slider",
       getattr(RiskAdjustment(), field),
       "Risk adjustment",
       f"Risk adjustment of the {line.lower()} line in the risk-adjusted (TEI) view. "
       + ASSUMPTION_INFO["risk_adjustment"][2], min=0.0, max=0.5, step=0.05, format=PCT)
    for line, field in RISK_FIELD_OF_LINE.items())

BY_KEY = {c.key: c for c in CONTROLS}
GROUPS = tuple(dict.fromkeys(c.group for c in CONTROLS))
LEVER_GROUPS = tuple(g for g in GROUPS if g not in ("Company", "Finance", "Uncertainty", "Risk adjustment", "Plan"))


def visible(key: str, values: dict[str, Any], company: Company) -> bool:
    """Whether the Scenario page shows control ``key`` for this case (the AI agent shows the company's channels, then
    its chosen pricing's and policy's own fields; every other control always)."""
    return ai_controls.shown(key, values, company) if BY_KEY[key].group == ai_controls.GROUP else True


def next_step(before: Mapping[str, Any] | None, now: Mapping[str, Any]) -> dict[str, Any] | None:
    """The controls one more step on, where the last change was one step of one slider or number: the case a manager
    stepping through a lever (arrow keys, a number's + and -) asks for next. None after any other change (a drag, a
    typed amount, a switch, two controls at once), at the control's bound, or on the first run (``before`` None)."""
    if before is None or before.keys() != now.keys():
        return None
    changed = [key for key in now if key in BY_KEY and before[key] != now[key]]
    if len(changed) != 1:
        return None
    c = BY_KEY[changed[0]]
    old, new = before[c.key], now[c.key]
    if c.kind not in ("slider", "number") or not c.step or isinstance(new, bool) \
            or not isinstance(new, (int, float)) or not isinstance(old, (int, float)):
        return None
    delta = new - old
    if abs(abs(delta) - c.step) > 1e-9 * c.step:
        return None
    ahead = new + delta
    if (c.min is not None and ahead < c.min) or (c.max is not None and ahead > c.max):
        return None
    return {**now, c.key: round(ahead, 9) if isinstance(new, float) else int(ahead)}


def defaults() -> dict[str, Any]:
    return {c.key: c.default for c in CONTROLS}


def check_params(params: dict[str, str], book: Book = EXAMPLE_BOOK) -> tuple[dict[str, Any], list[str]]:
    """Split URL parameters into accepted values and notices naming what was ignored and why.

    ``company`` is accepted when it names a company of ``book`` (the examples and the workspace's own).
    """
    accepted: dict[str, Any] = {}
    notices: list[str] = []
    for key, raw in params.items():
        if key in LINK_KEYS:
            continue                 # read by ui.store, which names its own problems
        shown = key if len(key) <= 40 else key[:40] + "..."
        control = BY_KEY.get(key)
        if control is None:
            notices.append(f"Ignored unknown link parameter '{shown}'.")
            continue
        if key == "plan":
            company = choice_of({"company": params.get("company", "")}, book).company
            actions, said = plan.parse(str(raw), company)
            accepted[key] = plan.text_of(actions)
            notices.extend(said)
            continue
        if key == "centre_serves":
            regions = [r.name for r in choice_of({"company": params.get("company", "")}, book).company.regions]
            if str(raw) in control.options or str(raw) in regions:
                accepted[key] = str(raw)
            else:
                notices.append(f"Ignored link parameter 'centre_serves': '{str(raw)[:60]}' is not a customer region "
                               f"of the company; expected one of {', '.join([*control.options, *regions])}.")
            continue
        channel = key.removeprefix("ai_")
        if channel in ai_controls.CHANNEL_WORDS:
            company = choice_of({"company": params.get("company", "")}, book).company
            if channel not in company.channel_shares:
                notices.append(f"Ignored link parameter '{key}': {company.name[:60]} has no "
                               f"{ai_controls.CHANNEL_WORDS[channel]} channel.")
                continue
        if key == "company":
            if str(raw) in book:
                accepted[key] = str(raw)
            else:
                notices.append(f"Ignored link parameter 'company': '{str(raw)[:60]}' is not a company of this "
                               f"workspace; expected one of {', '.join(book)}.")
            continue
        try:
            accepted[key] = control.parse(str(raw))
        except ValueError as exc:
            notices.append(f"Ignored link parameter '{key}': {exc}.")
    return accepted, notices


def choice_of(values: dict[str, Any], book: Book = EXAMPLE_BOOK) -> CompanyChoice:
    """The company the values name; the default example when it is not in ``book`` (a company since renamed)."""
    return book.get(values.get("company", ""), EXAMPLE_BOOK[BY_KEY["company"].default])


def currency_of(values: dict[str, Any], book: Book = EXAMPLE_BOOK) -> str:
    """The currency of the case: always a company's own for the workspace's companies, whose amounts are entered
    in it; for an example, the chosen one (the example's amounts are read as that currency), else its own."""
    choice = choice_of(values, book)
    if not choice.example:
        return choice.currency
    return values.get("currency") or choice.currency


# Amounts whose catalogue default is the examples' (US dollars, euros): for the workspace's own companies they start
# from the first site's loaded cost per agent-month instead, in the company's currency (placeholders to replace).
COMPANY_DEFAULTS = ai_controls.COMPANY_DEFAULTS    # defaults read off any company (its agents), example or own
COST_DEFAULTS = {"centre_cost_per_agent_month": 1.0, "hire_cost_per_agent": 1.0, "centre_setup_cost": 10.0,
                 **ai_controls.COST_DEFAULTS}


def default_of(key: str, values: dict[str, Any], book: Book = EXAMPLE_BOOK) -> Any:
    """A control's default for the case: the currency's is the chosen company's own; those of
    :data:`COMPANY_DEFAULTS` are read off the company; the amounts of :data:`COST_DEFAULTS` follow an own company's
    first site (its loaded cost times the factor, on the control's step and range); every other is the catalogue's."""
    choice = choice_of(values, book)
    if key == "currency":
        return choice.currency
    c = BY_KEY[key]
    if key in COMPANY_DEFAULTS:
        return COMPANY_DEFAULTS[key](choice.company)
    if key in COST_DEFAULTS and not choice.example:
        assert c.step is not None and c.min is not None and c.max is not None
        amount = COST_DEFAULTS[key] * choice.company.sites[0].loaded_cost_per_agent_month
        return int(min(max(round(amount / c.step) * c.step, c.min), c.max))
    return c.default


def defaults_of(values: dict[str, Any], book: Book = EXAMPLE_BOOK) -> dict[str, Any]:
    """Every control's default for the company ``values`` name (:func:`default_of`)."""
    return {c.key: default_of(c.key, values, book) for c in CONTROLS}


def scenario_of(values: dict[str, Any], name: str = "Scenario", book: Book = EXAMPLE_BOOK) -> Scenario:
    """The Scenario that a full set of control values describes, on the company of ``book`` they name."""
    v = {**defaults(), **values}
    company = choice_of(v, book).company
    main = company.sites[0]
    hires: tuple[HireAgents, ...] = ()
    if v["hire_agents"]:
        agents = max(float(v["hire_agents"]), -main.headcount)
        hires = (HireAgents(main.name, agents, int(v["hire_start_month"]), float(v["hire_ramp_months"]),
                            float(v["hire_cost_per_agent"])),)
    centre = None
    if _centre_opens(v):
        centre = RegionalCentre("Regional centre", float(v["centre_utc_offset_h"]), float(v["centre_open_h"]),
                                float(v["centre_close_h"]),
                                DAYS_OPTIONS[v["centre_days"]], float(v["centre_headcount"]),
                                float(v["centre_cost_per_agent_month"]), float(v["centre_setup_cost"]),
                                start_month=int(v["centre_start_month"]), serves=centre_serves(v, company),
                                helps_others=bool(v["centre_helps"]) or not centre_serves(v, company))
    deflection = None
    if v["deflection_pct"] > 0:
        deflection = DeflectionTool(float(v["deflection_pct"]), float(v["leakage_pct"]), float(v["harder_mix_pct"]),
                                    float(v["deflection_licence_per_month"]), float(v["fee_per_resolution"]),
                                    float(v["deflection_implementation_cost"]), int(v["deflection_start_month"]))
    productivity = None
    if v["handle_time_reduction_pct"] > 0:
        productivity = ProductivityTool(float(v["handle_time_reduction_pct"]),
                                        float(v["productivity_licence_per_agent_month"]),
                                        float(v["productivity_implementation_cost"]),
                                        int(v["productivity_start_month"]))
    training = None
    if v["fcr_gain_pts"] > 0:
        training = Training(float(v["fcr_gain_pts"]), float(v["training_cost_per_agent"]),
                            float(v["training_cost_per_month"]), int(v["training_start_month"]))
    extended: tuple[ExtendedHours, ...] = ()
    if v["extra_hours_per_day"] or v["weekend_days"]:
        extended = (ExtendedHours(main.name, float(v["extra_hours_per_day"]), int(v["weekend_days"]),
                                  float(v["shift_premium_pct"]), int(v["extended_start_month"])),)
    levers = Levers(hires, (centre,) if centre is not None else (), deflection, productivity, training, extended,
                    ai_agent=ai_controls.agent_of(v, company))
    finance = Finance(int(v["horizon_months"]), float(v["discount_rate_annual_pct"]), currency_of(v, book))
    levers, _ = _with_plan(v, company, levers)
    return Scenario(company, finance, levers, name, assumptions_of(v), risk_of(v))


def _with_plan(v: dict[str, Any], company: Company, levers: Levers) -> tuple[Levers, str | None]:
    """The levers with the plan's actions added, or the levers alone and why the plan cannot go with them
    (e.g. more agents released at a site than it has)."""
    added = plan.levers_of(plan.parse(str(v["plan"]), company)[0], company, float(v["hire_cost_per_agent"]),
                           tuple(c.name for c in levers.centres))
    if added == plan.PlanLevers():
        return levers, None
    combined = replace(levers, hires=levers.hires + added.hires, centres=levers.centres + added.centres,
                       site_hours=added.site_hours)
    try:
        Scenario(company, levers=combined)
    except ValueError as exc:
        return levers, f"The plan is left out: {exc}."
    return combined, None


def plan_problems(values: dict[str, Any], book: Book = EXAMPLE_BOOK) -> list[str]:
    """Why the plan, or part of it, is left out of the scenario: each action that cannot be used, or the plan as a
    whole when it cannot go with the levers (e.g. more agents released at a site than it has)."""
    v = {**defaults(), **values}
    company = choice_of(v, book).company
    said = plan.parse(str(v["plan"]), company)[1]
    _, left_out = _with_plan(v, company, scenario_of({**v, "plan": ""}, book=book).levers)
    return said + ([left_out] if left_out else [])


def assumptions_of(values: dict[str, Any]) -> Assumptions:
    """The ranges the controls describe; a range that cannot be read keeps its default (see problems)."""
    chosen = {}
    for name, default in Assumptions().items():
        try:
            low, high = parse_range(values.get(f"{RANGE_PREFIX}{name}", ""))
            chosen[name] = Range(low, high)
        except ValueError:
            chosen[name] = default
    return Assumptions(**chosen)


def risk_of(values: dict[str, Any]) -> RiskAdjustment:
    v = {**defaults(), **values}
    return RiskAdjustment(**{field: float(v[f"risk_{field}"]) for field in RISK_FIELD_OF_LINE.values()})


def range_problems(values: dict[str, Any]) -> dict[str, str]:
    """Per range control that cannot be read: what is wrong and what is used instead."""
    v = {**defaults(), **values}
    out = {}
    for name, default in Assumptions().items():
        key = f"{RANGE_PREFIX}{name}"
        try:
            parse_range(v[key])
        except ValueError as exc:
            out[key] = (f"{ASSUMPTION_INFO[name][0]}: '{str(v[key])[:40]}' cannot be used ({exc}); the default "
                        f"{range_text(default.low, default.high)} is used until it is corrected.")
    return out


def _agents(n: int) -> str:
    return f"{n} agent" if n == 1 else f"{n} agents"


LEVER_SOURCES = {
    "ramp_months": SOURCES["ramp"], "deflection_pct": SOURCES["deflection"], "leakage_pct": SOURCES["leakage"],
    "harder_mix_pct": SOURCES["harder_mix"], "fee_per_resolution": SOURCES["fee_per_resolution"],
    "handle_time_reduction_pct": SOURCES["productivity"], "fcr_gain_pts": SOURCES["training"],
    "shift_premium_pct": SOURCES["shift_premium"], "shrinkage_pct": SOURCES["shrinkage_pct"],
    "loaded_cost_per_agent_month": SOURCES["loaded_cost_per_agent_month"],
    **ai_controls.PARAMETER_SOURCES,
}


def lever_parameters(levers: Levers) -> list[tuple[str, dict[str, Any]]]:
    """Each pulled lever with its parameters, as (lever name, {parameter: value}); the parameters of a lever's parts
    (the AI agent's behaviour, pricing, run costs, policy) by their own names, its channels as "involvement, chat"."""
    out = []
    for name, value in to_dict(levers).items():
        items = value if isinstance(value, list) else [value] if value else []
        for item in items:
            flat = _flat(item)
            if any(k.startswith("involvement, ") for k in flat) and "involvement_pct" in flat:
                # the AI agent's share for the channels it does not name
                other = flat.pop("involvement_pct")
                if float(other) > 0.0:
                    flat["involvement, other channels"] = other
            out.append((name.replace("_", " "), flat))
    return out


def _flat(item: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            out.update(_flat(value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "channel" in v for v in value):
            out.update({f"involvement, {v['channel']}": str(v["involvement_pct"]) for v in value})
        else:
            out[key] = str(value)
    return out


def problems(values: dict[str, Any]) -> list[str]:
    """Lever settings that cannot be used as they are, and what is done instead."""
    v = {**defaults(), **values}
    out = []
    if v["centre_on"] and v["centre_serves"] == NO_REGION and not v["centre_helps"]:
        out.append("The regional centre answers no region first and does not help, so its agents would answer no "
                   "ticket: it helps the other sites here. Choose a region it serves first, or let it help.")
    if v["centre_on"] and not _centre_opens(v):
        out.append(f"The regional centre opens and closes at {v['centre_open_h']}:00, so it is left out of the "
                   "scenario. Choose a closing hour after the opening hour (or before it, for a night shift).")
    return out


def _centre_opens(v: dict[str, Any]) -> bool:
    """The centre lever is on and open some hours (not opening and closing at one hour)."""
    return bool(v["centre_on"]) and float(v["centre_open_h"]) != float(v["centre_close_h"])


def centre_serves(values: dict[str, Any], company: Company) -> tuple[str, ...]:
    """The regions the centre lever answers first (:func:`view.plan.serves_first`)."""
    return plan.serves_first(values.get("centre_serves", NEAREST_REGION), float(values.get("centre_utc_offset_h", 0.0)),
                             company)


def describe_levers(values: dict[str, Any], book: Book = EXAMPLE_BOOK) -> str:
    """The levers pulled, as a phrase for the case sentence ("Opening a centre in UTC+1 ...")."""
    v = {**defaults(), **values}
    company = choice_of(v, book).company
    parts = []
    if _centre_opens(v):
        off = float(v["centre_utc_offset_h"])
        serves = centre_serves(v, company)
        parts.append(f"opening a {v['centre_headcount']}-agent centre in UTC{off:+g}"
                     + (f" that answers {serves[0]} first" if serves else ""))
    if v["hire_agents"] > 0:
        parts.append(f"hiring {_agents(v['hire_agents'])} in {company.sites[0].name}")
    elif v["hire_agents"] < 0:
        released = min(-v["hire_agents"], int(company.sites[0].headcount))
        parts.append(f"not replacing {_agents(released)} in {company.sites[0].name}")
    if v["deflection_pct"] > 0:
        parts.append(f"a self-service tool taking {percent(v['deflection_pct'], currency_of(v, book), 0)} of issues")
    if (agent := ai_controls.describe(v, company, lambda x: percent(x, currency_of(v, book), 0))) is not None:
        parts.append(agent)
    if v["handle_time_reduction_pct"] > 0:
        cut = percent(v['handle_time_reduction_pct'], currency_of(v, book), 0)
        parts.append(f"a productivity tool cutting handle time {cut}")
    if v["fcr_gain_pts"] > 0:
        parts.append(f"training for +{v['fcr_gain_pts'] * 100:.0f} points first-contact resolution")
    if v["extra_hours_per_day"] or v["weekend_days"]:
        bits = []
        if v["extra_hours_per_day"]:
            bits.append(f"{v['extra_hours_per_day']} more hours a day")
        if v["weekend_days"]:
            bits.append(f"{v['weekend_days']} weekend day{'s' if v['weekend_days'] > 1 else ''}")
        parts.append(" and ".join(bits) + f" in {company.sites[0].name}")
    if _with_plan(v, company, scenario_of({**v, "plan": ""}, book=book).levers)[1] is None:   # the plan is used
        parts += [plan.describe(a) for a in plan.parse(str(v["plan"]), company)[0]]
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[0].upper() + text[1:]


SUGGESTED: dict[str, dict[str, Any]] = {
    "B2B SaaS": {"centre_on": True, "centre_utc_offset_h": 1.0, "centre_headcount": 4},
    "E-commerce": {"deflection_pct": 0.25, "hire_agents": -1},
}


LINK_KEYS = ("scenario", "ws")
SIDEBAR_KEYS = ("company", "currency", "horizon_months", "discount_rate_annual_pct", "draws")   # on every page     # link parameters that are not controls: a saved scenario, a workspace


def param_text(value: Any) -> str:
    """A control value as a URL parameter writes it (``true``, ``4``, ``0.25``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def link_params(values: dict[str, Any]) -> dict[str, str]:
    """The URL parameters of a set of control values: only those that differ from the defaults."""
    v = {**defaults(), **values}
    v["plan"] = plan.compact(str(v["plan"]))
    return {k: param_text(x) for k, x in v.items() if k in BY_KEY and x != BY_KEY[k].default}


def read_values(saved: dict[str, Any], book: Book = EXAMPLE_BOOK) -> tuple[dict[str, Any], list[str]]:
    """Control values kept in a saved scenario, checked like a link's: (values, what was left at its default)."""
    accepted, problems = check_params({k: param_text(v) for k, v in saved.items() if k in BY_KEY}, book)
    notes = [p.replace("Ignored link parameter ", "Left at its default: ") for p in problems]
    unknown = sorted(k for k in saved if k not in BY_KEY)
    if unknown:
        notes.append(f"Left out, no longer a control: {', '.join(unknown[:5])}" + (" ..." if len(unknown) > 5 else "")
                     + ".")
    if saved.get("centre_on") and "centre_serves" not in saved:
        # Saved before sites served their own regions: its centre shared one queue with every site, as then.
        accepted["centre_serves"] = NO_REGION
    return {**defaults(), **accepted}, notes


def _plan_of(lv: Levers, lever: int | None, notes: list[str]) -> list[dict[str, Any]]:
    """The plan actions of the levers the Scenario page's controls do not hold (hires beyond the hire lever's,
    agents moved, more centres, new hours); what a plan cannot hold either is named in ``notes``."""
    actions: list[dict[str, Any]] = []
    days_of = {v: k for k, v in DAYS_OPTIONS.items()}
    rest = [h for i, h in enumerate(lv.hires) if i != lever]
    while rest:
        h = rest.pop(0)
        twin = next((t for t in rest if h.agents < 0 and t.agents == -h.agents and t.site != h.site
                     and t.start_month == h.start_month and t.hiring_cost_per_agent == 0.0), None)
        if twin is not None and float(twin.agents).is_integer() and 1 <= twin.agents <= 30:
            rest.remove(twin)             # a release and a hire without recruiting cost: agents moved
            actions.append({"do": "move", "from": h.site, "to": twin.site, "agents": int(twin.agents),
                            "month": h.start_month})
        elif float(h.agents).is_integer() and -20 <= h.agents <= 30 and h.start_month <= 24:
            actions.append({"do": "hire", "site": h.site, "agents": int(h.agents), "month": h.start_month})
            if h.agents > 0 and (h.ramp_months != plan.RAMP_MONTHS):
                notes.append(f"The hire of {h.agents:g} at {h.site} ramps over {h.ramp_months:g} months; a plan's "
                             f"hire ramps over {plan.RAMP_MONTHS:g}.")
        else:
            notes.append(f"A change of {h.agents:g} agents at {h.site} from month {h.start_month} is left out.")
    for c in lv.centres[1:]:
        if c.name[:plan.NAME_MAX] and tuple(c.open_days) in days_of and c.open_h.is_integer() \
                and c.close_h.is_integer() and float(c.headcount).is_integer() and c.start_month <= 24:
            actions.append({"do": "centre", "name": c.name[:plan.NAME_MAX], "utc": c.utc_offset_h,
                            "agents": int(c.headcount), "opens": int(c.open_h), "closes": int(c.close_h),
                            "days": days_of[tuple(c.open_days)], "cost": c.loaded_cost_per_agent_month,
                            "setup": c.setup_cost, "serves": c.serves[0] if c.serves else plan.NO_REGION,
                            "month": c.start_month})
        else:
            notes.append(f"The centre {c.name[:40]} is left out: its hours, days or headcount are not a plan's.")
            continue
        if not c.helps_others:
            notes.append(f"The centre {c.name[:40]} does not help other sites; a plan's centre helps.")
    for change in lv.site_hours:
        if tuple(change.open_days) in days_of and change.open_h.is_integer() and change.close_h.is_integer():
            actions.append({"do": "hours", "site": change.site, "opens": int(change.open_h),
                            "closes": int(change.close_h), "days": days_of[tuple(change.open_days)],
                            "month": change.start_month})
        else:
            notes.append(f"The new hours at {change.site} are left out: their days are not a plan's.")
    if len(actions) > plan.MAX_ACTIONS:
        notes.append(f"A plan holds {plan.MAX_ACTIONS} actions; {len(actions) - plan.MAX_ACTIONS} left out.")
    return actions[:plan.MAX_ACTIONS]


def controls_of(scenario: Scenario, book: Book = EXAMPLE_BOOK) -> tuple[dict[str, Any], list[str]]:
    """The control values that describe ``scenario`` as closely as the controls can, and what they cannot.

    For a scenario saved without its control values (an older file, an import): the company is
    matched by name among the examples, each lever is read back into its controls, and every value
    a control cannot hold (off its range or step, a second hire, a site that is not the main one)
    is named in the notes and left at its default. Calibrated company figures are not controls:
    the notes say so, and the saved scenario itself keeps them for comparison.
    """
    notes: list[str] = []
    raw: dict[str, Any] = {}
    by_name = {choice.company.name: key for key, choice in book.items()}
    company_key = by_name.get(scenario.company.name)
    if company_key is None:
        company_key = BY_KEY["company"].default
        notes.append(f"The company '{scenario.company.name}' is not one of this workspace's companies; "
                     f"{company_key} is used.")
    elif book[company_key].company != scenario.company:
        which = "the example's" if book[company_key].example else "the company's as it is now"
        notes.append(f"The saved company figures differ from {which} (a calibration or an edit): opening uses the "
                     "company as it is now with the workspace's own calibrations; Compare shows the scenario as saved.")
    raw["company"] = company_key
    main = book[company_key].company.sites[0].name
    f = scenario.finance
    raw.update(currency=f.currency, horizon_months=f.horizon_months, discount_rate_annual_pct=f.discount_rate_annual_pct)
    lv = scenario.levers
    lever = next((i for i, h in enumerate(lv.hires) if h.site == main), None)
    if lever is not None:
        h = lv.hires[lever]
        raw.update(hire_agents=h.agents, hire_start_month=h.start_month, hire_ramp_months=h.ramp_months,
                   hire_cost_per_agent=h.hiring_cost_per_agent)
    actions = _plan_of(lv, lever, notes)
    if actions:
        raw["plan"] = plan.text_of(actions)
    if lv.centres:
        c = lv.centres[0]
        days = {v: k for k, v in DAYS_OPTIONS.items()}.get(tuple(c.open_days))
        if days is None:
            notes.append(f"The centre's open days {list(c.open_days)} are not a choice; Mon-Fri is used.")
        raw.update(centre_on=True, centre_utc_offset_h=c.utc_offset_h, centre_headcount=c.headcount,
                   centre_open_h=c.open_h, centre_close_h=c.close_h, centre_days=days or "Mon-Fri",
                   centre_cost_per_agent_month=c.loaded_cost_per_agent_month, centre_setup_cost=c.setup_cost,
                   centre_start_month=c.start_month, centre_serves=c.serves[0] if c.serves else NO_REGION,
                   centre_helps=c.helps_others)
        if len(c.serves) > 1:
            notes.append(f"The centre serves {', '.join(c.serves)} first; the control holds one region, "
                         f"{c.serves[0]}.")
    if lv.deflection is not None:
        d = lv.deflection
        raw.update(deflection_pct=d.deflection_pct, leakage_pct=d.leakage_pct, harder_mix_pct=d.harder_mix_pct,
                   deflection_licence_per_month=d.licence_per_month, fee_per_resolution=d.fee_per_resolution,
                   deflection_implementation_cost=d.implementation_cost, deflection_start_month=d.start_month)
    if lv.ai_agent is not None:
        raw.update(ai_controls.values_of(lv.ai_agent, book[company_key].company))
    if lv.productivity is not None:
        p = lv.productivity
        raw.update(handle_time_reduction_pct=p.handle_time_reduction_pct,
                   productivity_licence_per_agent_month=p.licence_per_agent_month,
                   productivity_implementation_cost=p.implementation_cost, productivity_start_month=p.start_month)
    if lv.training is not None:
        t = lv.training
        raw.update(fcr_gain_pts=t.fcr_gain_pts, training_cost_per_agent=t.cost_per_agent,
                   training_cost_per_month=t.cost_per_month, training_start_month=t.start_month)
    extended = [e for e in lv.extended_hours if e.site == main]
    if len(extended) != len(lv.extended_hours) or len(extended) > 1:
        notes.append(f"Only one extension of hours, at {main}, is a control; the others are left out.")
    if extended:
        e = extended[0]
        raw.update(extra_hours_per_day=e.extra_hours_per_day, weekend_days=e.weekend_days,
                   shift_premium_pct=e.shift_premium_pct, extended_start_month=e.start_month)
    for name, r in scenario.assumptions.items():
        raw[f"{RANGE_PREFIX}{name}"] = range_text(r.low, r.high)
    for field in RISK_FIELD_OF_LINE.values():
        raw[f"risk_{field}"] = getattr(scenario.risk, field)
    values, problems_found = read_values(raw, book)
    return values, notes + problems_found
