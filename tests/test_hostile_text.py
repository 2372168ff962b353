"""Text a user or a file supplies is shown as text on every page: a name written as markdown is never rendered.

A scenario, its author and note, a workspace, a company, an uploaded file and its columns are all named
``![x](http://evil.example/p.png)``-like text; every element of every page that renders markdown (titles,
captions, alerts, labels) must hold it escaped, so no viewer's browser fetches that address.
"""

from __future__ import annotations

import dataclasses
import os

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from store import Repository, company_document, connect
from store.documents import scenario_document
from tests.test_pages import _run as _page
from tests.uploads import tickets_csv
from ui.page import PAGES

IMAGE = "![x](http://evil.example/p.png)"
LINK = "[click](http://evil.example/)"


def _markdown_texts(at: AppTest) -> list[str]:
    """Every text on the page that Streamlit renders as markdown."""
    texts = []
    for group in (at.markdown, at.caption, at.title, at.header, at.subheader, at.info, at.success, at.warning,
                  at.error):
        texts += [e.value for e in group]
    texts += [str(m.value) for m in at.metric]                       # a metric's value renders markdown too
    for group in (at.expander, at.tabs, at.button, at.metric, at.toggle, at.checkbox, at.slider, at.selectbox,
                  at.text_input, at.text_area, at.number_input, at.radio, at.multiselect):
        texts += [str(e.label) for e in group if getattr(e, "label", None)]
    return texts


def _rendered(at: AppTest) -> list[str]:
    return [t for t in _markdown_texts(at) if "](http://evil.example" in t]


@pytest.fixture()
def hostile_workspace():
    from tests.test_routing import kasza
    repo = Repository(connect(os.environ["ROI_STORE_URL"]))
    ws = repo.default_workspace()
    repo.rename_workspace(ws.id, f"Team {LINK}")
    company = dataclasses.replace(kasza(), name=f"Kasza {IMAGE}"[:60])
    repo.companies.save(ws.id, company_document(company, "PLN"))
    from view.controls import scenario_of
    values = {"draws": "250", "centre_on": True}
    saved = repo.save_scenario(ws.id, scenario_document(scenario_of(values), name=f"Plan {IMAGE}", author=LINK,
                                                        note=f"Note {IMAGE}", controls=values))
    return repo, ws, company, saved


@pytest.mark.parametrize("target", [p for p, _, _ in PAGES])
def test_names_from_the_store_are_text_on_every_page(hostile_workspace, target):
    _, _, company, saved = hostile_workspace
    at = _page(target, scenario=saved.id)
    assert not at.exception, [e.value for e in at.exception]
    assert _rendered(at) == []
    at = _page(target, company=company.name)
    assert not at.exception, [e.value for e in at.exception]
    assert _rendered(at) == []


def test_an_upload_whose_name_and_columns_are_markdown_is_text_on_the_data_pages():
    frame = pd.read_csv(__import__("io").BytesIO(tickets_csv(300)))
    frame[f"Tag {IMAGE}"] = "x"
    frame = frame.rename(columns={"Via": f"Via {LINK}"})
    at = _page("pages/5_Data.py")
    at.file_uploader(key="upload_tickets").set_value((f"{IMAGE}.csv", frame.to_csv(index=False).encode(),
                                                      "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _rendered(at) == []
    for target in ("pages/6_Metrics.py", "pages/7_Calibrate.py", "pages/1_Scenario.py", "app.py"):
        at.switch_page(target).run()
        assert not at.exception, [e.value for e in at.exception]
        assert _rendered(at) == [], target


def test_a_saved_scenario_presented_and_compared_is_text_in_the_title_and_best_by(hostile_workspace):
    _, _, _, saved = hostile_workspace
    at = _page("pages/10_Present.py", centre_on="true", draws="250")
    at.multiselect(key="present_pick").set_value([saved.id, "current"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Plan" in t.value and "evil" in t.value for t in at.title)     # the name is shown, escaped
    assert any("Plan" in str(m.value) for m in at.metric if str(m.label).startswith("Best by"))
    assert _rendered(at) == []


def test_an_event_log_whose_activities_are_markdown_is_text():
    from tests.uploads import event_log_csv
    hostile = event_log_csv().decode().replace("Take in charge ticket", f"Reply {IMAGE}").replace(
        "Resource", f"Resource {LINK}")
    at = _page("pages/5_Data.py")
    at.file_uploader(key="upload_tickets").set_value((f"{LINK}.csv", hostile.encode(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("evil" in t for t in _markdown_texts(at))          # the names are shown, escaped
    assert _rendered(at) == []
