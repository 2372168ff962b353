"""intake.uploads.read: a corpus of awkward uploads, each read exactly or refused by name, plus round trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from intake.uploads import read as read_module
from intake.uploads.read import MAX_UPLOAD_BYTES, RawTable, ReadError, read_table, sheet_names

FAST = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def cells(table: RawTable) -> dict[str, list[str | None]]:
    """The frame as {column: [cell or None]}, so that <NA> compares plainly."""
    return {c: [None if pd.isna(v) else v for v in table.frame[c]] for c in table.frame.columns}


def refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(ReadError) as info:
        read_table(data, name, **kwargs)
    message = str(info.value)
    assert name in message
    assert "Traceback" not in message and "Error" not in message
    return message


# --- delimiters and quoting -----------------------------------------------------------------

def test_semicolons_with_decimal_commas_and_quoted_semicolon() -> None:
    data = 'Datum;Betrag;Text\n01.03.2024;1.234,50;"a;b"\n02.03.2024;12,5;x\n'.encode()
    table = read_table(data, "export.csv")
    assert table.delimiter == ";"
    assert table.encoding == "utf-8"
    assert cells(table) == {"Datum": ["01.03.2024", "02.03.2024"], "Betrag": ["1.234,50", "12,5"],
                            "Text": ["a;b", "x"]}
    assert "Columns separated by semicolons." in table.notes


def test_semicolon_file_where_every_row_has_decimal_commas() -> None:
    table = read_table(b"a;b\n1,5;2,5\n3,5;4,5\n", "eu.csv")
    assert table.delimiter == ";"
    assert cells(table) == {"a": ["1,5", "3,5"], "b": ["2,5", "4,5"]}


def test_commas_inside_quoted_fields_do_not_fool_the_sniffer() -> None:
    data = b'id,subject,amount\n1,"Hello, world; hi | there",5\n2,"a,b,c,d",6\n'
    table = read_table(data, "t.csv")
    assert table.delimiter == ","
    assert cells(table) == {"id": ["1", "2"], "subject": ["Hello, world; hi | there", "a,b,c,d"],
                            "amount": ["5", "6"]}


@pytest.mark.parametrize("delimiter", ["\t", "|"])
def test_tab_and_pipe(delimiter: str) -> None:
    data = delimiter.join(["Ticket", "Channel", "Note"]).encode() + b"\r\n" + \
        delimiter.join(["7", "Chat", "a, b; c"]).encode() + b"\r\n"
    table = read_table(data, "t.tsv")
    assert table.delimiter == delimiter
    assert cells(table) == {"Ticket": ["7"], "Channel": ["Chat"], "Note": ["a, b; c"]}


def test_quoted_newlines_and_doubled_quotes() -> None:
    data = b'id,text,n\n1,"line one\nline two",2\n3,"crlf\r\nkept","he said ""hi"""\n'
    table = read_table(data, "q.csv")
    assert cells(table) == {"id": ["1", "3"], "text": ["line one\nline two", "crlf\r\nkept"],
                            "n": ["2", 'he said "hi"']}


def test_old_mac_line_endings() -> None:
    assert cells(read_table(b"a,b\r1,2\r3,4\r", "mac.csv")) == {"a": ["1", "3"], "b": ["2", "4"]}


def test_single_column_keeps_commas_in_values() -> None:
    table = read_table(b"name\nDoe, John\nSmith\n", "names.csv")
    assert cells(table) == {"name": ["Doe, John", "Smith"]}


# --- blank lines, headers, columns ----------------------------------------------------------

def test_blank_lines_at_top_middle_and_end_are_skipped() -> None:
    data = b"\n\r\n  \na,b\n1,2\n\n   \n,\n3,4\n\n\n"
    table = read_table(data, "gaps.csv")
    assert cells(table) == {"a": ["1", "3"], "b": ["2", "4"]}
    assert "8 blank lines skipped." in table.notes


def test_empty_cells_are_na_and_the_dtype_is_string() -> None:
    table = read_table(b'a,b,c\n1,,"x"\n,"",3\n', "na.csv")
    assert cells(table) == {"a": ["1", None], "b": [None, None], "c": ["x", "3"]}
    for column in table.frame.columns:
        assert isinstance(table.frame[column].dtype, pd.StringDtype)
        assert table.frame[column].dtype.na_value is pd.NA


def test_header_names_are_stripped_and_duplicates_numbered() -> None:
    table = read_table(b" Name ,Name,Name 2, Name\n1,2,3,4\n", "dup.csv")
    assert list(table.frame.columns) == ["Name", "Name 3", "Name 2", "Name 4"]
    assert cells(table)["Name 3"] == ["2"]
    assert any("Name 3" in note for note in table.notes)


def test_trailing_delimiters_make_no_empty_columns() -> None:
    table = read_table(b"a;b;c;\n1;2;3;\n4;5;6;\n", "trail.csv")
    assert cells(table) == {"a": ["1", "4"], "b": ["2", "5"], "c": ["3", "6"]}
    only_rows = read_table(b"a;b;c\n1;2;3;\n4;5;6;;\n", "trail2.csv")
    assert cells(only_rows) == {"a": ["1", "4"], "b": ["2", "5"], "c": ["3", "6"]}


def test_trailing_delimiter_on_the_header_only() -> None:
    table = read_table(b"a;b;c;\n" + b"1;2;3\n" * 5, "hdr-trail.csv")
    assert cells(table) == {"a": ["1"] * 5, "b": ["2"] * 5, "c": ["3"] * 5}
    assert not any("fewer fields" in note for note in table.notes)


def test_excel_sep_line_names_the_delimiter() -> None:
    table = read_table(b"sep=;\r\na;b\r\n1,5;2\r\n", "excel.csv")
    assert table.delimiter == ";"
    assert cells(table) == {"a": ["1,5"], "b": ["2"]}


def test_unnamed_column_with_data_gets_a_name() -> None:
    table = read_table(b"a,,c\n1,2,3\n", "unnamed.csv")
    assert list(table.frame.columns) == ["a", "Column 2", "c"]


def test_header_only_is_an_empty_table_with_a_note() -> None:
    table = read_table(b"Ticket id;Created;Channel\r\n", "header.csv")
    assert list(table.frame.columns) == ["Ticket id", "Created", "Channel"]
    assert len(table.frame) == 0
    assert any("no data rows" in note for note in table.notes)


# --- ragged rows ----------------------------------------------------------------------------

def test_a_few_overfull_rows_are_left_out_and_named() -> None:
    rows = ["a,b,c"] + [f"{i},x,y" for i in range(300)]
    rows[16] = "15,x,y,EXTRA"  # row 17 as a spreadsheet counts (header = row 1)
    rows[89] = "88,x,y,EXTRA,MORE"
    table = read_table(("\n".join(rows) + "\n").encode(), "ragged.csv")
    assert len(table.frame) == 298
    assert "15" not in set(table.frame["a"]) and "88" not in set(table.frame["a"])
    note = next(n for n in table.notes if "more fields" in n)
    assert "rows 17 and 90" in note.lower() and "4 or 5 instead of 3" in note


def test_many_overfull_rows_refuse_the_file_naming_rows() -> None:
    data = b"a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n11,12,13,14\n"
    message = refused(data, "bad.csv")
    assert "rows 3 and 5 have more fields than the header (4 instead of 3)" in message


def test_at_most_five_rows_are_named() -> None:
    data = b"a,b\n" + b"1,2,3\n" * 9
    message = refused(data, "wide.csv")
    assert "rows 2, 3, 4, 5, 6 (and 4 more)" in message


def test_short_rows_are_padded_with_empty_cells() -> None:
    data = b"a,b,c\n1,2,3\n4,5\n" + b"7,8,9\n" * 10
    table = read_table(data, "short.csv")
    assert cells(table)["c"][:2] == ["3", None]
    assert any("1 row has fewer fields" in note for note in table.notes)


def test_clean_files_take_the_fast_path(monkeypatch) -> None:
    def careful(*args, **kwargs):
        raise AssertionError("the careful path was used")

    monkeypatch.setattr(read_module, "_parse_careful", careful)
    table = read_table(b'\na,b\n1,"x\ny"\n\n2,"z"\n', "clean.csv")
    assert cells(table) == {"a": ["1", "2"], "b": ["x\ny", "z"]}


# --- encodings ------------------------------------------------------------------------------

def test_utf8_bom() -> None:
    table = read_table("\ufeffTicket id,Kanał\n1,Czat\n".encode(), "bom.csv")
    assert table.encoding == "utf-8-sig"
    assert list(table.frame.columns) == ["Ticket id", "Kanał"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    text = "Имя\tGröße\nЁж\t3\n"
    data = text.encode(codec) if codec == "utf-16" else b"\xfe\xff" + text.encode(codec)
    table = read_table(data, "u16.txt")
    assert table.encoding == "utf-16"
    assert cells(table) == {"Имя": ["Ёж"], "Größe": ["3"]}


def test_cp1251_cyrillic() -> None:
    text = "Дата создания;Канал;Тема\n01.03.2024 10:00;Почта;Не могу войти\n02.03.2024 11:00;Чат;Возврат денег\n"
    table = read_table(text.encode("cp1251"), "выгрузка.csv")
    assert table.encoding == "cp1251"
    assert cells(table) == {"Дата создания": ["01.03.2024 10:00", "02.03.2024 11:00"],
                            "Канал": ["Почта", "Чат"], "Тема": ["Не могу войти", "Возврат денег"]}
    assert "Read as Windows-1251 (Cyrillic)." in table.notes


@pytest.mark.parametrize("text", [
    "Źródło;Miasto;Kwota\nE-mail;Łódź;1 234,50\nTelefon;Kraków;12,00\n",
    "Klient;Miasto;Uwagi\nJan Kowalski;Łódź;Błąd przy płatności\nAnna Nowak;Częstochowa;Prośba o zwrot\n",
    "Csatorna;Város\nTelefon;Győr\nE-mail;Hódmezővásárhely\n",
    "Zákazník;Město;Poznámka\nPetr Dvořák;Plzeň;Čekám na vrácení peněz\n",
])
def test_cp1250_central_european(text: str) -> None:
    table = read_table(text.encode("cp1250"), "export.csv")
    assert table.encoding == "cp1250"
    assert table.frame.to_csv(sep=";", index=False, lineterminator="\n") == text


def test_cp1252_with_euro_sign() -> None:
    text = "Produit;Prix;Note\nCafé;€ 1.234,50;“très bien” – merci\nCrème brûlée;€ 3,20;ok\n"
    table = read_table(text.encode("cp1252"), "prix.csv")
    assert table.encoding == "cp1252"
    assert cells(table) == {"Produit": ["Café", "Crème brûlée"], "Prix": ["€ 1.234,50", "€ 3,20"],
                            "Note": ["“très bien” – merci", "ok"]}


@pytest.mark.parametrize("text", [
    "Nome;Città\nJoão;São Paulo\nZoë;Ñandú\n",
    "Kunde;Stadt;Bemerkung\nJürgen Müller;Köln;Rückerstattung für Bestellung\nGrete Weiß;München;Sehr zufrieden\n",
    "Client;Ville\nÉlodie Dupont;Genève\nFrançois Lefèvre;Besançon\n",
])
def test_latin1_western_european(text: str) -> None:
    table = read_table(text.encode("latin-1"), "latin.csv")
    assert table.encoding == "latin-1"  # ISO-8859-1 only: no byte in 0x80-0x9F
    assert table.frame.to_csv(sep=";", index=False, lineterminator="\n") == text


def test_mostly_utf8_with_one_foreign_byte_stays_utf8() -> None:
    data = "Name;Ville\nZoë;Zürich\nAnna;Łódź\n".encode() + "Café;x\n".encode("cp1252")
    table = read_table(data, "mixed.csv")
    assert table.encoding == "utf-8"
    assert cells(table)["Ville"] == ["Zürich", "Łódź", "x"]
    assert cells(table)["Name"][2] == "Caf\ufffd"
    assert any("could not be read as UTF-8" in note for note in table.notes)


# --- refusals -------------------------------------------------------------------------------

def test_zero_bytes() -> None:
    assert "is empty" in refused(b"", "nothing.csv")


def test_only_blank_lines() -> None:
    assert "only blank lines" in refused(b"\n\r\n   \n\t\n", "blank.csv")


def test_random_bytes() -> None:
    data = random.Random(20240301).randbytes(4096)
    assert "is not a text table (CSV/TSV) or an Excel workbook" in refused(data, "random.csv")


@pytest.mark.parametrize(("data", "name"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "screenshot.png"),
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "exports.csv"),
    (b"PK\x03\x04" + bytes(60), "archive.zip"),
])
def test_images_pdfs_and_other_zips(data: bytes, name: str) -> None:
    assert "is not a text table (CSV/TSV) or an Excel workbook" in refused(data, name)


def test_a_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "is not a text table" in refused(buffer.getvalue(), "tickets.xlsx")


def test_old_excel_is_refused_with_what_to_do() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    message = refused(ole, "tickets.xls")
    assert ".xls" in message and ".xlsx or CSV" in message
    assert ".xlsx or CSV" in refused(random.Random(3).randbytes(2048), "other.xls")


def test_html_saved_as_a_table_is_refused() -> None:
    assert "web page" in refused(b"<!DOCTYPE html><html><table><tr><td>1</td></tr></table>", "t.xls")


def test_over_the_size_limit() -> None:
    assert "is 150 bytes; the limit is 100 bytes" in refused(b"a,b\n" + b"1,2\n" * 36 + b"12", "big.csv",
                                                              max_bytes=100)
    three_mb = b"a\n" + b"1\n" * (3 * 1024 * 1024 // 2)
    assert "is 3 MB (3,145,730 bytes); the limit is 2 MB (2,097,152 bytes)" in refused(three_mb, "tickets.csv",
                                                                                      max_bytes=2 * 1024 * 1024)
    # the server takes up to maxUploadSize = 300 MiB, and so does a browser on Windows (others stop at 300,000,000
    # bytes): whatever reaches the reader is read, never refused for its size by a different count
    assert MAX_UPLOAD_BYTES == 300 * 1024 * 1024
    assert read_module._size_text(412 * 1024 * 1024) == "412 MB"


def test_text_without_line_breaks_is_refused_at_once_naming_the_limit() -> None:
    import time
    for data in (b"x" * 20_000_000, b"a," * 10_000_000, b"id,text\n1," + b"y" * 20_000_000 + b"\n2,z\n"):
        start = time.perf_counter()
        message = refused(data, "one-line.csv")
        assert time.perf_counter() - start < 2.0       # it held a server thread 71 s before the limit
        assert "8 MB or more of text without a line break" in message
    long_row = b"id,text\n1," + b"y" * 7_000_000 + b"\n2,z\n"   # a long cell under the limit is still read
    assert len(read_table(long_row, "long.csv").frame) == 2


def test_cells_are_counted_by_records_and_named_columns_not_lines_or_empty_trailing_fields() -> None:
    """A ticket export whose descriptions hold line breaks, and Excel's "Save as CSV" of a wide used range, are
    read (the first was taken for 122 million cells, the second refused for 2,503 columns)."""
    body = "".join(f'{i},"line one\nline two\nline three\nline four\nline five",Mail\n' for i in range(400_000))
    quoted = ("id,description,channel\n" + body).encode()
    assert read_table(quoted, "tickets.csv").frame.shape == (400_000, 3)
    wide = ("id,created,channel" + "," * 2_500 + "\n" + ("1,2024-01-01,Mail" + "," * 2_500 + "\n") * 100).encode()
    assert read_table(wide, "wide.csv").frame.shape == (100, 3)


def test_too_many_columns_or_a_header_cell_too_long_is_refused_naming_the_limit() -> None:
    wide = (",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" for _ in range(100_000)) + "\n").encode()
    message = refused(wide, "wide.csv")
    assert "columns; at most 2,000 are read" in message and "has at least" in message
    narrow_enough = (",".join(f"c{i}" for i in range(2_000)) + "\n" + ",".join("1" for _ in range(2_000))).encode()
    assert read_table(narrow_enough, "ok.csv").frame.shape == (1, 2_000)
    many = (",".join(f"c{i}" for i in range(1_500)) + "\n" + ("1," * 1_499 + "1\n") * 30_000).encode()   # 45M cells
    assert read_table(many, "many.csv").frame.shape == (30_000, 1_500)
    message = refused(many + ("1," * 1_499 + "1\n").encode() * 20_000, "more.csv")          # 75M cells
    assert re.search(r"holds about 7\d million cells \(1,500 columns\); at most 60 million are read", message)
    message = refused(b"z" * 5_000 + b"\n1\n", "header.csv")
    assert "a cell of 5,000 characters, and a column name has at most 1,000" in message


# --- Excel workbooks ------------------------------------------------------------------------

def workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"  # empty first sheet
    ws = wb.create_sheet("Tickets")
    ws.append(["Ticket id", " Created ", "Handle (h)", "Replies", "Name", None])
    ws.append([101, dt.datetime(2024, 3, 1, 14, 5, 7), 2.5, 3.0, "Zoë", None])
    ws.append([None, None, None, None, None, None])
    ws.append([102, dt.datetime(2024, 3, 2, 9, 0, 0, 250000), 0.1 + 0.2, 7, None, None])
    ws.append([103, dt.date(2024, 3, 3), 1e-7, -4.0, True, None])
    other = wb.create_sheet("KPIs")
    other.append(["Month", "Tickets"])
    other.append(["2024-03", 1200])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_non_empty_sheet_with_typed_cells_as_text() -> None:
    table = read_table(workbook_bytes(), "tickets.xlsx")
    assert (table.encoding, table.delimiter, table.sheet) == ("xlsx", None, "Tickets")
    assert cells(table) == {
        "Ticket id": ["101", "102", "103"],
        "Created": ["2024-03-01 14:05:07", "2024-03-02 09:00:00.250", "2024-03-03"],   # a cell formatted as a date
        "Handle (h)": ["2.5", "0.3", "0.0000001"],
        "Replies": ["3", "7", "-4"],
        "Name": ["Zoë", None, "TRUE"],
    }
    assert "1 empty row skipped." in table.notes


def test_xlsx_named_sheet_names_and_detection_by_content() -> None:
    data = workbook_bytes()
    assert sheet_names(data) == ("Notes", "Tickets", "KPIs")
    kpis = read_table(data, "book.xlsm", sheet="KPIs")
    assert cells(kpis) == {"Month": ["2024-03"], "Tickets": ["1200"]}
    assert read_table(data, "download.csv").sheet == "Tickets"  # a workbook whatever its name
    assert "no sheet named 'Nope'" in refused(data, "book.xlsx", sheet="Nope")
    assert "is empty" in refused(data, "book.xlsx", sheet="Notes")
    with pytest.raises(ReadError):
        sheet_names(b"a,b\n1,2\n")


def test_xlsx_header_only_and_all_empty() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    buffer = io.BytesIO()
    wb.save(buffer)
    table = read_table(buffer.getvalue(), "h.xlsx")
    assert list(table.frame.columns) == ["a", "b"] and table.frame.empty
    empty = io.BytesIO()
    openpyxl.Workbook().save(empty)
    assert "every sheet is empty" in refused(empty.getvalue(), "e.xlsx")


def test_text_named_like_a_workbook_is_read_with_a_note() -> None:
    table = read_table(b"a\tb\n1\t2\n", "export.xls")
    assert cells(table) == {"a": ["1"], "b": ["2"]}
    assert any("named like an Excel workbook" in note for note in table.notes)


# --- round trips ----------------------------------------------------------------------------

_OTHER_DELIMITERS = {d: "".join(c for c in ",;\t|" if c != d) for d in ",;\t|"}
_ASCII = "abcXYZ019 .-:/'\"\n"
# Letters of Western European text whose Windows-1250 reading is the same or clearly less likely
# (ñ / ń); è, ê, à ... against č, ę, ŕ need more than one word of evidence, which the corpus
# tests above give in realistic sentences.
_WESTERN = "éüöäßáíóúçÉÜÖÄñ“”"


def _western_text(alphabet: str) -> st.SearchStrategy[str]:
    """Windows-1252 text as people write it: accented letters inside words that have ASCII letters
    too (a word made only of accented letters reads just as well as Cyrillic, e.g. "ñó" / "су")."""
    letters = st.text("abcdeXYZ", min_size=1, max_size=3)
    word = st.builds(lambda a, accent, b: a + accent + b, letters, st.text(_WESTERN, max_size=2),
                     st.text("abcdeXYZ", max_size=3))
    other = st.text(alphabet, max_size=6).filter(lambda c: c == "" or c.strip() != "")
    return st.lists(st.one_of(word, other, st.just("€")), max_size=3).map(" ".join).filter(
        lambda c: c == "" or c.strip() != "")


def _cell(alphabet: str, western: bool) -> st.SearchStrategy[str]:
    text = _western_text(alphabet) if western else \
        st.text(alphabet, max_size=12).filter(lambda c: c == "" or c.strip() != "")
    numbers = st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}")
    dates = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2060, 1, 1)).map(lambda d: d.strftime("%d.%m.%Y %H:%M"))
    return st.one_of(text, numbers, dates, st.integers(-10**9, 10**9).map(str))


@st.composite
def tables(draw) -> tuple[list[str], list[list[str]], str, str, int, str]:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    western = encoding == "cp1252"
    extra = "Дата Ёж€ńő" if not western else ""
    alphabet = "".join(c for c in _ASCII + extra + delimiter if c not in _OTHER_DELIMITERS[delimiter])
    width = draw(st.integers(2, 5))
    one_line = alphabet.replace("\n", "")
    header_text = _western_text(one_line) if western else st.text(one_line, max_size=8)
    names = draw(st.lists(header_text.map(str.strip).filter(bool), min_size=width, max_size=width, unique=True))
    rows = draw(st.lists(st.lists(_cell(alphabet, western), min_size=width, max_size=width)
                         .filter(lambda r: any(r)), max_size=6))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    terminator = draw(st.sampled_from(["\n", "\r\n"]))
    return names, rows, delimiter, encoding, quoting, terminator


@FAST
@given(tables())
def test_random_tables_round_trip(case) -> None:
    names, rows, delimiter, encoding, quoting, terminator = case
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    writer.writerow(names)
    writer.writerows(rows)
    text = buffer.getvalue()
    assume(text.strip())
    data = text.encode(encoding)
    if encoding == "cp1252" and not text.isascii():
        # "Ä“" is C4 93 in Windows-1252, which is also UTF-8 for "ē": bytes valid as UTF-8 are UTF-8 to any reader
        # (a header-only file has nothing else to tell them apart).
        try:
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    table = read_table(data, "random.csv")
    assert list(table.frame.columns) == names
    assert cells(table) == {n: [r[i] or None for r in rows] for i, n in enumerate(names)}
    assert table.delimiter == delimiter
    if text.isascii():
        assert table.encoding == ("utf-8-sig" if encoding == "utf-8-sig" else "utf-8")
    elif encoding == "cp1252":
        assert table.encoding in ("cp1252", "latin-1")
    else:
        assert table.encoding == encoding


def test_columns_separated_by_runs_of_spaces():
    data = (b"customer  date        amount\nC-1  2024-01-03  120.50\nC-2  2024-01-05   99.00\n"
            b"  C-1  2024-02-03  120.50  \n\nC-3 2024-02-09 15\n")
    table = read_table(data, "purchases.txt")
    assert list(table.frame.columns) == ["customer", "date", "amount"]
    assert table.frame["amount"].tolist() == ["120.50", "99.00", "120.50", "15"]
    assert "Columns separated by spaces." in table.notes
    assert table.row_numbers().tolist() == [2, 3, 4, 6]               # the file's own lines, blank one skipped
    # one field in the header: not split on spaces; a quoted value keeps its spaces, a doubled quote its quote
    assert read_table(b"note\nhello world\nfine thanks\n", "notes.txt").frame.shape == (2, 1)
    quoted = read_table(b'a b c\n"x y" z ""\n"p ""q"" r" s "t"\n', "q.txt").frame
    assert quoted["a"].tolist() == ["x y", 'p "q" r'] and quoted["b"].tolist() == ["z", "s"]
    assert quoted["c"].isna().tolist() == [True, False] and quoted["c"].iloc[1] == "t"


def test_xlsx_columns_of_one_kind_and_of_mixed_kinds_read_as_their_cells_show():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "opened", "minutes", "note"])
    ws.append(["A-1", dt.datetime(2024, 3, 1, 0, 0), 12.0, None])          # a midnight: the date alone
    ws.append([2, dt.datetime(2024, 3, 1, 14, 5, 7, 123000), None, "x"])
    ws.append([3.5, None, 1e-7, 4])
    buffer = io.BytesIO()
    wb.save(buffer)
    table = read_table(buffer.getvalue(), "mixed.xlsx")
    assert cells(table) == {"id": ["A-1", "2", "3.5"], "opened": ["2024-03-01", "2024-03-01 14:05:07.123", None],
                            "minutes": ["12", None, "0.0000001"], "note": [None, "x", "4"]}


def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row>" + "0" * 60_000_000 + "</row>")   # packs to ~60 kB
    bomb = buffer.getvalue()
    assert len(bomb) < 200_000
    with pytest.raises(ReadError, match=r"bomb.xlsx unpacks to 57 MB from .*: more than a workbook of cells does"):
        read_table(bomb, "bomb.xlsx")


def test_a_customer_tables_currency_column_is_noted_and_weighed_against_the_case():
    """Stripe's subscription export writes its amounts bare and their currency in 'Currency'."""
    from intake.uploads import Mapping, load
    loaded = load(b"customer_id,start,mrr,Currency\nC1,2024-01-01,100,usd\nC2,2024-02-01,200,PLN\n", "subs.csv",
                  table="customers")
    assert "Currency: amounts in (PLN, USD)" in loaded.validated.notes
    assert loaded.foreign_amounts("USD") == (("Currency", ("PLN",), True),)
    assert loaded.foreign_amounts("EUR") == (("Currency", ("PLN", "USD"), True),)
    marked = load(b"customer_id,start,mrr\nC1,2024-01-01,100 z\xc5\x82\n", "k.csv", table="customers")
    assert marked.foreign_amounts("EUR") == (("mrr", ("zł",), False),) and marked.foreign_amounts("PLN") == ()
    chosen = (("customer_id", "customer_id"), ("start", "start"), ("mrr", "MRR: net"))
    colon = load("customer_id,start,MRR: net\nC1,2024-01-01,100 zł\n".encode(), "c.csv", table="customers",
                 mapping=Mapping("customers", chosen))
    assert colon.foreign_amounts("USD") == (("MRR: net", ("zł",), False),)   # a header may hold ": " itself
    worded = load("customer_id,start,mrr\nC1,2024-01-01,40\nC2,2024-01-02,left\nC3,2024-01-03,Neuro\n".encode(),
                  "w.csv", table="customers")
    assert worded.foreign_amounts("USD") == ()                  # words in the column hold letters of marks, not marks
    danish = load("customer_id,start,mrr\nC1,2024-01-01,\"1.234,50 kr.\"\nC2,2024-01-02,\"99,00 kr.\"\n".encode(),
                  "d.csv", table="customers")
    assert danish.validated.frame["mrr"].tolist() == [1234.5, 99.0]       # the way the product writes DKK itself
    assert danish.foreign_amounts("DKK") == () and danish.foreign_amounts("EUR") == (("mrr", ("kr.",), False),)
    headed = load("customer_id,start,Monthly spend (£)\nC1,2024-01-01,40.00\n".encode(), "h.csv", table="customers")
    assert headed.foreign_amounts("NOK") == (("Monthly spend (£)", ("£",), False),) and \
        headed.foreign_amounts("GBP") == ()                           # the header names it, the cells do not
    no_amounts = load(b"customer_id,start,plan,Currency\nC1,2024-01-01,a,usd\n", "p.csv", table="customers")
    assert not any("amounts in" in n for n in no_amounts.validated.notes) and no_amounts.foreign_amounts("EUR") == ()


def test_a_customer_export_with_plain_words_for_its_dates_and_spend_is_read():
    """'Signed up', 'Cancelled' and 'Monthly spend (£)' (a new user's export that was refused for want of a start);
    a 'Cancelled' column of yes and no says who left, not when, and is left out rather than read as bad dates."""
    from intake.uploads import load
    dated = load("Customer ID,Signed up,Cancelled,Monthly spend (£)\nC1,2024-01-05,,£40.00\nC2,2024-02-01,2024-06-30,"
                 "£55.50\n".encode(), "c.csv", table="customers")
    assert dated.mapping.as_dict() == {"customer_id": "Customer ID", "start": "Signed up", "end": "Cancelled",
                                       "mrr": "Monthly spend (£)"}
    assert dated.usable and dated.validated.frame["mrr"].tolist() == [40.0, 55.5]
    assert dated.validated.frame["end"].notna().tolist() == [False, True]
    flagged = load("Customer ID,Signed up,Cancelled,Monthly spend (£)\nC1,2024-01-05,no,£40.00\nC2,2024-02-01,yes,"
                   "£55.50\n".encode(), "c.csv", table="customers")
    assert "end" not in flagged.mapping.as_dict() and flagged.usable
    said = [p.text() for p in flagged.all_problems()]
    assert said == ["c.csv, column 'Cancelled': it says who left, not when (yes or no), and churn is counted from the "
                    "dates customers leave. No customer counts as lost. Choose a column of end or churn dates under "
                    "Columns, if the file has one."]
