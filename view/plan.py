"""A plan: the actions beyond the Scenario page's levers, each with its own start month, as the link carries them.

The levers on the Scenario page are one action of each kind (hire at the first site, one centre, ...);
a plan adds more: hires and releases at any site, agents moved between sites, more centres, a site's
new hours. The plan travels as compact JSON text (``[{"do":"hire","site":"Warsaw","agents":3,
"month":6}, ...]``): at most :data:`MAX_ACTIONS` actions of bounded fields, so a link stays a few
thousand characters at most. Text from a link is checked field by field against the company; what
cannot be used is named and left out, the rest of the plan is kept. Pure: no Streamlit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from model import Company, HireAgents, RegionalCentre, SiteHours

MAX_ACTIONS = 8
MAX_TEXT = 6_000                     # characters of plan text read from a link
NAME_MAX = 40
DAYS = {"Mon-Fri": (0, 1, 2, 3, 4), "Mon-Sat": (0, 1, 2, 3, 4, 5), "Every day": (0, 1, 2, 3, 4, 5, 6)}
NEAREST, NO_REGION = "Nearest region", "No region (shares the queue)"
RAMP_MONTHS = 3.0


@dataclass(frozen=True)
class Field:
    """One value of an action: its key in the text, label, kind ("site", "int", "float", "days", "text",
    "region") and range."""

    key: str
    label: str
    kind: str
    default: Any
    low: float = 0.0
    high: float = 0.0
    step: float = 1.0
    help: str = ""


MONTH = Field("month", "Start month", "int", 0, 0, 24, 1, "Month the action takes effect (0 = first month).")
KINDS: dict[str, tuple[str, tuple[Field, ...]]] = {
    "hire": ("Hire or release agents at a site", (
        Field("site", "Site", "site", ""),
        Field("agents", "Agents (negative: leavers not replaced)", "int", 2, -20, 30, 1,
              "New agents reach full capacity over 3 months; each costs the recruiting amount of the hire lever."),
        MONTH)),
    "move": ("Move agents from one site to another", (
        Field("from", "From", "site", ""), Field("to", "To", "site", ""),
        Field("agents", "Agents", "int", 2, 1, 30, 1, "Agents who change site: they cost what the new site's "
                                                       "agents cost and ramp up there over 3 months."),
        MONTH)),
    "centre": ("Open another centre", (
        Field("name", "Name", "text", "Second centre"),
        Field("utc", "Time zone (UTC offset, hours)", "float", 8.0, -12, 14, 0.5),
        Field("agents", "Headcount", "int", 3, 1, 50, 1),
        Field("opens", "Opens at (local hour)", "int", 9, 0, 23, 1),
        Field("closes", "Closes at (local hour)", "int", 17, 1, 24, 1),
        Field("days", "Open days", "days", "Mon-Fri"),
        Field("cost", "Loaded cost per agent-month", "float", 0.0, 0, 1e7, 100,
              "0 here means: the first site's loaded cost per agent-month."),
        Field("setup", "Set-up cost (one-off)", "float", 0.0, 0, 5e7, 1000,
              "0 here means: ten months of the first site's loaded cost per agent."),
        Field("serves", "Serves first", "region", NEAREST),
        MONTH)),
    "hours": ("Change a site's hours", (
        Field("site", "Site", "site", ""),
        Field("opens", "Opens at (local hour)", "int", 8, 0, 23, 1),
        Field("closes", "Closes at (local hour)", "int", 16, 1, 24, 1),
        Field("days", "Open days", "days", "Mon-Fri"),
        MONTH)),
}


def _where(i: int, kind: str) -> str:
    return f"Plan action {i + 1} ({KINDS[kind][0].lower()})" if kind in KINDS else f"Plan action {i + 1}"


def _value(f: Field, raw: Any, company: Company) -> Any:
    """The field's value from ``raw``, or ValueError saying what is wrong."""
    sites = [s.name for s in company.sites]
    if f.kind in ("site", "days", "region", "text") and not isinstance(raw, str):
        raise ValueError(f"{f.label.lower()}: expected text")
    if f.kind == "site":
        if raw not in sites:
            raise ValueError(f"'{str(raw)[:40]}' is not a site of {company.name[:40]} ({', '.join(sites)[:120]})")
        return raw
    if f.kind == "days":
        if raw not in DAYS:
            raise ValueError(f"open days must be one of {', '.join(DAYS)}")
        return raw
    if f.kind == "region":
        regions = [r.name for r in company.regions]
        if raw not in (NEAREST, NO_REGION, *regions):
            raise ValueError(f"'{str(raw)[:40]}' is not a customer region of {company.name[:40]}")
        return raw
    if f.kind == "text":
        if not isinstance(raw, str) or not raw.strip() or len(raw) > NAME_MAX:
            raise ValueError(f"{f.label.lower()}: 1 to {NAME_MAX} characters")
        return raw.strip()
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(f"{f.label.lower()}: expected a number")
    try:
        value = float(raw)
    except OverflowError:
        raise ValueError(f"{f.label.lower()}: expected {f.low:g} to {f.high:g}") from None
    if not math.isfinite(value) or not f.low <= value <= f.high:
        raise ValueError(f"{f.label.lower()}: expected {f.low:g} to {f.high:g}")
    if f.kind == "int" and not value.is_integer():
        raise ValueError(f"{f.label.lower()}: expected a whole number")
    steps = (value - f.low) / f.step
    if abs(steps - round(steps)) > 1e-9:
        raise ValueError(f"{f.label.lower()}: expected a step of {f.step:g}")
    return int(value) if f.kind == "int" else value


def parse(text: str, company: Company) -> tuple[list[dict[str, Any]], list[str]]:
    """The actions ``text`` describes for ``company``, and a message for each one (or field) left out."""
    if not text:
        return [], []
    if len(text) > MAX_TEXT:
        return [], [f"The plan in the link is {len(text):,} characters; at most {MAX_TEXT:,} are read."]
    try:
        raw = json.loads(text)
    except ValueError:
        return [], ["The plan in the link is not readable (expected a list of actions)."]
    if not isinstance(raw, list):
        return [], ["The plan in the link is not a list of actions."]
    problems = []
    if len(raw) > MAX_ACTIONS:
        problems.append(f"The plan has {len(raw)} actions; the first {MAX_ACTIONS} are used.")
    actions = []
    for i, item in enumerate(raw[:MAX_ACTIONS]):
        kind = item.get("do") if isinstance(item, dict) else None
        if not isinstance(kind, str) or kind not in KINDS:
            problems.append(f"{_where(i, '')}: not an action ({', '.join(KINDS)}); left out.")
            continue
        action: dict[str, Any] = {"do": kind}
        try:
            for f in KINDS[kind][1]:
                action[f.key] = _value(f, item.get(f.key, f.default), company)
        except ValueError as exc:
            problems.append(f"{_where(i, kind)}: {exc}; left out.")
            continue
        if kind == "move" and action["from"] == action["to"]:
            problems.append(f"{_where(i, kind)}: from and to are the same site; left out.")
            continue
        if kind in ("centre", "hours") and action["opens"] == action["closes"]:
            problems.append(f"{_where(i, kind)}: opens and closes at the same hour; left out.")
            continue
        actions.append(action)
    return actions, problems


def text_of(actions: list[dict[str, Any]]) -> str:
    """The plan as the link carries it ("" for no action)."""
    return json.dumps(actions, separators=(",", ":"), ensure_ascii=False) if actions else ""


def compact(text: str) -> str:
    """The plan's text without the spaces JSON allows (a typed plan and the link's compare equal); as it is if not
    JSON."""
    try:
        return text_of(json.loads(text)) if text.strip() else ""
    except (ValueError, TypeError, RecursionError):
        return text


def new_action(kind: str, company: Company) -> dict[str, Any]:
    """An action of ``kind`` with its defaults on ``company`` (its sites, its first site's hours)."""
    action: dict[str, Any] = {"do": kind}
    sites = [s.name for s in company.sites]
    for f in KINDS[kind][1]:
        action[f.key] = f.default
    if kind == "hire" or kind == "hours":
        action["site"] = sites[0]
    if kind == "move":
        action["from"], action["to"] = sites[0], sites[-1] if len(sites) > 1 else sites[0]
    if kind == "hours":
        first = company.sites[0]
        action["opens"], action["closes"] = int(first.open_h), int(first.close_h)
    return action


def serves_first(choice: str, utc_offset_h: float, company: Company) -> tuple[str, ...]:
    """The regions a centre answers first: the region ``choice`` names, none (:data:`NO_REGION`), or
    (:data:`NEAREST`) the region whose time zone is closest to ``utc_offset_h`` around the clock."""
    names = [r.name for r in company.regions]
    if choice == NO_REGION:
        return ()
    if choice in names:
        return (choice,)
    gap = [min(abs(r.utc_offset_h - utc_offset_h), 24.0 - abs(r.utc_offset_h - utc_offset_h))
           for r in company.regions]
    return (names[gap.index(min(gap))],)


def region_choices(company: Company) -> list[str]:
    """What a centre may answer first on ``company``: the nearest region, any region, or none."""
    return [NEAREST, *(r.name for r in company.regions), NO_REGION]


@dataclass(frozen=True)
class PlanLevers:
    """The model's levers a plan adds to the Scenario page's."""

    hires: tuple[HireAgents, ...] = ()
    centres: tuple[RegionalCentre, ...] = ()
    site_hours: tuple[SiteHours, ...] = ()


def levers_of(actions: list[dict[str, Any]], company: Company, hiring_cost_per_agent: float,
              taken: tuple[str, ...] = ()) -> PlanLevers:
    """The levers of ``actions`` on ``company``; ``taken``: site names already used (a centre's name is made
    unique against them)."""
    hires, centres, hours = [], [], []
    base_cost = company.sites[0].loaded_cost_per_agent_month
    names = {s.name for s in company.sites} | set(taken)
    for a in actions:
        if a["do"] == "hire":
            hires.append(HireAgents(a["site"], float(a["agents"]), a["month"], RAMP_MONTHS,
                                    hiring_cost_per_agent if a["agents"] > 0 else 0.0))
        elif a["do"] == "move":
            hires.append(HireAgents(a["from"], -float(a["agents"]), a["month"], 0.0, 0.0))
            hires.append(HireAgents(a["to"], float(a["agents"]), a["month"], RAMP_MONTHS, 0.0))
        elif a["do"] == "centre":
            name, n = a["name"], 2
            while name in names:
                name, n = f"{a['name']} ({n})", n + 1
            names.add(name)
            centres.append(RegionalCentre(
                name, a["utc"], float(a["opens"]), float(a["closes"]), DAYS[a["days"]], float(a["agents"]),
                a["cost"] or base_cost, a["setup"] or 10.0 * base_cost, start_month=a["month"],
                serves=serves_first(a["serves"], a["utc"], company)))
        elif a["do"] == "hours":
            hours.append(SiteHours(a["site"], float(a["opens"]), float(a["closes"]), DAYS[a["days"]], a["month"]))
    return PlanLevers(tuple(hires), tuple(centres), tuple(hours))


def describe(action: Mapping[str, Any]) -> str:
    """An action in a few words, for the case sentence: ``hiring 3 agents in Warsaw from month 6``."""
    month = f"from month {action['month']}"
    if action["do"] == "hire":
        n = action["agents"]
        if n == 0:
            return f"no change of headcount in {action['site']}"
        what = f"hiring {n} agent{'s' if n != 1 else ''}" if n > 0 else f"releasing {-n} agent{'s' if n != -1 else ''}"
        return f"{what} in {action['site']} {month}"
    if action["do"] == "move":
        return f"moving {action['agents']} agents from {action['from']} to {action['to']} {month}"
    if action["do"] == "centre":
        return f"opening {action['name']} (UTC{action['utc']:+g}, {action['agents']} agents) {month}"
    return f"opening {action['site']} {action['opens']}-{action['closes']} {action['days']} {month}"
