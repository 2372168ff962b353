"""In Chromium, Harbourline Ferries (a ferry operator of our own making: 60,000 customers, one site in Halifax open
7-21 every day) weighs an AI agent: it sets the agent to take part in chat issues, reads the AI agent tab, changes the
vendor's pricing to seats, compares the agent with hiring, and reopens the copied link to the same NPV."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from model import CHAT_CURVE, EMAIL_CURVE, PHONE_CURVE, Channel, Company, Region, Site
from store import Repository, company_document, connect
from tests.test_browser import ARTIFACTS, _metric, _start, _stop, browser  # noqa: F401  (the browser fixture)
from tests.test_browser_predictions import idle

pytestmark = pytest.mark.browser


def harbourline() -> Company:
    return Company(
        name="Harbourline Ferries", description="Ferry bookings along the Atlantic coast",
        customers=60_000, new_customers_per_month=2_400, arpu_per_month=38.0, gross_margin_pct=0.42,
        churn_monthly_pct=0.035, expansion_monthly_pct=0.004, referral_rate_per_month=0.002, nps_today=21.0,
        csat_today_pct=0.74, contact_rate_per_customer_month=0.22, first_contact_resolution_pct=0.68,
        channels=(Channel("email", 0.35, 6.0, 24.0, EMAIL_CURVE), Channel("chat", 0.40, 9.0, 0.1, CHAT_CURVE, 2.0),
                  Channel("phone", 0.25, 7.5, 0.05, PHONE_CURVE)),
        regions=(Region("Atlantic Canada", -4.0, 0.55), Region("Ontario and Quebec", -5.0, 0.30),
                 Region("US Northeast", -5.0, 0.15)),
        sites=(Site("Halifax", -4.0, 7.0, 21.0, (0, 1, 2, 3, 4, 5, 6), 31.0, 0.32, 5_200.0),),
    )


def _choose(page, label: str, option: str) -> None:
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.scroll_into_view_if_needed()
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()


def _step_to(page, slider, value: str) -> None:
    """One key press on ``slider`` up to ``value``, and its rerun writing ``ai_chat`` into the address. A press
    that lands while the page is being redrawn can be lost (the slider does not move): it is pressed again, never
    past ``value``."""
    for _ in range(3):
        slider.focus()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function("v => new URLSearchParams(location.search).get('ai_chat') === v", arg=value,
                                   timeout=8000)
            idle(page)
            return
        except PlaywrightTimeout:
            idle(page)
            if float(slider.get_attribute("aria-valuenow") or 0) >= float(value) - 1e-9:
                page.wait_for_function("v => new URLSearchParams(location.search).get('ai_chat') === v",
                                       arg=value, timeout=20000)
                idle(page)
                return
    raise AssertionError(f"the chat share slider did not reach {value}")


def test_harbourline_weighs_an_ai_agent_against_hiring(browser, tmp_path):  # noqa: F811
    url_store = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    repo = Repository(connect(url_store))
    repo.companies.save(repo.default_workspace().id, company_document(harbourline(), "USD"))
    proc, url = _start(url_store)
    try:
        page = browser.new_page(viewport={"width": 1500, "height": 3400})
        page.goto(f"{url}/Scenario?company=Harbourline+Ferries")
        idle(page)
        assert page.get_by_role("tab", name="AI agent").count() == 0           # no agent yet, no tab
        page.get_by_text("AI agent", exact=True).first.click()
        idle(page)
        slider = page.get_by_test_id("stSlider").filter(has_text="Share of chat issues it takes part in") \
            .get_by_role("slider")
        for value in ("0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4", "0.45", "0.5"):
            _step_to(page, slider, value)           # the agent's other controls appear after the first step
        npv = _metric(page, "NPV")
        assert npv not in ("", "n/a")
        page.get_by_role("tab", name="AI agent").click()
        idle(page)
        per_true = _metric(page, "Cost per true resolution")
        assert per_true.startswith("$") and "." in per_true
        assert page.get_by_text("What the freed hours become").first.is_visible()

        _choose(page, "How its vendor prices it", "Seats")
        page.get_by_test_id("stNumberInput").filter(has_text="Price per seat a month").wait_for(timeout=20000)
        idle(page)
        page.wait_for_function(
            "prev => [...document.querySelectorAll('[data-testid=stMetric]')].some("
            "m => m.innerText.includes('Cost per true resolution') && !m.innerText.includes(prev))", arg=per_true,
            timeout=20000)
        assert "ai_pricing=Seats" in page.url
        assert page.get_by_test_id("stNumberInput").filter(has_text="Price per resolution").count() == 0
        assert _metric(page, "Cost per true resolution") != per_true
        seats_npv = _metric(page, "NPV")
        assert seats_npv != npv

        page.get_by_text("Compare: the AI agent, hiring agents instead, or both").click()
        idle(page)
        page.get_by_text("Agents to hire instead").wait_for(timeout=20000)
        page.wait_for_timeout(800)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ai-agent.png"), full_page=True)

        fresh = browser.new_page(viewport={"width": 1500, "height": 1400})
        fresh.goto(page.url)
        idle(fresh)
        assert _metric(fresh, "NPV") == seats_npv
        fresh.close()
        page.close()
    finally:
        _stop(proc)
