"""A fit's parameter changes as a manager reads them: the form's labels and units, not the model's field paths.

``calibration.parameter_changes`` names each changed parameter by its path in the scenario
(``company.channels[email].handle_time_min``) with its value before and after; this module gives each a label and
writes its values in the case's locale (``Handle time (min), e-mail: 10 -> 7,4``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from model import ASSUMPTION_INFO, Range
from view import format as fmt
from view.company_form import CHANNEL_COLUMNS, CHANNEL_TITLES, COMPANY_FIELDS, REGION_COLUMNS, Field

Shown = Callable[[float, str], str]

_CLASS_WORDS = {"satisfied": "satisfied customers", "dissatisfied": "dissatisfied customers"}


def _digits(n: int) -> Shown:
    return lambda v, c: fmt.number(v, c, n)


def _percent(v: float, c: str) -> str:
    return fmt.percent(v, c)


# The fitted values outside the form: label and how each is written.
_OTHER: dict[str, tuple[str, Shown]] = {
    "floor_pct": ("CSAT at the slowest answers", _percent),
    "ceiling_pct": ("CSAT at the fastest answers", _percent),
    "half_h": ("First response half-way between the two (h)", _digits(2)),
    "slope": ("Steepness of the CSAT curve", _digits(2)),
    "peak_h": ("Arrivals' peak, local hour", _digits(1)),
    "spread_h": ("Arrivals' spread around the peak (h)", _digits(1)),
    "base": ("Arrivals at night, share of the peak", _percent),
    "weekend_factor": ("Arrivals on a weekend day, share of a weekday", _percent),
    "memory_months": ("Months an experience is remembered", _digits(1)),
    "mean_min": ("Mean handle time (min)", _digits(2)),
    "median_h": ("Median first response (h)", _digits(2)),
    "p90_h": ("90th percentile of first response (h)", _digits(2)),
}


def _field_shown(f: Field, value: float, currency: str) -> str:
    if f.percent:
        return fmt.percent(value, currency, 2 if abs(value) < 0.1 else 1)
    if f.unit.startswith("money"):                     # a revenue per customer keeps its cents
        return fmt.unit_price(value, currency) if abs(value) < 1000 else fmt.money(value, currency, compact=False)
    return fmt.number(value, currency, 0 if abs(value) >= 100 else 2)


def label_of(path: str) -> tuple[str, Shown]:
    """A parameter's label and how its values are written, from its path in the scenario
    (``company.channels[email].handle_time_min``)."""
    return _label(re.findall(r"[^.\[\]]+", path))


def _label(parts: list[str]) -> tuple[str, Shown]:
    last = parts[-1]
    by_key = {f.key: f for f in COMPANY_FIELDS}
    if parts[0] == "assumptions":
        return f"Range of {ASSUMPTION_INFO.get(last, (last,))[0].lower()}", lambda v, c: str(v)
    if parts[:2] == ["company", last] and last in by_key:
        f = by_key[last]
        return f.label, lambda v, c, f=f: _field_shown(f, v, c)
    if len(parts) >= 4 and parts[1] in ("channels", "regions"):
        columns = {f.key: f for f in (CHANNEL_COLUMNS if parts[1] == "channels" else REGION_COLUMNS)}
        whose = CHANNEL_TITLES.get(parts[2], parts[2])
        if last in columns and len(parts) == 4:
            f = columns[last]
            return f"{f.label}, {whose}", lambda v, c, f=f: _field_shown(f, v, c)
        if last in _OTHER:
            label, shown = _OTHER[last]
            return f"{label}, {whose}", shown
    mult = re.fullmatch(r"(churn|expansion|referral)_mult_(satisfied|dissatisfied)", last)
    if mult:
        return (f"{mult.group(1).capitalize()} of {_CLASS_WORDS[mult.group(2)]}, times that of customers without a "
                "rated contact", lambda v, c: _digits(2)(v, c) + "x")
    offset = re.fullmatch(r"nps_offset_(satisfied|dissatisfied)", last)
    if offset:
        return f"NPS of {_CLASS_WORDS[offset.group(1)]}, points from the rest", lambda v, c: fmt.signed(v, c, 1)
    if last in _OTHER:
        return _OTHER[last]
    return last.replace("_", " "), _digits(3)


def _value(value: Any, shown: Shown, currency: str) -> str:
    if isinstance(value, Range):
        return f"{fmt.number(value.low, currency, 2)} to {fmt.number(value.high, currency, 2)}"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return shown(float(value), currency)
    return str(value)


def changes_table(changes: list[tuple[str, Any, Any]], currency: str) -> pd.DataFrame:
    """The parameters a fit changes, labelled and written in ``currency``'s locale: columns "Parameter", "In the
    case now" and "Calibrated"."""
    rows = []
    for path, before, after in changes:
        label, shown = label_of(path)
        rows.append({"Parameter": label, "In the case now": _value(before, shown, currency),
                     "Calibrated": _value(after, shown, currency)})
    return pd.DataFrame(rows, columns=["Parameter", "In the case now", "Calibrated"])


def figure_label(name: str) -> str:
    """A measured company figure's label on the form ("churn_monthly_pct" -> "Churn a month"); "channel shares" as
    it is."""
    found = next((f for f in COMPANY_FIELDS if f.key == name), None)
    return found.label if found is not None else name.capitalize()


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "Churn a month" -> "churn a month", "CSAT today" as it is."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def fit_note(fit: Any) -> str:
    """What a fit says, in words: a company fit's note starts by naming the figures it measured ("Today's company
    from your data: customers today, churn a month, ...")."""
    if fit.kind != "company":
        return fit.note
    measured = ", ".join(dict.fromkeys(_in_sentence(figure_label(name)) for name in fit.data["figure"]))
    return f"Today's company from your data: {measured}. {fit.note}".strip()


def intervals_text(fit: Any, currency: str) -> str:
    """A fit's 90 % intervals, each labelled and written as its parameter is ("Churn a month 1,28% to 1,78%")."""
    said = []
    for name, low, high in fit.intervals:         # a fit's value is named as its field is, without the path
        label, shown = _label(["company", name] if any(f.key == name for f in COMPANY_FIELDS) else [name])
        said.append(f"{label} {shown(low, currency)} to {shown(high, currency)}")
    return "90 % intervals: " + "; ".join(said)


QUEUE_GAP = 1.5     # the model's first response this many times the measured one (or a fraction of it): say so


def baseline_first_response_h(projection: Any, channel: str) -> float | None:
    """The model's mean first response of ``channel`` in the baseline's month 0 (None: the case has no such
    channel)."""
    baseline = projection.variant("baseline")
    column = f"frt_{channel}_h"
    return float(baseline[column].iloc[0]) if column in baseline.columns else None


def queue_check(measured_mean_h: float, measured_median_h: float, model_mean_h: float | None, channel: str,
                currency: str) -> str:
    """The measured first response beside the model's baseline in month 0, and what to check when they differ."""
    said = (f"Measured on {channel}: mean {fmt.duration_h(measured_mean_h, currency)}, median "
            f"{fmt.duration_h(measured_median_h, currency)}.")
    if model_mean_h is None:
        return said + f" The case has no {channel} channel to compare it with."
    said += (f" The model's baseline in month 0 (the point view, with the fits switched on): mean "
             f"{fmt.duration_h(model_mean_h, currency)}.")
    if measured_mean_h > 0 and model_mean_h > 0 and not 1 / QUEUE_GAP <= model_mean_h / measured_mean_h <= QUEUE_GAP:
        ratio = max(model_mean_h / measured_mean_h, measured_mean_h / model_mean_h)
        pace = "slower" if model_mean_h > measured_mean_h else "faster"
        said += (f" The model answers {fmt.number(ratio, currency, 1)} times {pace} than your data: check the sites' "
                 "hours and agents on Your company, the contacts per customer and the handle time (the fits above).")
    return said
