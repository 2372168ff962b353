"""The source articles' metrics computed on a company's uploaded tables.

:mod:`intake.metrics.definitions` holds each definition; this module applies them to the typed tables of
:mod:`intake.uploads.schema` (tickets, customers, monthly KPIs) and says, for each metric, what it rests on
and why it is missing when the data do not allow it. Everything is vectorised over rows, so a
million tickets take about a second.

Units live in the names: ``_h`` hours, ``_pct`` fractions in [0, 1], money in the data's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from intake.metrics import definitions as metrics

Unit = Literal["h", "pct", "count", "money", "points", "ratio", "months"]
DAYS_PER_MONTH = 365.25 / 12.0
MAX_LIFETIME_MONTHS = 120.0  # a class that never churns in the window is valued over ten years
MIN_GROUP_CUSTOMERS = 5      # a Temkin group smaller than this is shown but not valued

DEFINITIONS: dict[str, str] = {
    "tickets": "Tickets received in the period (one row per ticket or conversation).",
    "frt_mean_h": "First response time = time from a ticket's creation to the first reply; mean over replied tickets.",
    "frt_median_h": "First response time = creation to first reply; the median replied ticket.",
    "frt_p90_h": "First response time = creation to first reply; 90 % of replied tickets were faster.",
    "avg_response_h": "Average response time = total response time / number of responses; here each ticket's "
                      "first response, as the export gives one response time per ticket.",
    "avg_resolution_h": "Average time to resolution = total resolution time / number of resolved tickets.",
    "resolution_median_h": "Time to resolution = creation to resolution; the median resolved ticket.",
    "replies_per_ticket": "Average replies per ticket = replies on resolved tickets / resolved tickets "
                          "(keep below 2, at most 3).",
    "resolution_rate_pct": "Resolution rate = resolved tickets / tickets received.",
    "csat_pct": "CSAT = share of satisfied ratings among rated conversations (good; 4-5 of 5; 9-10 of 10).",
    "nps": "NPS = % promoters (9-10) - % detractors (0-6); passives (7-8) count in the base only.",
    "churn_monthly_pct": "Churn rate = customers lost during the month / customers at its start; those who joined "
                         "during the month are not in the base but count as lost if they leave. Mean of the months.",
    "retention_monthly_pct": "Retention rate = % of customers active last month who are still active this month. "
                             "Mean of the months.",
    "mrr": "MRR = recurring revenue per month of the customers active at the end of the data.",
    "expansion_mrr_pct": "Expansion MRR = extra recurring revenue from existing customers (MRR now above MRR at "
                         "start) / total MRR.",
    "clv": "CLV = average purchase value x purchase frequency x customer lifetime; for a subscription: mean MRR x "
           "1 a month x lifetime (1 / monthly churn, at most 120 months).",
    "crc": "CRC = total cost of the customer-success programme / number of customers; here the support cost of "
           "a month / customers active in it.",
    "cost_per_contact": "Cost per contact = support cost / contacts answered; a contact is one interaction, so "
                        "contacts = tickets x agent replies per ticket (at least 1).",
    "cost_per_conversation": "Cost per conversation = cost per contact x average interactions per conversation "
                             "(agent replies per ticket, at least 1): what one ticket costs.",
    "contact_rate_pct": "Contact rate = % of active customers who contact support in a typical month (mean of the "
                        "months).",
    "abandon_pct": "Abandonment = live contacts that left before an agent answered / live contacts.",
}


@dataclass(frozen=True)
class Figure:
    """One headline metric: its value (``None`` when undefined), unit, definition and base."""

    key: str
    label: str
    value: float | None
    unit: Unit
    rests_on: int
    definition: str


@dataclass(frozen=True)
class Measures:
    """Everything the Metrics page shows, computed from the uploads.

    ``monthly`` has one row per calendar month (UTC) with the columns of :data:`intake.uploads.schema.KPIS`
    that the data allow; ``missing`` says which metrics could not be computed and why.
    """

    figures: tuple[Figure, ...]
    monthly: pd.DataFrame
    volume_by_weekday_hour: pd.DataFrame | None
    channel_mix: pd.Series | None
    csat_by_channel: pd.DataFrame | None
    csat_by_agent: pd.DataFrame | None
    missing: tuple[str, ...]

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def _has(frame: pd.DataFrame | None, column: str) -> bool:
    return frame is not None and column in frame.columns and bool(frame[column].notna().any())


def _figure(key: str, label: str, value: float | None, unit: Unit, rests_on: int) -> Figure:
    return Figure(key, label, None if value is None else float(value), unit, int(rests_on), DEFINITIONS[key])


# --- tickets -----------------------------------------------------------------------------------

def _csat_table(tickets: pd.DataFrame, by: str) -> pd.DataFrame | None:
    """Rated, satisfied and CSAT per value of ``by`` (largest base first); None without ratings."""
    if not (_has(tickets, by) and _has(tickets, "satisfied")):
        return None
    pair = tickets[[by, "satisfied"]]                  # two columns, not every column of the rated rows
    rated = pair[pair["satisfied"].notna() & pair[by].notna()]
    if rated.empty:
        return None
    table = rated["satisfied"].astype(bool).groupby(rated[by]).agg(rated="size", satisfied="sum")
    table["satisfied"] = table["satisfied"].astype(np.int64)
    table["csat_pct"] = table["satisfied"] / table["rated"]
    return table.sort_values(["rated", "csat_pct"], ascending=False)


def _response_figures(tickets: pd.DataFrame) -> list[Figure]:
    out: list[Figure] = []
    if _has(tickets, "first_response_h"):
        frt = tickets["first_response_h"].dropna().to_numpy(dtype=np.float64)
        s = metrics.duration_summary_h(frt)
        if s is not None:
            out += [_figure("frt_mean_h", "First response, mean", s.mean_h, "h", s.tickets),
                    _figure("frt_median_h", "First response, median", s.median_h, "h", s.tickets),
                    _figure("frt_p90_h", "First response, 90th percentile", s.p90_h, "h", s.tickets),
                    _figure("avg_response_h", "Average response time",
                            metrics.avg_response_time_h(float(frt.sum()), frt.size), "h", s.tickets)]
    if _has(tickets, "resolution_h"):
        res = tickets["resolution_h"].dropna().to_numpy(dtype=np.float64)
        s = metrics.duration_summary_h(res)
        if s is not None:
            out += [_figure("avg_resolution_h", "Time to resolution, mean",
                            metrics.avg_resolution_time_h(float(res.sum()), res.size), "h", s.tickets),
                    _figure("resolution_median_h", "Time to resolution, median", s.median_h, "h", s.tickets)]
    return out


def summed_ticket_figures(tickets: int, responded: int, first_response_sum_h: float | None,
                          first_response_median_h: float | None, first_response_p90_h: float | None, rated: int,
                          satisfied: int) -> list[Figure]:
    """The headline ticket figures from what a database summed (counts, a sum, two quantiles), the same figures
    :func:`measure` gives for the same tickets uploaded."""
    figures = [_figure("tickets", "Tickets", tickets, "count", tickets)]
    if responded and first_response_sum_h is not None:
        mean = first_response_sum_h / responded
        figures += [_figure("frt_mean_h", "First response, mean", mean, "h", responded),
                    _figure("frt_median_h", "First response, median", first_response_median_h, "h", responded),
                    _figure("frt_p90_h", "First response, 90th percentile", first_response_p90_h, "h", responded),
                    _figure("avg_response_h", "Average response time",
                            metrics.avg_response_time_h(first_response_sum_h, responded), "h", responded)]
    if rated:
        figures.append(_figure("csat_pct", "CSAT", satisfied / rated, "pct", rated))
    return figures


def _resolved(tickets: pd.DataFrame) -> pd.Series:
    flags = pd.Series(False, index=tickets.index)
    for column in ("solved", "resolution_h"):
        if column in tickets.columns:
            flags |= tickets[column].notna()
    return flags


def _ticket_figures(tickets: pd.DataFrame) -> tuple[list[Figure], list[str]]:
    figures = [_figure("tickets", "Tickets", len(tickets), "count", len(tickets))]
    missing: list[str] = []
    figures += _response_figures(tickets)
    if not _has(tickets, "first_response_h"):
        missing.append("First response time: the tickets have no first reply time or first-response duration.")
    resolved = _resolved(tickets)
    n_resolved = int(resolved.sum())
    if "solved" in tickets.columns or "resolution_h" in tickets.columns:
        figures.append(_figure("resolution_rate_pct", "Resolution rate",
                               metrics.resolution_rate_pct(n_resolved, len(tickets)), "pct", len(tickets)))
    else:
        missing.append("Resolution rate and time: the tickets have no solved time or resolution duration.")
    if _has(tickets, "replies") and n_resolved:
        replies = tickets.loc[resolved, "replies"].dropna()
        if len(replies):
            figures.append(_figure("replies_per_ticket", "Replies per ticket",
                                   metrics.avg_replies_per_ticket(float(replies.sum()), len(replies)),
                                   "ratio", len(replies)))
    elif "replies" not in tickets.columns:
        missing.append("Replies per ticket: the tickets have no replies count.")
    if _has(tickets, "satisfied"):
        rated = tickets["satisfied"].dropna().astype(bool)
        figures.append(_figure("csat_pct", "CSAT", float(rated.mean()), "pct", len(rated)))
    else:
        missing.append("CSAT: no ticket carries a satisfaction rating.")
    if _has(tickets, "abandoned"):
        live = tickets["abandoned"].dropna().astype(bool)
        figures.append(_figure("abandon_pct", "Abandoned (live channels)", float(live.mean()), "pct", len(live)))
    return figures, missing


# --- customers ---------------------------------------------------------------------------------

def month_starts(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """First instants (UTC) of every calendar month from ``first``'s month to ``last``'s."""
    begin = first.tz_convert("UTC").tz_localize(None).to_period("M").to_timestamp()
    end = last.tz_convert("UTC").tz_localize(None).to_period("M").to_timestamp()
    return pd.date_range(begin, end, freq="MS", tz="UTC")


def complete_months(months: pd.DatetimeIndex, last_seen: pd.Timestamp) -> np.ndarray:
    """Whether the data reach (within a day) the end of each month: a month cut short by the export
    date would show too few tickets, joiners and losses."""
    ends = months + pd.offsets.MonthBegin(1)
    return np.asarray(ends <= last_seen + pd.Timedelta(days=1), dtype=bool)


def customer_months(customers: pd.DataFrame, months: pd.DatetimeIndex | None = None) -> pd.DataFrame:
    """Per month, the articles' churn base and losses, retention and active customers.

    Columns: ``customers`` (at the month's start), ``churned`` (left during the month, joiners
    included), ``churn_pct``, ``retained`` (of those at the start, still active at its end),
    ``retention_pct``, ``active`` (active at any time in the month), ``complete`` (the data reach the
    month's end). ``months`` defaults to every month from the first start to :func:`data_end`.
    Vectorised over customers, one pass a month.
    """
    if months is None:
        months = month_starts(customers["start"].min(), data_end(customers))
    start = customers["start"].to_numpy(dtype="datetime64[us]")
    end = customers["end"].to_numpy(dtype="datetime64[us]")
    bounds = months.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[us]")
    nexts = (months + pd.offsets.MonthBegin(1)).tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[us]")
    open_end = np.isnat(end)
    rows = []
    for ps, pe in zip(bounds, nexts, strict=True):  # months are few; rows stay vectorised
        at_start = (start < ps) & (open_end | (end >= ps))
        lost = ~open_end & (end >= ps) & (end < pe)
        retained = at_start & (open_end | (end >= pe))
        active = (start < pe) & (open_end | (end >= ps))
        rows.append((int(at_start.sum()), int(lost.sum()), int(retained.sum()), int(active.sum())))
    table = pd.DataFrame(rows, columns=["customers", "churned", "retained", "active"], index=months)
    base = table["customers"].where(table["customers"] > 0)
    table["churn_pct"] = table["churned"] / base
    table["retention_pct"] = table["retained"] / base
    table["complete"] = complete_months(months, data_end(customers))
    return table


def data_end(customers: pd.DataFrame) -> pd.Timestamp:
    """The customer table's own 'today': the latest start or end it mentions."""
    return max(customers["start"].max(), customers["end"].max() if customers["end"].notna().any()
               else customers["start"].max())


def month_of(stamps: pd.Series) -> pd.Series:
    """Each timestamp's calendar month (UTC) as the month's first instant, tz-aware."""
    return stamps.dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M").dt.to_timestamp().dt.tz_localize("UTC")


def _customer_figures(customers: pd.DataFrame, churn: pd.DataFrame) -> tuple[list[Figure], list[str]]:
    figures: list[Figure] = []
    missing: list[str] = []
    full = churn[(churn["customers"] > 0) & churn["complete"]]
    if not len(full):
        full = churn[churn["customers"] > 0]
    if len(full):
        window = f"mean of {len(full)} month{'s' if len(full) > 1 else ''}"
        figures.append(_figure("churn_monthly_pct", f"Churn, monthly ({window})", float(full["churn_pct"].mean()),
                               "pct", int(full["customers"].sum())))
        figures.append(_figure("retention_monthly_pct", f"Retention, monthly ({window})",
                               float(full["retention_pct"].mean()), "pct", int(full["customers"].sum())))
    else:
        missing.append("Churn and retention: no month has customers at its start.")
    as_of = data_end(customers)
    active = customers["end"].isna() | (customers["end"] > as_of)
    if _has(customers, "mrr"):
        mrr_now = customers.loc[active, "mrr"].fillna(0.0)
        figures.append(_figure("mrr", "MRR", float(mrr_now.sum()), "money", int(active.sum())))
        if _has(customers, "start_mrr"):
            both = customers.loc[active, ["mrr", "start_mrr"]].dropna()
            total = float(both["mrr"].sum())
            if total > 0 and (both >= 0).all().all():
                expansion = float((both["mrr"] - both["start_mrr"]).clip(lower=0.0).sum())
                figures.append(_figure("expansion_mrr_pct", "Expansion MRR",
                                       metrics.expansion_mrr_rate_pct(expansion, total), "pct", len(both)))
        else:
            missing.append("Expansion MRR: the customers have no MRR at start to compare with.")
        churn_pct = figures[0].value if figures and figures[0].key == "churn_monthly_pct" else None
        mean_mrr = float(mrr_now.mean()) if len(mrr_now) else float("nan")
        if churn_pct is not None and np.isfinite(mean_mrr) and mean_mrr >= 0:
            lifetime = min(1.0 / churn_pct, MAX_LIFETIME_MONTHS) if churn_pct > 0 else MAX_LIFETIME_MONTHS
            figures.append(_figure("clv", "CLV (revenue)", metrics.clv(mean_mrr, 1.0, lifetime),
                                   "money", int(active.sum())))
        elif not len(mrr_now):
            missing.append("CLV: no customer is active at the end of the data.")
    else:
        missing.append("MRR, expansion and CLV: the customers have no MRR.")
    if _has(customers, "nps"):
        answers = customers["nps"].dropna().to_numpy(dtype=np.float64)
        figures.append(_figure("nps", "NPS", metrics.nps_from_scores(answers), "points", answers.size))
    return figures, missing


# --- both, and money ---------------------------------------------------------------------------

def _contact_rate(tickets: pd.DataFrame, customers: pd.DataFrame, churn: pd.DataFrame) -> pd.Series | None:
    """Per month, distinct customers with a ticket / customers active in the month."""
    if not _has(tickets, "customer_id"):
        return None
    known = tickets[tickets["customer_id"].isin(customers["customer_id"])]
    if known.empty:
        return None
    contacting = known["customer_id"].groupby(month_of(known["created"])).nunique()
    contacting = contacting.reindex(churn.index)
    rate = contacting / churn["active"].where(churn["active"] > 0)
    return rate.where(contacting.notna())


def monthly_actuals(tickets: pd.DataFrame | None, customers: pd.DataFrame | None,
                    kpis: pd.DataFrame | None, churn: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per calendar month: the KPI table's columns, from the uploads.

    A monthly KPI table, when uploaded, wins over figures derived from tickets and customers for
    every column it fills (the whole column, so no series mixes two sources); derived columns fill
    the rest. ``churn`` is the customers' :func:`customer_months` when the caller has it already.
    """
    derived: list[pd.DataFrame] = []
    if tickets is not None and len(tickets):
        month = month_of(tickets["created"])
        g = tickets.groupby(month)
        part = pd.DataFrame({"tickets": g.size().astype(np.float64)})
        if _has(tickets, "first_response_h"):
            part["first_response_h"] = g["first_response_h"].mean()
        if _has(tickets, "satisfied"):
            sat = tickets["satisfied"].astype("boolean").astype("Float64").astype(np.float64)
            part["csat_pct"] = sat.groupby(month).mean()
        counted = complete_months(pd.DatetimeIndex(part.index), tickets["created"].max())
        part["tickets"] = part["tickets"].where(counted)      # a month cut short is no month's volume
        derived.append(part)
    if customers is not None and len(customers):
        churn = customer_months(customers) if churn is None else churn
        part = churn[["customers", "churned"]].astype(np.float64)
        part["churned"] = part["churned"].where(churn["complete"])
        if _has(customers, "mrr"):
            part["mrr"] = _mrr_by_month(customers, pd.DatetimeIndex(churn.index))
        derived.append(part)
    table = pd.concat(derived, axis=1, sort=True) if derived else pd.DataFrame()
    if kpis is not None and len(kpis):
        given = kpis.set_index("month").drop(columns=[c for c in ("row",) if c in kpis.columns], errors="ignore")
        given = given[[c for c in given.columns if given[c].notna().any()]]
        # A column the KPI table fills is taken from it alone: two sources in one series would draw a
        # step where they disagree, not a change in the business.
        table = given.combine_first(table.drop(columns=given.columns, errors="ignore")) if len(table) else given
    table.index.name = "month"
    return table.sort_index()


def _mrr_by_month(customers: pd.DataFrame, months: pd.DatetimeIndex) -> pd.Series:
    """MRR of each month from the customers active at its start (each at their latest MRR)."""
    start = customers["start"].to_numpy(dtype="datetime64[us]")
    end = customers["end"].to_numpy(dtype="datetime64[us]")
    mrr = customers["mrr"].fillna(0.0).to_numpy(dtype=np.float64)
    values = []
    for ps in months.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[us]"):
        active = (start <= ps) & (np.isnat(end) | (end > ps))
        values.append(float(mrr[active].sum()))
    return pd.Series(values, index=months, dtype=np.float64)


def _cost_figures(support_cost_per_month: float | None, monthly: pd.DataFrame,
                  replies_per_ticket: float | None) -> tuple[list[Figure], list[str]]:
    figures: list[Figure] = []
    cost = monthly["support_cost"] if "support_cost" in monthly.columns else None
    if cost is None or cost.isna().all():
        if support_cost_per_month is None:
            return [], ["Cost per contact, per conversation and CRC: enter the monthly support cost."]
        cost = pd.Series(support_cost_per_month, index=monthly.index, dtype=np.float64)
    cost = cost.where(cost >= 0)
    if "tickets" in monthly.columns:
        both = pd.concat([cost.rename("cost"), monthly["tickets"]], axis=1).dropna()
        both = both[both["tickets"] > 0]
        if len(both):
            interactions = max(replies_per_ticket or 1.0, 1.0)
            contacts = float(both["tickets"].sum()) * interactions
            per_contact = float(metrics.cost_per_contact(float(both["cost"].sum()), contacts))
            figures.append(_figure("cost_per_contact", "Cost per contact", per_contact, "money", int(contacts)))
            figures.append(_figure("cost_per_conversation", "Cost per conversation",
                                   metrics.cost_per_conversation(per_contact, interactions), "money",
                                   int(both["tickets"].sum())))
    if "customers" in monthly.columns:
        both = pd.concat([cost.rename("cost"), monthly["customers"]], axis=1).dropna()
        both = both[both["customers"] > 0]
        if len(both):
            crc = float(metrics.crc_per_customer(both["cost"].to_numpy(), both["customers"].to_numpy()).mean())
            figures.append(_figure("crc", "CRC per customer, monthly", crc, "money", len(both)))
    return figures, []


def measure(tickets: pd.DataFrame | None, customers: pd.DataFrame | None = None,
            kpis: pd.DataFrame | None = None, *, support_cost_per_month: float | None = None,
            local_tz: str = "UTC") -> Measures:
    """Every metric the uploads allow.

    Parameters
    ----------
    tickets, customers, kpis : DataFrame or None
        Typed tables as :func:`intake.uploads.validate.validate` returns them.
    support_cost_per_month : float or None
        Support cost of a month (money), used where the KPI table has no ``support_cost``.
    local_tz : str
        IANA time zone in which the hour x weekday heat map is drawn (the help desk's own clock).
    """
    figures: list[Figure] = []
    missing: list[str] = []
    heatmap = mix = by_channel = by_agent = None
    if tickets is not None and len(tickets):
        f, m = _ticket_figures(tickets)
        figures += f
        missing += m
        heatmap = metrics.ticket_volume_by_weekday_hour(tickets["created"].dt.tz_convert(local_tz))
        if _has(tickets, "channel"):
            mix = metrics.channel_mix_pct(tickets["channel"].dropna())
        by_channel = _csat_table(tickets, "channel")
        by_agent = _csat_table(tickets, "agent")
    else:
        missing.append("Ticket metrics: upload a ticket table (or an event log).")
    churn = None
    if customers is not None and len(customers):
        churn = customer_months(customers)
        f, m = _customer_figures(customers, churn)
        figures += f
        missing += m
        if tickets is not None and len(tickets):
            rate = _contact_rate(tickets, customers, churn)
            if rate is not None and rate.notna().any():
                figures.append(_figure("contact_rate_pct", "Contact rate, monthly", float(rate.mean()), "pct",
                                       int(churn.loc[rate.notna(), "active"].sum())))
            else:
                missing.append("Contact rate: no ticket's customer id is in the customer table.")
    else:
        missing.append("Churn, retention, MRR, NPS and CLV: upload a customer table.")
    monthly = monthly_actuals(tickets, customers, kpis, churn)
    replies = next((f.value for f in figures if f.key == "replies_per_ticket"), None)
    if len(monthly):
        f, m = _cost_figures(support_cost_per_month, monthly, replies)
        figures += f
        missing += m
    return Measures(tuple(figures), monthly, heatmap, mix, by_channel, by_agent, tuple(missing))


def actual_series(tickets: pd.DataFrame | None, customers: pd.DataFrame | None,
                  kpis: pd.DataFrame | None) -> pd.DataFrame:
    """Monthly actuals named like the projection's band series, to draw beside them.

    Columns ``series`` (``frt_<channel>_h``, ``frt_h``, ``csat_pct``, ``nps``, ``churn_pct``, ``customers``,
    ``revenue``, ``tickets``), ``calendar_month`` (naive, first of month) and ``value``; empty when
    the uploads hold none of them. First response per channel comes from the tickets; every other
    series from :func:`monthly_actuals` (an uploaded KPI table wins).
    """
    parts: list[pd.DataFrame] = []
    if tickets is not None and _has(tickets, "first_response_h") and _has(tickets, "channel"):
        month = month_of(tickets["created"]).dt.tz_localize(None)
        frt = tickets.groupby([tickets["channel"], month])["first_response_h"].mean()
        frt = frt.dropna().rename("value").reset_index()
        frt.columns = ["channel", "calendar_month", "value"]
        frt["series"] = "frt_" + frt["channel"].astype(str) + "_h"
        parts.append(frt[["series", "calendar_month", "value"]])
    monthly = monthly_actuals(tickets, customers, kpis)
    renames = {"first_response_h": "frt_h", "csat_pct": "csat_pct", "nps": "nps", "customers": "customers",
               "mrr": "revenue", "tickets": "tickets"}
    if len(monthly):
        index = monthly.index.tz_convert("UTC").tz_localize(None) if monthly.index.tz is not None else monthly.index
        for column, series in renames.items():
            if column in monthly.columns:
                values = monthly[column].to_numpy(dtype=np.float64)
                parts.append(pd.DataFrame({"series": series, "calendar_month": index, "value": values}))
        if {"churned", "customers"} <= set(monthly.columns):
            base = monthly["customers"].where(monthly["customers"] > 0).to_numpy(dtype=np.float64)
            parts.append(pd.DataFrame({"series": "churn_pct", "calendar_month": index,
                                       "value": monthly["churned"].to_numpy(dtype=np.float64) / base}))
    if not parts:
        return pd.DataFrame({"series": pd.Series(dtype=str), "calendar_month": pd.Series(dtype="datetime64[us]"),
                             "value": pd.Series(dtype=np.float64)})
    out = pd.concat(parts, ignore_index=True)
    return out[np.isfinite(out["value"])].reset_index(drop=True)


def plan_month_index(calendar_month: pd.Series, first_plan_month: pd.Timestamp) -> np.ndarray:
    """Months from the plan's month 0 (negative before it): 2024-11 is -2 when month 0 is 2025-01."""
    months = calendar_month.dt.year * 12 + calendar_month.dt.month
    return (months - (first_plan_month.year * 12 + first_plan_month.month)).to_numpy(dtype=np.int64)
