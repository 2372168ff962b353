"""Fits that cannot describe the company today are named: out-of-bounds figures, tables from other years."""

from __future__ import annotations

import pandas as pd

from calibration import Fit
from calibration.plausibility import Period, doubts, period_doubts, periods
from model import saas


def company_fit(**values: float) -> Fit:
    return Fit("company", "Your company today", 100, "figures measured", float(len(values)), tuple(values.items()),
               (), pd.DataFrame(), pd.DataFrame(), "")


def test_a_purchase_log_beside_tickets_of_another_decade_is_named():
    tickets = pd.DataFrame({"created": pd.date_range("2016-03-01", "2017-08-31", periods=50, tz="UTC")})
    customers = pd.DataFrame({"start": pd.date_range("1997-01-01", "1998-12-01", periods=50, tz="UTC"),
                              "end": [pd.NaT] * 50})
    found = periods(tickets, customers, None)
    assert [p.text() for p in found] == ["tickets Mar 2016 to Aug 2017", "customers Jan 1997 to Dec 1998"]
    said = doubts(company_fit(customers=23_570, new_customers_per_month=8_161, churn_monthly_pct=0.0,
                              csat_today_pct=0.8), saas(), found)
    assert any("17.2 years apart" in d and "customers Jan 1997 to Dec 1998" in d for d in said)
    assert any("A monthly churn of 0 % is outside" in d for d in said)
    assert any("8,161 new customers a month for 23,570 customers" in d for d in said)


def test_a_customer_base_a_hundred_times_the_companys_is_named():
    said = doubts(company_fit(customers=400_000, churn_monthly_pct=0.02), saas(), [])
    assert said == ["The data's customers (400,000) is 100 times more than the company's (4,000): another company, "
                    "another currency or a partial export?"]


def test_a_plausible_company_fit_raises_no_doubt():
    said = doubts(company_fit(customers=4_200, new_customers_per_month=70, churn_monthly_pct=0.014,
                              csat_today_pct=0.81, nps_today=28, contact_rate_per_customer_month=1.7), saas(),
                  [Period("tickets", pd.Timestamp("2026-01-01", tz="UTC"), pd.Timestamp("2026-10-31", tz="UTC")),
                   Period("customers", pd.Timestamp("2023-05-01", tz="UTC"), pd.Timestamp("2026-11-02", tz="UTC"))])
    assert said == []


def test_tables_of_the_same_months_are_not_doubted():
    a = Period("tickets", pd.Timestamp("2024-01-01", tz="UTC"), pd.Timestamp("2024-06-30", tz="UTC"))
    b = Period("monthly KPIs", pd.Timestamp("2024-09-01", tz="UTC"), pd.Timestamp("2025-06-01", tz="UTC"))
    assert period_doubts([a, b]) == []


def test_an_impossible_handle_time_is_named():
    fit = Fit("handle_time:email", "Handle time (e-mail)", 40, "relative SE", 0.1,
              (("mean_min", 900.0), ("median_min", 700.0)), (), pd.DataFrame(), pd.DataFrame(), "")
    assert doubts(fit, saas(), []) == ["A handle time of 900 minutes per contact is outside 0.2 to 240 minutes."]


def test_a_monthly_kpi_row_covers_its_whole_month():
    from calibration import non_overlapping, periods
    tickets = pd.DataFrame({"created": pd.to_datetime(["2024-03-05 10:00", "2024-03-20 00:00"], utc=True)})
    kpis = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"], utc=True)})
    assert non_overlapping(periods(tickets, None, kpis)) == []
    later = pd.DataFrame({"created": pd.to_datetime(["2024-04-02"], utc=True)})
    assert "do not overlap (1 days apart)" in non_overlapping(periods(later, None, kpis))[0]


def class_fit(**values: float) -> Fit:
    return Fit("classes", "Churn and expansion by last support experience", 1_500, "relative SE", 0.2,
               tuple(values.items()), (), pd.DataFrame(), pd.DataFrame(), "")


def test_dissatisfied_customers_churning_less_is_named_with_its_likely_cause():
    """Customers from 2023 beside tickets of 2025: the ones who left early have no rated contact, so the rated ones
    look loyal (a new user's trial fitted 0.59x). Named, so the page asks before the fit is used and the Predictions
    page's one-click recalibration leaves it out."""
    spans = [Period("tickets", pd.Timestamp("2025-01-02", tz="UTC"), pd.Timestamp("2025-07-20", tz="UTC")),
             Period("customers", pd.Timestamp("2023-01-05", tz="UTC"), pd.Timestamp("2025-07-01", tz="UTC"))]
    said = doubts(class_fit(churn_mult_satisfied=0.60, churn_mult_dissatisfied=0.59), saas(), spans)
    assert said[0].startswith("Customers whose last contact left them dissatisfied churn 0.59x as often")
    assert "customers begin in Jan 2023 and the tickets in Jan 2025" in said[1]
    assert doubts(class_fit(churn_mult_satisfied=1.4, churn_mult_dissatisfied=1.2), saas(), []) == [
        "Dissatisfied customers churn less than satisfied ones (1.20x against 1.40x the churn of those without a "
        "rated contact)."]
    assert doubts(class_fit(churn_mult_satisfied=0.9, churn_mult_dissatisfied=2.1), saas(), spans) == []
