"""A large upload read in slices of its bytes: the same table, problems and figures as the whole file read at once,
and a new mapping, time zone or kept reading reads the bytes again; what slices cannot read is read whole."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import intake.uploads.large as large
from intake.metrics.measures import measure
from intake.uploads import Mapping, load, options_of, read_kept, retype
from tests.conftest import ROOT
from ui.data_view import NOT_MAPPED
from tests.test_data_pages import TIMEOUT, _upload, use_columns
from tests.test_large_files import _awkward_export
from tests.uploads import event_log_csv


@pytest.fixture
def sliced_from_any_size(monkeypatch):
    """Every upload is "large", read in slices of 10,000 rows; ``whole`` reads one the old way for comparison."""
    monkeypatch.setattr(large, "SLICED_UPLOAD_BYTES", 0)
    monkeypatch.setattr(large, "UPLOAD_SLICE_ROWS", 10_000)


def _whole(data: bytes, name: str, **kwargs):
    saved = large.SLICED_UPLOAD_BYTES
    large.SLICED_UPLOAD_BYTES = 1 << 62
    try:
        return load(data, name, **kwargs)
    finally:
        large.SLICED_UPLOAD_BYTES = saved


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.validated.frame, b.validated.frame)
    assert sorted(p.text() for p in a.all_problems()) == sorted(p.text() for p in b.all_problems())
    assert ([dataclasses.astuple(f) for f in measure(a.validated.frame).figures]
            == [dataclasses.astuple(f) for f in measure(b.validated.frame).figures])
    assert (a.table, a.mapping, a.source) == (b.table, b.mapping, b.source)


CONTENT = _awkward_export().to_csv(index=False).encode()


def test_a_large_upload_read_in_slices_is_the_whole_readings_table_problems_and_figures(sliced_from_any_size):
    sliced = load(CONTENT, "tickets.csv")
    whole = _whole(CONTENT, "tickets.csv")
    assert sliced.usable and sliced.raw.whole is CONTENT                       # the bytes, not a copy
    assert len(sliced.raw.frame) == large.PREVIEW_ROWS and whole.raw.whole is None
    _same(sliced, whole)
    assert len(sliced.validated.frame) == 30_000 - 3 - 1
    assert sliced.source is None                                               # an upload, not a server file


def test_a_new_mapping_or_time_zone_reads_the_bytes_again(sliced_from_any_size):
    sliced, whole = load(CONTENT, "tickets.csv"), _whole(CONTENT, "tickets.csv")
    mapping = Mapping("tickets", (("ticket_id", "Ticket ID"), ("created", "First reply"), ("channel", "Channel")))
    again, reference = retype(sliced.raw, mapping=mapping), retype(whole.raw, mapping=mapping)
    assert again.raw.whole is CONTENT and len(again.validated.frame) > 29_000
    _same(again, reference)
    _same(retype(sliced.raw, table="tickets", mapping=sliced.mapping, assume_tz="Asia/Tokyo"),
          retype(whole.raw, table="tickets", mapping=whole.mapping, assume_tz="Asia/Tokyo"))
    kept = read_kept(CONTENT, "tickets.csv", "tickets", options_of(again), "UTC")
    assert kept.raw.whole is CONTENT
    _same(kept, reference)


def test_a_mapping_that_cannot_read_any_row_is_refused_with_the_preview_kept(sliced_from_any_size):
    wrong = Mapping("tickets", (("ticket_id", "Ticket ID"), ("created", "Channel")))
    refused = load(CONTENT, "tickets.csv", table="tickets", mapping=wrong)
    assert not refused.usable and refused.raw.whole is CONTENT
    assert not _whole(CONTENT, "tickets.csv", table="tickets", mapping=wrong).usable
    assert retype(refused.raw, table="tickets").usable                          # a new mapping reads it all again


def test_what_slices_cannot_read_is_read_whole(sliced_from_any_size):
    ragged = CONTENT.replace(b"\n12,", b"\n12,lone\n12b,", 1)                  # a record with two fields of five
    loaded = load(ragged, "ragged.csv")
    assert loaded.raw.whole is None and loaded.usable                          # kept as an upload keeps it
    assert len(loaded.validated.frame) == len(_whole(ragged, "ragged.csv").validated.frame)
    cp1250 = "Zgłoszenie,Utworzono,Kanał\n" + "".join(f"{i},2024-03-0{1 + i % 9} 10:00,e-mail\n" for i in range(50))
    polish = load(cp1250.encode("cp1250"), "pl.csv", table="tickets")
    assert polish.raw.whole is None and polish.raw.encoding == "cp1250"
    events = load(event_log_csv(), "events.csv")
    assert events.event_log is not None and events.raw.whole is None


def test_a_purchase_log_preview_is_read_whole(sliced_from_any_size):
    rng = np.random.default_rng(2)
    orders = pd.DataFrame({"Customer": rng.integers(1, 300, 20_000), "Order date": pd.Timestamp("2024-01-01")
                           + pd.to_timedelta(rng.integers(0, 365, 20_000), unit="D"),
                           "Amount": rng.uniform(5, 80, 20_000).round(2)})
    data = orders.to_csv(index=False).encode()
    customers = load(data, "orders.csv", table="customers")
    assert customers.purchase_log is not None and customers.raw.whole is None
    assert int(customers.validated.frame["purchases"].sum()) == 20_000


def test_the_data_page_reads_a_large_upload_in_slices_and_maps_it_again(monkeypatch):
    monkeypatch.setattr(large, "SLICED_UPLOAD_BYTES", 100_000)
    monkeypatch.setattr(large, "UPLOAD_SLICE_ROWS", 10_000)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/5_Data.py").run()
    at = _upload(at, "tickets", "tickets.csv", CONTENT)
    assert not at.exception, [e.value for e in at.exception]
    slot = at.session_state["_data"]["slots"]["tickets"]
    assert slot.in_use.raw.whole is not None and len(slot.in_use.validated.frame) == 30_000 - 4
    at = use_columns(at, map_tickets_channel=NOT_MAPPED)
    assert not at.exception, [e.value for e in at.exception]
    slot = at.session_state["_data"]["slots"]["tickets"]
    assert "channel" not in dict(slot.in_use.mapping.columns) and "channel" not in slot.in_use.validated.frame
    assert slot.in_use.raw.whole is not None and len(slot.in_use.validated.frame) == 30_000 - 4


@pytest.mark.parametrize("gap", [b"\n\n", b"\n,,,,\n", b"\n\r\n"])
def test_a_blank_line_or_record_keeps_the_whole_readings_row_numbers(sliced_from_any_size, gap):
    """Read whole, a blank row is left out and the rows after it keep their spreadsheet numbers."""
    gapped = CONTENT.replace(b"\n20000,", gap + b"20000,", 1)
    loaded = load(gapped, "gapped.csv")
    assert loaded.raw.whole is None
    _same(loaded, _whole(gapped, "gapped.csv"))
    assert 20_002 in loaded.validated.frame["row"].to_numpy()           # its record is the file's row 20,002


def test_a_note_each_slice_repeats_with_its_own_example_is_said_once(sliced_from_any_size):
    days = pd.date_range("2024-01-01", periods=30_000, freq="17min")
    frame = pd.DataFrame({"Ticket ID": range(1, 30_001), "Created at": days.strftime("%d/%m/%Y %H:%M"),
                          "Solved at": (days + pd.Timedelta(hours=5)).strftime("%d/%m/%Y %H:%M")})
    sliced = load(frame.to_csv(index=False).encode(), "uk.csv", table="tickets")
    assert sliced.usable and len(sliced.validated.frame) == 30_000
    orders = [n for n in sliced.validated.notes if "day first" in n]
    assert [n.split(":")[0] for n in orders] == ["Created at", "Solved at"], sliced.validated.notes
    whole = _whole(frame.to_csv(index=False).encode(), "uk.csv", table="tickets")
    assert orders == [n for n in whole.validated.notes if "day first" in n]       # the first slice's examples


def test_notes_of_different_columns_are_never_merged():
    notes: list[str] = []
    large._add_notes(notes, ("Minutes to reply: numbers read as minutes",
                             "Minutes to reply (business hours): numbers read as minutes",
                             "Created at: day first (14/04/2024 08:25); times without zone read in Europe/London"))
    large._add_notes(notes, ("Created at: day first (27/03/2024 16:22); times without zone read in Europe/London",
                             "Solved at: month first (04/13/2024 10:00)"))
    assert notes == ["Minutes to reply: numbers read as minutes",
                     "Minutes to reply (business hours): numbers read as minutes",
                     "Created at: day first (14/04/2024 08:25); times without zone read in Europe/London",
                     "Solved at: month first (04/13/2024 10:00)"]


def test_a_column_of_moments_under_a_duration_header_is_read_so_in_slices_too(sliced_from_any_size):
    rows = "".join(f"{i},2024-01-{1 + i % 28:02d} 07:15,2024-01-{1 + i % 28:02d} 09:45\n" for i in range(1, 25_001))
    data = ("Ticket Id,Created Time,First Response Time\n" + rows).encode()
    sliced, whole = load(data, "zoho.csv", table="tickets"), _whole(data, "zoho.csv", table="tickets")
    _same(sliced, whole)
    assert sliced.mapping.as_dict()["first_reply"] == "First Response Time"
    assert sliced.validated.frame["first_response_h"].eq(2.5).all()
