"""From first-response time and resolution to CSAT, experience classes and NPS.

Classes (the Temkin method): each month a customer either had no agent contact, had one and
was satisfied, or had one and was dissatisfied. Behaviour differs by class (``model.customers.stock``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.params import Channel, ExperienceClasses
from model.weekgrid import FloatArray

CSAT_BOUNDS = (0.01, 0.99)
GIVE_UP_H = 7 * 24.0   # a ticket unanswered for about a week is a failed contact [D]


@dataclass(frozen=True)
class CurveArrays:
    """The channels' CSAT curves as arrays of shape (channels,)."""

    floor_pct: FloatArray
    ceiling_pct: FloatArray
    half_h: FloatArray
    slope: FloatArray

    @classmethod
    def of(cls, channels: tuple[Channel, ...]) -> CurveArrays:
        return cls(
            floor_pct=np.array([c.csat_curve.floor_pct for c in channels]),
            ceiling_pct=np.array([c.csat_curve.ceiling_pct for c in channels]),
            half_h=np.array([c.csat_curve.half_h for c in channels]),
            slope=np.array([c.csat_curve.slope for c in channels]),
        )


def csat_of_response(delay_h: FloatArray, curves: CurveArrays) -> FloatArray:
    """CSAT of a ticket answered after ``delay_h``, (..., channels, steps) -> same shape.

    The curves' arrays are (channels,) or (..., channels) (one curve per draw), broadcast likewise.

    ``floor + (ceiling - floor) / (1 + (t / half_h) ** slope)``, a logistic curve in log(t),
    times the share of customers still waiting for an answer, ``1 / (1 + (t / GIVE_UP_H) ** 4)``
    (about 1 for a day, 1/2 at a week, near 0 at two weeks): a ticket left unanswered for days
    counts as a dissatisfied contact rather than at the curve's floor.
    """
    delay = np.maximum(delay_h, 0.0)
    ratio = delay / curves.half_h[..., None]
    curve = curves.floor_pct[..., None] + (curves.ceiling_pct - curves.floor_pct)[..., None] / (
        1.0 + ratio ** curves.slope[..., None])
    return curve / (1.0 + (delay / GIVE_UP_H) ** 4)


def ticket_weighted_csat(delay_h: FloatArray, arrivals: FloatArray, curves: CurveArrays) -> FloatArray:
    """Mean CSAT per channel and region: delay (..., ch, regions, steps), arrivals (..., ch, regions, steps)."""
    csat = np.swapaxes(csat_of_response(np.swapaxes(delay_h, -2, -3), curves), -2, -3)
    total = arrivals.sum(axis=-1)
    return (arrivals * csat).sum(axis=-1) / np.where(total > 0.0, total, 1.0)


def _logit(p: FloatArray | float) -> FloatArray:
    p = np.clip(p, 1e-12, 1.0 - 1e-12)
    return np.log(p / (1.0 - p))


def shifted(csat_pct: FloatArray, shift: float | FloatArray) -> FloatArray:
    """CSAT moved by ``shift`` on the logit scale (keeps every value inside (0, 1)).

    The odds ``p / (1 - p)`` times ``exp(shift)``, written so that only the shift is exponentiated:
    the same as ``1 / (1 + exp(-(logit(p) + shift)))`` without a logarithm per value.
    """
    p = np.clip(csat_pct, 1e-12, 1.0 - 1e-12)
    raised = p * np.exp(shift)
    return raised / (raised + (1.0 - p))


def logit_shift_to_match(csat_pct: FloatArray, weights: FloatArray, target_pct: float) -> FloatArray:
    """The logit shift that makes the weighted mean of ``csat_pct`` equal ``target_pct``.

    ``csat_pct`` (..., *weights.shape) gives one shift per leading index (...). The weighted mean
    rises with the shift: 24 halvings take the bracket of 80 to 5e-6, then Newton steps, each kept
    inside the bracket, take the error to rounding (it squares at each step).
    """
    w = weights / weights.sum()
    axes = tuple(range(-w.ndim, 0))
    lead = np.shape(csat_pct)[: np.ndim(csat_pct) - w.ndim]
    lo, hi = np.full(lead, -40.0), np.full(lead, 40.0)
    expand = (...,) + (None,) * w.ndim
    logit = _logit(csat_pct)                 # shifted() without taking the logit again at every halving

    def mean_at(shift: FloatArray) -> FloatArray:
        return 1.0 / (1.0 + np.exp(-(logit + shift[expand])))

    for _ in range(24):
        mid = 0.5 * (lo + hi)
        below = (mean_at(mid) * w).sum(axis=axes) < target_pct
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    shift = 0.5 * (lo + hi)
    for _ in range(3):
        s = mean_at(shift)
        slope = (s * (1.0 - s) * w).sum(axis=axes)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = ((s * w).sum(axis=axes) - target_pct) / slope
        shift = np.clip(np.where(slope > 0.0, shift - step, shift), lo, hi)
    return shift


def contacted_share(agent_issues_per_customer: FloatArray) -> FloatArray:
    """Share of customers with at least one agent contact in the month (Poisson arrivals)."""
    return 1.0 - np.exp(-np.maximum(agent_issues_per_customer, 0.0))


def remembered_classes(previous: FloatArray, contacted_pct: FloatArray, csat_pct: FloatArray,
                       memory_months: float) -> FloatArray:
    """Shares of customers whose last remembered experience is (none, satisfied, dissatisfied).

    A customer who contacts support this month remembers that experience; otherwise an earlier
    memory survives with probability ``1 - 1 / memory_months``. ``previous`` and the result have
    a last axis of length 3 that sums to 1.
    """
    keep = (1.0 - contacted_pct) * (1.0 - 1.0 / memory_months)
    satisfied = contacted_pct * csat_pct + keep * previous[..., 1]
    dissatisfied = contacted_pct * (1.0 - csat_pct) + keep * previous[..., 2]
    return np.stack([1.0 - satisfied - dissatisfied, satisfied, dissatisfied], axis=-1)


def steady_classes(contacted_pct: FloatArray, csat_pct: FloatArray, memory_months: float) -> FloatArray:
    """The fixed point of :func:`remembered_classes` for a month repeating for ever."""
    remembered = contacted_pct / (1.0 - (1.0 - contacted_pct) * (1.0 - 1.0 / memory_months))
    return np.stack([1.0 - remembered, remembered * csat_pct, remembered * (1.0 - csat_pct)], axis=-1)


def class_multipliers(classes: ExperienceClasses) -> dict[str, FloatArray]:
    """Relative churn, expansion and referral per class (no contact = 1)."""
    return {
        "churn": np.array([1.0, classes.churn_mult_satisfied, classes.churn_mult_dissatisfied]),
        "expansion": np.array([1.0, classes.expansion_mult_satisfied, classes.expansion_mult_dissatisfied]),
        "referral": np.array([1.0, classes.referral_mult_satisfied, classes.referral_mult_dissatisfied]),
    }


def scaled_effect(multiplier: FloatArray | float, scale: FloatArray | float) -> FloatArray:
    """A class multiplier with its distance from 1 scaled by ``scale`` (never below 0).

    ``scale`` 1 gives the multiplier itself exactly (the point view).
    """
    return np.maximum(multiplier + (np.asarray(scale) - 1.0) * (np.asarray(multiplier) - 1.0), 0.0)


def nps_offsets(classes: ExperienceClasses) -> FloatArray:
    return np.array([0.0, classes.nps_offset_satisfied, classes.nps_offset_dissatisfied])


def nps_of_classes(shares: FloatArray, nps_no_contact: float, classes: ExperienceClasses) -> FloatArray:
    """NPS of the customer base from its class mix, clipped to [-100, 100]."""
    return np.clip(nps_no_contact + (shares * nps_offsets(classes)).sum(axis=-1), -100.0, 100.0)
