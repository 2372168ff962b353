"""Every chart on every page offers PNG and SVG, every table CSV; the files are built when clicked, hold what
the page shows, and nothing in a CSV runs as a formula."""

from __future__ import annotations

import csv
import io
import os

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from exports import images
from exports.cells import SIGNED_AMOUNT
from store import Repository, connect
from store.documents import scenario_document
from tests.conftest import ROOT
from tests.uploads import tickets_csv
from ui import downloads
from view import charts
from view.controls import scenario_of

CENTRE = {"centre_on": "true", "centre_utc_offset_h": "1.0", "draws": "200"}


@pytest.fixture
def made(monkeypatch) -> dict[str, tuple]:
    """The callables the download buttons registered, by file id (AppTest clicks without calling them)."""
    seen: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        seen[file_id] = (data_callable, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def _walk(block):
    for child in getattr(block, "children", {}).values():
        yield child
        yield from _walk(child)


def _app(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at


def _check_files(at: AppTest, made: dict) -> dict[str, int]:
    """Call every PNG, SVG and CSV button's callable; count them against the charts and tables shown."""
    assert not at.exception, [e.value for e in at.exception]
    elements = list(_walk(at.main))
    n_charts = sum(getattr(e, "type", "") == "vega_lite_chart" for e in elements)
    kinds = {"PNG": 0, "SVG": 0, "CSV": 0}
    names: set[str] = set()
    for button in at.download_button:
        if button.label not in kinds:
            continue
        kinds[button.label] += 1
        make, name = made[button.proto.deferred_file_id]
        names.add(name)
        data = make()
        if button.label == "PNG":
            assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        elif button.label == "SVG":
            assert data.lstrip().startswith("<svg"), name
        else:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
            assert rows[0] and all(rows[0]) and len(rows) > 1, name
            assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row
                           if not _is_number(cell) and not SIGNED_AMOUNT.fullmatch(cell)), name
    assert kinds["PNG"] == kinds["SVG"] == n_charts, (kinds, n_charts)
    assert kinds["CSV"] == len(at.dataframe), (kinds, len(at.dataframe))
    assert len(names) == sum(kinds.values()), "every file has its own name"
    return kinds


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("page, at_least", [("pages/1_Scenario.py", (6, 2)), ("pages/2_Model_and_sources.py", (0, 4)),
                                            ("pages/3_Staffing.py", (5, 1)), ("pages/4_Risk.py", (3, 1))])
def test_every_chart_and_table_of_the_case_pages_downloads(page, at_least, made):
    at = _app(page, **CENTRE)
    if page == "pages/1_Scenario.py":                 # its monthly tables are built when opened
        for key in ("_open_Monthly table (baseline and scenario)",
                    "_open_Incremental cash lines per month (scenario minus baseline)"):
            at.session_state[key] = True
    at.run()
    kinds = _check_files(at, made)
    if page == "pages/1_Scenario.py":                 # and the charts of its other tabs when each is open
        for tab in ("Customers", "Money"):
            at.session_state["view_results"] = tab
            more = _check_files(at.run(), made)
            kinds["PNG"] += more["PNG"]
    assert kinds["PNG"] >= at_least[0] and kinds["CSV"] >= at_least[1], kinds


def test_the_data_pages_offer_their_charts_and_tables(made):
    at = _app("pages/5_Data.py").run()
    at.file_uploader(key="upload_tickets").set_value(("tickets.csv", tickets_csv(), "text/csv"))
    at.run()
    assert _check_files(at, made)["CSV"] == 1                # the preview of the file as read
    for page, charts_at_least in (("pages/6_Metrics.py", 4), ("pages/7_Calibrate.py", 2)):
        at.switch_page(page)
        at.run()
        assert _check_files(at, made)["PNG"] >= charts_at_least, page


def test_two_tables_read_from_files_of_the_same_name_each_offer_their_csv(made):
    at = _app("pages/5_Data.py").run()
    at.file_uploader(key="upload_tickets").set_value(("export.csv", tickets_csv(), "text/csv")).run()
    kpis = b"month,tickets,csat_pct\n2024-01,900,0.81\n2024-02,950,0.8\n2024-03,1000,0.79\n"
    at.file_uploader(key="upload_kpis").set_value(("export.csv", kpis, "text/csv")).run()
    assert _check_files(at, made)["CSV"] == 2


def test_library_and_compare_offer_their_tables_and_charts(made):
    repo = Repository(connect(os.environ["ROI_STORE_URL"]))
    ws = repo.default_workspace().id
    ids = [repo.save_scenario(ws, scenario_document(scenario_of(v), name=n, controls=v)).id
           for n, v in (("Centre", {"centre_on": True}), ("=cmd|' /C calc'!A0", {"deflection_pct": 0.25}))]
    at = _app("pages/8_Library.py").run()
    assert _check_files(at, made)["CSV"] == 1
    library_csv = next(made[b.proto.deferred_file_id][0]() for b in at.download_button if b.label == "CSV")
    assert b"'=cmd" in library_csv                             # a hostile name is text in the file
    at = _app("pages/9_Compare.py", draws="200").run()
    at.multiselect(key="compare_pick").set_value(ids).run()
    assert _check_files(at, made) == {"PNG": 2, "SVG": 2, "CSV": 2}


def test_a_fan_chart_file_holds_the_rows_the_page_drew():
    import json

    from model.engine import SEED, simulate
    p = simulate(scenario_of({"centre_on": True}), draws=100, seed=SEED)
    spec = charts.fan_spec("CSAT", "CSAT (%)", ".0%", "EUR")
    rows = charts.fan_data(p.uncertainty, "csat_pct")
    full = downloads.with_rows(spec, rows)
    assert "data" not in spec                                  # the cached spec is left as it was
    assert len(full["data"]["values"]) == len(rows) and json.dumps(full, allow_nan=False)
    assert downloads.title_of(full) == "CSAT"
    svg = downloads._render(images.svg, spec, "EUR", rows)
    assert "CSAT (%)" in svg

