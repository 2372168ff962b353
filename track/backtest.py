"""The prediction loop run on the history alone: hold out the last months, calibrate on the rest, project the
baseline over the held-out months and score it as a filed prediction would be scored.

A baseline is what the model says happens if nothing changes, so on a history where nothing was planned it is
the model's own forecast: its P10-P90 band should hold about 80 % of the held-out metric-months. Far fewer
means the model (or its month-to-month variation) is too sure; far more, too timid.

A customer table without months (a churn flag over one period, as the telecom table) has nothing to hold out in
time; :func:`class_holdout` holds out customers instead and checks the churn multiplier of dissatisfied customers
on the half it was not fitted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

import numpy as np
import pandas as pd

from calibration import Fit, apply_all, fit_class_multipliers, fit_company, fits_from_tables
from intake.metrics import actual_series
from model import Z_95, Company, Scenario, simulate
from track.noise import noise_from_history
from track.prediction import Prediction, freeze, scored_metrics
from track.score import by_metric, scores

DEFAULT_HOLDOUT_MONTHS = 6
MIN_TRAINING_MONTHS = 6


@dataclass(frozen=True, eq=False)
class BackTest:
    """The held-out months' scores: ``pooled`` per metric and over all (``track.by_metric``), ``scored`` per
    metric and month, the baseline as ``prediction``, and the fits the training months allowed."""

    holdout_months: int
    training_months: int
    prediction: Prediction
    scored: pd.DataFrame
    pooled: pd.DataFrame
    fits: tuple[str, ...]

    @property
    def coverage(self) -> float:
        """Share of held-out metric-months inside the baseline's P10-P90 band (80 % is right)."""
        return float(self.scored["inside"].mean()) if len(self.scored) else float("nan")

    @property
    def metric_months(self) -> int:
        return len(self.scored)


def _before(frame: pd.DataFrame | None, column: str, cutoff: pd.Timestamp) -> pd.DataFrame | None:
    if frame is None or column not in frame.columns:
        return frame
    stamps = frame[column]
    at = cutoff.tz_localize(stamps.dt.tz) if getattr(stamps.dt, "tz", None) is not None else cutoff
    return frame[stamps < at].reset_index(drop=True)


def history_before(tickets: pd.DataFrame | None, customers: pd.DataFrame | None, kpis: pd.DataFrame | None,
                   cutoff: pd.Timestamp) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    """The typed tables as they stood before ``cutoff`` (a naive first of month, UTC): tickets created and
    customers started before it, a customer who left on or after it still active, KPI months before it."""
    tickets = _before(tickets, "created", cutoff)
    if customers is not None:
        customers = _before(customers, "start", cutoff)
        if customers is not None and "end" in customers.columns:
            ends = customers["end"]
            at = cutoff.tz_localize(ends.dt.tz) if getattr(ends.dt, "tz", None) is not None else cutoff
            customers = customers.assign(end=ends.where(ends < at))
    kpis = _before(kpis, "month", cutoff)
    return tickets, customers, kpis


def backtest(company: Company, tickets: pd.DataFrame | None, customers: pd.DataFrame | None,
             kpis: pd.DataFrame | None, *, holdout_months: int = DEFAULT_HOLDOUT_MONTHS, utc_offset_h: float = 0.0,
             draws: int = 200, seed: int = 20240601) -> BackTest | str:
    """Hold out the last ``holdout_months`` of the uploads, calibrate ``company`` on the months before (today's
    figures and every fit they allow), and score the baseline's band on the held-out months.

    Returns a reason (str) instead when the uploads hold too few months for it.
    """
    history = actual_series(tickets, customers, kpis)
    if history.empty:
        return "no monthly actual in the uploads (tickets with dates, customers with start dates, or monthly KPIs)"
    months = pd.DatetimeIndex(sorted(history["calendar_month"].unique()))
    if len(months) < holdout_months + MIN_TRAINING_MONTHS:
        return (f"{len(months)} months of history: a back-test of {holdout_months} held-out months needs "
                f"{MIN_TRAINING_MONTHS} more before them to calibrate on")
    cutoff = months[-holdout_months]
    t, c, k = history_before(tickets, customers, kpis, cutoff)
    fits, _ = fits_from_tables(t, c, utc_offset_h=utc_offset_h, company=company)
    today = fit_company(company, t, c, k)
    chosen = [today, *fits] if isinstance(today, Fit) else list(fits)
    try:
        scenario = apply_all(Scenario(company), chosen)
    except ValueError:          # a fit the company cannot take: calibrate on today's figures alone
        chosen = [today] if isinstance(today, Fit) else []
        scenario = apply_all(Scenario(company), chosen)
    projection = simulate(scenario, draws=draws, seed=seed)
    training = history[history["calendar_month"] < cutoff]
    shares = scenario.company.channel_shares
    noise = noise_from_history(training, scored_metrics(projection, shares))
    prediction = freeze(projection, name=f"back-test, last {holdout_months} months held out", author="back-test",
                        company=company.name, first_month=cutoff, filed_at=cutoff.to_pydatetime().replace(tzinfo=UTC),
                        noise=noise, months=holdout_months, channel_shares=shares)
    held_out = history[history["calendar_month"] >= cutoff]
    scored = scores(prediction, held_out)
    return BackTest(holdout_months, int((months < cutoff).sum()), prediction, scored,
                    by_metric(scored, prediction.scales),
                    tuple(f.label for f in chosen))


@dataclass(frozen=True, eq=False)
class ClassHoldout:
    """A customer table without months, held out at random: the churn multiplier of dissatisfied customers
    (complainers) fitted on one half predicts how many of the other half's complainers churn.

    ``rows``: one per split, ``multiplier`` (fitted on the first half), ``p10``, ``p50``, ``p90`` (complainers of
    the second half predicted to churn: the multiplier's 90 % interval as a log-normal, times the second half's
    churn share of the others, with each customer's own chance drawn as a binomial) and ``actual``."""

    rows: pd.DataFrame

    @property
    def coverage(self) -> float:
        inside = (self.rows["actual"] >= self.rows["p10"]) & (self.rows["actual"] <= self.rows["p90"])
        return float(inside.mean())


def class_holdout(customers: pd.DataFrame, *, splits: int = 20, draws: int = 4000,
                  seed: int = 20240601) -> ClassHoldout | str:
    """Hold out half of ``customers`` (a typed customer table with ``complained``) ``splits`` times at random; each
    time fit the class multipliers on the other half and predict the held-out complainers' churn. Returns a reason
    (str) instead when the fit cannot run on a half."""
    if "complained" not in customers.columns:
        return "the customer table has no complained column"
    rng = np.random.default_rng(seed)
    churned = customers["end"].notna().to_numpy()
    complained = customers["complained"].fillna(False).to_numpy(dtype=bool)
    out = []
    for _ in range(splits):
        train = rng.random(len(customers)) < 0.5
        fit = fit_class_multipliers(customers[train].reset_index(drop=True))
        if not isinstance(fit, Fit) or fit.interval("churn_mult_dissatisfied") is None:
            return f"the class fit cannot run on half the table: {getattr(fit, 'reason', 'no multiplier')}"
        m = fit.value("churn_mult_dissatisfied")
        lo, hi = fit.interval("churn_mult_dissatisfied")
        test_others, test_complainers = ~train & ~complained, ~train & complained
        base = churned[test_others].mean()
        sd = (np.log(hi) - np.log(lo)) / (2.0 * Z_95)
        chance = np.minimum(base * m * np.exp(rng.normal(0.0, sd, draws)), 1.0)
        counts = rng.binomial(int(test_complainers.sum()), chance)
        p10, p50, p90 = np.percentile(counts, [10, 50, 90])
        out.append({"multiplier": m, "p10": p10, "p50": p50, "p90": p90,
                    "actual": int(churned[test_complainers].sum())})
    return ClassHoldout(pd.DataFrame(out))
