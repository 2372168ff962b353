"""Every monthly actual the uploads allow is drawn beside the projection, in the chart's own statistic, and the
caption names what the dots are and any series that ends early."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_data_pages import _fan_rows, _open, _upload
from tests.uploads import tickets_csv
from view import words


def kpi_csv() -> bytes:
    return pd.DataFrame({"month": ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"],
                         "tickets": [6900, 7100, 7050, 7300, 7200],
                         "first_response_h": [12.5, 14.0, 16.0, 13.2, 15.1], "nps": [28, 31, 30, 33, 29]}
                        ).to_csv(index=False).encode("utf-8")


def test_first_response_from_a_kpi_file_is_drawn_against_all_channels_weighted_by_tickets():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at = _upload(_open(at, "pages/5_Data.py"), "kpis", "kpis.csv", kpi_csv())
    at = _open(at, "pages/1_Scenario.py")
    assert not at.exception, [e.value for e in at.exception]
    rows = _fan_rows(at, "Mean first response, all channels (weighted by tickets)")
    dots = [r["p50"] for r in rows if r["variant"] == "actual"]
    assert dots == [12.5, 14.0, 16.0, 13.2, 15.1]
    base = [r for r in rows if r["variant"] == "baseline" and r["month"] == 0][0]
    assert base["p10"] <= base["p50"] <= base["p90"]
    caption = next(c.value for c in at.caption if "Black dots" in c.value)
    assert "first response (all channels)" in caption and "NPS" in caption and "Jun 2024" in caption
    at.session_state["view_results"] = "Customers"
    at.run()
    assert [r["p50"] for r in _fan_rows(at, "Tickets per month") if r["variant"] == "actual"] == [
        6900, 7100, 7050, 7300, 7200]
    assert [r["p50"] for r in _fan_rows(at, "NPS") if r["variant"] == "actual"] == [28, 31, 30, 33, 29]


def test_a_ticket_export_alone_draws_its_tickets_first_response_and_csat():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at = _upload(_open(at, "pages/5_Data.py"), "tickets", "tickets.csv", tickets_csv(1500, chat_share=0.4))
    at = _open(at, "pages/1_Scenario.py")
    assert [r["variant"] for r in _fan_rows(at, "CSAT")].count("actual") == 1
    assert [r["variant"] for r in _fan_rows(at, "Mean first response, email")].count("actual") == 1
    at.session_state["view_results"] = "Customers"
    at.run()
    assert [r["p50"] for r in _fan_rows(at, "Tickets per month") if r["variant"] == "actual"] == [1500]


def test_the_caption_names_a_series_that_ends_before_the_others():
    rows = pd.DataFrame({"series": ["tickets", "tickets", "csat_pct", "frt_email_h"],
                         "calendar_month": pd.to_datetime(["2024-04-01", "2024-05-01", "2024-03-01", "2024-05-01"])})
    text = words.actuals_caption(rows, pd.Timestamp("2024-06-01"), pd.Timestamp("2024-03-01"))
    assert "for tickets, CSAT, first response (email)" in text
    assert "month 0 of the plan is Jun 2024" in text
    assert "CSAT ends in Mar 2024, 2 months before the last." in text


def test_a_last_month_far_from_the_models_start_is_named_with_what_sets_it():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at = _upload(_open(at, "pages/5_Data.py"), "kpis", "kpis.csv", kpi_csv())      # 15.1 h, the model ~8-10 h
    at = _open(at, "pages/1_Scenario.py")
    caption = next(c.value for c in at.caption if "Black dots" in c.value).replace("\\", "")
    assert "Far from your last month: first response (all channels) was 15.1 h in your last month" in caption
    assert "the sites, hours and headcount on Your company set that start" in caption
    assert "tickets was" not in caption                                    # 7,200 against the model's start: near
