"""A file too large to upload (a CSV or Parquet export on the server's disk) read in slices of rows.

Every slice goes through the same reader, parsers and checks as an upload (:func:`intake.uploads.validate.validate`),
so a large file is read exactly as the same rows uploaded would be, and its problems are named the same way (their
counts summed over the slices). What the readers decide once per file is decided once here too, from the first
slice: the delimiter, the header, the day-first order of dates. The checks that need every row at once run on the
typed table once the slices are in: an id repeated anywhere in the file, a month whose volume falls, a measure that
never changes.

Memory holds a few slices of text (a million rows each, a few hundred megabytes: the one being checked, the next
being read) and the typed table, a fraction of the text (a 20-million-ticket export: 3.4 GB of CSV, about 2 GB
typed; the reading peaks at 4.6-4.8 GB). A text file must be UTF-8 (with or
without BOM) and delimited (comma, semicolon, tab or bar); anything else is named, with what to do.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from intake.uploads.loaded import Loaded, Progress, quiet
from intake.uploads.mapping import Mapping, guess_table, suggest_mapping
from intake.uploads.memory import hand_back
from intake.uploads.read import STRING, RawTable, ReadError, read_table
from intake.uploads.schema import TableName, field_of
from intake.uploads.validate import (
    ROWS_SHOWN,
    Collector,
    Problem,
    Validated,
    constant_columns,
    file_date_order,
    fit_to_content,
    skip_repeats,
    validate,
    volume_falls,
)

SLICE_ROWS = 1_000_000
UPLOAD_SLICE_ROWS = 50_000            # an upload's slices: its bytes are held already
SLICED_UPLOAD_BYTES = 64 * 1024 * 1024   # uploads from this size are read in slices
SAMPLE_BYTES = 4 * 1024 * 1024
MAX_BLOCK_BYTES = 64 * 1024 * 1024
PREVIEW_ROWS = 1_000                # of the first slice, kept for the column editor
LARGE_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")


@dataclass(frozen=True)
class LargeFile:
    """A file on the server's disk: where it is, its size and when it last changed (what a cached reading keys on)."""

    path: Path
    size_bytes: int
    modified_ns: int

    @classmethod
    def at(cls, path: Path) -> LargeFile:
        stat = path.stat()
        return cls(path, stat.st_size, stat.st_mtime_ns)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class UploadBytes:
    """An upload's bytes, read in slices like a file on the server's disk (Arrow reads the buffer itself: no copy)."""

    name: str
    data: bytes = field(repr=False)
    head: RawTable | None = field(default=None, repr=False)      # its first rows, when already read (upload_head)

    @property
    def size_bytes(self) -> int:
        return len(self.data)


def files_in(folder: Path) -> list[LargeFile]:
    """The CSV, TSV, text and Parquet files directly in ``folder`` (none when it is missing), by name."""
    if not folder.is_dir():
        return []
    return [LargeFile.at(p) for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in LARGE_SUFFIXES]


def read_large(file: LargeFile, *, table: TableName | None = None, mapping: Mapping | None = None,
               assume_tz: str = "UTC", slice_rows: int = SLICE_ROWS, progress: Progress = quiet) -> Loaded:
    """Read ``file`` slice by slice as ``table`` through ``mapping`` (both guessed from the first slice when None).

    Returns a :class:`Loaded` whose ``raw`` is the first :data:`PREVIEW_ROWS` rows of the first slice (the columns
    and a sample for the column editor) and whose ``validated`` is the whole file typed; a file that cannot be read
    comes back refused, in words.
    """
    hand_back()                # what an earlier table let go is returned first, not piled under this reading
    loaded = _read(file, table, mapping, assume_tz, slice_rows, progress)
    assert loaded is not None                  # only an upload is handed back to be read whole
    return loaded


def read_upload(data: bytes, name: str, table: TableName, *, mapping: Mapping | None = None, assume_tz: str = "UTC",
                slice_rows: int | None = None, progress: Progress = quiet, head: RawTable | None = None
                ) -> Loaded | None:
    """A large upload read in slices of its bytes as ``table``: the same table, problems and figures as the whole
    file read at once, with a fraction of the memory (the text of every column is never held at once).

    Returns None when the upload must be read whole instead: it is not delimited UTF-8 text (a workbook, another
    encoding, columns separated by spaces), or a record has more or fewer fields than the header (read whole, such
    a row is kept with its last cells empty; the slices' reader would skip it). The returned ``raw`` is a preview
    holding the bytes (:attr:`RawTable.whole`), so that a new mapping or time zone reads the file again. ``head``:
    :func:`upload_head` of ``data``, when the caller has read it already.
    """
    return _read(UploadBytes(name, data, head), table, mapping, assume_tz, slice_rows or UPLOAD_SLICE_ROWS, progress)


def _read(file: LargeFile | UploadBytes, table: TableName | None, mapping: Mapping | None, assume_tz: str,
          slice_rows: int, progress: Progress) -> Loaded | None:
    """``file`` read in slices (see :func:`read_large` and :func:`read_upload`); None: an upload to read whole."""
    upload = isinstance(file, UploadBytes)
    irregular: list[int] = []
    try:
        rows_expected, head, open_slices = _slices(file, slice_rows, irregular)
        text = head is not None
        if not text:                                       # Parquet: its first slice tells its columns
            slices = open_slices(None)
            head = first = next(slices)
        headers = list(head.frame.columns)
        table = table or (mapping.table if mapping is not None else guess_table(headers))
        if table is None:
            return _refused(file, f"{file.name}: its columns match none of the three tables (tickets, customers, "
                            "monthly KPIs); choose the table and map its columns", _preview(head, None))
        if mapping is None or mapping.table != table:
            mapping = fit_to_content(suggest_mapping(table, headers), head.frame)
        if text:                                           # the mapped columns alone are parsed
            slices = open_slices(_read_columns(mapping, headers))
            first = next(slices)
    except (ReadError, StopIteration) as err:
        return None if upload else _refused(file, str(err) or f"{file.name} has no data rows.")
    except (pa.ArrowException, OSError, ValueError) as err:
        return None if upload else _refused(file, f"{file.name} could not be read: {_reason(err)}")
    dated = [h for n, h in mapping.columns if h in first.frame.columns and field_of(table, n).kind == "datetime"]
    day_first = file_date_order(first.frame, dated)
    parts: list[pd.DataFrame] = []
    problems: dict[tuple, Problem] = {}
    notes: list[str] = list(first.notes)
    read_rows = 0
    preview = _preview(head, file.data if upload else None)
    del head
    held = [first]
    del first                      # the slice's text is let go once checked; the preview stays for the column editor
    try:
        for part in _ahead(_chain(held, slices)):
            progress(min(0.95, read_rows / rows_expected), f"Checking rows {read_rows + 1:,} onwards of about "
                                                            f"{rows_expected:,}")
            typed = validate(part, table, mapping, assume_tz=assume_tz, day_first=day_first, whole_file=False)
            del part
            read_rows += typed.read_rows
            _merge(problems, typed.problems)
            _add_notes(notes, typed.notes)
            if any(p.severity == "error" for p in typed.problems):     # the mapping's errors: every slice has them
                refused = Validated(table, file.name, pd.DataFrame(), tuple(problems.values()), read_rows,
                                    tuple(notes))
                return Loaded(file.name, table, preview, mapping, refused, source=_source(file))
            parts.append(typed.frame)
            del typed
            hand_back()
    except (ReadError, pa.ArrowException, OSError, ValueError) as err:   # a damaged part past the first slice
        if upload:
            return None
        return _refused(file, f"{file.name} could not be read past row {read_rows + 1:,}: {_reason(err)}", preview)
    if upload and irregular:
        return None
    frame = stacked(parts)
    hand_back()
    frame, whole = _whole_file_checks(frame, file.name, table, mapping)
    hand_back()
    if not upload:
        notes.append(f"Read from the server's disk in slices of {slice_rows:,} rows: {read_rows:,} rows.")
    if irregular:
        shown = ", ".join(str(n) for n in irregular[:ROWS_SHOWN] if n is not None and n > 0)  # pyarrow may not know
        whole = (Problem(file.name, None, f"{len(irregular):,} record(s) have more or fewer fields than the header"
                         + (f" (data records {shown})" if shown else ""),
                         "They were skipped (an upload of the same file keeps a short row, its last cells empty).",
                         "warning", count=0), *whole)
    out = Validated(table, file.name, frame, (*problems.values(), *whole), read_rows, tuple(notes))
    if frame.empty:
        out = replace(out, problems=(*out.problems, Problem(file.name, None, "no row is left once the problems above "
                                                            "are skipped", "The file was not used.", "error")))
    progress(1.0, "Done")
    return Loaded(file.name, table, preview, mapping, out, source=_source(file))


# The one note a slice words with an example of its own rows: the date order a column proves ("day first (14/04/...)").
_EXAMPLE = re.compile(r"(\b(?:day|month) first) \([^()]*\)")


def _add_notes(notes: list[str], found: tuple[str, ...]) -> None:
    """Add a slice's notes that say something new: the same date order with another example ("Created at: day first
    (14/04/2024 08:25)" in one slice, "(27/03/2024 16:22)" in the next) is said once, with the first slice's."""
    said = {_EXAMPLE.sub(r"\1", n) for n in notes}
    for note in found:
        gist = _EXAMPLE.sub(r"\1", note)
        if gist not in said:
            notes.append(note)
            said.add(gist)


def _reason(err: BaseException) -> str:
    """An exception's first line, without the reader's internal prefixes."""
    text = (str(err).splitlines()[0] if str(err) else type(err).__name__).removeprefix("CSV parse error: ")[:300]
    if "UTF8" in text or "UTF-8" in text:
        text += " (a file read from the server's disk must be UTF-8 throughout: save it as CSV UTF-8)"
    return text


def _chain(held: list[RawTable], rest: Iterator[RawTable]) -> Iterator[RawTable]:
    """The slice in ``held``, then ``rest``; the list is emptied so that only the caller holds that slice."""
    yield held.pop()
    yield from rest


def _preview(raw: RawTable, whole: bytes | None) -> RawTable:
    """The first :data:`PREVIEW_ROWS` rows of a slice: its columns and a sample of their text, for the column editor;
    ``whole``: an upload's bytes, read again for a new reading."""
    return replace(raw, frame=raw.frame.head(PREVIEW_ROWS).copy(), rows=raw.row_numbers()[:PREVIEW_ROWS].copy(),
                   whole=whole)


def _source(file: LargeFile | UploadBytes) -> str | None:
    """What :attr:`Loaded.source` names: a file on the server's disk; None for an upload."""
    return file.name if isinstance(file, LargeFile) else None


def stacked(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The slices' typed frames as one, a column at a time, ``parts`` emptied on the way: a slice's column is let
    go once copied, so that the whole table is not held twice at its end."""
    if len(parts) == 1:
        return parts.pop()
    columns = list(parts[0].columns)
    if any(list(part.columns) != columns for part in parts):        # slices typed apart: pandas aligns them
        whole = pd.concat(parts, ignore_index=True)
        parts.clear()
        return whole
    pieces = [{c: part[c] for c in columns} for part in parts]
    parts.clear()
    whole = {c: pd.concat([piece.pop(c) for piece in pieces], ignore_index=True) for c in columns}
    return pd.DataFrame(whole, columns=columns, copy=False)


_END = object()


def _ahead(items: Iterator[RawTable]) -> Iterator[RawTable]:
    """``items``, the next one read in a thread while the caller works on this one (the readers release the
    interpreter lock, so reading and checking share the two cores). Besides the caller's slice, at most two are held:
    one waiting, one being read. A caller that stops early (a slice with an error) stops the thread too, and the
    slices it held are let go."""
    waiting: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand(item: object) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not hand(item):
                    return
        except BaseException as err:  # handed to the caller, who raises it where the slice was wanted
            hand(err)
        hand(_END)

    threading.Thread(target=read, daemon=True, name="large-file-reader").start()
    try:
        while (item := waiting.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


def _refused(file: LargeFile | UploadBytes, message: str, raw: RawTable | None = None) -> Loaded:
    text = message if message.startswith(file.name) else f"{file.name}: {message}"
    return Loaded(file.name, None, raw, None, None, (Problem(file.name, None, text, "The file was not used.", "error"),),
                  source=_source(file))


_COUNT = re.compile(r"^\d+ ")


def _merge(problems: dict[tuple, Problem], found: tuple[Problem, ...]) -> None:
    """Add a slice's problems: one of the same kind in the same column counts on (rows and examples from the first)."""
    for p in found:
        key = (p.column, _COUNT.sub("", p.message), p.outcome, p.severity)
        old = problems.get(key)
        if old is None:
            problems[key] = p
            continue
        count = old.count + p.count
        message = _COUNT.sub(f"{count} ", old.message) if _COUNT.match(old.message) else old.message
        problems[key] = replace(old, message=message, count=count, rows=(old.rows + p.rows)[:ROWS_SHOWN],
                                examples=tuple(dict.fromkeys(old.examples + p.examples))[:3])


def _whole_file_checks(frame: pd.DataFrame, name: str, table: TableName, mapping: Mapping,
                       ) -> tuple[pd.DataFrame, tuple[Problem, ...]]:
    """The checks that need every row: repeated ids (the first kept), a month whose volume falls, a constant measure."""
    key = {"tickets": "ticket_id", "customers": "customer_id", "kpis": "month"}[table]
    header = mapping.as_dict()[key]
    # examples of repeats are the typed keys (a two-column key is already "line / number" there)
    out = Collector(name, frame["row"].to_numpy(), pd.DataFrame({header: frame[key].astype(STRING)}))
    skip_repeats(frame, out, key, mapping, {"tickets": "the ticket id", "customers": "the customer id", "kpis": "the month"}[table])
    if table == "tickets":
        volume_falls(frame, out, mapping)
    constant_columns(out, mapping, table, {c: frame[c] for c in frame.columns})
    kept = frame[~out.drop].reset_index(drop=True) if out.drop.any() else frame
    return kept, tuple(out.problems)


# --- slices ---------------------------------------------------------------------------------

Slices = Callable[[list[str] | None], Iterator[RawTable]]


def _slices(file: LargeFile | UploadBytes, slice_rows: int, irregular: list[int]
            ) -> tuple[int, RawTable | None, Slices]:
    """About how many rows the file holds (for the progress bar), its head read as a table (None for Parquet, whose
    first slice tells its columns), and its slices of the columns asked for (None: every one); a text file's records
    with the wrong number of fields are skipped and their numbers added to ``irregular``. The file is opened and its
    head checked here, once."""
    if isinstance(file, LargeFile) and file.path.suffix.lower() == ".parquet":
        rows, slices = _parquet_slices(file, slice_rows)
        return rows, None, lambda _: slices
    return _text_slices(file, slice_rows, irregular)


def _read_columns(mapping: Mapping, headers: list[str]) -> list[str]:
    """The file's columns the mapping reads (with the second column of a paired value), in the file's order."""
    wanted = {h for _, h in mapping.columns} | {h for _, h in mapping.paired}
    return [h for h in headers if h in wanted] or headers[:1]


def _parquet_slices(file: LargeFile, slice_rows: int) -> tuple[int, Iterator[RawTable]]:
    """Parquet says how many rows it holds."""
    try:
        parquet = pq.ParquetFile(file.path)
    except (pa.ArrowInvalid, OSError) as err:
        raise ReadError(f"{file.name} is not a Parquet file that can be read ({err}).") from None
    schema = parquet.schema_arrow
    nested = [f.name for f in schema if pa.types.is_nested(f.type) or pa.types.is_dictionary(f.type)
              and pa.types.is_nested(f.type.value_type)]
    names = [n for n in schema.names if n not in nested]
    notes = ("Read from Parquet: dates and decimals as typed.",) + (
        (f"Left out, as lists or records are no table's columns: {', '.join(nested)}.",) if nested else ())

    def slices() -> Iterator[RawTable]:
        start = 2
        for batch in parquet.iter_batches(batch_size=slice_rows, columns=names):
            columns = [_kept_or_text(batch.column(i)) for i in range(batch.num_columns)]
            frame = pa.table(columns, names=names).to_pandas(types_mapper={pa.string(): STRING}.get)
            yield RawTable(file.name, frame, "parquet", None, None, notes, np.arange(start, start + len(frame)))
            start += len(frame)

    return max(1, parquet.metadata.num_rows), slices()


def _kept_or_text(column: pa.Array) -> pa.Array:
    """Date-times and decimals as the file typed them (the checks take them so); anything else as text. Whole
    numbers become text too: an id column with an empty cell would otherwise turn to floats and lose its digits."""
    if pa.types.is_timestamp(column.type) or pa.types.is_floating(column.type):
        return column
    return column.cast(pa.string())


def upload_head(data: bytes, name: str) -> RawTable:
    """The first rows of an upload (its first :data:`SAMPLE_BYTES`, whole lines), read as the whole file would be:
    what its columns are, before it is read in slices. Raises :class:`ReadError` as :func:`read_table` does."""
    return _sample(data[:SAMPLE_BYTES], name)[1]


def _sample(head: bytes, name: str, read: RawTable | None = None) -> tuple[int, RawTable]:
    """Where ``head`` (a file's first bytes) ends on a whole line, and those lines read as a table (``read``: as
    they were read already)."""
    cut = head.rfind(b"\n") + 1 if len(head) == SAMPLE_BYTES else len(head)
    return cut, read if read is not None else read_table(head[:cut] or head, name)


def _text_slices(file: LargeFile | UploadBytes, slice_rows: int, irregular: list[int]
                 ) -> tuple[int, RawTable, Slices]:
    """A text file's rows are about its size times the lines in its first megabytes. In an upload, a blank line or
    a record whose columns read are all empty counts as irregular (read whole, a blank row is left out and the rows
    after it keep their spreadsheet numbers; the slices would number them otherwise)."""
    if isinstance(file, UploadBytes):
        head = file.data[:SAMPLE_BYTES]
    else:
        with file.path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    cut, sample = _sample(head, file.name, file.head if isinstance(file, UploadBytes) else None)
    if sample.encoding not in ("utf-8", "utf-8-sig") or sample.delimiter is None:
        raise ReadError(f"{file.name} is {'a workbook' if sample.delimiter is None else sample.encoding + ' text'}; a "
                        "file read from the server's disk must be UTF-8 CSV or Parquet: save it as CSV UTF-8 or "
                        "export it as Parquet.")
    if "Columns separated by spaces." in sample.notes:
        raise ReadError(f"{file.name} separates its columns by spaces; a file read from the server's disk must be "
                        "delimited (comma, semicolon, tab or bar): export it as CSV.")
    names = list(sample.frame.columns)
    upload = isinstance(file, UploadBytes)
    skip = int(sample.row_numbers()[0]) - 1 if len(sample.frame) else 1     # the header and any "sep=" line
    generated = [f"c{i}" for i in range(len(names))]
    # a block of a little more than a slice's bytes (the reader's unit: a slice is whole blocks), at most 64 MB
    block = int(min(MAX_BLOCK_BYTES, max(1 << 20, 1.1 * slice_rows * cut / max(head.count(b"\n", 0, cut), 1))))

    def slices(columns: list[str] | None) -> Iterator[RawTable]:
        kept = names if columns is None else columns
        reader = pacsv.open_csv(
            pa.BufferReader(file.data) if isinstance(file, UploadBytes) else file.path,
            read_options=pacsv.ReadOptions(column_names=generated, skip_rows=skip, block_size=block),
            parse_options=pacsv.ParseOptions(delimiter=sample.delimiter, newlines_in_values=True,
                                             ignore_empty_lines=not upload,      # an upload's blank line: irregular
                                             invalid_row_handler=lambda row: irregular.append(row.number) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in generated},
                                                 include_columns=[generated[names.index(c)] for c in kept],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True,
                                                 null_values=[""]))
        start = 2
        pending: list[pa.RecordBatch] = []
        size = 0

        def emit(batches: list[pa.RecordBatch]) -> RawTable:
            nonlocal start
            frame = pa.Table.from_batches(batches).to_pandas(types_mapper={pa.string(): STRING}.get)
            frame.columns = kept
            if upload and frame.isna().all(axis=1).any():    # a record of empty cells, maybe a blank row: read whole
                irregular.append(0)
            raw = RawTable(file.name, frame, sample.encoding, sample.delimiter, None,
                           sample.notes if start == 2 else (), np.arange(start, start + len(frame)))
            start += len(frame)
            return raw

        for batch in reader:
            pending.append(batch)
            size += batch.num_rows
            if size >= slice_rows:
                yield emit(pending)
                pending, size = [], 0
        if pending:
            yield emit(pending)

    expected = int(file.size_bytes * head.count(b"\n") / max(len(head), 1))
    return max(1, len(sample.frame), expected), sample, slices

