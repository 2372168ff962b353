"""A case frozen as a dated prediction: P10, P50 and P90 per metric and calendar month, for the plan and for the
baseline (doing nothing), as they were when it was filed.

The rows follow the hubverse layout for quantile forecasts, one row per quantile: ``metric``, ``variant``,
``target_month`` (calendar month, ``YYYY-MM``), ``horizon`` (months from the plan's month 0), ``output_type``
("quantile"), ``output_type_id`` (0.1, 0.5, 0.9) and ``value``. A prediction is never changed once filed: a
new view of the same case is a new prediction.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from model import ALL_CHANNELS_FRT, Projection
from track.noise import Noise, default_noise, noise_table, widen

MODEL_VERSION = "0.1.0"           # the project's version (pyproject.toml); a test keeps the two equal
QUANTILES = (0.1, 0.5, 0.9)
VARIANTS = ("scenario", "baseline")
SCORED_METRICS = ("tickets", "csat_pct", "nps", "churn_pct", "customers", "revenue")   # plus frt_<channel>_h
DEFAULT_MONTHS = 12
_LIMITS = {"csat_pct": (0.0, 1.0), "nps": (-100.0, 100.0), "churn_pct": (0.0, 1.0)}


@dataclass(frozen=True, eq=False)
class Prediction:
    """What was predicted, when, by whom and for which case.

    ``rows``: the quantile rows (see the module). ``noise``: each metric's month-to-month variation added to the
    model's band, with its source. ``case``: the scenario document as it was filed (company, plan, levers).
    """

    filed_at: datetime
    author: str
    name: str
    company: str
    first_month: pd.Timestamp          # calendar month of the plan's month 0 (first of month, naive)
    months: int
    rows: pd.DataFrame
    noise: dict[str, Noise]
    model_version: str = MODEL_VERSION
    case: dict[str, Any] = field(default_factory=dict)

    @property
    def last_month(self) -> pd.Timestamp:
        return self.first_month + pd.DateOffset(months=self.months - 1)

    @property
    def scales(self) -> dict[str, str]:
        """Each metric's scale ("log": relative; "abs": in its unit), as its noise has it."""
        return {m: n.scale for m, n in self.noise.items()}

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.rows["metric"]))

    def wide(self, variant: str = "scenario") -> pd.DataFrame:
        """One row per metric and month: ``metric``, ``target_month``, ``horizon``, ``p10``, ``p50``, ``p90``."""
        return self._wide[variant]

    @functools.cached_property
    def _wide(self) -> dict[str, pd.DataFrame]:
        """Both variants' wide tables, read once: the rows come in triples P10, P50, P90 (as filed and as read
        back, which checks it), so a reshape replaces a pivot."""
        r = self.rows
        values = r["value"].to_numpy(dtype=np.float64).reshape(-1, len(QUANTILES))
        keys = r.iloc[::len(QUANTILES)][["metric", "variant", "target_month", "horizon"]].reset_index(drop=True)
        frame = keys.assign(p10=values[:, 0], p50=values[:, 1], p90=values[:, 2])
        return {v: frame[frame["variant"] == v].drop(columns="variant").reset_index(drop=True) for v in VARIANTS}


def scored_metrics(projection: Projection, channel_shares: Mapping[str, float] | None = None) -> tuple[str, ...]:
    """The metrics a prediction of this projection holds: volume, first response per channel (and over all
    channels when their shares are given), CSAT, NPS, churn, customers and revenue (the ones with a band)."""
    if projection.uncertainty is None:
        raise ValueError("a prediction needs the projection's bands: run it with draws")
    bands = set(projection.uncertainty.bands["series"])
    frt = [s for s in dict.fromkeys(projection.uncertainty.bands["series"]) if s.startswith("frt_")]
    overall = [ALL_CHANNELS_FRT] if channel_shares and any(f"frt_{c}_h" in bands for c in channel_shares) else []
    return tuple(m for m in ("tickets", *frt, *overall, "csat_pct", "nps", "churn_pct", "customers", "revenue")
                 if m in bands or m in overall)


def _bands(projection: Projection, months: int, channel_shares: Mapping[str, float] | None
           ) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The model's P10, P50 and P90 of each metric and variant over the first ``months`` months.

    First response over all channels (``frt_h``, what a KPI file or a log without channels reports) is the
    channels' quantiles weighted by their ticket shares (``Uncertainty.band``)."""
    u = projection.uncertainty
    assert u is not None
    out = {}
    for metric in scored_metrics(projection, channel_shares):          # in the chain's order
        for variant in VARIANTS:
            band = u.band(metric, variant, channel_shares).iloc[:months]
            out[(metric, variant)] = tuple(band[c].to_numpy(dtype=np.float64) for c in ("p10", "p50", "p90"))
    return out


def prediction_rows(projection: Projection, first_month: pd.Timestamp, months: int,
                    noise: Mapping[str, Noise], channel_shares: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The quantile rows of ``projection``'s first ``months`` months, each band widened by its metric's noise."""
    if not 1 <= months <= projection.summary.horizon_months:
        raise ValueError(f"a prediction covers 1 to {projection.summary.horizon_months} months, got {months}")
    calendar = pd.date_range(first_month, periods=months, freq="MS").strftime("%Y-%m")
    parts = []
    for (metric, variant), (p10, p50, p90) in _bands(projection, months, channel_shares).items():
        lo, hi = widen(p10, p50, p90, noise.get(metric, default_noise(metric)))
        if metric in _LIMITS:
            lo, hi = np.clip(lo, *_LIMITS[metric]), np.clip(hi, *_LIMITS[metric])
        parts.append(pd.DataFrame({"metric": metric, "variant": variant,
                                   "target_month": np.repeat(calendar, len(QUANTILES)),
                                   "horizon": np.repeat(np.arange(months), len(QUANTILES)),
                                   "output_type": "quantile", "output_type_id": np.tile(QUANTILES, months),
                                   "value": np.column_stack([lo, p50, hi]).ravel()}))
    return pd.concat(parts, ignore_index=True)        # metrics in the order of scored_metrics, then variant, month


def freeze(projection: Projection, *, name: str, author: str, company: str, first_month: pd.Timestamp,
           filed_at: datetime, noise: Mapping[str, Noise], months: int = DEFAULT_MONTHS,
           case: dict[str, Any] | None = None, channel_shares: Mapping[str, float] | None = None) -> Prediction:
    """File ``projection`` as a prediction of its first ``months`` months from ``first_month``.

    ``channel_shares`` (each channel's share of tickets) adds first response over all channels."""
    first = pd.Timestamp(first_month).to_period("M").to_timestamp()
    metrics = scored_metrics(projection, channel_shares)
    kept = {m: noise.get(m, default_noise(m)) for m in metrics}
    return Prediction(filed_at=filed_at, author=author, name=name, company=company, first_month=first,
                      months=months, rows=prediction_rows(projection, first, months, kept, channel_shares),
                      noise=kept, case=dict(case or {}))


def to_document(p: Prediction) -> dict[str, Any]:
    """A prediction as JSON-ready data (the store keeps it as it is; nothing is executed on reading)."""
    return {"kind": "prediction", "version": 1, "filed_at": p.filed_at.isoformat(), "author": p.author,
            "name": p.name, "company": p.company, "first_month": f"{p.first_month:%Y-%m}", "months": p.months,
            "model_version": p.model_version, "case": p.case,
            "noise": noise_table(p.noise).to_dict(orient="records"),
            "rows": {c: p.rows[c].tolist() for c in ("metric", "variant", "target_month", "horizon",
                                                       "output_type_id", "value")}}


def from_document(doc: Mapping[str, Any]) -> Prediction:
    """The prediction ``to_document`` wrote; a document of another kind or shape raises ValueError naming it."""
    if doc.get("kind") != "prediction" or doc.get("version") != 1:
        raise ValueError("not a prediction document (kind 'prediction', version 1)")
    try:
        rows = pd.DataFrame({c: doc["rows"][c] for c in ("metric", "variant", "target_month", "horizon",
                                                         "output_type_id", "value")})
        rows.insert(4, "output_type", "quantile")
        rows = rows.astype({"metric": str, "variant": str, "target_month": str, "horizon": np.int64,
                            "output_type_id": np.float64, "value": np.float64})
        if len(rows) % len(QUANTILES) or not np.array_equal(rows["output_type_id"].to_numpy(),
                                                            np.tile(QUANTILES, len(rows) // len(QUANTILES))):
            raise ValueError("its rows are not in P10, P50, P90 triples")
        noise = {r["metric"]: Noise(r["scale"], float(r["sd"]), str(r["source"])) for r in doc["noise"]}
        return Prediction(filed_at=datetime.fromisoformat(doc["filed_at"]), author=str(doc["author"]),
                          name=str(doc["name"]), company=str(doc["company"]),
                          first_month=pd.Timestamp(doc["first_month"] + "-01"), months=int(doc["months"]),
                          rows=rows, noise=noise, model_version=str(doc["model_version"]),
                          case=dict(doc.get("case") or {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"a prediction document is damaged: {exc}") from exc
