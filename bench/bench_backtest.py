"""The back-test on the shared data sets (``../shared/data``) and on the model's own months: coverage of the
baseline's P10-P90 band over the held-out metric-months, and the time it takes against its peer, the one
``simulate`` call inside it, run in the same process.

The Italian help-desk event log (4,580 tickets, 2010-2014) is read as the app reads it. The telecom churn table has
no dates (its fields aggregate 9 months, its churn flag is the state at month 12), so it holds no months to hold
out; its customers are held out instead (``track.class_holdout``: the churn multiplier of complainers fitted on
half the table predicts the other half's). Run with ``make bench``; ``docs/predictions.md`` quotes the figures.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import median_s
from intake.uploads import from_event_log, read_table
from intake.uploads.load import event_log_columns
from model import simulate
from model.examples import saas
from model.params import Scenario
from tests.uploads import model_kpis, telecom_customers
from track import backtest, class_holdout

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ITALIAN = SHARED / "italian_helpdesk_eventlog_2010-2014.csv"
TELECOM = SHARED / "iranian_telecom_churn_uci.csv"


def report(name: str, tickets, kpis) -> None:
    for months in (3, 6):
        result = backtest(saas(), tickets, None, kpis, holdout_months=months, draws=200)
        if isinstance(result, str):
            print(f"{name}, last {months} months held out: no back-test ({result})")
            continue
        seconds = median_s(lambda: backtest(saas(), tickets, None, kpis, holdout_months=months, draws=200), 3)
        peer = median_s(lambda: simulate(Scenario(saas()), draws=200), 3)
        per_metric = "; ".join(
            f"{r.metric} {int(r.inside)} of {int(r.months)}, bias "
            + (f"{r.bias:+.0%}" if r.bias_unit == "share" else f"{r.bias:+.3g} in its unit")
            for r in result.pooled.itertuples() if r.metric != "all")
        print(f"{name}, last {months} months held out (calibrated on {result.training_months}): "
              f"{int(result.pooled.iloc[-1]['inside'])} of {result.metric_months} metric-months inside P10-P90 "
              f"({result.coverage:.0%}; a correct band holds 80 %) [{per_metric}]; {seconds:.2f} s, "
              f"{seconds / peer:.1f}x its one simulate call ({peer:.2f} s)")


def main() -> None:
    report("The model's own months (30, the example's baseline with each month's variation)", None, model_kpis())
    if ITALIAN.exists():
        raw = read_table(ITALIAN.read_bytes(), ITALIAN.name)
        report("Italian help-desk log", from_event_log(raw, event_log_columns(raw)).validated.frame, None)
    else:
        print(f"{ITALIAN} is not here (../shared is optional): skipped")
    if not TELECOM.exists():
        print(f"{TELECOM} is not here (../shared is optional): skipped")
        return
    customers = telecom_customers(TELECOM)
    seconds = median_s(lambda: class_holdout(customers, splits=20), 1)
    result = class_holdout(customers, splits=20)
    rows = result.rows
    inside = int(((rows["actual"] >= rows["p10"]) & (rows["actual"] <= rows["p90"])).sum())
    print(f"Telecom churn table ({len(customers):,} customers, no months: half held out, 20 times): the held-out "
          f"complainers' churn inside the predicted P10-P90 in {inside} of {len(rows)} halves ({result.coverage:.0%}); "
          f"multiplier fitted on a half {rows['multiplier'].median():.2f} (median; "
          f"{rows['multiplier'].min():.2f} to {rows['multiplier'].max():.2f}); {seconds:.2f} s")


if __name__ == "__main__":
    main()
