"""A UTC week cut into equal steps, and local clock time on it for any UTC offset.

Step k covers UTC hours [k * step_h, (k + 1) * step_h) from Monday 00:00 UTC.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

HOURS_PER_WEEK = 168.0
WEEKS_PER_MONTH = 365.25 / 12.0 / 7.0

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def step_starts_h(steps_per_hour: int) -> FloatArray:
    """UTC hour-of-week at the start of each step, shape (168 * steps_per_hour,)."""
    return np.arange(int(HOURS_PER_WEEK * steps_per_hour), dtype=np.float64) / steps_per_hour


def local_day_and_hour(utc_offset_h: float | FloatArray, steps_per_hour: int) -> tuple[FloatArray, FloatArray]:
    """Local weekday (0 = Monday) and local clock hour at each step's midpoint.

    ``utc_offset_h`` may be an array; the result then has its shape plus the step axis.
    """
    offset = np.asarray(utc_offset_h, dtype=np.float64)[..., None]
    mid_h = step_starts_h(steps_per_hour) + 0.5 / steps_per_hour
    local = np.mod(mid_h + offset, HOURS_PER_WEEK)
    return np.floor(local / 24.0), np.mod(local, 24.0)


def open_mask(utc_offset_h: float, open_h: float, close_h: float, open_days: tuple[int, ...],
              steps_per_hour: int) -> BoolArray:
    """True at the steps where a site with these local hours and days is open.

    A closing hour before the opening hour is a night shift that ends the next morning.
    """
    day, hour = local_day_and_hour(utc_offset_h, steps_per_hour)
    days = np.asarray(open_days, dtype=np.float64)
    on_day = np.isin(day, days)
    if close_h > open_h:
        return on_day & (hour >= open_h) & (hour < close_h)
    after_midnight = np.isin(np.mod(day - 1.0, 7.0), days) & (hour < close_h)
    return (on_day & (hour >= open_h)) | after_midnight


def per_hour(values: FloatArray, steps_per_hour: int, how: str = "sum") -> FloatArray:
    """Fold the last (step) axis into hours by summing (flows) or averaging (levels)."""
    folded = values.reshape(values.shape[:-1] + (-1, steps_per_hour))
    return folded.sum(axis=-1) if how == "sum" else folded.mean(axis=-1)
