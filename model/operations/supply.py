"""Agents on duty per UTC step, from the sites' local hours, headcount and shrinkage."""

from __future__ import annotations

from model.params import CONTRACT_HOURS_PER_WEEK, Site
from model.weekgrid import FloatArray, open_mask


def on_duty_density(site: Site) -> float:
    """On-duty agents per head of headcount while the site is open.

    Each agent works ``CONTRACT_HOURS_PER_WEEK`` hours less shrinkage; a site open longer than a
    contract week spreads its agents over the open hours.
    """
    hours = site.open_hours_per_week
    if hours <= 0.0:
        return 0.0
    return (1.0 - site.shrinkage_pct) * min(1.0, CONTRACT_HOURS_PER_WEEK / hours)


def site_week(site: Site, steps_per_hour: int) -> FloatArray:
    """On-duty agents per head at each UTC step of the week, shape (steps,)."""
    mask = open_mask(site.utc_offset_h, site.open_h, site.close_h, site.open_days, steps_per_hour)
    return mask * on_duty_density(site)
