"""AppTest of saving, the Library page, the Compare page, links to saved scenarios and kept uploads."""

from __future__ import annotations

import json

import os

import pytest
from streamlit.testing.v1 import AppTest

from store import Repository, connect, read_document
from store.documents import scenario_document, scenario_of
from tests.conftest import ROOT
from tests.uploads import tickets_csv

TIMEOUT = 60


def _app(page: str = "app.py", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    if page != "app.py":
        at.switch_page(page)
    return at.run()


def _repo() -> Repository:
    return Repository(connect(os.environ["ROI_STORE_URL"]))


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _texts(elements) -> str:
    return " ".join(e.value.replace("\\", "") for e in elements)


def _save(at: AppTest, name: str, note: str = "", author: str = "Ann") -> AppTest:
    [name_box] = [t for t in at.text_input if t.label == "Name"]
    name_box.set_value(name)
    [author_box] = [t for t in at.text_input if t.label == "Your name"]
    author_box.set_value(author)
    [note_box] = [t for t in at.text_area if t.label == "Note"]
    note_box.set_value(note)
    [button] = [b for b in at.button if b.label == "Save as a new scenario"]
    return button.click().run()


def test_save_keeps_the_levers_the_model_input_and_the_figures_on_the_page():
    at = _app("pages/1_Scenario.py", centre_on="true", centre_headcount="6", draws="250")
    npv_on_page = _metric(at, "NPV (median)")
    at = _save(at, "Dublin, 6 agents", note="Board asked: '; DROP TABLE scenarios; --", author="O'Brien")
    assert not at.exception
    assert "Saved as 'Dublin, 6 agents'" in _texts(at.success)
    [saved] = _repo().scenarios(_repo().default_workspace().id)
    assert (saved.name, saved.author, saved.note) == ("Dublin, 6 agents", "O'Brien",
                                                      "Board asked: '; DROP TABLE scenarios; --")
    doc = saved.document
    assert doc["controls"]["centre_on"] is True and doc["controls"]["centre_headcount"] == 6
    assert scenario_of(doc).levers.centres[0].headcount == 6
    from view import format as fmt
    assert fmt.money(doc["headline"]["npv_p50"], "USD") == npv_on_page
    assert doc["headline"]["draws"] == 250
    # The same name again: kept beside it, numbered, and said so.
    at = _save(at, "Dublin, 6 agents")
    assert "Saved as 'Dublin, 6 agents (2)' ('Dublin, 6 agents' was taken)" in _texts(at.success)
    assert len(_repo().scenarios(_repo().default_workspace().id)) == 2


def test_saving_changes_to_the_opened_scenario_and_a_conflict_from_another_session():
    at = _app("pages/1_Scenario.py", deflection_pct="0.2", draws="250")
    at = _save(at, "AI agent")
    [saved] = _repo().scenarios(_repo().default_workspace().id)
    at.slider(key="deflection_pct").set_value(0.3).run()
    [over] = [b for b in at.button if b.label.startswith("Save changes to 'AI agent'")]
    at = over.click().run()
    assert "Saved the changes to 'AI agent' (revision 2;" in _texts(at.success)
    assert _repo().scenario(saved.id).document["controls"]["deflection_pct"] == pytest.approx(0.3)
    # Another session changes it in the meantime: ours is refused, theirs kept.
    theirs = _repo().scenario(saved.id)
    _repo().update_scenario(saved.id, {**theirs.document, "note": "theirs"}, theirs.revision)
    at.slider(key="deflection_pct").set_value(0.4).run()
    [over] = [b for b in at.button if b.label.startswith("Save changes to 'AI agent'")]
    at = over.click().run()
    assert "changed elsewhere since you opened it" in _texts(at.error)
    assert _repo().scenario(saved.id).note == "theirs"
    assert _repo().scenario(saved.id).document["controls"]["deflection_pct"] == pytest.approx(0.3)


def _seed(*names_and_levers):
    repo = _repo()
    ws = repo.default_workspace()
    from view.controls import scenario_of as model_of
    out = []
    for name, levers in names_and_levers:
        values = {"draws": "250", **levers}
        out.append(repo.save_scenario(ws.id, scenario_document(model_of(values), name=name, author="Ann",
                                                               controls={**values})))
    return out


def test_library_lists_opens_renames_duplicates_deletes_and_undoes():
    dublin, ai = _seed(("Dublin", {"centre_on": True}), ("AI agent", {"deflection_pct": 0.25}))
    at = _app("pages/8_Library.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Name"]) == ["AI agent", "Dublin"] and set(table["Author"]) == {"Ann"}
    at.multiselect(key="library_pick").set_value([dublin.id]).run()
    assert any(dublin.id in c.value for c in at.code)                   # the share link
    at.text_input(key=f"library_new_name_{dublin.id}").set_value("Dublin 'final'")
    at = [b for b in at.button if b.label == "Rename"][0].click().run()
    assert "Renamed to 'Dublin 'final''" in _texts(at.success)
    assert _repo().scenario(dublin.id).name == "Dublin 'final'"
    at.multiselect(key="library_pick").set_value([ai.id]).run()
    at = [b for b in at.button if b.label == "Duplicate"][0].click().run()
    assert "Duplicated as 'AI agent (copy)'" in _texts(at.success)
    at.multiselect(key="library_pick").set_value([ai.id]).run()
    at = [b for b in at.button if b.label == "Delete"][0].click().run()
    assert "Deleted 'AI agent'" in _texts(at.success)
    assert ai.id not in {s.id for s in _repo().scenarios(_repo().default_workspace().id)}
    at = [b for b in at.button if b.label == "Undo"][0].click().run()
    assert "Restored 'AI agent'" in _texts(at.success)
    assert _repo().scenario(ai.id).deleted_at is None
    # Open: the levers become the saved ones and the Scenario page shows them.
    at.multiselect(key="library_pick").set_value([ai.id]).run()
    at = [b for b in at.button if b.label == "Open"][0].click().run()
    assert not at.exception
    assert at.title[0].value == "Scenario"
    assert at.slider(key="deflection_pct").value == pytest.approx(0.25)
    assert "Opened the saved scenario 'AI agent'" in _texts(at.info)


def test_library_exports_and_imports_and_explains_a_bad_file():
    [dublin] = _seed(("Dublin", {"centre_on": True}))
    at = _app("pages/8_Library.py")
    at.multiselect(key="library_pick").set_value([dublin.id]).run()
    [download] = [d for d in at.get("download_button") if "Export" in d.proto.label]
    assert download.proto.label == "Export (JSON)"
    from ui.library import export
    text, file_name = export(_repo().scenario(dublin.id))
    assert file_name == "Dublin.roi.json" and read_document(text)["controls"]["centre_on"] is True
    schema1 = (ROOT / "tests" / "data" / "scenario_schema1.json").read_bytes()
    at.file_uploader(key="library_import").set_value(("old.json", schema1, "application/json")).run()
    assert "Imported as 'Scenario'" in _texts(at.success) and "older version" in _texts(at.success)
    assert {s.name for s in _repo().scenarios(_repo().default_workspace().id)} == {"Dublin", "Scenario"}
    at.file_uploader(key="library_import").set_value(("bad.json", b'{"schema_version": 7}', "application/json"))
    at.run()
    assert "This file cannot be imported" in _texts(at.error) and "newer version" in _texts(at.error)
    assert len(_repo().scenarios(_repo().default_workspace().id)) == 2
    # The imported old file opens into the levers: its centre is read back from the model input.
    old = next(s for s in _repo().scenarios(_repo().default_workspace().id) if s.name == "Scenario")
    at = _app("pages/1_Scenario.py", scenario=old.id)
    assert at.toggle(key="centre_on").value is True and at.slider(key="centre_headcount").value == 4


def _chart_specs(at: AppTest) -> list[dict]:
    import json

    def walk(block):
        for child in getattr(block, "children", {}).values():
            yield child
            yield from walk(child)

    import pyarrow as pa
    out = []
    for e in walk(at.main):
        if getattr(e, "type", "") == "vega_lite_chart":
            spec = json.loads(e.proto.spec)
            # rows given beside a spec (``st.vega_lite_chart(rows, spec)``) and an Altair chart's named datasets
            given = [e.proto.data.data] if e.proto.data.data else []
            spec["rows"] = [row for data in given + [d.data.data for d in e.proto.datasets]
                            for row in pa.ipc.open_stream(data).read_all().to_pylist()]
            out.append(spec)
    return out


def _title(spec: dict) -> str | None:
    title = spec.get("title")
    return title.get("text") if isinstance(title, dict) else title


def test_compare_shows_kpis_the_best_and_the_charts():
    dublin, ai = _seed(("Dublin", {"centre_on": True, "centre_utc_offset_h": 1.0}), ("AI agent", {"deflection_pct": 0.25}))
    at = _app("pages/9_Compare.py", draws="250")
    assert not at.exception
    assert set(at.multiselect(key="compare_pick").value) == {dublin.id, ai.id}
    table = at.dataframe[0].value
    assert list(table.columns) == ["Figure", "AI agent", "Dublin"]
    assert table.iloc[0].tolist() == ["Company", "Northwind Analytics (B2B SaaS)", "Northwind Analytics (B2B SaaS)"]
    assert table.iloc[1, 0] == "NPV (P50)"
    from model.engine import simulate
    from view import format as fmt
    for s in (dublin, ai):
        p = simulate(scenario_of(s.document), draws=250, seed=20_261_124)
        assert table.loc[1, s.name] == fmt.money(p.uncertainty.quantiles("npv")[1], "USD")
    best = _texts(at.markdown)
    assert "AI agent" in best or "Dublin" in best
    specs = _chart_specs(at)
    csat = [spec for spec in specs if _title(spec) == "CSAT"]
    lines = {row["line"] for spec in csat for row in spec["rows"] if "line" in row}
    assert lines == {"Dublin", "AI agent", "Baseline"}
    (span,) = [row for spec in csat for row in spec["rows"] if "span_lo" in row]     # the axis's least range
    values = [row["value"] for spec in csat for row in spec["rows"] if "line" in row]
    assert span["span_lo"] <= min(values) and span["span_hi"] >= max(values)
    assert "Cumulative incremental cash (USD)" in {_title(spec) for spec in specs}
    at.segmented_control(key="compare_series").set_value("revenue").run()
    assert not at.exception
    # The levers now (not saved) can be one of the compared.
    at.multiselect(key="compare_pick").set_value(["current", dublin.id]).run()
    assert list(at.dataframe[0].value.columns) == ["Figure", "The levers now (not saved)", "Dublin"]


def test_a_link_to_a_saved_scenario_opens_it_and_a_hostile_one_is_ignored():
    [ai] = _seed(("AI agent", {"deflection_pct": 0.25}))
    at = _app("pages/1_Scenario.py", scenario=ai.id)
    assert at.slider(key="deflection_pct").value == pytest.approx(0.25)
    assert "Opened the saved scenario 'AI agent' by Ann" in _texts(at.info)
    for hostile in ("' OR 1=1 --", "0" * 32, "<script>", "x" * 500):
        at = _app("pages/1_Scenario.py", scenario=hostile, ws="../../etc")
        assert not at.exception
        warning = _texts(at.warning)
        assert "Ignored link parameter 'scenario'" in warning and "Ignored link parameter 'ws'" in warning
        assert at.slider(key="deflection_pct").value == 0


def test_uploads_and_applied_calibrations_are_there_in_a_new_session():
    at = _app("pages/5_Data.py")
    at.file_uploader(key="upload_tickets").set_value(("tickets.csv", tickets_csv(), "text/csv"))
    at.run()
    assert not at.exception
    at.switch_page("pages/7_Calibrate.py")
    at.run()
    toggles = [t for t in at.toggle if t.key and t.key.startswith("apply_")]
    assert toggles
    toggles[0].set_value(True).run()
    applied_key = toggles[0].key.removeprefix("apply_")
    # A new session (a refresh, or a restarted server): the file and the applied fit are back.
    again = _app("pages/7_Calibrate.py")
    assert not again.exception
    assert again.toggle(key=f"apply_{applied_key}").value is True
    kept = _repo().uploads(_repo().default_workspace().id)
    assert [u.table for u in kept] == ["tickets"] and kept[0].content == tickets_csv()
    data_page = _app("pages/5_Data.py")
    assert "tickets.csv" in _texts(data_page.markdown) + _texts(data_page.caption) + _texts(data_page.success)


def test_a_file_that_needed_a_mapping_is_kept_with_it():
    from tests.test_data_pages import map_odd_headers
    from tests.uploads import odd_headers_csv
    at = _app("pages/5_Data.py")
    at.file_uploader(key="upload_tickets").set_value(("odd.csv", odd_headers_csv(), "text/csv"))
    at.run()
    assert _repo().uploads(_repo().default_workspace().id) == []          # not usable yet: nothing kept
    map_odd_headers(at)
    [kept] = _repo().uploads(_repo().default_workspace().id)
    assert kept.content == odd_headers_csv() and "Antwort nach Stunden" in kept.options["mapping"]
    again = _app("pages/6_Metrics.py")                 # a new session reads it with the same columns
    assert _metric(again, "First response, median") == "1.5 h"


def test_switching_workspaces_and_back():
    [mine] = _seed(("Mine", {"centre_on": True}))
    at = _app("pages/8_Library.py")
    at.text_input(key="library_ws_name").set_value("Second")
    at = [b for b in at.button if b.label == "Create and open"][0].click().run()
    assert "Created and opened the workspace 'Second'" in _texts(at.success)
    assert "Workspace: Second" in _texts(at.sidebar.caption)
    assert at.dataframe == [] or "Mine" not in list(at.dataframe[0].value["Name"])
    second = next(w for w in _repo().workspaces() if w.name == "Second")
    assert at.query_params["ws"] in (second.id, [second.id])
    default = _repo().default_workspace()
    at.selectbox(key="library_ws").set_value(default.id).run()
    assert "Workspace: My workspace" in _texts(at.sidebar.caption)
    assert "ws" not in at.query_params
    assert list(at.dataframe[0].value["Name"]) == ["Mine"]


def test_compare_keeps_scenarios_apart_whatever_their_names():
    a, b = _seed(("Figure", {"centre_on": True}), ("The levers now (not saved)", {"deflection_pct": 0.3}))
    at = _app("pages/9_Compare.py", draws="250")
    at.multiselect(key="compare_pick").set_value(["current", a.id, b.id]).run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns) == ["Figure", "The levers now (not saved)", "Figure (2)",
                                                   "The levers now (not saved) (2)"]


def test_an_unreadable_saved_scenario_is_named_and_the_rest_still_listed():
    from sqlalchemy import update

    from store.tables import scenarios
    good, bad = _seed(("Good", {}), ("Broken", {"centre_on": True}))
    with _repo().engine.begin() as conn:
        conn.execute(update(scenarios).where(scenarios.c.id == bad.id).values(document="{not json"))
    at = _app("pages/8_Library.py")
    assert not at.exception
    assert list(at.dataframe[0].value["Name"]) == ["Good"]
    assert "The saved scenario 'Broken' cannot be read" in _texts(at.warning)
    compare_page = _app("pages/9_Compare.py")
    assert not compare_page.exception
    link = _app("pages/1_Scenario.py", scenario=bad.id)
    assert not link.exception and "cannot be read" in _texts(link.warning)


def test_an_imported_file_gets_its_figures_computed_again_and_its_odd_levers_named():
    from store.documents import dumps
    from view import format as fmt
    [dublin] = _seed(("Dublin", {"centre_on": True}))
    forged = {**dublin.document, "name": "Forged", "headline": {**dublin.document["headline"], "npv_p50": 9.9e6,
                                                               "draws": 250},
              "controls": {**dublin.document["controls"], "centre_headcount": 999, "nonsense": 1}}
    at = _app("pages/8_Library.py")
    at.file_uploader(key="library_import").set_value(("forged.json", dumps(forged).encode(), "application/json"))
    at.run()
    message = _texts(at.success)
    assert "Imported as 'Forged'; its figures were computed again" in message
    assert "'centre_headcount': expected 1 to 50" in message and "no longer a control: nonsense" in message
    imported = next(s for s in _repo().scenarios(_repo().default_workspace().id) if s.name == "Forged")
    from model.engine import simulate
    expected = simulate(scenario_of(imported.document), draws=250, seed=20_261_124).uncertainty.quantiles("npv")[1]
    assert imported.headline["npv_p50"] == pytest.approx(expected)
    row = at.dataframe[0].value.set_index("Name").loc["Forged"]
    assert row["NPV (P50)"] == fmt.money(expected, "USD")


def test_an_import_with_values_no_control_allows_is_refused_naming_each_field():
    """A crafted file (a handle time of 1e300 minutes, 10,000 agents hired) passes the model's own checks and would
    overflow its queueing: it is refused, each value named with the range its control allows, and nothing is kept."""
    from store.documents import dumps
    [dublin] = _seed(("Dublin", {"centre_on": True}))
    forged = json.loads(dumps(dublin.document))
    forged["name"] = "Crafted"
    forged["scenario"]["company"]["channels"][0]["handle_time_min"] = 1e300
    forged["scenario"]["levers"]["hires"] = [{"site": forged["scenario"]["company"]["sites"][0]["name"],
                                              "agents": 10_000.0, "start_month": 0, "ramp_months": 3.0,
                                              "hiring_cost_per_agent": 0.0}]
    at = _app("pages/8_Library.py")
    at.file_uploader(key="library_import").set_value(("crafted.json", dumps(forged).encode(), "application/json"))
    at.run()
    assert not at.exception
    said = _texts(at.error)
    assert "This file cannot be imported" in said
    assert "Handle time (min): 1e+300 is outside 0.1 to 600" in said
    assert "Hire or release agents, agents hired or released: 10000 is outside -30 to 30" in said
    assert [s.name for s in _repo().scenarios(_repo().default_workspace().id)] == ["Dublin"]


def test_every_case_the_controls_can_make_is_within_the_import_ranges():
    from view.controls import CONTROLS, EXAMPLE_BOOK, defaults_of
    from view.controls import scenario_of as case_of
    from view.ranges import scenario_problems
    plan = json.dumps([{"do": "hire", "site": "New York", "agents": 30, "month": 24},
                       {"do": "centre", "name": "Far", "utc": 14, "agents": 50, "opens": 23, "closes": 24,
                        "cost": 1e7, "setup": 5e7, "month": 24},
                       {"do": "hours", "site": "New York", "opens": 0, "closes": 24, "days": "Every day", "month": 0}])
    for company in EXAMPLE_BOOK:
        values = defaults_of({"company": company})
        assert scenario_problems(case_of(values)) == []
        for end in ("min", "max"):
            pulled = {c.key: getattr(c, end) for c in CONTROLS if c.kind in ("slider", "number")}
            case = case_of({**values, **pulled, "centre_on": True, "centre_open_h": 9, "centre_close_h": 17,
                            "plan": plan if company == "B2B SaaS" else ""})
            assert scenario_problems(case) == [], (company, end)


def test_a_case_whose_link_grows_too_long_is_shared_by_its_saved_id(monkeypatch):
    """Past the length mail and chat tools keep, the page says so and, once saved, gives the short link by id,
    which opens the same case."""
    import json

    from ui import library
    monkeypatch.setattr(library, "LONG_LINK_CHARS", 300)
    plan = json.dumps([{"do": "hire", "site": "New York", "agents": 2, "month": m} for m in (0, 6, 12)])
    at = _app("pages/1_Scenario.py", plan=plan, centre_on="true", draws="250")
    assert not at.exception
    note = _texts(at.caption)
    assert "link is" in note and "characters long" in note and "Save it (Save scenario, above)" in note
    sentence = next(i.value for i in at.info if "is worth" in i.value)
    at = _save(at, "Three rounds of hiring")
    [saved] = _repo().scenarios(_repo().default_workspace().id)
    assert "Share the saved scenario 'Three rounds of hiring' by its short link" in _texts(at.caption)
    [short] = [c.value for c in at.code if f"scenario={saved.id}" in c.value]
    assert len(short) < 300
    again = _app("pages/1_Scenario.py", scenario=saved.id)
    assert not again.exception
    assert next(i.value for i in again.info if "is worth" in i.value) == sentence


def test_a_scenario_just_saved_on_a_workspace_company_reads_as_unchanged():
    """The sidebar compares the levers with the saved ones on the company's own defaults, not the examples'."""
    from store import company_document
    from tests.test_routing import kasza
    repo = _repo()
    repo.companies.save(repo.default_workspace().id, company_document(kasza(), "PLN"))
    at = _app("pages/1_Scenario.py", company=kasza().name, hire_agents="3", draws="250")
    assert not at.exception
    at = _save(at, "Kasza: three more in Warsaw")
    sidebar = _texts(at.sidebar.caption)
    assert "open: Kasza: three more in Warsaw" in sidebar and "levers changed" not in sidebar
    at.slider(key="hire_agents").set_value(4).run()
    assert "(levers changed)" in _texts(at.sidebar.caption)
