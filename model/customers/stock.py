"""The customer stock month by month: churn, expansion, acquisition and referrals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.weekgrid import FloatArray


@dataclass(frozen=True)
class CustomerPaths:
    """Monthly paths, shape (..., months): customers and MRR at the start of each month."""

    customers: FloatArray
    mrr: FloatArray
    lost: FloatArray
    referred: FloatArray


def step(customers: FloatArray, mrr: FloatArray, churn_pct: FloatArray, expansion_pct: FloatArray,
         referral_rate: FloatArray, acquisition_per_month: float, arpu_new: float
         ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """One month: (customers next, MRR next, customers lost, customers referred).

    Churn applies to customers at the start of the month (the articles' rule); survivors expand
    their spend; new customers (acquired plus referred) join at today's ARPU.
    """
    lost = customers * churn_pct
    referred = customers * referral_rate
    new = acquisition_per_month + referred
    return (customers - lost + new,
            mrr * (1.0 - churn_pct) * (1.0 + expansion_pct) + new * arpu_new,
            lost, referred)


def paths(churn_pct: FloatArray, expansion_pct: FloatArray, referral_rate: FloatArray, customers0: float,
          mrr0: float, acquisition_per_month: float, arpu_new: float) -> CustomerPaths:
    """Run ``step`` over the months of rate paths shaped (..., months)."""
    shape = np.broadcast_shapes(churn_pct.shape, expansion_pct.shape, referral_rate.shape)
    months = shape[-1]
    n = np.empty(shape)
    m = np.empty(shape)
    lost = np.empty(shape)
    referred = np.empty(shape)
    n_t = np.full(shape[:-1], customers0)
    m_t = np.full(shape[:-1], mrr0)
    churn, exp_, ref = (np.broadcast_to(x, shape) for x in (churn_pct, expansion_pct, referral_rate))
    for t in range(months):
        n[..., t], m[..., t] = n_t, m_t
        n_t, m_t, lost[..., t], referred[..., t] = step(n_t, m_t, churn[..., t], exp_[..., t], ref[..., t],
                                                       acquisition_per_month, arpu_new)
    return CustomerPaths(n, m, lost, referred)
