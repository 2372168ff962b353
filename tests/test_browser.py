"""A real browser (Debian's Chromium via Playwright) against a freshly started server.

Deep link first: the Scenario page opened straight from a link restores its levers; moving a
slider updates the URL and the KPIs. A full-page screenshot is saved in test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (sudo apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(store_url: str, port: int | None = None, extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    """A fresh server on its own store (``extra``: more ``streamlit run`` options); returns the process and its
    address once it answers."""
    port = port or _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "ROI_STORE_URL": store_url})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("the app did not start within 60 s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _require_chromium()
    proc, url = _start(f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.sqlite3'}")
    yield url
    _stop(proc)


@pytest.fixture(scope="module")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _metric(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return box.get_by_test_id("stMetricValue").inner_text()


def test_deep_link_restores_levers_and_a_slider_moves_url_and_kpis(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 3600})
    page.goto(f"{server}/Scenario?centre_on=true&hire_agents=2")
    page.get_by_text("Levers").first.wait_for(timeout=30000)
    page.get_by_test_id("stMetric").first.wait_for(timeout=30000)
    assert page.get_by_role("heading", name="Scenario").is_visible()
    assert page.get_by_role("switch", name="Open a regional centre").is_checked()
    npv_before = _metric(page, "NPV")
    assert npv_before not in ("", "n/a")

    slider = page.get_by_test_id("stSlider").filter(has_text="Agents to add at New York").get_by_role("slider")
    assert slider.get_attribute("aria-valuenow") == "2" or slider.input_value() == "2"
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**hire_agents=3**", timeout=15000)
    page.wait_for_function(
        "prev => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes('NPV') && !m.innerText.includes(prev))", arg=npv_before, timeout=15000)
    assert "centre_on=true" in page.url
    assert _metric(page, "NPV") != npv_before
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario.png"), full_page=True)
    page.close()


def test_hostile_link_is_ignored_with_a_notice(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/Scenario?company=E-commerce&hire_agents=%3Cscript%3Ealert(1)%3C/script%3E"
              "&deflection_pct=0.3")
    page.get_by_text("Part of the link could not be used").wait_for(timeout=30000)
    assert page.get_by_text("Ignored link parameter 'hire_agents'").is_visible()
    assert "deflection_pct=0.3" in page.url and "hire_agents" not in page.url     # dropped, not rewritten
    assert page.get_by_text("Alpine Outdoor (e-commerce)").first.is_visible()
    assert "€" in _metric(page, "NPV")
    page.close()


def test_url_follows_sliders_when_warnings_come_and_go(server, browser):
    """The deflection guardrail appears above 45 %: the levers below it must not be re-created."""
    page = browser.new_page(viewport={"width": 1500, "height": 1400})
    page.goto(f"{server}/Scenario?company=E-commerce&deflection_pct=0.42")
    page.get_by_test_id("stMetric").first.wait_for(timeout=30000)
    page.get_by_text("Self-service (help centre)").first.click()
    slider = page.get_by_test_id("stSlider").filter(has_text="Share of issues the tool handles").get_by_role("slider")
    slider.wait_for(timeout=15000)
    guardrail = page.get_by_text("Deflection of 4")
    assert guardrail.count() == 0
    for value in ("0.43", "0.44", "0.45", "0.46", "0.47", "0.48"):
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_url(f"**deflection_pct={value}**", timeout=15000)
        page.wait_for_timeout(300)
    page.get_by_text("Deflection of 48% is above 45 %").wait_for(timeout=15000)     # the warning came
    assert slider.is_visible()                                                     # expander still open
    fresh = browser.new_page(viewport={"width": 1500, "height": 1400})
    fresh.goto(page.url)
    fresh.get_by_test_id("stMetric").first.wait_for(timeout=30000)
    fresh.wait_for_timeout(1000)
    assert _metric(fresh, "NPV") == _metric(page, "NPV")
    page.close()
    fresh.close()


def test_staffing_page_opens_from_a_deep_link(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 2600})
    page.goto(f"{server}/Staffing?company=E-commerce&extra_hours_per_day=4")
    page.get_by_role("heading", name="Staffing").wait_for(timeout=30000)
    page.get_by_text("Agents on duty: Krakow").wait_for(timeout=30000)
    page.get_by_text("Oldest e-mail waiting at opening, mean").wait_for(state="attached", timeout=30000)
    assert page.get_by_text("Alpine Outdoor (e-commerce)").first.is_visible()
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staffing.png"), full_page=True)
    page.close()


def test_risk_page_deep_link_and_a_range_edit_move_the_distribution(server, browser):
    page = browser.new_page(viewport={"width": 1500, "height": 2600})
    page.goto(f"{server}/Risk?centre_on=true&centre_utc_offset_h=1.0&draws=250")
    page.get_by_role("heading", name="Risk", exact=True).wait_for(timeout=30000)
    page.get_by_text("NPV over 250 draws (USD)").wait_for(timeout=30000)
    page.get_by_text("What moves the NPV most (USD)").wait_for(timeout=30000)
    sentence = page.get_by_test_id("stAlertContentInfo").first
    before = sentence.inner_text()
    assert "the median of 250 draws" in before
    box = page.get_by_role("textbox", name="Churn risk of dissatisfied customers")
    box.fill("0.2 to 5")
    box.press("Enter")
    page.wait_for_function("b => !document.body.innerText.includes(b)", arg=before.split(" a loss in ")[1],
                           timeout=30000)
    assert "range_churn_dissatisfied=0.2+to+5" in page.url or "range_churn_dissatisfied=0.2%20to%205" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "risk.png"), full_page=True)
    page.close()


def test_upload_is_measured_and_drawn_beside_the_projection(server, browser, tmp_path):
    from tests.uploads import tickets_csv
    export = tmp_path / "tickets.csv"
    export.write_bytes(tickets_csv(2000, seed=3))
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{server}/Data")
    page.locator("input[type=file]").first.set_input_files(str(export))
    page.get_by_text("2,000 of 2,000 rows kept").wait_for(timeout=60_000)
    page.get_by_role("link", name="Metrics").click()
    page.get_by_text("Tickets by hour and weekday").wait_for(timeout=60_000)
    assert _metric(page, "Tickets") == "2,000"
    page.get_by_role("link", name="Scenario").click()
    page.get_by_text("your actual months from the uploads").wait_for(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scenario_with_actuals.png"), full_page=True)
    page.close()


def test_saved_scenario_and_uploaded_data_survive_a_server_restart(browser, tmp_path):
    _require_chromium()
    from tests.uploads import tickets_csv
    store = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    export = tmp_path / "tickets.csv"
    export.write_bytes(tickets_csv(1500, seed=5))
    name = "Dublin for the board's \"Q1\" round"
    proc, url = _start(store)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(f"{url}/Data")
        page.locator("input[type=file]").first.set_input_files(str(export))
        page.get_by_text("1,500 of 1,500 rows kept").wait_for(timeout=60_000)
        page.goto(f"{url}/Scenario?centre_on=true&centre_headcount=6&draws=250")
        page.get_by_role("heading", name="Scenario", exact=True).wait_for(timeout=60_000)
        page.get_by_role("button", name="Save scenario").click()
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Your name").fill("Ann")
        page.get_by_role("button", name="Save as a new scenario").click()
        page.get_by_text("Saved as").wait_for(timeout=30_000)
        # After a save the levers still write themselves into the link.
        page.get_by_role("slider", name="Centre headcount").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('centre_headcount=7')", timeout=30_000)
        page.close()
    finally:
        _stop(proc)
    proc, url = _start(store)                 # a restarted server: no session, no cache, the same store
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(f"{url}/Library")
        page.get_by_role("heading", name="Library", exact=True).wait_for(timeout=60_000)
        page.get_by_test_id("stDataFrame").wait_for(timeout=30_000)
        page.get_by_test_id("stMultiSelect").first.click()
        page.get_by_role("option", name=name).click()
        page.keyboard.press("Escape")
        page.get_by_test_id("stButton").filter(has_text="Open").get_by_role("button").click()
        page.get_by_role("heading", name="Scenario", exact=True).wait_for(timeout=60_000)
        page.get_by_text("Opened the saved scenario").wait_for(timeout=30_000)
        page.wait_for_function("() => location.search.includes('centre_headcount=6')", timeout=30_000)
        assert page.get_by_role("switch", name="Open a regional centre").is_checked()
        # The uploaded tickets are back too: their actual months are drawn beside the projection.
        page.get_by_text("your actual months from the uploads").wait_for(timeout=60_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "opened_after_restart.png"), full_page=True)
        page.get_by_role("link", name="Library").click()
        page.get_by_role("heading", name="Library", exact=True).wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "library.png"), full_page=True)
        page.close()
    finally:
        _stop(proc)


def test_present_page_downloads_the_deck_the_one_pager_and_a_table(server, browser, tmp_path):
    """In a real browser the files arrive whole: the deck opens, the PDF states the case, the CSV is text."""
    from pptx import Presentation
    from pypdf import PdfReader
    page = browser.new_page(viewport={"width": 1500, "height": 1400}, accept_downloads=True)
    page.goto(f"{server}/Present?centre_on=true&currency=EUR&draws=300")
    page.get_by_text("Take it with you").wait_for(timeout=60_000)
    sentence = page.locator(".case-sentence").inner_text()
    assert sentence.startswith("Opening a 4-agent centre in UTC+0 that answers Europe first is worth an NPV of")
    files = {}
    for label in ("Deck (PowerPoint)", "One-pager (PDF)", "Assumptions"):
        button = page.get_by_test_id("stDownloadButton").filter(has_text=label).first
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=60_000) as download:
            button.click()
        files[label] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[label])
    assert files["Deck (PowerPoint)"].name == "opening-a-4-agent-centre-in-utc-0-that-answers-eur.pptx"
    deck = Presentation(str(files["Deck (PowerPoint)"]))
    assert len(deck.slides) >= 8
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(files["One-pager (PDF)"])).pages)
    assert " ".join(sentence.split()) in pdf
    assert files["Assumptions"].read_bytes().startswith(b"\xef\xbb\xbfAssumption,")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "present.png"), full_page=True)
    page.close()


def test_a_chart_downloads_as_png_from_the_scenario_page(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1500, "height": 1400}, accept_downloads=True)
    page.goto(f"{server}/Scenario?centre_on=true")
    button = page.get_by_test_id("stDownloadButton").filter(has_text="PNG").first
    button.wait_for(timeout=60_000)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename == "mean-first-response-email.png"
    path = tmp_path / "chart.png"
    download.value.save_as(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    page.close()


def test_a_shared_links_company_and_currency_stay_on_every_page(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/Scenario?centre_on=true&company=E-commerce&currency=GBP")
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    assert "£" in _metric(page, "NPV")
    for name in ("Risk", "Staffing", "Scenario"):
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"**/{name}?**", timeout=30_000)
        page.get_by_role("heading", name=name).first.wait_for(timeout=60_000)
        page.wait_for_timeout(2500)
        assert page.get_by_text("Alpine Outdoor (e-commerce)").first.is_visible(), name
        assert "£" in page.get_by_text("Numbers read").first.inner_text(), name
        assert "company=E-commerce" in page.url and "currency=GBP" in page.url, (name, page.url)
        values = page.get_by_test_id("stMetricValue").all_inner_texts()
        assert not any("€" in v or "$" in v for v in values), (name, values)
        assert name == "Staffing" or any("£" in v for v in values), (name, values)
    page.close()


def test_a_link_copied_after_quick_slider_moves_reopens_the_same_case(server, browser):
    """Quick key presses on a slider, a switch flipped at once, more presses on another slider; the address
    is copied: a new browser context opening it finds the same levers and the same figures. (Streamlit's
    browser code used to write the first slider's value over the switch, so the link lost the centre.)"""
    def idle(p) -> None:
        p.wait_for_timeout(400)
        p.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=30000)

    page = browser.new_page(viewport={"width": 1500, "height": 2400})
    page.goto(f"{server}/Scenario")
    page.get_by_test_id("stMetric").first.wait_for(timeout=30000)       # no waiting for the run to end: quick
    hire = page.get_by_test_id("stSlider").filter(has_text="Agents to add at New York").get_by_role("slider")
    hire.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.get_by_test_id("stCheckbox").filter(has_text="Open a regional centre").first.click()
    headcount = page.get_by_test_id("stSlider").filter(has_text="Centre headcount").get_by_role("slider").first
    headcount.focus()
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    idle(page)
    page.wait_for_timeout(1500)                  # a late write of the address by the browser, if any
    idle(page)
    link = page.url
    sentence = page.get_by_text("is worth an NPV of").first.inner_text()
    # Whatever the key presses reached under load, the address must hold what the page shows.
    assert ("centre_on=true" in link) == sentence.startswith("Opening a")
    assert ("hire_agents=3" in link) == ("hiring 3 agents" in sentence)
    other = browser.new_context(viewport={"width": 1500, "height": 2400})
    fresh = other.new_page()
    fresh.goto(link)
    fresh.get_by_text("is worth an NPV of").first.wait_for(timeout=60000)
    idle(fresh)
    assert fresh.get_by_text("is worth an NPV of").first.inner_text() == sentence
    assert _metric(fresh, "NPV") == _metric(page, "NPV")
    other.close()
    page.close()


def test_a_link_opened_on_the_risk_page_keeps_its_case_through_the_sidebar(server, browser):
    """The Risk and Staffing pages draw no levers; their sidebar links carry the case, so Scenario opens it."""
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{server}/Risk?centre_on=true&hire_agents=2")
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    for name in ("Staffing", "Scenario"):
        page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"**/{name}?**", timeout=30_000)
        page.get_by_role("heading", name=name).first.wait_for(timeout=60_000)
        page.wait_for_function("document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
                               " === 'notRunning'", timeout=60_000)
        page.wait_for_timeout(1500)
        assert "centre_on=true" in page.url and "hire_agents=2" in page.url, (name, page.url)
    assert page.get_by_role("switch", name="Open a regional centre").is_checked()
    direct = browser.new_page(viewport={"width": 1400, "height": 1200})
    direct.goto(f"{server}/Scenario?centre_on=true&hire_agents=2")
    direct.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
    direct.wait_for_timeout(1500)
    assert _metric(page, "NPV") == _metric(direct, "NPV")
    direct.close()
    page.close()
