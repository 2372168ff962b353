"""The Temkin table: customers grouped by their experience, and what moving a group up is worth.

The articles' method: group customers into a few categories by a survey answer (NPS promoters,
passives, detractors; or CSAT bands) or by their last support experience, compare a business
metric per group (churn, spend, expansion), and value moving customers from one group to the next.
If the groups barely differ, the pair of metrics is not useful.

Per group, over the data's window (first start to the latest date the table mentions):

- churn, monthly = customers who left / customer-months at risk (a hazard, so customers observed for
  different lengths of time compare fairly);
- spend = mean MRR; expansion = mean of (MRR - MRR at start) / MRR at start;
- lifetime value at margin = mean MRR x gross margin x lifetime, lifetime = 1 / monthly churn (at
  most ``MAX_LIFETIME_MONTHS``);
- worth of moving one customer to the next better group = the next group's value - this group's;
  for the whole group, times its customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from intake.metrics.definitions import DETRACTOR_MAX, PROMOTER_MIN
from intake.metrics.measures import DAYS_PER_MONTH, MAX_LIFETIME_MONTHS, MIN_GROUP_CUSTOMERS, data_end

Grouping = Literal["nps", "csat", "experience", "complained"]
GROUPINGS: dict[Grouping, str] = {
    "nps": "NPS answer (detractor, passive, promoter)",
    "csat": "CSAT answer (dissatisfied, satisfied)",
    "experience": "Last support experience (dissatisfied, no rated contact, satisfied)",
    "complained": "Complained (yes, no)",
}
ORDER: dict[Grouping, tuple[str, ...]] = {  # worst first, so "next" is the better group
    "nps": ("detractor", "passive", "promoter"),
    "csat": ("dissatisfied", "satisfied"),
    "experience": ("dissatisfied", "none", "satisfied"),
    "complained": ("complained", "did not complain"),
}


@dataclass(frozen=True)
class TemkinTable:
    """One grouping's table (rows in ``ORDER``) and the window it was measured over."""

    grouping: Grouping
    table: pd.DataFrame
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    gross_margin_pct: float


def groups_of(customers: pd.DataFrame, tickets: pd.DataFrame | None, grouping: Grouping) -> pd.Series | None:
    """Each customer's group (indexed like ``customers``), or None when the data lack the field."""
    if grouping == "nps" and "nps" in customers.columns and customers["nps"].notna().any():
        score = customers["nps"]
        label = np.where(score >= PROMOTER_MIN, "promoter", np.where(score <= DETRACTOR_MAX, "detractor", "passive"))
        return pd.Series(label, index=customers.index).where(score.notna())
    if grouping == "csat" and "csat_satisfied" in customers.columns and customers["csat_satisfied"].notna().any():
        sat = customers["csat_satisfied"]
        return pd.Series(np.where(sat.fillna(False).astype(bool), "satisfied", "dissatisfied"),
                         index=customers.index).where(sat.notna())
    if grouping == "complained" and "complained" in customers.columns and customers["complained"].notna().any():
        flag = customers["complained"]
        return pd.Series(np.where(flag.fillna(False).astype(bool), "complained", "did not complain"),
                         index=customers.index).where(flag.notna())
    if grouping == "experience" and tickets is not None and {"customer_id", "satisfied"} <= set(tickets.columns):
        return last_experience(customers, tickets)
    return None


def last_experience(customers: pd.DataFrame, tickets: pd.DataFrame) -> pd.Series | None:
    """Satisfied or dissatisfied by each customer's latest rated ticket; "none" without one."""
    rated = tickets[tickets["satisfied"].notna() & tickets["customer_id"].notna()]
    if rated.empty:
        return None
    latest = rated.sort_values("created").drop_duplicates("customer_id", keep="last")
    verdict = pd.Series(np.where(latest["satisfied"].astype(bool), "satisfied", "dissatisfied"),
                        index=latest["customer_id"].to_numpy())
    found = customers["customer_id"].map(verdict)
    return found.fillna("none").astype(object).set_axis(customers.index)


def temkin(customers: pd.DataFrame, groups: pd.Series, grouping: Grouping, *, gross_margin_pct: float) -> TemkinTable:
    """Churn, spend, expansion and value per group; see the module docstring for each formula."""
    window_start = customers["start"].min()
    ends = customers["end"]
    window_end = data_end(customers)
    stop = ends.fillna(window_end).clip(upper=window_end)
    months_at_risk = ((stop - customers["start"]) / pd.Timedelta(days=1)).clip(lower=0.0) / DAYS_PER_MONTH
    frame = pd.DataFrame({"group": groups, "left": ends.notna() & (ends <= window_end),
                          "months": months_at_risk})
    if "mrr" in customers.columns:
        frame["mrr"] = customers["mrr"]
        if "start_mrr" in customers.columns:
            base = customers["start_mrr"].where(customers["start_mrr"] > 0)
            frame["growth"] = (customers["mrr"] - base) / base
    frame = frame[frame["group"].notna()]
    g = frame.groupby("group")
    table = pd.DataFrame({"customers": g.size(), "churned": g["left"].sum(), "customer_months": g["months"].sum()})
    table = table.reindex([k for k in ORDER[grouping] if k in table.index])
    table["churn_monthly_pct"] = table["churned"] / table["customer_months"].where(table["customer_months"] > 0)
    table["mrr_mean"] = g["mrr"].mean() if "mrr" in frame.columns else np.nan
    table["expansion_pct"] = g["growth"].mean() if "growth" in frame.columns else np.nan
    lifetime = (1.0 / table["churn_monthly_pct"]).clip(upper=MAX_LIFETIME_MONTHS)
    value = table["mrr_mean"] * gross_margin_pct * lifetime.fillna(MAX_LIFETIME_MONTHS)
    table["value_at_margin"] = value.where(table["customers"] >= MIN_GROUP_CUSTOMERS)
    step = table["value_at_margin"].shift(-1) - table["value_at_margin"]
    table["move_up_per_customer"] = step
    table["move_up_group"] = step * table["customers"]
    lowest = table["churn_monthly_pct"].min() if len(table) else np.nan
    table["churn_vs_lowest"] = table["churn_monthly_pct"] / lowest if lowest > 0 else np.nan
    table.index.name = "group"
    return TemkinTable(grouping, table, window_start, window_end, gross_margin_pct)


def temkin_tables(customers: pd.DataFrame, tickets: pd.DataFrame | None, *,
                  gross_margin_pct: float) -> dict[Grouping, TemkinTable]:
    """Every grouping the data allow, keyed by grouping."""
    out: dict[Grouping, TemkinTable] = {}
    for grouping in GROUPINGS:
        groups = groups_of(customers, tickets, grouping)
        if groups is not None and groups.notna().any():
            out[grouping] = temkin(customers, groups, grouping, gross_margin_pct=gross_margin_pct)
    return out
