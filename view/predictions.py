"""Predictions for the page and the files: the ledger, a metric's frozen band beside the months that happened,
the scores in words (no Streamlit)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from track import DECISIVE, NOMINAL_COVERAGE as NOMINAL, Prediction, Verdict, by_metric, miss_odds, scores, verdict
from view import format as fmt
from view.charts import AUTOSIZE, HEIGHT, spec_of

PLAN_COLOR, BASELINE_COLOR, ACTUAL_COLOR = "#1f6feb", "#6b7785", "#111111"

SCORES_EXPLAINED = """
Per metric and month, with *y* the actual, *m* the plan's P50 and [*l*, *u*] its P10 to P90 as filed:

- **Inside P10-P90**: *l* <= *y* <= *u*. A correct band holds about 80 % of the months.
- **Bias**: the sum of the actuals over the sum of the P50s, minus 1 (above 0: the plan was low); for CSAT and NPS
  the mean of *y - m* in points.
- **WAPE**: the sum of |*y - m*| over the sum of |*y*|.
- **WIS** (weighted interval score, Bracher et al. 2021): (0.5 |*y - m*| + 0.1 IS) / 1.5 with the interval score
  IS = (*u - l*) + 10 max(*l - y*, 0) + 10 max(*y - u*, 0); summed and shown as a share of the actuals, for the plan
  and for the baseline's band. Lower is better; a plan scoring below the baseline was the better forecast.
- **Plan over baseline (log odds)**: the log of how much likelier each actual is under the plan's band than
  under the baseline's (a two-piece normal from each band), summed. Above 3.0 (odds of 20 to 1) the months look
  like the plan, below -3.0 like the baseline. A month outside both bands counts 0: neither explains it.
- **All metrics**: every metric-month counted; its WAPE and WIS are the mean of the metrics' own (units differ),
  and it has no bias (the metrics' signs and units differ).
- Months that had begun before the prediction was filed are not scored.

The band as filed includes each month's own variation: measured on your months where 6 or more were uploaded
(the residuals around a straight line through them), else assumed (listed where the case is filed).
"""


def metric_label(metric: str, currency: str) -> tuple[str, str, str]:
    """A metric's chart title, axis title (with its unit) and number format."""
    if metric == "frt_h":
        return "Mean first response, all channels", "First response (hours)", ",.1f"
    if metric.startswith("frt_"):
        channel = metric.removeprefix("frt_").removesuffix("_h")
        return f"Mean first response, {channel}", "First response (hours)", ",.1f"
    return {
        "tickets": ("Tickets", "Tickets (a month)", ",.0f"),
        "csat_pct": ("CSAT", "CSAT (% satisfied)", ".1%"),
        "nps": ("NPS", "NPS (points, -100 to 100)", ",.0f"),
        "churn_pct": ("Churn", "Churn (% of customers a month)", ".2%"),
        "customers": ("Customers", "Customers (count)", ",.0f"),
        "revenue": (f"Revenue ({currency})", f"Revenue ({currency} a month)", "~s"),
    }.get(metric, (metric, metric, ",.2f"))


def text_of(value: float, metric: str, currency: str) -> str:
    """One value of a metric as the page writes it (locale of the currency)."""
    if not np.isfinite(value):
        return ""
    if metric in ("csat_pct", "churn_pct"):
        return fmt.percent(value, currency, 1 if metric == "csat_pct" else 2)
    if metric == "revenue":
        return fmt.money(value, currency)
    if metric.startswith("frt_"):
        return fmt.number(value, currency, 1) + " h"
    return fmt.number(value, currency, 0)


def noise_rows(noise: dict[str, Any], currency: str) -> pd.DataFrame:
    """Each metric's month-to-month variation as the page lists it: a typical month's spread in words (relative
    for counts, amounts and times; points for CSAT and NPS) and where it comes from."""
    rows = []
    for metric, n in noise.items():
        if n.scale == "log":
            spread = f"about {fmt.percent(float(np.expm1(n.sd)), currency, 1)} either way"
        elif metric == "csat_pct":
            spread = f"about {fmt.number(n.sd * 100.0, currency, 1)} pts either way"
        else:
            spread = f"about {fmt.number(n.sd, currency, 1)} points either way"
        rows.append({"Metric": metric_label(metric, currency)[0], "A month's own spread (1 sd)": spread,
                     "Source": n.source})
    return pd.DataFrame(rows)


def picker_label(record: Any) -> str:
    """A filed prediction as the picker lists it: name, filing date, and withdrawn when it is."""
    return f"{record.name} (filed {record.filed_at:%d %b %Y}" + (", withdrawn)" if record.withdrawn else ")")


def months_of(prediction: Prediction, actuals: pd.DataFrame) -> int:
    """How many of the prediction's months have an actual of any of its metrics."""
    if actuals.empty:
        return 0
    seen = pd.to_datetime(actuals["calendar_month"]).dt.strftime("%Y-%m")
    own = set(prediction.rows["target_month"])
    return len(own & set(seen[actuals["series"].isin(prediction.metrics)]))


def status(record: Any, prediction: Prediction, actuals: pd.DataFrame, today: pd.Timestamp,
           replaced: set[str]) -> str:
    """Withdrawn, replaced, waiting (its first month not reached), open (n of N months in) or resolved."""
    if record.withdrawn:
        return "withdrawn"
    if record.id in replaced:
        return "replaced"
    have = months_of(prediction, actuals)
    if have >= prediction.months:
        return "resolved"
    if have == 0 and today < prediction.first_month:
        return "waiting"
    return f"open ({have} of {prediction.months} months in)"


def ledger(records: Sequence[Any], predictions: Sequence[Prediction], actuals: pd.DataFrame,
           today: pd.Timestamp) -> pd.DataFrame:
    """One row per filed prediction: what, by whom, when, the months it covers, when it resolves (the month after
    its last, when that month's actuals can be in), its status and the score so far."""
    replaced = {r.replaces for r in records if r.replaces}
    rows = []
    for record, p in zip(records, predictions, strict=True):
        scored = scores(p, actuals) if len(actuals) else pd.DataFrame()
        pooled = by_metric(scored, p.scales) if len(scored) else None
        every = pooled.iloc[-1] if pooled is not None else None
        rows.append({
            "Prediction": record.name,
            "Filed": f"{record.filed_at:%Y-%m-%d %H:%M} UTC",
            "By": record.author,
            "Company": p.company,
            "Months": f"{p.first_month:%b %Y} to {p.last_month:%b %Y}",
            "Resolves": f"{p.last_month + pd.DateOffset(months=1):%b %Y}",
            "Status": status(record, p, actuals, today, replaced),
            "Inside P10-P90 so far": "" if every is None else f"{int(every['inside'])} of {int(every['months'])}",
            "Looks like": "" if scored.empty else verdict(scored).looks_like,
        })
    return pd.DataFrame(rows)


def chart_rows(prediction: Prediction, metric: str, actuals: pd.DataFrame) -> pd.DataFrame:
    """Rows of one metric's chart: the plan's band and P50, the baseline's P50, the actual months."""
    plan = prediction.wide("scenario")
    plan = plan[plan["metric"] == metric]
    base = prediction.wide("baseline")
    base = base[base["metric"] == metric]
    rows = [pd.DataFrame({"month": pd.to_datetime(plan["target_month"] + "-01"), "series": "plan (P50)",
                          "p10": plan["p10"].to_numpy(), "value": plan["p50"].to_numpy(),
                          "p90": plan["p90"].to_numpy()}),
            pd.DataFrame({"month": pd.to_datetime(base["target_month"] + "-01"), "series": "baseline (P50)",
                          "p10": np.nan, "value": base["p50"].to_numpy(), "p90": np.nan})]
    own = actuals[actuals["series"] == metric] if len(actuals) else actuals
    if len(own):
        first = prediction.first_month - pd.DateOffset(months=prediction.months)
        last = prediction.last_month
        months = pd.to_datetime(own["calendar_month"])
        keep = (months >= first) & (months <= last)
        rows.append(pd.DataFrame({"month": months[keep].to_numpy(), "series": "actual", "p10": np.nan,
                                  "value": own["value"][keep].to_numpy(), "p90": np.nan}))
    return pd.concat(rows, ignore_index=True)


def prediction_chart(rows: pd.DataFrame, prediction: Prediction, metric: str, currency: str) -> dict[str, Any]:
    """Vega-Lite spec of one metric (no rows: give :func:`chart_rows` with it): the plan's P10-P90 band as filed,
    its P50, the baseline's P50 (dashed) and the actual months (dots), on calendar months, with the filing's first
    month marked. The spec depends on its labels only and is built once for them."""
    seen = bool((rows["series"] == "actual").any())
    return _prediction_spec(metric, currency, f"{prediction.filed_at:%d %b %Y}", seen)


@functools.lru_cache(maxsize=256)
def _prediction_spec(metric: str, currency: str, filed: str, seen: bool) -> dict[str, Any]:
    title, y_title, y_format = metric_label(metric, currency)
    subtitle = (f"filed {filed}; band: P10 to P90 of the plan as filed; "
                + ("dots: your actual months" if seen else "no actual month of this metric uploaded yet"))
    base = alt.Chart(title=alt.Title(title, subtitle=subtitle), height=HEIGHT)
    x = alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"))
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=y_format))
    color = alt.Color("series:N", title=None, legend=alt.Legend(orient="top"),
                      scale=alt.Scale(domain=["plan (P50)", "baseline (P50)", "actual"],
                                      range=[PLAN_COLOR, BASELINE_COLOR, ACTUAL_COLOR]))
    tip = [alt.Tooltip("month:T", title="Month", format="%b %Y"), alt.Tooltip("series:N", title="Line"),
           alt.Tooltip("value:Q", title="Value", format=y_format)]
    band = base.transform_filter("datum.series == 'plan (P50)'").mark_area(opacity=0.18, color=PLAN_COLOR).encode(
        x=x, y=alt.Y("p10:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=y_format)),
        y2="p90:Q", tooltip=[*tip, alt.Tooltip("p10:Q", title="P10", format=y_format),
                             alt.Tooltip("p90:Q", title="P90", format=y_format)])
    plan = base.transform_filter("datum.series == 'plan (P50)'").mark_line(strokeWidth=2.5).encode(
        x=x, y=y, color=color, tooltip=tip)
    baseline = base.transform_filter("datum.series == 'baseline (P50)'").mark_line(
        strokeWidth=2, strokeDash=[5, 4]).encode(x=x, y=y, color=color, tooltip=tip)
    dots = base.transform_filter("datum.series == 'actual'").mark_circle(size=48, opacity=0.95).encode(
        x=x, y=y, color=color, tooltip=tip)
    start = base.transform_filter("datum.series == 'plan (P50)'").transform_aggregate(
        first="min(month)").mark_rule(color="#666", strokeDash=[3, 3]).encode(x=alt.X("first:T"))
    chart = alt.layer(band, plan, baseline, dots, start).properties(autosize=AUTOSIZE)
    return spec_of(chart, currency)


def score_table(pooled: pd.DataFrame, currency: str, versus_baseline: bool = True) -> pd.DataFrame:
    """The pooled scores as the page shows them (percentages in the currency's locale). The "All metrics" row
    counts every metric-month; its ratios are the mean of the metrics' own (their units differ). Without
    ``versus_baseline`` (a back-test, where the plan is the baseline) the baseline's columns are left out."""
    def pct(x: float, digits: int = 0) -> str:
        return "" if not np.isfinite(x) else fmt.percent(round(x, digits + 2) + 0.0, currency, digits)
    rows = []
    for r in pooled.itertuples(index=False):
        label = "All metrics" if r.metric == "all" else metric_label(r.metric, currency)[0]
        rows.append({"Metric": label, "Months": int(r.months),
                     "Inside P10-P90": f"{int(r.inside)} of {int(r.months)} ({pct(r.coverage)})",
                     "Bias (actual against P50)": bias_text(r.metric, r.bias, r.bias_unit, currency),
                     "WAPE": pct(r.wape, 1),
                     "WIS, plan (share of actuals)": pct(r.relative_wis, 1),
                     "WIS, baseline": pct(r.baseline_relative_wis, 1),
                     "Plan over baseline (log odds)": fmt.number(r.log_ratio, currency, 1)})
    table = pd.DataFrame(rows)
    return table if versus_baseline else table.drop(columns=["WIS, baseline", "Plan over baseline (log odds)"])


def bias_text(metric: str, bias: float, unit: str, currency: str) -> str:
    """A pooled bias as the page writes it: a signed share of the P50 ("+12.0 %"), or points for CSAT and NPS."""
    if not np.isfinite(bias):
        return ""
    if unit == "abs":
        value = bias * 100.0 if metric == "csat_pct" else bias
        return fmt.signed(round(value, 1) + 0.0, currency, 1) + (" pts" if metric == "csat_pct" else " points")
    return fmt.signed(round(bias * 100.0, 1) + 0.0, currency, 1) + " %"


def verdict_sentence(found: Verdict) -> str:
    """Did the action work, so far, in words (with the odds behind it)."""
    left = (f" {found.left_out} metric-month{'s' if found.left_out > 1 else ''} outside both bands "
            f"{'were' if found.left_out > 1 else 'was'} left out: the model misses "
            f"{'them' if found.left_out > 1 else 'it'} with or without the plan (see what the months suggest "
            "recalibrating)." if found.left_out else "")
    if found.months == 0 and found.left_out == 0:
        return "No actual month of this prediction yet: upload the months it covers on Your data."
    if found.months == 0:
        return "No month falls inside either band, so the months cannot tell the plan from the baseline." + left
    if abs(found.log_ratio) > math.log(1e6):
        odds = "odds over a million to 1" + ("" if found.log_ratio >= 0 else " against the plan")
    else:
        odds = f"odds {found.odds:,.0f} to 1" if found.log_ratio >= 0 else f"odds 1 to {1 / found.odds:,.0f}"
    if found.looks_like == "plan":
        return (f"The {found.months} metric-months so far look like the plan, not the baseline ({odds} for the "
                "plan's band): the action shows in the figures." + left)
    if found.looks_like == "baseline":
        return (f"The {found.months} metric-months so far look like the baseline, not the plan ({odds}): the "
                "figures moved as if nothing had been done. Check whether the action happened as planned, then "
                "what the Calibrate page's fits say." + left)
    return (f"The {found.months} metric-months so far cannot tell the plan from the baseline ({odds}; "
            f"decisive is 20 to 1, a log odds of {DECISIVE:.1f})." + left)


def coverage_sentence(pooled: pd.DataFrame) -> str:
    """How many metric-months fell inside the band, and how far that proves anything."""
    every = pooled.iloc[-1]
    n, inside = int(every["months"]), int(every["inside"])
    if n == 0:
        return ""
    return f"{inside} of {n} metric-months fell inside the P10-P90 band (a correct band holds 80 %). " + \
        how_little(n, n - inside)


def _share(x: float) -> str:
    return "under 1 %" if x < 0.01 else "over 99 %" if x > 0.99 else f"{x:.0%}"


def how_little(months: int, misses: int, what: str = "the plan") -> str:
    """What ``misses`` of ``months`` outside a band says about it, in words (binomial odds of a correct band);
    ``what`` the band stands for ("the plan", or "the model" in a back-test)."""
    if misses == 0:
        all_in = NOMINAL ** months
        return f"A correct band holds all {months} in {_share(all_in)} of cases" + (
            ", so this proves little either way." if all_in > 0.05 else
            ": the band may be wider than it need be (or the months are smoother than the month-to-month variation "
            "assumed).")
    odds = miss_odds(months, misses)
    return f"A correct band misses {misses} or more of {months} in {_share(odds)} of cases" + (
        ", so this proves little either way; months of one metric move together, so the true odds are wider."
        if odds > 0.05 else f": the band is too narrow or {what} is off; see the metrics below.")


SUGGESTS = {
    "tickets": "the volume: customers or contacts per customer (the Calibrate page's company figures)",
    "frt": "the team: sites, hours and headcount on Your company, or the handle time (its Calibrate fit)",
    "csat_pct": "CSAT today and how it falls with waiting (the company figures and the CSAT curve fits)",
    "nps": "NPS today (the company figures)",
    "churn_pct": "churn today and how much a bad experience adds (the company figures and the class fit)",
    "customers": "customers today and new customers a month (the company figures)",
    "revenue": "revenue per customer (the company figures)",
}


def suggestions(pooled: pd.DataFrame, currency: str, noise: dict[str, Any] | None = None,
                min_months: int = 3) -> list[str]:
    """What the months suggest recalibrating: each metric with at least ``min_months`` whose months mostly fell
    outside the band (under half inside) or whose bias is over a tenth of the P50 (CSAT and NPS: over the 80 %
    half-width of their month-to-month variation), and what in the case sets it."""
    out = []
    for r in pooled.itertuples(index=False):
        if r.metric == "all" or r.months < min_months or not np.isfinite(r.bias):
            continue
        limit = 0.10 if r.bias_unit != "abs" else 1.2816 * (noise[r.metric].sd if noise and r.metric in noise else
                                                            (0.02 if r.metric == "csat_pct" else 4.0))
        if not (r.coverage < 0.5 or abs(r.bias) > limit):
            continue
        size = bias_text(r.metric, abs(r.bias), r.bias_unit, currency).lstrip("+")
        way = "above" if r.bias > 0 else "below"
        what = SUGGESTS["frt" if r.metric.startswith("frt_") else r.metric]
        out.append(f"{metric_label(r.metric, currency)[0]}: {int(r.inside)} of {int(r.months)} months inside the "
                   f"band, the actuals {size} {way} the P50. Check {what}.")
    return out
