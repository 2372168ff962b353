"""The company as its data show it today: the figures the baseline must reproduce.

The engine normalises CSAT, churn, expansion and NPS so that the baseline reproduces today's
company; this fit writes "today" from the uploads instead of the example's figures, measured the
way :mod:`intake.metrics.measures` measures them, over the latest months:

==================================  ===========================================================
``Company`` field                   from
==================================  ===========================================================
``customers``                       customers active at the data's end (customer table; else the
                                    KPI table's latest ``customers``)
``arpu_per_month``                  mean MRR of the active customers (else KPI MRR / customers)
``churn_monthly_pct``               mean monthly churn (articles' rule) of the last 6 months
``new_customers_per_month``         mean customers joining per month, last 6 months
``nps_today``                       NPS of the customers' answers
``csat_today_pct``                  satisfied share of rated tickets, last 3 months (else KPI)
``contact_rate_per_customer_month`` tickets per month / active customers, last 3 months (without a
                                    customer count: over the customers entered)
``Channel.share_pct``               ticket shares by channel, last 3 months, when every channel
                                    in the data is one the case has
==================================  ===========================================================
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from calibration.apply import apply_fits
from calibration.fit import Fit, Skipped
from intake.metrics import customer_months, data_end, month_of, nps_from_scores
from model import Z_95, Company, Scenario

RECENT_TICKET_MONTHS = 3
RECENT_CUSTOMER_MONTHS = 6
MIN_RATED = 30
CSAT_LIMITS = (0.01, 0.99)     # the engine's logit needs CSAT strictly inside (0, 1)
FIELDS = ("customers", "arpu_per_month", "churn_monthly_pct", "new_customers_per_month", "nps_today",
          "csat_today_pct", "contact_rate_per_customer_month")


def _recent(frame: pd.DataFrame, column: str, months: int) -> pd.DataFrame:
    """Rows whose ``column`` falls in the last ``months`` calendar months of the data."""
    last = frame[column].max()
    since = (last.tz_convert("UTC").tz_localize(None).to_period("M") - (months - 1)).to_timestamp().tz_localize("UTC")
    return frame[frame[column] >= since]


def _from_customers(customers: pd.DataFrame, out: dict, intervals: list, rows: list) -> pd.DataFrame:
    end = data_end(customers)
    table = customer_months(customers)
    months = pd.DatetimeIndex(table.index)
    active = customers["end"].isna() | (customers["end"] > end)
    out["customers"] = float(active.sum())
    rows.append(("customers", out["customers"], int(active.sum()), "active at the data's end"))
    full = table[(table["customers"] > 0) & table["complete"]]
    recent = (full if len(full) else table[table["customers"] > 0]).tail(RECENT_CUSTOMER_MONTHS)
    if len(recent):
        lost, base = float(recent["churned"].sum()), float(recent["customers"].sum())
        out["churn_monthly_pct"] = min(lost / base, 0.99)
        se = np.sqrt(max(lost, 1.0)) / base
        intervals.append(("churn_monthly_pct", max(out["churn_monthly_pct"] - Z_95 * se, 0.0),
                          out["churn_monthly_pct"] + Z_95 * se))
        rows.append(("churn_monthly_pct", out["churn_monthly_pct"], int(base), f"last {len(recent)} months"))
    joined = pd.Series(1, index=customers["start"]).sort_index().resample("MS").size()
    joined = joined.reindex(months, fill_value=0)[table["complete"].to_numpy()].tail(RECENT_CUSTOMER_MONTHS)
    if len(joined):
        out["new_customers_per_month"] = float(joined.mean())
        rows.append(("new_customers_per_month", out["new_customers_per_month"], int(joined.sum()),
                     f"joins, last {len(joined)} complete months"))
    if "mrr" in customers.columns and customers.loc[active, "mrr"].notna().any():
        mrr = customers.loc[active, "mrr"].dropna()
        if mrr.mean() > 0:
            out["arpu_per_month"] = float(mrr.mean())
            rows.append(("arpu_per_month", out["arpu_per_month"], len(mrr), "mean MRR of active customers"))
    if "nps" in customers.columns and customers["nps"].notna().any():
        answers = customers["nps"].dropna().to_numpy(dtype=np.float64)
        out["nps_today"] = float(nps_from_scores(answers))
        rows.append(("nps_today", out["nps_today"], answers.size, "customers' answers"))
    return table


def _from_tickets(tickets: pd.DataFrame, company: Company, active: pd.Series | None, out: dict,
                  intervals: list, rows: list, notes: list[str]) -> None:
    recent = _recent(tickets, "created", RECENT_TICKET_MONTHS)
    if "satisfied" in recent.columns:
        rated = recent["satisfied"].dropna().astype(bool)
        if len(rated) >= MIN_RATED:
            p = float(np.clip(rated.mean(), *CSAT_LIMITS))
            se = np.sqrt(p * (1 - p) / len(rated))
            out["csat_today_pct"] = p
            intervals.append(("csat_today_pct", max(p - Z_95 * se, 0.0), min(p + Z_95 * se, 1.0)))
            rows.append(("csat_today_pct", p, len(rated), "rated tickets, last 3 months"))
    per_month = recent.groupby(month_of(recent["created"])).size()
    if active is not None and len(per_month):
        base = active.reindex(per_month.index)
        rate = (per_month.to_numpy() / base.to_numpy(dtype=np.float64))
        rate = rate[np.isfinite(rate)]
        if rate.size:
            out["contact_rate_per_customer_month"] = float(rate.mean())
            rows.append(("contact_rate_per_customer_month", out["contact_rate_per_customer_month"],
                         int(per_month.sum()), "tickets per active customer, last 3 months"))
    if "channel" in recent.columns and recent["channel"].notna().any():
        shares = recent["channel"].dropna().value_counts(normalize=True)
        names = {c.name for c in company.channels}
        extra = sorted(set(shares.index) - names)
        if extra:
            notes.append(f"Channel shares kept: the data have channels the case lacks ({', '.join(extra)}).")
        else:
            for name in names:
                out[f"share_pct:{name}"] = float(shares.get(name, 0.0))
            rows.append(("channel shares", float(len(shares)), int(shares.size), "tickets, last 3 months"))


def _from_kpis(kpis: pd.DataFrame, out: dict, rows: list) -> None:
    recent = kpis.sort_values("month").tail(RECENT_TICKET_MONTHS)

    def latest(column: str) -> float | None:
        if column in recent.columns and recent[column].notna().any():
            return float(recent[column].dropna().mean())
        return None

    if "csat_today_pct" not in out and (csat := latest("csat_pct")) is not None:
        out["csat_today_pct"] = float(np.clip(csat, *CSAT_LIMITS))
        rows.append(("csat_today_pct", out["csat_today_pct"], len(recent), "KPI table, last 3 months"))
    customers = latest("customers")
    if "customers" not in out and customers:
        out["customers"] = customers
        rows.append(("customers", customers, len(recent), "KPI table"))
    if customers and "churn_monthly_pct" not in out and (churned := latest("churned")) is not None:
        out["churn_monthly_pct"] = min(churned / customers, 0.99)
        rows.append(("churn_monthly_pct", out["churn_monthly_pct"], len(recent), "KPI table"))
    if customers and "arpu_per_month" not in out and (mrr := latest("mrr")):
        out["arpu_per_month"] = mrr / customers
        rows.append(("arpu_per_month", out["arpu_per_month"], len(recent), "KPI MRR / customers"))
    if customers and "contact_rate_per_customer_month" not in out and (tickets := latest("tickets")) is not None:
        out["contact_rate_per_customer_month"] = tickets / customers
        rows.append(("contact_rate_per_customer_month", out["contact_rate_per_customer_month"], len(recent),
                     "KPI tickets / customers"))
    if "nps_today" not in out and (nps := latest("nps")) is not None:
        out["nps_today"] = float(np.clip(nps, -100.0, 100.0))
        rows.append(("nps_today", out["nps_today"], len(recent), "KPI table"))


def _volume_without_customers(tickets: pd.DataFrame, company: Company, out: dict, rows: list,
                              notes: list[str]) -> None:
    """No customer count in the data: the contact rate that gives the recent monthly volume on the customers
    entered for the company (the volume is what the data show; the split into customers and rate is not)."""
    recent = _recent(tickets, "created", RECENT_TICKET_MONTHS)
    per_month = recent.groupby(month_of(recent["created"])).size()
    customers = out.get("customers", company.customers)
    if len(per_month) and customers > 0:
        out["contact_rate_per_customer_month"] = float(per_month.mean()) / customers
        rows.append(("contact_rate_per_customer_month", out["contact_rate_per_customer_month"],
                     int(per_month.sum()), f"tickets a month, last 3 months, over the {customers:,.0f} customers "
                     "entered"))
        notes.append("Without a customer table, the ticket volume sets the contact rate on the customers entered.")


def fit_company(company: Company, tickets: pd.DataFrame | None, customers: pd.DataFrame | None,
                kpis: pd.DataFrame | None = None) -> Fit | Skipped:
    """Today's company figures from the uploads; see the module docstring for each source."""
    out: dict[str, float] = {}
    intervals: list[tuple[str, float, float]] = []
    rows: list[tuple[str, float, int, str]] = []
    notes: list[str] = []
    active = None
    if customers is not None and len(customers):
        active = _from_customers(customers, out, intervals, rows)["active"]
    if tickets is not None and len(tickets):
        _from_tickets(tickets, company, active, out, intervals, rows, notes)
    if kpis is not None and len(kpis):
        _from_kpis(kpis, out, rows)
    if tickets is not None and len(tickets) and "contact_rate_per_customer_month" not in out:
        _volume_without_customers(tickets, company, out, rows, notes)
    if not out:
        return Skipped("company", "no figure of today's company could be measured from the uploads")
    data = pd.DataFrame(rows, columns=["figure", "value", "rests_on", "from"])
    # The figures measured are in ``data``; the page names them with the form's labels before this note.
    return Fit("company", "Your company today", int(data["rests_on"].max()), "figures measured", float(len(rows)),
               tuple(out.items()), tuple(intervals), data, pd.DataFrame(), " ".join(notes).strip())


def apply_company(scenario: Scenario, fit: Fit) -> Scenario:
    """``scenario`` with the measured figures written into its company (each kept valid)."""
    company = scenario.company
    v = dict(fit.values)
    changes = {name: v[name] for name in FIELDS if name in v and np.isfinite(v[name])}
    if "customers" in changes and changes["customers"] <= 0:
        del changes["customers"]
    if "arpu_per_month" in changes and changes["arpu_per_month"] <= 0:
        del changes["arpu_per_month"]
    shares = {k.partition(":")[2]: x for k, x in v.items() if k.startswith("share_pct:")}
    names = {c.name for c in company.channels}
    if shares and set(shares) == names and abs(sum(shares.values()) - 1.0) < 1e-6:
        changes["channels"] = tuple(dataclasses.replace(c, share_pct=shares.get(c.name, 0.0))
                                    for c in company.channels)
    return dataclasses.replace(scenario, company=dataclasses.replace(company, **changes))


def apply_all(scenario: Scenario, fits: list[Fit]) -> Scenario:
    """Every chosen fit written in: today's company first, then the model's fits (:func:`apply_fits`)."""
    today = [f for f in fits if f.kind == "company"]
    if today:
        scenario = apply_company(scenario, today[0])
    return apply_fits(scenario, fits) if fits else scenario
