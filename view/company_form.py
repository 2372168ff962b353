"""The company as the user describes it: a draft of values as typed, and the check that turns it into a Company.

A :class:`Draft` holds what the form shows, in the units a manager thinks in (percents as 0-100,
hours, minutes, money a month in the company's currency), including empty cells and values out of
range. :func:`check` names every problem by its field (and row) and returns the
:class:`~model.Company` only when there is none; it never raises and never drops what was typed.
A draft round-trips through plain JSON (:func:`draft_to_dict`, :func:`draft_from_dict`), so the
store keeps unfinished work too. Parts the form does not show (the CSAT curve of each channel, the
arrival profile, the experience classes) are carried over from the company the draft started from.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from model import (
    CHANNEL_NAMES,
    CHAT_CURVE,
    CURRENCIES,
    EMAIL_CURVE,
    PHONE_CURVE,
    SOURCES,
    ArrivalProfile,
    Channel,
    Company,
    CsatCurve,
    ExperienceClasses,
    Region,
    Site,
    to_dict,
)

NAME_MAX = 100            # characters of a company, region or site name
DESCRIPTION_MAX = 500
DRAFT_TEXT_MAX = 20_000   # a draft keeps longer text as typed, up to this, so the message can say what is wrong
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CURVE_OF_CHANNEL = {"email": EMAIL_CURVE, "chat": CHAT_CURVE, "phone": PHONE_CURVE}
CHANNEL_TITLES = {"email": "e-mail", "chat": "chat", "phone": "phone"}


@dataclass(frozen=True)
class Field:
    """One entry of the form: where it goes in the Company, how it is shown and what it may be."""

    key: str
    label: str
    unit: str
    min: float
    max: float
    help: str
    blank: float | None = None      # the blank form's value: None where only the user can know it
    percent: bool = False           # typed as 0-100, kept as a fraction
    text: bool = False
    options: tuple[str, ...] = ()
    flag: bool = False              # a yes/no cell (a checkbox)

    def shown(self, value: float) -> float:
        return value * 100.0 if self.percent else value

    def stored(self, value: float) -> float:
        return value / 100.0 if self.percent else value


COMPANY_FIELDS: tuple[Field, ...] = (
    Field("customers", "Customers today", "customers", 1, 1e9,
          "Paying customers (accounts) active today."),
    Field("new_customers_per_month", "New customers a month", "customers a month", 0, 1e8,
          "Customers won in an average month, before referrals from support."),
    Field("arpu_per_month", "Revenue per customer a month (ARPU)", "money a month", 0.01, 1e9,
          "Average recurring revenue per customer and month, in the company's currency."),
    Field("gross_margin_pct", "Gross margin", "%", 0, 100,
          "Share of revenue left after the cost of serving it; benefits are counted at margin. "
          + SOURCES["margin"], percent=True),
    Field("churn_monthly_pct", "Churn a month", "% of customers", 0, 99.9,
          "Share of customers who leave in an average month. " + SOURCES["churn"], percent=True),
    Field("expansion_monthly_pct", "Expansion a month", "% of revenue", 0, 100,
          "Revenue added by existing customers in a month (upgrades, seats), as a share of revenue. "
          + SOURCES["expansion"], blank=0.5, percent=True),
    Field("referral_rate_per_month", "Referrals a month", "% of customers", 0, 100,
          "New customers brought by existing customers' recommendations in a month, per 100 customers.",
          blank=0.1, percent=True),
    Field("nps_today", "NPS today", "points, -100 to 100", -100, 100,
          "Net promoter score: share of promoters minus share of detractors."),
    Field("csat_today_pct", "CSAT today", "% satisfied", 1, 99,
          "Share of satisfied ratings of support conversations today.", percent=True),
    Field("contact_rate_per_customer_month", "Contacts a month per customer", "contacts", 0, 100,
          "Support contacts per customer and month (tickets, chats, calls). " + SOURCES["contact_rate"]),
    Field("first_contact_resolution_pct", "First-contact resolution", "%", 0, 100,
          "Share of issues solved in the first contact; the others come back once more. "
          + SOURCES["fcr_to_csat"], blank=70.0, percent=True),
)

REGION_COLUMNS: tuple[Field, ...] = (
    Field("name", "Region", "", 0, 0, "Where these customers are, e.g. Europe or US East.", text=True),
    Field("utc_offset_h", "UTC offset (h)", "hours", -12, 14,
          "The region's time zone as hours from UTC, e.g. -5 New York, 1 Warsaw, 8 Singapore.", blank=0.0),
    Field("share_pct", "Share of customers (%)", "%", 0, 100,
          "Share of customers in this region; the shares add to 100 %.", percent=True),
    Field("business_open_h", "Business day from (h)", "local hour", 0, 23.75,
          "Start of the region's business day, for 'first response in business hours'.", blank=9.0),
    Field("business_close_h", "Business day to (h)", "local hour", 0.25, 24,
          "End of the region's business day.", blank=17.0),
)

CHANNEL_COLUMNS: tuple[Field, ...] = (
    Field("name", "Channel", "", 0, 0, "e-mail, chat or phone.", text=True, options=CHANNEL_NAMES),
    Field("share_pct", "Share of contacts (%)", "%", 0, 100,
          "Share of contacts on this channel; the shares add to 100 %.", percent=True),
    Field("handle_time_min", "Handle time (min)", "minutes", 0.1, 600,
          "Agent time per contact. " + SOURCES["handle_time"]),
    Field("target_response_h", "Response target (h)", "hours", 0.001, 720,
          "First-response target: e.g. 4 for e-mail, 0.083 (5 min) for chat, 0.0056 (20 s) for phone."),
    Field("concurrency", "Chats at once", "conversations", 1, 3,
          "Conversations an agent handles at once (chat only; 1 elsewhere). " + SOURCES["concurrency"],
          blank=1.0),
)

SITE_COLUMNS: tuple[Field, ...] = (
    Field("name", "Site", "", 0, 0, "Where the agents work, e.g. Warsaw.", text=True),
    Field("utc_offset_h", "UTC offset (h)", "hours", -12, 14, "The site's time zone as hours from UTC.", blank=0.0),
    Field("open_h", "Opens (h)", "local hour", 0, 23.75, "Local opening hour, e.g. 8 or 8.5.", blank=9.0),
    Field("close_h", "Closes (h)", "local hour", 0.25, 24,
          "Local closing hour; one before the opening hour is a night shift ending the next morning.", blank=17.0),
    Field("open_days", "Open days", "", 0, 0, "Mon-Fri, Mon-Sat, Every day, Sun-Thu, or days such as Mon, Wed, Fri.",
          text=True),
    Field("headcount", "Agents", "agents", 0, 10_000, "Agents employed at the site (full-time equivalents)."),
    Field("shrinkage_pct", "Shrinkage (%)", "%", 0, 95,
          "Paid time not available for contacts: leave, training, meetings. " + SOURCES["shrinkage_pct"],
          blank=30.0, percent=True),
    Field("loaded_cost_per_agent_month", "Cost per agent-month", "money a month", 0, 1e7,
          "Wage plus benefits and overhead per agent and month, in the company's currency. "
          + SOURCES["loaded_cost_per_agent_month"]),
    Field("serves", "Serves first", "", 0, 0,
          "Customer regions whose tickets this site answers first, separated by commas (e.g. Europe, Asia). "
          "Regions no site names are answered first by the first site.", text=True),
    Field("helps_others", "Helps other sites", "", 0, 0,
          "Ticked: when its own regions' tickets are all answered, its agents take the other sites' tickets.",
          flag=True),
)

TABLES: dict[str, tuple[str, tuple[Field, ...]]] = {
    "regions": ("Customer regions", REGION_COLUMNS),
    "channels": ("Channels", CHANNEL_COLUMNS),
    "sites": ("Support sites", SITE_COLUMNS),
}


@dataclass(frozen=True)
class Problem:
    """Something the draft cannot be used with: where (``"Sites, row 2 (Warsaw), Opens (h)"``) and why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Draft:
    """The form as typed. ``values`` by Company field, tables as lists of rows keyed by column key."""

    name: str
    description: str
    currency: str
    values: dict[str, Any]
    regions: list[dict[str, Any]]
    channels: list[dict[str, Any]]
    sites: list[dict[str, Any]]
    carried: dict[str, Any] = field(default_factory=dict)   # arrival profile, classes, CSAT curves (JSON)


# --------------------------------------------------------------------------- open days


def parse_days(text: Any) -> tuple[int, ...]:
    """``"Mon-Fri"`` -> ``(0, 1, 2, 3, 4)``; ``"Sun-Thu"`` wraps; ``"Every day"``, ``"Mon, Wed"``; else ValueError."""
    raw = str(text if text is not None else "").strip().lower()
    if raw in ("every day", "daily", "all", "mon-sun"):
        return tuple(range(7))
    if not raw:
        raise ValueError("name the open days, e.g. Mon-Fri")
    names = [d.lower() for d in DAY_NAMES]
    normalised = re.sub(r"\s*[-–]\s*", "-", raw)
    days: list[int] = []
    for part in [p for p in re.split(r"[,;/\s]+", normalised) if p]:
        ends = [e[:3] for e in part.split("-")]
        if len(ends) > 2 or not all(e in names for e in ends):
            raise ValueError(f"'{str(text)[:30]}' is not a list of days; write e.g. Mon-Fri, Sun-Thu or Mon, Wed, Fri")
        first, last = names.index(ends[0]), names.index(ends[-1])
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        days += [d for d in span if d not in days]
    return tuple(sorted(days))


def days_text(days: tuple[int, ...]) -> str:
    """``(0, 1, 2, 3, 4)`` -> ``"Mon-Fri"``; ``(6, 0, 1, 2, 3)`` -> ``"Sun-Thu"``; else the days listed."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return "Every day"
    for start in range(7):
        run = [(start + i) % 7 for i in range(len(chosen))]
        if sorted(run) == chosen and len(chosen) > 2:
            return f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in chosen)


# --------------------------------------------------------------------------- drafts


def draft_of(company: Company, currency: str) -> Draft:
    """The form filled with ``company`` as it is, amounts in ``currency``."""
    def row(obj: Any, columns: tuple[Field, ...]) -> dict[str, Any]:
        out = {}
        for col in columns:
            value = getattr(obj, col.key)
            if col.key == "open_days":
                out[col.key] = days_text(value)
            elif col.key == "serves":
                out[col.key] = ", ".join(value)
            else:
                out[col.key] = value if col.text or col.flag else col.shown(value)
        return out

    return Draft(
        name=company.name, description=company.description, currency=currency,
        values={f.key: f.shown(getattr(company, f.key)) for f in COMPANY_FIELDS},
        regions=[row(r, REGION_COLUMNS) for r in company.regions],
        channels=[row(c, CHANNEL_COLUMNS) for c in company.channels],
        sites=[row(s, SITE_COLUMNS) for s in company.sites],
        carried=_carried(company),
    )


def blank_draft(currency: str = "USD") -> Draft:
    """A form with nothing about any company in it: only defaults that have a published source are filled."""
    def blank_row(columns: tuple[Field, ...], **given: Any) -> dict[str, Any]:
        return {c.key: given.get(c.key, True if c.flag else "" if c.text else c.blank) for c in columns}

    return Draft(
        name="", description="", currency=currency,
        values={f.key: f.blank for f in COMPANY_FIELDS},
        regions=[blank_row(REGION_COLUMNS, share_pct=100.0)],
        channels=[blank_row(CHANNEL_COLUMNS, name="email", share_pct=100.0, target_response_h=24.0,
                            handle_time_min=None)],
        sites=[blank_row(SITE_COLUMNS, open_days="Mon-Fri", headcount=None, loaded_cost_per_agent_month=None)],
    )


def _carried(company: Company) -> dict[str, Any]:
    return {"arrival_profile": to_dict(company.arrival_profile), "classes": to_dict(company.classes),
            "csat_curves": {c.name: to_dict(c.csat_curve) for c in company.channels}}


def draft_to_dict(draft: Draft) -> dict[str, Any]:
    """Plain JSON: numbers as numbers or None (NaN and infinities become None), text as text."""
    def clean(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value

    return {"name": draft.name, "description": draft.description, "currency": draft.currency,
            "values": {k: clean(v) for k, v in draft.values.items()},
            **{t: [{k: clean(v) for k, v in r.items()} for r in getattr(draft, t)] for t in TABLES},
            "carried": draft.carried}


def draft_from_dict(data: Any) -> Draft:
    """The draft a :func:`draft_to_dict` wrote; unknown keys are left out, missing ones start blank."""
    blank = blank_draft()
    if not isinstance(data, dict):
        return blank
    def text(value: Any, limit: int) -> str:
        return str(value)[:limit] if isinstance(value, (str, int, float)) else ""

    def rows(value: Any, columns: tuple[Field, ...]) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            return []
        keys = {c.key for c in columns}
        return [{k: v for k, v in r.items() if k in keys and isinstance(v, (str, int, float, type(None)))}
                for r in value[:200] if isinstance(r, dict)]

    values = data.get("values") if isinstance(data.get("values"), dict) else {}
    return Draft(
        name=text(data.get("name", ""), DRAFT_TEXT_MAX),
        description=text(data.get("description", ""), DRAFT_TEXT_MAX),
        currency=data.get("currency") if data.get("currency") in CURRENCIES else blank.currency,
        values={f.key: values.get(f.key, f.blank) for f in COMPANY_FIELDS
                if isinstance(values.get(f.key, f.blank), (int, float, str, type(None)))},
        regions=rows(data.get("regions"), REGION_COLUMNS), channels=rows(data.get("channels"), CHANNEL_COLUMNS),
        sites=rows(data.get("sites"), SITE_COLUMNS),
        carried=data.get("carried") if isinstance(data.get("carried"), dict) else {},
    )


# --------------------------------------------------------------------------- the check


def _number(value: Any) -> float | None:
    """A cell as a number: None when empty; ValueError when it is text that is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        number = float(value.replace(",", ".").replace("%", "").strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{str(value)[:20]}' is not a number") from None
    if math.isnan(number):
        return None
    if not math.isfinite(number):
        raise ValueError("expected a finite number")
    return number


def _value(f: Field, raw: Any, where: str, problems: list[Problem], *, required: bool = True) -> float | None:
    try:
        number = _number(raw)
    except ValueError as exc:
        problems.append(Problem(where, str(exc)))
        return None
    if number is None:
        if required:
            problems.append(Problem(where, "needs a value" + (f" ({f.unit})" if f.unit else "")))
        return None
    if not f.min <= number <= f.max:
        problems.append(Problem(where, f"{number:g} is outside {f.min:g} to {f.max:g}" + (" %" if f.percent else "")))
        return None
    return f.stored(number)


def _name(raw: Any, where: str, problems: list[Problem], *, required: bool = True) -> str:
    name = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
    if not name and required:
        problems.append(Problem(where, "needs a name"))
    elif len(name) > NAME_MAX:
        problems.append(Problem(where, f"at most {NAME_MAX} characters (this one has {len(name):,})"))
    return name[:NAME_MAX]


def _row_where(title: str, i: int, row: dict[str, Any]) -> str:
    name = row.get("name")
    named = f" ({str(name)[:30]})" if isinstance(name, str) and name.strip() else ""
    return f"{title}, row {i + 1}{named}"


def _shares(title: str, rows: list[float | None], problems: list[Problem]) -> None:
    known = [s for s in rows if s is not None]
    if len(known) == len(rows) and rows and abs(sum(known) - 1.0) > 1e-6:
        problems.append(Problem(title, f"the shares add to {sum(known) * 100:g} %, not 100 %"))


def _serves(value: Any, regions: dict[str, str], where: str, problems: list[Problem]) -> tuple[str, ...]:
    """Region names typed as ``Europe, Asia`` (any case), as the regions table spells them."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    names = [n.strip() for n in str(value).replace(";", ",").split(",") if n.strip()]
    unknown = [n for n in names if n.casefold() not in regions]
    if unknown and regions:
        problems.append(Problem(where, f"{', '.join(repr(n[:30]) for n in unknown[:3])} "
                                       f"{'is' if len(unknown) == 1 else 'are'} not in the customer regions "
                                       f"({', '.join(list(regions.values())[:6])})"))
    return tuple(dict.fromkeys(regions[n.casefold()] for n in names if n.casefold() in regions))


def _routing_problems(sites: list[tuple[str, dict[str, Any]]], regions: list[str], problems: list[Problem]) -> None:
    """A region answered first by two sites, or a site whose agents would answer nothing."""
    first: dict[str, str] = {}
    for where, cells in sites:
        for region in cells["serves"]:
            if region in first:
                problems.append(Problem(f"{where}, Serves first", f"{region} is already served first by "
                                                                  f"{first[region][:30]}; name it at one site"))
            first.setdefault(region, str(cells.get("name") or where))
    unclaimed = [r for r in regions if r not in first]
    for i, (where, cells) in enumerate(sites):
        answers_own = bool(cells["serves"]) or (i == 0 and bool(unclaimed))       # the first site takes the rest
        if not answers_own and not cells["helps_others"]:
            problems.append(Problem(f"{where}, Helps other sites", "serves no region first and does not help: "
                                                                   "its agents would answer no ticket"))


def check(draft: Draft) -> tuple[Company | None, list[Problem]]:
    """The Company the draft describes, or None and every problem, each naming its field (never raises)."""
    problems: list[Problem] = []
    name = _name(draft.name, "Company name", problems)
    if len(draft.description) > DESCRIPTION_MAX:
        problems.append(Problem("Description", f"at most {DESCRIPTION_MAX} characters (this one has "
                                                f"{len(draft.description):,})"))
    if draft.currency not in CURRENCIES:
        problems.append(Problem("Currency", f"choose one of {', '.join(CURRENCIES)}"))
    values = {f.key: _value(f, draft.values.get(f.key), f.label, problems) for f in COMPANY_FIELDS}

    regions, region_shares = [], []
    for i, row in enumerate(draft.regions):
        where = _row_where("Customer regions", i, row)
        cells = {c.key: (_name(row.get(c.key), f"{where}, {c.label}", problems) if c.text
                         else _value(c, row.get(c.key), f"{where}, {c.label}", problems)) for c in REGION_COLUMNS}
        region_shares.append(cells["share_pct"])
        regions.append((where, cells))
    _shares("Customer regions", region_shares, problems)

    channels, channel_shares = [], []
    for i, row in enumerate(draft.channels):
        where = _row_where("Channels", i, row)
        raw = str(row.get("name") or "").strip().lower().replace("-", "")
        # Chats at once means something on chat only: a row of another channel may leave it empty (it is 1 there).
        cells = {c.key: _value(c, row.get(c.key), f"{where}, {c.label}", problems,
                               required=c.key != "concurrency" or raw == "chat")
                 for c in CHANNEL_COLUMNS if not c.text}
        cells["name"] = raw if raw in CHANNEL_NAMES else None
        if cells["name"] is None:
            problems.append(Problem(f"{where}, Channel", f"choose e-mail, chat or phone (not '{raw[:20]}')"))
        channel_shares.append(cells["share_pct"])
        channels.append((where, cells))
    _shares("Channels", channel_shares, problems)

    sites = []
    region_names = {str(cells["name"]).casefold(): cells["name"] for _, cells in regions if cells.get("name")}
    for i, row in enumerate(draft.sites):
        where = _row_where("Support sites", i, row)
        cells = {c.key: _value(c, row.get(c.key), f"{where}, {c.label}", problems)
                 for c in SITE_COLUMNS if not (c.text or c.flag)}
        cells["name"] = _name(row.get("name"), f"{where}, Site", problems)
        cells["serves"] = _serves(row.get("serves"), region_names, f"{where}, Serves first", problems)
        cells["helps_others"] = row.get("helps_others") is not False
        try:
            cells["open_days"] = parse_days(row.get("open_days"))
        except ValueError as exc:
            problems.append(Problem(f"{where}, Open days", str(exc)))
            cells["open_days"] = None
        if cells["open_h"] is not None and cells["open_h"] == cells["close_h"]:
            problems.append(Problem(f"{where}, Opens (h)", "opens and closes at the same hour; for a site "
                                                           "open all day write 0 and 24"))
        sites.append((where, cells))

    _routing_problems(sites, list(region_names.values()), problems)
    for title, rows in (("Customer regions", regions), ("Channels", channels), ("Support sites", sites)):
        if not rows:
            problems.append(Problem(title, "add at least one row"))
        names = [cells["name"] for _, cells in rows if cells.get("name")]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            problems.append(Problem(title, f"names must not repeat: {', '.join(str(n)[:30] for n in repeated)}"))
    if problems:
        money = f"{draft.currency} a month" if draft.currency in CURRENCIES else "a month"
        return None, [replace(p, message=p.message.replace("money a month", money)) for p in problems]

    carried = draft.carried
    try:
        curves = {k: _build_curve(v) for k, v in carried.get("csat_curves", {}).items()}
        company = Company(
            name=name, description=draft.description.strip(), **values,
            channels=tuple(Channel(c["name"], c["share_pct"], c["handle_time_min"], c["target_response_h"],
                                   curves.get(c["name"], CURVE_OF_CHANNEL[c["name"]]),
                                   c["concurrency"] if c["name"] == "chat" else 1.0) for _, c in channels),
            regions=tuple(Region(**c) for _, c in regions),
            sites=tuple(Site(**c) for _, c in sites),
            arrival_profile=ArrivalProfile(**carried["arrival_profile"]) if "arrival_profile" in carried
            else ArrivalProfile(),
            classes=ExperienceClasses(**carried["classes"]) if "classes" in carried else ExperienceClasses(),
        )
    except (TypeError, ValueError, KeyError) as exc:     # a rule the form does not check itself
        return None, [Problem("Company", str(exc))]
    return company, []


def _build_curve(value: dict[str, Any]) -> CsatCurve:
    return CsatCurve(**value)


def has_amounts(draft: Draft) -> bool:
    """True when any amount (ARPU, a site's cost) is typed: changing the currency then needs a decision."""
    cells = [draft.values.get("arpu_per_month"), *(r.get("loaded_cost_per_agent_month") for r in draft.sites)]
    return any(c not in (None, "") and not (isinstance(c, float) and math.isnan(c)) for c in cells)


def with_currency(draft: Draft, currency: str, rate: float | None) -> Draft:
    """The draft in another currency: amounts times ``rate`` (units of the new currency per old), or, with
    ``rate=None``, the same numbers under the new label."""
    if rate is None:
        return replace(draft, currency=currency)
    money_fields = {"arpu_per_month"}
    def scaled(value: Any) -> Any:
        try:
            number = _number(value)
        except ValueError:
            return value
        return value if number is None else number * rate

    values = {k: scaled(v) if k in money_fields else v for k, v in draft.values.items()}
    sites = [{**r, "loaded_cost_per_agent_month": scaled(r.get("loaded_cost_per_agent_month"))} for r in draft.sites]
    return replace(draft, currency=currency, values=values, sites=sites)


def fill_from(draft: Draft, measured: dict[str, float]) -> tuple[Draft, list[str]]:
    """The draft with the figures measured from the uploads written in (Company field names, fractions as
    fractions; ``share_pct:<channel>`` for channel shares), and the labels of the fields filled."""
    by_key = {f.key: f for f in COMPANY_FIELDS}
    values, filled = dict(draft.values), []
    for key, value in measured.items():
        if key in by_key and math.isfinite(value):
            values[key] = round(by_key[key].shown(value), 6)
            filled.append(by_key[key].label)
    channels = []
    for row in draft.channels:
        share = measured.get(f"share_pct:{str(row.get('name', '')).lower()}")
        if share is not None and math.isfinite(share):
            row = {**row, "share_pct": round(share * 100.0, 4)}
            filled.append(f"share of {CHANNEL_TITLES.get(str(row['name']), row['name'])}")
        channels.append(row)
    return replace(draft, values=values, channels=channels), filled


def with_sites(draft: Draft, guesses: list[Any]) -> Draft:
    """The draft with the sites the ticket export shows (:func:`calibration.infer_sites`) as its site rows.

    Time zones are guesses to confirm; each site keeps the shrinkage and cost of the draft's first site, if any."""
    first = draft.sites[0] if draft.sites else {}
    rows = [{"name": f"Site {i + 1}", "utc_offset_h": g.utc_offset_h, "open_h": g.open_h, "close_h": g.close_h,
             "open_days": days_text(g.open_days) if g.open_days else "", "headcount": float(len(g.agents)),
             "shrinkage_pct": first.get("shrinkage_pct", 30.0),
             "loaded_cost_per_agent_month": first.get("loaded_cost_per_agent_month")}
            for i, g in enumerate(guesses)]
    return replace(draft, sites=rows)
