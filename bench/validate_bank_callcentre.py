"""The queueing engine against a real call log: the "Anonymous Bank" call centre, 1-14 February 1999.

Reads ../shared/data/anonymous_bank_callcenter_1999-02-01_to_14.tsv (relative to the project root; research
use only: it is never copied into the project and only aggregated figures are printed). Prints

1. what the log says: calls asking for an agent per hour of week, handle time, observed answer time and
   abandonment (overall, by customer priority, by time already waited);
2. the fits: mean patience (exponential, censored maximum likelihood), the effective-agent factor k
   (agents on the phones = k x distinct agents seen in the hour) for Erlang A and Erlang C;
3. observed against modelled answer time, abandonment and 20-s service level by clock hour (Sunday to
   Thursday, the bank's full working days), and error figures over every hour with 20 calls or more.

Usage: .venv/bin/python bench/validate_bank_callcentre.py [path/to/log.tsv]     (about 2 s)
The method and a copy of the figures are in docs/validation_bank_callcentre.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bench import bank_callcentre as bank  # noqa: E402


def _pct(x: float) -> str:
    return f"{100.0 * x:.1f} %"


def _section(title: str) -> None:
    print(f"\n== {title}")


def exports(v: bank.Validation) -> None:
    calls, fit, cells = v.calls, v.fit, v.cells
    req = calls[calls["request"]]
    served = req[req["served"]]
    first = calls.attrs["first_day"]
    _section("Data")
    print(f"{len(calls):,} records, {calls.attrs['days']} days from {first:%a %d %b %Y}")
    print(f"calls asking for an agent: {len(req):,} (answered {int(req['served'].sum()):,}, "
          f"abandoned in queue {int(req['abandoned'].sum()):,}); not counted: "
          f"{int(((calls['outcome'] == 'HANG') & ~calls['queued']).sum()):,} hang-ups in the VRU, "
          f"{int((calls['outcome'] == 'PHANTOM').sum())} PHANTOM records")
    print(f"answered without entering the queue: {_pct((req['served'] & ~req['queued']).mean())} of requests")

    _section("Arrival profile (calls asking for an agent per hour, mean of the 2 weeks)")
    prof = v.profile.reshape(7, 24)
    peak = int(np.argmax(v.profile))
    print(f"peak: {bank.DAY_NAMES[peak // 24]} {peak % 24:02d}:00-{peak % 24 + 1:02d}:00, "
          f"{v.profile[peak]:.1f} calls/h; weekly total {v.profile.sum():,.0f}")
    print("day   total  " + " ".join(f"{h:>4d}" for h in range(7, 24)) + "   (clock hours 07-23; 00-06 total "
          "shown in the last column)")
    for d in (6, 0, 1, 2, 3, 4, 5):
        print(f"{bank.DAY_NAMES[d]}  {prof[d].sum():6.0f}  " + " ".join(f"{x:4.0f}" for x in prof[d, 7:24])
              + f"   {prof[d, :7].sum():4.0f}")
    work = prof[list(bank.WORK_DAYS)].mean(axis=0)
    top = int(np.argmax(work))
    print(f"Sun-Thu mean day: {work.sum():.0f} calls; busiest clock hour {top:02d}:00 ({work[top]:.0f} calls/h); "
          f"07-23 holds {work[7:24].sum() / work.sum():.1%} of the day")

    _section("Handle time (ser_time of answered calls)")
    h = v.handle
    print(f"answered {h.answered:,}; junk left out {h.junk} ({h.junk / h.answered:.1%}: NO_SERVER or "
          f"< {bank.MIN_SERVICE_S} s)")
    print(f"mean {h.mean_s:.1f} s ({h.mean_s / 60:.2f} min), median {h.median_s:.0f} s, CV {h.cv:.2f} "
          f"(exponential: 1); mean with junk {h.mean_all_s:.1f} s")
    print("percentiles: " + ", ".join(f"p{p} {x:.0f} s" for p, x in h.percentiles_s.items()))
    print(f"lognormal fit of log seconds: mu {h.lognormal_mu:.2f}, sigma {h.lognormal_sigma:.2f} "
          f"(median {np.exp(h.lognormal_mu):.0f} s)")

    _section("Observed answer time and abandonment")
    print(f"mean wait of answered calls (ASA) {served['wait_s'].mean():.1f} s; of those who queued "
          f"{served.loc[served['queued'], 'wait_s'].mean():.1f} s; mean time in queue of abandoners "
          f"{req.loc[req['abandoned'], 'wait_s'].mean():.1f} s")
    for t in bank.TARGETS_S:
        ok = req["served"] & (req["wait_s"] <= t)
        print(f"answered within {t} s: {_pct(ok.mean())} of requests, {_pct(ok.sum() / len(served))} of answered")
    print(f"abandoned in queue: {_pct(req['abandoned'].mean())} of requests")
    print("by priority (0 = unidentified, 1 = regular, 2 = high):")
    print(v_by_priority(calls).to_string())
    print("abandonment hazard by time already waited (per hour of waiting; flat if patience is exponential):")
    hz = bank.abandonment_hazard(calls)
    print("  " + ", ".join(f"{int(r.from_s)}-{'' if np.isinf(r.to_s) else int(r.to_s)} s: {r.per_hour_waiting:.1f}"
                           for r in hz.itertuples()))

    _section("Agents (not in the log: estimated per hour)")
    with_calls = int((cells["requests"] > 0).sum())
    print(f"hours with >= {bank.FIT_MIN_CALLS} calls used in the fits: {len(fit)} of {with_calls} with calls, "
          f"holding {fit['requests'].sum() / len(req):.1%} of requests")
    occ = fit["busy"].sum() / fit["servers"].sum()
    print(f"distinct agents seen per hour: mean {fit['servers'].mean():.1f} (max {fit['servers'].max()}); busy agents "
          f"(service seconds / 3600): mean {fit['busy'].mean():.2f}; busy / distinct = {occ:.1%}")
    print(f"offered traffic per hour: mean {fit['traffic'].mean():.2f} Erlangs (max {fit['traffic'].max():.2f})")

    _section("Fits")
    print(f"mean patience, exponential MLE (time in queue of all queued calls / abandonments): "
          f"{v.patience_mle_s:.0f} s ({v.patience_mle_s / 60:.1f} min)")
    print(f"mean patience from abandonment = wait / patience across hours (through the origin): "
          f"{v.patience_slope_s:.0f} s; correlation of abandonment with mean wait over hours: "
          f"{bank.correlation(fit['wait_all_s'], fit['abandon_pct']):.2f}")
    print(f"Erlang A, patience = MLE: k = {v.k_a:.3f} (agents on the phones = k x distinct agents), "
          f"implied occupancy {occ / v.k_a:.1%}")
    print(f"Erlang A, k and patience fitted together on waits and abandonment: k = {v.k_joint:.3f}, "
          f"patience {v.patience_joint_s:.0f} s")
    print(f"Erlang C: k = {v.k_c_wait:.3f} fitted on waits (hours without steady state count as "
          f"{bank.ERLANG_C_CAP_S:.0f} s), k = {v.k_c_sl:.3f} fitted on the 20-s service level")
    ea = erlang_a_mean(v)
    print(f"overall, call-weighted: observed wait {np.average(fit['wait_all_s'], weights=fit['requests']):.1f} s, "
          f"abandonment {_pct(np.average(fit['abandon_pct'], weights=fit['requests']))}; Erlang A "
          f"{ea[0]:.1f} s, {_pct(ea[1])}")

    _section(f"By clock hour, Sun-Thu (10 days pooled): observed vs Erlang C (k={v.k_c_sl:.2f}) and Erlang A "
             f"(k={v.k_a:.2f}, patience {v.patience_mle_s:.0f} s)")
    hours = v.hours.copy()
    cols = {"calls_per_h": "calls/h", "handle_s": "AHT s", "servers": "agents", "busy": "busy",
            "obs_asa_s": "ASA obs", "c_asa_s": "ASA C", "c_unstable": "C inf", "obs_wait_s": "wait obs",
            "a_wait_s": "wait A", "obs_aband_pct": "aband% obs", "a_aband_pct": "aband% A",
            "obs_sl20_pct": "SL20% obs", "obs_sl30_pct": "SL30% obs", "c_sl20_pct": "SL20% C",
            "a_sl20_pct": "SL20% A"}
    print(hours[list(cols)].rename(columns=cols).round(1).to_string())
    print(f"(ASA C: call-weighted mean with hours where Erlang C has no steady state counted as "
          f"{bank.ERLANG_C_CAP_S:.0f} s; 'C inf' = how many of the 10 such hours)")

    _section("Errors (hours with >= 20 calls, weighted by calls; 'clock' = the 17 pooled Sun-Thu hours above)")
    e = v.errors.copy()
    e.index = [name.replace("patience ", "pat ") for name in e.index]
    print(e.round(2).T.to_string())
    print("wait compared: Erlang C ASA vs observed ASA of answered calls; Erlang A mean time in queue of all "
          "callers vs the same observed. Erlang C abandonment is 0 by construction.")

    _section("Worst hours for Erlang A (observed - predicted abandonment)")
    p = v.models[next(name for name in v.models if name.startswith("Erlang A") and "MLE" in name)]
    resid = (fit["abandon_pct"] - p["abandon_pct"]).sort_values()
    for cell in list(resid.index[-3:][::-1]) + list(resid.index[:2]):
        f = fit.loc[cell]
        day = first + pd.Timedelta(days=int(f["day"]))
        print(f"{day:%a %d %b} {int(f['hour']):02d}:00  calls {int(f['requests'])}, observed {_pct(f['abandon_pct'])}, "
              f"Erlang A {_pct(p.loc[cell, 'abandon_pct'])}; wait observed {f['wait_all_s']:.0f} s, "
              f"Erlang A {p.loc[cell, 'asa_s']:.0f} s")


def v_by_priority(calls: pd.DataFrame) -> pd.DataFrame:
    t = bank.by_priority(calls)
    return t.round({"queued_pct": 1, "abandon_pct": 1, "asa_served_s": 1, "handle_s": 1})


def erlang_a_mean(v: bank.Validation) -> tuple[float, float]:
    p = v.models[next(name for name in v.models if name.startswith("Erlang A") and "MLE" in name)]
    w = v.fit["requests"]
    return float(np.average(p["asa_s"], weights=w)), float(np.average(p["abandon_pct"], weights=w))


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else bank.DATA_PATH
    if not path.exists():
        print(f"The bank call-centre log is not here: {path}\n"
              "It lives outside the project (../shared/data, research use only); nothing to validate.")
        return 0
    start = time.perf_counter()
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 40)
    exports(bank.validate(path))
    print(f"\n({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
