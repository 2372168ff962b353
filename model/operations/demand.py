"""Tickets: from customers to agent-handled arrivals per channel, region and UTC step."""

from __future__ import annotations

import numpy as np

from model.params import ArrivalProfile, Company
from model.weekgrid import WEEKS_PER_MONTH, FloatArray, local_day_and_hour


def region_week_profile(company: Company, steps_per_hour: int) -> FloatArray:
    """Share of each region's weekly tickets falling in each UTC step, shape (regions, steps).

    Each row sums to 1. The curve is the company's local business-day profile, placed on the
    UTC week by the region's offset.
    """
    p: ArrivalProfile = company.arrival_profile
    offsets = np.array([r.utc_offset_h for r in company.regions])
    day, hour = local_day_and_hour(offsets, steps_per_hour)
    rate = p.base + np.exp(-0.5 * ((hour - p.peak_h) / p.spread_h) ** 2)
    rate = rate * np.where(day >= 5.0, p.weekend_factor, 1.0)
    return rate / rate.sum(axis=-1, keepdims=True)


def issues_per_customer_month(company: Company) -> float:
    """Distinct issues behind today's contact rate: each unresolved first contact comes back once."""
    return company.contact_rate_per_customer_month / (2.0 - company.first_contact_resolution_pct)


def agent_tickets_per_month(customers: FloatArray, issues_per_customer: float, deflected_pct: FloatArray,
                            fcr_pct: FloatArray) -> FloatArray:
    """Tickets reaching agents: issues not deflected, plus one re-contact per unresolved issue."""
    return customers * issues_per_customer * (1.0 - deflected_pct) * (2.0 - fcr_pct)


def weekly_arrivals(tickets_per_month: FloatArray, channel_share: FloatArray, region_share: FloatArray,
                    profile: FloatArray) -> FloatArray:
    """Tickets per UTC step of an average week, shape (..., channels, regions, steps)."""
    per_week = np.asarray(tickets_per_month)[..., None, None, None] / WEEKS_PER_MONTH
    return per_week * channel_share[:, None, None] * (region_share[:, None] * profile)[None, :, :]
