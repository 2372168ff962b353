"""Parameters of the model: the company as it is today, the levers, the scenario.

Every dataclass is frozen and validated on construction, so a Scenario that exists is a
Scenario the engine can run. Units live in the names: ``_h`` hours, ``_min`` minutes,
``_pct`` fractions in [0, 1], ``_per_month`` monthly flows, money in the scenario's currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from model.ai_agent.lever import AIAgent
from model.checks import check as _check
from model.uncertainty import Range
from model.weekgrid import WEEKS_PER_MONTH

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MON_FRI = (0, 1, 2, 3, 4)
CHANNEL_NAMES = ("email", "chat", "phone")
LIVE_CHANNELS = frozenset({"chat", "phone"})
CURRENCIES = ("USD", "EUR", "GBP", "PLN", "HUF", "RUB", "SEK", "NOK", "DKK")
CONTRACT_HOURS_PER_WEEK = 40.0
PAID_HOURS_PER_MONTH = CONTRACT_HOURS_PER_WEEK * WEEKS_PER_MONTH


def _check_pct(value: float, name: str) -> None:
    _check(0.0 <= value <= 1.0, f"{name} must be a fraction in [0, 1], got {value!r}")


def _check_nonneg(value: float, name: str) -> None:
    _check(value >= 0.0, f"{name} must be zero or more, got {value!r}")


def open_hours_per_day(open_h: float, close_h: float) -> float:
    """Hours open from ``open_h`` to ``close_h``; a close before the opening runs past midnight."""
    return close_h - open_h if close_h > open_h else close_h + 24.0 - open_h


def _check_hours(open_h: float, close_h: float, days: tuple[int, ...], name: str) -> None:
    _check(0.0 <= open_h < 24.0 and 0.0 < close_h <= 24.0,
           f"{name}: opening hour must be 0 to 23 and closing hour 1 to 24")
    _check(open_h != close_h, f"{name}: opening and closing hour are the same")
    _check(all(d in range(7) for d in days), f"{name}: open days must be 0 (Mon) to 6 (Sun)")
    _check(len(set(days)) == len(days), f"{name}: open days must not repeat")


@dataclass(frozen=True)
class Region:
    """Where customers live: a share of the customer base in one time zone.

    Business hours (local) define the "written in business hours" first-response figures.
    """

    name: str
    utc_offset_h: float
    share_pct: float
    business_open_h: float = 9.0
    business_close_h: float = 17.0

    def __post_init__(self) -> None:
        _check(-12.0 <= self.utc_offset_h <= 14.0, f"region {self.name}: UTC offset out of range")
        _check_pct(self.share_pct, f"region {self.name}: share_pct")
        _check_hours(self.business_open_h, self.business_close_h, MON_FRI, f"region {self.name}")


@dataclass(frozen=True)
class Site:
    """A support site: its local opening hours and the agents who work there.

    ``close_h`` before ``open_h`` is a night shift: it starts on each open day and ends the next
    morning. ``serves`` names the customer regions whose tickets the site answers first (regions
    no site names go to the first site); with ``helps_others`` its agents take other sites'
    tickets when their own are all answered (``model.operations.routing``).
    """

    name: str
    utc_offset_h: float
    open_h: float
    close_h: float
    open_days: tuple[int, ...]
    headcount: float
    shrinkage_pct: float
    loaded_cost_per_agent_month: float
    serves: tuple[str, ...] = ()
    helps_others: bool = True

    def __post_init__(self) -> None:
        _check(len(set(self.serves)) == len(self.serves), f"site {self.name}: a region is named twice in serves")
        _check(-12.0 <= self.utc_offset_h <= 14.0, f"site {self.name}: UTC offset out of range")
        _check_hours(self.open_h, self.close_h, self.open_days, f"site {self.name}")
        _check_nonneg(self.headcount, f"site {self.name}: headcount")
        _check(self.shrinkage_pct < 1.0, f"site {self.name}: shrinkage must be below 100 %")
        _check_pct(self.shrinkage_pct, f"site {self.name}: shrinkage_pct")
        _check_nonneg(self.loaded_cost_per_agent_month, f"site {self.name}: loaded cost")

    @property
    def open_hours_per_week(self) -> float:
        return open_hours_per_day(self.open_h, self.close_h) * len(self.open_days)


@dataclass(frozen=True)
class CsatCurve:
    """CSAT of one ticket as a function of its first-response time.

    ``csat(t) = floor + (ceiling - floor) / (1 + (t / half_h) ** slope)``: monotone in log(t),
    ``half_h`` is the response time at which CSAT sits half-way between ceiling and floor.
    """

    floor_pct: float
    ceiling_pct: float
    half_h: float
    slope: float

    def __post_init__(self) -> None:
        _check_pct(self.floor_pct, "CSAT floor")
        _check_pct(self.ceiling_pct, "CSAT ceiling")
        _check(self.floor_pct <= self.ceiling_pct, "CSAT floor must not exceed the ceiling")
        _check(self.half_h > 0.0, "CSAT half-point must be positive")
        _check(self.slope > 0.0, "CSAT slope must be positive")


@dataclass(frozen=True)
class Channel:
    """A contact channel: its share of tickets, agent time and how customers judge its speed."""

    name: str
    share_pct: float
    handle_time_min: float
    target_response_h: float
    csat_curve: CsatCurve
    concurrency: float = 1.0

    def __post_init__(self) -> None:
        _check(self.name in CHANNEL_NAMES, f"channel must be one of {CHANNEL_NAMES}, got {self.name!r}")
        _check_pct(self.share_pct, f"channel {self.name}: share_pct")
        _check(self.handle_time_min > 0.0, f"channel {self.name}: handle time must be positive")
        _check(self.target_response_h > 0.0, f"channel {self.name}: target must be positive")
        _check(1.0 <= self.concurrency <= 3.0, f"channel {self.name}: concurrency must be 1 to 3")

    @property
    def is_live(self) -> bool:
        return self.name in LIVE_CHANNELS


@dataclass(frozen=True)
class ExperienceClasses:
    """Behaviour of each experience class relative to customers with no recent contact.

    The Temkin method: customers are classed by their last support experience (none, satisfied,
    dissatisfied), and classes differ in churn, expansion, referrals and NPS. An experience is
    remembered for ``memory_months`` on average (it fades geometrically). The engine rescales the
    base rates so the baseline reproduces today's observed churn, expansion and NPS.
    """

    churn_mult_satisfied: float = 0.95
    churn_mult_dissatisfied: float = 2.0
    expansion_mult_satisfied: float = 1.1
    expansion_mult_dissatisfied: float = 0.6
    referral_mult_satisfied: float = 1.3
    referral_mult_dissatisfied: float = 0.4
    nps_offset_satisfied: float = 5.0
    nps_offset_dissatisfied: float = -45.0
    memory_months: float = 12.0

    def __post_init__(self) -> None:
        _check(1.0 <= self.memory_months <= 60.0, "experience memory must be 1 to 60 months")
        for name in ("churn", "expansion", "referral"):
            _check_nonneg(getattr(self, f"{name}_mult_satisfied"), f"{name} multiplier")
            _check_nonneg(getattr(self, f"{name}_mult_dissatisfied"), f"{name} multiplier")
        _check(-200.0 <= self.nps_offset_dissatisfied <= 200.0, "NPS offset out of range")
        _check(-200.0 <= self.nps_offset_satisfied <= 200.0, "NPS offset out of range")


@dataclass(frozen=True)
class ArrivalProfile:
    """Local business-day curve of ticket arrivals, the same shape in every region.

    Relative rate at local hour h: ``base + exp(-0.5 * ((h - peak_h) / spread_h) ** 2)``,
    multiplied by ``weekend_factor`` on local Saturdays and Sundays.
    """

    peak_h: float = 13.0
    spread_h: float = 3.0
    base: float = 0.08
    weekend_factor: float = 0.3

    def __post_init__(self) -> None:
        _check(0.0 <= self.peak_h < 24.0, "arrival peak hour must be 0 to 24")
        _check(self.spread_h > 0.0, "arrival spread must be positive")
        _check_nonneg(self.base, "arrival base")
        _check_nonneg(self.weekend_factor, "weekend factor")


@dataclass(frozen=True)
class Company:
    """The company as it is today: customers, money, service and support organisation."""

    name: str
    description: str
    customers: float
    new_customers_per_month: float
    arpu_per_month: float
    gross_margin_pct: float
    churn_monthly_pct: float
    expansion_monthly_pct: float
    referral_rate_per_month: float
    nps_today: float
    csat_today_pct: float
    contact_rate_per_customer_month: float
    first_contact_resolution_pct: float
    channels: tuple[Channel, ...]
    regions: tuple[Region, ...]
    sites: tuple[Site, ...]
    arrival_profile: ArrivalProfile = field(default_factory=ArrivalProfile)
    classes: ExperienceClasses = field(default_factory=ExperienceClasses)

    @property
    def staff_cost_per_month(self) -> float:
        """What the support sites' agents cost a month: headcount x loaded cost per agent-month, summed (money a
        month, in the case's currency)."""
        return sum(site.headcount * site.loaded_cost_per_agent_month for site in self.sites)

    @property
    def channel_shares(self) -> dict[str, float]:
        """Each channel's share of tickets, by channel name."""
        return {c.name: c.share_pct for c in self.channels}

    def __post_init__(self) -> None:
        _check(self.customers > 0.0, "customers must be positive")
        _check_nonneg(self.new_customers_per_month, "new customers per month")
        _check(self.arpu_per_month > 0.0, "ARPU must be positive")
        _check_pct(self.gross_margin_pct, "gross margin")
        _check(self.churn_monthly_pct < 1.0, "monthly churn must be below 100 %")
        _check_pct(self.churn_monthly_pct, "monthly churn")
        _check_pct(self.expansion_monthly_pct, "monthly expansion")
        _check_pct(self.referral_rate_per_month, "referral rate")
        _check(-100.0 <= self.nps_today <= 100.0, "NPS must be between -100 and 100")
        _check(0.0 < self.csat_today_pct < 1.0, "CSAT today must be strictly between 0 and 100 %")
        _check_nonneg(self.contact_rate_per_customer_month, "contact rate")
        _check_pct(self.first_contact_resolution_pct, "first-contact resolution")
        _check(len(self.channels) > 0, "at least one channel is needed")
        _check(len(self.regions) > 0, "at least one customer region is needed")
        _check(len(self.sites) > 0, "at least one support site is needed")
        names = [c.name for c in self.channels]
        _check(len(set(names)) == len(names), "channels must not repeat")
        _check(abs(sum(c.share_pct for c in self.channels) - 1.0) < 1e-6, "channel shares must add to 100 %")
        _check(abs(sum(r.share_pct for r in self.regions) - 1.0) < 1e-6, "region shares must add to 100 %")
        sites = [s.name for s in self.sites]
        _check(len(set(sites)) == len(sites), "site names must not repeat")
        regions = {r.name for r in self.regions}
        _check(len(regions) == len(self.regions), "region names must not repeat")
        for site in self.sites:
            unknown = [r for r in site.serves if r not in regions]
            _check(not unknown, f"site {site.name} serves {unknown}, which are not customer regions")

    def site(self, name: str) -> Site:
        for s in self.sites:
            if s.name == name:
                return s
        raise ValueError(f"no site named {name!r}; sites are {[s.name for s in self.sites]}")


@dataclass(frozen=True)
class Finance:
    """How cash is valued: horizon, discount rate and currency (Forrester TEI conventions)."""

    horizon_months: int = 36
    discount_rate_annual_pct: float = 0.10
    currency: str = "USD"

    def __post_init__(self) -> None:
        _check(6 <= self.horizon_months <= 120, "horizon must be 6 to 120 months")
        _check(0.0 <= self.discount_rate_annual_pct <= 0.5, "discount rate must be 0 to 50 %")
        _check(self.currency in CURRENCIES, f"currency must be one of {CURRENCIES}")


# --------------------------------------------------------------------------- levers


def _check_timing(start_month: int, ramp_months: float, name: str) -> None:
    _check(start_month >= 0, f"{name}: start month must be 0 or later")
    _check(0.0 <= ramp_months <= 36.0, f"{name}: ramp must be 0 to 36 months")


@dataclass(frozen=True)
class HireAgents:
    """Change headcount at an existing site (negative: do not backfill leavers).

    New agents cost their loaded cost from ``start_month``; their capacity ramps up over
    ``ramp_months`` (new-hire proficiency).
    """

    site: str
    agents: float
    start_month: int = 0
    ramp_months: float = 3.0
    hiring_cost_per_agent: float = 0.0

    def __post_init__(self) -> None:
        _check_timing(self.start_month, self.ramp_months, "hire")
        _check_nonneg(self.hiring_cost_per_agent, "hiring cost")


@dataclass(frozen=True)
class RegionalCentre:
    """Open a new support site in another time zone.

    ``serves``: the customer regions it answers first once open (a regional centre's own region);
    with ``helps_others`` its agents take other sites' tickets when those are all answered.
    """

    name: str
    utc_offset_h: float
    open_h: float
    close_h: float
    open_days: tuple[int, ...]
    headcount: float
    loaded_cost_per_agent_month: float
    setup_cost: float
    shrinkage_pct: float = 0.30
    start_month: int = 0
    ramp_months: float = 3.0
    serves: tuple[str, ...] = ()
    helps_others: bool = True

    def __post_init__(self) -> None:
        _check(-12.0 <= self.utc_offset_h <= 14.0, "centre UTC offset out of range")
        _check_hours(self.open_h, self.close_h, self.open_days, f"centre {self.name}")
        _check_nonneg(self.headcount, "centre headcount")
        _check_nonneg(self.loaded_cost_per_agent_month, "centre loaded cost")
        _check_nonneg(self.setup_cost, "centre set-up cost")
        _check(0.0 <= self.shrinkage_pct < 1.0, "centre shrinkage must be 0 to below 100 %")
        _check_timing(self.start_month, self.ramp_months, "centre")

    def as_site(self) -> Site:
        return Site(self.name, self.utc_offset_h, self.open_h, self.close_h, self.open_days,
                    self.headcount, self.shrinkage_pct, self.loaded_cost_per_agent_month, self.serves,
                    self.helps_others)


@dataclass(frozen=True)
class DeflectionTool:
    """Self-service (a help centre, a knowledge base) that resolves a share of issues without a human.

    The AI agent, priced and counted the way vendors sell it, is :class:`model.ai_agent.AIAgent`; it works on
    the issues self-service leaves.

    ``leakage_pct`` of deflected customers come back to an agent anyway; the tickets that
    remain are harder, taking ``harder_mix_pct`` longer to handle once the tool is adopted.
    Customers whose issue the tool resolves are satisfied at ``self_service_csat_pct`` (``None``:
    today's CSAT, a neutral assumption).
    """

    deflection_pct: float
    leakage_pct: float = 0.2
    harder_mix_pct: float = 0.10
    licence_per_month: float = 0.0
    fee_per_resolution: float = 0.0
    implementation_cost: float = 0.0
    start_month: int = 0
    ramp_months: float = 6.0
    self_service_csat_pct: float | None = None

    def __post_init__(self) -> None:
        _check_pct(self.deflection_pct, "deflection")
        if self.self_service_csat_pct is not None:
            _check_pct(self.self_service_csat_pct, "self-service CSAT")
        _check_pct(self.leakage_pct, "re-contact leakage")
        _check_pct(self.harder_mix_pct, "harder mix")
        for name in ("licence_per_month", "fee_per_resolution", "implementation_cost"):
            _check_nonneg(getattr(self, name), name)
        _check_timing(self.start_month, self.ramp_months, "deflection tool")


@dataclass(frozen=True)
class ProductivityTool:
    """A tool that cuts agents' handle time (macros, AI drafting, better search)."""

    handle_time_reduction_pct: float
    licence_per_agent_month: float = 0.0
    implementation_cost: float = 0.0
    start_month: int = 0
    ramp_months: float = 6.0

    def __post_init__(self) -> None:
        _check(0.0 <= self.handle_time_reduction_pct <= 0.8, "handle-time reduction must be 0 to 80 %")
        _check_nonneg(self.licence_per_agent_month, "licence per agent")
        _check_nonneg(self.implementation_cost, "implementation cost")
        _check_timing(self.start_month, self.ramp_months, "productivity tool")


@dataclass(frozen=True)
class Training:
    """Training that raises first-contact resolution (fewer re-contacts, higher CSAT)."""

    fcr_gain_pts: float
    cost_per_agent: float = 0.0
    cost_per_month: float = 0.0
    start_month: int = 0
    ramp_months: float = 3.0

    def __post_init__(self) -> None:
        _check(0.0 <= self.fcr_gain_pts <= 0.5, "FCR gain must be 0 to 50 points")
        _check_nonneg(self.cost_per_agent, "training cost per agent")
        _check_nonneg(self.cost_per_month, "training cost per month")
        _check_timing(self.start_month, self.ramp_months, "training")


@dataclass(frozen=True)
class ExtendedHours:
    """Open a site longer each day and/or on weekend days, at the same on-duty density.

    The added hours are staffed by added agent-hours, paid at the site's loaded cost plus a
    ``shift_premium_pct`` for unsocial hours.
    """

    site: str
    extra_hours_per_day: float = 0.0
    weekend_days: int = 0
    shift_premium_pct: float = 0.15
    start_month: int = 0

    def __post_init__(self) -> None:
        _check(0.0 <= self.extra_hours_per_day <= 24.0, "extra hours per day must be 0 to 24")
        _check(self.weekend_days in (0, 1, 2), "weekend days must be 0, 1 or 2")
        _check(0.0 <= self.shift_premium_pct <= 1.0, "shift premium must be 0 to 100 %")
        _check_timing(self.start_month, 0.0, "extended hours")

    def extend(self, site: Site) -> Site:
        """The site with its new opening hours: it closes later (past midnight if need be)."""
        hours = open_hours_per_day(site.open_h, site.close_h) + self.extra_hours_per_day
        open_h, close_h = (0.0, 24.0) if hours >= 24.0 else (site.open_h, site.open_h + hours)
        if close_h > 24.0:
            close_h -= 24.0
        weekend = tuple(d for d in (5, 6) if d not in site.open_days)[: self.weekend_days]
        days = tuple(sorted(set(site.open_days) | set(weekend)))
        return replace(site, open_h=open_h, close_h=close_h, open_days=days)


@dataclass(frozen=True)
class SiteHours:
    """From ``start_month`` a site opens at new local hours and days, with the same agents.

    The agents' contract hours are spread over the new opening hours (``model.operations.supply``),
    so the cost does not change; a site open longer has fewer agents on duty at a time.
    """

    site: str
    open_h: float
    close_h: float
    open_days: tuple[int, ...]
    start_month: int = 0

    def __post_init__(self) -> None:
        _check_hours(self.open_h, self.close_h, self.open_days, f"new hours at {self.site}")
        _check(len(self.open_days) > 0, f"new hours at {self.site}: at least one open day")
        _check_timing(self.start_month, 0.0, "new hours")

    def apply(self, site: Site) -> Site:
        return replace(site, open_h=self.open_h, close_h=self.close_h, open_days=self.open_days)


@dataclass(frozen=True)
class Levers:
    """Everything the manager may change; the empty Levers() is the baseline."""

    hires: tuple[HireAgents, ...] = ()
    centres: tuple[RegionalCentre, ...] = ()
    deflection: DeflectionTool | None = None
    productivity: ProductivityTool | None = None
    training: Training | None = None
    extended_hours: tuple[ExtendedHours, ...] = ()
    site_hours: tuple[SiteHours, ...] = ()
    ai_agent: AIAgent | None = None


# --------------------------------------------------------------------------- uncertainty


MULTIPLIER_BOUNDS = (0.05, 20.0)   # a 90 % interval wider than this is not a plausible range


@dataclass(frozen=True)
class Assumptions:
    """90 % intervals of the uncertain assumptions, each a multiplier of the value entered.

    1 is the value as entered (the point view); "0.5 to 1.5" means the true value is between half
    and one and a half times it, with 5 % odds below and 5 % above. Every range is log-normal, so a
    multiplier stays positive; an interval need not contain 1 (vendor figures are optimistic
    tails, so "deflection achieved" has its median below the plan). Sources: ``model.sources``.
    """

    contact_rate: Range = Range(0.85, 1.15)
    handle_time: Range = Range(0.90, 1.15)
    csat_half_point: Range = Range(0.5, 2.0)
    csat_slope: Range = Range(0.5, 1.5)
    churn_dissatisfied: Range = Range(0.65, 1.5)
    expansion_effect: Range = Range(0.5, 1.5)
    referral_effect: Range = Range(0.5, 1.5)
    deflection_achieved: Range = Range(0.4, 1.1)
    leakage: Range = Range(0.5, 1.5)
    handle_reduction_achieved: Range = Range(0.5, 1.1)
    fcr_gain_achieved: Range = Range(0.5, 1.1)
    ramp_time: Range = Range(0.7, 1.6)
    ai_resolution_achieved: Range = Range(0.45, 1.0)
    ai_returns: Range = Range(0.5, 1.5)
    ai_new_demand: Range = Range(0.5, 2.0)
    ai_csat: Range = Range(0.85, 1.1)

    def __post_init__(self) -> None:
        low, high = MULTIPLIER_BOUNDS
        for name, r in self.items():
            _check(isinstance(r, Range), f"assumption {name} must be a range")
            _check(r.kind == "positive", f"assumption {name} is a multiplier: its range must be positive")
            _check(low <= r.low and r.high <= high, f"assumption {name}: a multiplier must be {low:g} to {high:g}")

    def items(self) -> tuple[tuple[str, Range], ...]:
        return tuple((f.name, getattr(self, f.name)) for f in fields(self))

    @classmethod
    def certain(cls) -> Assumptions:
        """Every multiplier exactly 1: the Monte Carlo collapses to the point view."""
        return cls(**{f.name: Range.point(1.0, "positive") for f in fields(cls)})


@dataclass(frozen=True)
class RiskAdjustment:
    """Forrester TEI risk adjustment: each benefit line cut and each cost line raised by a share.

    Defaults (defaults.md): revenue lines -25 %, cost savings -10 %, costs +10 % [D from TEI practice]; the work
    of redeployed agents, a soft benefit, -25 %.
    """

    retention_pct: float = 0.25
    expansion_pct: float = 0.25
    referrals_pct: float = 0.25
    staff_savings_pct: float = 0.10
    redeployed_work_pct: float = 0.25
    added_staff_pct: float = 0.10
    tools_pct: float = 0.10
    setup_pct: float = 0.10
    training_pct: float = 0.10

    def __post_init__(self) -> None:
        for f in fields(self):
            _check(0.0 <= getattr(self, f.name) <= 1.0, f"risk adjustment {f.name} must be 0 to 100 %")

    def of_line(self, line: str) -> float:
        """The adjustment of a cash line by its name in the cash table (e.g. "Set-up and hiring")."""
        return float(getattr(self, RISK_FIELD_OF_LINE[line]))


RISK_FIELD_OF_LINE = {
    "Retention": "retention_pct", "Expansion": "expansion_pct", "Referrals": "referrals_pct",
    "Staff savings": "staff_savings_pct", "Redeployed work": "redeployed_work_pct", "Added staff": "added_staff_pct", "Tools": "tools_pct",
    "Set-up and hiring": "setup_pct", "Training": "training_pct",
}


@dataclass(frozen=True)
class Scenario:
    """A company, how cash is valued, the levers pulled and how uncertain the assumptions are."""

    company: Company
    finance: Finance = field(default_factory=Finance)
    levers: Levers = field(default_factory=Levers)
    name: str = "Scenario"
    assumptions: Assumptions = field(default_factory=Assumptions)
    risk: RiskAdjustment = field(default_factory=RiskAdjustment)

    def __post_init__(self) -> None:
        for hire in self.levers.hires:
            site = self.company.site(hire.site)
            change = sum(h.agents for h in self.levers.hires if h.site == hire.site)
            _check(site.headcount + change >= 0.0, f"cannot remove more agents than {hire.site} has")
        for ext in self.levers.extended_hours:
            self.company.site(ext.site)
        for change in self.levers.site_hours:
            self.company.site(change.site)
            _check(all(e.site != change.site for e in self.levers.extended_hours),
                   f"{change.site}: new hours and longer hours in one plan; set the new hours to include the longer ones")
        names = [s.name for s in self.company.sites]
        regions = {r.name for r in self.company.regions}
        for centre in self.levers.centres:
            _check(centre.name not in names, f"a site named {centre.name!r} exists already")
            names.append(centre.name)
            unknown = [r for r in centre.serves if r not in regions]
            _check(not unknown, f"centre {centre.name} serves {unknown}, which are not customer regions")
        if (agent := self.levers.ai_agent) is not None:
            channels = {c.name for c in self.company.channels}
            unknown = [c.channel for c in agent.channels if c.channel not in channels]
            _check(not unknown, f"the AI agent's involvement names {unknown}, which are not channels of the company")
