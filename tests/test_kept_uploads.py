"""Kept files are read once for every session: by digest, reading options and time zone, never changed in place."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ui.cache
from store import Repository
from tests.test_data_pages import map_odd_headers
from tests.test_library_pages import _app, _metric, _repo
from tests.uploads import odd_headers_csv, tickets_csv

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("app.py", *(f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("*.py"))))


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """Counts of kept files read (``read_kept``) and kept bytes fetched from the store (``upload_content``)."""
    counts = {"read": 0, "fetched": 0}
    read, fetch = ui.cache.read_kept, Repository.upload_content

    def counting_read(*args, **kwargs):
        counts["read"] += 1
        return read(*args, **kwargs)

    def counting_fetch(self, *args, **kwargs):
        counts["fetched"] += 1
        return fetch(self, *args, **kwargs)

    monkeypatch.setattr(ui.cache, "read_kept", counting_read)
    monkeypatch.setattr(Repository, "upload_content", counting_fetch)
    return counts


def _keep_tickets(options: dict | None = None) -> str:
    repo = _repo()
    ws = repo.default_workspace()
    repo.put_upload(ws.id, "tickets", "tickets.csv", tickets_csv(), options or {})
    return ws.id


def test_a_second_session_reads_no_kept_file_again(counted):
    _keep_tickets()
    first = _app("pages/6_Metrics.py")
    assert not first.exception and counted == {"read": 1, "fetched": 1}
    second = _app("pages/6_Metrics.py")
    assert not second.exception and counted == {"read": 1, "fetched": 1}          # nothing read or fetched again
    label = "First response, median"
    assert _metric(second, label) == _metric(first, label)


def test_a_changed_reading_option_or_time_zone_reads_it_again(counted):
    ws_id = _keep_tickets()
    _app("pages/6_Metrics.py")
    assert counted["read"] == 1
    _repo().set_item(ws_id, "data_settings", {"tz": "Europe/Warsaw"})
    assert not _app("pages/6_Metrics.py").exception and counted["read"] == 2
    _app("pages/6_Metrics.py")
    assert counted["read"] == 2                                                    # and that reading is shared
    _repo().set_upload_options(ws_id, "tickets", {"mapping": None, "event_log": None, "roles": None})
    assert not _app("pages/6_Metrics.py").exception and counted["read"] == 3


def _fingerprint(frame: pd.DataFrame) -> tuple:
    return (tuple(frame.columns), tuple(map(str, frame.dtypes)), int(pd.util.hash_pandas_object(frame).sum()))


def test_no_page_changes_the_table_every_session_shares():
    ws_id = _keep_tickets()
    [head] = _repo().upload_heads(ws_id)
    shared = ui.cache.kept_table(head, "UTC", lambda: _repo().upload_content(ws_id, "tickets", head.sha256))
    before = (_fingerprint(shared.raw.frame), _fingerprint(shared.validated.frame))
    for page in PAGES:
        at = _app(page)
        assert not at.exception, page
    assert ui.cache.kept_table(head, "UTC", lambda: b"") is shared                 # the same object, not read again
    assert (_fingerprint(shared.raw.frame), _fingerprint(shared.validated.frame)) == before


def test_a_new_mapping_of_a_kept_file_is_kept_without_its_bytes(counted):
    at = _app("pages/5_Data.py")
    at.file_uploader(key="upload_tickets").set_value(("odd.csv", odd_headers_csv(), "text/csv"))
    map_odd_headers(at.run())
    [kept] = _repo().uploads(_repo().default_workspace().id)
    assert "Note" in kept.options["mapping"]
    fetched = counted["fetched"]
    again = _app("pages/5_Data.py")                         # a new session: the kept file, read with its columns
    assert not again.exception and counted["fetched"] == fetched + 1
    again.selectbox(key="map_tickets_rating").set_value("(not in the file)")
    again.button[[b.label for b in again.button].index("Use these columns")].click()
    again.run()
    assert not again.exception
    [now] = _repo().uploads(_repo().default_workspace().id)
    assert now.content == odd_headers_csv() and now.sha256 == kept.sha256
    assert now.options != kept.options and "Note" not in now.options["mapping"]
    assert counted["fetched"] == fetched + 1                # the new reading was kept without fetching the file
