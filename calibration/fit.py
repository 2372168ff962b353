"""What every fit returns (:class:`Fit`, or :class:`Skipped` with the reason), and what the fits share.

Units live in the names: ``_h`` hours, ``_min`` minutes, ``_pct`` fractions in [0, 1]. Every
interval is a 90 % interval. Random numbers (bootstrap, parameter draws) come from a fixed seed,
so a fit is a pure function of its input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from intake.metrics import log_edges
from model import CHAT_CURVE, EMAIL_CURVE, PHONE_CURVE, Z_95, FloatArray

PARAMETER_DRAWS = 2000            # draws of fitted parameters for the curves' bands
SEED = 20_240_601
CHANNEL_LABELS = {"email": "e-mail", "chat": "chat", "phone": "phone"}
DEFAULT_CURVES = {"email": EMAIL_CURVE, "chat": CHAT_CURVE, "phone": PHONE_CURVE}
# Fits that set no scenario parameter: shown as checks (the queue's first response) or used by one page (patience).
SHOWN_ONLY = frozenset({"patience", "response_distribution"})


@dataclass(frozen=True, eq=False)
class Fit:
    """One fitted part of the model and the evidence behind it.

    Attributes
    ----------
    key : str
        ``"arrival_profile"``, ``"handle_time:<channel>"``, ``"response_distribution:<channel>"``,
        ``"csat_curve:<channel>"``, ``"classes"`` or ``"patience:<channel>"``.
    label : str
        A title for the page, e.g. "CSAT versus first response (e-mail)".
    rows : int
        Rows the fit rests on (tickets, rated tickets, customers or live contacts).
    quality_name, quality : str, float
        The goodness-of-fit figure and its value (R², KS distance, relative SE, log-loss gain).
    values : tuple of (name, value)
        Fitted parameters, units in the names; the names of :mod:`model.params` where one is set.
    intervals : tuple of (name, low, high)
        90 % intervals of the main parameters, same names and units as ``values``.
    data : DataFrame
        Points to plot (binned where the rows are many); columns documented per fit.
    curve : DataFrame
        The fitted curve, with ``lower`` / ``upper`` band columns where meaningful.
    note : str
        One sentence on what the fit says, including when the data show no relationship.
    """

    key: str
    label: str
    rows: int
    quality_name: str
    quality: float
    values: tuple[tuple[str, float], ...]
    intervals: tuple[tuple[str, float, float], ...]
    data: pd.DataFrame
    curve: pd.DataFrame
    note: str

    def __post_init__(self) -> None:
        # Plain floats, so values and intervals serialise as JSON whatever numpy type a fit produced.
        object.__setattr__(self, "values", tuple((str(n), float(v)) for n, v in self.values))
        object.__setattr__(self, "intervals", tuple((str(n), float(lo), float(hi)) for n, lo, hi in self.intervals))
        object.__setattr__(self, "quality", float(self.quality))
        object.__setattr__(self, "rows", int(self.rows))

    @property
    def kind(self) -> str:
        """The key before the colon: ``"csat_curve"`` for ``"csat_curve:email"``."""
        return self.key.partition(":")[0]

    @property
    def channel(self) -> str | None:
        """The channel after the colon, ``None`` for fits that are not per channel."""
        return self.key.partition(":")[2] or None

    def value(self, name: str) -> float:
        """The fitted value called ``name`` (KeyError when the fit has none)."""
        return dict(self.values)[name]

    def interval(self, name: str) -> tuple[float, float] | None:
        """The 90 % interval of ``name``, or ``None`` when the fit gives none."""
        found = {n: (lo, hi) for n, lo, hi in self.intervals}
        return found.get(name)


@dataclass(frozen=True)
class Skipped:
    """A fit that could not run, and why. Falsy, so ``if fit:`` reads like a check for ``None``."""

    key: str
    reason: str

    def __bool__(self) -> bool:
        return False


FitResult = Fit | Skipped


def has_values(frame: pd.DataFrame | None, column: str) -> bool:
    return frame is not None and column in frame.columns and bool(frame[column].notna().any())


def channel_rows(tickets: pd.DataFrame, channel: str) -> pd.DataFrame:
    """The tickets of ``channel``; a table without a channel column is taken to be all ``channel``."""
    if "channel" not in tickets.columns:
        return tickets
    return tickets[tickets["channel"] == channel]


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


def wilson_90(successes: FloatArray, trials: FloatArray) -> tuple[FloatArray, FloatArray]:
    """90 % Wilson score interval of a share."""
    n = np.maximum(np.asarray(trials, dtype=np.float64), 1.0)
    p = np.asarray(successes, dtype=np.float64) / n
    z2 = Z_95 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return np.clip(np.minimum(centre - half, p), 0.0, 1.0), np.clip(np.maximum(centre + half, p), 0.0, 1.0)


def band_90(draws: FloatArray) -> tuple[FloatArray, FloatArray]:
    """5th and 95th percentiles over the first (draws) axis."""
    low, high = np.nanpercentile(draws, [5.0, 95.0], axis=0)
    return low, high


def duration_text(hours: float) -> str:
    """A duration for a sentence: seconds, minutes or hours, whichever reads best."""
    if hours < 1.0 / 60.0:
        return f"{hours * 3600:.0f} s"
    return f"{hours * 60:.1f} min" if hours < 1.0 else f"{hours:.2g} h"


def weighted_r2(observed: FloatArray, fitted: FloatArray, weights: FloatArray | None = None) -> float:
    w = np.ones_like(observed) if weights is None else weights
    mean = np.average(observed, weights=w)
    total = float((w * (observed - mean) ** 2).sum())
    return 1.0 - float((w * (observed - fitted) ** 2).sum()) / total if total > 0 else float("nan")


def log_bins(x: FloatArray, bins: int) -> FloatArray:
    return log_edges(float(x.min()), float(x.max()), bins)


def parameter_draws(rng: np.random.Generator, theta: FloatArray, cov: FloatArray) -> FloatArray:
    """Parameter draws from the asymptotic normal law of the estimate (a singular cov is allowed)."""
    return rng.multivariate_normal(theta, cov, size=PARAMETER_DRAWS, method="eigh", check_valid="ignore")
