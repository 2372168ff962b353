"""In Chromium: stepping a lever with the arrow keys, where each next step was projected in the background, shows
the figures the same case shows when its link is opened afresh (after steps in one direction and after a turn)."""

from __future__ import annotations

import pytest

from tests.test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures: a server of this module's own)
from tests.test_browser_company import wait_idle

pytestmark = pytest.mark.browser
CHANGED = ("prev => [...document.querySelectorAll('[data-testid=stMetric]')]"
           ".some(m => m.innerText.includes('NPV') && !m.innerText.includes(prev))")


def _npv(page) -> str:
    return page.get_by_test_id("stMetric").filter(has_text="NPV").first.get_by_test_id("stMetricValue").inner_text()


def _opened_afresh(browser, url: str) -> str:  # noqa: F811
    page = browser.new_page(viewport={"width": 1500, "height": 1600})
    page.goto(url)
    page.get_by_text("Levers").first.wait_for(timeout=60000)
    wait_idle(page)
    shown = _npv(page)
    page.close()
    return shown


def test_stepped_figures_are_the_figures_of_the_case(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1500, "height": 1600})
    page.goto(f"{server}/Scenario?centre_on=true&draws=250")
    page.get_by_text("Levers").first.wait_for(timeout=60000)
    wait_idle(page)
    slider = page.get_by_test_id("stSlider").filter(has_text="Centre headcount").get_by_role("slider")
    seen = [_npv(page)]
    for key, headcount in (("ArrowRight", 5), ("ArrowRight", 6), ("ArrowRight", 7), ("ArrowLeft", 6)):
        slider.focus()
        page.keyboard.press(key)
        page.wait_for_function(CHANGED, arg=seen[-1], timeout=30000)
        page.wait_for_url(f"**centre_headcount={headcount}**", timeout=15000)
        wait_idle(page)
        seen.append(_npv(page))
        if headcount == 7:
            assert seen[-1] == _opened_afresh(browser, page.url)     # three steps on, each found ready
    assert seen[-1] == seen[2]                                      # back to 6: the figures shown there before
    assert seen[-1] == _opened_afresh(browser, page.url)
    assert len(set(seen)) == 4
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario-stepped.png"), full_page=True)
    page.close()
