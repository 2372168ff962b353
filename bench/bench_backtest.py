"""The back-test on the shared data sets (``../shared/data``) and on the model's own months: coverage of the
baseline's P10-P90 band over the held-out metric-months, and the time it takes against its peer, the one
``simulate`` call inside it, run in the same process.

The Italian help-desk event log (4,580 tickets, 2010-2014) is read as the app reads it. The telecom churn table has
no dates (its fields aggregate 9 months, its churn flag is the state at month 12), so it holds no months to hold
out; it is named and skipped. Run with ``make bench``; ``docs/predictions.md`` quotes the figures.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import median_s
from intake.uploads import from_event_log, read_table
from intake.uploads.load import event_log_columns
from model import simulate
from model.examples import saas
from model.params import Scenario
from tests.test_backtest import model_kpis
from track import backtest

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
    print(f"Telecom churn table ({TELECOM.name}): no dates, so no months to hold out; skipped"
          + ("" if TELECOM.exists() else " (and not here)"))


if __name__ == "__main__":
    main()
