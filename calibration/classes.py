"""Fit 5, experience classes: churn and expansion of customers by their last support experience.

See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from calibration.fit import SEED, Fit, FitResult, Skipped, has_values
from model import FloatArray

MIN_CLASS_CUSTOMERS = 30          # customers in a class (and in "none") for its multiplier
MIN_CLASS_TABLE = 100             # customers in the table
MIN_NONE_CHURNS = 10              # churns in "none", the denominator of every churn multiplier
BOOTSTRAP_REPLICATES = 1000
DAYS_PER_MONTH = 365.25 / 12.0
CLASS_NAMES = ("none", "satisfied", "dissatisfied")   # the order of model.customers.experience


@dataclass(frozen=True)
class ClassExposure:
    """Per customer: months at risk and churn in each class, and the class at the end.

    ``months`` and ``churned`` have shape (customers, 3), classes in ``CLASS_NAMES`` order.
    """

    months: FloatArray
    churned: FloatArray
    final_class: np.ndarray
    source: str


def _days(stamps: pd.Series | pd.Index) -> FloatArray:
    return ((stamps - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)).to_numpy(dtype=np.float64)


def _utc(stamps: pd.Series) -> pd.Series:
    s = pd.to_datetime(stamps)
    return s.dt.tz_localize("UTC") if s.dt.tz is None else s.dt.tz_convert("UTC")


def _window_end(customers: pd.DataFrame, tickets: pd.DataFrame | None) -> pd.Timestamp:
    """The latest date the tables mention: the data's "now"."""
    dates = [_utc(customers["start"]).max(), _utc(customers["end"]).max() if has_values(customers, "end") else pd.NaT]
    if has_values(tickets, "created"):
        dates.append(_utc(tickets["created"]).max())
    return max(d for d in dates if pd.notna(d))


def exposure_from_tickets(customers: pd.DataFrame, tickets: pd.DataFrame,
                          window_end: pd.Timestamp) -> ClassExposure | None:
    """Months in each class with classes that change at each rated ticket.

    A customer is "none" from ``start`` to their first rated ticket, then in the class of their
    latest rated ticket so far (satisfied or dissatisfied) until the next one, until they leave or
    the window ends. A churn counts in the class the customer was in when leaving. Tickets before
    ``start`` count at ``start``; tickets after the customer left are ignored. ``None`` when no
    rated ticket links to a customer.
    """
    start, stop, _ = _customer_span(customers, window_end)
    ids = pd.Series(np.arange(len(customers)), index=customers["customer_id"].to_numpy())
    rated = tickets[tickets["satisfied"].notna() & tickets["customer_id"].isin(ids.index)]
    if rated.empty:
        return None
    who = rated["customer_id"].map(ids).to_numpy(dtype=np.int64)
    when = np.maximum(_days(_utc(rated["created"])), start[who])
    keep = when <= stop[who]
    who, when = who[keep], when[keep]
    cls = np.where(rated["satisfied"].to_numpy()[keep].astype(bool), 1, 2)
    order = np.lexsort((when, who))
    who, when, cls = who[order], when[order], cls[order]
    n = len(customers)
    last = np.r_[who[1:] != who[:-1], True]
    first = np.r_[True, who[1:] != who[:-1]]
    seg_end = np.where(last, stop[who], np.r_[when[1:], 0.0])
    months = np.bincount(who * 3 + cls, weights=(seg_end - when) / DAYS_PER_MONTH, minlength=3 * n).reshape(n, 3)
    first_ticket = np.full(n, np.nan)
    first_ticket[who[first]] = when[first]
    months[:, 0] = (np.where(np.isnan(first_ticket), stop, first_ticket) - start) / DAYS_PER_MONTH
    final = np.zeros(n, dtype=np.int64)
    final[who[last]] = cls[last]
    return ClassExposure(months, _churn_matrix(customers, window_end, final), final, "latest rated ticket")


def exposure_from_complaints(customers: pd.DataFrame, window_end: pd.Timestamp) -> ClassExposure | None:
    """Static classes from ``complained``: complainers are "dissatisfied", the others "none".

    Customers without a complaint flag are left out (zero months, no churn). ``None`` without flags.
    """
    if not has_values(customers, "complained"):
        return None
    start, stop, _ = _customer_span(customers, window_end)
    flag = customers["complained"]
    known = flag.notna().to_numpy()
    final = np.where(flag.fillna(False).astype(bool).to_numpy(), 2, 0)
    months = np.zeros((len(customers), 3))
    months[np.arange(len(customers)), final] = (stop - start) / DAYS_PER_MONTH
    months[~known] = 0.0
    churned = _churn_matrix(customers, window_end, final)
    churned[~known] = 0.0
    return ClassExposure(months, churned, np.where(known, final, -1), "complaint flag")


def _customer_span(customers: pd.DataFrame, window_end: pd.Timestamp) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Start, stop (leaving or the window's end) and a left flag, in days."""
    start = _days(_utc(customers["start"]))
    end = _days(_utc(customers["end"])) if "end" in customers.columns else np.full(len(customers), np.nan)
    stop_day = _days(pd.Series([window_end]))[0]
    left = np.isfinite(end) & (end <= stop_day)
    stop = np.where(left, end, stop_day)
    return start, np.maximum(stop, start), left.astype(np.float64)


def _churn_matrix(customers: pd.DataFrame, window_end: pd.Timestamp, final: np.ndarray) -> FloatArray:
    _, _, left = _customer_span(customers, window_end)
    churned = np.zeros((len(customers), 3))
    churned[np.arange(len(customers)), np.clip(final, 0, 2)] = left
    return churned


def _bootstrap_sums(columns: FloatArray, replicates: int, seed: int) -> FloatArray:
    """Column sums of ``replicates`` resamples of the rows (customers), shape (replicates, k).

    Resamples are drawn as row counts in chunks of about four million cells, so memory stays small.
    """
    n = columns.shape[0]
    rng = np.random.default_rng(seed)
    chunk = max(1, min(replicates, 4_000_000 // max(n, 1)))
    out = []
    for done in range(0, replicates, chunk):
        b = min(chunk, replicates - done)
        picks = rng.integers(0, n, size=(b, n))
        counts = np.bincount((picks + n * np.arange(b)[:, None]).ravel(), minlength=b * n).reshape(b, n)
        out.append(counts @ columns)
    return np.concatenate(out, axis=0)


def _ratio_to_none(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """(rate of each class) / (rate of none) along the last axis of length 3."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = numerator / denominator
        return rate / rate[..., :1]


def _expansion_columns(customers: pd.DataFrame, exposure: ClassExposure) -> tuple[FloatArray, FloatArray] | None:
    """Per customer and final class: MRR gained (above start) and start MRR x months observed."""
    if not (has_values(customers, "mrr") and has_values(customers, "start_mrr")):
        return None
    mrr, base = customers["mrr"].to_numpy(np.float64), customers["start_mrr"].to_numpy(np.float64)
    ok = np.isfinite(mrr) & np.isfinite(base) & (base > 0) & (exposure.final_class >= 0)
    if not ok.any():
        return None
    gained = np.zeros((len(customers), 3))
    mrr_months = np.zeros((len(customers), 3))
    rows, cls = np.flatnonzero(ok), exposure.final_class[ok]
    gained[rows, cls] = np.maximum(mrr[ok] - base[ok], 0.0)
    mrr_months[rows, cls] = base[ok] * exposure.months[ok].sum(axis=1)
    return gained, mrr_months


def fit_class_multipliers(customers: pd.DataFrame, tickets: pd.DataFrame | None = None) -> FitResult:
    """Churn and expansion of the experience classes relative to customers with no rated contact.

    Parameters
    ----------
    customers : DataFrame
        Typed customer table: ``customer_id``, ``start``, ``end`` (missing while active); optional
        ``mrr`` and ``start_mrr`` (expansion) and ``complained``.
    tickets : DataFrame, optional
        Typed ticket table with ``customer_id``, ``created`` and ``satisfied``. Without rated
        tickets that link to customers, classes come from ``complained`` (complainers are
        "dissatisfied", the others "none"; no "satisfied" class).

    Returns
    -------
    Fit or Skipped
        Churn hazard of a class = churns in it / customer-months at risk in it (see
        :func:`exposure_from_tickets`); window from the first start to the latest date the tables
        mention. ``values``: ``churn_mult_satisfied``, ``churn_mult_dissatisfied`` (hazard / hazard
        of "none"), ``expansion_mult_satisfied``, ``expansion_mult_dissatisfied`` (MRR gained above
        start per start-MRR-month, by the class at the end, / that of "none"), and
        ``churn_monthly_pct_<class>``; each multiplier only when its class and "none" have
        ``MIN_CLASS_CUSTOMERS`` customers. Intervals: bootstrap over customers (percentile, 90 %).
        Quality: relative SE (bootstrap SD / value) of ``churn_mult_dissatisfied``.
        ``data``: per class ``class``, ``customers``, ``churned``, ``customer_months``,
        ``churn_monthly_pct``, ``expansion_monthly_pct``. ``curve``: per class ``class``,
        ``churn_mult``, ``churn_lower``, ``churn_upper``, ``expansion_mult``, ``expansion_lower``,
        ``expansion_upper``. Skipped below ``MIN_CLASS_TABLE`` customers, ``MIN_NONE_CHURNS`` churns in
        "none", or without any class to compare.
    """
    key = "classes"
    if customers is None or not has_values(customers, "start"):
        return Skipped(key, "no customer table with start dates")
    customers = customers[customers["start"].notna()].reset_index(drop=True)
    if len(customers) < MIN_CLASS_TABLE:
        return Skipped(key, f"{len(customers)} customers; the class comparison needs {MIN_CLASS_TABLE}")
    window_end = _window_end(customers, tickets)
    exposure = None
    if tickets is not None and {"customer_id", "satisfied", "created"} <= set(tickets.columns):
        exposure = exposure_from_tickets(customers, tickets, window_end)
    if exposure is None:
        exposure = exposure_from_complaints(customers, window_end)
    if exposure is None:
        return Skipped(key, "no rated tickets linked to customers and no complaint flag: no classes")
    return _class_fit(key, customers, exposure)


def _class_fit(key: str, customers: pd.DataFrame, exposure: ClassExposure) -> FitResult:
    members = ((exposure.months > 0) | (exposure.churned > 0)).sum(axis=0)   # anyone with time in it
    churns = exposure.churned.sum(axis=0)
    if members[0] < MIN_CLASS_CUSTOMERS or churns[0] < MIN_NONE_CHURNS:
        return Skipped(key, f'"none" has {members[0]} customers and {int(churns[0])} churns; multipliers need '
                            f"{MIN_CLASS_CUSTOMERS} and {MIN_NONE_CHURNS}")
    usable = [k for k in (1, 2) if members[k] >= MIN_CLASS_CUSTOMERS]
    if not usable:
        return Skipped(key, f"no class other than \"none\" has {MIN_CLASS_CUSTOMERS} customers")
    expansion = _expansion_columns(customers, exposure)
    columns = [exposure.churned, exposure.months] + (list(expansion) if expansion else [])
    boot = _bootstrap_sums(np.concatenate(columns, axis=1), BOOTSTRAP_REPLICATES, SEED).reshape(
        BOOTSTRAP_REPLICATES, len(columns), 3)
    point = np.stack([c.sum(axis=0) for c in columns])
    churn_mult, churn_boot = _ratio_to_none(point[0], point[1]), _ratio_to_none(boot[:, 0], boot[:, 1])
    values: list[tuple[str, float]] = []
    intervals: list[tuple[str, float, float]] = []
    curve = pd.DataFrame({"class": CLASS_NAMES}).assign(
        churn_mult=np.nan, churn_lower=np.nan, churn_upper=np.nan,
        expansion_mult=np.nan, expansion_lower=np.nan, expansion_upper=np.nan)
    for k in usable:
        _add_multiplier("churn", k, churn_mult, churn_boot, values, intervals, curve)
    expansion_rate = np.full(3, np.nan)
    if expansion is not None and point[2][0] > 0:
        expansion_rate = point[2] / point[3]
        exp_mult, exp_boot = _ratio_to_none(point[2], point[3]), _ratio_to_none(boot[:, 2], boot[:, 3])
        for k in usable:
            _add_multiplier("expansion", k, exp_mult, exp_boot, values, intervals, curve)
    curve.loc[0, ["churn_mult", "churn_lower", "churn_upper"]] = 1.0
    if np.isfinite(expansion_rate[0]):
        curve.loc[0, ["expansion_mult", "expansion_lower", "expansion_upper"]] = 1.0
    hazard = point[0] / np.where(point[1] > 0, point[1], np.nan)
    values += [(f"churn_monthly_pct_{CLASS_NAMES[k]}", float(hazard[k])) for k in [0, *usable]]
    data = pd.DataFrame({"class": CLASS_NAMES, "customers": members, "churned": churns,
                         "customer_months": point[1], "churn_monthly_pct": hazard,
                         "expansion_monthly_pct": expansion_rate})
    main = 2 if 2 in usable else usable[0]
    sd = float(np.nanstd(churn_boot[:, main]))
    quality = sd / churn_mult[main] if churn_mult[main] > 0 else float("nan")
    return Fit(key, "Churn and expansion by last support experience", len(customers),
               f"relative SE (churn, {CLASS_NAMES[main]})", quality, tuple(values), tuple(intervals),
               data, curve, _class_note(churn_mult, curve, main, exposure.source))


def _add_multiplier(what: str, k: int, point: FloatArray, boot: FloatArray, values: list, intervals: list,
                    curve: pd.DataFrame) -> None:
    if not np.isfinite(point[k]):               # e.g. a class without usable MRR rows
        return
    finite = boot[:, k][np.isfinite(boot[:, k])]
    lo, hi = np.percentile(finite, [5.0, 95.0]) if finite.size else (np.nan, np.nan)
    name = f"{what}_mult_{CLASS_NAMES[k]}"
    values.append((name, float(point[k])))
    intervals.append((name, float(lo), float(hi)))
    curve.loc[k, [f"{what}_mult", f"{what}_lower", f"{what}_upper"]] = [float(point[k]), lo, hi]


def _class_note(churn_mult: FloatArray, curve: pd.DataFrame, main: int, source: str) -> str:
    lo, hi = curve.loc[main, "churn_lower"], curve.loc[main, "churn_upper"]
    other = "customers without a complaint" if source == "complaint flag" else "those without a rated contact"
    verdict = " (the interval includes 1: no clear difference)" if lo <= 1.0 <= hi else ""
    return (f"Classed by {source}: {CLASS_NAMES[main]} customers churn {churn_mult[main]:.2f}x as often as "
            f"{other} (90 %: {lo:.2f}-{hi:.2f}){verdict}.")
