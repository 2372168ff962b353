"""Speed of the pages in a real browser (Debian's Chromium), against the floor Streamlit itself sets.

The floor is a one-line Streamlit page (``bench/floor_app.py``) served and loaded the same way in the same run.
A page counts as answered when its script has stopped running (``stApp``'s ``data-test-script-state``) and the
element the user waits for is there. Printed, each against the goals of the speed issue:

- a cold server to a usable Home page;
- a new session's Home page, a Scenario deep link and a saved scenario's link, on a warm server (median of 5
  new browser contexts), as ratios to the floor;
- the deep link's elements with nothing behind them (``bench/elements_app.py``: the same kinds in the same numbers,
  constant content, no model), loaded the same way: the browser's own cost of drawing that page, so the deep link's
  ratio to it says what the app adds;
- every page switch through the sidebar, first visits included (median and max), beside switches between one-line
  pages (``bench/floor_pages_app.py``);
- slider key press to a changed NPV at 1,000 draws (median and the first move), beside a slider whose metric
  follows it with nothing behind (the same app's third page).

The server runs with the settings of ``.streamlit/config.toml`` and the Makefile's environment. Run with
``make bench``; the README quotes the latest figures. Needs ``/usr/bin/chromium``; says so and stops without it.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
IDLE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"
HEADINGS = {"Home": "Support ROI simulator", "Model and sources": "How the numbers are made",
            "Compare": "Compare scenarios", "Present": None}      # None: the page's title is the case's
SWITCHES = ("Scenario", "Risk", "Staffing", "Library", "Compare", "Present", "Your data", "Metrics", "Calibrate",
            "Your company", "Model and sources", "Home", "Scenario", "Staffing", "Scenario")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(script: str, store_url: str) -> tuple[subprocess.Popen, str, float]:
    """Start ``streamlit run script``; returns the process, its address and when it was started."""
    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "ROI_STORE_URL": store_url})
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 60:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return proc, url, started
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{script} did not start within 60 s")


def settled(page, marker) -> None:
    """Wait until the script has stopped and ``marker`` (a locator) is visible."""
    marker.first.wait_for(timeout=60_000)
    page.wait_for_function(IDLE, timeout=60_000)


def load(browser, url: str, marker_of) -> float:
    """Seconds for a new browser context to get ``url`` answered."""
    context = browser.new_context(viewport={"width": 1500, "height": 1400})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    settled(page, marker_of(page))
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def npv(page) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text="NPV").first
    return box.get_by_test_id("stMetricValue").inner_text()


def switch_times(browser, url: str, marker_of, labels: tuple[str, ...]) -> list[tuple[str, float]]:
    """Seconds from a click on each sidebar link in turn to its page answered, in one session opened on ``url``."""
    context = browser.new_context(viewport={"width": 1500, "height": 1400})
    page = context.new_page()
    page.goto(url)
    settled(page, marker_of(page))
    times: list[tuple[str, float]] = []
    for label in labels:
        start = time.perf_counter()
        # A click from script: a long sidebar can leave a link outside the viewport, which a pointer click refuses.
        page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True).evaluate("a => a.click()")
        heading = HEADINGS.get(label, label)
        settled(page, page.get_by_role("heading", level=1) if heading is None
                else page.get_by_role("heading", name=heading, exact=True))
        times.append((label, time.perf_counter() - start))
    context.close()
    return times


def slider_moves(browser, url: str, label: str, moves: int = 12) -> list[float]:
    """Seconds from a key press on the slider ``label`` to a changed NPV metric, ``moves`` times in one session."""
    context = browser.new_context(viewport={"width": 1500, "height": 2400})
    page = context.new_page()
    page.goto(url)
    settled(page, page.get_by_test_id("stMetric"))
    slider = page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
    times = []
    for _ in range(moves):
        before = npv(page)
        slider.focus()
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "prev => [...document.querySelectorAll('[data-testid=stMetric]')].some("
            "m => m.innerText.includes('NPV') && !m.innerText.includes(prev))", arg=before, timeout=60_000)
        times.append(time.perf_counter() - start)
        page.wait_for_function(IDLE, timeout=60_000)
    context.close()
    return times


def main() -> None:
    if not Path(CHROMIUM).exists():
        print("bench_pages: Debian's chromium is not installed (sudo apt-get install chromium); skipped")
        return
    from playwright.sync_api import sync_playwright

    from model import simulate
    from model.examples import saas
    from model.params import MON_FRI, Levers, RegionalCentre, Scenario
    from store import Repository, connect, scenario_document
    from model.money import headline

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        store_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        repo = Repository(connect(store_url))
        case = Scenario(saas(), levers=Levers(centres=(RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 5, 5500, 60000),)))
        saved = repo.save_scenario(repo.default_workspace().id, scenario_document(
            case, name="Dublin, 5 agents", controls={"centre_on": True, "centre_headcount": 5},
            headline=headline(simulate(case, draws=250))))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        floor_proc, floor_url, floor_started = serve("bench/floor_app.py", store_url)
        floor_cold = load(browser, floor_url, lambda p: p.get_by_text("ready"))
        floor_cold_total = time.perf_counter() - floor_started
        floor = statistics.median(load(browser, floor_url, lambda p: p.get_by_text("ready")) for _ in range(5))
        floor_proc.terminate()

        pages_proc, pages_url, _ = serve("bench/floor_pages_app.py", store_url)
        load(browser, pages_url, lambda p: p.get_by_text("ready"))
        floor_switches = switch_times(browser, pages_url, lambda p: p.get_by_text("ready"), ("Two", "One") * 5)
        floor_moves = slider_moves(browser, f"{pages_url}/slider", "Headcount")
        pages_proc.terminate()

        peer_proc, peer_url, _ = serve("bench/elements_app.py", store_url)
        metric = lambda p: p.get_by_test_id("stMetric")                              # noqa: E731
        load(browser, peer_url, metric)
        peer = statistics.median(load(browser, peer_url, metric) for _ in range(5))
        peer_moves = slider_moves(browser, peer_url, "Lever 0.0")
        peer_proc.terminate()

        app, url, started = serve("app.py", store_url)
        home = lambda p: p.get_by_role("heading", name="Support ROI simulator")     # noqa: E731
        context = browser.new_context(viewport={"width": 1500, "height": 1400})
        page = context.new_page()
        page.goto(url)
        settled(page, home(page))
        cold = time.perf_counter() - started
        context.close()
        homes = [load(browser, url, home) for _ in range(5)]
        kpis = lambda p: p.get_by_test_id("stMetric")                                # noqa: E731
        deep = [load(browser, f"{url}/Scenario?centre_on=true&centre_headcount=6", kpis) for _ in range(5)]
        links = [load(browser, f"{url}/Scenario?scenario={saved.id}", kpis) for _ in range(5)]

        switches = switch_times(browser, url, home, SWITCHES)
        moves = slider_moves(browser, f"{url}/Scenario?centre_on=true&draws=1000", "Centre headcount")
        browser.close()
        app.terminate()

    def ratio(xs: list[float]) -> str:
        m = statistics.median(xs)
        return f"{m:.2f} s ({m / floor:.2f}x the floor)"

    times = [t for _, t in switches]
    slowest = max(switches, key=lambda s: s[1])
    print(f"Floor: a one-line Streamlit page, new session {floor:.2f} s (median of 5; first after start "
          f"{floor_cold:.2f} s)")
    print(f"The deep link's elements with nothing behind them (bench/elements_app.py): {ratio([peer])}; the deep "
          f"link is {statistics.median(deep) / peer:.2f}x that")
    print(f"Cold server to a usable Home page: {cold:.2f} s (goal < 3 s); to the one-line page "
          f"{floor_cold_total:.2f} s")
    print(f"New session, warm server (median of 5): Home {ratio(homes)} (goal 1.2x); Scenario deep link "
          f"{ratio(deep)}; a saved scenario's link {ratio(links)} (goal 1.5x)")
    floor_times = [t for _, t in floor_switches]
    print(f"Page switches, first visits included ({len(times)}): median {statistics.median(times):.2f} s "
          f"(goal < 0.3 s), max {slowest[1]:.2f} s on {slowest[0]} (goal < 0.5 s); between one-line pages "
          f"(bench/floor_pages_app.py): median {statistics.median(floor_times):.2f} s, max {max(floor_times):.2f} s")
    print(f"Slider key press to a changed NPV, 1,000 draws ({len(moves)} moves): median "
          f"{statistics.median(moves):.2f} s, first {moves[0]:.2f} s, max {max(moves):.2f} s (goal < 0.2 s); a "
          f"slider and a metric alone: median {statistics.median(floor_moves):.2f} s, first {floor_moves[0]:.2f} s; the "
          f"deep link's elements with nothing behind them: median {statistics.median(peer_moves):.2f} s, first "
          f"{peer_moves[0]:.2f} s")


if __name__ == "__main__":
    main()
