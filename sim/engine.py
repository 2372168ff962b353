"""``simulate(scenario) -> Projection``: the causal chain from levers to ROI, month by month.

Baseline (no lever) and scenario run side by side on a leading "variant" axis through the same
code, so a lever without effect gives exactly the baseline. Inside each month, an average week
on a UTC grid turns tickets and on-duty agents into first-response times (``sim.response``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim import customers as cust
from sim import demand, experience, finance, supply
from sim.params import MON_FRI, PAID_HOURS_PER_MONTH, Company, Scenario, Site
from sim.ramp import s_curve, step_on
from sim.response import respond, summarise_means
from sim.weekgrid import WEEKS_PER_MONTH, FloatArray, open_mask

VARIANTS = ("baseline", "scenario")
STEPS_PER_HOUR = 4   # 15-minute steps on the UTC week
FCR_CAP = 0.99
BENEFIT_LINES = ("Retention", "Expansion", "Referrals", "Staff savings")
COST_LINES = ("Added staff", "Tools", "Set-up and hiring", "Training")


@dataclass(frozen=True)
class Calibration:
    """Numbers solved so that the baseline's month 0 reproduces the company as entered."""

    csat_logit_shift: float
    churn_base_pct: float
    expansion_base_pct: float
    referral_base_rate: float
    nps_no_contact: float


@dataclass(frozen=True)
class Projection:
    """Everything the pages show. Frames are indexed by month (0 = first month of the horizon).

    ``monthly``: one row per variant and month. ``response``: first response per variant,
    month, channel and region. ``cash``: incremental lines of scenario versus baseline per
    month. The week behind any month comes from :func:`week_of`.
    """

    monthly: pd.DataFrame
    response: pd.DataFrame
    cash: pd.DataFrame
    summary: finance.CaseSummary
    pv_by_line: dict[str, float]
    calibration: Calibration
    warnings: tuple[str, ...]
    currency: str

    def variant(self, name: str) -> pd.DataFrame:
        return self.monthly[self.monthly["variant"] == name].set_index("month")


# ----------------------------------------------------------------------------- supply side


@dataclass(frozen=True)
class _Staffing:
    """Per variant and month: agents on duty per UTC step (by site), headcount paid, staff cost."""

    by_site: FloatArray          # (V, sites, M, steps); the regional centre, if any, is the last site
    site_names: tuple[str, ...]
    headcount: FloatArray        # (V, M) all sites
    staff_cost: FloatArray       # (V, M)

    @property
    def on_duty(self) -> FloatArray:
        """(V, M, steps) agents on duty at all sites."""
        return self.by_site.sum(axis=1)


def _staffing(scenario: Scenario, months: int) -> _Staffing:
    company, levers = scenario.company, scenario.levers
    sph = STEPS_PER_HOUR
    steps = int(168 * sph)
    names = tuple(s.name for s in company.sites) + ((levers.centre.name,) if levers.centre else ())
    by_site = np.zeros((2, len(names), months, steps))
    headcount = np.zeros((2, months))
    cost = np.zeros((2, months))

    for i, site in enumerate(company.sites):
        week = supply.site_week(site, sph)
        base = np.full(months, site.headcount)
        by_site[0, i] = base[:, None] * week
        headcount[0] += base
        cost[0] += base * site.loaded_cost_per_agent_month

        paid = base.copy()
        effective = base.copy()
        for hire in (h for h in levers.hires if h.site == site.name):
            paid += hire.agents * step_on(months, hire.start_month)
            ramp = s_curve(months, hire.start_month, hire.ramp_months) if hire.agents > 0 \
                else step_on(months, hire.start_month)
            effective += hire.agents * ramp
        week_s = np.broadcast_to(week, (months, steps))
        extension_cost = np.zeros(months)
        for ext in (e for e in levers.extended_hours if e.site == site.name):
            extended: Site = ext.extend(site)
            density = supply.on_duty_density(site)
            new_week = open_mask(extended.utc_offset_h, extended.open_h, extended.close_h,
                                 extended.open_days, sph) * density
            on = step_on(months, ext.start_month)
            week_s = week_s + on[:, None] * (new_week - week)[None, :]
            # Both weeks already hold on-duty agents per head; paid hours add back the shrinkage.
            added_on_duty_h_per_week = paid * (new_week.sum() - week.sum()) / sph
            paid_h_per_month = added_on_duty_h_per_week / (1.0 - site.shrinkage_pct) * WEEKS_PER_MONTH
            extension_cost += on * paid_h_per_month * site.loaded_cost_per_agent_month \
                / PAID_HOURS_PER_MONTH * (1.0 + ext.shift_premium_pct)
        by_site[1, i] = effective[:, None] * week_s
        headcount[1] += paid
        cost[1] += paid * site.loaded_cost_per_agent_month + extension_cost

    centre = levers.centre
    if centre is not None:
        site = centre.as_site()
        paid = centre.headcount * step_on(months, centre.start_month)
        effective = centre.headcount * s_curve(months, centre.start_month, centre.ramp_months)
        by_site[1, -1] = effective[:, None] * supply.site_week(site, sph)[None, :]
        headcount[1] += paid
        cost[1] += paid * centre.loaded_cost_per_agent_month

    return _Staffing(by_site, names, headcount, cost)


# ----------------------------------------------------------------------------- demand side


@dataclass(frozen=True)
class _DemandLevers:
    deflected_pct: FloatArray       # (V, M) share of issues the tool resolves; fees are paid on these
    tool_csat_pct: float            # satisfaction of customers whose issue the tool resolved
    fcr_pct: FloatArray             # (V, M)
    handle_mult: FloatArray         # (V, M) multiplier on every channel's handle time


def _demand_levers(scenario: Scenario, months: int) -> _DemandLevers:
    company, levers = scenario.company, scenario.levers
    resolved = np.zeros((2, months))
    handle = np.ones((2, months))
    fcr = np.full((2, months), company.first_contact_resolution_pct)
    tool_csat = company.csat_today_pct
    if (tool := levers.deflection) is not None:
        ramp = s_curve(months, tool.start_month, tool.ramp_months)
        resolved[1] = tool.deflection_pct * ramp * (1.0 - tool.leakage_pct)
        if tool.deflection_pct > 0.0:
            handle[1] *= 1.0 + tool.harder_mix_pct * ramp
        if tool.self_service_csat_pct is not None:
            tool_csat = tool.self_service_csat_pct
    if (prod := levers.productivity) is not None:
        handle[1] *= 1.0 - prod.handle_time_reduction_pct * s_curve(months, prod.start_month, prod.ramp_months)
    if (train := levers.training) is not None:
        fcr[1] = np.minimum(FCR_CAP, fcr[1] + train.fcr_gain_pts * s_curve(months, train.start_month,
                                                                             train.ramp_months))
    return _DemandLevers(resolved, tool_csat, fcr, handle)


# ----------------------------------------------------------------------------- the chain


@dataclass(frozen=True)
class _Static:
    """Arrays that do not change from month to month."""

    channel_share: FloatArray
    region_share: FloatArray
    profile: FloatArray
    handle_h: FloatArray
    is_live: FloatArray
    target_h: FloatArray
    curves: experience.CurveArrays
    issues_per_customer: float
    business_hours: FloatArray      # (regions, steps) the regions' local business hours

    @classmethod
    def of(cls, company: Company) -> _Static:
        ch = company.channels
        return cls(
            channel_share=np.array([c.share_pct for c in ch]),
            region_share=np.array([r.share_pct for r in company.regions]),
            profile=demand.region_week_profile(company, STEPS_PER_HOUR),
            handle_h=np.array([c.handle_time_min / 60.0 / c.concurrency for c in ch]),
            is_live=np.array([c.is_live for c in ch]),
            target_h=np.array([c.target_response_h for c in ch]),
            curves=experience.CurveArrays.of(ch),
            issues_per_customer=demand.issues_per_customer_month(company),
            business_hours=np.stack([open_mask(r.utc_offset_h, r.business_open_h, r.business_close_h, MON_FRI,
                                               STEPS_PER_HOUR) for r in company.regions]),
        )


@dataclass(frozen=True)
class _Month:
    """One month of the response and experience chain for every variant."""

    tickets: FloatArray       # (V,)
    arrivals: FloatArray      # (V, ch, regions, steps)
    delay_paths_h: FloatArray  # (V, ch, paths, steps)
    raw_csat: FloatArray      # (V, ch, regions) before calibration
    load_pct: FloatArray      # (V, steps)
    overloaded: FloatArray    # (V,)
    backlog_age_h: FloatArray  # (V, steps)


def _month(st: _Static, customers_now: FloatArray, dl: _DemandLevers, staffing: _Staffing, t: int) -> _Month:
    tickets = demand.agent_tickets_per_month(customers_now, st.issues_per_customer, dl.deflected_pct[:, t],
                                             dl.fcr_pct[:, t])
    arrivals = demand.weekly_arrivals(tickets, st.channel_share, st.region_share, st.profile)
    handle = st.handle_h[None, :] * dl.handle_mult[:, t, None]
    week = respond(arrivals, handle, st.is_live, staffing.on_duty[:, t], STEPS_PER_HOUR)
    raw = experience.ticket_weighted_csat(week.delay_h, arrivals, st.curves)
    return _Month(tickets, arrivals, week.delay_paths_h, raw, week.load_pct, week.overloaded, week.backlog_age_h)


def _calibrate(company: Company, first: _Month, contacted_pct: float) -> tuple[Calibration, FloatArray]:
    """Solve the baseline's month 0 to today's CSAT, churn, expansion, referrals and NPS.

    Today's experience classes are taken as the steady state of today's contact rate and CSAT.
    Returns the calibration and those class shares (none, satisfied, dissatisfied).
    """
    weights = first.arrivals[0].sum(axis=-1)
    shift = experience.logit_shift_to_match(first.raw_csat[0], weights, company.csat_today_pct)
    shares = experience.steady_classes(contacted_pct, company.csat_today_pct, company.classes.memory_months)
    mult = experience.class_multipliers(company.classes)
    nps_nc = company.nps_today - float((shares * experience.nps_offsets(company.classes)).sum())
    return Calibration(
        csat_logit_shift=shift,
        churn_base_pct=company.churn_monthly_pct / float((shares * mult["churn"]).sum()),
        expansion_base_pct=company.expansion_monthly_pct / float((shares * mult["expansion"]).sum()),
        referral_base_rate=company.referral_rate_per_month / float((shares * mult["referral"]).sum()),
        nps_no_contact=nps_nc,
    ), shares


def _csat(m: _Month, cal: Calibration, fcr_gain: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Calibrated CSAT per (V, ch, regions) and ticket-weighted per variant.

    First-contact resolution adds about one CSAT point per point (SQM, defaults.md).
    """
    cells = np.clip(experience.shifted(m.raw_csat, cal.csat_logit_shift) + fcr_gain[:, None, None],
                    *experience.CSAT_BOUNDS)
    w = m.arrivals.sum(axis=-1)
    return cells, (cells * w).sum(axis=(-1, -2)) / np.maximum(w.sum(axis=(-1, -2)), 1e-300)


def simulate(scenario: Scenario) -> Projection:
    """Run baseline and scenario over the horizon and value the difference.

    Returns a :class:`Projection`; see its docstring for the tables.
    """
    company, fin = scenario.company, scenario.finance
    months = fin.horizon_months
    st = _Static.of(company)
    staffing = _staffing(scenario, months)
    dl = _demand_levers(scenario, months)
    mult = experience.class_multipliers(company.classes)
    fcr_gain = dl.fcr_pct - company.first_contact_resolution_pct
    # Every issue is a contact, with an agent or with the tool: the contact rate does not move.
    contacted = float(experience.contacted_share(st.issues_per_customer))

    n_t = np.full(2, company.customers)
    mrr_t = np.full(2, company.customers * company.arpu_per_month)
    series = {k: np.zeros((2, months)) for k in (
        "customers", "mrr", "lost", "referred", "tickets", "deflected", "csat", "nps", "churn", "expansion",
        "referral", "contact_csat", "satisfied", "dissatisfied", "overloaded", "load_over_90_h")}
    cells_csat = np.zeros((2, months, len(company.channels), len(company.regions)))
    stats = []
    cal: Calibration | None = None
    for t in range(months):
        m = _month(st, n_t, dl, staffing, t)
        if cal is None:
            cal, today = _calibrate(company, m, contacted)
            shares = np.stack([today, today])
        cells, csat = _csat(m, cal, fcr_gain[:, t])
        deflected = dl.deflected_pct[:, t]
        contact_csat = (1.0 - deflected) * csat + deflected * dl.tool_csat_pct
        shares = experience.remembered_classes(shares, contacted, contact_csat, company.classes.memory_months)
        churn = cal.churn_base_pct * (shares * mult["churn"]).sum(axis=-1)
        expansion = cal.expansion_base_pct * (shares * mult["expansion"]).sum(axis=-1)
        referral = cal.referral_base_rate * (shares * mult["referral"]).sum(axis=-1)
        churn = np.clip(churn, 0.0, 1.0)
        for key, value in (("customers", n_t), ("mrr", mrr_t), ("tickets", m.tickets),
                           ("deflected", n_t * st.issues_per_customer * deflected), ("csat", csat),
                           ("nps", experience.nps_of_classes(shares, cal.nps_no_contact, company.classes)),
                           ("churn", churn), ("expansion", expansion), ("referral", referral),
                           ("contact_csat", contact_csat), ("satisfied", shares[..., 1]),
                           ("dissatisfied", shares[..., 2]),
                           ("overloaded", m.overloaded),
                           ("load_over_90_h", ((m.load_pct > 0.9) & np.isfinite(m.load_pct)).sum(axis=-1)
                            / STEPS_PER_HOUR)):
            series[key][:, t] = value
        cells_csat[:, t] = cells
        stats.append(summarise_means(m.delay_paths_h, m.arrivals, st.target_h, st.business_hours))
        n_t, mrr_t, series["lost"][:, t], series["referred"][:, t] = cust.step(
            n_t, mrr_t, churn, expansion, referral, company.new_customers_per_month, company.arpu_per_month)

    assert cal is not None
    disc = finance.discount_factors(months, fin.discount_rate_annual_pct)
    cash, lines = _cash_lines(scenario, series, staffing, disc)
    pv_by_line = {k: float((v * disc).sum()) for k, v in lines.items()}
    gains, losses = _gains_and_losses(lines, pv_by_line)
    summary = finance.summarise(gains, losses, fin.discount_rate_annual_pct)
    monthly = _monthly_frame(company, series, staffing, dl, st, stats, months)
    response = _response_frame(company, stats, cells_csat, months)
    warnings = _guardrails(scenario, series, pv_by_line)
    return Projection(monthly, response, cash, summary, pv_by_line, cal, warnings, fin.currency)


@dataclass(frozen=True)
class Week:
    """The average week behind one month of one variant, on the UTC grid (for the Staffing page).

    ``arrivals``: (channels, regions, steps) tickets per step; ``handle_time_h``: (channels,)
    agent-hours per ticket after concurrency and levers; ``on_duty_by_site``: (sites, steps);
    ``backlog_age_h``: (steps,) age of the oldest waiting e-mail at the start of each step;
    ``delay_paths_h``: (channels, paths, steps) first response per path of the e-mail backlog;
    ``business_hours``: (regions, steps) True in each region's local business hours.
    """

    arrivals: FloatArray
    handle_time_h: FloatArray
    is_live: np.ndarray
    target_h: FloatArray
    on_duty_by_site: FloatArray
    backlog_age_h: FloatArray
    delay_paths_h: FloatArray
    business_hours: FloatArray
    channels: tuple[str, ...]
    regions: tuple[str, ...]
    sites: tuple[str, ...]
    steps_per_hour: int

    @property
    def on_duty(self) -> FloatArray:
        return self.on_duty_by_site.sum(axis=0)


def week_of(scenario: Scenario, projection: Projection, month: int, variant: str = "scenario") -> Week:
    """Rebuild the week that ``simulate`` used for ``month`` of ``variant`` (same customers, levers)."""
    company = scenario.company
    months = scenario.finance.horizon_months
    v = VARIANTS.index(variant)
    st = _Static.of(company)
    staffing = _staffing(scenario, months)
    dl = _demand_levers(scenario, months)
    customers = np.full(2, float(projection.variant(variant)["customers"].iloc[month]))
    m = _month(st, customers, dl, staffing, month)
    return Week(
        arrivals=m.arrivals[v],
        handle_time_h=st.handle_h * dl.handle_mult[v, month],
        is_live=st.is_live,
        target_h=st.target_h,
        on_duty_by_site=staffing.by_site[v, :, month],
        backlog_age_h=m.backlog_age_h[v],
        delay_paths_h=m.delay_paths_h[v],
        business_hours=st.business_hours,
        channels=tuple(c.name for c in company.channels),
        regions=tuple(r.name for r in company.regions),
        sites=staffing.site_names,
        steps_per_hour=STEPS_PER_HOUR,
    )


# ----------------------------------------------------------------------------- money


def _one_off(line: FloatArray, month: int, amount: float) -> None:
    """Book a one-off cost in its month; a lever starting after the horizon costs nothing in it."""
    if month < line.size:
        line[month] += amount


def _cash_lines(scenario: Scenario, s: dict[str, FloatArray], staffing: _Staffing,
                disc: FloatArray) -> tuple[pd.DataFrame, dict[str, FloatArray]]:
    """Incremental benefit and cost lines (scenario minus baseline) per month.

    Revenue gains are split by re-running the customer stock with the scenario's churn, then
    also its expansion, then also its referrals; the three steps add up to the whole gain.
    Every revenue line is valued at gross margin.
    """
    company, levers = scenario.company, scenario.levers
    months = disc.size
    margin = company.gross_margin_pct
    args = (company.customers, company.customers * company.arpu_per_month, company.new_customers_per_month,
            company.arpu_per_month)
    b, sc = 0, 1
    path_b = cust.paths(s["churn"][b], s["expansion"][b], s["referral"][b], *args).mrr
    path_c = cust.paths(s["churn"][sc], s["expansion"][b], s["referral"][b], *args).mrr
    path_ce = cust.paths(s["churn"][sc], s["expansion"][sc], s["referral"][b], *args).mrr
    path_s = cust.paths(s["churn"][sc], s["expansion"][sc], s["referral"][sc], *args).mrr

    staff_delta = staffing.staff_cost[sc] - staffing.staff_cost[b]
    tools = np.zeros(months)
    setup = np.zeros(months)
    training = np.zeros(months)
    if (tool := levers.deflection) is not None:
        resolved = s["deflected"][sc]
        tools += step_on(months, tool.start_month) * tool.licence_per_month + resolved * tool.fee_per_resolution
        _one_off(tools, tool.start_month, tool.implementation_cost)
    if (prod := levers.productivity) is not None:
        tools += step_on(months, prod.start_month) * prod.licence_per_agent_month * staffing.headcount[sc]
        _one_off(tools, prod.start_month, prod.implementation_cost)
    if (train := levers.training) is not None:
        training += step_on(months, train.start_month) * train.cost_per_month
        if train.start_month < months:
            _one_off(training, train.start_month, train.cost_per_agent * staffing.headcount[sc, train.start_month])
    for hire in levers.hires:
        _one_off(setup, hire.start_month, max(hire.agents, 0.0) * hire.hiring_cost_per_agent)
    if (centre := levers.centre) is not None:
        _one_off(setup, centre.start_month, centre.setup_cost)

    lines = {
        "Retention": margin * (path_c - path_b),
        "Expansion": margin * (path_ce - path_c),
        "Referrals": margin * (path_s - path_ce),
        "Staff savings": np.maximum(-staff_delta, 0.0),
        "Added staff": np.maximum(staff_delta, 0.0),
        "Tools": tools,
        "Set-up and hiring": setup,
        "Training": training,
    }
    benefit = sum(lines[k] for k in BENEFIT_LINES)
    cost = sum(lines[k] for k in COST_LINES)
    flow = benefit - cost
    frame = pd.DataFrame({"month": np.arange(months), **{k: v for k, v in lines.items()},
                          "benefit_at_margin": benefit, "added_cost": cost, "cash_flow": flow,
                          "cumulative_cash": np.cumsum(flow), "discounted_cash": flow * disc,
                          "cumulative_discounted_cash": np.cumsum(flow * disc)})
    return frame, lines


def _gains_and_losses(lines: dict[str, FloatArray], pv: dict[str, float]) -> tuple[FloatArray, FloatArray]:
    """Monthly gains and losses for ROI: benefit lines, and cost lines plus any benefit line whose
    present value is negative (margin lost when service gets worse counts as a cost of the case).
    """
    gains = sum(lines[k] for k in BENEFIT_LINES if pv[k] >= 0.0)
    losses = sum(lines[k] for k in COST_LINES) + sum(-lines[k] for k in BENEFIT_LINES if pv[k] < 0.0)
    zero = np.zeros_like(lines[COST_LINES[0]])
    return zero + gains, zero + losses


# ----------------------------------------------------------------------------- tables


def _monthly_frame(company: Company, s: dict[str, FloatArray], staffing: _Staffing, dl: _DemandLevers,
                   st: _Static, stats: list, months: int) -> pd.DataFrame:
    rows = []
    for v, name in enumerate(VARIANTS):
        tickets = s["tickets"][v]
        frame = {
            "variant": name,
            "month": np.arange(months),
            "customers": s["customers"][v],
            "lost_customers": s["lost"][v],
            "referred_customers": s["referred"][v],
            "churn_pct": s["churn"][v],
            "expansion_pct": s["expansion"][v],
            "revenue": s["mrr"][v],
            "arpu": s["mrr"][v] / s["customers"][v],
            "tickets": tickets,
            "tickets_per_customer": tickets / s["customers"][v],
            "deflected_issues": s["deflected"][v],
            "first_contact_resolution_pct": dl.fcr_pct[v],
            "csat_pct": s["csat"][v],
            "nps": s["nps"][v],
            "contact_csat_pct": s["contact_csat"][v],
            "remembered_satisfied_pct": s["satisfied"][v],
            "remembered_dissatisfied_pct": s["dissatisfied"][v],
            "headcount": staffing.headcount[v],
            "on_duty_agent_hours_per_week": staffing.on_duty[v].sum(axis=-1) / STEPS_PER_HOUR,
            "support_cost": staffing.staff_cost[v],
            "load_over_90_h_per_week": s["load_over_90_h"][v],
            "overloaded": s["overloaded"][v] > 0.5,
        }
        for c, ch in enumerate(company.channels):
            mean = np.array([x.mean_h[v, c] for x in stats])   # (months, regions)
            weights = st.region_share
            frame[f"frt_{ch.name}_h"] = (mean * weights).sum(axis=-1)
        rows.append(pd.DataFrame(frame))
    out = pd.concat(rows, ignore_index=True)
    out["cost_per_ticket"] = out["support_cost"] / out["tickets"].where(out["tickets"] > 0)
    return out


def _response_frame(company: Company, stats: list, cells_csat: FloatArray, months: int) -> pd.DataFrame:
    n_ch, n_r = len(company.channels), len(company.regions)
    pieces = {k: np.stack([getattr(x, k) for x in stats], axis=1)            # (V, M, ch, r)
              for k in ("mean_h", "within_target_pct", "business_mean_h")}
    idx = pd.MultiIndex.from_product(
        [VARIANTS, range(months), [c.name for c in company.channels], [r.name for r in company.regions]],
        names=["variant", "month", "channel", "region"])
    data = {k: v.reshape(-1) for k, v in pieces.items()}
    data["csat_pct"] = cells_csat.reshape(-1)
    assert data["mean_h"].size == 2 * months * n_ch * n_r
    return pd.DataFrame(data, index=idx).reset_index()


def _guardrails(scenario: Scenario, s: dict[str, FloatArray], pv: dict[str, float]) -> tuple[str, ...]:
    """The sanity warnings of defaults.md, where they apply, with their reason."""
    out = []
    levers = scenario.levers
    if levers.deflection is not None and levers.deflection.deflection_pct > 0.45:
        out.append(f"Deflection of {levers.deflection.deflection_pct:.0%} is above 45 %: independent studies "
                   "find about 10-45 % of eligible volume actually resolved (vendors claim 65-80 %).")
    base_churn, scen_churn = s["churn"][0].mean(), s["churn"][1].mean()
    if base_churn > 0 and (base_churn - scen_churn) / base_churn > 0.25:
        out.append(f"Churn falls by {(base_churn - scen_churn) / base_churn:.0%} relative to the baseline: "
                   "without uploaded evidence a support programme should not cut churn by more than 20-25 %.")
    nrr = ((1.0 - s["churn"][1]) * (1.0 + s["expansion"][1])).mean() ** 12
    if nrr > 1.2:
        out.append(f"Net revenue retention of {nrr:.0%} a year is above 120 %: keep it below unless data show it.")
    if s["csat"][1].max() > 0.97:
        out.append("CSAT above 97 % is rarely sustained; check the CSAT curve's ceiling.")
    total_benefit = sum(max(pv[k], 0.0) for k in BENEFIT_LINES)
    if total_benefit > 0 and pv["Referrals"] / total_benefit > 0.10:
        out.append(f"Referrals make {pv['Referrals'] / total_benefit:.0%} of the benefit; Forrester finds under "
                   "7 % and defaults.md caps the line at 10 % unless calibrated.")
    over = s["load_over_90_h"][1].max()
    if over > 0:
        out.append(f"In up to {over:.0f} hours a week the offered work exceeds 90 % of on-duty capacity: "
                   "queues there are very sensitive to every extra ticket.")
    if s["overloaded"][1].any():
        first = int(np.argmax(s["overloaded"][1] > 0.5))
        out.append(f"From month {first} the team cannot keep up: the backlog grows week after week and "
                   "response times shown are after three weeks of growth.")
    return tuple(out)
