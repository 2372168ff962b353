"""Pure Altair builders (no st.*): every chart has units in its axis titles and a tooltip."""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

from model import BENEFIT_LINES, COST_LINES, Projection, Uncertainty
from view.format import locale_of, number, percent

VARIANT_COLORS = alt.Scale(domain=["baseline", "scenario"], range=["#9aa5b1", "#1f6feb"])
HEIGHT = 220
# The plot keeps its height; titles, legends and axes are laid out around it (Streamlit's theme
# otherwise fits everything into the height and squeezes the plot to a strip).
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


def _x_month() -> alt.X:
    return alt.X("month:Q", title="Month", axis=alt.Axis(tickMinStep=1, format="d"))


def _tick_step(y_format: str) -> float | alt.UndefinedType:
    """The smallest tick step the format can tell apart (no two ticks with the same label)."""
    digits = next((int(ch) for ch in y_format if ch.isdigit()), None)
    if digits is None:
        return alt.Undefined
    return 10.0 ** -(digits + 2) if y_format.endswith("%") else 10.0 ** -digits


REGION_STATS = {
    "Mean": "mean_h", "Median": "median_h",
    "Mean, in business hours": "business_mean_h", "Median, in business hours": "business_median_h",
}


REGION_LINE_MIN_PX = 2.5      # the last region's line
REGION_LINE_STEP_PX = 2.0     # each region before it this much wider: a pixel of its colour shows on either side
REGION_LINE_MAX_PX = 11.0     # many regions share the steps below this


def response_by_region_data(response: pd.DataFrame, channel: str, stat: str = "mean_h") -> pd.DataFrame:
    """The rows of :func:`response_by_region`: one channel's ``stat`` per variant, month and region, regions in
    alphabetical order, each with its line's width in pixels (``line_px``): the widest first, each next one
    :data:`REGION_LINE_STEP_PX` narrower, down to :data:`REGION_LINE_MIN_PX`. The browser draws the lines in the rows'
    order, so a region whose times equal another's is drawn inside it, and both show."""
    rows = response.loc[response["channel"] == channel, ["variant", "month", "region", stat]]
    rows = rows.sort_values("region", kind="stable").reset_index(drop=True)
    regions = sorted(rows["region"].unique())
    step = min(REGION_LINE_STEP_PX, (REGION_LINE_MAX_PX - REGION_LINE_MIN_PX) / max(len(regions) - 1, 1))
    width = {r: REGION_LINE_MIN_PX + step * (len(regions) - 1 - k) for k, r in enumerate(regions)}
    rows["line_px"] = rows["region"].map(width).astype(np.float64)
    return rows


def response_by_region(data: pd.DataFrame | None, channel: str, stat: str = "mean_h") -> alt.Chart:
    """First-response time per customer region (``stat``: a column of :data:`REGION_STATS`); solid scenario,
    dashed baseline. ``data``: :func:`response_by_region_data` (None: given later, :func:`spec_of`)."""
    name = next(k for k, v in REGION_STATS.items() if v == stat)
    return (
        alt.Chart(data if data is not None else alt.Undefined,
                  title=alt.Title(f"{name.split(',')[0]} first response, {channel}, by customer region"
                                  + (" (tickets written in business hours)" if "business" in stat else ""),
                                  subtitle=["solid line: scenario, dashed line: baseline",
                                            "regions answered alike share a line: the wider one is underneath"]),
                  height=HEIGHT + 40, autosize=AUTOSIZE)
        .mark_line()
        .encode(
            x=_x_month(),
            y=alt.Y(f"{stat}:Q", title="First response (hours)", axis=alt.Axis(format=",.1f", tickCount=6)),
            color=alt.Color("region:N", title="Customer region", legend=alt.Legend(orient="right"),
                            scale=alt.Scale(scheme="category10")),   # hues apart enough to tell a line inside another
            # Each region narrower than the one before, drawn over it: two regions with the same times (one time
            # zone, one team) show both colours instead of the last hiding the first.
            strokeWidth=alt.StrokeWidth("line_px:Q", legend=None, scale=None),
            strokeDash=alt.StrokeDash("variant:N", title=None, legend=alt.Legend(orient="right"),
                                      scale=alt.Scale(domain=["scenario", "baseline"], range=[[1, 0], [5, 4]])),
            tooltip=["variant:N", "region:N", "month:Q",
                     alt.Tooltip(f"{stat}:Q", title="hours", format=",.2f")],
        )
    )


def waterfall_frame(p: Projection) -> pd.DataFrame:
    """Bars from zero: each benefit line up, each cost line down, ending at the NPV."""
    rows, level = [], 0.0
    for line in BENEFIT_LINES + COST_LINES:
        amount = p.pv_by_line[line] * (1.0 if line in BENEFIT_LINES else -1.0)
        if abs(amount) < 1e-9:
            continue
        rows.append({"line": line, "start": level, "end": level + amount, "amount": amount,
                     "kind": "benefit" if amount >= 0 else "cost"})
        level += amount
    rows.append({"line": "NPV", "start": 0.0, "end": level, "amount": level, "kind": "total"})
    return pd.DataFrame(rows)


def waterfall(p: Projection) -> alt.Chart:
    """Present value of each benefit line minus each cost line, ending at the NPV."""
    data = waterfall_frame(p)
    return waterfall_chart(data, p.currency, tuple(data["line"]))


def waterfall_chart(data: pd.DataFrame | None, cur: str, order: tuple[str, ...]) -> alt.Chart:
    """:func:`waterfall` of :func:`waterfall_frame`'s rows (None: given later), bars in ``order``."""
    return (
        alt.Chart(data if data is not None else alt.Undefined,
                  title=f"Where the NPV comes from (present value, {cur})", height=HEIGHT + 40, autosize=AUTOSIZE)
        .mark_bar()
        .encode(
            x=alt.X("line:N", sort=list(order), title=None, axis=alt.Axis(labelAngle=-35, labelOverlap=False)),
            y=alt.Y("start:Q", title=f"Present value ({cur})", axis=alt.Axis(format="~s")),
            y2="end:Q",
            color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=["benefit", "cost", "total"],
                                            range=["#2da44e", "#cf222e", "#1f6feb"])),
            tooltip=["line:N", alt.Tooltip("amount:Q", title=f"PV ({cur})", format=",.0f")],
        )
    )


WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def week_frame(values_by_hour, name: str, offset_h: int = 0) -> pd.DataFrame:
    """168 hourly values (UTC hour of week) as rows of weekday, hour, value in a time zone."""
    shifted = np.roll(np.asarray(values_by_hour, dtype=float), offset_h)
    hours = np.arange(168)
    return pd.DataFrame({"weekday": [WEEKDAY_NAMES[h // 24] for h in hours], "hour": hours % 24, name: shifted})


def week_heatmap(frame: pd.DataFrame | None, value: str, title: str, legend: str, fmt: str = ",.1f",
                 scheme: str = "blues", domain_max: float | None = None) -> alt.Chart:
    """Hour-of-week heat map: weekdays down, hours across; ``frame`` from :func:`week_frame` (None: given later,
    :func:`spec_of`)."""
    scale = alt.Scale(scheme=scheme) if domain_max is None else alt.Scale(scheme=scheme, domain=[0, domain_max],
                                                                          clamp=True)
    return (
        alt.Chart(frame if frame is not None else alt.Undefined, title=title, height=7 * 22, autosize=AUTOSIZE)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="Hour of day", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("weekday:O", title=None, sort=WEEKDAY_NAMES),
            color=alt.Color(f"{value}:Q", title=legend, scale=scale, legend=alt.Legend(format=fmt)),
            tooltip=["weekday:O", "hour:O", alt.Tooltip(f"{value}:Q", title=legend, format=fmt)],
        )
    )


def hourly_lines(frame: pd.DataFrame | None, value: str, series: str, title: str, y_title: str,
                 y_format: str = ".0%") -> alt.Chart:
    """Lines over the 168 hours of the week (hour 0 = Monday 00:00 in the chosen time zone); ``frame`` None: rows
    given later (:func:`spec_of`)."""
    return (
        alt.Chart(frame if frame is not None else alt.Undefined, title=title, height=HEIGHT, autosize=AUTOSIZE)
        .mark_line(strokeWidth=2, interpolate="step-after")
        .encode(
            x=alt.X("hour_of_week:Q", title="Hour of the week (Mon 0 to Sun 167)",
                    scale=alt.Scale(domain=[0, 168]), axis=alt.Axis(values=list(range(0, 169, 24)))),
            y=alt.Y(f"{value}:Q", title=y_title, axis=alt.Axis(format=y_format, tickMinStep=_tick_step(y_format))),
            color=alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[f"{series}:N", "hour_of_week:Q", alt.Tooltip(f"{value}:Q", format=y_format)],
        )
    )


@functools.lru_cache(maxsize=64)
def week_heatmap_spec(currency: str, value: str, title: str, legend: str, fmt: str = ",.1f", scheme: str = "blues",
                      domain_max: float | None = None) -> dict:
    """:func:`week_heatmap` without data, in the currency's locale (:func:`spec_of`); rows from :func:`week_frame`."""
    return spec_of(week_heatmap(None, value, title, legend, fmt, scheme, domain_max), currency)


@functools.lru_cache(maxsize=64)
def hourly_lines_spec(currency: str, value: str, series: str, title: str, y_title: str,
                      y_format: str = ".0%") -> dict:
    """:func:`hourly_lines` without data, in the currency's locale (:func:`spec_of`)."""
    return spec_of(hourly_lines(None, value, series, title, y_title, y_format), currency)


def localized(chart: alt.TopLevelMixin, currency: str) -> alt.TopLevelMixin:
    """The chart with the decimal and thousands separators of the currency's locale (as the KPIs)."""
    loc = locale_of(currency)
    number = alt.NumberLocale(decimal=get_decimal_symbol(loc), thousands=get_group_symbol(loc), grouping=[3],
                              currency=["", ""])
    return chart.configure(locale=alt.Locale(number=number))


# ----------------------------------------------------------------------------- uncertainty


ACTUAL_COLOR = "#111111"
FAN_COLORS = alt.Scale(domain=["actual", "baseline", "scenario"], range=[ACTUAL_COLOR, "#9aa5b1", "#1f6feb"])


# A fan's (and the compared lines') y axis spans at least this share of the series' level, and at least four of
# the smallest steps its format tells apart: a CSAT that moves by a twentieth of a point is drawn as the small
# change it is, on an axis with labels, not stretched over the chart's height under one label.
LEAST_SPAN_SHARE = 0.05


def fan_data(u: Uncertainty, series: str, actuals: pd.DataFrame | None = None,
             channel_shares: Mapping[str, float] | None = None, y_format: str = "") -> pd.DataFrame:
    """The rows of :func:`fan_spec`'s chart: one series of the bands, baseline and scenario.

    ``actuals`` (columns ``series``, ``month`` on the plan's axis, ``value``) adds the company's own
    months as variant ``actual`` (in ``p50``, no band). ``channel_shares`` weigh the channels of first response
    over all channels (``Uncertainty.band``). ``span_lo`` and ``span_hi`` (the same on every row) hold the least
    range the y axis shows (:data:`LEAST_SPAN_SHARE`, the steps of ``y_format``), centred on the values.
    """
    rows = u.rows(series, channel_shares=channel_shares)[["variant", "month", "p10", "p50", "p90"]]
    if actuals is not None:
        own = actuals[actuals["series"] == series]
        if len(own):
            rows = pd.concat([pd.DataFrame({"variant": "actual", "month": own["month"].to_numpy(),
                                            "p10": np.nan, "p50": own["value"].to_numpy(), "p90": np.nan}), rows])
    rows = rows.reset_index(drop=True)
    rows["span_lo"], rows["span_hi"] = least_span(rows[["p10", "p50", "p90"]].to_numpy(dtype=np.float64), y_format)
    return rows


def least_span(values: np.ndarray, y_format: str = "") -> tuple[float, float]:
    """The y range a chart of ``values`` shows at least: their own range, widened about its middle to
    :data:`LEAST_SPAN_SHARE` of the middle's size or four steps of ``y_format``, whichever is more (NaN: none)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return float("nan"), float("nan")
    lo, hi = float(finite.min()), float(finite.max())
    middle = (lo + hi) / 2.0
    step = _tick_step(y_format) if y_format else alt.Undefined
    least = max(LEAST_SPAN_SHARE * abs(middle), 4.0 * step if isinstance(step, float) else 0.0)
    return min(lo, middle - least / 2.0), max(hi, middle + least / 2.0)


@functools.lru_cache(maxsize=128)
def fan_spec(title: str, y_title: str, y_format: str, currency: str, with_actuals: bool = False) -> dict:
    """Vega-Lite spec (no data) of a fan chart: P10-P90 band and P50 line, baseline grey, scenario blue.

    The spec depends on the labels only, so it is built once; each rerun supplies :func:`fan_data`.
    """
    return spec_of(fan(None, title, y_title, y_format, with_actuals), currency)


def spec_of(chart: alt.TopLevelMixin, currency: str) -> dict:
    """Vega-Lite spec of a chart built without data, in the currency's locale: rows are given with it when drawn.

    Building an Altair chart costs more than the model's answer to a slider; a page keeps the spec of each
    chart's labels and units (the ``*_spec`` functions, cached) and sends this rerun's rows beside it.
    """
    spec = localized(chart, currency).to_dict(validate=False)
    spec.pop("datasets", None)                 # Altair's placeholder: the layers inherit the rows given
    spec.pop("data", None)
    for layer in spec.get("layer", []):
        layer.pop("data", None)
    return spec


@functools.lru_cache(maxsize=64)
def response_by_region_spec(channel: str, stat: str, currency: str) -> dict:
    return spec_of(response_by_region(None, channel, stat), currency)


@functools.lru_cache(maxsize=64)
def cash_fan_spec(currency: str) -> dict:
    return spec_of(cash_fan_chart(None, currency), currency)


@functools.lru_cache(maxsize=64)
def waterfall_spec(currency: str, order: tuple[str, ...]) -> dict:
    return spec_of(waterfall_chart(None, currency, order), currency)


def fan(data: pd.DataFrame | None, title: str, y_title: str, y_format: str = ",.0f",
        with_actuals: bool = False) -> alt.LayerChart:
    """P10-P90 band and P50 line of a monthly series (rows of :func:`fan_data`; None: data given later).

    With actuals, the company's own months (black dots, before month 0) share the axes.
    """
    subtitle = "line: P50 of the draws, band: P10 to P90" if not with_actuals else \
        "line: P50, band: P10 to P90; dots: your actuals"
    base = alt.Chart(data if data is not None else alt.Undefined, title=alt.Title(title, subtitle=subtitle),
                     height=HEIGHT)
    scale = FAN_COLORS if with_actuals else VARIANT_COLORS
    color = alt.Color("variant:N", scale=scale, title=None, legend=alt.Legend(orient="top"))
    x = _x_month() if not with_actuals else alt.X(
        "month:Q", title="Month (before 0: actual)", axis=alt.Axis(tickMinStep=1, format="d"))
    tooltip = [alt.Tooltip("variant:N"), alt.Tooltip("month:Q")] + [
        alt.Tooltip(f"{q}:Q", title=q.upper(), format=y_format) for q in ("p10", "p50", "p90")]
    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", title=y_title, scale=alt.Scale(zero=False),
                     axis=alt.Axis(format=y_format, tickMinStep=_tick_step(y_format)))

    band = base.mark_area(opacity=0.18).encode(x=x, y=y("p10"), y2="p90:Q", color=color, tooltip=tooltip)
    line = base.mark_line(strokeWidth=2.5).encode(x=x, y="p50:Q", color=color, tooltip=tooltip)
    # Not drawn: it widens the y axis to the least range fan_data gives (span_lo to span_hi).
    span = base.mark_rule(opacity=0).encode(x=x, y=y("span_lo"), y2="span_hi:Q")
    if not with_actuals:
        return alt.layer(span, band, line).properties(autosize=AUTOSIZE)
    band = band.transform_filter("datum.variant != 'actual'")
    line = line.transform_filter("datum.variant != 'actual'")
    actual_tip = [alt.Tooltip("month:Q", title="Month"), alt.Tooltip("p50:Q", title="actual", format=y_format)]
    dots = base.mark_circle(size=36, opacity=0.9, color=ACTUAL_COLOR).encode(
        x=x, y="p50:Q", color=color, tooltip=actual_tip).transform_filter("datum.variant == 'actual'")
    start = base.mark_rule(color="#666", strokeDash=[3, 3]).encode(x=alt.datum(-0.5))
    return alt.layer(span, band, line, dots, start).properties(autosize=AUTOSIZE)


def cash_fan_data(p: Projection) -> pd.DataFrame:
    """The rows of :func:`cash_fan`: the draws' P10, P50 and P90 of the cumulative incremental cash per month."""
    assert p.uncertainty is not None
    return p.uncertainty.rows("cumulative_cash", ("incremental",))[["month", "p10", "p50", "p90"]]


def cash_fan(p: Projection) -> alt.LayerChart:
    """Cumulative incremental cash: P10-P90 band and P50 line of the draws, with the zero line."""
    return cash_fan_chart(cash_fan_data(p), p.currency)


def cash_fan_chart(data: pd.DataFrame | None, cur: str) -> alt.LayerChart:
    """:func:`cash_fan` of :func:`cash_fan_data`'s rows (None: given later)."""
    base = alt.Chart(data if data is not None else alt.Undefined,
                     title=alt.Title(f"Cumulative extra cash ({cur})",
                                     subtitle="undiscounted; line: P50 of the draws, band: P10 to P90"),
                     height=HEIGHT)
    tooltip = [alt.Tooltip("month:Q")] + [alt.Tooltip(f"{q}:Q", title=f"{q.upper()} ({cur})", format=",.0f")
                                          for q in ("p10", "p50", "p90")]
    band = base.mark_area(opacity=0.2, color="#1f6feb").encode(
        x=_x_month(), y=alt.Y("p10:Q", title=f"Cumulative cash ({cur})", axis=alt.Axis(format="~s")), y2="p90:Q",
        tooltip=tooltip)
    line = base.mark_line(color="#1f6feb", strokeWidth=2.5).encode(x=_x_month(), y="p50:Q", tooltip=tooltip)
    zero = base.mark_rule(color="#444").encode(y=alt.datum(0))
    return alt.layer(band, line, zero).properties(autosize=AUTOSIZE)


def npv_histogram_rows(p: Projection, bins: int = 40) -> pd.DataFrame:
    """The rows of :func:`npv_histogram_chart`: ``bins`` bars of the NPV's draws (``part`` "bar": ``start``, ``end``,
    ``share`` of draws, ``outcome`` loss or gain) and the median (``part`` "p50": ``x``)."""
    assert p.uncertainty is not None
    npv = p.uncertainty.outcomes["npv"].to_numpy()
    lo, hi = float(npv.min()), float(npv.max())
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    counts, _ = np.histogram(npv, edges)
    mid = 0.5 * (edges[:-1] + edges[1:])
    bars = pd.DataFrame({"part": "bar", "start": edges[:-1], "end": edges[1:], "share": counts / npv.size,
                         "outcome": np.where(mid < 0.0, "loss", "gain")})
    return pd.concat([bars, pd.DataFrame({"part": ["p50"], "x": [float(np.median(npv))], "label": ["P50"]})],
                     ignore_index=True)


def npv_histogram_title(p: Projection) -> alt.Title:
    u, cur = p.uncertainty, p.currency
    assert u is not None
    return alt.Title(f"NPV over {number(u.draws, cur)} draws ({cur})",
                     subtitle=f"probability of a loss (NPV < 0): {percent(u.prob_loss, cur, 0)}")


def npv_histogram_chart(data: pd.DataFrame | None, currency: str, title: alt.Title | None = None) -> alt.LayerChart:
    """Distribution of NPV over the draws: losses red, gains green, the P50 marked (rows of
    :func:`npv_histogram_rows`; None: given later, with the title set by :func:`npv_histogram_spec`)."""
    cur = currency
    base = alt.Chart(data if data is not None else alt.Undefined, height=HEIGHT + 20)
    bars = base.mark_bar().encode(
        x=alt.X("start:Q", bin="binned", title=f"NPV ({cur})", axis=alt.Axis(format="~s")), x2="end:Q",
        y=alt.Y("share:Q", title="Share of draws", axis=alt.Axis(format=".0%")),
        color=alt.Color("outcome:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=["loss", "gain"], range=["#cf222e", "#2da44e"])),
        tooltip=[alt.Tooltip("start:Q", title=f"from ({cur})", format=",.0f"),
                 alt.Tooltip("end:Q", title=f"to ({cur})", format=",.0f"),
                 alt.Tooltip("share:Q", title="share of draws", format=".1%")]).transform_filter("datum.part == 'bar'")
    rule = base.mark_rule(color="#1f6feb", strokeDash=[4, 3], strokeWidth=2).encode(x="x:Q").transform_filter(
        "datum.part == 'p50'")
    text = base.mark_text(align="left", dx=4, dy=-(HEIGHT + 20) / 2 + 10, color="#1f6feb").encode(
        x="x:Q", text="label:N").transform_filter("datum.part == 'p50'")
    return alt.layer(bars, rule, text).properties(title=title or alt.Title("NPV"), autosize=AUTOSIZE)


def npv_histogram(p: Projection, bins: int = 40) -> alt.LayerChart:
    """Distribution of NPV over the draws: losses red, gains green, the P50 marked."""
    return npv_histogram_chart(npv_histogram_rows(p, bins), p.currency, npv_histogram_title(p))


@functools.lru_cache(maxsize=64)
def _npv_histogram_template(currency: str) -> dict:
    return spec_of(npv_histogram_chart(None, currency), currency)


def npv_histogram_spec(p: Projection) -> dict:
    """:func:`npv_histogram`'s spec without data (drawn with :func:`npv_histogram_rows`): the cached template with
    this projection's title (its draws and probability of a loss)."""
    spec = copy.deepcopy(_npv_histogram_template(p.currency))
    spec["title"] = npv_histogram_title(p).to_dict()
    return spec


TORNADO_SIDES = ("assumption at its P10", "assumption at its P90")


def tornado_rows(p: Projection) -> pd.DataFrame:
    """The rows of :func:`tornado_chart`: per assumption (widest swing first, ``order``) and side, a bar from the
    median NPV to the NPV with that assumption at its P10 or P90 (``part`` "bar"), and the median (``part`` "median")."""
    assert p.uncertainty is not None
    u = p.uncertainty
    t = u.tornado
    n = len(t)
    bars = pd.DataFrame({
        "part": "bar", "label": np.repeat(t["label"].to_numpy(), 2), "order": np.repeat(np.arange(n), 2),
        "side": np.tile(TORNADO_SIDES, n), "start": u.median_npv,
        "end": np.column_stack([t["npv_low"].to_numpy(), t["npv_high"].to_numpy()]).reshape(-1),
        "multiplier": np.column_stack([t["low"].to_numpy(), t["high"].to_numpy()]).reshape(-1),
        "swing": np.repeat(t["swing"].to_numpy(), 2)})
    return pd.concat([bars, pd.DataFrame({"part": ["median"], "x": [u.median_npv]})], ignore_index=True)


def tornado_chart(data: pd.DataFrame | None, currency: str, assumptions: int) -> alt.LayerChart:
    """Swing of NPV as each of ``assumptions`` moves from its P10 to its P90, the others at their medians (rows of
    :func:`tornado_rows`; None: given later)."""
    cur = currency
    base = alt.Chart(data if data is not None else alt.Undefined)
    bars = base.mark_bar(opacity=0.85).encode(
        y=alt.Y("label:N", sort=alt.EncodingSortField(field="order", op="min"), title=None,
                axis=alt.Axis(labelLimit=260)),
        x=alt.X("start:Q", title=f"NPV ({cur})", axis=alt.Axis(format="~s"), scale=alt.Scale(zero=False)),
        x2="end:Q",
        color=alt.Color("side:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=list(TORNADO_SIDES), range=["#d4a72c", "#6639ba"])),
        tooltip=["label:N", "side:N", alt.Tooltip("multiplier:Q", title="multiplier", format=".2f"),
                 alt.Tooltip("end:Q", title=f"NPV ({cur})", format=",.0f"),
                 alt.Tooltip("swing:Q", title=f"swing ({cur})", format=",.0f")]).transform_filter("datum.part == 'bar'")
    median = base.mark_rule(color="#444").encode(x="x:Q").transform_filter("datum.part == 'median'")
    return alt.layer(bars, median).properties(
        title=alt.Title(f"What moves the NPV most ({cur})",
                        subtitle="NPV with one assumption at its P10 or P90 and every other at its median"),
        height=max(HEIGHT, 22 * assumptions), autosize=AUTOSIZE)


def tornado(p: Projection) -> alt.LayerChart:
    """Swing of NPV as each assumption moves from its P10 to its P90, the others at their medians."""
    assert p.uncertainty is not None
    return tornado_chart(tornado_rows(p), p.currency, len(p.uncertainty.tornado))


@functools.lru_cache(maxsize=64)
def tornado_spec(currency: str, assumptions: int) -> dict:
    """:func:`tornado`'s spec without data (drawn with :func:`tornado_rows`)."""
    return spec_of(tornado_chart(None, currency, assumptions), currency)


def rank_correlation_rows(p: Projection) -> pd.DataFrame:
    """The rows of :func:`rank_correlation_chart`: each assumption's rank correlation with the NPV, strongest first
    (``order``)."""
    assert p.uncertainty is not None
    data = p.uncertainty.rank_correlation
    return pd.DataFrame({"label": data["label"].to_numpy(), "rank_correlation": data["rank_correlation"].to_numpy(),
                         "order": np.arange(len(data))})


def rank_correlation_chart(data: pd.DataFrame | None, assumptions: int) -> alt.Chart:
    """Spearman rank correlation of each of ``assumptions`` assumptions' draws with the NPV (rows of
    :func:`rank_correlation_rows`; None: given later)."""
    return (
        alt.Chart(data if data is not None else alt.Undefined,
                  title=alt.Title("What drives the spread", subtitle="rank correlation of each assumption's "
                                  "draws with the NPV (-1 to 1)"), height=max(HEIGHT, 22 * assumptions),
                  autosize=AUTOSIZE)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=alt.EncodingSortField(field="order", op="min"), title=None,
                    axis=alt.Axis(labelLimit=260)),
            x=alt.X("rank_correlation:Q", title="Rank correlation with NPV", scale=alt.Scale(domain=[-1, 1])),
            color=alt.condition("datum.rank_correlation >= 0", alt.value("#2da44e"), alt.value("#cf222e")),
            tooltip=["label:N", alt.Tooltip("rank_correlation:Q", title="rank correlation", format=".2f")],
        )
    )


def rank_correlation(p: Projection) -> alt.Chart:
    """Spearman rank correlation of each assumption's draws with the NPV."""
    rows = rank_correlation_rows(p)
    return rank_correlation_chart(rows, len(rows))


@functools.lru_cache(maxsize=64)
def rank_correlation_spec(currency: str, assumptions: int) -> dict:
    """:func:`rank_correlation`'s spec without data (drawn with :func:`rank_correlation_rows`)."""
    return spec_of(rank_correlation_chart(None, assumptions), currency)


COMPARE_COLORS = ("#1f6feb", "#d1242f", "#1a7f37", "#8250df")
BASELINE_GREYS = ("#6e7781", "#9aa5b1", "#57606a", "#afb8c1")


def compare_lines(frame: pd.DataFrame, title: str, y_title: str, y_format: str) -> alt.LayerChart:
    """One line per compared scenario (solid, in colour) and per distinct baseline (dashed, grey), P50 per month."""
    lines = list(dict.fromkeys(frame["line"]))
    kinds = dict(zip(frame["line"], frame["kind"]))
    cases = [x for x in lines if kinds[x] == "scenario"]
    bases = [x for x in lines if kinds[x] == "baseline"]
    colors = alt.Scale(domain=cases + bases, range=list(COMPARE_COLORS[:len(cases)]) + list(BASELINE_GREYS[:len(bases)]))
    axis = alt.Axis(format=y_format, tickCount=6, tickMinStep=_tick_step(y_format))
    lo, hi = least_span(frame["value"].to_numpy(dtype=np.float64), y_format)
    # Not drawn: it widens the y axis to the least range (cases a twentieth of a point apart are drawn close).
    span = alt.Chart(pd.DataFrame({"span_lo": [lo], "span_hi": [hi]})).mark_rule(opacity=0).encode(
        y=alt.Y("span_lo:Q", title=y_title, axis=axis, scale=alt.Scale(zero=False)), y2="span_hi:Q")
    return alt.layer(span, (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=_x_month(),
            y=alt.Y("value:Q", title=y_title, axis=axis, scale=alt.Scale(zero=False)),
            color=alt.Color("line:N", title=None, scale=colors,
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=360)),
            strokeDash=alt.StrokeDash("kind:N", legend=None,
                                      scale=alt.Scale(domain=["scenario", "baseline"], range=[[1, 0], [5, 4]])),
            tooltip=[alt.Tooltip("line:N", title="Line"), "month:Q",
                     alt.Tooltip("value:Q", title=y_title, format=y_format)],
        )
    )).properties(title=alt.Title(title, subtitle="P50 of the draws; dashed: baseline"), height=HEIGHT + 60,
                  autosize=AUTOSIZE)


def compare_cash(frame: pd.DataFrame, currency: str) -> alt.LayerChart:
    """Cumulative incremental cash per compared scenario: P50 lines over their P10-P90 bands, zero marked."""
    y_title = f"Cumulative incremental cash ({currency})"
    base = alt.Chart(frame, height=HEIGHT + 60)
    colors = alt.Scale(domain=list(dict.fromkeys(frame["line"])), range=list(COMPARE_COLORS))
    legend = alt.Legend(orient="bottom", columns=2, labelLimit=360)
    band = base.mark_area(opacity=0.12).encode(x=_x_month(), y=alt.Y("p10:Q", title=y_title), y2="p90:Q",
                                                color=alt.Color("line:N", title=None, scale=colors, legend=legend))
    line = base.mark_line(strokeWidth=2.5).encode(
        x=_x_month(), y=alt.Y("p50:Q", title=y_title, axis=alt.Axis(format="~s")),
        color=alt.Color("line:N", title=None, scale=colors, legend=legend),
        tooltip=[alt.Tooltip("line:N", title="Scenario"), "month:Q",
                 alt.Tooltip("p10:Q", title=f"P10 ({currency})", format=",.0f"),
                 alt.Tooltip("p50:Q", title=f"P50 ({currency})", format=",.0f"),
                 alt.Tooltip("p90:Q", title=f"P90 ({currency})", format=",.0f")])
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#444", strokeDash=[2, 2]).encode(y="y:Q")
    return alt.layer(band, line, zero).properties(
        title=alt.Title(f"Cumulative incremental cash ({currency})",
                        subtitle="scenario minus its baseline, undiscounted; lines P50, shading P10-P90; payback "
                                 "where a line crosses zero for good"),
        autosize=AUTOSIZE)
