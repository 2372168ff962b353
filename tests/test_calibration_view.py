"""A fit's parameter changes as the Calibrate page shows them: the form's labels and the case's number style."""

from __future__ import annotations

import dataclasses

from calibration import parameter_changes
from model import Range, Scenario, saas
from view.calibration import changes_table, figure_label, label_of


def test_a_company_fits_changes_read_as_the_form_labels_them_in_the_cases_locale():
    company = saas()
    email = dataclasses.replace(company.channels[0], share_pct=0.66, handle_time_min=7.4,
                                csat_curve=dataclasses.replace(company.channels[0].csat_curve, half_h=12.5))
    chat = dataclasses.replace(company.channels[1], share_pct=0.34)
    calibrated = dataclasses.replace(
        company, customers=60_000.0, churn_monthly_pct=0.0307, arpu_per_month=38.5, csat_today_pct=0.8349,
        channels=(email, chat), classes=dataclasses.replace(company.classes, churn_mult_dissatisfied=0.59))
    table = changes_table(parameter_changes(Scenario(company), Scenario(calibrated)), "EUR")
    rows = {r["Parameter"]: (r["In the case now"], r["Calibrated"]) for r in table.to_dict("records")}
    assert rows["Customers today"] == ("4.000", "60.000")                         # no 6e+04
    assert rows["Churn a month"] == ("1,50%", "3,07%")
    assert rows["Revenue per customer a month (ARPU)"] == ("450,00\xa0€", "38,50\xa0€")     # with its cents
    assert rows["CSAT today"] == ("78,0%", "83,5%")
    assert rows["Share of contacts (%), e-mail"] == ("70,0%", "66,0%")
    assert rows["Handle time (min), e-mail"][1] == "7,40"
    assert rows["First response half-way between the two (h), e-mail"][1] == "12,50"
    assert rows["Churn of dissatisfied customers, times that of customers without a rated contact"] == ("2,00x",
                                                                                                        "0,59x")
    assert not any("_" in p or "." in p for p in rows)                           # no field paths


def test_a_range_and_an_unknown_parameter_still_read():
    label, shown = label_of("assumptions.contact_rate")
    assert label == "Range of contact rate"
    table = changes_table([("assumptions.contact_rate", Range(0.9, 1.1), Range(0.95, 1.2)),
                           ("company.something_new", 1234.5678, 2.0)], "USD")
    assert table.to_dict("records") == [
        {"Parameter": "Range of contact rate", "In the case now": "0.90 to 1.10", "Calibrated": "0.95 to 1.20"},
        {"Parameter": "something new", "In the case now": "1,234.568", "Calibrated": "2.000"}]
    assert figure_label("churn_monthly_pct") == "Churn a month" and figure_label("channel shares") == "Channel shares"


def test_a_company_fits_note_and_intervals_name_the_figures_as_the_form_does():
    import pandas as pd

    from calibration import Fit
    from view.calibration import fit_note, intervals_text
    fit = Fit("company", "Your company today", 100, "figures measured", 2.0,
              (("churn_monthly_pct", 0.015), ("csat_today_pct", 0.83)),
              (("churn_monthly_pct", 0.0128, 0.0178), ("csat_today_pct", 0.812, 0.854)),
              pd.DataFrame({"figure": ["churn_monthly_pct", "csat_today_pct", "channel shares"]}), pd.DataFrame(),
              "Channel 'social' is not in the case.")
    assert fit_note(fit) == ("Today's company from your data: churn a month, CSAT today, channel shares. Channel "
                             "'social' is not in the case.")
    assert intervals_text(fit, "USD") == "90 % intervals: Churn a month 1.28% to 1.78%; CSAT today 81.2% to 85.4%"
    curve = Fit("csat_curve:email", "CSAT versus first response (e-mail)", 400, "log-loss gain", 0.1,
                (("half_h", 2.0),), (("half_h", 1.2, 3.4),), pd.DataFrame(), pd.DataFrame(), "It falls.")
    assert fit_note(curve) == "It falls."
    assert intervals_text(curve, "EUR") == "90 % intervals: First response half-way between the two (h) 1,20 to 3,40"
