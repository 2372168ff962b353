"""Files too large to upload, read from the server's disk in slices: the same table, problems and metrics as the same
rows uploaded, from CSV and from Parquet; files and paths outside the data folder are never read."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from intake.metrics.measures import measure
from intake.uploads import LargeFile, files_in, load, read_large
from tests.conftest import ROOT


def _awkward_export(rows: int = 30_000) -> pd.DataFrame:
    """A ticket export whose problems fall in different slices: unreadable dates, an id repeated far apart, replies
    before creation, day-first dates proven only in the first rows."""
    rng = np.random.default_rng(4)
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 200 * 24 * 60, rows), unit="min")
    frt = rng.lognormal(np.log(2.0), 1.0, rows)
    frame = pd.DataFrame({"Ticket ID": np.arange(1, rows + 1).astype(str),
                          "Created": created.strftime("%d/%m/%Y %H:%M"),
                          "First reply": (created + pd.to_timedelta(frt, unit="h")).strftime("%d/%m/%Y %H:%M"),
                          "Channel": rng.choice(["Email", "Chat"], rows),
                          "Rating": np.where(rng.random(rows) < 0.3, rng.choice(["Good", "Bad"], rows), "")})
    frame.loc[[5, 12_345, 29_000], "Created"] = "not a date"
    frame.loc[25_000, "Ticket ID"] = "7"                                  # repeats row 7, two slices away
    frame.loc[[100, 20_100], "First reply"] = "01/01/2023 00:00"          # before creation
    return frame


@pytest.fixture
def export(tmp_path) -> tuple[bytes, LargeFile, LargeFile]:
    frame = _awkward_export()
    csv = tmp_path / "tickets.csv"
    frame.to_csv(csv, index=False)
    parquet = tmp_path / "tickets.parquet"
    typed = frame.assign(Created=pd.to_datetime(frame["Created"], format="%d/%m/%Y %H:%M", errors="coerce"))
    pq.write_table(pa.Table.from_pandas(typed, preserve_index=False), parquet)
    return csv.read_bytes(), LargeFile.at(csv), LargeFile.at(parquet)


def test_a_large_csv_read_in_slices_is_the_same_table_with_the_same_problems_as_an_upload(export):
    content, csv, _ = export
    uploaded = load(content, "tickets.csv", table="tickets")
    sliced = read_large(csv, table="tickets", slice_rows=10_000)
    assert sliced.usable and sliced.source == "tickets.csv"
    pd.testing.assert_frame_equal(sliced.validated.frame, uploaded.validated.frame)
    said = sorted(p.text() for p in sliced.all_problems())
    assert said == sorted(p.text() for p in uploaded.all_problems())
    assert any(t.startswith("tickets.csv, column 'Created': 3 value(s) are not a date and time") for t in said)
    assert any("the ticket id repeats an earlier row's (row 25002)" in t for t in said)
    assert any("the first reply is before the ticket was created (rows 102, 20102)" in t for t in said)
    assert len(sliced.validated.frame) == 30_000 - 3 - 1


def test_a_parquet_export_gives_the_same_table_its_dates_taken_as_typed(export):
    _, csv, parquet = export
    from_csv = read_large(csv, table="tickets", slice_rows=10_000).validated.frame
    from_parquet = read_large(parquet, table="tickets", slice_rows=10_000)
    assert from_parquet.usable
    frame = from_parquet.validated.frame
    # the unreadable dates are missing in the typed file already: those rows are skipped as empty, not as unreadable
    assert len(frame) == len(from_csv)
    pd.testing.assert_frame_equal(frame.drop(columns="row"), from_csv.drop(columns="row"))
    assert any("'Created' is empty" in p.text() for p in from_parquet.all_problems())


def test_what_a_large_file_must_be_is_said(tmp_path):
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("Ticket ID;Created;Kanał\n1;2024-03-01 10:00;Poczta e-mail zażółć\n".encode("cp1250"))
    refused = read_large(LargeFile.at(legacy))
    assert not refused.usable and "must be UTF-8 CSV or Parquet" in refused.all_problems()[0].text()
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("id created\n1 2024-03-01\n2 2024-03-02\n", encoding="utf-8")
    assert "separates its columns by spaces" in read_large(LargeFile.at(spaced)).all_problems()[0].text()


def test_only_csv_and_parquet_files_directly_in_the_folder_are_listed(tmp_path):
    for name in ("b.parquet", "a.csv", "notes.pdf", "c.tsv"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.csv").write_bytes(b"x")
    assert [f.name for f in files_in(tmp_path)] == ["a.csv", "b.parquet", "c.tsv"]
    assert files_in(tmp_path / "missing") == []


@pytest.mark.slow
def test_a_million_tickets_measure_the_same_from_the_disk_and_uploaded_in_slices_as_read_whole(tmp_path, monkeypatch):
    import intake.uploads.large as large
    from bench.bench_uploads import export_frame
    path = tmp_path / "tickets.csv"
    export_frame(1_000_000).to_csv(path, index=False)
    data = path.read_bytes()
    assert len(data) >= large.SLICED_UPLOAD_BYTES
    in_slices = load(data, path.name, table="tickets")
    assert in_slices.raw.whole is data                                  # an upload this size is read in slices
    monkeypatch.setattr(large, "SLICED_UPLOAD_BYTES", 1 << 62)
    whole = load(data, path.name, table="tickets")
    assert whole.raw.whole is None
    expected = [dataclasses.astuple(f) for f in measure(whole.validated.frame).figures]
    sliced = measure(read_large(LargeFile.at(path), table="tickets", slice_rows=300_000).validated.frame)
    assert [dataclasses.astuple(f) for f in sliced.figures] == expected
    assert [dataclasses.astuple(f) for f in measure(in_slices.validated.frame).figures] == expected
    pd.testing.assert_frame_equal(in_slices.validated.frame, whole.validated.frame)


def test_a_large_reading_keeps_a_preview_of_the_first_slice_not_the_slice(export):
    """The column editor needs the columns and a sample of their text; the first slice's whole text was held to the
    end of the reading (a million rows of a large file)."""
    import intake.uploads.large as large
    _, csv, _ = export
    sliced = read_large(csv, table="tickets", slice_rows=10_000)
    assert list(sliced.raw.frame.columns) == ["Ticket ID", "Created", "First reply", "Channel", "Rating"]
    assert len(sliced.raw.frame) == large.PREVIEW_ROWS
    assert list(sliced.raw.row_numbers()[:3]) == [2, 3, 4]
    assert sliced.raw.frame["Ticket ID"].iloc[-1] == str(large.PREVIEW_ROWS)
    assert len(sliced.validated.frame) == 30_000 - 3 - 1            # every slice is still read


def test_slices_are_stacked_a_column_at_a_time_into_the_same_frame():
    from intake.uploads.large import stacked
    rng = np.random.default_rng(1)

    def part(start: int, n: int) -> pd.DataFrame:
        return pd.DataFrame({
            "ticket_id": pd.array([f"T{i}" for i in range(start, start + n)], dtype="string[pyarrow]"),
            "created": pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC") + pd.Timedelta(days=start),
            "first_response_h": rng.random(n), "replies": pd.array(rng.integers(0, 5, n), dtype="Int64"),
            "row": np.arange(start + 2, start + n + 2)})
    parts = [part(0, 5), part(5, 7), part(12, 3)]
    expected = pd.concat(parts, ignore_index=True)
    got = stacked(parts)
    assert parts == []                                              # the slices are let go as they are copied
    pd.testing.assert_frame_equal(got, expected)
    one = [part(0, 4)]
    assert stacked(one) is not None and one == []
    apart = [part(0, 3), part(3, 2).drop(columns="replies")]          # pandas aligns slices typed apart
    pd.testing.assert_frame_equal(stacked(apart.copy()), pd.concat(apart, ignore_index=True))


def test_a_file_on_the_servers_disk_is_not_offered_as_a_purchase_log(tmp_path, monkeypatch):
    """read_large reads the three tables; reading its preview as a purchase log would have used its first rows alone."""
    rows = [f"C{i},2024-{1 + i % 12:02d}-01,{'' if i % 3 else '2025-03-01'},{100 + i}" for i in range(300)]
    (tmp_path / "accounts.csv").write_text("Customer ID,Start date,End date,MRR\n" + "\n".join(rows) + "\n")
    monkeypatch.setenv("ROI_DATA_DIR", str(tmp_path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.switch_page("pages/5_Data.py").run()
    app.button(key="read_large_customers").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert not [r for r in app.radio if r.key == "customers_row_is"]
    said = " ".join(c.value for c in app.caption)
    assert "read from the server's disk as a customer table" in said


def test_the_data_page_lists_the_servers_files_and_reads_one(tmp_path, monkeypatch):
    from tests.uploads import tickets_csv
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.switch_page("pages/5_Data.py").run()
    said = " ".join(m.value for m in app.markdown)
    assert "ROI_DATA_DIR" in said                                    # no folder: what to do past 300 MB
    (tmp_path / "all_tickets.csv").write_bytes(tickets_csv(2_000))
    monkeypatch.setenv("ROI_DATA_DIR", str(tmp_path))
    app.run()
    assert app.selectbox(key="large_tickets").options == ["all_tickets.csv (0 MB)"]
    app.button(key="read_large_tickets").click().run()
    assert not app.exception, [e.value for e in app.exception]
    success = " ".join(s.value for s in app.success).replace("\\", "")
    assert "all_tickets.csv (on the server's disk): 2,000 of 2,000 rows kept" in success
    slot = app.session_state["_data"]["slots"]["tickets"]
    assert slot.in_use.source == "all_tickets.csv" and len(slot.in_use.validated.frame) == 2_000


def _parquet(path, frame: pd.DataFrame) -> LargeFile:
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return LargeFile.at(path)


def test_typed_parquet_columns_still_pair_check_and_keep_their_digits(tmp_path):
    from intake.uploads import Mapping
    days = pd.to_datetime(["2024-03-01", "2024-03-01", "2024-03-02"] * 20)
    frame = pd.DataFrame({"line": np.arange(60) % 2 + 1, "call": np.arange(60) // 2, "date": days,
                          "clock": ["07:00:00", "08:30:00", "23:59:00"] * 20,
                          "big_id": pd.array([10**18 + i for i in range(59)] + [None], dtype="Int64")})
    mapping = Mapping("tickets", (("ticket_id", "line"), ("created", "date")),
                      paired=(("ticket_id", "call"), ("created", "clock")))
    loaded = read_large(_parquet(tmp_path / "calls.parquet", frame), mapping=mapping, slice_rows=25)
    assert loaded.usable and len(loaded.validated.frame) == 60
    assert loaded.validated.frame["ticket_id"].iloc[1] == "2 / 0"
    assert loaded.validated.frame["created"].iloc[1] == pd.Timestamp("2024-03-01 08:30", tz="UTC")
    ids = read_large(_parquet(tmp_path / "ids.parquet", frame), mapping=Mapping(
        "tickets", (("ticket_id", "big_id"), ("created", "date"))), slice_rows=25)
    assert ids.validated.frame["ticket_id"].iloc[:2].tolist() == ["1000000000000000000", "1000000000000000001"]
    assert len(ids.validated.frame) == 59                              # the empty id skipped, none taken as repeats


def test_typed_parquet_money_is_checked_and_a_slice_without_good_rows_is_no_refusal(tmp_path):
    from intake.uploads import Mapping
    customers = pd.DataFrame({"customer": [f"c{i}" for i in range(102)],
                              "since": pd.to_datetime(["2024-01-01"] * 100 + [None, None]),
                              "mrr": [50.0] * 99 + [-5.0, 10.0, 10.0], "tags": [[1, 2]] * 102})
    loaded = read_large(_parquet(tmp_path / "customers.parquet", customers), slice_rows=50,
                        mapping=Mapping("customers", (("customer_id", "customer"), ("start", "since"), ("mrr", "mrr"))))
    assert loaded.usable and len(loaded.validated.frame) == 100          # the last slice lost both its rows
    said = " ".join(p.text() for p in loaded.all_problems())
    assert "1 value(s) are not a number (money: zero or more)" in said and "'Start' is empty (rows 102, 103)" in said
    assert any("Left out, as lists or records are no table's columns: tags." in n for n in loaded.validated.notes)


def test_a_damaged_or_ragged_csv_past_the_first_slice_is_said_not_raised(tmp_path, monkeypatch):
    import intake.uploads.large as large
    monkeypatch.setattr(large, "SAMPLE_BYTES", 4096)
    rows = "".join(f"{i},2024-03-01 10:00,email\n" for i in range(5_000))
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,created,channel\n" + rows + "5000,2024-03-02 10:00\n5001,2024-03-02,x,y\n", encoding="utf-8")
    loaded = read_large(LargeFile.at(ragged), table="tickets", slice_rows=1_000)
    assert loaded.usable and len(loaded.validated.frame) == 5_000
    assert any("2 record(s) have more or fewer fields than the header" in p.text() for p in loaded.all_problems())
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes(b"id,created,channel\n" + rows.encode() + "5000,2024-03-02 10:00,caf\xe9\n".encode("latin-1"))
    refused = read_large(LargeFile.at(damaged), table="tickets", slice_rows=1_000)
    said = refused.all_problems()[0].text()
    assert not refused.usable and "could not be read" in said and "must be UTF-8 throughout" in said
