"""``simulate(scenario, draws, seed) -> Projection``: the causal chain from levers to ROI, month by month.

Baseline (no lever) and scenario run side by side on a leading "variant" axis through the same
code, so a lever without effect gives exactly the baseline. The second axis holds *columns*: the
point view (every assumption as entered), the tornado's runs (one assumption at its P10 or P90,
the others at their medians) and the Monte Carlo draws. Variants share every column's draws
(common random numbers), so the incremental cash of a lever is measured without sampling noise.

Inside each month, an average week on a UTC grid turns tickets and on-duty agents into
first-response times. The week model runs on a grid of work levels per staffing anchor
(``model.operations.response_table``), and every month of every column reads its figures off that grid.
"""

from __future__ import annotations

from collections.abc import Mapping

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.ai_agent import AIAgent, HeadcountEffect, flow, headcount_effect, monthly_fee
from model.ai_agent.months import AIMonths, ai_months, channel_mix
from model.customers import experience
from model.customers import stock as cust
from model.money import finance
from model.operations import demand, routing, supply
from model.operations import response_table as rt
from model.operations.response import respond_routed
from model.operations.staffing import Week
from model.params import (
    MON_FRI,
    PAID_HOURS_PER_MONTH,
    Assumptions,
    Company,
    Scenario,
    Site,
)
from model.ramp import s_curve, step_on, stretched
from model.sources import ASSUMPTION_INFO
from model.uncertainty import percentiles, ranks, sample
from model.weekgrid import WEEKS_PER_MONTH, FloatArray, open_mask

VARIANTS = ("baseline", "scenario")
ALL_CHANNELS_FRT = "frt_h"      # first response over all channels: what a KPI file or a log without channels reports
STEPS_PER_HOUR = 4   # 15-minute steps on the UTC week
FCR_CAP = 0.99
MAX_FCR_GAIN = 0.5
BENEFIT_LINES = ("Retention", "Expansion", "Referrals", "Staff savings", "Redeployed work")
COST_LINES = ("Added staff", "Tools", "Set-up and hiring", "Training")
SEED = 20_261_124            # fixed, so a shared link shows the same numbers
DEFAULT_DRAWS = 1_000
TORNADO_QUANTILES = (0.1, 0.9)
MAX_LEVER_GROUPS = 6         # staffing levers moving apart: more are merged with the closest (2**6 corners at most)
WORK_MARGIN = 1.05           # room around the pre-computed work range for customers drifting by lever


@dataclass(frozen=True)
class Calibration:
    """Numbers solved so that the baseline's month 0 reproduces the company as entered (point view)."""

    csat_logit_shift: float
    churn_base_pct: float
    expansion_base_pct: float
    referral_base_rate: float
    nps_no_contact: float


@dataclass(frozen=True)
class Uncertainty:
    """The Monte Carlo view of a case.

    ``bands``: one row per variant ("baseline", "scenario", or "incremental" for cash), month and
    series, with columns p10, p50, p90. ``outcomes``: one row per draw: npv, roi_pct, payback_month
    (NaN: not within the horizon) and the multiplier drawn for each assumption. ``tornado``: one
    row per assumption, sorted by swing: NPV with that assumption at its P10 and at its P90, every
    other at its median. ``rank_correlation``: Spearman correlation of each assumption's draws
    with NPV. ``median_npv``: NPV with every assumption at its median.
    """

    draws: int
    seed: int
    bands: pd.DataFrame
    outcomes: pd.DataFrame
    tornado: pd.DataFrame
    rank_correlation: pd.DataFrame
    median_npv: float

    @property
    def prob_loss(self) -> float:
        """Share of draws with NPV below zero."""
        return float((self.outcomes["npv"] < 0.0).mean())

    @property
    def prob_payback(self) -> float:
        """Share of draws that pay back within the horizon."""
        return float(self.outcomes["payback_month"].notna().mean())

    def quantiles(self, column: str) -> tuple[float, float, float]:
        """P10, P50 and P90 of an outcome column over the draws (draws without a value left out).

        Kept once found: every page and the case sentence read the NPV's and ROI's, and a projection is shared
        by every session that asks for its case."""
        known = self._outcome_quantiles.get(column)
        if known is None:
            values = self.outcomes[column].dropna().to_numpy()
            known = (float("nan"),) * 3 if values.size == 0 else tuple(float(q) for q in percentiles(values))
            self._outcome_quantiles[column] = known
        return known

    @functools.cached_property
    def _outcome_quantiles(self) -> dict[str, tuple[float, float, float]]:
        return {}

    @property
    def payback_p50(self) -> float:
        """Median payback month, a draw that never pays back counting as later than any (inf then)."""
        months = self.outcomes["payback_month"].fillna(np.inf).to_numpy()
        return float(np.quantile(months, 0.5, method="inverted_cdf"))

    def at(self, series: str, month: int, variant: str = "scenario") -> tuple[float, float, float]:
        """P10, P50 and P90 of one series and variant in one month (months count from 0), read by position: the
        KPI row reads eight of them a rerun."""
        p10, p50, p90 = self._quantile_values[self._positions[(variant, series)][month]]
        return float(p10), float(p50), float(p90)

    @functools.cached_property
    def _quantile_values(self) -> np.ndarray:
        return self.bands[["p10", "p50", "p90"]].to_numpy()

    def band(self, series: str, variant: str = "scenario",
             channel_shares: Mapping[str, float] | None = None) -> pd.DataFrame:
        """P10, P50 and P90 of one series and variant, indexed by month. ``ALL_CHANNELS_FRT`` is first response
        over all channels, each channel's band weighted by its share of tickets (``channel_shares``, by channel
        name; ``Company.channel_shares``)."""
        if series == ALL_CHANNELS_FRT:
            return self._mixed_band({f"frt_{c}_h": w for c, w in (channel_shares or {}).items()}, variant)
        return self.rows(series, (variant,)).set_index("month")[["p10", "p50", "p90"]]

    def _mixed_band(self, weights: Mapping[str, float], variant: str = "scenario") -> pd.DataFrame:
        """P10, P50 and P90 of a weighted mean of series (weights need not sum to 1; series without a band are
        left out), indexed by month: first response over all channels from each channel's, weighted by its
        tickets. Each quantile is the weighted mean of the series' quantiles, exact when the series move together
        across draws (the channels' first responses share every draw's staffing and volume)."""
        present = {s: w for s, w in weights.items() if (variant, s) in self._positions and w > 0}
        if not present:
            raise KeyError(f"none of {sorted(weights)} has a band")
        total = sum(present.values())
        return sum(self.band(s, variant) * (w / total) for s, w in present.items())

    def rows(self, series: str, variants: tuple[str, ...] = ("baseline", "scenario"),
             channel_shares: Mapping[str, float] | None = None) -> pd.DataFrame:
        """The rows of ``bands`` of one series, for ``variants`` in that order (read by position: a page reads
        a dozen bands a rerun); ``ALL_CHANNELS_FRT`` as :meth:`band` gives it."""
        if series == ALL_CHANNELS_FRT:
            return pd.concat([self.band(series, v, channel_shares).reset_index().assign(variant=v, series=series)
                              for v in variants], ignore_index=True)[["variant", "series", "month", "p10", "p50",
                                                                      "p90"]]
        at = [self._positions[(v, series)] for v in variants if (v, series) in self._positions]
        return self.bands.iloc[np.concatenate(at) if at else []].reset_index(drop=True)

    @functools.cached_property
    def _positions(self) -> dict[tuple[str, str], np.ndarray]:
        """Where each (variant, series) sits in ``bands``, months in order."""
        return self.bands.groupby(["variant", "series"], sort=False).indices


@dataclass(frozen=True)
class Projection:
    """Everything the pages show. Frames are indexed by month (0 = first month of the horizon).

    ``monthly``: one row per variant and month (point view). ``response``: first response per
    variant, month, channel and region. ``cash``: incremental lines of scenario versus baseline per
    month. ``lines`` and ``initial_by_line``: the same lines as arrays and the part of each paid
    up front in month 0 (for the risk-adjusted table). ``uncertainty``: the Monte Carlo view, or
    ``None`` when run without draws. ``ai_agent``: the AI agent per month (point view; see :data:`AI_COLUMNS`),
    ``None`` without one. The week behind any month comes from :func:`week_of`.
    """

    monthly: pd.DataFrame
    response: pd.DataFrame
    cash: pd.DataFrame
    summary: finance.CaseSummary
    pv_by_line: dict[str, float]
    calibration: Calibration
    warnings: tuple[str, ...]
    currency: str
    lines: dict[str, FloatArray]
    initial_by_line: dict[str, float]
    uncertainty: Uncertainty | None = None
    ai_agent: pd.DataFrame | None = None

    def variant(self, name: str) -> pd.DataFrame:
        return self.monthly[self.monthly["variant"] == name].set_index("month")


# ----------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class _Columns:
    """Assumption multipliers per column: 0 the point view, then the tornado's runs, then the draws."""

    values: dict[str, FloatArray]      # name -> (D,)
    names: tuple[str, ...]
    draws: slice
    median: int | None                 # all assumptions at their medians
    tornado: dict[str, tuple[int, int]]

    @property
    def size(self) -> int:
        return next(iter(self.values.values())).size


def _columns(assumptions: Assumptions, draws: int, seed: int) -> _Columns:
    ranges = dict(assumptions.items())
    names = tuple(ranges)
    if draws <= 0:
        return _Columns({n: np.ones(1) for n in names}, names, slice(1, 1), None, {})
    k = len(names)
    drawn = sample(ranges, draws, seed)
    values = {}
    tornado = {}
    for i, name in enumerate(names):
        r = ranges[name]
        col = np.empty(2 + 2 * k + draws)
        col[0] = 1.0                                      # the value as entered
        col[1:2 + 2 * k] = r.median
        col[2 + 2 * i], col[3 + 2 * i] = r.quantile(np.array(TORNADO_QUANTILES))
        col[2 + 2 * k:] = drawn[name]
        values[name] = col
        tornado[name] = (2 + 2 * i, 3 + 2 * i)
    return _Columns(values, names, slice(2 + 2 * k, 2 + 2 * k + draws), 1, tornado)


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


def _staffing(scenario: Scenario, months: int, removed: FloatArray | None = None) -> _Staffing:
    """Agents on duty, headcount and staff cost of both variants; ``removed`` (company sites, M): agents the AI
    agent's policy takes off each site's queue in the scenario (point view; their cost is counted per column by
    :func:`_cash_lines`)."""
    company, levers = scenario.company, scenario.levers
    sph = STEPS_PER_HOUR
    steps = int(168 * sph)
    names = tuple(s.name for s in _sites(scenario))
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
        for change in sorted((c for c in levers.site_hours if c.site == site.name), key=lambda c: c.start_month):
            week_s = np.where(step_on(months, change.start_month)[:, None] > 0.0,
                              supply.site_week(change.apply(site), sph)[None, :], week_s)
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
        if removed is not None:
            effective = np.maximum(effective - removed[i], 0.0)
        by_site[1, i] = effective[:, None] * week_s
        headcount[1] += paid
        cost[1] += paid * site.loaded_cost_per_agent_month + extension_cost

    for k, centre in enumerate(levers.centres, start=len(company.sites)):
        paid = centre.headcount * step_on(months, centre.start_month)
        effective = centre.headcount * s_curve(months, centre.start_month, centre.ramp_months)
        by_site[1, k] = effective[:, None] * supply.site_week(centre.as_site(), sph)[None, :]
        headcount[1] += paid
        cost[1] += paid * centre.loaded_cost_per_agent_month

    return _Staffing(by_site, names, headcount, cost)


# ----------------------------------------------------------------------------- capacity anchors


def _capacity_levers(scenario: Scenario, months: int, ramp_mult: FloatArray) -> list[tuple[str, int, FloatArray]]:
    """Levers that change who is on duty: (kind, index, share of full effect per column and month)."""
    levers = scenario.levers
    cols = ramp_mult.size
    out: list[tuple[str, int, FloatArray]] = []
    for i, hire in enumerate(levers.hires):
        share = s_curve(months, hire.start_month, stretched(hire.ramp_months, ramp_mult)) \
            if hire.agents > 0 \
            else np.broadcast_to(step_on(months, hire.start_month), (cols, months))
        out.append(("hire", i, share))
    for i, ext in enumerate(levers.extended_hours):
        out.append(("extended", i, np.broadcast_to(step_on(months, ext.start_month), (cols, months))))
    for i, change in enumerate(levers.site_hours):
        out.append(("hours", i, np.broadcast_to(step_on(months, change.start_month), (cols, months))))
    for i, centre in enumerate(levers.centres):
        out.append(("centre", i, s_curve(months, centre.start_month,
                                         stretched(centre.ramp_months, ramp_mult))))
    return out


def _sites(scenario: Scenario) -> tuple[Site, ...]:
    """The company's sites, then the plan's regional centres: the order of every per-site axis."""
    return scenario.company.sites + tuple(c.as_site() for c in scenario.levers.centres)


def _queues(scenario: Scenario, centres_open: frozenset[int] = frozenset()) -> np.ndarray:
    """(regions,) the site whose queue each region joins: the open centres (indices into the plan's centres)
    take their regions before any site, in the plan's order; a centre not open takes none."""
    sites = _sites(scenario)
    first = len(scenario.company.sites)
    claims = [s.serves if k < first or (k - first) in centres_open else () for k, s in enumerate(sites)]
    order = [first + i for i in sorted(centres_open)] + list(range(first))
    return routing.assign([r.name for r in scenario.company.regions], claims, order)


def _open_centres(on: dict[tuple[str, int], float]) -> frozenset[int]:
    return frozenset(i for (kind, i), bit in on.items() if kind == "centre" and bit == 1.0)


def _routing(scenario: Scenario, queue_of_region: np.ndarray) -> routing.Routing:
    return routing.Routing(queue_of_region, np.array([s.helps_others for s in _sites(scenario)]))


def _on_duty_at(scenario: Scenario, on: dict[tuple[str, int], float]) -> FloatArray:
    """Agents on duty per site and UTC step (sites, steps) with each capacity lever fully off (0) or on (1)."""
    company, levers = scenario.company, scenario.levers
    sph = STEPS_PER_HOUR
    out = np.zeros((len(_sites(scenario)), 168 * sph))
    for k, site in enumerate(company.sites):
        week = supply.site_week(site, sph)
        effective = site.headcount + sum(h.agents * on[("hire", i)] for i, h in enumerate(levers.hires)
                                         if h.site == site.name)
        changes = [(c.start_month, i, c) for i, c in enumerate(levers.site_hours)
                   if c.site == site.name and on[("hours", i)] == 1.0]
        week_s = supply.site_week(max(changes, key=lambda t: t[:2])[2].apply(site), sph) if changes else week
        for i, ext in enumerate(levers.extended_hours):
            if ext.site == site.name:
                extended: Site = ext.extend(site)
                new_week = open_mask(extended.utc_offset_h, extended.open_h, extended.close_h,
                                     extended.open_days, sph) * supply.on_duty_density(site)
                week_s = week_s + on[("extended", i)] * (new_week - week)
        out[k] = effective * week_s
    for i, centre in enumerate(levers.centres):
        out[len(company.sites) + i] = on[("centre", i)] * centre.headcount * supply.site_week(centre.as_site(), sph)
    return out


@dataclass(frozen=True)
class _Capacity:
    """Staffing anchors, anchor 0 the baseline, and each one's weight (V, D, M, A).

    ``anchors``: (A, sites, steps) agents on duty per site; ``queue_of_region``: (A, regions) the
    queue each region joins in that anchor; ``channel_mix``: (A, 2, ch) each channel's tickets and handle time
    relative to today's split (``rt.build``), None where every anchor has today's.
    """

    anchors: FloatArray
    queue_of_region: np.ndarray
    weights: FloatArray
    channel_mix: FloatArray | None = None


def _lever_groups(levers: list[tuple[str, int, FloatArray]]) -> list[tuple[list[tuple[str, int]], FloatArray]]:
    """Levers that move together (the same share in every column and month) as one group; at most
    :data:`MAX_LEVER_GROUPS` groups, the two closest in share merged (at their mean share) until so."""
    groups: list[tuple[list[tuple[str, int]], FloatArray]] = []
    for kind, i, share in levers:
        same = next((g for g in groups if np.array_equal(g[1], share)), None)
        if same is None:
            groups.append(([(kind, i)], share))
        else:
            same[0].append((kind, i))
    while len(groups) > MAX_LEVER_GROUPS:
        pairs = [(float(np.abs(a[1] - b[1]).max()), x, y) for x, a in enumerate(groups) for y, b in enumerate(groups)
                 if x < y]
        _, x, y = min(pairs)
        merged = (groups[x][0] + groups[y][0], 0.5 * (groups[x][1] + groups[y][1]))
        groups = [g for k, g in enumerate(groups) if k not in (x, y)] + [merged]
    return groups


def _capacity(scenario: Scenario, months: int, ramp_mult: FloatArray, dl: _DemandLevers | None = None) -> _Capacity:
    """Every corner of the capacity levers (each off or on) that carries weight in some month.

    A lever at share ``f`` of its effect puts weight ``f`` on its "on" corners and ``1 - f`` on its
    "off" corners; corners with the same agents on duty and the same routing are merged. Levers that
    move together switch together (:func:`_lever_groups`), and a corner is followed only while it
    carries weight, so a plan of many actions at different months stays a few dozen corners.

    An AI agent on some channels only shifts the channel mix of the work (``dl.ai_mix``): each corner the scenario
    uses then comes twice, with today's mix and with the agent's settled mix, weighed by how far the agent has
    shifted it in each column and month.
    """
    levers = _capacity_levers(scenario, months, ramp_mult)
    cols = ramp_mult.size
    groups = _lever_groups(levers)
    off = {(kind, i): 0.0 for kind, i, _ in levers}
    anchors = [(_on_duty_at(scenario, off), _queues(scenario))]
    weights = [np.zeros((cols, months))]

    def visit(k: int, w: FloatArray, on: dict[tuple[str, int], float]) -> None:
        if not np.any(w > 0.0):
            return
        if k == len(groups):
            anchor = (_on_duty_at(scenario, on), _queues(scenario, _open_centres(on)))
            same = next((a for a, known in enumerate(anchors)
                         if np.array_equal(known[0], anchor[0]) and np.array_equal(known[1], anchor[1])), None)
            if same is None:
                anchors.append(anchor)
                weights.append(w)
            else:
                weights[same] = weights[same] + w
            return
        members, share = groups[k]
        visit(k + 1, w * (1.0 - share), on)
        visit(k + 1, w * share, {**on, **dict.fromkeys(members, 1.0)})

    visit(0, np.ones((cols, months)), off)
    scen = np.stack(weights, axis=-1)
    scen = scen / scen.sum(axis=-1, keepdims=True)      # x / x is exactly 1: merged corners stay exact
    on_duty, queues = np.stack([a[0] for a in anchors]), np.stack([a[1] for a in anchors])
    mix = None
    if dl is not None and dl.ai_mix is not None and dl.ai_mix_share is not None:
        shifted = dl.ai_mix_share[..., None]
        scen = np.concatenate([scen * (1.0 - shifted), scen * shifted], axis=-1)
        n = on_duty.shape[0]
        on_duty, queues = np.concatenate([on_duty, on_duty]), np.concatenate([queues, queues])
        mix = np.concatenate([np.ones((n,) + dl.ai_mix.shape), np.broadcast_to(dl.ai_mix, (n,) + dl.ai_mix.shape)])
        used = np.flatnonzero((np.arange(2 * n) == 0) | np.any(scen > 0.0, axis=(0, 1)))   # anchor 0: the baseline
        scen, on_duty, queues, mix = scen[..., used], on_duty[used], queues[used], mix[used]
    base = np.zeros_like(scen)
    base[..., 0] = 1.0
    return _Capacity(on_duty, queues, np.stack([base, scen]), mix)


# ----------------------------------------------------------------------------- demand side


@dataclass(frozen=True)
class _DemandLevers:
    deflected_pct: FloatArray       # (V, D, M) share of issues resolved without a person: self-service and AI agent
    tool_pct: FloatArray            # (V, D, M) of which by self-service; its fees are paid on these
    tool_csat_pct: float            # satisfaction of customers whose issue the tool resolved
    fcr_pct: FloatArray             # (V, D, M)
    handle_mult: FloatArray         # (V, D, M) multiplier on every channel's handle time
    ai: AIMonths | None = None      # the AI agent's flow per issue reaching the team (scenario; D, M)
    ai_mix: FloatArray | None = None            # (2, ch) the agent's settled channel mix (point view; rt.build)
    ai_mix_share: FloatArray | None = None      # (D, M) how far each column and month has moved towards it
    ai_tickets_by_channel: FloatArray | None = None   # (D, M, ch) each channel's tickets relative to today's split
    ai_resolved_pct: FloatArray | None = None   # (V, D, M) share of issues the AI agent resolves for good
    ai_handoff_pct: FloatArray | None = None    # (V, D, M) share of issues that tried the agent, then a person
    handle_mult_without_ai: FloatArray | None = None   # (V, D, M) for the hours the agent frees


def _ramp(ramp_months: float, v: dict[str, FloatArray]) -> FloatArray:
    """A lever's ramp per column: the entered months times the ramp-time draw, at most the lever limit."""
    return stretched(ramp_months, v["ramp_time"])


def ai_agent_of(scenario: Scenario) -> AIAgent | None:
    """The scenario's AI agent if it takes part in any of the company's channels; an agent involved nowhere is not
    bought, so it costs nothing (its fees, seats and run costs included)."""
    agent = scenario.levers.ai_agent
    if agent is None or not any(agent.involvement_of(c.name) > 0.0 for c in scenario.company.channels):
        return None
    return agent


def _work_share(st: _Static) -> FloatArray:
    """Each channel's share of today's agent work (tickets x handle time per ticket), summing to 1."""
    work = st.channel_share * st.handle_h
    return work / work.sum() if work.sum() > 0.0 else st.channel_share


def _demand_levers(scenario: Scenario, st: _Static, months: int, v: dict[str, FloatArray]) -> _DemandLevers:
    """The levers' effects on demand per column: planned effect x achieved share, on its ramp."""
    company, levers = scenario.company, scenario.levers
    cols = v["ramp_time"].size
    resolved = np.zeros((2, cols, months))
    handle = np.broadcast_to(v["handle_time"][:, None], (2, cols, months)).copy()
    fcr = np.full((2, cols, months), company.first_contact_resolution_pct)
    tool_csat = company.csat_today_pct
    if (tool := levers.deflection) is not None:
        ramp = s_curve(months, tool.start_month, _ramp(tool.ramp_months, v))
        deflection = np.minimum(tool.deflection_pct * v["deflection_achieved"], 1.0)[:, None]
        leakage = np.minimum(tool.leakage_pct * v["leakage"], 1.0)[:, None]
        resolved[1] = deflection * ramp * (1.0 - leakage)
        if tool.deflection_pct > 0.0:
            handle[1] *= 1.0 + tool.harder_mix_pct * ramp
        if tool.self_service_csat_pct is not None:
            tool_csat = tool.self_service_csat_pct
    if (prod := levers.productivity) is not None:
        cut = np.minimum(prod.handle_time_reduction_pct * v["handle_reduction_achieved"], 0.8)[:, None]
        handle[1] *= 1.0 - cut * s_curve(months, prod.start_month, _ramp(prod.ramp_months, v))
    if (train := levers.training) is not None:
        gain = np.minimum(train.fcr_gain_pts * v["fcr_gain_achieved"], MAX_FCR_GAIN)[:, None]
        # Training never lowers resolution, even where today's is above the cap.
        fcr[1] = np.maximum(fcr[0], np.minimum(FCR_CAP, fcr[1] + gain * s_curve(months, train.start_month,
                                                                                _ramp(train.ramp_months, v))))
    if (agent := ai_agent_of(scenario)) is None:
        return _DemandLevers(resolved, resolved, tool_csat, fcr, handle)
    # The agent takes the issues self-service leaves; its easy resolutions leave people the harder tickets.
    channels, work_share = [c.name for c in company.channels], _work_share(st)
    ai = ai_months(agent, channels, st.channel_share, work_share, months, v)
    ai_resolved, ai_handoff = np.zeros_like(resolved), np.zeros_like(resolved)
    ai_resolved[1] = (1.0 - resolved[1]) * ai.resolved
    ai_handoff[1] = (1.0 - resolved[1]) * ai.handoffs
    without_ai = handle.copy()
    handle[1] *= ai.handle_multiplier
    # The channel mix at the point view once the agent runs in full; each column and month lies part of the way.
    b = agent.behaviour
    settled = flow(np.array([agent.involvement_of(c) for c in channels]), b.resolution_pct, b.return_pct,
                   b.new_demand_pct, b.resolved_handle_ratio, b.handoff_handle_ratio)
    full = float(settled.resolved @ st.channel_share)
    tickets_by_channel, _ = channel_mix(ai.resolved_by_channel, ai.work_by_channel, st.channel_share, work_share)
    mix = share = None
    if full > 0.0 and not np.allclose(settled.resolved, settled.resolved[0]):   # the same on every channel: no shift
        mix = np.stack(channel_mix(settled.resolved, settled.agent_hours, st.channel_share, work_share))
        share = np.minimum(ai.resolved / full, 1.0)
    return _DemandLevers(resolved + ai_resolved, resolved, tool_csat, fcr, handle, ai, mix, share, tickets_by_channel,
                         ai_resolved, ai_handoff, without_ai)


MAX_AI_CUT = 0.95     # the AI agent's policy never takes more than this share of the agents off the queues
OCCUPANCY = 0.85      # freed hours to agents: per productive hour at this occupancy (model.sources "occupancy")


@dataclass(frozen=True)
class _AIStaff:
    """What the AI agent's freed hours become, per column and month (D, M), and where its cut falls."""

    freed_hours: FloatArray        # agent hours a month the agent takes off the team
    freed_agents: FloatArray       # the same as agents at the team's productive hours and OCCUPANCY
    effect: HeadcountEffect
    site_weights: FloatArray       # (company sites,) the share of the cut each site takes
    cost_per_agent_month: float
    team_agents: FloatArray        # (M,) the scenario's team without the agent (all sites, centres included)

    @property
    def removed_agents(self) -> FloatArray:
        """Agents no longer answering tickets: fewer, plus those moved to other work."""
        return self.effect.fewer_agents + self.effect.redeployed_agents

    @property
    def work_scale(self) -> FloatArray:
        """(D, M) the work each agent left on duty carries, relative to the team without the agent.

        The agents the policy takes off the queues enter the response grid as the same share of every site's agents
        on duty, that is as the work divided by the share left: ``1 / (1 - removed / team)``. For the backlog (e-mail,
        and every queue past its capacity) this is exact; for Erlang C's wait it leaves out the small loss of pooling
        of a slightly smaller team (the agents removed are a few percent of the team)."""
        team = np.maximum(self.team_agents, 1e-9)
        return 1.0 / (1.0 - np.minimum(self.removed_agents / team, MAX_AI_CUT))


def _ai_staff(scenario: Scenario, st: _Static, dl: _DemandLevers, staffing: _Staffing, issues: FloatArray,
              months: int) -> _AIStaff | None:
    """The AI agent's freed hours through its headcount policy (``model.ai_agent.headcount``).

    Hours are counted on today's customer growth (the path the response grid is built on): the work of the tickets
    the scenario leaves to people without the agent, less what the agent leaves them. The team it shrinks is the
    scenario's own (its hires included); for ``avoid_hires`` the cut falls where the plan hires.
    """
    agent = ai_agent_of(scenario)
    if agent is None or dl.ai is None or dl.handle_mult_without_ai is None:
        return None
    company, levers = scenario.company, scenario.levers
    issues_per_month = (_customer_growth(company, months) * company.customers * issues[:, None]
                        * (1.0 - dl.tool_pct[1]))                                            # (D, M)
    work_h = issues_per_month * (2.0 - dl.fcr_pct[1]) * float(st.channel_share @ st.handle_h) \
        * dl.handle_mult_without_ai[1]
    freed_hours = work_h * (1.0 - dl.ai.work)
    sites = company.sites
    headcount = np.array([s.headcount for s in sites])
    productive = PAID_HOURS_PER_MONTH * (1.0 - np.array([s.shrinkage_pct for s in sites])) * OCCUPANCY
    planned = np.zeros(months)
    by_site = np.zeros(len(sites))
    for hire in (h for h in levers.hires if h.agents > 0.0 and h.start_month < months):
        planned[hire.start_month] += hire.agents
        by_site[[s.name for s in sites].index(hire.site)] += hire.agents
    use_hires = agent.policy.policy == "avoid_hires" and by_site.sum() > 0.0
    weights = by_site / by_site.sum() if use_hires else (
        headcount / headcount.sum() if headcount.sum() > 0.0 else np.full(len(sites), 1.0 / len(sites)))
    cost = float(weights @ np.array([s.loaded_cost_per_agent_month for s in sites]))
    freed_agents = freed_hours / float(weights @ productive)
    effect = headcount_effect(agent.policy, freed_agents, staffing.headcount[1], planned, cost)
    return _AIStaff(freed_hours, freed_agents, effect, weights, cost, staffing.headcount[1])


def _class_multipliers(company: Company, v: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Per column (D, 3): churn, expansion and referral multipliers of (none, satisfied, dissatisfied).

    ``churn_dissatisfied`` scales the dissatisfied class's churn multiplier; the expansion and
    referral effects scale each class's distance from 1 (a multiplier never falls below 0).
    """
    base = experience.class_multipliers(company.classes)
    churn = np.broadcast_to(base["churn"], (v["churn_dissatisfied"].size, 3)).copy()
    churn[:, 2] = churn[:, 2] * v["churn_dissatisfied"]
    return {"churn": churn,
            "expansion": experience.scaled_effect(base["expansion"], v["expansion_effect"][:, None]),
            "referral": experience.scaled_effect(base["referral"], v["referral_effect"][:, None])}


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
    """One month's week for every variant, computed exactly (for the Staffing page)."""

    tickets: FloatArray        # (V,)
    arrivals: FloatArray       # (V, ch, regions, steps)
    delay_paths_h: FloatArray  # (V, ch, queues, paths, steps)
    queue_of_region: np.ndarray  # (V, regions)
    queue_agents: FloatArray   # (V, queues, steps)
    load_pct: FloatArray       # (V, steps)
    backlog_age_h: FloatArray  # (V, steps)


def _month(st: _Static, customers_now: FloatArray, deflected: FloatArray, fcr: FloatArray, handle_mult: FloatArray,
           on_duty_by_site: FloatArray, route: routing.Routing, mix: FloatArray | None = None) -> _Month:
    """``mix``: (V, 2, ch) each channel's tickets and handle time relative to today's split (an AI agent's)."""
    tickets = demand.agent_tickets_per_month(customers_now, st.issues_per_customer, deflected, fcr)
    arrivals = demand.weekly_arrivals(tickets, st.channel_share, st.region_share, st.profile)
    handle = st.handle_h[None, :] * handle_mult[:, None]
    if mix is not None:
        arrivals = arrivals * mix[:, 0, :, None, None]
        handle = handle * mix[:, 1]
    week = respond_routed(arrivals, handle, st.is_live, on_duty_by_site, STEPS_PER_HOUR, route)
    queue_of_region = np.broadcast_to(week.queue_of_region, (arrivals.shape[0], arrivals.shape[-2]))
    return _Month(tickets, arrivals, week.delay_paths_h, queue_of_region, week.queue_agents, week.load_pct,
                  week.backlog_age_h)


@functools.lru_cache(maxsize=16)
def _customer_growth(company: Company, months: int) -> FloatArray:
    """Customers relative to today if today's churn, expansion and referrals held: (months,), read-only.

    Kept per company and horizon: the response grid and the AI agent's freed hours both stand on it."""
    flat = np.ones(months)
    path = cust.paths(flat * company.churn_monthly_pct, flat * company.expansion_monthly_pct,
                      flat * company.referral_rate_per_month, company.customers,
                      company.customers * company.arpu_per_month, company.new_customers_per_month,
                      company.arpu_per_month)
    growth = path.customers / company.customers
    growth.setflags(write=False)
    return growth


def _table(scenario: Scenario, st: _Static, dl: _DemandLevers, cap: _Capacity, contact_mult: FloatArray,
           months: int, work_scale: FloatArray | float = 1.0) -> tuple[rt.ResponseTable, float]:
    """The response grid and the reference tickets per month (work multiplier 1).

    Each anchor covers the work it meets in the months and columns where it has weight, with
    today's customer growth: finely around the point view and the bulk of the draws, coarsely
    in the draws' tails, widened by :data:`WORK_MARGIN` for customers drifting with the levers.
    """
    company = scenario.company
    fcr0 = company.first_contact_resolution_pct
    # Tickets of the first month; at least one, so a company without contacts still has a week shape.
    tickets_ref = max(company.customers * st.issues_per_customer * (2.0 - fcr0), 1.0)
    x = (_customer_growth(company, months) * contact_mult[:, None] * (1.0 - dl.deflected_pct)
         * (2.0 - dl.fcr_pct) / (2.0 - fcr0) * dl.handle_mult * work_scale)       # (V, D, M)
    x = np.maximum(x, 1e-6)
    nodes = []
    for a in range(cap.anchors.shape[0]):
        used = cap.weights[..., a] > 0.0
        at_point = x[:, 0][used[:, 0]]
        fine = ((at_point.min(), at_point.max()) if at_point.size else (1.0, 1.0))
        extremes = np.array([x[used].min() / WORK_MARGIN, x[used].max() * WORK_MARGIN])
        nodes.append(rt.work_nodes(np.concatenate([x[used], extremes]), (fine[0] / WORK_MARGIN, fine[1] * WORK_MARGIN)))
    arrivals_ref = demand.weekly_arrivals(tickets_ref, st.channel_share, st.region_share, st.profile)
    table = rt.build(arrivals_ref, st.handle_h, st.is_live, cap.anchors, nodes, st.target_h,
                     st.business_hours, STEPS_PER_HOUR, _routing(scenario, cap.queue_of_region), cap.channel_mix)
    return table, tickets_ref


def _calibrate(company: Company, raw0: FloatArray, cell_w: FloatArray, contacted: FloatArray,
               mult: dict[str, FloatArray]) -> tuple[dict[str, FloatArray], FloatArray]:
    """Solve the baseline's month 0 to today's CSAT, churn, expansion, referrals and NPS, per column.

    Today's experience classes are taken as the steady state of today's contact rate and CSAT.
    ``raw0``: (D, ch, r) raw CSAT of the baseline's first month. Returns arrays of shape (D,)
    named as :class:`Calibration`'s fields, and the class shares (D, 3).
    """
    shift = experience.logit_shift_to_match(raw0, cell_w, company.csat_today_pct)
    shares = experience.steady_classes(contacted[:, None], company.csat_today_pct,
                                       company.classes.memory_months)[:, 0]
    offsets = experience.nps_offsets(company.classes)
    return {
        "csat_logit_shift": shift,
        "churn_base_pct": company.churn_monthly_pct / (shares * mult["churn"]).sum(axis=-1),
        "expansion_base_pct": company.expansion_monthly_pct / (shares * mult["expansion"]).sum(axis=-1),
        "referral_base_rate": company.referral_rate_per_month / (shares * mult["referral"]).sum(axis=-1),
        "nps_no_contact": company.nps_today - (shares * offsets).sum(axis=-1),
    }, shares


DRAWN_SERIES = ("customers", "mrr", "deflected", "ai_issues", "tickets", "csat", "nps", "churn", "expansion", "referral")
POINT_SERIES = ("lost", "referred", "contact_csat", "satisfied", "dissatisfied", "ai_resolved", "answered_csat")


def simulate(scenario: Scenario, draws: int = 0, seed: int = SEED) -> Projection:
    """Run baseline and scenario over the horizon and value the difference.

    ``draws`` Monte Carlo draws of the assumptions' ranges (0: the point view only), from
    ``seed``. Returns a :class:`Projection`; see its docstring for the tables.
    """
    company, fin = scenario.company, scenario.finance
    months = fin.horizon_months
    cols = _columns(scenario.assumptions, draws, seed)
    v = cols.values
    st = _Static.of(company)
    staffing = _staffing(scenario, months)
    dl = _demand_levers(scenario, st, months, v)
    agent = ai_agent_of(scenario)
    handoff_loss = 0.0 if agent is None else 1.0 - agent.handoff_csat_relative
    issues = st.issues_per_customer * v["contact_rate"]                       # (D,)
    ai = _ai_staff(scenario, st, dl, staffing, issues, months)
    if ai is not None:
        staffing = _staffing(scenario, months, ai.site_weights[:, None] * ai.removed_agents[0])
    cap = _capacity(scenario, months, v["ramp_time"], dl)
    work_scale = np.ones((2, cols.size, months))
    if ai is not None:
        work_scale[1] = ai.work_scale
    mult = _class_multipliers(company, v)
    contacted = experience.contacted_share(issues)                             # (D,)
    table, tickets_ref = _table(scenario, st, dl, cap, v["contact_rate"], months, work_scale)
    curves = experience.CurveArrays(
        floor_pct=np.broadcast_to(st.curves.floor_pct, (cols.size, st.curves.floor_pct.size)),
        ceiling_pct=np.broadcast_to(st.curves.ceiling_pct, (cols.size, st.curves.ceiling_pct.size)),
        half_h=st.curves.half_h * v["csat_half_point"][:, None],
        slope=st.curves.slope * v["csat_slope"][:, None])
    raw_table = rt.csat_by_draw(table, curves)                                 # (A, J, D, ch, r)
    cell_w = st.channel_share[:, None] * st.region_share[None, :]
    fcr_gain = dl.fcr_pct - company.first_contact_resolution_pct

    shape = (2, cols.size)
    n_t = np.full(shape, company.customers)
    mrr_t = np.full(shape, company.customers * company.arpu_per_month)
    # Filled month by month, so kept month-first while filling: (M, V, D); read as (V, D, M) after the loop.
    s = {k: np.zeros((months,) + shape) for k in DRAWN_SERIES}          # every column
    s.update({k: np.zeros((months, 2, 1)) for k in POINT_SERIES})      # the point view only
    frt = np.zeros((months,) + shape + table.log_channel_mean_h.shape[2:])   # first response per channel
    point_csat = np.zeros((2, months) + table.log_mean_h.shape[2:])
    x_point = np.zeros((2, months))
    cal: dict[str, FloatArray] = {}
    shares = np.zeros(shape + (3,))
    for t in range(months):
        tickets = demand.agent_tickets_per_month(n_t, issues, dl.deflected_pct[..., t], dl.fcr_pct[..., t])
        x = tickets * dl.handle_mult[..., t] * work_scale[..., t] / tickets_ref
        w = cap.weights[:, :, t]
        at = rt.reading(table, x, w)
        raw = rt.mix_at(raw_table, at, draw_axis=True)                         # (V, D, ch, r)
        # First response does not feed back into the month's customers, but is read where CSAT is.
        frt[t] = rt.mix_at(table.log_channel_mean_h, at, log_values=True)
        if t == 0:
            cal, today = _calibrate(company, raw[0], cell_w, contacted, mult)
            shares = np.broadcast_to(today, shape + (3,))
            # Each class's churn, expansion and referral rate per column: (D, classes, 3)
            class_rates = np.stack([cal[base][:, None] * mult[kind] for base, kind in (
                ("churn_base_pct", "churn"), ("expansion_base_pct", "expansion"),
                ("referral_base_rate", "referral"))], axis=-1)
        cells = np.clip(experience.shifted(raw, cal["csat_logit_shift"][:, None, None])
                        + fcr_gain[..., t, None, None], *experience.CSAT_BOUNDS)
        if dl.ai_tickets_by_channel is None:
            csat = (cells * cell_w).sum(axis=(-1, -2))
        else:                 # the scenario's tickets by channel as the agent leaves them
            weights = np.stack([np.broadcast_to(cell_w, cells.shape[1:]),
                                cell_w * dl.ai_tickets_by_channel[:, t, :, None]])
            csat = (cells * weights).sum(axis=(-1, -2))
        deflected, tool = dl.deflected_pct[..., t], dl.tool_pct[..., t]
        contact_csat = (1.0 - deflected) * csat + tool * dl.tool_csat_pct
        if dl.ai is not None and dl.ai_resolved_pct is not None and dl.ai_handoff_pct is not None:
            # AI-resolved issues at their own CSAT; a hand-off, answered by a person, below a person's answer alone.
            contact_csat = np.clip(contact_csat + dl.ai_resolved_pct[..., t] * dl.ai.csat_relative * csat
                                   - dl.ai_handoff_pct[..., t] * handoff_loss * csat, 0.0, 1.0)
        shares = experience.remembered_classes(shares, contacted, contact_csat, company.classes.memory_months)
        # Written out (not a matrix product) so that each column's figures never depend on the other columns.
        by_kind = (shares[..., 0, None] * class_rates[:, 0] + shares[..., 1, None] * class_rates[:, 1]
                   + shares[..., 2, None] * class_rates[:, 2])
        churn, expansion, referral = np.moveaxis(by_kind, -1, 0)
        churn = np.clip(churn, 0.0, 1.0)
        for key, value in (("customers", n_t), ("mrr", mrr_t), ("tickets", tickets),
                           ("deflected", n_t * issues * tool), ("ai_issues", n_t * issues * (1.0 - tool)),
                           ("csat", contact_csat), ("answered_csat", csat),
                           ("nps", experience.nps_of_classes(shares, cal["nps_no_contact"], company.classes)),
                           ("churn", churn), ("expansion", expansion), ("referral", referral),
                           ("contact_csat", contact_csat), ("satisfied", shares[..., 1]),
                           ("dissatisfied", shares[..., 2]), ("ai_resolved", n_t * issues * (deflected - tool))):
            s[key][t] = value if key in DRAWN_SERIES else value[:, :1]
        x_point[:, t] = x[:, 0]
        point_csat[:, t] = cells[:, 0]
        n_t, mrr_t, lost, referred = cust.step(n_t, mrr_t, churn, expansion, referral,
                                               company.new_customers_per_month, company.arpu_per_month)
        s["lost"][t], s["referred"][t] = lost[:, :1], referred[:, :1]

    s = {k: np.moveaxis(v, 0, -1) for k, v in s.items()}
    frt = np.moveaxis(frt, 0, 2)                                               # (V, D, M, ch)
    w_point = cap.weights[:, 0]                                                # (V, M, A)
    point = {"csat_pct": point_csat, "mean_h": rt.mix(table, table.log_mean_h, x_point, w_point, log_values=True)}
    # A share mixed over anchors whose weights add to 1 only to rounding (the AI agent's two channel mixes) stays one.
    point["within_target_pct"] = np.clip(rt.mix(table, table.within_target_pct, x_point, w_point), 0.0, 1.0)
    point["business_mean_h"] = rt.mix(table, table.log_business_mean_h, x_point, w_point, log_values=True)
    point["median_h"] = rt.quantile_of_weights(rt.mix(table, table.delay_weights, x_point, w_point), 0.5)
    point["business_median_h"] = rt.quantile_of_weights(
        rt.mix(table, table.business_delay_weights, x_point, w_point), 0.5)
    load_over_90_h = rt.mix(table, table.load_over_90_h, x_point, w_point)
    overloaded = rt.mix(table, table.overloaded, x_point, w_point)

    disc = finance.discount_factors(months, fin.discount_rate_annual_pct)
    lines, initial = _cash_lines(scenario, s, staffing, months, dl, ai)
    outcome = finance.summarise_columns(lines, BENEFIT_LINES, COST_LINES, fin.discount_rate_annual_pct)
    point_lines = {k: line[0] for k, line in lines.items()}
    pv_by_line = {k: float(outcome.pv_by_line[k][0]) for k in lines}
    summary = outcome.case(0)
    s0 = {k: val[:, 0] for k, val in s.items()}
    s0["overloaded"], s0["load_over_90_h"] = overloaded, load_over_90_h
    monthly = _monthly_frame(company, s0, frt[:, 0], staffing, dl.fcr_pct[:, 0], months, ai)
    response = _response_frame(company, point, months)
    warnings = _guardrails(scenario, s0, pv_by_line, dl)
    calibration = Calibration(**{k: float(val[0]) for k, val in cal.items()})
    uncertainty = None
    if draws > 0:
        uncertainty = _uncertainty(company, cols, s, frt, lines, outcome, draws, seed)
    return Projection(monthly, response, _cash_frame(point_lines, disc), summary, pv_by_line, calibration,
                      warnings, fin.currency, point_lines, initial, uncertainty,
                      _ai_frame(_ai_counts(scenario, dl, s, months), ai, months))


def _uncertainty(company: Company, cols: _Columns, s: dict[str, FloatArray], frt: FloatArray,
                 lines: dict[str, FloatArray], outcome: finance.ColumnOutcome, draws: int,
                 seed: int) -> Uncertainty:
    """Percentile bands, per-draw outcomes, tornado and rank correlations from the columns."""
    d = cols.draws
    months = frt.shape[2]
    series = {"csat_pct": s["csat"], "nps": s["nps"], "churn_pct": s["churn"], "expansion_pct": s["expansion"],
              "referral_rate": s["referral"], "customers": s["customers"], "tickets": s["tickets"],
              "revenue": s["mrr"]}
    for c, ch in enumerate(company.channels):
        series[f"frt_{ch.name}_h"] = frt[..., c]
    flow = sum(lines[k] for k in BENEFIT_LINES) - sum(lines[k] for k in COST_LINES)     # (D, M)
    rows = [(variant, name, values[v, d]) for name, values in series.items() for v, variant in enumerate(VARIANTS)]
    rows += [("incremental", "cash_flow", flow[d]), ("incremental", "cumulative_cash", np.cumsum(flow[d], axis=-1))]
    q = np.stack([percentiles(values, axis=0) for _, _, values in rows], axis=1)           # (3, rows, M)
    bands = pd.DataFrame({
        "variant": np.repeat([variant for variant, _, _ in rows], months),
        "series": np.repeat([name for _, name, _ in rows], months),
        "month": np.tile(np.arange(months), len(rows)),
        "p10": q[0].reshape(-1), "p50": q[1].reshape(-1), "p90": q[2].reshape(-1)})

    outcomes = pd.DataFrame({"npv": outcome.npv[d], "roi_pct": outcome.roi_pct[d],
                             "payback_month": outcome.payback_month[d],
                             **{name: cols.values[name][d] for name in cols.names}})
    median_npv = float(outcome.npv[cols.median]) if cols.median is not None else float("nan")
    names = list(cols.tornado)
    lo, hi = (np.array([cols.tornado[name][i] for name in names], dtype=np.int64) for i in (0, 1))
    swing = np.abs(outcome.npv[hi] - outcome.npv[lo])
    order = np.argsort(-swing, kind="stable")                  # widest swing first; ties keep their order
    tornado = pd.DataFrame({
        "assumption": [names[i] for i in order], "label": [ASSUMPTION_INFO[names[i]][0] for i in order],
        "low": [cols.values[names[i]][lo[i]] for i in order], "high": [cols.values[names[i]][hi[i]] for i in order],
        "npv_low": outcome.npv[lo[order]], "npv_high": outcome.npv[hi[order]], "swing": swing[order]})
    rho = _rank_correlations(np.stack([cols.values[name][d] for name in cols.names], axis=-1)
                             if cols.names else np.zeros((len(d), 0)), outcome.npv[d])
    order = np.argsort(-np.abs(rho), kind="stable")            # strongest first; ties keep their order
    corr = pd.DataFrame({"assumption": [cols.names[i] for i in order],
                         "label": [ASSUMPTION_INFO[cols.names[i]][0] for i in order],
                         "rank_correlation": rho[order]})
    return Uncertainty(draws, seed, bands, outcomes, tornado, corr, median_npv)


def _rank_correlations(x: FloatArray, y: FloatArray) -> FloatArray:
    """Spearman's rank correlation of each column of ``x`` (draws, k) with ``y`` (draws,); 0 where one is constant."""
    rx = ranks(x, axis=0)
    rx -= rx.mean(axis=0)
    ry = ranks(y)
    ry -= ry.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (rx * ry[:, None]).sum(axis=0) / np.sqrt((rx * rx).sum(axis=0) * (ry * ry).sum())
    return np.where((np.ptp(x, axis=0) == 0.0) | (np.ptp(y) == 0.0), 0.0, r)


def risk_adjusted_view(scenario: Scenario, p: Projection) -> tuple[pd.DataFrame, finance.CaseSummary]:
    """The Forrester TEI view of ``p``'s point-view cash lines: each benefit line cut and each cost line raised by
    the scenario's risk adjustment for it (``finance.risk_adjusted``), discounted at the scenario's rate."""
    adjust = {line: scenario.risk.of_line(line) for line in BENEFIT_LINES + COST_LINES}
    return finance.risk_adjusted(p.lines, p.initial_by_line, adjust, BENEFIT_LINES, COST_LINES,
                                 scenario.finance.discount_rate_annual_pct)


def week_of(scenario: Scenario, projection: Projection, month: int, variant: str = "scenario") -> Week:
    """The week of ``month`` of ``variant`` in the point view, run through the queueing model itself.

    Same customers and levers as ``simulate``; the monthly figures come from the response grid,
    so they can differ from this week's by the grid's interpolation (well under a few percent).
    """
    company = scenario.company
    months = scenario.finance.horizon_months
    v = VARIANTS.index(variant)
    st = _Static.of(company)
    staffing = _staffing(scenario, months)
    point = _columns(Assumptions.certain(), 0, SEED).values
    dl = _demand_levers(scenario, st, months, point)
    ai = _ai_staff(scenario, st, dl, staffing, st.issues_per_customer * point["contact_rate"], months)
    if ai is not None:
        staffing = _staffing(scenario, months, ai.site_weights[:, None] * ai.removed_agents[0])
    customers = np.full(2, float(projection.variant(variant)["customers"].iloc[month]))
    opened = frozenset(i for i, c in enumerate(scenario.levers.centres) if month >= c.start_month and c.headcount > 0.0)
    route = _routing(scenario, np.stack([_queues(scenario), _queues(scenario, opened)]))
    mix = np.ones((2, 2, len(company.channels)))
    if dl.ai is not None:
        work_share = _work_share(st)
        mix[1] = np.stack(channel_mix(dl.ai.resolved_by_channel[0, month], dl.ai.work_by_channel[0, month],
                                      st.channel_share, work_share))
    m = _month(st, customers, dl.deflected_pct[:, 0, month], dl.fcr_pct[:, 0, month], dl.handle_mult[:, 0, month],
               staffing.by_site[:, :, month], route, mix)
    return Week(
        arrivals=m.arrivals[v],
        handle_time_h=st.handle_h * dl.handle_mult[v, 0, month] * mix[v, 1],
        is_live=st.is_live,
        target_h=st.target_h,
        on_duty_by_site=staffing.by_site[v, :, month],
        backlog_age_h=m.backlog_age_h[v],
        delay_paths_h=m.delay_paths_h[v],
        queue_of_region=m.queue_of_region[v],
        queue_agents=m.queue_agents[v],
        business_hours=st.business_hours,
        channels=tuple(c.name for c in company.channels),
        regions=tuple(r.name for r in company.regions),
        sites=staffing.site_names,
        steps_per_hour=STEPS_PER_HOUR,
    )


# ----------------------------------------------------------------------------- money


def _one_off(line: FloatArray, month: int, amount: float, initial: dict[str, float], name: str) -> None:
    """Book a one-off cost in its month; a lever starting after the horizon costs nothing in it."""
    if month < line.shape[-1]:
        line[..., month] += amount
        if month == 0:
            initial[name] = initial.get(name, 0.0) + amount


def _ai_counts(scenario: Scenario, dl: _DemandLevers, s: dict[str, FloatArray],
               months: int) -> dict[str, FloatArray] | None:
    """The AI agent's counts and costs per column and month (D, M) in the scenario: conversations (new demand
    included), new-demand conversations, the resolutions its vendor counts, true resolutions (left the team's work
    for good), hand-offs, the vendor's fees and the run costs (knowledge upkeep and QA; implementation is a one-off
    in :func:`_cash_lines`)."""
    agent = ai_agent_of(scenario)
    if agent is None or dl.ai is None:
        return None
    issues = s["ai_issues"][1]
    on = step_on(months, agent.start_month)
    conversations = issues * dl.ai.conversations
    vendor = issues * dl.ai.vendor_resolutions
    # Every conversation the agent takes part in on a ticket of today is resolved for good or handed off; the rest
    # would never have been tickets.
    return {"conversations": conversations,
            "new_demand": issues * (dl.ai.conversations - dl.ai.resolved - dl.ai.handoffs),
            "vendor_resolutions": vendor, "true_resolutions": issues * dl.ai.resolved,
            "handoffs": issues * dl.ai.handoffs,
            "fees": on * monthly_fee(agent.pricing, conversations, vendor),
            "run_costs": on * agent.run.per_month + np.zeros_like(conversations)}


def _cash_lines(scenario: Scenario, s: dict[str, FloatArray], staffing: _Staffing, months: int,
                dl: _DemandLevers | None = None,
                ai: _AIStaff | None = None) -> tuple[dict[str, FloatArray], dict[str, float]]:
    """Incremental benefit and cost lines (scenario minus baseline) per column and month (D, M).

    Revenue gains are split by re-running the customer stock with the scenario's churn, then
    also its expansion, then also its referrals; the three steps add up to the whole gain.
    Every revenue line is valued at gross margin. Also returns the one-off costs paid in month 0
    per line (the "initial" column of a TEI table).
    """
    company, levers = scenario.company, scenario.levers
    cols = s["churn"].shape[1]
    margin = company.gross_margin_pct
    args = (company.customers, company.customers * company.arpu_per_month, company.new_customers_per_month,
            company.arpu_per_month)
    b, sc = 0, 1
    path_b = cust.paths(s["churn"][b], s["expansion"][b], s["referral"][b], *args).mrr
    path_c = cust.paths(s["churn"][sc], s["expansion"][b], s["referral"][b], *args).mrr
    path_ce = cust.paths(s["churn"][sc], s["expansion"][sc], s["referral"][b], *args).mrr
    path_s = cust.paths(s["churn"][sc], s["expansion"][sc], s["referral"][sc], *args).mrr

    staff_delta = staffing.staff_cost[sc] - staffing.staff_cost[b]
    zero = np.zeros((cols, months))
    tools, setup, training = zero.copy(), zero.copy(), zero.copy()
    initial: dict[str, float] = {}
    redeployed = zero
    if ai is not None and dl is not None and (counts := _ai_counts(scenario, dl, s, months)) is not None:
        agent = scenario.levers.ai_agent
        assert agent is not None
        staff_delta = staff_delta - ai.effect.staff_savings + ai.effect.severance
        redeployed = zero + ai.effect.redeployment_benefit
        tools += counts["fees"] + counts["run_costs"]
        _one_off(tools, agent.start_month, agent.run.implementation_cost, initial, "Tools")
    if (tool := levers.deflection) is not None:
        tools += step_on(months, tool.start_month) * tool.licence_per_month + s["deflected"][sc] * tool.fee_per_resolution
        _one_off(tools, tool.start_month, tool.implementation_cost, initial, "Tools")
    if (prod := levers.productivity) is not None:
        seats = staffing.headcount[sc] - (ai.effect.fewer_agents if ai is not None else 0.0)   # agents still paid
        tools += step_on(months, prod.start_month) * prod.licence_per_agent_month * seats
        _one_off(tools, prod.start_month, prod.implementation_cost, initial, "Tools")
    if (train := levers.training) is not None:
        training += step_on(months, train.start_month) * train.cost_per_month
        if train.start_month < months:
            _one_off(training, train.start_month, train.cost_per_agent * staffing.headcount[sc, train.start_month],
                     initial, "Training")
    for hire in levers.hires:
        _one_off(setup, hire.start_month, max(hire.agents, 0.0) * hire.hiring_cost_per_agent, initial,
                 "Set-up and hiring")
    for centre in levers.centres:
        _one_off(setup, centre.start_month, centre.setup_cost, initial, "Set-up and hiring")

    lines = {
        "Retention": margin * (path_c - path_b),
        "Expansion": margin * (path_ce - path_c),
        "Referrals": margin * (path_s - path_ce),
        "Staff savings": zero + np.maximum(-staff_delta, 0.0),
        "Redeployed work": redeployed,
        "Added staff": zero + np.maximum(staff_delta, 0.0),
        "Tools": tools,
        "Set-up and hiring": setup,
        "Training": training,
    }
    return lines, {k: initial.get(k, 0.0) for k in lines}


def _cash_frame(lines: dict[str, FloatArray], disc: FloatArray) -> pd.DataFrame:
    benefit = sum(lines[k] for k in BENEFIT_LINES)
    cost = sum(lines[k] for k in COST_LINES)
    flow = benefit - cost
    return pd.DataFrame({"month": np.arange(disc.size), **lines,
                         "benefit_at_margin": benefit, "added_cost": cost, "cash_flow": flow,
                         "cumulative_cash": np.cumsum(flow), "discounted_cash": flow * disc,
                         "cumulative_discounted_cash": np.cumsum(flow * disc)})


# ----------------------------------------------------------------------------- tables


def _monthly_frame(company: Company, s: dict[str, FloatArray], frt: FloatArray, staffing: _Staffing,
                   fcr: FloatArray, months: int, ai: _AIStaff | None = None) -> pd.DataFrame:
    """Per variant and month (point view): one row each, baseline's months first; series (V, M) read flat. The AI
    agent's fewer agents, their cost and any severance are in the scenario's headcount and support cost."""
    def flat(x: FloatArray) -> FloatArray:
        return np.asarray(x, dtype=np.float64).reshape(-1)

    customers, tickets, mrr = flat(s["customers"]), flat(s["tickets"]), flat(s["mrr"])
    headcount, support_cost = staffing.headcount.copy(), staffing.staff_cost.copy()
    if ai is not None:
        headcount[1] -= ai.effect.fewer_agents[0]
        support_cost[1] += ai.effect.severance[0] - ai.effect.staff_savings[0]
    frame = {
        "variant": np.repeat(VARIANTS, months),
        "month": np.tile(np.arange(months), len(VARIANTS)),
        "customers": customers,
        "lost_customers": flat(s["lost"]),
        "referred_customers": flat(s["referred"]),
        "churn_pct": flat(s["churn"]),
        "expansion_pct": flat(s["expansion"]),
        "revenue": mrr,
        "arpu": mrr / customers,
        "tickets": tickets,
        "tickets_per_customer": tickets / customers,
        "deflected_issues": flat(s["deflected"]),
        "ai_resolved_issues": flat(s["ai_resolved"]),
        "first_contact_resolution_pct": flat(fcr),
        "csat_pct": flat(s["csat"]),
        "answered_csat_pct": flat(s["answered_csat"]),
        "nps": flat(s["nps"]),
        "contact_csat_pct": flat(s["contact_csat"]),
        "remembered_satisfied_pct": flat(s["satisfied"]),
        "remembered_dissatisfied_pct": flat(s["dissatisfied"]),
        "headcount": flat(headcount),
        "on_duty_agent_hours_per_week": flat(staffing.on_duty.sum(axis=-1) / STEPS_PER_HOUR),
        "support_cost": flat(support_cost),
        "load_over_90_h_per_week": flat(s["load_over_90_h"]),
        "overloaded": flat(s["overloaded"]) > 0.5,
    }
    for c, ch in enumerate(company.channels):
        frame[f"frt_{ch.name}_h"] = flat(frt[..., c])
    out = pd.DataFrame(frame)
    out["cost_per_ticket"] = out["support_cost"] / out["tickets"].where(out["tickets"] > 0)
    return out


AI_COLUMNS = {
    "conversations": "conversations the AI agent takes part in (new demand included)",
    "new_demand": "of which would never have been tickets",
    "vendor_resolutions": "resolutions its vendor counts",
    "true_resolutions": "issues that left the team's work for good",
    "handoffs": "issues that tried the agent, then reached a person",
    "fees": "the vendor's fees",
    "run_costs": "knowledge upkeep and QA",
    "agent_hours_freed": "agent hours a month the agent takes off the team",
    "agents_freed": "the same as agents (productive hours at 85 % occupancy)",
    "fewer_agents": "agents below the team the plan would have had",
    "redeployed_agents": "agents moved to other work, still paid",
    "unrealised_agents": "freed, not turned into fewer agents: shorter waits instead",
    "staff_savings": "fewer agents x loaded cost",
    "severance": "paid in the months agents are released",
    "redeployment_benefit": "the value entered for redeployed agents' work",
}


def _ai_frame(counts: dict[str, FloatArray] | None, ai: _AIStaff | None, months: int) -> pd.DataFrame | None:
    """The AI agent per month of the scenario (point view): :data:`AI_COLUMNS`, money in the case's currency."""
    if counts is None or ai is None:
        return None
    e = ai.effect
    frame = {"month": np.arange(months), **{k: v[0] for k, v in counts.items()},
             "agent_hours_freed": ai.freed_hours[0], "agents_freed": ai.freed_agents[0],
             "fewer_agents": e.fewer_agents[0], "redeployed_agents": e.redeployed_agents[0],
             "unrealised_agents": e.unrealised_agents[0], "staff_savings": e.staff_savings[0],
             "severance": e.severance[0], "redeployment_benefit": e.redeployment_benefit[0]}
    return pd.DataFrame(frame)[["month", *AI_COLUMNS]]


def _response_frame(company: Company, point: dict[str, FloatArray], months: int) -> pd.DataFrame:
    """Per variant, month, channel and region (point view): mean and median first response (hours) over all
    tickets and over those written in the region's business hours, share within target, CSAT."""
    n_ch, n_r = len(company.channels), len(company.regions)
    frame = {
        "variant": np.repeat(VARIANTS, months * n_ch * n_r),
        "month": np.tile(np.repeat(np.arange(months), n_ch * n_r), 2),
        "channel": np.tile(np.repeat([c.name for c in company.channels], n_r), 2 * months),
        "region": np.tile([r.name for r in company.regions], 2 * months * n_ch),
    }
    frame.update({k: point[k].reshape(-1) for k in ("mean_h", "median_h", "within_target_pct", "business_mean_h",
                                                      "business_median_h", "csat_pct")})
    return pd.DataFrame(frame)


def _guardrails(scenario: Scenario, s: dict[str, FloatArray], pv: dict[str, float],
                dl: _DemandLevers | None = None) -> tuple[str, ...]:
    """The sanity warnings of defaults.md, where they apply, with their reason."""
    out = []
    levers = scenario.levers
    if dl is not None and dl.ai is not None and (settled := float(dl.ai.resolved[0].max())) > 0.45:
        out.append(f"The AI agent resolves {settled:.0%} of the issues reaching the team for good: above the 45 % that "
                   "independent studies find actually resolved (vendors claim 65-80 %).")
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
    if over >= 0.5:           # a mix of staffing anchors can leave a fraction of an hour: not worth a warning
        out.append(f"In up to {over:.0f} hours a week the offered work exceeds 90 % of on-duty capacity: "
                   "queues there are very sensitive to every extra ticket.")
    if s["overloaded"][1].any():
        first = int(np.argmax(s["overloaded"][1] > 0.5))
        out.append(f"From month {first} the team cannot keep up: the backlog grows week after week and "
                   "response times shown are after three weeks of growth.")
    return tuple(out)
