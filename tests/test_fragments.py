"""Parts of the Scenario page rerun alone: driven through Streamlit's own protocol against a real server.

A browser asks for a fragment's rerun when a widget inside it changes (``fragment_id`` in the rerun request);
the server then runs that fragment only. These tests ask as the browser does and check what comes back.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from bench.protocol import Session
from tests.test_browser import _start, _stop
from ui.downloads import title_of

DEEP_LINK = "centre_on=true&draws=250"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, url = _start(f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.sqlite3'}")
    yield url
    _stop(proc)


def _titles(run) -> list[str]:
    """The titles of the charts a run drew."""
    return [title_of(json.loads(e.text)) for e in run.elements if e.kind == "vega_lite_chart" and e.text]


async def _channel_choice(url: str):
    async with Session(url, DEEP_LINK) as s:
        full = await s.rerun({})
        assert s.fragments["view_channel"] and not s.fragments["centre_headcount"]
        part = await s.rerun({"view_channel": ("string_array_value", ["chat"])}, fragment_of="view_channel")
        return s, full, part


def test_choosing_a_channel_reruns_the_service_section_alone(server):
    s, full, part = asyncio.run(_channel_choice(server))
    assert {"metric", "slider"} <= full.kinds()
    # Nothing outside the section came back: no KPI, no lever, no other chart.
    assert "metric" not in part.kinds() and "slider" not in part.kinds()
    assert {e.fragment_id for e in part.elements} == {s.fragments["view_channel"]}
    titles = _titles(part)
    assert "Mean first response, chat" in titles and "CSAT" in titles
    assert any("first response, chat, by customer region" in t for t in titles)
    assert not any("Cumulative extra cash" in t or "Churn" in t for t in titles)
    assert len(part.elements) < len(full.elements) / 3


async def _open_table(url: str):
    async with Session(url, DEEP_LINK) as s:
        full = await s.rerun({})
        title = "Monthly table (baseline and scenario)"
        key = f"_open_{title}"
        assert s.fragments[key]
        part = await s.rerun({key: ("bool_value", True)}, fragment_of=key)
        return full, part


def test_opening_a_table_builds_and_sends_that_table_alone(server):
    full, part = asyncio.run(_open_table(server))
    assert "metric" not in part.kinds() and "slider" not in part.kinds() and not _titles(part)
    assert not any(e.key.startswith("dl_csv_Monthly") for e in full.elements)        # closed: not built
    assert sum(e.kind == "dataframe" for e in part.elements) == 1
    assert [e.key for e in part.elements if e.kind == "download_button"] == [
        "dl_csv_Monthly table (baseline and scenario)"]


async def _lever_move(url: str):
    async with Session(url, DEEP_LINK) as s:
        await s.rerun({})
        before = s.npv
        moved = await s.rerun({"centre_headcount": ("double_array_value", [7.0])})
        return before, s.npv, moved


def test_a_lever_move_reruns_the_whole_case(server):
    before, after, moved = asyncio.run(_lever_move(server))
    assert after != before and {"metric", "slider"} <= moved.kinds()
    titles = _titles(moved)
    assert "Mean first response, email" in titles and "CSAT" in titles    # the open tab's charts, redrawn
    assert not any("Cumulative extra cash" in t or "Churn" in t for t in titles)   # closed tabs: not built
