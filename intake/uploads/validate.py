"""A raw table and its column mapping -> a typed table, and every problem found on the way.

Nothing is thrown away silently and nothing raises: each problem becomes a :class:`Problem` that
names the file, the column and the rows (counted as a spreadsheet shows them: the header is row 1,
the first data row is row 2), shows a few of the offending values, and says what was done about
it: the rows skipped, or the cells left empty while the rest of the row is kept.

Rules, by severity:

- **the file is not used**: a required field is not mapped, a mapped column is not in the file,
  or no row survives;
- **rows skipped**: a required value (an id, a creation time, a start date, a month) is empty or
  unreadable; an id or a month repeats (the first is kept); a customer ends before they start;
- **cells left empty**: an optional value is unreadable or impossible (a reply or a resolution
  before the ticket's creation, a negative duration), the row is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from intake.uploads import convert, currency
from intake.uploads.mapping import Mapping, normalise_channels, normalise_header
from intake.uploads.read import RawTable
from intake.uploads.schema import TABLE_LABELS, TABLES, Field, TableName, field_of

Severity = Literal["error", "warning"]
EXAMPLES = 3
ROWS_SHOWN = 5


@dataclass(frozen=True)
class Problem:
    """One problem in one column of one file, and what was done about it."""

    file: str
    column: str | None
    message: str
    outcome: str
    severity: Severity = "warning"
    rows: tuple[int, ...] = ()
    count: int = 0
    examples: tuple[str, ...] = ()

    def text(self) -> str:
        """The problem as one paragraph for the page."""
        where = f"{self.file}" + (f", column '{self.column}'" if self.column else "")
        rows = ""
        if self.count:
            shown = ", ".join(str(r) for r in self.rows)
            more = f" and {self.count - len(self.rows)} more" if self.count > len(self.rows) else ""
            rows = f" ({'row' if self.count == 1 else 'rows'} {shown}{more})"
        examples = f" Examples: {', '.join(repr(e) for e in self.examples)}." if self.examples else ""
        stop = "" if self.message.endswith((".", "!", "?")) and not rows else "."
        if self.message.startswith(self.file) and not self.column:   # the reader's messages name the file
            return f"{self.message}{rows}{stop}{examples} {self.outcome}"
        return f"{where}: {self.message}{rows}{stop}{examples} {self.outcome}"


@dataclass(frozen=True)
class Validated:
    """A typed table (canonical column names, plus ``row``: the spreadsheet row it came from)."""

    table: TableName
    name: str
    frame: pd.DataFrame
    problems: tuple[Problem, ...]
    read_rows: int
    notes: tuple[str, ...] = field(default=())

    @property
    def usable(self) -> bool:
        return not any(p.severity == "error" for p in self.problems) and len(self.frame) > 0

    @property
    def skipped(self) -> int:
        return self.read_rows - len(self.frame)

    def summary(self) -> str:
        label = TABLE_LABELS[self.table] if self.table == "kpis" else TABLE_LABELS[self.table].lower()
        if not self.usable:
            return f"{self.name} was not used as the {label} table."
        kept = f"{len(self.frame):,} of {self.read_rows:,} rows kept"
        return f"{self.name}: {kept} as the {label} table" + (f", {self.skipped:,} skipped." if self.skipped else ".")


class Collector:
    """Problems of one file, and the rows to drop, gathered while columns are typed."""

    def __init__(self, name: str, rows: np.ndarray, raw: pd.DataFrame) -> None:
        self.name = name
        self.raw = raw    # the file's text, for examples as the user wrote them
        self.rows = rows  # spreadsheet row number of each record
        self.problems: list[Problem] = []
        self.drop = np.zeros(rows.size, dtype=bool)

    def flag(self, mask: np.ndarray, column: str | None, message: str, outcome: str,
             raw: pd.Series | None = None, severity: Severity = "warning") -> None:
        where = np.flatnonzero(mask)
        if where.size == 0:
            return
        examples: tuple[str, ...] = ()
        if raw is not None:
            examples = tuple(str(v) for v in pd.unique(raw.iloc[where[: EXAMPLES * 4]].astype(str))[:EXAMPLES])
        self.problems.append(Problem(self.name, column, message, outcome, severity,
                                     tuple(int(r) for r in self.rows[where[:ROWS_SHOWN]]), int(where.size),
                                     examples))

    def error(self, column: str | None, message: str, outcome: str = "The file was not used.") -> None:
        self.problems.append(Problem(self.name, column, message, outcome, "error"))


def file_date_order(frame: pd.DataFrame, headers: list[str]) -> bool | None:
    """Day first (True) or month first (False) as the file's date columns prove it together; None if
    they prove neither or disagree. One file is written by one system in one order."""
    orders = {convert.date_order(frame[h]) for h in headers} - {None}
    return orders.pop() if len(orders) == 1 else None


# A duration field whose column holds the moment itself: Zoho Desk's analytics exports write "First Response Time" as a
# date and time, a header that reads as a duration in other help desks' exports.
_MOMENT_OF = {"first_response_h": "first_reply", "resolution_h": "solved"}
CONTENT_SAMPLE_ROWS = 200


def fit_to_content(mapping: Mapping, frame: pd.DataFrame) -> Mapping:
    """A suggested mapping as the cells of its first :data:`CONTENT_SAMPLE_ROWS` values read. Headers suggest a
    mapping; the cells decide where a header has two readings:

    - tickets: a duration field whose column holds dates and times (none of them a duration, all a date and time) is
      read as the moment instead (first response time as the first reply's time, resolution time as the solved
      time), when the file gives no other column for that moment;
    - customers: an end date whose column holds yes or no ("Cancelled": yes) is left out: it says who left, not
      when."""
    if mapping.table == "customers":
        return _without_flag_as_end(mapping, frame)
    if mapping.table != "tickets":
        return mapping
    chosen = mapping.as_dict()
    moved: dict[str, str] = {}
    for duration, moment in _MOMENT_OF.items():
        header = chosen.get(duration)
        if header is None or moment in chosen or header not in frame.columns or mapping.second_of(duration):
            continue
        sample = _sample(frame[header])
        if sample.empty:
            continue
        if convert.parse_durations_h(sample).bad.all() and not convert.parse_datetimes(sample).bad.any():
            moved[duration] = moment
    if not moved:
        return mapping
    return Mapping(mapping.table, tuple((moved.get(f, f), h) for f, h in mapping.columns),
                   tuple(u for u in mapping.units if u[0] not in moved), mapping.paired)


def _sample(column: pd.Series) -> pd.Series:
    """A column's first :data:`CONTENT_SAMPLE_ROWS` values that are not empty, as text."""
    sample = column.dropna().head(CONTENT_SAMPLE_ROWS).astype(STRING_DTYPE)
    return sample[sample.str.strip() != ""]


def _says_who_left(column: pd.Series) -> bool:
    """The column holds yes or no and no date ("Cancelled": yes): it says who left, not when."""
    sample = _sample(column)
    return not sample.empty and not convert.parse_booleans(sample).bad.any() and \
        bool(convert.parse_datetimes(sample).bad.all())


def _without_flag_as_end(mapping: Mapping, frame: pd.DataFrame) -> Mapping:
    """``mapping`` without its end date when that column says who left, not when (see :func:`fit_to_content`)."""
    header = mapping.as_dict().get("end")
    if header is None or header not in frame.columns or mapping.second_of("end") or not _says_who_left(frame[header]):
        return mapping
    return Mapping(mapping.table, tuple((f, h) for f, h in mapping.columns if f != "end"),
                   tuple(u for u in mapping.units if u[0] != "end"), mapping.paired)


def _date_order_when_asked(frame: pd.DataFrame, headers: list[str]) -> Callable[[], bool | None]:
    """:func:`file_date_order`, worked out at the first call (from whichever parsing thread asks) and kept: a file
    whose dates are ISO 8601, or each prove their own order, never asks, and its columns are not read twice."""
    lock = threading.Lock()
    found: list[bool | None] = []

    def order() -> bool | None:
        with lock:
            if not found:
                found.append(file_date_order(frame, headers))
            return found[0]

    return order


def _typed(f: Field, raw: pd.Series, header: str, assume_tz: str, day_first: convert.DayFirst = None,
           unit: str | None = None, second: pd.Series | None = None,
           ) -> tuple[pd.Series, np.ndarray, str | None, pd.Series | None]:
    """Parse one column by its field's kind -> values, bad mask, note, and a satisfied flag for ratings.

    ``unit``: a duration's unit as the user named it in the mapping (else the header's, else hours).
    ``second``: the field's second column (a date's time of day, a key's second part), if it has one.
    A column that arrives typed (a Parquet file's dates and numbers) is taken as it is where its type fits."""
    typed = None
    if second is None and not isinstance(raw.dtype, pd.StringDtype):
        typed = convert.from_typed(raw, f.kind, assume_tz=assume_tz, unit=unit or convert.unit_of_header(header))
    if typed is None and not isinstance(raw.dtype, pd.StringDtype):
        raw = raw.astype(STRING_DTYPE)
    if second is not None and not isinstance(second.dtype, pd.StringDtype):
        second = second.astype(STRING_DTYPE)
    if second is not None and f.kind == "id":
        first, other = raw.str.strip().replace("", pd.NA), second.str.strip().replace("", pd.NA)
        half = (first.isna() ^ other.isna()).to_numpy(dtype=bool)      # a key with one part: no key, and said so
        return first + KEY_JOIN + other, half, None, None
    if second is not None and f.kind == "datetime":
        p = convert.parse_date_and_clock(raw, second, assume_tz=assume_tz, day_first=day_first)
        values, bad = _plausible_dates(f, p.values, np.asarray(p.bad, dtype=bool))
        return values, bad, p.note, None
    if f.kind in ("id", "text"):
        values = raw.str.strip().replace("", pd.NA)
        return values, np.zeros(len(raw), dtype=bool), None, None
    if f.kind == "rating":
        r = convert.parse_ratings(raw)
        return r.values, r.bad, r.note, r.satisfied
    if typed is not None:
        p = typed
    elif f.kind == "duration_h":
        p = convert.parse_durations_h(raw, unit=unit or convert.unit_of_header(header))
    elif f.kind == "datetime":
        p = convert.parse_datetimes(raw, assume_tz=assume_tz, day_first=day_first)
    else:
        parser = {"month": convert.parse_months, "number": convert.parse_numbers, "count": convert.parse_numbers,
                  "score": convert.parse_scores_0_10, "pct": convert.parse_pct,
                  "boolean": convert.parse_booleans}[f.kind]
        p = parser(raw)
    values, bad = p.values, np.asarray(p.bad, dtype=bool)
    if f.kind in ("datetime", "month"):
        values, bad = _plausible_dates(f, values, bad)
    if f.kind == "number" and f.name == "nps":   # a monthly NPS is a score from -100 to 100
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
        off = (numbers < -100) | (numbers > 100)
        bad = bad | off
        values = values.where(~off)
    if f.name in NON_NEGATIVE:
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
        negative = numbers < 0
        bad = bad | negative
        values = values.where(~negative)
    if f.kind == "count":
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
        wrong = ~np.isnan(numbers) & ((numbers < 0) | (numbers != np.round(numbers)))
        bad = bad | wrong
        values = values.where(~wrong)
    return values, bad, p.note, None


STRING_DTYPE = pd.StringDtype("pyarrow")
PARALLEL_ROWS = 50_000      # below this a table's columns are parsed one after another (threads cost more)
_COLUMNS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="upload-columns")
KEY_JOIN = " / "   # a key written in two columns: "AA0101 / 34536"
EARLIEST = pd.Timestamp("1970-01-01", tz="UTC")
LATEST = pd.Timestamp("2100-01-01", tz="UTC")
NON_NEGATIVE = frozenset({"mrr", "start_mrr", "support_cost"})   # money that cannot be below zero


def _plausible_dates(f: Field, values: pd.Series, bad: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Dates before 1970 or from 2100 are typing errors, except a far-future end: "still active"."""
    if f.name == "end":
        values = values.where(~(values >= LATEST))   # 9999-12-31 and the like: no end yet
    wrong = ((values < EARLIEST) | (values >= LATEST)).fillna(False).to_numpy(dtype=bool)
    return values.where(~wrong), bad | wrong


_KIND_WORDS = {"datetime": "a date and time from 1970 to 2099", "month": "a month from 1970 to 2099",
               "number": "a number (money: zero or more)", "count": "a whole number >= 0",
               "duration_h": "a duration >= 0", "rating": "a satisfaction rating", "score": "a 0-10 answer",
               "pct": "a percentage from 0 to 100", "boolean": "yes or no", "id": "a value", "text": "a value"}


def _required_missing(mapping: Mapping, table: TableName) -> list[str]:
    mapped = {name for name, _ in mapping.columns}
    return [f.label for f in TABLES[table] if f.required and f.name not in mapped]


def validate(raw: RawTable, table: TableName, mapping: Mapping, *, assume_tz: str = "UTC",
             day_first: bool | None = None, whole_file: bool = True) -> Validated:
    """Type ``raw`` as ``table`` through ``mapping``; see the module docstring for the rules.

    Parameters
    ----------
    raw : RawTable
        The file as read by :func:`intake.uploads.read.read_table`.
    table : {"tickets", "customers", "kpis"}
        Which table the file is.
    mapping : Mapping
        Canonical field -> file column pairs.
    assume_tz : str
        IANA time zone of date-times written without one.
    day_first : bool, optional
        The order of the file's numeric dates when already decided (a large file read in slices decides it once);
        None: decided here from the date columns together.
    whole_file : bool
        False for one slice of a larger file: the checks that need every row (a repeated id, a month whose volume
        falls, a constant measure) are left to the caller, who runs them on the whole typed table.
    """
    frame = raw.frame
    out = Collector(raw.name, raw.row_numbers(), frame)
    columns: dict[str, pd.Series] = {}
    notes = list(raw.notes)
    for label in _required_missing(mapping, table):
        out.error(None, f"no column is chosen for '{label}', which this table needs")
    dated = [h for n, h in mapping.columns if field_of(table, n).kind == "datetime" and h in frame.columns]
    order = day_first if day_first is not None else _date_order_when_asked(frame, dated)
    present = []
    for name, header in mapping.columns:
        second = mapping.second_of(name)
        absent = [h for h in (header, second) if h is not None and h not in frame.columns]
        if absent:
            out.error(absent[0], f"the column chosen for '{field_of(table, name).label}' is not in the file")
        else:
            present.append((name, header, second))

    def typed(item: tuple[str, str, str | None]) -> tuple:
        name, header, second = item
        return _typed(field_of(table, name), frame[header], header, assume_tz, order, mapping.unit_of(name),
                      frame[second] if second is not None else None)

    # Columns are parsed two at a time: the parsers spend most of their time in arrow kernels, which release the
    # interpreter lock. Problems are then named in the mapping's order, as one at a time would.
    parsed = list(_COLUMNS.map(typed, present)) if len(frame) >= PARALLEL_ROWS else [typed(i) for i in present]
    for (name, header, second), (values, bad, note, satisfied) in zip(present, parsed, strict=True):
        f = field_of(table, name)
        if note:
            notes.append(f"{header if second is None else f'{header} + {second}'}: {note}")
        outcome = "Those rows were skipped." if f.required else "Those cells were left empty; the rows were kept."
        said = (f"{int(bad.sum())} key(s) have one of their two parts empty" if f.kind == "id" and second
                else f"{int(bad.sum())} value(s) are not {_KIND_WORDS[f.kind]}")
        out.flag(bad, _named(header, second), said, outcome, cells(frame, mapping, name) if bad.any() else None)
        if f.required:
            empty = values.isna().to_numpy() & ~bad
            out.flag(empty, _named(header, second), f"'{f.label}' is empty", "Those rows were skipped.")
            out.drop |= values.isna().to_numpy()
        columns[name] = values
        if satisfied is not None:
            columns["satisfied" if name == "rating" else f"{name}_satisfied"] = satisfied
    if any(p.severity == "error" for p in out.problems):
        return Validated(table, raw.name, pd.DataFrame(), tuple(out.problems), len(frame), tuple(notes))
    if any(field_of(table, name).money for name, _, _ in present):
        notes += currency.column_notes(frame)
    if whole_file:
        constant_columns(out, mapping, table, columns)
    typed = pd.DataFrame(columns, index=frame.index)
    typed.insert(0, "row", out.rows)
    typed = _CHECKS[table](typed, out, mapping, whole_file)
    typed = typed[~out.drop].reset_index(drop=True)
    if typed.empty and whole_file:                 # a slice of a larger file may lose every row; the file may not
        out.error(None, "no row is left once the problems above are skipped")
    return Validated(table, raw.name, typed, tuple(out.problems), len(frame), tuple(notes))


CONSTANT_MIN_ROWS = 20                  # a column of fewer values may well hold one by chance
_MEASURED_KINDS = frozenset({"datetime", "month", "duration_h", "number", "count", "rating", "score", "pct"})


def constant_columns(out: Collector, mapping: Mapping, table: TableName, columns: dict[str, pd.Series]) -> None:
    """Name a mapped measure or time whose every value is the same: an export that wrote a default or a filter that
    left one value measures nothing (ids repeat and are named as such; a single channel or agent may be true)."""
    for name, header in mapping.columns:
        if field_of(table, name).kind not in _MEASURED_KINDS or name not in columns:
            continue
        values = columns[name]
        present = int(values.notna().sum())
        if present >= CONSTANT_MIN_ROWS and values.min() == values.max():     # one pass each, no hashing
            first = values.first_valid_index()
            shown = out.raw.loc[first, header] if header in out.raw.columns else values.loc[first]
            out.problems.append(Problem(
                out.name, _header(mapping, name), f"every one of its {present:,} values is {str(shown)!r}",
                "It was kept, but it tells nothing apart: if the export wrote a default or a filter left one value, "
                "leave the column out under Columns.", "warning"))


def _header(mapping: Mapping, name: str) -> str | None:
    """The column (or the two columns, named together) that feeds ``name``."""
    header = next((h for n, h in mapping.columns if n == name), None)
    return _named(header, mapping.second_of(name)) if header is not None else None


def _named(header: str, second: str | None) -> str:
    return header if second is None else f"{header}' + '{second}"


def cells(frame: pd.DataFrame, mapping: Mapping, name: str) -> pd.Series:
    """The text of the cells that feed ``name``, as the user wrote them (two columns joined by a space)."""
    header = mapping.as_dict()[name]
    second = mapping.second_of(name)
    if second is None or second not in frame.columns:       # or the joined text already stands under the first
        return frame[header]
    return frame[header].astype(STRING_DTYPE).fillna("") + " " + frame[second].astype(STRING_DTYPE).fillna("")


def _as_numbers(keys: pd.Series) -> pd.Series:
    """Keys written as plain whole numbers without leading zeros, as int64 (hashed four times faster than their
    text); any other keys as they are."""
    if not isinstance(keys.dtype, pd.StringDtype) or keys.isna().any():
        return keys
    text = pa.array(keys)                  # the arrow strings themselves, no copy
    length = pc.binary_length(text)        # ASCII digits: one byte each; three kernels are half a pattern's time
    if not (pc.all(pc.ascii_is_decimal(text)).as_py() and pc.max(length).as_py() <= 18
            and not pc.any(pc.and_(pc.starts_with(text, "0"), pc.greater(length, 1))).as_py()):
        return keys
    return pd.Series(pc.cast(text, pa.int64()).to_numpy(), index=keys.index)


def skip_repeats(typed: pd.DataFrame, out: Collector, key: str, mapping: Mapping, what: str) -> None:
    alive = ~out.drop
    repeat = np.zeros(len(typed), dtype=bool)
    repeat[alive] = _as_numbers(typed.loc[alive, key]).duplicated(keep="first").to_numpy()
    hint = "" if key == "month" or mapping.second_of(key) else (
        " If two columns together tell the rows apart (a line and a call number), choose the second under Columns.")
    out.flag(repeat, _header(mapping, key), f"{what} repeats an earlier row's", "Only the first was kept; the "
             "repeats were skipped." + hint, cells(out.raw, mapping, key))
    out.drop |= repeat


def _before(typed: pd.DataFrame, out: Collector, mapping: Mapping, later: str, earlier: str, what: str) -> None:
    if later not in typed.columns or earlier not in typed.columns:
        return
    early = (typed[later] < typed[earlier]).fillna(False).to_numpy(dtype=bool) & ~out.drop
    header = _header(mapping, later)
    out.flag(early, header, what, "Those cells were left empty; the rows were kept.", cells(out.raw, mapping, later))
    typed.loc[early, later] = pd.NaT


def _elapsed(typed: pd.DataFrame, stamp: str, duration: str) -> None:
    """Hours from creation to ``stamp`` fill ``duration`` where the export gave a time, not a duration."""
    if stamp not in typed.columns:
        return
    hours = (typed[stamp] - typed["created"]) / pd.Timedelta(hours=1)
    typed[duration] = hours.astype(np.float64) if duration not in typed.columns else \
        typed[duration].astype(np.float64).fillna(hours.astype(np.float64))


def _check_tickets(typed: pd.DataFrame, out: Collector, mapping: Mapping, whole_file: bool = True) -> pd.DataFrame:
    if whole_file:
        skip_repeats(typed, out, "ticket_id", mapping, "the ticket id")
    _before(typed, out, mapping, "first_reply", "created", "the first reply is before the ticket was created")
    _before(typed, out, mapping, "solved", "created", "the ticket is solved before it was created")
    _elapsed(typed, "first_reply", "first_response_h")
    _elapsed(typed, "solved", "resolution_h")
    if "channel" in typed.columns:
        typed["channel"] = normalise_channels(typed["channel"])
    if whole_file:
        volume_falls(typed, out, mapping)
    return typed


VOLUME_FALL = 0.2           # a month with under a fifth of the month before's tickets is named
VOLUME_FALL_BASE = 50       # ... when the month before had at least this many


def volume_falls(typed: pd.DataFrame, out: Collector, mapping: Mapping) -> None:
    """Name the months whose ticket count falls below a fifth of the month before (an export cut short, a
    filter, a migration): they are kept, but a month's rates then rest on few tickets."""
    created = typed.loc[~out.drop, "created"].dropna()
    if created.empty:
        return
    months = created.dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M")
    counts = months.value_counts().sort_index()
    counts = counts.reindex(pd.period_range(counts.index.min(), counts.index.max(), freq="M"), fill_value=0)
    before = counts.shift(1)
    falls = counts[(before >= VOLUME_FALL_BASE) & (counts < VOLUME_FALL * before)]
    if falls.empty:
        return
    said = "; ".join(f"{m:%b %Y} holds {int(n):,} against {int(before[m]):,} in {m - 1:%b %Y}"
                     for m, n in list(falls.items())[:3]) + ("; ..." if len(falls) > 3 else "")
    out.problems.append(Problem(
        out.name, _header(mapping, "created"), f"the monthly volume falls by more than {1 - VOLUME_FALL:.0%}: {said}",
        "Those tickets were kept as they are: a month an export cut short or a filter thinned has rates that rest "
        "on few tickets; upload the whole month, or leave it out of what you compare.", "warning"))


# Headers of a column that says who left, not when ("Cancelled": yes): named when no end date is chosen.
_LEFT_FLAGS = frozenset({"cancelled", "canceled", "churned", "is churned", "has churned", "left"})


def _check_customers(typed: pd.DataFrame, out: Collector, mapping: Mapping, whole_file: bool = True) -> pd.DataFrame:
    if whole_file:
        skip_repeats(typed, out, "customer_id", mapping, "the customer id")
    if whole_file and "end" not in mapping.as_dict():     # said once a file, not once a slice
        flag = next((h for h in out.raw.columns
                     if normalise_header(str(h)) in _LEFT_FLAGS and _says_who_left(out.raw[h])), None)
        if flag is not None:
            out.problems.append(Problem(
                out.name, str(flag), "it says who left, not when (yes or no), and churn is counted from the dates "
                "customers leave", "No customer counts as lost. Choose a column of end or churn dates under Columns, "
                "if the file has one.", "warning"))
    if "end" in typed.columns:
        backwards = (typed["end"] < typed["start"]).fillna(False).to_numpy(dtype=bool) & ~out.drop
        out.flag(backwards, _header(mapping, "end"), "the customer ends before they start",
                 "Those rows were skipped.", cells(out.raw, mapping, "end"))
        out.drop |= backwards
    else:
        typed["end"] = pd.Series(pd.NaT, index=typed.index, dtype=typed["start"].dtype)
    return typed


def _check_kpis(typed: pd.DataFrame, out: Collector, mapping: Mapping, whole_file: bool = True) -> pd.DataFrame:
    now = pd.Timestamp.now(tz="UTC")
    this_month = now.normalize().replace(day=1)
    ahead = (typed["month"] > this_month).fillna(False).to_numpy(dtype=bool) & ~out.drop
    out.flag(ahead, _header(mapping, "month"), f"the month lies ahead of this one ({now:%b %Y})",
             "The rows were kept as actual months, which the model is calibrated on and predictions are scored "
             "against: if they are a plan or a forecast, remove them from the file (a plan belongs on the Scenario "
             "page).")
    if whole_file:
        skip_repeats(typed, out, "month", mapping, "the month")
    if {"churned", "customers"} <= set(typed.columns):
        more = (typed["churned"] > typed["customers"]).fillna(False).to_numpy(dtype=bool) & ~out.drop
        out.flag(more, _header(mapping, "churned"), "more customers churned than there were at the month's start; "
                 "possible under the articles' rule only if many new customers left within the month",
                 "The rows were kept.")
    return typed


_CHECKS = {"tickets": _check_tickets, "customers": _check_customers, "kpis": _check_kpis}
