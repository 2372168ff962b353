"""Tables as a manager reads them: plain headers with units, percents as percents, costs negative.

Pure pandas (no st.*); the page shows them with ``st.dataframe``.
"""

from __future__ import annotations

import pandas as pd

from model import BENEFIT_LINES, COST_LINES, Projection
from view import format as fmt


def monthly(p: Projection) -> pd.DataFrame:
    """Baseline and scenario month by month, rounded to what is meaningful."""
    m = p.monthly
    cur = p.currency
    out = pd.DataFrame({
        "Month": m["month"],
        "Variant": m["variant"],
        "Customers": m["customers"].round(0),
        "Churn (% a month)": (m["churn_pct"] * 100).round(2),
        "CSAT (%)": (m["csat_pct"] * 100).round(1),
        "NPS": m["nps"].round(1),
        "Tickets a month": m["tickets"].round(0),
    })
    for col in (c for c in m.columns if c.startswith("frt_")):
        out[f"First response, {col[4:-2]} (h)"] = m[col].round(2)
    out["Headcount"] = m["headcount"].round(1)
    out[f"Staff cost ({cur} a month)"] = m["support_cost"].round(0)
    out[f"Revenue ({cur} a month)"] = m["revenue"].round(0)
    return out.sort_values(["Month", "Variant"], kind="stable").reset_index(drop=True)


def cash(p: Projection) -> pd.DataFrame:
    """Incremental cash lines per month: benefits positive, costs negative, then the totals."""
    c = p.cash
    cur = p.currency
    out = pd.DataFrame({"Month": c["month"]})
    for line in BENEFIT_LINES:
        out[f"{line} ({cur})"] = c[line].round(0)
    for line in COST_LINES:
        out[f"{line} ({cur})"] = (-c[line]).round(0)
    out[f"Net cash flow ({cur})"] = c["cash_flow"].round(0)
    out[f"Cumulative, undiscounted ({cur})"] = c["cumulative_cash"].round(0)
    out[f"Discounted ({cur})"] = c["discounted_cash"].round(0)
    return out


def risk_adjusted(table: pd.DataFrame, currency: str, months: int) -> pd.DataFrame:
    """The TEI table: one row per line, its risk adjustment, initial, years, total and PV.

    Costs are shown negative, as in a cash-flow table; totals last. A last year shorter than twelve
    months (an 18-month horizon) says how many months it holds.
    """
    cur = currency
    sign = table["kind"].map({"Benefit": 1.0, "Cost": -1.0, "Total": 1.0}).to_numpy()
    sign = sign * ((table["line"] != "Total costs").to_numpy() * 2 - 1)
    years = [c for c in table.columns if c.startswith("year_")]
    adjustment = [f"{a * 100:+.0f} %" if kind != "Total" else ""
                  for a, kind in zip(table["adjustment_pct"], table["kind"])]
    out = pd.DataFrame({"Line": table["line"], "Risk adjustment": adjustment})
    titles = [f"Year {y[5:]}" for y in years]
    if months % 12:
        titles[-1] += f", {months % 12} months"
    for column, title in [("initial", "Initial")] + list(zip(years, titles)) + [
            ("total", "Total"), ("present_value", "Present value")]:
        out[f"{title} ({cur})"] = (table[column] * sign).round(0) + 0.0       # + 0.0: no "-0"
    return out


def _digits(values: pd.Series) -> int:
    """Decimals a rounded column needs: 0, 1 or 2."""
    finite = values.dropna()
    for digits in (0, 1):
        if ((finite * 10**digits).round(6) % 1 == 0).all():
            return digits
    return 2


def response_by_region(p: Projection, channel: str, month: int) -> pd.DataFrame:
    """First response of one channel per customer region in ``month`` (point view), scenario then baseline: mean
    and median over every ticket and over the tickets written in the region's business hours (hours), and the
    share answered within the channel's target."""
    r = p.response
    r = r[(r["channel"] == channel) & (r["month"] == month)].copy()
    r["order"] = r["variant"].map({"scenario": 0, "baseline": 1})
    r = r.sort_values(["order"], kind="stable").sort_values(["region"], kind="stable", key=lambda c: c.map(
        {name: i for i, name in enumerate(dict.fromkeys(p.response["region"]))}))
    return pd.DataFrame({
        "Region": r["region"].to_numpy(), "Case": r["variant"].str.capitalize().to_numpy(),
        "Mean (h)": r["mean_h"].round(2).to_numpy(), "Median (h)": r["median_h"].round(2).to_numpy(),
        "Mean, business hours (h)": r["business_mean_h"].round(2).to_numpy(),
        "Median, business hours (h)": r["business_median_h"].round(2).to_numpy(),
        "Within target": [fmt.percent(x, p.currency, 1) for x in r["within_target_pct"]],
    })


def in_locale(frame: pd.DataFrame, currency: str, keep: tuple[str, ...] = ("Month",)) -> pd.DataFrame:
    """The numeric columns (but ``keep``) as text in the currency's locale (``35.921``, ``1,5``), as the KPIs and
    exports write them; a table's grid would otherwise follow the browser's locale."""
    out = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if column not in keep and pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            digits = _digits(values)
            out[column] = values.map(lambda v: "" if pd.isna(v) else fmt.number(round(v, digits) + 0.0, currency, digits))
    return out
