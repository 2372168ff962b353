"""Spreadsheet-safe text: a cell that starts like a formula is written as text, never run."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed amount as the pages write it ("-47.617 €", "-$1,234", "+4.5 pts", "-12 %"): a sign, perhaps a currency
# sign, digits with separators and at most one short unit. With no operator, parenthesis or cell reference after
# the sign it cannot run anything, so it keeps its look instead of gaining an apostrophe.
SIGNED_AMOUNT = re.compile(r"[+-][$€£₽]?\d[\d .,\u00a0\u202f]*(?:[ \u00a0\u202f]?(?:%|[$€£₽]|[A-Za-zł]{1,4}))?")


def neutral(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not SIGNED_AMOUNT.fullmatch(value):
        return "'" + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column names are neutralised; numbers stay numbers."""
    out = frame.copy()
    out.columns = [neutral(str(c)) for c in out.columns]
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])):
            out[column] = out[column].map(neutral)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (so spreadsheets read accents), formulas neutralised.

    Rows end in CRLF (RFC 4180), which also makes the writer quote a cell holding a bare carriage return.
    """
    return neutral_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
