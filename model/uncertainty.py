"""Uncertain assumptions: 90 % intervals, the distributions that fit them, and their draws.

A manager enters an uncertain quantity as "5 to 10": a 90 % interval, 5 % of outcomes below the
low end and 5 % above the high end (as @RISK and Crystal Ball read such a pair). The family keeps
the quantity where it can live: a share stays in (0, 1) (logit-normal), a positive quantity stays
positive (log-normal), anything else is normal. A zero-width interval is that value in every draw,
so the deterministic model is the special case where every interval is a point.

Draws are Latin hypercube samples (each of ``draws`` equal-probability strata used once), one
independent stream per assumption seeded from the seed and the assumption's name: adding or
removing an assumption leaves the others' draws unchanged, and the same seed gives the same
numbers on every machine.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import expit, logit, ndtri

from model.weekgrid import FloatArray

Kind = Literal["share", "positive", "real"]
Z_95 = float(ndtri(0.95))            # 1.6449: the 95th percentile of a standard normal


@dataclass(frozen=True)
class Range:
    """A 90 % interval ``[low, high]`` of one quantity and the family fitted to it."""

    low: float
    high: float
    kind: Kind = "positive"

    def __post_init__(self) -> None:
        if not (np.isfinite(self.low) and np.isfinite(self.high)):
            raise ValueError(f"a range needs finite ends, got {self.low!r} to {self.high!r}")
        if self.low > self.high:
            raise ValueError(f"the low end {self.low:g} is above the high end {self.high:g}")
        if self.kind == "share" and not (0.0 < self.low and self.high < 1.0):
            raise ValueError(f"a share's range must lie strictly between 0 and 1, got {self.low:g} to {self.high:g}")
        if self.kind == "positive" and self.low <= 0.0:
            raise ValueError(f"a positive quantity's range must start above 0, got {self.low:g}")
        if self.kind not in ("share", "positive", "real"):
            raise ValueError(f"unknown kind {self.kind!r}")

    @classmethod
    def point(cls, value: float, kind: Kind = "real") -> Range:
        """No uncertainty: ``value`` in every draw."""
        return cls(value, value, kind)

    def _to_normal(self, x: float) -> float:
        return float({"share": logit, "positive": np.log, "real": float}[self.kind](x))

    def _from_normal(self, y: FloatArray) -> FloatArray:
        if self.kind == "share":
            return expit(y)
        if self.kind == "positive":
            return np.exp(y)
        return np.asarray(y, dtype=np.float64)

    @property
    def width_z(self) -> float:
        """Standard deviation on the normal scale (0 for a point)."""
        return (self._to_normal(self.high) - self._to_normal(self.low)) / (2.0 * Z_95)

    def at(self, z: FloatArray) -> FloatArray:
        """The value at standard-normal score ``z`` (z = -1.645 gives ``low``, +1.645 ``high``)."""
        if self.low == self.high:
            return np.full(np.shape(z), self.low)
        centre = 0.5 * (self._to_normal(self.low) + self._to_normal(self.high))
        return self._from_normal(centre + self.width_z * np.asarray(z, dtype=np.float64))

    def quantile(self, q: FloatArray) -> FloatArray:
        """The value below which a share ``q`` of outcomes fall."""
        return self.at(ndtri(np.asarray(q, dtype=np.float64)))

    @property
    def median(self) -> float:
        return float(self.at(0.0))


def _stream(seed: int, name: str) -> np.random.Generator:
    """The generator of one assumption: depends on the seed and the name only (crc32, not ``hash``)."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), zlib.crc32(name.encode("utf-8"))]))


def normal_scores(names: tuple[str, ...], draws: int, seed: int) -> FloatArray:
    """Latin hypercube standard-normal scores, shape (draws, len(names)); column j for ``names[j]``."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    columns = []
    for name in names:                       # one stream per assumption: a handful of columns, not draws
        rng = _stream(seed, name)
        u = (rng.permutation(draws) + rng.random(draws)) / draws
        columns.append(ndtri(u))
    return np.stack(columns, axis=1) if columns else np.zeros((draws, 0))


def sample(ranges: Mapping[str, Range], draws: int, seed: int) -> dict[str, FloatArray]:
    """One array of shape (draws,) per assumption, values in the assumption's own unit."""
    names = tuple(ranges)
    z = normal_scores(names, draws, seed)
    return {name: ranges[name].at(z[:, j]) for j, name in enumerate(names)}


def ranks(values: FloatArray, axis: int = 0) -> FloatArray:
    """Ranks 1..n along ``axis``, ties given the mean of their ranks (as ``scipy.stats.rankdata``), by pandas."""
    x = np.moveaxis(np.asarray(values, dtype=np.float64), axis, 0)
    ranked = pd.DataFrame(x.reshape(x.shape[0], -1)).rank(axis=0, method="average").to_numpy(copy=True)
    return np.moveaxis(ranked.reshape(x.shape), 0, axis)


def percentiles(values: FloatArray, qs: tuple[float, ...] = (0.1, 0.5, 0.9), axis: int = 0) -> FloatArray:
    """P10, P50, P90 (or ``qs``) along the draws axis; the result has the quantiles first.

    numpy's default (linear) quantile: one sort along a contiguous axis, then interpolation
    between the two order statistics around ``q * (n - 1)``.
    """
    a = np.sort(np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1), axis=-1)
    pos = np.asarray(qs, dtype=np.float64) * (a.shape[-1] - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, a.shape[-1] - 1)
    frac = pos - lo
    low, high = a[..., lo], a[..., hi]
    out = low + frac * (high - low)
    return np.moveaxis(out, -1, 0)
