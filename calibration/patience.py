"""Fit 6, patience on live channels: abandonment against the wait (Erlang A's patience).

See ``docs/calibration.md`` for the formula, the minimum data and the mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import chdtri

from calibration.fit import Fit, FitResult, Skipped, channel_label, channel_rows, has_values, weighted_r2
from model import FloatArray

MIN_LIVE_CONTACTS = 200           # live contacts of the channel with a wait and an outcome
MIN_ABANDONS = 20                 # abandonments among them


def _blocks(frame: pd.DataFrame) -> pd.DataFrame:
    """Consecutive contacts (by creation time) in blocks of similar congestion: mean wait, abandon share."""
    n = len(frame)
    size = int(np.clip(n // 100, 20, 500))
    order = frame.sort_values("created") if "created" in frame.columns else frame
    block = np.arange(n) // size
    g = pd.DataFrame({"block": block, "wait_h": order["wait_h"].to_numpy(np.float64),
                      "abandoned": order["abandoned"].to_numpy().astype(bool)}).groupby("block")
    table = pd.DataFrame({"contacts": g.size(), "mean_wait_min": g["wait_h"].mean() * 60.0,
                          "abandon_pct": g["abandoned"].mean()})
    return table[table["contacts"] >= size // 2].reset_index(drop=True)


def hazard_late_to_early(wait_h: FloatArray, abandoned: np.ndarray) -> float:
    """Abandonment hazard after the median abandoner's wait / before it; 1 for exponential patience."""
    split = float(np.median(wait_h[abandoned]))
    early = abandoned & (wait_h < split)
    late = abandoned & (wait_h >= split)
    at_risk_early = np.minimum(wait_h, split).sum()
    at_risk_late = np.maximum(wait_h - split, 0.0).sum()
    if at_risk_early <= 0 or at_risk_late <= 0 or early.sum() == 0:
        return float("nan")
    return float((late.sum() / at_risk_late) / (early.sum() / at_risk_early))


def fit_patience(tickets: pd.DataFrame, channel: str) -> FitResult:
    """Exponential patience of a live channel from waits and abandonments.

    The waits of served contacts are censored patience times, so the maximum-likelihood mean
    patience is (total time waited by everyone, abandoned or served) / (number abandoned).

    Parameters
    ----------
    tickets : DataFrame
        Typed ticket table; uses ``wait_h``, ``abandoned``, ``created`` and ``channel``.
    channel : str
        A live channel.

    Returns
    -------
    Fit or Skipped
        ``values``: ``patience_min``, ``abandon_pct`` (overall) and ``hazard_late_to_early`` (1 when
        patience is exponential). Interval: ``patience_min`` from the chi-square law of
        2 x abandonments x (true / estimated patience), 2 x abandonments degrees of freedom.
        ``data``: blocks of consecutive contacts, ``contacts``, ``mean_wait_min``, ``abandon_pct``.
        ``curve``: ``mean_wait_min``, ``abandon_pct`` = mean wait / patience (exact for exponential
        patience in any queue), ``lower``, ``upper``. Quality: contact-weighted R² of that line over
        the blocks. Skipped below ``MIN_LIVE_CONTACTS`` contacts or ``MIN_ABANDONS`` abandonments.
    """
    key = f"patience:{channel}"
    rows = channel_rows(tickets, channel)
    if not (has_values(rows, "wait_h") and has_values(rows, "abandoned")):
        return Skipped(key, f"no queue waits with outcomes on {channel_label(channel)} contacts")
    rows = rows[rows["wait_h"].notna() & rows["abandoned"].notna() & (rows["wait_h"] >= 0)]
    wait, abandoned = rows["wait_h"].to_numpy(np.float64), rows["abandoned"].to_numpy().astype(bool)
    n, d = len(rows), int(abandoned.sum())
    if n < MIN_LIVE_CONTACTS or d < MIN_ABANDONS:
        return Skipped(key, f"{n} {channel_label(channel)} contacts and {d} abandonments; patience needs "
                            f"{MIN_LIVE_CONTACTS} and {MIN_ABANDONS}")
    total = float(wait.sum())
    patience_h = total / d
    low_h = 2.0 * total / chdtri(2 * d, 0.05)           # chdtri(k, p): the chi-square value with p above it
    high_h = 2.0 * total / chdtri(2 * d, 0.95)
    blocks = _blocks(rows)
    w = blocks["mean_wait_min"].to_numpy()
    r2 = weighted_r2(blocks["abandon_pct"].to_numpy(), np.minimum(w / (60 * patience_h), 1.0),
                      blocks["contacts"].to_numpy(np.float64)) if len(blocks) >= 3 else float("nan")
    grid = np.linspace(0.0, max(float(w.max()) * 1.1, 1e-6), 50)
    share = {name: np.minimum(grid / (60.0 * h), 1.0)
             for name, h in (("abandon_pct", patience_h), ("lower", high_h), ("upper", low_h))}
    curve = pd.DataFrame({"mean_wait_min": grid, **share})
    ratio = hazard_late_to_early(wait, abandoned)
    note = f"Mean patience {60 * patience_h:.1f} min (90 %: {60 * low_h:.1f}-{60 * high_h:.1f})"
    note += (f"; abandonment = mean wait / patience has R² {r2:.2f} across busy and quiet spells." if np.isfinite(r2)
             else "; too few contacts to compare busy and quiet spells.")
    if np.isfinite(ratio) and not 0.8 <= ratio <= 1.25:
        note += (f" The abandonment rate {'falls' if ratio < 1 else 'rises'} with time waited (x{ratio:.2f}), "
                 f"so patience is not exactly exponential.")
    values = (("patience_min", 60 * patience_h), ("abandon_pct", d / n), ("hazard_late_to_early", ratio))
    return Fit(key, f"Patience in the queue ({channel_label(channel)})", n, "R² (abandonment vs wait)", r2,
               values, (("patience_min", 60 * low_h, 60 * high_h),), blocks, curve, note)
