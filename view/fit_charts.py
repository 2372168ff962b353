"""Pure Altair builders for calibration fits (no st.*): the data as points or bars, the fitted curve
as a line, its 90 % band as an area. One builder per kind of fit; :func:`fit_chart` picks it."""

from __future__ import annotations

import altair as alt

from calibration import Fit
from view.charts import AUTOSIZE, HEIGHT

DATA_COLOR = "#111111"
FIT_COLOR = "#1f6feb"


def _title(fit: Fit, subtitle: str) -> alt.Title:
    return alt.Title(fit.label, subtitle=f"{subtitle}; {fit.rows:,} rows; {fit.quality_name} {fit.quality:.3g}")


def arrival(fit: Fit) -> alt.LayerChart:
    data = fit.data.merge(fit.curve, on="hour_of_week")
    base = alt.Chart(data, title=_title(fit, "black: your tickets, blue: fitted shape with 90 % band"),
                     height=HEIGHT)
    x = alt.X("hour_of_week:Q", title="Local hour of the week (Mon 0 to Sun 167)", scale=alt.Scale(domain=[0, 168]),
              axis=alt.Axis(values=list(range(0, 169, 24))))
    tip = [alt.Tooltip("hour_of_week:Q", title="hour of week"),
           alt.Tooltip("observed_share:Q", title="observed", format=".2%"),
           alt.Tooltip("fitted_share:Q", title="fitted", format=".2%"), alt.Tooltip("tickets:Q", format=",d")]
    band = base.mark_area(opacity=0.2, color=FIT_COLOR).encode(x=x, y="lower:Q", y2="upper:Q", tooltip=tip)
    seen = base.mark_line(color=DATA_COLOR, strokeWidth=1.2, interpolate="step-after").encode(
        x=x, y=alt.Y("observed_share:Q", title="Share of the week's tickets (%)", axis=alt.Axis(format=".1%")),
        tooltip=tip)
    fitted = base.mark_line(color=FIT_COLOR, strokeWidth=2.5).encode(x=x, y="fitted_share:Q", tooltip=tip)
    return alt.layer(band, seen, fitted).properties(autosize=AUTOSIZE)


def handle_time(fit: Fit) -> alt.LayerChart:
    data = fit.data.assign(fitted=fit.curve["share"].to_numpy(), middle=lambda d: (d["from_min"] * d["to_min"]) ** 0.5)
    base = alt.Chart(data, title=_title(fit, "bars: your tickets, line: fitted log-normal"), height=HEIGHT)
    x = alt.X("from_min:Q", title="Handle time (minutes, log scale)", scale=alt.Scale(type="log"))
    tip = [alt.Tooltip("from_min:Q", title="from (min)", format=",.1f"), alt.Tooltip("to_min:Q", title="to (min)",
                                                                                      format=",.1f"),
           alt.Tooltip("share:Q", title="observed", format=".1%"), alt.Tooltip("fitted:Q", format=".1%")]
    # Each bin a bar from its lower to its upper edge, standing on zero (with x2 alone, Vega-Lite draws a ranged bar
    # across x at the share's height: a dash).
    bars = base.mark_bar(color="#9aa5b1").encode(x=x, x2="to_min:Q", y=alt.Y(
        "share:Q", title="Share of tickets (%)", axis=alt.Axis(format=".0%"), scale=alt.Scale(domainMin=0)),
        y2=alt.datum(0), tooltip=tip)
    line = base.mark_line(color=FIT_COLOR, strokeWidth=2.5, point=True).encode(
        x=alt.X("middle:Q", scale=alt.Scale(type="log")), y="fitted:Q", tooltip=tip)
    return alt.layer(bars, line).properties(autosize=AUTOSIZE)


def response(fit: Fit) -> alt.LayerChart:
    data = fit.data.merge(fit.curve, on="response_h")
    data = data[data["response_h"] > 0]
    base = alt.Chart(data, title=_title(fit, "black: your tickets, blue: fitted distribution"), height=HEIGHT)
    x = alt.X("response_h:Q", title="First response (hours, log scale)", scale=alt.Scale(type="log"))
    tip = [alt.Tooltip("response_h:Q", title="hours", format=",.2f"),
           alt.Tooltip("observed_cdf:Q", title="observed", format=".1%"),
           alt.Tooltip("fitted_cdf:Q", title="fitted", format=".1%")]
    seen = base.mark_line(color=DATA_COLOR, strokeWidth=1.5, interpolate="step-after").encode(
        x=x, y=alt.Y("observed_cdf:Q", title="Answered within (% of tickets)", axis=alt.Axis(format=".0%")),
        tooltip=tip)
    fitted = base.mark_line(color=FIT_COLOR, strokeWidth=2.5).encode(x=x, y="fitted_cdf:Q", tooltip=tip)
    return alt.layer(seen, fitted).properties(autosize=AUTOSIZE)


def csat(fit: Fit) -> alt.LayerChart:
    points = fit.data[fit.data["response_h"] > 0]
    curve = fit.curve[fit.curve["response_h"] > 0]
    title = _title(fit, "dots: your rated tickets by response time (90 % interval), line: fitted curve and band")
    x = alt.X("response_h:Q", title="First response (hours, log scale)", scale=alt.Scale(type="log"))
    y = alt.Y("csat_pct:Q", title="CSAT (% satisfied)", axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False))
    band = alt.Chart(curve).mark_area(opacity=0.2, color=FIT_COLOR).encode(x=x, y="lower:Q", y2="upper:Q")
    line = alt.Chart(curve).mark_line(color=FIT_COLOR, strokeWidth=2.5).encode(
        x=x, y=y, tooltip=[alt.Tooltip("response_h:Q", title="hours", format=",.2f"),
                           alt.Tooltip("csat_pct:Q", title="fitted CSAT", format=".1%")])
    tip = [alt.Tooltip("from_h:Q", title="from (h)", format=",.2f"), alt.Tooltip("to_h:Q", title="to (h)",
                                                                                  format=",.2f"),
           alt.Tooltip("csat_pct:Q", title="CSAT", format=".1%"), alt.Tooltip("rated:Q", format=",d")]
    bars = alt.Chart(points).mark_rule(color=DATA_COLOR).encode(x=x, y="lower:Q", y2="upper:Q", tooltip=tip)
    dots = alt.Chart(points).mark_circle(color=DATA_COLOR).encode(
        x=x, y=y, size=alt.Size("rated:Q", title="Rated tickets", legend=alt.Legend(orient="right")), tooltip=tip)
    return alt.layer(band, line, bars, dots, title=title, height=HEIGHT).properties(autosize=AUTOSIZE)


def classes(fit: Fit) -> alt.LayerChart:
    data = fit.curve.merge(fit.data, on="class").dropna(subset=["churn_mult"])
    base = alt.Chart(data, title=_title(fit, "churn of each class relative to customers without a rated contact, "
                                             "with its 90 % interval"), height=HEIGHT)
    x = alt.X("class:N", title="Last support experience", sort=["dissatisfied", "none", "satisfied"])
    tip = [alt.Tooltip("class:N"), alt.Tooltip("churn_mult:Q", title="churn multiplier", format=".2f"),
           alt.Tooltip("churn_monthly_pct:Q", title="churn a month", format=".2%"),
           alt.Tooltip("customers:Q", format=",d"), alt.Tooltip("churned:Q", format=",d")]
    bars = base.mark_bar(color=FIT_COLOR, opacity=0.7).encode(
        x=x, y=alt.Y("churn_mult:Q", title="Churn multiplier (x none)"), tooltip=tip)
    whiskers = base.mark_rule(color=DATA_COLOR).encode(x=x, y="churn_lower:Q", y2="churn_upper:Q", tooltip=tip)
    return alt.layer(bars, whiskers).properties(autosize=AUTOSIZE)


def patience(fit: Fit) -> alt.LayerChart:
    title = _title(fit, "dots: blocks of consecutive contacts, line: mean wait / patience with its 90 % band")
    x = alt.X("mean_wait_min:Q", title="Mean wait in the queue (minutes)")
    y = alt.Y("abandon_pct:Q", title="Abandoned (% of contacts)", axis=alt.Axis(format=".0%"))
    band = alt.Chart(fit.curve).mark_area(opacity=0.2, color=FIT_COLOR).encode(x=x, y="lower:Q", y2="upper:Q")
    line = alt.Chart(fit.curve).mark_line(color=FIT_COLOR, strokeWidth=2.5).encode(x=x, y=y)
    dots = alt.Chart(fit.data).mark_circle(color=DATA_COLOR, opacity=0.7).encode(
        x=x, y=y, tooltip=[alt.Tooltip("mean_wait_min:Q", title="mean wait (min)", format=",.2f"),
                           alt.Tooltip("abandon_pct:Q", title="abandoned", format=".1%"),
                           alt.Tooltip("contacts:Q", format=",d")])
    return alt.layer(band, line, dots, title=title, height=HEIGHT).properties(autosize=AUTOSIZE)


BUILDERS = {"arrival_profile": arrival, "handle_time": handle_time, "response_distribution": response,
            "csat_curve": csat, "classes": classes, "patience": patience}


def fit_chart(fit: Fit) -> alt.LayerChart:
    """The chart of any fit, by its kind."""
    return BUILDERS[fit.kind](fit)
