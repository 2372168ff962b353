"""Today's company from the uploads: each figure measured as the module says, and written in validly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calibration.company import apply_all, apply_company, fit_company
from model.engine import simulate
from model.examples import saas
from model.params import Scenario


def _tables(seed: int = 4):
    rng = np.random.default_rng(seed)
    n = 2000
    start = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(rng.uniform(0, 540, n), unit="D")
    end = start + pd.to_timedelta(rng.exponential(30.4375 / 0.03, n), unit="D")
    data_end = pd.Timestamp("2024-07-01", tz="UTC")
    customers = pd.DataFrame({"customer_id": np.arange(n).astype(str), "start": start,
                              "end": end.where(end < data_end), "mrr": rng.gamma(4.0, 50.0, n),
                              "nps": rng.choice([3.0, 8.0, 10.0], n, p=[0.2, 0.4, 0.4])})
    k = 6000
    created = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(rng.uniform(0, 181, k), unit="D")
    tickets = pd.DataFrame({"ticket_id": np.arange(k).astype(str), "created": created,
                            "channel": rng.choice(["email", "chat"], k, p=[0.7, 0.3]),
                            "satisfied": pd.array(np.where(rng.random(k) < 0.5, rng.random(k) < 0.8, None),
                                                  dtype="boolean")})
    return customers, tickets


def test_company_figures_are_measured_and_written_in():
    customers, tickets = _tables()
    company = saas()
    fit = fit_company(company, tickets, customers)
    v = dict(fit.values)
    assert v["churn_monthly_pct"] == pytest.approx(0.03, rel=0.25)
    assert v["csat_today_pct"] == pytest.approx(0.8, abs=0.03)
    assert v["nps_today"] == pytest.approx(100 * (0.4 - 0.2), abs=5)
    assert v["share_pct:email"] == pytest.approx(0.7, abs=0.03)
    active = customers["end"].isna()
    assert v["customers"] == active.sum()
    assert v["arpu_per_month"] == pytest.approx(customers.loc[active, "mrr"].mean())
    lo, hi = fit.interval("csat_today_pct")
    assert lo < v["csat_today_pct"] < hi
    scenario = apply_company(Scenario(company), fit)
    c = scenario.company
    assert c.customers == v["customers"] and c.csat_today_pct == v["csat_today_pct"]
    assert {ch.name: ch.share_pct for ch in c.channels}["chat"] == pytest.approx(v["share_pct:chat"])
    base = simulate(scenario).monthly.query("variant == 'baseline'")
    assert base["csat_pct"].iloc[0] == pytest.approx(v["csat_today_pct"], abs=0.01)
    assert base["churn_pct"].iloc[0] == pytest.approx(v["churn_monthly_pct"], rel=0.05)


def test_unknown_channels_keep_the_case_shares():
    customers, tickets = _tables()
    tickets.loc[:10, "channel"] = "social"
    fit = fit_company(saas(), tickets, customers)
    assert not any(k.startswith("share_pct:") for k, _ in fit.values)
    assert "social" in fit.note
    assert apply_all(Scenario(saas()), [fit]).company.channels == saas().channels


def test_kpi_table_alone_gives_today():
    kpis = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=4, freq="MS", tz="UTC"),
                         "customers": [1000.0, 1010, 1020, 1030], "churned": [20.0, 21, 19, 20],
                         "csat_pct": [0.81, 0.8, 0.79, 0.8], "mrr": [50000.0, 50500, 51000, 51500],
                         "tickets": [1500.0, 1520, 1490, 1500]})
    fit = fit_company(saas(), None, None, kpis)
    v = dict(fit.values)
    assert v["customers"] == pytest.approx(1020.0)
    assert v["csat_today_pct"] == pytest.approx(0.7967, abs=1e-3)
    assert v["contact_rate_per_customer_month"] == pytest.approx(1503.33 / 1020, rel=1e-3)


def test_nothing_measurable_is_skipped():
    assert not fit_company(saas(), None, None, None)
