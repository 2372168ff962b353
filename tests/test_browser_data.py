"""In Chromium, Kestrel Kitchenware (an online shop of our own making, phone line in Porto) brings its files: a call
log with the date and clock apart and the call number repeating per line, its order lines as the customer table, an
old KPI sheet, and its help-desk export from the server's data folder."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.test_browser import ARTIFACTS, _start, _stop, browser  # noqa: F401  (the browser fixture)
from tests.test_browser_predictions import idle
from tests.uploads import purchase_log, tickets_csv

pytestmark = pytest.mark.browser


def _call_log(rows: int = 300) -> str:
    rng = np.random.default_rng(8)
    day = pd.Timestamp("2024-05-06") + pd.to_timedelta(rng.integers(0, 12, rows), unit="D")
    seconds = rng.integers(9 * 3600, 19 * 3600, rows)
    lines = ["line  call date   clock    queue_s talk_s outcome agent"]
    for i in range(rows):
        answered = rng.random() < 0.88
        clock = f"{seconds[i] // 3600:02d}:{seconds[i] % 3600 // 60:02d}:{seconds[i] % 60:02d}"
        lines.append(f"PT{1 + i % 3}  {5000 + i // 3} {day[i]:%y%m%d} {clock} {rng.integers(0, 240)} "
                     f"{rng.integers(40, 700) if answered else 0} {'AGENT' if answered else 'HANG'} "
                     f"{rng.choice(['Rita', 'Nuno', 'Ana']) if answered else 'NONE'}")
    return "\n".join(lines) + "\n"


def _your_data(browser, url: str, height: int):  # noqa: F811
    """A new page on the Your data page, settled."""
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(url)
    idle(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Your data", exact=True).click()
    idle(page)
    return page


def _choose(page, label: str, option: str) -> None:
    box = page.get_by_label(label, exact=True)
    expect(box).to_have_count(1, timeout=30_000)     # a redraw under way can show the old select box beside the new
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_kestrel_reads_a_call_log_its_orders_and_a_server_file(browser, tmp_path, monkeypatch):  # noqa: F811
    server = tmp_path / "server"
    server.mkdir()
    (server / "kestrel_helpdesk_2023.csv").write_bytes(tickets_csv(5_000))
    (tmp_path / "kestrel_phone_calls.txt").write_text(_call_log())
    (tmp_path / "kestrel_orders.csv").write_bytes(purchase_log(customers=300, seed=21)[0])
    months = pd.period_range("2019-01", periods=12, freq="M")
    pd.DataFrame({"Month": months.strftime("%Y-%m"), "Tickets": 850, "CSAT": "88 %"}).to_csv(
        tmp_path / "kestrel_kpis_2019.csv", index=False)
    monkeypatch.setenv("ROI_DATA_DIR", str(server))             # the server's data folder, as a deployment sets it
    proc, url = _start(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        page = _your_data(browser, url, 2200)
        page.locator(".st-key-upload_tickets input[type=file]").set_input_files(str(tmp_path / "kestrel_phone_calls.txt"))
        page.get_by_text("no column is chosen for 'Ticket id'").wait_for(timeout=60_000)     # "call" alone is no id
        idle(page)
        page.get_by_text("Some values are written in two columns").click()
        idle(page)
        for label, option in (("Ticket id (needed)", "line"), ("Ticket id: second part of the key in", "call"),
                              ("Created (needed)", "date"), ("Created: time of day in", "clock"),
                              ("Wait in queue", "queue_s"), ("Wait in queue: unit of plain numbers", "seconds"),
                              ("Handle time", "talk_s"), ("Handle time: unit of plain numbers", "seconds"),
                              ("Abandoned", "outcome")):
            _choose(page, label, option)
        page.get_by_role("button", name="Use these columns").click()
        page.get_by_text("300 of 300 rows kept").wait_for(timeout=60_000)
        idle(page)
        page.screenshot(path=str(ARTIFACTS / "data-call-log-two-columns.png"), full_page=True)
        said = " ".join(page.get_by_test_id("stAlertContentSuccess").all_inner_texts())
        assert "kestrel_phone_calls.txt: 300 of 300 rows kept as the tickets table" in said
        assert "ticket id in 'line' + 'call', created in 'date' + 'clock'" in page.content()

        page.get_by_role("tab", name="Customers").click()
        page.locator(".st-key-upload_customers input[type=file]").set_input_files(str(tmp_path / "kestrel_orders.csv"))
        page.get_by_text("read as 300 customers").wait_for(timeout=60_000)
        idle(page)
        said = " ".join(page.get_by_test_id("stAlertContentSuccess").all_inner_texts())
        assert "purchases kept, read as 300 customers" in said

        page.get_by_role("tab", name="Monthly KPIs").click()
        page.locator(".st-key-upload_kpis input[type=file]").set_input_files(str(tmp_path / "kestrel_kpis_2019.csv"))
        page.get_by_text("do not overlap").first.wait_for(timeout=60_000)
        idle(page)
        warnings = " ".join(page.get_by_test_id("stAlertContentWarning").all_inner_texts())
        assert "The tickets of May 2024 and the monthly KPIs Jan 2019 to Dec 2019 do not overlap" in warnings
        page.screenshot(path=str(ARTIFACTS / "data-findings.png"), full_page=True)

        page.get_by_role("tab", name="Tickets").click()
        page.get_by_text("Larger than 300 MB? Read it from the server").first.click()
        page.get_by_role("button", name="Read kestrel_helpdesk_2023.csv as the tickets table").click()
        page.get_by_text("(on the server's disk)").wait_for(timeout=60_000)
        idle(page)
        said = " ".join(page.get_by_test_id("stAlertContentSuccess").all_inner_texts())
        assert "kestrel_helpdesk_2023.csv (on the server's disk): 5,000 of 5,000 rows kept" in said
        page.screenshot(path=str(ARTIFACTS / "data-server-file.png"), full_page=True)

        page.get_by_test_id("stSidebar").get_by_role("link", name="Metrics", exact=True).click()
        idle(page)
        page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
        # the customers' figures are drawn after the tickets': read the labels once they are there too
        page.get_by_test_id("stMetricLabel").filter(has_text="Churn, monthly").first.wait_for(timeout=60_000)
        labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
        assert "Tickets" in labels and any(label.startswith("Churn, monthly") for label in labels)
        assert page.get_by_test_id("stException").count() == 0
        page.screenshot(path=str(ARTIFACTS / "data-metrics-after.png"), full_page=True)
    finally:
        _stop(proc)
        os.environ.pop("ROI_DATA_DIR", None)


def test_kestrel_sums_its_ticket_history_in_its_database(browser, tmp_path, monkeypatch):  # noqa: F811
    import sqlalchemy as sa
    rng = np.random.default_rng(3)
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86400, 20_000), unit="s")
    history = pd.DataFrame({"id": np.arange(20_000), "opened_at": created,
                            "answered_at": created + pd.to_timedelta(rng.lognormal(1.0, 1.0, 20_000), unit="h"),
                            "stars": np.where(rng.random(20_000) < 0.3, rng.integers(1, 6, 20_000), None)})
    warehouse = f"sqlite:///{tmp_path / 'kestrel_warehouse.sqlite3'}"
    engine = sa.create_engine(warehouse)
    history.to_sql("kestrel_tickets", engine, index=False)
    engine.dispose()
    monkeypatch.setenv("ROI_WAREHOUSE_URL", warehouse)
    proc, url = _start(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        page = _your_data(browser, url, 1800)
        page.get_by_role("tab", name="Monthly KPIs").click()
        idle(page)
        page.get_by_text("Ticket history in your database? Sum the months there").click()
        page.get_by_label("Table or view of tickets").wait_for(timeout=60_000)
        idle(page)
        page.screenshot(path=str(ARTIFACTS / "data-database-form.png"), full_page=True)
        _choose(page, "First response", "the time from creation to a first-reply column")
        _choose(page, "First-reply column", "answered_at")
        _choose(page, "Satisfaction rating", "stars")
        page.get_by_role("button", name="Compute the monthly KPIs in the database").click()
        page.get_by_text("kestrel_tickets (in your database): 10 of 10 rows kept").wait_for(timeout=60_000)
        idle(page)
        assert "Computed in the database from 20,000 tickets of 'kestrel_tickets'" in page.content()
        page.screenshot(path=str(ARTIFACTS / "data-database-months.png"), full_page=True)
        page.get_by_test_id("stSidebar").get_by_role("link", name="Scenario", exact=True).click()
        idle(page)
        page.get_by_text("Black dots: your actual months from the uploads, Jan 2024 to Oct 2024").wait_for(timeout=60_000)
        assert page.get_by_test_id("stException").count() == 0
    finally:
        _stop(proc)
