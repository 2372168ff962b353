"""Pure functions to check the queueing engine against a real call log (the "Anonymous Bank" of Israel,
1-14 February 1999, one row per call; research use only, never copied into the project).

A call asks for an agent when it leaves the VRU (the voice menu). It is then answered at once, answered
after a wait in the queue (``q_time`` seconds), or hangs up in the queue (``outcome == "HANG"`` with a
queue entry). Calls that hang up in the VRU before asking for an agent and the few ``PHANTOM`` records are
not arrivals to the agents. Everything here returns aggregates (counts, means, shares, fits); nothing
returns or prints rows of the log.

Times in the log are in seconds; the engine (``model.operations.queueing``) works in hours and Erlangs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize

from model.operations import queueing

ROOT = Path(__file__).resolve().parents[1]
DATA_PATH = ROOT.parent / "shared" / "data" / "anonymous_bank_callcenter_1999-02-01_to_14.tsv"

MIN_SERVICE_S = 5          # answered calls shorter than this are junk (line drops, agents hanging up)
FIT_MIN_CALLS = 20         # an hour enters the fits when at least this many calls asked for an agent
ERLANG_C_CAP_S = 600.0     # a cell where Erlang C has no steady state (agents <= traffic) counts as this wait
TARGETS_S = (20, 30)
WORK_DAYS = (6, 0, 1, 2, 3)  # Sunday to Thursday: the bank's full days (Friday is short, Saturday evening only)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_CLOCKS = ("vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit")


def _clock_s(column: pd.Series) -> np.ndarray:
    parts = column.str.split(":", expand=True).astype(np.int64)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy()


def load_calls(path: Path | str = DATA_PATH) -> pd.DataFrame:
    """The log with derived columns; times in seconds from the first day's midnight.

    ``t_request`` is when the call left the VRU for the agents (a clock before the VRU entry by more
    than an hour has crossed midnight). ``weekday`` is 0 = Monday, ``how`` the hour of week from Monday
    00:00 and ``cell`` the hour since the first midnight.
    """
    raw = pd.read_csv(path, sep="\t", dtype=str)
    for c in ("priority", "vru_time", "q_time", "ser_time"):
        raw[c] = raw[c].astype(np.int64)
    day = pd.to_datetime("19" + raw["date"], format="%Y%m%d")
    first = day.min()
    base = (day - first).dt.days.to_numpy() * 86400
    clocks = {c: _clock_s(raw[c]) for c in _CLOCKS}
    entry = clocks["vru_entry"]
    request = clocks["vru_exit"] + 86400 * (clocks["vru_exit"] < entry - 3600)
    start = clocks["ser_start"] + 86400 * (clocks["ser_start"] < entry - 3600)
    queued = (raw["q_start"] != "0:00:00").to_numpy()
    served = (raw["outcome"] == "AGENT").to_numpy()
    out = pd.DataFrame({
        "priority": raw["priority"].to_numpy(),
        "type": raw["type"].to_numpy(),
        "outcome": raw["outcome"].to_numpy(),
        "server": raw["server"].to_numpy(),
        "queued": queued,
        "served": served,
        "abandoned": (raw["outcome"] == "HANG").to_numpy() & queued,
        "wait_s": raw["q_time"].to_numpy(),
        "service_s": raw["ser_time"].to_numpy(),
        "t_request": base + request,
        "t_service": base + start,
    })
    out["request"] = out["served"] | out["abandoned"]
    out["clean"] = out["served"] & (out["server"] != "NO_SERVER") & (out["service_s"] >= MIN_SERVICE_S)
    out["cell"] = out["t_request"] // 3600
    out["hour"] = out["cell"] % 24
    out["weekday"] = (first.weekday() + out["t_request"] // 86400) % 7
    out["how"] = out["weekday"] * 24 + out["hour"]
    out.attrs["first_day"] = first
    out.attrs["days"] = int(max(base.max() // 86400, out["t_request"].max() // 86400)) + 1   # hours to cover
    out.attrs["date_weekdays"] = tuple(int(d) for d in pd.DatetimeIndex(day.unique()).day_of_week)  # days observed
    return out


# ----------------------------------------------------------------------------- what the log says


def arrival_profile(calls: pd.DataFrame) -> np.ndarray:
    """Calls asking for an agent per hour of week (0 = Monday 00-01), averaged over the weeks observed."""
    req = calls[calls["request"]]
    counts = np.bincount(req["how"].to_numpy(), minlength=168).astype(np.float64)
    weeks_of = np.bincount(np.asarray(calls.attrs["date_weekdays"], dtype=np.int64), minlength=7)
    return counts / np.repeat(np.maximum(weeks_of, 1), 24)


@dataclass(frozen=True)
class HandleTime:
    answered: int
    junk: int               # answered by NO_SERVER or shorter than MIN_SERVICE_S
    mean_s: float           # clean answers
    median_s: float
    cv: float
    percentiles_s: dict     # 10, 25, 75, 90, 99
    mean_all_s: float       # every answered call, junk included
    lognormal_mu: float     # of log seconds, clean answers
    lognormal_sigma: float


def handle_time(calls: pd.DataFrame) -> HandleTime:
    s = calls.loc[calls["clean"], "service_s"].to_numpy(dtype=np.float64)
    logs = np.log(s)
    return HandleTime(
        answered=int(calls["served"].sum()), junk=int((calls["served"] & ~calls["clean"]).sum()),
        mean_s=float(s.mean()), median_s=float(np.median(s)), cv=float(s.std() / s.mean()),
        percentiles_s={p: float(np.percentile(s, p)) for p in (10, 25, 75, 90, 99)},
        mean_all_s=float(calls.loc[calls["served"], "service_s"].mean()),
        lognormal_mu=float(logs.mean()), lognormal_sigma=float(logs.std()))


def patience_mle_s(calls: pd.DataFrame) -> float:
    """Mean patience of an exponential law fitted to the queue: the waits of answered callers are censored
    patience times, so the estimate is total time in queue / number of abandonments."""
    q = calls[calls["request"] & calls["queued"]]
    return float(q["wait_s"].sum() / q["abandoned"].sum())


def abandonment_hazard(calls: pd.DataFrame, edges_s=(0, 10, 30, 60, 120, 300, np.inf)) -> pd.DataFrame:
    """Abandonments per hour of waiting, by time already waited (constant for exponential patience)."""
    q = calls[calls["request"] & calls["queued"]]
    w = q["wait_s"].to_numpy(dtype=np.float64)
    ab = q["abandoned"].to_numpy()
    rows = []
    for lo, hi in zip(edges_s[:-1], edges_s[1:]):
        at_risk_h = np.clip(w - lo, 0.0, hi - lo).sum() / 3600.0
        n = int((ab & (w >= lo) & (w < hi)).sum())
        rows.append({"from_s": lo, "to_s": hi, "abandons": n, "per_hour_waiting": n / at_risk_h if at_risk_h else 0.0})
    return pd.DataFrame(rows)


def by_priority(calls: pd.DataFrame) -> pd.DataFrame:
    req = calls[calls["request"]]
    g = req.groupby("priority")
    served = req[req["served"]].groupby("priority")
    return pd.DataFrame({
        "calls": g.size(),
        "queued_pct": 100.0 * g["queued"].mean(),
        "abandon_pct": 100.0 * g["abandoned"].mean(),
        "asa_served_s": served["wait_s"].mean(),
        "handle_s": req[req["clean"]].groupby("priority")["service_s"].mean(),
    })


def hourly_cells(calls: pd.DataFrame) -> pd.DataFrame:
    """One row per hour of the log (cell = hours since the first midnight), observed figures only.

    ``servers``: distinct named agents with service time in the hour; ``busy``: service seconds in the
    hour / 3600 (agents busy on average). Waits and outcomes are by the hour the call asked for an agent.
    """
    n_cells = calls.attrs["days"] * 24
    req = calls[calls["request"]]
    g = req.groupby("cell")
    served = req[req["served"]]
    cells = pd.DataFrame(index=pd.RangeIndex(n_cells, name="cell"))
    cells["day"] = cells.index // 24
    cells["hour"] = cells.index % 24
    cells["weekday"] = (calls.attrs["first_day"].weekday() + cells["day"]) % 7
    cells["requests"] = g.size()
    cells["junk"] = g["served"].sum() - g["clean"].sum()
    cells["abandoned"] = g["abandoned"].sum()
    cells["asa_served_s"] = served.groupby("cell")["wait_s"].mean()
    cells["wait_all_s"] = g["wait_s"].mean()
    for t in TARGETS_S:
        cells[f"sl{t}"] = (req["served"] & (req["wait_s"] <= t)).groupby(req["cell"]).mean()
    cells["handle_s"] = req[req["clean"]].groupby("cell")["service_s"].mean()
    # busy time and distinct agents: split every named service over the hours it spans (at most 3)
    svc = calls[calls["served"] & (calls["server"] != "NO_SERVER")]
    start = svc["t_service"].to_numpy(dtype=np.float64)
    end = start + svc["service_s"].to_numpy()
    first = (start // 3600).astype(np.int64)
    busy = np.zeros(n_cells)
    pairs = []
    for j in range(int(np.ceil(svc["service_s"].max() / 3600)) + 1):
        h = first + j
        overlap = np.minimum(end, (h + 1) * 3600.0) - np.maximum(start, h * 3600.0)
        inside = (h < n_cells) & ((overlap > 0) | (j == 0))
        np.add.at(busy, h[inside], np.maximum(overlap[inside], 0.0))
        pairs.append(pd.DataFrame({"cell": h[inside], "server": svc["server"].to_numpy()[inside]}))
    pairs = pd.concat(pairs).drop_duplicates()
    cells["servers"] = pairs.groupby("cell").size()
    cells["busy"] = busy / 3600.0
    cells = cells.fillna({"requests": 0, "junk": 0, "abandoned": 0, "servers": 0})
    for c in ("requests", "junk", "abandoned", "servers"):
        cells[c] = cells[c].astype(np.int64)
    cells["abandon_pct"] = cells["abandoned"] / cells["requests"].where(cells["requests"] > 0)
    return cells


def fit_cells(cells: pd.DataFrame, min_calls: int = FIT_MIN_CALLS) -> pd.DataFrame:
    """Hours with enough calls, agents seen and a measured handle time; adds traffic in Erlangs."""
    fit = cells[(cells["requests"] >= min_calls) & (cells["servers"] > 0) & cells["handle_s"].notna()].copy()
    fit["handle_h"] = fit["handle_s"] / 3600.0
    fit["traffic"] = (fit["requests"] - fit["junk"]) * fit["handle_h"]
    return fit


# ----------------------------------------------------------------------------- the engine on the same hours


def erlang_c_predictions(fit: pd.DataFrame, factor: float, target_s: float = 20.0) -> pd.DataFrame:
    n = factor * fit["servers"].to_numpy(dtype=np.float64)
    a = fit["traffic"].to_numpy()
    aht = fit["handle_h"].to_numpy()
    return pd.DataFrame({
        "prob_wait": queueing.erlang_c(n, a),
        "asa_s": queueing.average_speed_of_answer_h(n, a, aht) * 3600.0,
        "sl": queueing.service_level(n, a, aht, target_s / 3600.0),
        "abandon_pct": np.zeros(len(fit)),
        "stable": n > a,
    }, index=fit.index)


def erlang_a_predictions(fit: pd.DataFrame, factor: float, patience_s: float,
                         target_s: float = 20.0) -> pd.DataFrame:
    n = np.maximum(factor * fit["servers"].to_numpy(dtype=np.float64), 1.0)
    r = queueing.erlang_a(n, fit["traffic"].to_numpy(), fit["handle_h"].to_numpy(), patience_s / 3600.0,
                          target_s / 3600.0)
    return pd.DataFrame({"prob_wait": r.prob_wait, "asa_s": r.asa_h * 3600.0, "sl": r.service_level,
                         "abandon_pct": r.abandon_pct, "occupancy": r.occupancy}, index=fit.index)


def _weighted_sse(pred: np.ndarray, obs: np.ndarray, w: np.ndarray) -> np.ndarray:
    return (w * (pred - obs) ** 2).sum(axis=-1)


def fit_factor_erlang_a(fit: pd.DataFrame, patience_s: float,
                        grid=np.arange(0.30, 1.501, 0.005)) -> float:
    """Effective-agent factor k (agents = k x distinct servers) that best matches the mean time in queue
    of all callers (abandoners' time included, Erlang A's ``asa_h``), weighted by calls."""
    rows = fit.loc[fit.index.repeat(len(grid))]
    k = np.tile(grid, len(fit))
    n = np.maximum(k * rows["servers"].to_numpy(), 1.0)
    r = queueing.erlang_a(n, rows["traffic"].to_numpy(), rows["handle_h"].to_numpy(), patience_s / 3600.0, 20 / 3600)
    pred = (r.asa_h * 3600.0).reshape(len(fit), len(grid)).T
    sse = _weighted_sse(pred, fit["wait_all_s"].to_numpy(), fit["requests"].to_numpy())
    return float(grid[np.argmin(sse)])


def fit_factor_erlang_c(fit: pd.DataFrame, target: str = "wait", grid=np.arange(0.30, 1.501, 0.005)) -> float:
    """Same for Erlang C. ``target="wait"``: against the mean wait of answered calls, a cell without a
    steady state (agents <= traffic) counting as ``ERLANG_C_CAP_S``; ``target="sl20"``: against the share
    of calls answered within 20 s (bounded, so no cap is needed)."""
    n = grid[:, None] * fit["servers"].to_numpy()[None, :]
    a, aht = fit["traffic"].to_numpy(), fit["handle_h"].to_numpy()
    if target == "wait":
        pred = np.minimum(queueing.average_speed_of_answer_h(n, a, aht) * 3600.0, ERLANG_C_CAP_S)
        obs = fit["asa_served_s"].to_numpy()
    elif target == "sl20":
        pred, obs = queueing.service_level(n, a, aht, 20 / 3600), fit["sl20"].to_numpy()
    else:
        raise ValueError(target)
    return float(grid[np.argmin(_weighted_sse(pred, obs, fit["requests"].to_numpy()))])


def fit_joint_erlang_a(fit: pd.DataFrame, start=(0.7, 300.0)) -> tuple[float, float]:
    """(k, mean patience s) matching waits and abandonment together (Nelder-Mead): the sum of the two
    call-weighted squared errors, each divided by its observed mean squared."""
    w = fit["requests"].to_numpy()
    wait_obs, ab_obs = fit["wait_all_s"].to_numpy(), fit["abandon_pct"].to_numpy()
    scale_wait, scale_ab = np.average(wait_obs, weights=w) ** 2, np.average(ab_obs, weights=w) ** 2

    def loss(x: np.ndarray) -> float:
        k, patience_s = x
        if k <= 0.1 or patience_s <= 5.0:
            return 1e12
        p = erlang_a_predictions(fit, k, patience_s)
        return float(_weighted_sse(p["asa_s"].to_numpy(), wait_obs, w) / scale_wait
                     + _weighted_sse(p["abandon_pct"].to_numpy(), ab_obs, w) / scale_ab)

    best = optimize.minimize(loss, np.asarray(start, dtype=np.float64), method="Nelder-Mead",
                             options={"xatol": 1e-3, "fatol": 1e-8, "maxfev": 400})
    return float(best.x[0]), float(best.x[1])


def patience_from_slope_s(fit: pd.DataFrame) -> float:
    """Mean patience implied by abandonment = mean wait / mean patience (exact in Erlang A), fitted
    through the origin over the hours, weighted by calls."""
    w, x, y = fit["requests"].to_numpy(), fit["wait_all_s"].to_numpy(), fit["abandon_pct"].to_numpy()
    return float((w * x * x).sum() / (w * x * y).sum())


# ----------------------------------------------------------------------------- comparison


def weighted_mae(pred, obs, w) -> float:
    pred, obs, w = (np.asarray(x, dtype=np.float64) for x in (pred, obs, w))
    return float(np.average(np.abs(pred - obs), weights=w))


def correlation(pred, obs) -> float:
    pred, obs = np.asarray(pred, dtype=np.float64), np.asarray(obs, dtype=np.float64)
    ok = np.isfinite(pred) & np.isfinite(obs)
    if ok.sum() < 3 or np.std(pred[ok]) == 0.0:
        return float("nan")
    return float(np.corrcoef(pred[ok], obs[ok])[0, 1])


def by_hour_of_day(fit: pd.DataFrame, ec: pd.DataFrame, ea: pd.DataFrame, days=WORK_DAYS) -> pd.DataFrame:
    """Observed against modelled figures by clock hour over the given weekdays, every figure weighted by
    calls (a pooled hour of the same clock time). Erlang C's wait is capped at ``ERLANG_C_CAP_S``."""
    keep = fit["weekday"].isin(days)
    f, c, a = fit[keep], ec[keep], ea[keep]
    w = f["requests"]

    def avg(x):
        return (x * w).groupby(f["hour"]).sum() / w.groupby(f["hour"]).sum()

    return pd.DataFrame({
        "days": f.groupby("hour").size(),
        "calls_per_h": w.groupby(f["hour"]).mean(),
        "handle_s": avg(f["handle_s"]),
        "servers": f.groupby("hour")["servers"].mean(),
        "busy": f.groupby("hour")["busy"].mean(),
        "obs_asa_s": avg(f["asa_served_s"]),
        "c_asa_s": avg(np.minimum(c["asa_s"], ERLANG_C_CAP_S)),
        "c_unstable": (~c["stable"]).groupby(f["hour"]).sum(),
        "obs_wait_s": avg(f["wait_all_s"]),
        "a_wait_s": avg(a["asa_s"]),
        "obs_aband_pct": 100.0 * avg(f["abandon_pct"]),
        "a_aband_pct": 100.0 * avg(a["abandon_pct"]),
        "obs_sl20_pct": 100.0 * avg(f["sl20"]),
        "obs_sl30_pct": 100.0 * avg(f["sl30"]),
        "c_sl20_pct": 100.0 * avg(c["sl"]),
        "a_sl20_pct": 100.0 * avg(a["sl"]),
    })


# ----------------------------------------------------------------------------- everything at once


@dataclass(frozen=True)
class Validation:
    calls: pd.DataFrame          # the parsed log: kept in memory only, never written out
    profile: np.ndarray          # (168,) calls asking for an agent per hour of week, Monday 00-01 first
    handle: HandleTime
    patience_mle_s: float
    patience_slope_s: float
    cells: pd.DataFrame          # every hour of the log, observed
    fit: pd.DataFrame            # hours used in the fits
    k_a: float                   # Erlang A, patience = MLE, k fitted on waits
    k_c_wait: float              # Erlang C, k fitted on waits (capped)
    k_c_sl: float                # Erlang C, k fitted on the 20-s service level
    k_joint: float               # Erlang A, k and patience fitted together on waits and abandonment
    patience_joint_s: float
    models: dict                 # name -> predictions on ``fit``
    errors: pd.DataFrame         # per model: MAE and correlation, hour cells and pooled clock hours
    hours: pd.DataFrame          # clock hours Sun-Thu: observed against Erlang C (k_c_sl) and Erlang A (k_a)


def _errors(fit: pd.DataFrame, models: dict, hour_tables: dict) -> pd.DataFrame:
    w = fit["requests"]
    rows = []
    for name, p in models.items():
        is_c = "stable" in p
        wait_obs = fit["asa_served_s"] if is_c else fit["wait_all_s"]
        wait_pred = np.minimum(p["asa_s"], ERLANG_C_CAP_S)
        h = hour_tables[name]
        h_wait_obs, h_wait_pred = (h["obs_asa_s"], h["c_asa_s"]) if is_c else (h["obs_wait_s"], h["a_wait_s"])
        h_ab = h["a_aband_pct"] if not is_c else 0.0 * h["obs_aband_pct"]
        h_sl = h["c_sl20_pct"] if is_c else h["a_sl20_pct"]
        rows.append({
            "model": name,
            "unstable_hours": int((~p["stable"]).sum()) if is_c else 0,
            "wait_mae_s": weighted_mae(wait_pred, wait_obs, w),
            "wait_r": correlation(wait_pred, wait_obs),
            "aband_mae_pts": 100.0 * weighted_mae(p["abandon_pct"], fit["abandon_pct"], w),
            "aband_r": correlation(p["abandon_pct"], fit["abandon_pct"]),
            "sl20_mae_pts": 100.0 * weighted_mae(p["sl"], fit["sl20"], w),
            "sl20_r": correlation(p["sl"], fit["sl20"]),
            "clock_wait_mae_s": float(np.mean(np.abs(h_wait_pred - h_wait_obs))),
            "clock_wait_r": correlation(h_wait_pred, h_wait_obs),
            "clock_aband_mae_pts": float(np.mean(np.abs(h_ab - h["obs_aband_pct"]))),
            "clock_aband_r": correlation(h_ab, h["obs_aband_pct"]),
            "clock_sl20_mae_pts": float(np.mean(np.abs(h_sl - h["obs_sl20_pct"]))),
            "clock_sl20_r": correlation(h_sl, h["obs_sl20_pct"]),
        })
    return pd.DataFrame(rows).set_index("model")


def validate(path: Path | str = DATA_PATH) -> Validation:
    calls = load_calls(path)
    cells = hourly_cells(calls)
    fit = fit_cells(cells)
    patience = patience_mle_s(calls)
    k_a = fit_factor_erlang_a(fit, patience)
    k_c_wait = fit_factor_erlang_c(fit, "wait")
    k_c_sl = fit_factor_erlang_c(fit, "sl20")
    k_joint, patience_joint = fit_joint_erlang_a(fit, start=(k_a, patience))
    ea = erlang_a_predictions(fit, k_a, patience)
    models = {
        f"Erlang C, k={k_c_wait:.2f} (fit on waits)": erlang_c_predictions(fit, k_c_wait),
        f"Erlang C, k={k_c_sl:.2f} (fit on 20-s SL)": erlang_c_predictions(fit, k_c_sl),
        f"Erlang C, k={k_a:.2f} (Erlang A's k)": erlang_c_predictions(fit, k_a),
        f"Erlang A, k={k_a:.2f}, patience {patience:.0f} s (MLE)": ea,
        f"Erlang A, k={k_joint:.2f}, patience {patience_joint:.0f} s (joint fit)":
            erlang_a_predictions(fit, k_joint, patience_joint),
    }
    hour_tables = {}
    for name, p in models.items():
        pair = (p, ea) if "stable" in p else (erlang_c_predictions(fit, k_c_sl), p)
        hour_tables[name] = by_hour_of_day(fit, *pair)
    return Validation(
        calls=calls, profile=arrival_profile(calls), handle=handle_time(calls), patience_mle_s=patience,
        patience_slope_s=patience_from_slope_s(fit), cells=cells, fit=fit, k_a=k_a, k_c_wait=k_c_wait,
        k_c_sl=k_c_sl, k_joint=k_joint, patience_joint_s=patience_joint, models=models,
        errors=_errors(fit, models, hour_tables),
        hours=by_hour_of_day(fit, erlang_c_predictions(fit, k_c_sl), ea))
