"""In Chromium: file a prediction for a company of our own, upload the months after it, see the scores."""

from __future__ import annotations

import pandas as pd
import pytest

import track
from model.params import MON_FRI, Channel, Company, CsatCurve, Region, Site
from store import Repository, company_document, connect
from tests.test_browser import ARTIFACTS, _start, _stop, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.browser

FJORDLINE = Company(
    name="Fjordline Freight", description="", customers=1_800.0, new_customers_per_month=30.0, arpu_per_month=9_000.0,
    gross_margin_pct=0.62, churn_monthly_pct=0.015, expansion_monthly_pct=0.008, referral_rate_per_month=0.001,
    nps_today=31.0, csat_today_pct=0.84, contact_rate_per_customer_month=2.1, first_contact_resolution_pct=0.72,
    channels=(Channel("email", 0.7, 12.0, 8.0, CsatCurve(0.6, 0.95, 6.0, 1.0)),
              Channel("chat", 0.3, 10.0, 5 / 60, CsatCurve(0.6, 0.95, 0.5, 1.0), concurrency=1.5)),
    regions=(Region("Nordics", 1.0, 0.55), Region("US East", -5.0, 0.25), Region("Asia", 8.0, 0.20)),
    sites=(Site("Oslo", 1.0, 8.0, 16.0, MON_FRI, 12.0, 0.3, 72_000.0, serves=("Nordics",)),
           Site("Manila", 8.0, 9.0, 17.0, MON_FRI, 6.0, 0.3, 25_000.0, serves=("Asia",))))


def idle(page) -> None:
    page.wait_for_function("document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
                           " === 'notRunning'", timeout=60_000)


def test_file_a_prediction_upload_the_months_after_it_and_see_the_scores(browser, tmp_path):  # noqa: F811
    store_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    repo = Repository(connect(store_url))
    workspace = repo.default_workspace().id
    repo.companies.save(workspace, company_document(FJORDLINE, "EUR"))
    proc, url = _start(store_url)
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 2600})
        page.goto(f"{url}/Predictions?company=Fjordline+Freight&centre_on=true&centre_utc_offset_h=-5"
                  "&centre_headcount=4&centre_serves=US+East")
        page.get_by_role("button", name="File this prediction").wait_for(timeout=60_000)
        idle(page)
        page.get_by_label("Name", exact=True).fill("New York centre, 4 agents")
        page.get_by_label("Your name").fill("Ingrid Dahl")
        page.get_by_role("button", name="File this prediction").click()
        page.get_by_text("Filed 'New York centre, 4 agents'").wait_for(timeout=60_000)

        filed = track.from_document(repo.predictions.listing(workspace)[0].document)
        assert filed.company == "Fjordline Freight" and filed.months == 12
        plan = filed.wide("scenario")
        p50 = {m: plan[plan["metric"] == m].set_index("target_month")["p50"] for m in filed.metrics}
        months = list(p50["tickets"].index)[:5]
        kpis = pd.DataFrame({"month": months, "tickets": [round(p50["tickets"][m]) for m in months],
                             "csat_pct": [f"{p50['csat_pct'][m] * 100:.1f} %" for m in months],
                             "customers": [round(p50["customers"][m]) for m in months],
                             "churned": [round(p50["churn_pct"][m] * p50["customers"][m]) for m in months]})
        upload = tmp_path / "fjordline-kpis.csv"
        kpis.to_csv(upload, index=False)
        page.get_by_test_id("stSidebar").get_by_role("link", name="Your data", exact=True).click()
        page.get_by_role("tab", name="Monthly KPIs").click()
        page.locator(".st-key-upload_kpis input[type=file]").set_input_files(str(upload))
        page.get_by_text("5 of 5 rows kept").wait_for(timeout=60_000)
        idle(page)

        page.get_by_test_id("stSidebar").get_by_role("link", name="Predictions", exact=True).click()
        page.get_by_test_id("stAlert").filter(has_text="20 metric-months so far look like the plan").wait_for(
            timeout=60_000)
        idle(page)
        # tickets, CSAT, churn and customers over 5 months, each at the plan's P50: all inside
        assert page.get_by_text("20 of 20 metric-months fell inside the P10-P90 band").is_visible()
        assert page.get_by_test_id("stVegaLiteChart").count() >= len(filed.metrics)
        ARTIFACTS.mkdir(exist_ok=True)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "predictions.png"), full_page=True)
        page.close()
    finally:
        _stop(proc)


def test_a_page_that_does_not_draw_the_levers_keeps_them_in_its_address(browser, tmp_path):  # noqa: F811
    proc, url = _start(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(f"{url}/Scenario?centre_on=true&centre_headcount=6")
        page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
        idle(page)
        for name in ("Risk", "Predictions"):
            page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True).click()
            page.wait_for_url(f"**/{name}?**centre_headcount=6**", timeout=30_000)
            idle(page)
            assert "centre_on=true" in page.url
        page.reload()
        page.get_by_role("button", name="File this prediction").wait_for(timeout=60_000)
        idle(page)
        case = page.get_by_test_id("stAlert").filter(has_text="worth an NPV").first.inner_text()
        assert "6-agent centre" in case                        # the reloaded page is still the plan, not the baseline
        page.close()
    finally:
        _stop(proc)
