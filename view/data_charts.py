"""Pure Altair builders for uploaded data (no st.*): units in every axis title, a tooltip on every mark."""

from __future__ import annotations

import altair as alt
import pandas as pd

from view.charts import AUTOSIZE, HEIGHT, week_heatmap


def volume_heatmap(volume: pd.DataFrame, tz: str) -> alt.Chart:
    """Tickets created per weekday and hour (a 7 x 24 table) as a heat map on the help desk's clock."""
    long = volume.stack().rename("tickets").reset_index()
    long["weekday"] = long["weekday"].astype(str)
    return week_heatmap(long, "tickets", f"Tickets by hour and weekday ({tz})", "Tickets", fmt=",.0f")


def monthly_line(monthly: pd.DataFrame, column: str, title: str, y_title: str, y_format: str) -> alt.Chart:
    """One monthly actual series (calendar months on x)."""
    frame = monthly[[column]].dropna().reset_index()
    frame["month"] = frame["month"].dt.tz_localize(None)
    return (
        alt.Chart(frame, title=title, height=HEIGHT, autosize=AUTOSIZE)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 1}
                                                             if len(frame) <= 12 else alt.Undefined)),
            y=alt.Y(f"{column}:Q", title=y_title, axis=alt.Axis(format=y_format)),
            tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"),
                     alt.Tooltip(f"{column}:Q", title=y_title, format=y_format)],
        )
    )


MAX_BARS = 30


def share_bars(shares: pd.Series, title: str, label: str) -> alt.Chart:
    """Horizontal bars of shares (fractions) by category, the largest 30 first."""
    frame = shares.nlargest(MAX_BARS).rename("share").rename_axis(label).reset_index()
    frame[label] = frame[label].astype(str)
    return (
        alt.Chart(frame, title=title, height=max(60, 26 * len(frame)), autosize=AUTOSIZE)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="Share of tickets (%)", axis=alt.Axis(format=".0%")),
            y=alt.Y(f"{label}:N", title=None, sort="-x"),
            tooltip=[alt.Tooltip(f"{label}:N"), alt.Tooltip("share:Q", title="share", format=".1%")],
        )
    )


def csat_bars(table: pd.DataFrame, by: str, title: str) -> alt.Chart:
    """CSAT per channel or agent (the 30 with most ratings), with how many ratings each rests on."""
    frame = table.nlargest(MAX_BARS, "rated").reset_index().rename(columns={table.index.name or "index": by})
    frame[by] = frame[by].astype(str)
    if len(table) > MAX_BARS:
        title = f"{title} (the {MAX_BARS} with most ratings of {len(table)})"
    return (
        alt.Chart(frame, title=title, height=max(60, 22 * len(frame)), autosize=AUTOSIZE)
        .mark_bar()
        .encode(
            x=alt.X("csat_pct:Q", title="CSAT (% satisfied of rated)", axis=alt.Axis(format=".0%"),
                    scale=alt.Scale(domain=[0, 1])),
            y=alt.Y(f"{by}:N", title=None, sort="-x"),
            tooltip=[alt.Tooltip(f"{by}:N"), alt.Tooltip("csat_pct:Q", title="CSAT", format=".1%"),
                     alt.Tooltip("rated:Q", title="rated tickets", format=",d")],
        )
    )
