"""The queueing engine against a real call log (Anonymous Bank, 1-14 February 1999, in ../shared/data).

The log is outside the project (research use only); the slow tests skip cleanly without it. They assert
findings that are robust to the choices in bench/bank_callcentre.py (junk threshold, fit grids), with
margins around the figures measured by bench/validate_bank_callcentre.py
(see docs/validation_bank_callcentre.md). One fast test checks the parsing on a tiny synthetic log.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import bank_callcentre as bank  # noqa: E402


@pytest.fixture(scope="module")
def validation() -> bank.Validation:
    if not bank.DATA_PATH.exists():
        pytest.skip(f"{bank.DATA_PATH} is not here (../shared is optional outside CI)")
    return bank.validate(bank.DATA_PATH)


def _erlang_a_mle(v: bank.Validation):
    return v.models[next(name for name in v.models if name.startswith("Erlang A") and "MLE" in name)]


@pytest.mark.slow
def test_arrival_profile_peaks_on_working_day_daytime(validation):
    prof = validation.profile.reshape(7, 24)
    peak = int(np.argmax(validation.profile))
    assert peak // 24 in bank.WORK_DAYS and 8 <= peak % 24 <= 17
    work = prof[list(bank.WORK_DAYS)]
    assert work[:, 8:18].mean() > 20 * work[:, 0:6].mean()      # nights are nearly empty
    assert prof[4, 14:24].sum() < 1 and prof[5, 0:12].sum() < 1    # Friday afternoon, Saturday morning: closed
    assert 7500 < validation.profile.sum() < 8800                # about 8,145 requests a week


@pytest.mark.slow
def test_handle_time_in_measured_band(validation):
    h = validation.handle
    assert 160.0 < h.mean_s < 190.0                              # measured 175 s
    assert h.median_s < h.mean_s and h.cv > 1.0                  # right-skewed, more variable than exponential
    assert h.junk / h.answered < 0.08


@pytest.mark.slow
def test_abandonment_rises_with_wait(validation):
    fit = validation.fit
    assert bank.correlation(fit["wait_all_s"], fit["abandon_pct"]) > 0.6                # measured 0.81 over hours
    hours = validation.hours
    assert bank.correlation(hours["obs_wait_s"], hours["obs_aband_pct"]) > 0.4          # 0.68 over clock hours
    assert 240.0 < validation.patience_mle_s < 420.0                                    # measured 320 s
    assert abs(validation.patience_slope_s / validation.patience_mle_s - 1.0) < 0.25
    hazard = bank.abandonment_hazard(validation.calls)["per_hour_waiting"].to_numpy()
    assert hazard[:2].mean() > 1.3 * hazard[-2:].mean()         # patience is not exponential: the hazard falls


@pytest.mark.slow
def test_erlang_a_explains_abandonment_better_than_erlang_c(validation):
    v = validation
    assert 0.5 < v.k_a < 0.9                                     # measured 0.71 x distinct agents
    e = v.errors
    a = e.loc[[name for name in e.index if name.startswith("Erlang A")]]
    c = e.loc[[name for name in e.index if name.startswith("Erlang C")]]
    # Erlang C predicts no abandonment: its error is the observed share (11.6 %); Erlang A's is 5.1 points
    assert (a["aband_mae_pts"].max() < 0.6 * c["aband_mae_pts"].min())
    assert (a["aband_r"] > 0.5).all()
    assert a["wait_mae_s"].max() < c["wait_mae_s"].min()
    assert a["wait_r"].min() > 0.7
    # at Erlang A's staffing, Erlang C has no steady state in some hours (infinite wait)
    assert e.loc[next(name for name in e.index if "Erlang A's k" in name), "unstable_hours"] > 10
    p = _erlang_a_mle(v)
    w = v.fit["requests"]
    assert abs(np.average(p["abandon_pct"], weights=w) - np.average(v.fit["abandon_pct"], weights=w)) < 0.03


_HEADER = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\t"
           "q_time\toutcome\tser_start\tser_exit\tser_time\tserver")
_SYNTHETIC = [  # invented calls, Monday 1 and Tuesday 2 February 1999
    "AA01\t1\t0\t0\tPS\t990201\t10:00:00\t10:00:10\t10\t0:00:00\t0:00:00\t0\tAGENT\t10:00:10\t10:05:10\t300\tANNA",
    "AA01\t2\t9\t2\tPS\t990201\t10:29:50\t10:30:00\t10\t10:30:00\t10:31:00\t60\tAGENT\t10:31:00\t11:01:00\t1800\tBEN",
    "AA01\t3\t9\t1\tPS\t990201\t10:39:55\t10:40:00\t5\t10:40:00\t10:40:30\t30\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
    "AA01\t4\t0\t0\tPS\t990201\t10:45:00\t10:45:20\t20\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
    "AA01\t5\t0\t0\tPS\t990201\t10:50:00\t10:50:05\t5\t0:00:00\t0:00:00\t0\tAGENT\t10:50:05\t10:50:08\t3\tNO_SERVER",
    "AA01\t6\t0\t0\tPS\t990201\t23:59:55\t0:00:05\t10\t0:00:00\t0:00:00\t0\tAGENT\t0:00:05\t0:01:45\t100\tANNA",
    "AA01\t7\t0\t0\tPS\t990202\t9:00:00\t9:00:10\t10\t0:00:00\t0:00:00\t0\tAGENT\t9:00:10\t9:02:10\t120\tANNA",
]


def test_parsing_on_a_synthetic_log(tmp_path):
    path = tmp_path / "log.tsv"
    path.write_text("\n".join([_HEADER, *_SYNTHETIC]) + "\n", encoding="utf-8")
    calls = bank.load_calls(path)
    assert calls["request"].sum() == 6                           # the VRU hang-up (call 4) is not a request
    assert calls["abandoned"].sum() == 1 and calls["clean"].sum() == 4
    assert list(calls.loc[calls["request"], "cell"]) == [10, 10, 10, 10, 24, 33]  # call 6 crossed midnight
    assert calls.loc[5, "weekday"] == 1 and calls.loc[0, "weekday"] == 0
    assert bank.patience_mle_s(calls) == pytest.approx(90.0)     # (60 + 30) s in queue / 1 abandonment
    cells = bank.hourly_cells(calls)
    assert len(cells) == 48
    assert cells.loc[10, "requests"] == 4 and cells.loc[10, "abandoned"] == 1 and cells.loc[10, "junk"] == 1
    assert cells.loc[10, "busy"] == pytest.approx((300 + 29 * 60) / 3600)  # call 2 runs 29 min into hour 10
    assert cells.loc[11, "busy"] == pytest.approx(60 / 3600) and cells.loc[11, "servers"] == 1
    assert cells.loc[10, "servers"] == 2 and cells.loc[10, "handle_s"] == pytest.approx(1050.0)
    assert cells.loc[10, "sl20"] == pytest.approx(2 / 4)         # calls 1 and 5 answered at once
    prof = bank.arrival_profile(calls)
    assert prof[10] == 4 and prof[24] == 1 and prof.sum() == 6


def test_the_log_reads_through_the_uploads_loader_with_a_two_column_key_and_clock():
    """The log as a user would upload it: guessed as tickets, then mapped with the line and call number as the key,
    the date and the VRU exit as the creation time, seconds named for the waits and services."""
    if not bank.DATA_PATH.exists():
        pytest.skip(f"{bank.DATA_PATH} is not here (../shared is optional outside CI)")
    import pandas as pd

    from intake.uploads import Mapping, load

    content = bank.DATA_PATH.read_bytes()
    guessed = load(content, bank.DATA_PATH.name)
    assert guessed.table == "tickets"                          # not a monthly KPI table for its "date" column
    said = " ".join(p.text() for p in guessed.all_problems())
    assert "the ticket id repeats" in said and "choose the second under Columns" in said
    mapping = Mapping("tickets", (("ticket_id", "vru+line"), ("created", "date"), ("customer_id", "customer_id"),
                                  ("agent", "server"), ("handle_time_h", "ser_time"), ("abandoned", "outcome"),
                                  ("wait_h", "q_time")),
                      units=(("handle_time_h", "s"), ("wait_h", "s")),
                      paired=(("ticket_id", "call_id"), ("created", "vru_exit")))
    loaded = load(content, bank.DATA_PATH.name, table="tickets", mapping=mapping, assume_tz="Asia/Jerusalem")
    typed = loaded.validated.frame
    raw = pd.read_csv(bank.DATA_PATH, sep="\t", dtype=str)
    assert loaded.usable and len(typed) == len(raw) == 17_456              # every call kept, none repeated
    local = typed["created"].dt.tz_convert("Asia/Jerusalem")
    assert local.min() >= pd.Timestamp("1999-02-01", tz="Asia/Jerusalem")
    assert local.max() < pd.Timestamp("1999-02-15", tz="Asia/Jerusalem")
    assert int(typed["abandoned"].sum()) == int((raw["outcome"] == "HANG").sum()) == 2_908
    assert int(typed["abandoned"].isna().sum()) == int((raw["outcome"] == "PHANTOM").sum())   # named, left empty
    assert typed["wait_h"].sum() * 3600 == pytest.approx(raw["q_time"].astype(float).sum())
    assert [p.column for p in loaded.all_problems()] == ["outcome"]
