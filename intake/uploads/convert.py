"""Vectorised parsers from the strings of a :class:`~intake.uploads.read.RawTable` to typed values.

Every parser takes a Series of strings (``<NA>`` or "" for an empty cell) and returns the typed
values beside a boolean array ``bad``: True where a non-empty string could not be read. An empty
cell is missing, never bad. Conventions that differ between files (decimal comma or point, day or
month first, the scale of a rating) are decided once per column from all of its values, and
``note`` says in a few words what was inferred.

The work is done by pyarrow compute kernels (RE2 regular expressions, casts) and numpy over whole
columns; Python loops run over a handful of candidate patterns or over distinct words, never over
rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from intake.metrics.definitions import PROMOTER_MIN, SATISFIED_MIN_ONE_TO_FIVE
from intake.uploads import currency

DurationUnit = Literal["ms", "s", "min", "h", "d"]
RatingScale = Literal["good_bad", "one_to_five", "zero_to_ten"]
# Day first (True), month first (False) or unknown (None) as the file's other date columns show, or a function
# telling it, called only for a column of numeric dates that proves neither (most columns never need it).
DayFirst = bool | None | Callable[[], bool | None]

HOURS_PER_UNIT: dict[str, float] = {"ms": 1 / 3_600_000, "s": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0}
EXCEL_SERIAL_RANGE = (20_000.0, 80_000.0)  # 1954-10-03 .. 2119-01-10 in Excel's 1900 date system
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")  # day 0, absorbing Excel's 1900 leap bug
_NAT = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Parsed:
    """Typed values of one column.

    Attributes
    ----------
    values : pandas.Series
        Same index as the input; missing where the input was empty or bad.
    bad : numpy.ndarray of bool
        True where a non-empty string could not be read.
    note : str or None
        What was inferred about the column, in a few words ("decimal comma").
    """

    values: pd.Series
    bad: np.ndarray
    note: str | None = None


@dataclass(frozen=True)
class RatingParsed:
    """Satisfaction answers of one column.

    Attributes
    ----------
    values : pandas.Series of float
        The answer as a score in [0, 1] on its own scale: good 1 and bad 0; a 1-5 answer ``v`` as
        ``(v - 1) / 4``; a 0-10 answer as ``v / 10``. NaN when unrated or bad.
    satisfied : pandas.Series of boolean
        Whether the answer counts as satisfied (see :func:`parse_ratings`); ``<NA>`` when unrated
        or bad.
    scale : {"good_bad", "one_to_five", "zero_to_ten"} or None
        The scale detected for the column; None when nothing is rated.
    bad : numpy.ndarray of bool
        True where a non-empty string is no answer on that scale.
    note : str or None
        The scale and the satisfied rule, in a few words.
    """

    values: pd.Series
    satisfied: pd.Series
    scale: RatingScale | None
    bad: np.ndarray
    note: str | None = None


# --- arrow helpers --------------------------------------------------------------------------

def _texts(s: pd.Series) -> pa.Array:
    """The column as one arrow string array, trimmed, with "" as null."""
    if len(s) == 0:
        return pa.array([], pa.string())
    arr = pa.array(s.astype(pd.StringDtype("pyarrow")).array)  # no copy when already arrow strings
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    arr = pc.utf8_trim_whitespace(arr)
    empty = pc.equal(arr, "")
    # A reader that reads "" as null (the CSV slices do) leaves only blanks of spaces: the test is ten times
    # cheaper than the replacement, which is made only when there is one.
    return pc.if_else(empty, pa.scalar(None, pa.string()), arr) if pc.any(empty).as_py() else arr


def _np(mask: pa.Array | pa.ChunkedArray, fill: bool = False) -> np.ndarray:
    """An arrow boolean array as numpy, nulls as ``fill``."""
    return pc.fill_null(mask, fill).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _floats(arr: pa.Array) -> np.ndarray:
    """An arrow numeric array as float64 numpy, nulls as NaN."""
    return pc.fill_null(arr.cast(pa.float64()), np.nan).to_numpy(zero_copy_only=False)


def _group_floats(group: pa.Array) -> np.ndarray:
    """A regex group as float64 (NaN where it did not take part: arrow gives "" there)."""
    group = pc.if_else(pc.equal(group, ""), pa.scalar(None, pa.string()), group)
    return _floats(pc.replace_substring(group, ",", ".").cast(pa.float64()))


def _matches(arr: pa.Array, pattern: str) -> np.ndarray:
    return _np(pc.match_substring_regex(arr, pattern))


def _null_where(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.scalar(None, arr.type), arr)


def _replace(arr: pa.Array, pattern: str, replacement: str) -> pa.Array:
    return pc.replace_substring_regex(arr, pattern=pattern, replacement=replacement)


def _present(arr: pa.Array) -> np.ndarray:
    return _np(pc.is_valid(arr))


# --- numbers --------------------------------------------------------------------------------

_GROUP_SPACE = r"([0-9])[ \x{00A0}\x{202F}\x{2009}\x{2007}'’]([0-9])"
_PLAIN_NUMBER = r"^[+-]?[0-9]+(?:\.[0-9]+)?$"
# Evidence that a comma is the decimal separator, and that a point is.
_COMMA_DECIMAL = r",[0-9]{1,2}$|,[0-9]{4,}$|\.[0-9]*,|'[0-9]*,|^[+-]?,[0-9]|\.[0-9]{3}\."
_POINT_DECIMAL = r"\.[0-9]{1,2}$|\.[0-9]{4,}$|,[0-9]*\.|'[0-9]*\.|^[+-]?\.[0-9]|,[0-9]{3},|[eE]"
_VALID_POINT = (r"^[+-]?(?:[0-9]{1,3}(?:[,'][0-9]{3})+(?:\.[0-9]*)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
                r"(?:[eE][+-]?[0-9]+)?$")
_VALID_COMMA = r"^[+-]?(?:[0-9]{1,3}(?:[.'][0-9]{3})+(?:,[0-9]*)?|[0-9]+(?:,[0-9]*)?|,[0-9]+)$"


def _number_text(arr: pa.Array) -> tuple[pa.Array, np.ndarray | None, bool]:
    """Strip currency, read "(3)" as "-3", mark digit-group spaces and apostrophes as "'".

    Returns the cleaned strings, which values held a currency mark (None: none did) and whether any parentheses
    were seen. Each step runs only if the column needs it: a regex pass over a million strings costs ~50 ms.
    """
    arr = pc.replace_substring(pc.replace_substring(arr, "−", "-"), "–", "-")
    if not _matches(arr, r"[^0-9.,+-]").any():
        return arr, None, False
    with_mark: np.ndarray | None = _matches(arr, currency.ANY_MARK)
    if with_mark is not None and with_mark.any():
        arr = pc.utf8_trim_whitespace(_replace(arr, currency.ANY_MARK, ""))
    else:
        with_mark = None
    parens = bool(_matches(arr, r"^\(.*\)$").any())
    if parens:
        arr = _replace(arr, r"^\((.*)\)$", r"-\1")
    if _matches(arr, r"^[+-]\s").any():
        arr = _replace(arr, r"^([+-])\s+", r"\1")
    return _replace(arr, _GROUP_SPACE, r"\1'\2"), with_mark, parens


def _decimal_comma(arr: pa.Array) -> bool | None:
    """True if the column's evidence says decimal comma, False if decimal point, None if silent."""
    comma = int(_matches(arr, _COMMA_DECIMAL).sum())
    point = int(_matches(arr, _POINT_DECIMAL).sum())
    if comma == point == 0:
        return None
    return comma > point


def _to_float(arr: pa.Array, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Cleaned number strings -> (float64 values, valid mask) under one convention."""
    valid = _matches(arr, _VALID_COMMA if decimal_comma else _VALID_POINT)
    arr = pc.replace_substring(_null_where(arr, ~valid), "'", "")
    if decimal_comma:
        arr = pc.replace_substring(pc.replace_substring(arr, ".", ""), ",", ".")
    else:
        arr = pc.replace_substring(arr, ",", "")
    return _floats(arr.cast(pa.float64())), valid


def _digits_only(arr: pa.Array) -> bool:
    """Every value is ASCII digits alone (ids, counts, whole minutes): a test five times quicker than a pattern."""
    return bool(_np(pc.ascii_is_decimal(arr), True).all())


def _numbers(arr: pa.Array, digits: bool | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Trimmed strings (null = empty) -> (values, bad, notes); the shared core of the parsers. ``digits``:
    :func:`_digits_only` of ``arr`` when the caller knows it already."""
    present = _present(arr)
    if (_digits_only(arr) if digits is None else digits) or bool(_matches(arr, _PLAIN_NUMBER)[present].all()):  # the common case: one cast
        values = _floats(pc.cast(arr, pa.float64()))
        huge = present & ~np.isfinite(values)          # "1e400" overflows to infinity: not a number here
        return np.where(huge, np.nan, values), huge, []
    text, with_mark, parens = _number_text(arr)
    comma = _decimal_comma(text)
    values, valid = _to_float(text, bool(comma))
    valid = valid & ~np.isinf(values)
    # Marks of the values that are amounts: a word in the column ("left", "Neuro") holds letters of a mark, not one.
    amounts = None if with_mark is None else with_mark & valid
    marks = currency.marks_in(arr.filter(pa.array(amounts))) if amounts is not None and amounts.any() else ()
    values = np.where(valid, values, np.nan)
    notes = []
    if comma:
        notes.append("decimal comma")
    elif bool(_matches(text, r",[0-9]{3}").any()):
        notes.append("comma read as thousands separator (1,234 = 1234)")
    if marks:
        notes.append(f"{currency.MARKS_NOTE} ({', '.join(marks)})")
    if parens:
        notes.append("(3) read as -3")
    return values, present & ~valid, notes


def _note(parts: list[str]) -> str | None:
    return "; ".join(parts) if parts else None


def _parsed(values: np.ndarray | pd.api.extensions.ExtensionArray, bad: np.ndarray, index: pd.Index,
            notes: list[str], dtype: object = None) -> Parsed:
    return Parsed(pd.Series(values, index=index, dtype=dtype), bad, _note(notes))


def parse_numbers(s: pd.Series) -> Parsed:
    """Numbers written the many ways spreadsheets and people write them.

    "1234.5", "1,234.5", "1.234,5", "1 234,5" (space, no-break or narrow no-break space),
    "1'234.5", "12,5", "-3", "(3)" (-3), "1e5", with or without a currency symbol or code
    ($ € £ zł Ft руб USD EUR ...). Whether the comma is a decimal or a thousands separator is
    decided for the whole column: a comma followed by 1-2 or 4+ digits, or after a point,
    means decimal comma; a point followed by 1-2 or 4+ digits, or after a comma, means decimal
    point; the majority wins and values that contradict it are bad. Without evidence ("1,234"
    only) the comma separates thousands. A percent sign makes a value bad (see
    :func:`parse_pct`).

    Parameters
    ----------
    s : pandas.Series of str
        One column; empty cells are ``<NA>`` or "".

    Returns
    -------
    Parsed
        float64 values (NaN where missing or bad).
    """
    values, bad, notes = _numbers(_texts(s))
    return _parsed(values, bad, s.index, notes, "float64")


def parse_pct(s: pd.Series) -> Parsed:
    """Percentages as fractions in [0, 1]: "92 %", "92%", "92", "0.92", "92,5 %".

    A value with a percent sign is a percentage. Without any percent sign in the column, a
    column whose values are all <= 1 holds fractions already; otherwise its numbers are
    percentages. Negative values and percentages above 100 are bad.

    Returns
    -------
    Parsed
        float64 fractions (0.92 for 92 %).
    """
    arr = _texts(s)
    has_pct = _matches(arr, r"%$")
    numbers, bad, notes = _numbers(pc.utf8_trim_whitespace(_replace(arr, r"\s*%$", "")))
    ok = ~bad & ~np.isnan(numbers)
    if not has_pct.any() and bool((numbers[ok] <= 1.0).all()):
        fractions = numbers
        notes.append("read as fractions (0.92 = 92 %)")
    else:
        fractions = numbers / 100.0
        notes.append("read as percentages (92 = 92 %)")
    out_of_range = ok & ((fractions < 0.0) | (fractions > 1.0))
    fractions = np.where(out_of_range, np.nan, fractions)
    return _parsed(fractions, bad | out_of_range, s.index, notes, "float64")


def parse_scores_0_10(s: pd.Series) -> Parsed:
    """Answers to "how likely are you to recommend us": whole numbers 0-10, else bad.

    Returns
    -------
    Parsed
        float64 scores (NaN where missing or bad).
    """
    numbers, bad, notes = _numbers(_texts(s))
    ok = ~np.isnan(numbers)
    off_scale = ok & ~((numbers >= 0) & (numbers <= 10) & (numbers == np.round(numbers)))
    return _parsed(np.where(off_scale, np.nan, numbers), bad | off_scale, s.index, notes, "float64")


# --- date-times -----------------------------------------------------------------------------

_ZONE = (r"^(?P<local>.*?[0-9]:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)\s*"
         r"(?P<zone>Z|[+-][0-9]{2}(?::?[0-9]{2})?|(?:UTC|GMT)(?:\s*[+-][0-9]{1,2}(?::?[0-9]{2})?)?)$")
_OFFSET = r"^(?:Z|UTC|GMT)?\s*(?P<sign>[+-])?(?P<h>[0-9]{1,2})?:?(?P<m>[0-9]{2})?$"
_AMPM = r"^(?P<rest>.*[0-9])\s*(?P<ap>[AaPp])\.?[Mm]\.?$"
_ISO_SHAPE = r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[ T][0-9]{1,2}(?::[0-9]{1,2}(?::[0-9]{1,2}(?:\.[0-9]+)?)?)?)?$"
_NAMED_DAY_FIRST = (r"^(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\.?[ /-]?(?P<mon>[^0-9\s.,'/-]+)\.?,?[ /-]?"
                    r"(?P<y>[0-9]{4}|[0-9]{2})(?P<rest>[ T].*)?$")
_NAMED_MONTH_FIRST = (r"^(?P<mon>[^0-9\s.,'-]+)\.?[ -]?(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?,?[ -]?"
                      r"(?P<y>[0-9]{4})(?P<rest>[ T].*)?$")
_MAX_OFFSET_MIN = 14 * 60

# First letters of month names (English, German, French, Spanish, Italian, Portuguese, Dutch,
# Polish, Hungarian, Russian); four letters where three are ambiguous (juin, juil).
_MONTH_PREFIXES: dict[str, int] = {
    **dict.fromkeys(("jan", "ene", "gen", "sty", "янв"), 1),
    **dict.fromkeys(("feb", "fév", "fev", "lut", "фев"), 2),
    **dict.fromkeys(("mar", "mär", "már", "maa", "мар"), 3),
    **dict.fromkeys(("apr", "avr", "abr", "kwi", "ápr", "апр"), 4),
    **dict.fromkeys(("may", "mai", "mag", "maj", "mei", "máj", "май", "мая"), 5),
    **dict.fromkeys(("jun", "juin", "giu", "cze", "jún", "июн"), 6),
    **dict.fromkeys(("jul", "juil", "lug", "lip", "júl", "июл"), 7),
    **dict.fromkeys(("aug", "aoû", "aou", "ago", "sie", "авг"), 8),
    **dict.fromkeys(("sep", "set", "wrz", "sze", "сен"), 9),
    **dict.fromkeys(("oct", "okt", "out", "ott", "paź", "paz", "окт"), 10),
    **dict.fromkeys(("nov", "lis", "ноя"), 11),
    **dict.fromkeys(("dec", "dez", "déc", "dic", "gru", "дек"), 12),
}


def _month_number(word: str | None) -> str | None:
    """'Mar', 'march', 'März', 'марта' -> '03'; None for no month name."""
    if not word:
        return None
    word = word.lower().rstrip(".")
    month = _MONTH_PREFIXES.get(word[:4]) or _MONTH_PREFIXES.get(word[:3])
    return f"{month:02d}" if month else None


def _months_of(words: pa.Array) -> pa.Array:
    """Month words -> '01'..'12' strings (null if not a month), mapping distinct words only."""
    encoded = pc.dictionary_encode(words)
    numbers = pa.array([_month_number(w) for w in encoded.dictionary.to_pylist()], pa.string())
    return pc.take(numbers, encoded.indices)


# The main form, read in one pass: a numeric date (year first, or day/month first with a 2- or
# 4-digit year), an optional time, AM/PM and UTC offset. ISO 8601 is one case of it.
_CLOCK = (r"(?:(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?))?"
          r"(?:\s*(?P<ap>[AaPp])\.?[Mm]\.?)?"
          r"(?:\s*(?P<zone>Z|[+-][0-9]{2}(?::?[0-9]{2})?|(?:UTC|GMT)(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?))?$")
_MAIN = r"^(?P<a>[0-9]{1,4})(?P<sep>[./-])(?P<b>[0-9]{1,2})[./-](?P<c>[0-9]{1,4})(?:(?:T|,?\s+)" + _CLOCK[3:]
# The named-month form, also in one pass: optional weekday, day and month name either way round,
# year, then the same clock as the main form ("Fri, 1 Mar 2024 14:05 +0000", "Mar 1, 2024 2:05 PM").
_WORD = r"[^0-9\s.,'/-]+"  # a month name; not \pL, which makes RE2 four times slower here
_WEEKDAY = "|".join("".join(f"[{c.upper()}{c}]" for c in day)  # [Mm][Oo][Nn]|...: any case, no (?i)
                    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
_NAMED = (r"^(?:(?:" + _WEEKDAY + r")[A-Za-z]*\.?,?\s+)?"
          r"(?:(?P<d1>[0-9]{1,2})(?:st|nd|rd|th)?\.?[ /-]?(?P<m1>" + _WORD + r")\.?,?[ /-]?"
          r"|(?P<m2>" + _WORD + r")\.?[ -]?(?P<d2>[0-9]{1,2})(?:st|nd|rd|th)?,?[ -]?)"
          r"(?P<y>[0-9]{4}|[0-9]{2})(?:(?:T|,?\s+(?:[Aa][Tt]\s+)?)" + _CLOCK[3:])


@dataclass
class _Pieces:
    """Per row: microseconds (wall clock, or UTC where ``utc``), UTC offset, AM/PM, failure."""

    us: np.ndarray
    offset_min: np.ndarray  # NaN where the string names no zone
    pm: np.ndarray  # 1 PM, 0 AM, -1 neither
    utc: np.ndarray
    bad: np.ndarray

    @classmethod
    def empty(cls, n: int) -> _Pieces:
        return cls(np.full(n, _NAT), np.full(n, np.nan), np.full(n, -1, dtype=np.int8),
                   np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))

    def put(self, rows: np.ndarray, other: _Pieces) -> None:
        """Copy ``other`` (one entry per True of ``rows``) into those rows."""
        for field in ("us", "offset_min", "pm", "utc", "bad"):
            getattr(self, field)[rows] = getattr(other, field)


def _offsets(zone: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Zone strings ("Z", "+02:00", "-0500", "UTC", "GMT+2"; "" for none) -> minutes east, bad."""
    named = _np(pc.not_equal(zone, ""))
    offset = np.full(len(zone), np.nan)
    if not named.any():
        return offset, np.zeros(len(zone), dtype=bool)
    fields = pc.extract_regex(zone, _OFFSET)
    sign = np.where(_np(pc.equal(fields.field("sign"), "-")), -1.0, 1.0)
    hours = np.nan_to_num(_group_floats(fields.field("h")))
    minutes = np.nan_to_num(_group_floats(fields.field("m")))
    total = sign * (hours * 60 + minutes)
    bad = named & ((np.abs(total) > _MAX_OFFSET_MIN) | (minutes >= 60) | ~_np(pc.is_valid(fields)))
    return np.where(named & ~bad, total, np.nan), bad


def _ampm(mark: pa.Array) -> np.ndarray:
    """'a'/'p' marks ("" for none) -> 0 AM, 1 PM, -1 none."""
    lower = pc.utf8_lower(mark)
    return np.where(_np(pc.equal(lower, "p")), 1, np.where(_np(pc.equal(lower, "a")), 0, -1)).astype(np.int8)


def _day_first(first: np.ndarray, second: np.ndarray, us_style: np.ndarray,
               original: pa.Array, hint: DayFirst = None) -> tuple[bool, str | None]:
    """Day or month first for numeric dates like 01/03/2024, decided from the whole column.

    ``first`` and ``second`` are the two leading fields (NaN for other rows). A first field
    above 12 proves day first, a second field above 12 month first (the larger count wins if
    both occur). Undecidable: day first, unless dates use "/" with AM/PM (``us_style``).
    """
    if np.isnan(first).all():
        return True, None
    day_rows, month_rows = np.flatnonzero(first > 12), np.flatnonzero(second > 12)
    if day_rows.size or month_rows.size:
        day_first = day_rows.size >= month_rows.size
        example = original[int((day_rows if day_first else month_rows)[0])].as_py()
        return day_first, f"{'day' if day_first else 'month'} first ({example})"
    hint = hint() if callable(hint) else hint
    if hint is not None:
        return hint, f"{'day' if hint else 'month'} first, as the file's other date columns show"
    if us_style.any():
        return False, "month first assumed (US dates with AM/PM; no value has a day above 12)"
    return True, "day first assumed (no value has a day above 12)"


def _century(year: pa.Array) -> pa.Array:
    """Two-digit years -> four (00-69 -> 2000s, 70-99 -> 1900s, as strptime's %y)."""
    two = pc.equal(pc.utf8_length(year), 2)
    prefixed = pc.binary_join_element_wise(pc.if_else(pc.less(year, "70"), "20", "19"), year, "")
    return pc.if_else(two, prefixed, year)


def _main_form(main: pa.StructArray, day_first: bool) -> _Pieces:
    """Rows matched by ``_MAIN`` -> pieces (ISO strings built from the fields, parsed once)."""
    a, b, c = main.field("a"), main.field("b"), main.field("c")
    len_a, len_c = _np(pc.equal(pc.utf8_length(a), 4)), pc.utf8_length(c).to_numpy(zero_copy_only=False)
    year_first = pa.array(len_a)
    shape_bad = np.where(len_a, len_c > 2, (len_c != 2) & (len_c != 4)) | \
        _np(pc.equal(pc.utf8_length(a), 3))
    day, month = (a, b) if day_first else (b, a)
    iso = pc.binary_join_element_wise(pc.if_else(year_first, a, _century(c)),
                                      pc.if_else(year_first, b, month),
                                      pc.if_else(year_first, c, day), "-")
    return _clock_pieces(main, iso, shape_bad)


def _clock_pieces(fields: pa.StructArray, iso: pa.Array, shape_bad: np.ndarray) -> _Pieces:
    """Date part (ISO) + the clock fields of ``_MAIN``/``_NAMED`` -> pieces."""
    time = pc.replace_substring(fields.field("time"), ",", ".")
    iso = pc.if_else(pc.equal(time, ""), iso, pc.binary_join_element_wise(iso, time, " "))
    offset, zone_bad = _offsets(fields.field("zone"))
    return _Pieces(_iso_to_us(iso), offset, _ampm(fields.field("ap")), np.zeros(len(fields), dtype=bool),
                   shape_bad | zone_bad)


def _named_form(named: pa.StructArray) -> _Pieces:
    """Rows matched by ``_NAMED`` -> pieces; month names mapped once per distinct word."""
    day_first = pc.not_equal(named.field("d1"), "")
    day = pc.if_else(day_first, named.field("d1"), named.field("d2"))
    month = _months_of(pc.if_else(day_first, named.field("m1"), named.field("m2")))
    iso = pc.binary_join_element_wise(_century(named.field("y")), month, day, "-")
    return _clock_pieces(named, iso, np.zeros(len(named), dtype=bool))


def _other_forms(arr: pa.Array, day_first: bool) -> _Pieces:
    """Rows the main form missed: month names, weekdays, "at", odd spacing -> pieces."""
    local, offset, zone_bad = _split_zone(arr)
    local, pm = _split_ampm(local)
    us = _iso_to_us(_normalise(local, day_first))
    return _Pieces(us, offset, pm, np.zeros(len(arr), dtype=bool), zone_bad)


def _split_zone(arr: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Take a trailing UTC offset ("Z", "+02:00", "UTC") off each string; offsets in minutes."""
    parts = pc.extract_regex(arr, _ZONE)
    zoned = _np(pc.is_valid(parts))
    if not zoned.any():
        return arr, np.full(len(arr), np.nan), np.zeros(len(arr), dtype=bool)
    offset, bad = _offsets(pc.fill_null(parts.field("zone"), ""))
    return pc.if_else(pa.array(zoned), parts.field("local"), arr), offset, bad


def _split_ampm(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Take a trailing AM/PM mark off each string: 1 PM, 0 AM, -1 none."""
    parts = pc.extract_regex(arr, _AMPM)
    marked = _np(pc.is_valid(parts))
    pm = np.where(marked, _ampm(pc.fill_null(parts.field("ap"), "")), -1).astype(np.int8)
    return pc.if_else(pa.array(marked), parts.field("rest"), arr), pm


def _normalise_numeric_dates(arr: pa.Array, day_first: bool) -> pa.Array:
    """2024/03/01, 01.03.2024, 03/01/24 ... -> 2024-03-01 (ISO order), the rest unchanged."""
    arr = _replace(arr, r"^([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})", r"\1-\2-\3")
    d, m = (r"\1", r"\2") if day_first else (r"\2", r"\1")
    arr = _replace(arr, r"^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})", rf"\3-{m}-{d}")
    for century, decades in (("20", "[0-6]"), ("19", "[7-9]")):
        arr = _replace(arr, rf"^([0-9]{{1,2}})[./-]([0-9]{{1,2}})[./-]({decades}[0-9])([ T]|$)",
                       rf"{century}\3-{m}-{d}\4")
    return arr


def _normalise_named_months(arr: pa.Array) -> pa.Array:
    """'1 Mar 2024 14:05', 'Mar 1, 2024', '01-Mar-24', 'Fri, 1 March 2024' -> '2024-03-01 ...'."""
    arr = _replace(arr, r"(?i)^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*", "")
    for pattern in (_NAMED_DAY_FIRST, _NAMED_MONTH_FIRST):
        parts = pc.extract_regex(arr, pattern)
        found = _np(pc.is_valid(parts))
        if not found.any():
            continue
        iso = pc.binary_join_element_wise(_century(parts.field("y")), _months_of(parts.field("mon")),
                                          parts.field("d"), "-")
        iso = pc.binary_join_element_wise(iso, pc.fill_null(parts.field("rest"), ""), "")
        arr = pc.if_else(pa.array(found), iso, arr)
    return arr


def _normalise(arr: pa.Array, day_first: bool) -> pa.Array:
    """Local date-time strings -> ISO 8601 ('2024-03-01 14:05:07.5'), null where no form fits."""
    arr = _replace(arr, r"[\s\x{00A0}]+", " ")
    arr = _normalise_named_months(_replace(arr, r"(?i)\s+at\s+", " "))
    arr = _replace(arr, r"^(.*[0-9]{4}),\s*([0-9]{1,2}:)", r"\1 \2")
    arr = _replace(arr, r"(:[0-9]{2}),([0-9]+)$", r"\1.\2")
    arr = _normalise_numeric_dates(arr, day_first)
    return _null_where(arr, ~_matches(arr, _ISO_SHAPE))


def _arrow_iso_us(arr: pa.Array) -> np.ndarray | None:
    """ISO 8601 strings without zone -> int64 microseconds (``_NAT`` where null) when Arrow's own parser reads every
    value; None when it refuses one (a single-digit month, the 30th of February, a zone, a letter). What it reads
    also has :data:`_ISO_SHAPE`, so a column it reads needs no pattern test."""
    try:
        stamps = arr.cast(pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return stamps.to_numpy(zero_copy_only=False).astype("datetime64[us]").view(np.int64)


def _iso_to_us(arr: pa.Array) -> np.ndarray:
    """ISO 8601 strings without zone -> int64 microseconds (``_NAT`` where invalid).

    Arrow's own parser reads a column of valid values nine times faster than pandas; one value it refuses (a
    single-digit month, the 30th of February) sends the column to pandas, which marks only that value invalid."""
    us = _arrow_iso_us(arr)
    return us if us is not None else _pandas_iso_us(arr)


def _pandas_iso_us(arr: pa.Array) -> np.ndarray:
    """ISO 8601 strings without zone -> int64 microseconds by pandas, ``_NAT`` for each value it cannot read."""
    strings = pd.Series(pd.arrays.ArrowStringArray(arr))
    parsed = pd.to_datetime(strings, format="ISO8601", errors="coerce")
    return parsed.to_numpy(dtype="datetime64[us]").view(np.int64)


def _apply_ampm(us: np.ndarray, pm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """12-hour clock -> 24-hour; hour 0 or above 12 with AM/PM is bad."""
    marked = (pm >= 0) & (us != _NAT)
    hour = (us // 3_600_000_000) % 24
    bad = marked & ((hour > 12) | (hour == 0))
    ok = marked & ~bad
    shift = np.where(ok & (pm == 1) & (hour < 12), 12, 0) - np.where(ok & (pm == 0) & (hour == 12), 12, 0)
    return np.where(bad, _NAT, us + shift * 3_600_000_000), bad


def _numeric_datetimes(arr: pa.Array, present: np.ndarray) -> tuple[_Pieces, str] | None:
    """Whole-column numeric dates: epoch seconds/milliseconds, YYYYMMDD, Excel serials.

    None when the column is not all numbers.
    """
    def all_rows(pattern: str) -> bool:
        return bool(_matches(arr, pattern)[present].all())

    if not present.any() or not all_rows(r"^[0-9]+(?:[.,][0-9]+)?$"):
        return None
    pieces = _Pieces.empty(len(arr))
    if all_rows(r"^[0-9]{10}$") or all_rows(r"^[0-9]{13}$"):
        seconds = all_rows(r"^[0-9]{10}$")
        values = pc.fill_null(arr.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
        pieces.us = np.where(present, values * (1_000_000 if seconds else 1_000), _NAT)
        pieces.utc[:] = True
        return pieces, f"Unix epoch {'seconds' if seconds else 'milliseconds'}"
    if all_rows(r"^[0-9]{8}$"):
        pieces.us = _iso_to_us(_replace(arr, r"^([0-9]{4})([0-9]{2})([0-9]{2})$", r"\1-\2-\3"))
        return pieces, "YYYYMMDD dates"
    if all_rows(r"^[0-9]{6}$"):
        # 990215: a call-centre switch's date. Taken only when every value is a calendar date; years 00-69
        # are 2000s and 70-99 1900s, as for two-digit years elsewhere.
        iso = _replace(arr, r"^([0-6][0-9])([0-9]{2})([0-9]{2})$", r"20\1-\2-\3")
        us = _iso_to_us(_replace(iso, r"^([7-9][0-9])([0-9]{2})([0-9]{2})$", r"19\1-\2-\3"))
        if (us[present] != _NAT).all():
            pieces.us = us
            return pieces, "YYMMDD dates (years 00-69 read as 2000s, 70-99 as 1900s)"
        return pieces, "six-digit numbers that are not all YYMMDD dates"
    days = _floats(pc.replace_substring(arr, ",", ".").cast(pa.float64()))
    lo, hi = EXCEL_SERIAL_RANGE
    if not ((days[present] >= lo) & (days[present] <= hi)).all():
        return pieces, "numbers that are not dates"
    # Excel keeps time to the millisecond; rounding there drops float noise (14:04:59.99999).
    ms = np.round(np.nan_to_num(days) * 86_400_000).astype(np.int64)
    pieces.us = np.where(present, _EXCEL_EPOCH.astype(np.int64) + ms * 1_000, _NAT)
    return pieces, "Excel serial day numbers"


def _localize(us: np.ndarray, tz: str) -> np.ndarray:
    """Wall-clock microseconds in ``tz`` -> UTC microseconds.

    A time repeated when clocks go back is read as the first (summer-time) one; a time skipped
    when clocks go forward is moved forward to the first valid time.
    """
    if tz.upper() in ("UTC", "ETC/UTC"):
        return us
    index = pd.DatetimeIndex(us.view("datetime64[us]"))
    local = index.tz_localize(tz, ambiguous=np.ones(len(index), dtype=bool), nonexistent="shift_forward")
    return local.tz_convert("UTC").tz_localize(None).as_unit("us").asi8


def _utc_series(us: np.ndarray, index: pd.Index) -> pd.Series:
    values = pd.DatetimeIndex(us.view("datetime64[us]")).tz_localize("UTC")
    return pd.Series(values, index=index, dtype="datetime64[us, UTC]")


def _leading_fields(arr: pa.Array) -> tuple[pa.StructArray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The main form's parts, which rows match it, their two leading numbers and US-style rows."""
    main = pc.extract_regex(arr, _MAIN)
    matched = _np(pc.is_valid(main))
    first, second = np.full(len(arr), np.nan), np.full(len(arr), np.nan)
    if matched.any():
        leading = matched & ~_np(pc.equal(pc.utf8_length(pc.fill_null(main.field("a"), "")), 4))
        first[leading] = _group_floats(main.field("a"))[leading]
        second[leading] = _group_floats(main.field("b"))[leading]
        slash = _np(pc.equal(main.field("sep"), "/")) & ~_np(pc.equal(main.field("ap"), ""))
    else:
        slash = np.zeros(len(arr), dtype=bool)
    return main, matched, first, second, slash & ~np.isnan(first)


def date_order(s: pd.Series) -> bool | None:
    """True when the column's numeric dates prove day first (a first field above 12), False when
    they prove month first, None when they prove neither (or are ISO, typed or not dates)."""
    if not (isinstance(s.dtype, pd.StringDtype) or s.dtype == object):
        return None
    arr = _texts(s)
    present = _present(arr)
    if not present.any() or _matches(arr, _ISO_SHAPE)[present].all():
        return None
    _, _, first, second, _ = _leading_fields(arr)
    days, months = int((first > 12).sum()), int((second > 12).sum())
    return None if days == months == 0 else days >= months


def _string_forms(arr: pa.Array, present: np.ndarray, hint: DayFirst = None) -> tuple[_Pieces, str | None]:
    """Date-time strings -> pieces: the main form in one pass, other forms on the rows left."""
    main, matched, first, second, us_style = _leading_fields(arr)
    day_first, note = _day_first(first, second, us_style, arr, hint)
    pieces = _Pieces.empty(len(arr))
    if matched.any():
        pieces.put(matched, _main_form(main.filter(pa.array(matched)), day_first))
    rest = present & ~matched
    if rest.any() and _matches(arr, r"[^0-9\s.,:/+-]")[rest].any():
        named = np.zeros(len(arr), dtype=bool)
        fields = pc.extract_regex(arr.filter(pa.array(rest)), _NAMED)
        named[rest] = _np(pc.is_valid(fields))
        if named.any():
            pieces.put(named, _named_form(fields.filter(pc.is_valid(fields))))
        rest &= ~named
    if rest.any():
        pieces.put(rest, _other_forms(arr.filter(pa.array(rest)), day_first))
    return pieces, note


def _pieces(arr: pa.Array, present: np.ndarray, hint: DayFirst = None) -> tuple[_Pieces, str | None]:
    """Pick the reading: plain ISO (the common case, one parse), whole-column numbers, or strings."""
    us = _arrow_iso_us(arr)
    if us is not None:
        pieces = _Pieces.empty(len(arr))
        pieces.us = us
        return pieces, None
    if _matches(arr, _ISO_SHAPE)[present].all():           # ISO in shape, a value Arrow refused: pandas reads it
        pieces = _Pieces.empty(len(arr))
        pieces.us = _pandas_iso_us(arr)
        return pieces, None
    if not _matches(arr, r"[^0-9.,]")[present].any():
        numeric = _numeric_datetimes(arr, present)
        if numeric is not None:
            return numeric
    return _string_forms(arr, present, hint)


_US_PER_DAY = 86_400_000_000


def _calendar_days(arr: pa.Array, us: np.ndarray, rows: np.ndarray) -> bool:
    """Every value of ``rows`` is a bare date: no clock written and at midnight."""
    return bool((us[rows] % _US_PER_DAY == 0).all()) and not bool((_matches(arr, ":") & rows).any())


def parse_datetimes(s: pd.Series, *, assume_tz: str = "UTC", day_first: DayFirst = None) -> Parsed:
    """Date-times in the usual export formats -> UTC instants.

    Understood: ISO 8601 ("2024-03-01", "2024-03-01 14:05", "2024-03-01T14:05:07.123Z",
    "+02:00" offsets), "2024/03/01 14:05:07.000", numeric day-first or month-first dates
    ("01.03.2024 14:05", "01/03/2024", "03/31/2024 2:05 PM", two-digit years), month names
    ("1 Mar 2024", "Mar 1, 2024 14:05", "01-Mar-24", "25/Feb/26 10:17 PM" as Jira writes it,
    "Fri, 1 March 2024 14:05:07 +0000"), and
    for whole numeric columns Unix epoch seconds or milliseconds (all 10 or all 13 digits),
    YYYYMMDD, YYMMDD (all six digits and all calendar dates: "990215" is 15 Feb 1999), or Excel serial day
    numbers (20000-80000, the fraction is the time of day).

    Day or month first is decided for the whole column (see ``note``). Offsets are applied per
    value, so a column mixing "+01:00", "+02:00" and "Z" is right; values without a zone are
    wall-clock times in ``assume_tz``: a time repeated when clocks go back is taken as the
    first, a time skipped when they go forward is moved forward.

    Parameters
    ----------
    s : pandas.Series of str
    assume_tz : str
        IANA time zone of values written without an offset (and of Excel serials, YYYYMMDD).
    day_first : bool or callable, optional
        The order other columns of the same file prove, used when this column proves neither; a function
        returning it is called only then.

    Returns
    -------
    Parsed
        ``datetime64[us, UTC]`` values (NaT where missing or bad).
    """
    arr = _texts(s)
    present = _present(arr)
    pieces, note = _pieces(arr, present, day_first)
    notes = [note] if note else []
    us, ampm_bad = _apply_ampm(pieces.us, pieces.pm)
    zoned = ~np.isnan(pieces.offset_min) & (us != _NAT)
    result = us.copy()
    if zoned.any():
        result[zoned] -= np.round(pieces.offset_min[zoned] * 60_000_000).astype(np.int64)
        notes.append("UTC offsets applied")
    wall = present & ~zoned & ~pieces.utc & (us != _NAT)
    if wall.any() and _calendar_days(arr, us, wall):
        # Dates without a time are days of the calendar, not local midnights: read in a zone east of
        # UTC they would fall on the day before and be counted in the wrong month.
        notes.append("dates without a time read as calendar days")
    elif wall.any():
        result[wall] = _localize(us[wall], assume_tz)
        if assume_tz.upper() not in ("UTC", "ETC/UTC"):
            notes.append(f"times without zone read in {assume_tz}")
    result[~present | pieces.bad | ampm_bad] = _NAT
    bad = present & (result == _NAT)
    return Parsed(_utc_series(result, s.index), bad, _note(notes))


_TIME_OF_DAY = (r"^(?P<h>[0-9]{1,2})[:.](?P<m>[0-9]{2})(?:[:.](?P<s>[0-9]{2}(?:[.,][0-9]+)?))?"
                r"\s*(?P<ap>[AaPp]\.?[Mm]\.?)?$")


def parse_times_of_day_h(s: pd.Series) -> Parsed:
    """Clock times -> hours after midnight in [0, 24).

    Understood: "7:02:47", "07:02", "19.05", "7:02:47.250", "7:02 PM" (12 AM is midnight, 12 PM noon).
    Bad: anything else, hours past 23 (or past 12 with AM/PM), minutes or seconds of 60 or more.
    """
    arr = _texts(s)
    present = _present(arr)
    parts = pc.extract_regex(arr, _TIME_OF_DAY)
    matched = _np(pc.is_valid(parts))
    hour, minute, second = (_group_floats(pc.fill_null(parts.field(k), "")) for k in ("h", "m", "s"))
    mark = pc.utf8_lower(pc.fill_null(parts.field("ap"), ""))
    pm, marked = _np(pc.starts_with(mark, "p")), _np(pc.not_equal(mark, ""))
    wrong = (minute >= 60) | (np.nan_to_num(second) >= 60) | (hour > np.where(marked, 12, 23)) | (marked & (hour < 1))
    hour = np.where(marked, hour % 12 + 12 * pm, hour)
    hours = np.where(matched & ~wrong, hour + minute / 60 + np.nan_to_num(second) / 3600, np.nan)
    return _parsed(hours, present & np.isnan(hours), s.index, [], "float64")


def parse_date_and_clock(dates: pd.Series, clocks: pd.Series, *, assume_tz: str = "UTC",
                         day_first: DayFirst = None) -> Parsed:
    """A date in one column and its time of day in another -> UTC instants.

    The dates are read as :func:`parse_datetimes` reads them (990201, 2024-03-01, 01.03.2024 ...) and must be
    bare days; the clocks as :func:`parse_times_of_day_h` reads them. The wall-clock time they make together is
    read in ``assume_tz`` (the dates' own offsets, if any, do not apply to a clock written elsewhere).

    A row is missing when both cells are empty, and bad when either is unreadable or empty while the other is
    not, or when its date carries a time of its own.
    """
    day = parse_datetimes(dates, assume_tz="UTC", day_first=day_first)
    clock = parse_times_of_day_h(clocks)
    day_us = day.values.to_numpy(dtype="datetime64[us]", na_value=np.datetime64("NaT")).astype(np.int64)
    day_ok = (day_us != _NAT) & (day_us % _US_PER_DAY == 0)
    clock_h = clock.values.to_numpy(dtype=np.float64)
    ok = day_ok & ~np.isnan(clock_h)
    wall = np.where(ok, day_us + np.round(np.nan_to_num(clock_h) * 3_600_000_000).astype(np.int64), _NAT)
    result = wall.copy()
    if ok.any():
        result[ok] = _localize(wall[ok], assume_tz)
    present = _present(_texts(dates)) | _present(_texts(clocks))
    notes = [n for n in (day.note or "").split("; ") if n and n != "dates without a time read as calendar days"]
    notes.append("date and time of day from two columns" + (
        f", read in {assume_tz}" if assume_tz.upper() not in ("UTC", "ETC/UTC") else ""))
    return Parsed(_utc_series(result, dates.index), present & ~ok, _note(notes))


# --- months ---------------------------------------------------------------------------------

_MONTH_ONLY_NAMED = r"^(?P<mon>[^0-9\s.,'-]+)\.?[ \-']*(?P<y>[0-9]{4}|[0-9]{2})$"


def _month_only(arr: pa.Array) -> pa.Array:
    """'2024-03', '2024/3', '03/2024', '3.2024', 'Mar 2024', 'March 2024', 'Mar-24', and the Hungarian
    '2024.03.' and '2024. 03.' -> '2024-03-01'.

    Null for strings of any other form.
    """
    iso = _replace(arr, r"^([0-9]{4})[-/.] ?([0-9]{1,2})\.?$", r"\1-\2-01")
    iso = _replace(iso, r"^([0-9]{1,2})[-/.]([0-9]{4})$", r"\2-\1-01")
    parts = pc.extract_regex(arr, _MONTH_ONLY_NAMED)
    if _np(pc.is_valid(parts)).any():
        year = parts.field("y")
        year = pc.if_else(pc.equal(pc.utf8_length(year), 2),
                          pc.binary_join_element_wise(pc.if_else(pc.less(year, "70"), "20", "19"), year, ""),
                          year)
        named = pc.binary_join_element_wise(year, _months_of(parts.field("mon")), "01", "-")
        iso = pc.if_else(pc.is_valid(parts), named, iso)
    return _null_where(iso, ~_matches(iso, r"^[0-9]{4}-[0-9]{1,2}-01$"))


def parse_months(s: pd.Series) -> Parsed:
    """Calendar months -> the first day of the month, 00:00 UTC.

    "2024-03", "03/2024", "Mar 2024", "March 2024", "Mar-24", and anything
    :func:`parse_datetimes` reads ("2024-03-01", "01.03.2024", Excel serials), which is then
    truncated to its month.

    Returns
    -------
    Parsed
        ``datetime64[us, UTC]`` month starts (NaT where missing or bad).
    """
    arr = _texts(s)
    us = _iso_to_us(_month_only(arr))
    rest = _present(arr) & (us == _NAT)
    numeric = _matches(arr, r"^[0-9]+(?:[.,][0-9]+)?$")
    notes: list[str] = []
    # Numbers (Excel serials) and date strings apart: parse_datetimes wants a whole numeric column.
    for rows in (rest & numeric, rest & ~numeric):
        if not rows.any():
            continue
        full = parse_datetimes(pd.Series(pd.arrays.ArrowStringArray(_null_where(arr, ~rows))))
        full_us = full.values.dt.tz_localize(None).to_numpy(dtype="datetime64[us]").view(np.int64)
        us = np.where(rows, full_us, us)
        notes += [full.note] if full.note else []
    months = np.where(us == _NAT, _NAT,
                      us.view("datetime64[us]").astype("datetime64[M]").astype("datetime64[us]").view(np.int64))
    bad = _present(arr) & (months == _NAT)
    return Parsed(_utc_series(months, s.index), bad, _note(notes))


# --- durations ------------------------------------------------------------------------------

_NUM = r"[0-9]+(?:[.,][0-9]+)?"
_CLOCK_DURATION = (r"^(?:(?P<d>[0-9]+)\s*(?:d|days?|дн\S*|dni|tage?)\.?\s*,?\s*|(?P<d2>[0-9]+)\.)?"
                   r"(?P<h>[0-9]+):(?P<m>[0-9]{1,2})(?::(?P<s>[0-9]{1,2}(?:[.,][0-9]+)?))?$")
_UNIT_DURATION = (r"(?i)^(?:(?P<d>" + _NUM + r")\s*(?:d|days?|дн\S*|сут\S*|dni|tage?)\.?[\s,]*)?"
                  r"(?:(?P<h>" + _NUM + r")\s*(?:h|hrs?|hours?|ч|час\S*|godz\S*|std\.?|stunden?|óra)\.?[\s,]*)?"
                  r"(?:(?P<m>" + _NUM + r")\s*(?:m|mins?|minutes?|мин\S*|minut\S*|perc)\.?[\s,]*)?"
                  r"(?:(?P<s>" + _NUM + r")\s*(?:s|secs?|seconds?|с|сек\S*|sek\S*|sekund\S*|mp)\.?)?$")
_ISO_DURATION = (r"^P(?:(?P<d>" + _NUM + r")D)?(?:T(?:(?P<h>" + _NUM + r")H)?(?:(?P<m>" + _NUM + r")M)?"
                 r"(?:(?P<s>" + _NUM + r")S)?)?$")


def _duration_fields(arr: pa.Array, pattern: str) -> tuple[np.ndarray, np.ndarray]:
    """Hours from the d/h/m/s groups of ``pattern``; (hours, matched) per row."""
    parts = pc.extract_regex(arr, pattern)
    matched = _np(pc.is_valid(parts))
    hours = np.zeros(len(arr))
    any_group = np.zeros(len(arr), dtype=bool)
    names = {f.name for f in parts.type}
    for name, factor in (("d", 24.0), ("d2", 24.0), ("h", 1.0), ("m", 1 / 60), ("s", 1 / 3600)):
        if name in names:
            values = _group_floats(pc.fill_null(parts.field(name), ""))
            any_group |= ~np.isnan(values)
            hours += np.nan_to_num(values) * factor
    return hours, matched & any_group


def parse_durations_h(s: pd.Series, unit: DurationUnit | None = "h") -> Parsed:
    """Durations -> hours.

    Plain numbers are in ``unit`` (decimal comma allowed); text carries its own unit:
    "hh:mm:ss", "hh:mm" (hours and minutes), "1d 02:03:04", "1 day 02:03:04", "2h 30m",
    "45 min", "1.5 hours", "PT2H30M". Negative durations are bad, and so are minutes or
    seconds of 60 or more on a clock.

    Parameters
    ----------
    s : pandas.Series of str
    unit : {"ms", "s", "min", "h", "d"} or None
        Unit of plain numbers (see :func:`unit_of_header`); None when nobody named one: hours, and the note
        says so.

    Returns
    -------
    Parsed
        float64 hours (NaN where missing or bad).
    """
    arr = _texts(s)
    present = _present(arr)
    hours = np.full(len(arr), np.nan)
    digits = _digits_only(arr)
    plain = present if digits else _matches(arr, r"^[+-]?[0-9.,' \x{00A0}\x{202F}]+$") & present
    notes: list[str] = []
    if plain.any():
        numbers, bad_numbers, number_notes = _numbers(arr, True) if digits else _numbers(_null_where(arr, ~plain))
        hours[plain & ~bad_numbers] = numbers[plain & ~bad_numbers] * HOURS_PER_UNIT[unit or "h"]
        notes += number_notes + [f"numbers read as {_UNIT_WORDS[unit or 'h']}" + (
            "" if unit else " (the header names no unit: choose it under Columns if the numbers are seconds, "
                            "minutes or days)")]
    rest = present & ~plain
    if rest.any():
        sub = arr.filter(pa.array(rest))
        found = np.zeros(int(rest.sum()), dtype=bool)
        values = np.full(found.size, np.nan)
        for pattern in (_CLOCK_DURATION, _UNIT_DURATION, _ISO_DURATION):
            h, ok = _duration_fields(sub, pattern)
            ok &= ~found
            values[ok], found = h[ok], found | ok
        clock = pc.extract_regex(sub, _CLOCK_DURATION)
        sixty = (_group_floats(pc.fill_null(clock.field("m"), "")) >= 60) | \
            (_group_floats(pc.fill_null(clock.field("s"), "")) >= 60)
        hours[rest] = np.where(sixty, np.nan, values)
    negative = hours < 0
    hours[negative] = np.nan
    return _parsed(hours, present & np.isnan(hours), s.index, notes, "float64")


_UNIT_WORDS = {"ms": "milliseconds", "s": "seconds", "min": "minutes", "h": "hours", "d": "days"}
# Searched in order; the first that matches wins. "(in) X" and "(X)" forms come first, so that
# "Minutes to reply (business hours)" is still minutes.
_HEADER_UNITS: tuple[tuple[str, DurationUnit], ...] = (
    (r"\((?:in\s+)?(?:ms|msecs?|millis|milliseconds?)\)", "ms"),
    (r"\((?:in\s+)?(?:s|secs?|seconds?|сек\w*|sek\w*)\)", "s"),
    (r"\((?:in\s+)?(?:m|mins?|minutes?|мин\w*|minut\w*|perc)\)", "min"),
    (r"\((?:in\s+)?(?:h|hrs?|hours?|ч|час\w*|godz\w*|std|stunden|óra)\)", "h"),
    (r"\((?:in\s+)?(?:d|days?|дн\w*|dni|tage?|nap)\)", "d"),
)
_HEADER_WORDS: tuple[tuple[str, DurationUnit], ...] = (
    (r"\b(?:milliseconds?|millis|msecs?|ms)\b", "ms"),
    (r"\b(?:seconds?|secs?|секунд\w*|сек|sekund\w*|sek|sekunden)\b", "s"),
    (r"\b(?:minutes?|mins?|минут\w*|мин|minut\w*|minuten|perc)\b", "min"),
    (r"\b(?:hours?|hrs?|часов|часа|час|ч|godzin\w*|godz|stunden|óra)\b", "h"),
    (r"\b(?:days?|дн\w*|дней|сут\w*|dni|tage?|nap)\b", "d"),
)


def unit_of_header(header: str) -> DurationUnit | None:
    """The time unit a column header names, if any.

    "First reply time in minutes" -> "min", "Resolution time (in hrs)" -> "h",
    "Wait (s)" -> "s", "Handle time seconds" -> "s", "Days open" -> "d"; None when the header
    names no unit ("Resolution time", "Time (hh:mm:ss)").
    """
    text = header.lower()
    for pattern, unit in _HEADER_UNITS:
        if re.search(pattern, text):
            return unit
    found = [(m.start(), unit) for pattern, unit in _HEADER_WORDS if (m := re.search(pattern, text))]
    return min(found)[1] if found else None


# --- booleans -------------------------------------------------------------------------------

_TRUE = frozenset({"yes", "y", "true", "t", "1", "1.0", "да", "д", "tak", "igen", "i", "ja", "j", "x", "✓",
                   "✔", "☑", "on", "oui", "si", "sí", "abandoned", "wahr", "hang", "hung up", "hangup",
                   "missed"})
# A call log's outcome: HANG (the caller hung up in the queue) or AGENT (an agent answered).
_FALSE = frozenset({"no", "n", "false", "f", "0", "0.0", "нет", "н", "nie", "nem", "nein", "off", "non",
                    "answered", "falsch", "agent", "served"})
_CHECK_MARKS = frozenset({"x", "✓", "✔", "☑"})


def parse_booleans(s: pd.Series) -> Parsed:
    """Yes/no answers in several languages -> booleans.

    True: yes, y, true, t, 1, да, tak, igen, ja, oui, sí, x, ✓, abandoned, hang, missed; false: no, n,
    false, f, 0, нет, nie, nem, nein, non, answered, agent, served (any case; a call log's outcome HANG or
    AGENT reads as abandoned or not). In a column of check marks only (x or
    ✓ and empty cells), an empty cell is False rather than missing.

    Returns
    -------
    Parsed
        pandas nullable ``boolean`` values.
    """
    arr = pc.utf8_lower(_texts(s))
    present = _present(arr)
    yes = _np(pc.is_in(arr, value_set=pa.array(sorted(_TRUE))))
    no = _np(pc.is_in(arr, value_set=pa.array(sorted(_FALSE))))
    values = pd.array(np.where(yes, True, False), dtype="boolean")
    missing = ~(yes | no)
    notes: list[str] = []
    marks_only = present.any() and bool(_np(pc.is_in(arr, value_set=pa.array(sorted(_CHECK_MARKS))))[present].all())
    if marks_only and not present.all():
        missing = np.zeros(len(arr), dtype=bool)
        notes.append("check marks: x is true, an empty cell false")
    values[missing] = pd.NA
    return _parsed(values, present & ~yes & ~no, s.index, notes, "boolean")


# --- ratings --------------------------------------------------------------------------------

_UNRATED = frozenset({"offered", "unoffered", "not offered", "unrated", "not rated", "no rating", "none",
                      "n/a", "na", "-"})
_ZENDESK = {"good": 1.0, "bad": 0.0, "goodwithcomment": 1.0, "badwithcomment": 0.0,
            "good with comment": 1.0, "bad with comment": 0.0, "good, i'm satisfied": 1.0,
            "bad, i'm unsatisfied": 0.0, "👍": 1.0, "👎": 0.0, "satisfied": 1.0, "unsatisfied": 0.0}
_HELP_SCOUT = {"great": 1.0, "okay": 0.5, "ok": 0.5, "not good": 0.0}
# Zoho Desk's happiness rating: Good, Okay, Bad; only Good is a satisfied customer.
_ZOHO = {"good": 1.0, "okay": 0.0, "ok": 0.0, "bad": 0.0}
_INTERCOM = {"amazing": 5.0, "great": 4.0, "ok": 3.0, "okay": 3.0, "bad": 2.0, "terrible": 1.0,
             "🤩": 5.0, "😃": 4.0, "😐": 3.0, "🙁": 2.0, "😠": 1.0}
_INTERCOM_ONLY = frozenset({"amazing", "terrible", "🤩", "😃", "😐", "🙁", "😠"})
_HELP_SCOUT_ONLY = frozenset({"not good"})
# Freshdesk's classic survey (three answers) and the five-point wording of its and others' surveys.
_FRESHDESK = {"awesome": 1.0, "just okay": 0.0, "not good": 0.0}
_FRESHDESK_ONLY = frozenset({"awesome", "just okay"})
_FIVE_WORDS = {"extremely happy": 5.0, "very happy": 5.0, "happy": 4.0, "neutral": 3.0, "unhappy": 2.0,
               "extremely unhappy": 1.0, "very unhappy": 1.0, "very satisfied": 5.0, "satisfied": 4.0,
               "dissatisfied": 2.0, "very dissatisfied": 1.0}
_FIVE_WORDS_ONLY = frozenset(_FIVE_WORDS) - {"satisfied"}


def _rating_words(words: set[str]) -> tuple[dict[str, float], RatingScale, str]:
    """The vocabulary a column uses -> (word -> score on its scale, scale, note)."""
    if words & _INTERCOM_ONLY:
        return _INTERCOM, "one_to_five", (f"Intercom ratings read as 1-5 (Amazing 5 ... Terrible 1); "
                                          f"{SATISFIED_MIN_ONE_TO_FIVE} and 5 count as satisfied")
    if words & _FRESHDESK_ONLY:
        return _FRESHDESK, "good_bad", "Freshdesk ratings: only Awesome counts as satisfied"
    if words & _FIVE_WORDS_ONLY:
        return _FIVE_WORDS, "one_to_five", (f"five-point wording read as 1-5 (extremely happy 5 ... extremely unhappy "
                                            f"1); {SATISFIED_MIN_ONE_TO_FIVE} and 5 count as satisfied")
    if words & _HELP_SCOUT_ONLY or (words & {"great", "okay"} and not words & {"good", "bad"}):
        return _HELP_SCOUT, "good_bad", "Help Scout ratings: only Great counts as satisfied"
    if words & {"okay", "ok"} and words & {"good", "bad"}:
        return _ZOHO, "good_bad", "Zoho Desk happiness ratings (Good, Okay, Bad): only Good counts as satisfied"
    return _ZENDESK, "good_bad", "good/bad ratings; offered or unoffered means unrated"


def _numeric_scale(scores: np.ndarray) -> tuple[RatingScale, np.ndarray, np.ndarray, str]:
    """Whole numbers on 1-5 or 0-10 -> (scale, score in [0, 1], satisfied, note); NaN stays NaN."""
    valid = ~np.isnan(scores)
    if valid.any() and bool(np.isin(scores[valid], (0.0, 1.0)).all()):
        return "good_bad", scores, scores == 1.0, "0/1 answers read as bad/good; 1 counts as satisfied"
    if bool(((scores[valid] >= 1) & (scores[valid] <= 5)).all()):
        return ("one_to_five", (scores - 1) / 4, scores >= SATISFIED_MIN_ONE_TO_FIVE,
                f"1-5 scale; {SATISFIED_MIN_ONE_TO_FIVE} and 5 count as satisfied")
    return ("zero_to_ten", scores / 10, scores >= PROMOTER_MIN,
            f"0-10 scale; {PROMOTER_MIN} and 10 count as satisfied (promoters)")


def parse_ratings(s: pd.Series) -> RatingParsed:
    """Satisfaction ratings as help desks export them, with the scale detected per column.

    - good/bad (Zendesk "Good", "Bad"; "Offered" and "Unoffered" are unrated, not bad; 👍/👎):
      satisfied = good.
    - Help Scout "Great", "Okay", "Not Good": satisfied = Great only.
    - Freshdesk "Awesome", "Just Okay", "Not Good": satisfied = Awesome only.
    - five-point wording ("Extremely happy" ... "Extremely unhappy", "Very satisfied" ...
      "Very dissatisfied"): read as 5..1 on a 1-5 scale.
    - Intercom "Amazing", "Great", "OK", "Bad", "Terrible" (or their emoji): read as 5..1 on a
      1-5 scale.
    - whole numbers: all within 1-5 -> "one_to_five", satisfied = 4 or 5
      (:data:`intake.metrics.definitions.SATISFIED_MIN_ONE_TO_FIVE`); any 0 or 6-10 -> "zero_to_ten",
      satisfied = 9 or 10 (promoters, :data:`intake.metrics.definitions.PROMOTER_MIN`).

    A column is read as words or as numbers, whichever most of its answers are; answers of the
    other kind, and numbers off 0-10 or not whole, are bad.

    Returns
    -------
    RatingParsed
        ``values`` is the answer as a score in [0, 1] on its scale (good 1, bad 0, 1-5 as
        (v - 1) / 4, 0-10 as v / 10); ``satisfied`` the satisfied flag.
    """
    # A rating column holds a handful of distinct answers: each is lower-cased and read once, then spread.
    encoded = pc.dictionary_encode(_texts(s))
    answers = pc.utf8_lower(encoded.dictionary)
    unrated = _np(pc.is_in(answers, value_set=pa.array(sorted(_UNRATED))))
    answers = _null_where(answers, unrated)
    rows = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    if unrated.any():
        rows = np.where(unrated[np.maximum(rows, 0)], -1, rows)
    present = rows >= 0
    if not present.any():             # nothing rated (no survey sent, or only "offered"): no scale, no note
        answers = answers.slice(0, 0)
    counts = np.bincount(rows[present], minlength=len(answers))
    score, satisfied, ok, scale, note = _rate_answers(answers, counts)
    take = np.where(rows >= 0, rows, 0)
    ok = present & (ok[take] if len(answers) else np.zeros(len(rows), dtype=bool))
    flags = pd.array(np.where(ok, satisfied[take] if len(answers) else False, False), dtype="boolean")
    flags[~ok] = pd.NA
    values = np.where(ok, score[take] if len(answers) else np.nan, np.nan)
    return RatingParsed(pd.Series(values, index=s.index, dtype="float64"),
                        pd.Series(flags, index=s.index), scale, present & ~ok, note)


def _rate_answers(answers: pa.Array, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                   RatingScale | None, str | None]:
    """Distinct answers (with how often each occurs) -> score, satisfied, ok per answer, scale, note.

    The column is read as numbers or as words, whichever most of its answers are.
    """
    n = len(answers)
    score, satisfied, ok = np.full(n, np.nan), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if n == 0:
        return score, satisfied, ok, None, None
    numbers, number_bad, _ = _numbers(answers)
    numeric = ~number_bad & ~np.isnan(numbers)
    if counts[numeric].sum() * 2 >= counts.sum() and numeric.any():
        ok = numeric & (numbers == np.round(numbers)) & (numbers >= 0) & (numbers <= 10)
        scale, score_all, satisfied_all, note = _numeric_scale(np.where(ok, numbers, np.nan))
        return np.where(ok, score_all, np.nan), ok & satisfied_all, ok, scale, note
    mapping, scale, note = _rating_words(set(answers.to_pylist()))
    for i, answer in enumerate(answers.to_pylist()):
        if answer in mapping:
            raw = mapping[answer]
            ok[i] = True
            if scale == "one_to_five":
                score[i], satisfied[i] = (raw - 1) / 4, raw >= SATISFIED_MIN_ONE_TO_FIVE
            else:
                score[i], satisfied[i] = raw, raw == 1.0
    return score, satisfied, ok, scale, note


# --- columns that arrive typed (Parquet) ----------------------------------------------------------

def from_typed(s: pd.Series, kind: str, *, assume_tz: str = "UTC", unit: DurationUnit | None = None) -> Parsed | None:
    """A column a columnar file already typed -> the field's values, without going through text; None when the
    column's type does not carry the kind (a text column, a number where a date is wanted): parse its text then.

    Date-times without a zone are wall-clock times in ``assume_tz``; numbers for a duration are in ``unit`` (hours
    when None); a number for an id is written as Arrow writes it (3.0 as "3").
    """
    dtype = s.dtype
    if kind in ("datetime", "month") and isinstance(dtype, pd.DatetimeTZDtype | np.dtypes.DateTime64DType):
        stamps = pd.DatetimeIndex(s)
        if stamps.tz is None:
            us = _localize(stamps.as_unit("us").asi8.copy(), assume_tz)
        else:
            us = stamps.tz_convert("UTC").tz_localize(None).as_unit("us").asi8.copy()
        if kind == "month":
            ok = us != _NAT
            us[ok] = us[ok].view("datetime64[us]").astype("datetime64[M]").astype("datetime64[us]").view(np.int64)
        return Parsed(_utc_series(us, s.index), np.zeros(len(s), dtype=bool))
    numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if numeric and kind in ("number", "count", "score", "duration_h"):
        values = s.to_numpy(dtype=np.float64, na_value=np.nan)
        if kind == "duration_h":
            values = values * HOURS_PER_UNIT[unit or "h"]
            values[values < 0] = np.nan
        bad = np.zeros(len(s), dtype=bool) if kind != "duration_h" else (s.notna().to_numpy() & np.isnan(values))
        return Parsed(pd.Series(values, index=s.index, dtype="float64"), bad)
    if numeric and kind in ("id", "text"):             # Arrow writes 3.0 as "3", as the number was exported
        text = pa.array(s).cast(pa.string())
        return Parsed(pd.Series(pd.arrays.ArrowStringArray(text), index=s.index), np.zeros(len(s), dtype=bool))
    return None
