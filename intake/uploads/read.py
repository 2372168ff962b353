"""Bytes of an uploaded file -> a table of strings, exactly as the file holds them.

:func:`read_table` reads CSV, TSV and other delimited text (``,`` ``;`` tab ``|``) in UTF-8 (with or
without BOM), UTF-16 with BOM, Windows-1250/1251/1252 and Latin-1, and Excel workbooks (.xlsx, .xlsm).
Every cell comes back as a string or ``<NA>``: typing is :mod:`intake.uploads.convert`'s job.

Text is decoded once and read by one fast path (``pyarrow.csv``, multi-threaded, quoted newlines
allowed); only when rows do not have as many fields as the header does it fall back to pandas' C
reader on a wider table, so that short rows can be padded and long ones named. Python's :mod:`csv`
only splits a sample to find the delimiter. A file that cannot be read at all raises
:class:`ReadError`, whose message names the file and is meant for the page as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

if TYPE_CHECKING:  # calamine is imported when a workbook arrives
    from python_calamine import CalamineWorkbook

MAX_UPLOAD_BYTES = 300 * 1024 ** 2  # the server's limit (maxUploadSize = 300, in MiB); browsers stop there or before
MAX_COLUMNS = 2_000                 # a help desk's widest export has a few hundred
MAX_RAW_COLUMNS = 20_000            # fields in the first line before empty trailing ones are dropped (a wide "Save as")
MAX_NAME_CHARS = 1_000              # a header cell longer than this is no column name
MAX_CELLS = 60_000_000              # rows x columns of text: a million tickets of 60 columns (each cell costs memory)
MAX_LINE_BYTES = 16_000_000         # text without a line break longer than this is no row of a table

STRING = pd.StringDtype("pyarrow")  # missing is pd.NA, as RawTable promises
DELIMITERS = (",", ";", "\t", "|")
MAX_OVERFULL_SHARE = 0.01  # rows with extra fields above this share of the data refuse the file

_SNIFF_CHARS = 256 * 1024
_SCORE_BYTES = 1024 * 1024
_BLOCK_BYTES = 8 * 1024 * 1024
_EXAMPLES = 5
_CONTROL_SHARE = 0.01  # more control characters than this in the sample: not text

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, encrypted .xlsx
_ZIP_MAGIC = b"PK\x03\x04"
# Signatures that no text table starts with; other binaries are caught by their control bytes.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!",
                 b"\x7fELF", b"SQLite format")
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html|\?xml|table)\b", re.IGNORECASE)

_ENCODING_NOTES = {
    "cp1251": "Read as Windows-1251 (Cyrillic).",
    "cp1250": "Read as Windows-1250 (Central European).",
    "cp1252": "Read as Windows-1252 (Western European).",
    "latin-1": "Read as Latin-1 (ISO-8859-1).",
    "utf-16": "Read as UTF-16.",
}
_DELIMITER_NOTES = {";": "Columns separated by semicolons.", "\t": "Columns separated by tabs.",
                    "|": "Columns separated by vertical bars (|)."}


class ReadError(ValueError):
    """A file that cannot be read as a table; the message names the file and is meant for the page."""


@dataclass(frozen=True)
class RawTable:
    """One uploaded table, every cell a string.

    Attributes
    ----------
    name : str
        The file name as uploaded.
    frame : pandas.DataFrame
        One column per header (names stripped, made unique), every cell a ``str`` or ``<NA>``
        (pyarrow-backed string dtype); empty cells are ``<NA>``; blank rows are left out.
    encoding : str
        ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1251"``, ``"cp1250"``, ``"cp1252"``,
        ``"latin-1"`` or ``"xlsx"``.
    delimiter : str or None
        The field delimiter of a text file; None for a workbook.
    sheet : str or None
        The worksheet read from a workbook; None for a text file.
    notes : tuple of str
        Plain sentences for the user about how the file was read.
    rows : numpy.ndarray or None
        The row number a spreadsheet shows for each row of ``frame`` (the file's first record is
        row 1), counting the blank lines and rows left out; None means the header is row 1 and
        nothing was left out.
    whole : bytes or None
        The upload's bytes when ``frame`` holds only its first rows (a large upload read in slices:
        :mod:`intake.uploads.large`); a new reading of the table reads them again. None when ``frame``
        is the whole file.
    """

    name: str
    frame: pd.DataFrame
    encoding: str
    delimiter: str | None
    sheet: str | None
    notes: tuple[str, ...]
    rows: np.ndarray | None = None
    whole: bytes | None = field(default=None, repr=False, compare=False)

    def row_numbers(self) -> np.ndarray:
        """Spreadsheet row number of each row of ``frame``."""
        return self.rows if self.rows is not None else np.arange(len(self.frame), dtype=np.int64) + 2


# --- entry points ---------------------------------------------------------------------------

def read_table(data: bytes, name: str, *, max_bytes: int = MAX_UPLOAD_BYTES,
               sheet: str | None = None) -> RawTable:
    """Read an uploaded CSV/TSV/TXT or Excel file into a table of strings.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str
        The file name as uploaded; used in messages and to recognise .xls/.xlsx.
    max_bytes : int, optional
        Largest file accepted (bytes); 300 MB by default.
    sheet : str, optional
        Worksheet to read from a workbook; by default the first one that is not empty.
        Ignored for text files.

    Returns
    -------
    RawTable

    Raises
    ------
    ReadError
        The file is empty, too large, binary, an old .xls workbook, holds no header, or too many
        of its rows have more fields than the header.
    """
    _check_size(data, name, max_bytes)
    if _is_workbook(data):
        return _read_workbook(data, name, sheet)
    _refuse_binary_kinds(data, name)
    decoded = _decode(data, name)
    table = _read_text(decoded, name)
    if name.lower().endswith((".xls", ".xlsx", ".xlsm")):
        table = _with_note(table, f"{name} is named like an Excel workbook but holds text; it was read as a "
                                  f"text table.")
    return table


def sheet_names(data: bytes) -> tuple[str, ...]:
    """Names of the worksheets of an Excel workbook (.xlsx/.xlsm), in workbook order.

    Raises
    ------
    ReadError
        ``data`` is not an Excel workbook.
    """
    workbook = _open_workbook(data, "The file")
    try:
        return tuple(workbook.sheet_names)
    finally:
        workbook.close()


# --- refusals -------------------------------------------------------------------------------

def _size_text(n_bytes: float, decimals: int = 0) -> str:
    """A file size for people: bytes, KB, MB or GB (powers of 1024, as the server's upload limit is set)."""
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n_bytes >= size:
            return f"{n_bytes / size:.{decimals}f} {unit}"
    return f"{int(n_bytes)} bytes"


def _check_size(data: bytes, name: str, max_bytes: int) -> None:
    if len(data) == 0:
        raise ReadError(f"{name} is empty (0 bytes).")
    if len(data) > max_bytes:
        size, limit = _size_text(len(data)), _size_text(max_bytes)
        if size == limit:  # 300.4 MB against 300 MB must not read "300 MB; the limit is 300 MB"
            size, limit = _size_text(len(data), 1), _size_text(max_bytes, 1)
        exact = f" ({len(data):,} bytes)" if not size.endswith("bytes") else ""
        raise ReadError(f"{name} is {size}{exact}; the limit is {limit}"
                        + (f" ({max_bytes:,} bytes)." if exact else "."))


def _check_lines(payload: bytes, name: str) -> None:
    """Refuse text with a stretch of :data:`MAX_LINE_BYTES` without a line break (one huge line would hold the
    reader and its memory for minutes). Every full half-window holding a break keeps every line under the limit."""
    step = MAX_LINE_BYTES // 2
    for start in range(0, len(payload) - step + 1, step):
        if payload.find(b"\n", start, start + step) == -1 and payload.find(b"\r", start, start + step) == -1:
            raise ReadError(f"{name} has {_size_text(step)} or more of text without a line break, and no row of a "
                            "table is that long (the file's lines are cut off or it is no table). Is it a table saved "
                            "as CSV?")


def _check_columns(count: int, name: str, at_least: bool = False) -> None:
    if count > MAX_COLUMNS:
        raise ReadError(f"{name} has {'at least ' if at_least else ''}{count:,} columns; at most {MAX_COLUMNS:,} are "
                        "read. Export only the columns you need (ids, times, channel, rating, agent, customer).")


def _check_cells(decoded: _Decoded, delimiter: str, truncated: bool, name: str) -> None:
    """Refuse a file whose rows times columns, estimated from the sample's records, pass :data:`MAX_CELLS`: text of
    many short cells costs far more memory than its bytes (each cell has its own offset). Records, not lines: a
    quoted cell may hold line breaks."""
    sample_bytes = len(decoded.sample.encode("utf-8"))
    if sample_bytes >= len(decoded.payload):
        return                                   # the whole file is in the sample: small
    sampled = _sample_records(decoded.sample, delimiter, truncated)
    if len(sampled) < 2:
        return
    header = sampled[0]
    width = len(header)
    while width > 1 and not header[width - 1].strip():      # empty trailing columns are dropped when read
        width -= 1
    cells = len(decoded.payload) / (sample_bytes / len(sampled)) * width
    if cells > MAX_CELLS:
        raise ReadError(f"{name} holds about {cells / 1e6:,.0f} million cells ({width:,} columns); at most "
                        f"{MAX_CELLS / 1e6:,.0f} million are read in an upload. Export only the columns you need, or "
                        "have it read from the server's disk (Your data, \"Larger than 300 MB?\").")


def _check_names(names: Sequence[str], name: str) -> None:
    longest = max((len(n) for n in names), default=0)
    if longest > MAX_NAME_CHARS:
        raise ReadError(f"{name}: the first row has a cell of {longest:,} characters, and a column name has at most "
                        f"{MAX_NAME_CHARS:,}. Is the first row the header, and is the file a table?")


def _not_a_table(name: str) -> ReadError:
    return ReadError(f"{name} is not a text table (CSV/TSV) or an Excel workbook (.xlsx).")


def _old_excel(name: str) -> ReadError:
    return ReadError(f"{name} is an old-style Excel workbook (.xls) or a password-protected one, which "
                     f"cannot be read here: open it in Excel and save it as .xlsx or CSV (UTF-8).")


def _refuse_binary_kinds(data: bytes, name: str) -> None:
    """Refuse what the first bytes show to be no table: old Excel, images, PDF, archives, HTML."""
    if data.startswith(_OLE_MAGIC):
        raise _old_excel(name)
    if data.startswith(_ZIP_MAGIC) or data.startswith(_BINARY_MAGIC):
        raise _not_a_table(name)
    head = data[:1024].decode("latin-1")
    if _HTML_START.match(head.lstrip("\ufeff\xef\xbb\xbf")):
        raise ReadError(f"{name} is a web page or XML document, not a table: export or save it as CSV "
                        f"or .xlsx.")


# --- decoding -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Decoded:
    """A text file as UTF-8 bytes (what pyarrow reads), a decoded sample, and how it was decoded."""

    payload: bytes
    sample: str
    encoding: str
    note: str | None = None


def _decode(data: bytes, name: str) -> _Decoded:
    """Find the encoding: BOMs, then strict UTF-8, then the likeliest Windows code page."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_utf8(data[3:], name, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, name)
    head = data[:_SNIFF_CHARS]
    if b"\x00" in head:
        raise _old_excel(name) if name.lower().endswith(".xls") else _not_a_table(name)
    if _is_utf8(data):
        return _decode_utf8(data, name, "utf-8")
    mostly = _mostly_utf8(data, name)
    return mostly if mostly is not None else _decode_legacy(data, name)


def _is_utf8(data: bytes) -> bool:
    """Strict UTF-8 validation of the whole file without building a Python string (fast)."""
    if data.isascii():
        return True
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    as_binary = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        as_binary.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


_MIN_VALID_PER_BROKEN = 4  # valid non-ASCII characters per broken byte for "UTF-8 with damage"


def _mostly_utf8(data: bytes, name: str) -> _Decoded | None:
    """UTF-8 with a few broken bytes (a file pieced together from two sources): keep it UTF-8.

    A file in a Windows code page decodes as UTF-8 almost only into broken bytes (its accented
    letters are single bytes, which UTF-8 never is), so valid multi-byte characters are the
    evidence.
    """
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    if valid <= _MIN_VALID_PER_BROKEN * broken:
        return None
    _check_text(text[:_SNIFF_CHARS], name)
    return _Decoded(text.encode("utf-8"), text[:_SNIFF_CHARS], "utf-8",
                    f"{broken} character{'s' if broken != 1 else ''} could not be read as UTF-8 and "
                    f"{'were' if broken != 1 else 'was'} replaced by \ufffd.")


def _decode_utf8(payload: bytes, name: str, encoding: str) -> _Decoded:
    # errors="ignore" only drops a character cut in two by the sample's end; the payload is valid.
    sample = payload[:_SNIFF_CHARS].decode("utf-8", errors="ignore")
    _check_text(sample, name)
    return _Decoded(payload, sample, encoding)


def _decode_utf16(data: bytes, name: str) -> _Decoded:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise _not_a_table(name) from None
    _check_text(text[:_SNIFF_CHARS], name)
    return _Decoded(text.lstrip("\ufeff").encode("utf-8"), text[:_SNIFF_CHARS], "utf-16")


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _check_text(sample: str, name: str) -> None:
    """Refuse text full of control characters: a binary file that happens to decode."""
    if not sample:
        return
    if "\x00" in sample or len(_CONTROL_CHARS.findall(sample)) > _CONTROL_SHARE * len(sample):
        raise _not_a_table(name)


def _decode_legacy(data: bytes, name: str) -> _Decoded:
    """Decode with the code page whose reading of the file's non-ASCII words is most plausible."""
    for encoding in _rank_code_pages(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _check_text(text[:_SNIFF_CHARS], name)
        return _Decoded(text.encode("utf-8"), text[:_SNIFF_CHARS], encoding)
    raise _not_a_table(name)  # latin-1 decodes anything, so this is not reached


# --- choosing a Windows code page -----------------------------------------------------------
# charset-normalizer was tried here and dropped: on the short files people upload it reads
# Western European text as Windows-1250 and Latin-1 Portuguese as Windows-1250 (no evidence
# either way for it), and its is_binary() calls a UTF-8 file with one Windows-1252 line binary.
# The choice is made from letter frequencies instead: every candidate decodes the file's
# non-ASCII words, and the reading that looks most like one real language wins.

# Frequencies (% of letters) of the non-ASCII letters of the languages these code pages serve.
_LETTERS: dict[str, dict[str, float]] = {
    "fr": {"é": 1.9, "è": .27, "à": .49, "ç": .085, "ê": .22, "â": .03, "ô": .02, "î": .045, "û": .06,
           "ù": .06, "ë": .01, "ï": .005, "œ": .02, "ÿ": .001},
    "de": {"ä": .58, "ö": .44, "ü": .99, "ß": .31},
    "es": {"á": .5, "é": .43, "í": .73, "ó": .83, "ú": .17, "ñ": .31, "ü": .01},
    "pt": {"á": .12, "à": .07, "â": .56, "ã": .73, "ç": .53, "é": .34, "ê": .45, "í": .13, "ó": .3,
           "ô": .64, "õ": .04, "ú": .21},
    "it": {"à": .64, "è": .26, "é": .05, "ì": .03, "ò": .1, "ó": .01, "ù": .17},
    "ca": {"à": .7, "è": .4, "é": .5, "í": .6, "ò": .3, "ó": .3, "ú": .2, "ç": .2, "ï": .1},
    "nl": {"é": .02, "ë": .02, "ï": .01, "ö": .01, "ü": .01},
    "sv": {"å": 1.3, "ä": 1.8, "ö": 1.3},
    "da": {"æ": .9, "ø": .9, "å": .7},
    "fi": {"ä": 3.6, "ö": .4},
    "is": {"á": 1.8, "ð": 4.4, "é": .6, "í": 1.5, "ó": 1.0, "ú": .6, "ý": .9, "þ": 1.5, "æ": .9, "ö": .8},
    "pl": {"ą": .99, "ć": .4, "ę": 1.11, "ł": 1.82, "ń": .2, "ó": .85, "ś": .68, "ź": .08, "ż": .83},
    "cs": {"á": .87, "č": .46, "ď": .015, "é": .63, "ě": 1.22, "í": 1.64, "ň": .007, "ó": .02, "ř": .38,
           "š": .69, "ť": .006, "ú": .05, "ů": .2, "ý": 1.0, "ž": .72},
    "sk": {"á": 2.1, "ä": .1, "č": 1.0, "ď": .2, "é": .7, "í": 1.6, "ĺ": .01, "ľ": .3, "ň": .1, "ó": .2,
           "ô": .2, "ŕ": .01, "š": .8, "ť": .5, "ú": .7, "ý": 1.4, "ž": .8},
    "hu": {"á": 3.4, "é": 4.2, "í": .7, "ó": 1.0, "ö": 1.1, "ő": .9, "ú": .3, "ü": .6, "ű": .2},
    "ro": {"ă": 4.0, "â": .5, "î": 1.4, "ş": 1.5, "ţ": 1.0},
    "hr": {"č": 1.0, "ć": .5, "đ": .2, "š": .7, "ž": .7},
    "ru": {"о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.7, "т": 6.26, "с": 5.47, "р": 4.73,
           "в": 4.54, "л": 4.4, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
           "ы": 1.9, "ь": 1.74, "г": 1.7, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": .97,
           "ж": .94, "ш": .73, "ю": .64, "ц": .48, "щ": .36, "э": .32, "ф": .26, "ъ": .04, "ё": .04},
    "uk": {"о": 9.3, "а": 8.0, "н": 6.5, "і": 5.5, "и": 6.1, "в": 4.6, "р": 4.7, "т": 5.0, "е": 4.8,
           "с": 4.1, "к": 3.5, "л": 3.6, "у": 3.3, "д": 3.2, "м": 3.0, "п": 2.8, "я": 2.2, "з": 2.2,
           "ь": 1.7, "г": 1.5, "б": 1.6, "ч": 1.3, "х": 1.2, "ц": .7, "й": 1.1, "ж": .9, "ї": .6,
           "ш": .8, "ю": .8, "є": .4, "ф": .2, "щ": .5, "ґ": .01},
    "bg": {"а": 11.0, "о": 9.0, "е": 8.5, "и": 8.0, "н": 7.0, "т": 7.5, "р": 5.0, "с": 4.5, "в": 4.5,
           "л": 3.5, "к": 3.5, "д": 3.0, "п": 3.0, "м": 3.0, "з": 2.0, "ъ": 2.5, "я": 2.0, "у": 1.5,
           "б": 1.5, "ч": 1.0, "г": 1.5, "ж": .7, "й": .5, "ц": .7, "х": .5, "ш": .5, "щ": .5,
           "ю": .2, "ф": .2, "ь": .05},
    "sr": {"а": 11.0, "о": 9.0, "и": 9.5, "е": 8.5, "н": 6.0, "т": 4.5, "р": 4.5, "с": 5.0, "ј": 5.0,
           "в": 3.5, "д": 3.5, "к": 3.5, "л": 3.0, "у": 4.0, "м": 3.0, "п": 2.5, "з": 1.5, "г": 1.5,
           "б": 1.5, "ч": 1.0, "ћ": 1.0, "ш": 1.0, "њ": .7, "љ": .5, "ж": .5, "ц": .5, "х": .3,
           "ђ": .4, "џ": .05, "ф": .1},
}
# Symbols that may touch letters ("“word”", "¿Qué", "25°C", "Nº 5", "Brand™"), and symbols that
# sit apart from words in real text ("€ 12", "§ 3") but not next to a letter ("£ódź" is "Łódź").
_TOUCHING_SYMBOLS = frozenset("“”„‘’‚«»‹›–—…¿¡°™®©·´ªº")
_WORD_SYMBOLS = frozenset("’‘´·")  # may sit inside a word ("l’été", "l·l")
_COMMON_SYMBOLS = frozenset("€£¥§±×÷•½")
_P_SYMBOL, _P_RARE_SYMBOL, _P_IMPOSSIBLE = 0.02, 1e-4, 1e-7
# Windows-1252 is by far the commonest of the three: leaving it takes some evidence, so that a
# French "Crêpe" stays "Crêpe" rather than becoming Polish "Crępe" on one letter's say-so.
_PRIOR = {"cp1252": math.log(3.0), "cp1250": 0.0, "cp1251": 0.0}


def _language_models() -> list[dict[str, float]]:
    """P(a letter is this one) per language, smoothed with the all-language mean.

    Frequencies stay shares of all letters (not of the non-ASCII ones), so that a Western
    reading made only of accented letters ("×àò" for "Чат") looks as unlikely as it is.
    """
    mean: Counter[str] = Counter()
    for freq in _LETTERS.values():
        mean.update({ch: f / 100 / len(_LETTERS) for ch, f in freq.items()})
    return [{ch: 0.9 * freq.get(ch, 0.0) / 100 + 0.1 * mean[ch] for ch in mean} for freq in _LETTERS.values()]


_MODELS = _language_models()
_WORD = re.compile(rb"[^\s,;|\"'()<>\[\]{}0-9]*[\x80-\xff][^\s,;|\"'()<>\[\]{}0-9]*")


def _rank_code_pages(data: bytes) -> list[str]:
    """Candidate code pages, likeliest first; Latin-1 (decodes anything) last."""
    words = Counter(_WORD.findall(data[:_SCORE_BYTES])).most_common(3000)
    scores: dict[str, float] = {}
    readings: dict[str, list[tuple[str, int]]] = {}
    for encoding in ("cp1252", "cp1250", "cp1251"):
        try:
            readings[encoding] = [(w.decode(encoding), n) for w, n in words]
        except UnicodeDecodeError:
            continue
        scores[encoding] = _plausibility(readings[encoding]) + _PRIOR[encoding]
    if "cp1250" in readings and readings.get("cp1252") == readings["cp1250"]:
        scores.pop("cp1250")  # same text either way: no evidence for the rarer code page
    ranked = sorted(scores, key=lambda e: -scores[e])
    if ranked and ranked[0] == "cp1252" and not re.search(rb"[\x80-\x9f]", data):
        ranked[0] = "latin-1"  # only ISO-8859-1 characters: name the narrower standard
    return ranked + ["cp1252", "latin-1"]


def _plausibility(words: Sequence[tuple[str, int]]) -> float:
    """Log-likelihood of decoded words: their letters under the best single language, plus
    what no language writes (see :func:`_word_penalty`)."""
    letters: Counter[str] = Counter()
    penalty = 0.0
    for word, n in words:
        penalty += n * _word_penalty(word)
        for ch in word:
            if ord(ch) > 127 and ch.isalpha():
                letters[ch.lower()] += n
    best = max(sum(count * math.log(model.get(ch, 0.0) + _P_IMPOSSIBLE) for ch, count in letters.items())
               for model in _MODELS)
    return best + penalty


def _symbol_cost(word: str, i: int) -> float:
    """Log-probability of the non-letter ``word[i]`` where it stands."""
    ch = word[i]
    if unicodedata.category(ch) == "Cc":
        return math.log(_P_IMPOSSIBLE)
    before = i > 0 and word[i - 1].isalpha()
    after = i < len(word) - 1 and word[i + 1].isalpha()
    if before and after and ch not in _WORD_SYMBOLS:
        return math.log(_P_IMPOSSIBLE)  # Polish "ł" read as "³" in "b³ad"
    if ch in _TOUCHING_SYMBOLS:
        return math.log(_P_SYMBOL)
    if before or after:
        return math.log(_P_IMPOSSIBLE)  # "£ódź": a currency sign glued to a word
    return math.log(_P_SYMBOL if ch in _COMMON_SYMBOLS else _P_RARE_SYMBOL)


def _word_penalty(word: str) -> float:
    """Log-penalty of one decoded word: odd symbols, and Latin and Cyrillic letters mixed ("Cafй")."""
    penalty = sum(_symbol_cost(word, i) for i, ch in enumerate(word) if ord(ch) > 127 and not ch.isalpha())
    alpha = [ch for ch in word if ch.isalpha()]
    cyrillic = sum(1 for ch in alpha if "\u0400" <= ch <= "\u04ff")
    if 0 < cyrillic < len(alpha):
        penalty += math.log(_P_IMPOSSIBLE)
    return penalty


# --- delimiter ------------------------------------------------------------------------------

_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))*")


def _sample_records(sample: str, delimiter: str, truncated: bool) -> list[list[str]]:
    """The sample's non-blank records under ``delimiter`` (quote-aware); a cut last record dropped."""
    # A description of a few hundred kilobytes is one legitimate cell; the csv module's default cap
    # (128 KiB) would otherwise rule the right delimiter out.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    try:
        records = [r for r in reader if any(f.strip() for f in r)]
    except csv.Error:  # e.g. a NUL inside the sample; such a delimiter is simply not chosen
        return []
    return records[:-1] if truncated and len(records) > 1 else records


def _sniff(sample: str, truncated: bool) -> tuple[str, int]:
    """The delimiter, and the header's field count under it.

    Each candidate splits the sample with real CSV quoting, so commas inside quoted fields and
    decimal commas in a semicolon file do not count; the winner gives the header more than one
    field and the most rows with as many fields as the header.
    """
    sample = sample[_LEADING_BLANK_LINES.match(sample).end():]
    best: tuple[tuple[float, int, int], str, int] | None = None
    for priority, delimiter in enumerate(("\t", ";", ",", "|")):
        records = _sample_records(sample, delimiter, truncated)
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        rows = records[1:]
        consistent = sum(len(r) == width for r in rows) / len(rows) if rows else 1.0
        key = (round(consistent, 2), width, -priority)
        if best is None or key > best[0]:
            best = (key, delimiter, width)
    if best is not None:
        return best[1], best[2]
    # One column: any delimiter that does not occur keeps each line whole.
    unused = [d for d in DELIMITERS if d not in sample]
    return (unused[0] if unused else ","), 1


_SPACES = re.compile(r"[ \t]+")
_SPACES_BYTES = re.compile(rb"[ \t]+")
_EDGE_SPACES_BYTES = re.compile(rb"^[ \t]+|[ \t]+(?=\r?$)", re.MULTILINE)
SPACED_CONSISTENT = 0.9       # share of the sample's rows that must split into as many fields as the header


def _outside_quotes(text: str) -> str:
    """One line of the sample with the runs of spaces outside quotes as tabs (:func:`_payload_outside_quotes`)."""
    return _payload_outside_quotes(text.encode("utf-8")).decode("utf-8")


_TAB, _SPACE, _QUOTE = 9, 32, 34
_SPACE_BLOCK = 16 * 1024 * 1024


def _payload_outside_quotes(payload: bytes) -> bytes:
    """Runs of spaces outside double quotes replaced by a tab ("a "b c" d" -> a<tab>"b c"<tab>d), over a whole file a
    block of bytes at a time with numpy (no loop over rows): a byte is inside a value when an odd number of quotes
    precede it (a doubled quote inside a value flips twice and changes nothing); each run of spaces or tabs outside
    becomes one tab."""
    out = []
    inside, after_space = False, False
    for start in range(0, len(payload), _SPACE_BLOCK):
        block = np.frombuffer(payload, np.uint8, count=min(_SPACE_BLOCK, len(payload) - start), offset=start)
        quote = block == _QUOTE
        odd_after = np.logical_xor.accumulate(quote) ^ inside   # inside once this byte is read
        space = ((block == _SPACE) | (block == _TAB)) & ~(odd_after ^ quote)
        previous = np.concatenate(([after_space], space[:-1]))
        cleaned = block.copy()
        cleaned[space] = _TAB
        out.append(cleaned[~(space & previous)].tobytes())
        inside, after_space = bool(odd_after[-1]), bool(space[-1])
    return b"".join(out)


def _spaced_width(sample: str, truncated: bool) -> int:
    """Fields per row when the columns are separated by runs of spaces (a whitespace-separated .txt, a
    fixed-width print), else 0: at least two in the header and as many in nine rows of ten. A value with spaces
    in it is quoted ("03/31/2023 16:11")."""
    lines = [line.strip() for line in sample.splitlines() if line.strip()]
    if truncated and len(lines) > 1:
        lines = lines[:-1]
    if not lines or any(line.count('"') % 2 for line in lines):
        return 0
    widths = [_outside_quotes(line).count("\t") + 1 for line in lines]
    width, rows = widths[0], widths[1:]
    if width < 2 or not rows:
        return 0
    consistent = sum(w == width for w in rows) / len(rows)
    return width if consistent >= SPACED_CONSISTENT else 0


def _spaces_to_tabs(decoded: _Decoded) -> _Decoded:
    """Each run of spaces between fields as one tab (leading and trailing ones dropped), lines unchanged; spaces
    inside quoted values stay."""
    payload = _EDGE_SPACES_BYTES.sub(b"", decoded.payload)
    payload = _payload_outside_quotes(payload) if b'"' in payload else _SPACES_BYTES.sub(b"\t", payload)
    sample = "\n".join(_outside_quotes(line.strip()) for line in decoded.sample.splitlines())
    return _Decoded(payload, sample, decoded.encoding, decoded.note)


# --- text: fast path ------------------------------------------------------------------------

_MAX_IRREGULAR_SEEN = 10_000


class _Irregular(Exception):
    """Rows whose field count differs from the header's: the careful path must read the file.

    ``field_counts`` holds the counts pyarrow saw (all of them unless ``complete`` is False).
    """

    def __init__(self, field_counts: tuple[int, ...], complete: bool) -> None:
        super().__init__(field_counts, complete)
        self.field_counts = field_counts
        self.complete = complete


_EXCEL_SEP_LINE = re.compile(r"[ \t]*(?:\r\n|\r|\n)*sep=([,;\t|])[ \t]*(?:\r\n|\r|\n)")


def _read_text(decoded: _Decoded, name: str) -> RawTable:
    """A decoded text file -> RawTable: sniff, parse fast (or carefully), name the columns."""
    _check_lines(decoded.payload, name)
    truncated = len(decoded.payload) > len(decoded.sample.encode("utf-8"))
    if not decoded.sample.strip() and not truncated:
        raise ReadError(f"{name} has no data: it holds only blank lines.")
    excel_sep = _EXCEL_SEP_LINE.match(decoded.sample)
    if excel_sep:  # Excel's "sep=;" first line names the delimiter
        cut = len(excel_sep.group(0).encode("utf-8"))
        decoded = _Decoded(decoded.payload[cut:], decoded.sample[excel_sep.end():], decoded.encoding, decoded.note)
        delimiter = excel_sep.group(1)
        width = len((_sample_records(decoded.sample, delimiter, truncated) or [[""]])[0])
    else:
        delimiter, width = _sniff(decoded.sample, truncated)
    spaced = _spaced_width(decoded.sample, truncated) if width == 1 and not excel_sep else 0
    if spaced:
        decoded, delimiter, width = _spaces_to_tabs(decoded), "\t", spaced
    if width > MAX_RAW_COLUMNS:                  # before the parse; the exact limit is checked on the named columns
        _check_columns(width, name, at_least=truncated)
    _check_cells(decoded, delimiter, truncated, name)
    notes: list[str] = []
    try:
        header, body, blank, numbers = _parse_fast(decoded.payload, delimiter, width)
    except _Irregular as irregular:
        header, body, blank, notes, numbers = _parse_careful(decoded.payload, delimiter, width, irregular, name)
    except pa.ArrowInvalid:  # e.g. a quoted value longer than a block
        header, body, blank, notes, numbers = _parse_careful(decoded.payload, delimiter, width, None, name)
    if excel_sep:
        numbers = numbers + 1                  # the "sep=" line is the file's first row
    frame, frame_notes = _frame(header, body, name)
    if blank:
        notes.append(f"{blank} blank line{'s' if blank != 1 else ''} skipped.")
    delimiter_note = ("Columns separated by spaces." if spaced else _DELIMITER_NOTES.get(delimiter)) \
        if frame.shape[1] > 1 else None
    notes = [n for n in (_ENCODING_NOTES.get(decoded.encoding), decoded.note, delimiter_note) if n] \
        + notes + frame_notes
    return RawTable(name, frame, decoded.encoding, delimiter, None, tuple(notes), numbers.astype(np.int64))


def _parse_fast(payload: bytes, delimiter: str, width: int) -> tuple[list[str | None], pa.Table, int, np.ndarray]:
    """pyarrow's multi-threaded reader; raises :class:`_Irregular` if rows have the wrong width.

    Returns the header cells, the data rows (string columns ``c0``...), how many blank lines
    (empty, whitespace-only or all-empty rows) were skipped, and each data row's record number.
    """
    names = [f"c{i}" for i in range(width)]
    whitespace_lines = 0
    counts: list[int] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        # Exceptions raised here are swallowed by pyarrow: answer "error" to stop, remember why.
        nonlocal whitespace_lines
        if not row.text.strip():
            whitespace_lines += 1
            return "skip"
        counts.append(row.actual_columns)
        return "skip" if len(counts) < _MAX_IRREGULAR_SEEN else "error"

    try:
        table = pacsv.read_csv(
            io.BytesIO(payload),
            read_options=pacsv.ReadOptions(column_names=names, block_size=_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=b'"' in payload,
                                             ignore_empty_lines=False, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True,
                                                 null_values=[""]),
        )
    except pa.ArrowInvalid:
        if counts:
            raise _Irregular(tuple(counts), complete=False) from None
        raise
    if counts:
        raise _Irregular(tuple(counts), complete=True)
    empty = _blank_rows(table)
    kept = np.flatnonzero(~empty) + 1          # record numbers, the file's first record = 1
    if empty.any():
        table = table.filter(pa.array(~empty))
    if table.num_rows == 0:
        raise pa.ArrowInvalid("only blank lines")  # the careful path says so to the user
    header = [table.column(i)[0].as_py() for i in range(width)]
    return header, table.slice(1), int(empty.sum()) + whitespace_lines, kept[1:]


def _all_null_rows(table: pa.Table) -> np.ndarray:
    """Boolean per row: every cell is null (a blank line, or a line of bare delimiters)."""
    empty = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        empty &= pc.is_null(column).to_numpy(zero_copy_only=False)
    return empty


def _blank_rows(table: pa.Table) -> np.ndarray:
    """Boolean per row: nothing but whitespace in the first cell and nothing in the others."""
    if table.num_columns == 0:
        return np.zeros(table.num_rows, dtype=bool)
    first = pc.equal(pc.utf8_trim_whitespace(table.column(0)), "")
    blank = pc.fill_null(first, True).to_numpy(zero_copy_only=False)
    return blank & _all_null_rows(table.select(list(range(1, table.num_columns))))


# --- text: careful path ---------------------------------------------------------------------

def _parse_careful(payload: bytes, delimiter: str, width: int, irregular: _Irregular | None,
                   name: str) -> tuple[list[str | None], pa.Table, int, list[str], np.ndarray]:
    """pandas' C reader on a table wide enough for every row; names the rows of the wrong width.

    Rows with fewer fields are padded with empty cells; extra fields that are all empty (trailing
    delimiters) are dropped; rows with extra non-empty fields are left out with a note when they
    are at most :data:`MAX_OVERFULL_SHARE` of the rows, otherwise the file is refused.
    """
    wide = max(irregular.field_counts) if irregular else width
    table = _read_wide(payload, delimiter, max(wide, width), name)
    empty = _blank_rows(table)
    kept = np.flatnonzero(~empty) + 1
    table = table.filter(pa.array(~empty))
    if table.num_rows == 0:
        raise ReadError(f"{name} has no data: it holds only blank lines.")
    header = [table.column(i)[0].as_py() for i in range(width)]
    body = table.slice(1)
    extra = body.select(list(range(width, body.num_columns)))
    overfull = ~_all_null_rows(extra) if extra.num_columns else np.zeros(body.num_rows, dtype=bool)
    numbers = kept[1:]
    notes = _overfull_notes(overfull, extra, width, name, numbers)
    if irregular and irregular.complete:
        # Only fields under a named header count: "a;b;c;" over "1;2;3" lacks nothing real.
        named = max((i + 1 for i, h in enumerate(header) if h and h.strip()), default=width)
        shorter = sum(1 for c in irregular.field_counts if c < named)
        if shorter:
            notes.append(f"{shorter} row{'s have' if shorter != 1 else ' has'} fewer fields than the "
                         f"header; the missing cells were left empty.")
    body = body.select(list(range(width))).filter(pa.array(~overfull))
    return header, body, int(empty.sum()), notes, numbers[~overfull]


def _read_wide(payload: bytes, delimiter: str, width: int, name: str) -> pa.Table:
    """Every row padded to at least ``width`` columns; widens until no row has more fields."""
    for _ in range(8):
        try:
            frame = pd.read_csv(io.BytesIO(payload), sep=delimiter, header=None, names=range(width),
                                dtype=STRING, keep_default_na=False, na_values=[""], quotechar='"',
                                engine="c", encoding="utf-8", skip_blank_lines=False)
        except pd.errors.ParserError as error:
            seen = re.search(r"saw (\d+)", str(error))
            if not seen:
                break
            width = int(seen.group(1))
            continue
        return pa.table({f"c{i}": pa.array(frame[c].array) for i, c in enumerate(frame.columns)})
    raise ReadError(f"{name} cannot be read as a table: its rows could not be split into fields.")


def _overfull_notes(overfull: np.ndarray, extra: pa.Table, width: int, name: str,
                    numbers: np.ndarray) -> list[str]:
    """Refuse, or note, rows with more non-empty fields than the header (header = row 1)."""
    rows = np.flatnonzero(overfull)
    if rows.size == 0:
        return []
    # Fields a row really has: up to its last non-empty extra cell.
    last = np.zeros(overfull.size, dtype=np.int64)
    for j, column in enumerate(extra.columns):
        last[pc.is_valid(column).to_numpy(zero_copy_only=False)] = width + j + 1
    counts = sorted({int(c) for c in last[rows]})
    verb = "has" if rows.size == 1 else "have"
    what = f"{_rows_phrase([int(numbers[i]) for i in rows])} {verb} more fields than the header " \
           f"({_or_list(counts)} instead of {width})"
    if rows.size > MAX_OVERFULL_SHARE * overfull.size:
        raise ReadError(f"{name} cannot be read as a table: {what}. Check that the file uses one "
                        f"delimiter and that values containing it are in quotes.")
    return [f"{what[0].upper()}{what[1:]}; {'it was' if rows.size == 1 else 'they were'} left out."]


def _rows_phrase(numbers: Sequence[int]) -> str:
    """'row 17', 'rows 17 and 90', 'rows 2, 3, 4, 5 and 6 (and 12 more)'."""
    shown = [str(n) for n in numbers[:_EXAMPLES]]
    more = len(numbers) - len(shown)
    if len(shown) == 1:
        return f"row {shown[0]}"
    listed = ", ".join(shown[:-1]) + f" and {shown[-1]}" if not more else ", ".join(shown)
    return f"rows {listed}" + (f" (and {more} more)" if more else "")


def _or_list(counts: Sequence[int]) -> str:
    words = [str(c) for c in counts]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" or {words[-1]}"


# --- the frame ------------------------------------------------------------------------------

def _frame(header: Sequence[str | None], body: pa.Table, file_name: str) -> tuple[pd.DataFrame, list[str]]:
    """Columns named after the header (stripped, unique); trailing unnamed empty columns dropped."""
    names = [(h or "").strip() for h in header]
    _check_names(names, file_name)
    keep = len(names)
    while keep > 1 and not names[keep - 1] and body.column(keep - 1).null_count == body.num_rows:
        keep -= 1
    _check_columns(keep, file_name)
    names = [n or f"Column {i + 1}" for i, n in enumerate(names[:keep])]
    unique, renamed = _unique_names(names)
    mapper = {pa.string(): STRING, pa.large_string(): STRING}.get
    frame = body.select(list(range(keep))).to_pandas(types_mapper=mapper)
    frame.columns = unique
    notes = []
    if renamed:
        notes.append("Repeated column names were numbered: " + ", ".join(f'"{n}"' for n in renamed) + ".")
    if frame.empty:
        notes.append("The file has column headers but no data rows.")
    return frame, notes


def _unique_names(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """'Name', 'Name' -> 'Name', 'Name 2' (never clashing with an existing 'Name 2')."""
    taken = set(names)
    seen: set[str] = set()
    unique, renamed = [], []
    for n in names:
        if n in seen:
            k = 2
            while f"{n} {k}" in taken:
                k += 1
            new = f"{n} {k}"
            taken.add(new)
            renamed.append(new)
            n = new
        seen.add(n)
        unique.append(n)
    return unique, renamed


def _with_note(table: RawTable, note: str) -> RawTable:
    return RawTable(table.name, table.frame, table.encoding, table.delimiter, table.sheet,
                    table.notes + (note,))


# --- Excel workbooks ------------------------------------------------------------------------

def _is_workbook(data: bytes) -> bool:
    """A zip that holds an Excel workbook part (.xlsx/.xlsm), whatever the file is called."""
    if not data.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _open_workbook(data: bytes, name: str) -> CalamineWorkbook:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine raises several kinds for a damaged, foreign or encrypted zip
        raise _not_a_table(name) from None


MAX_UNPACKED_BYTES = 2 * 1024 ** 3     # what a workbook's parts may unpack to: an export's cells, not a zip bomb
MAX_UNPACK_RATIO = 200                 # exports' XML packs 5-20 times; a thousandfold ratio is a bomb


def _check_unpacked(data: bytes, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than :data:`MAX_UNPACKED_BYTES` or to more than
    :data:`MAX_UNPACK_RATIO` times its own size, before anything is unpacked."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_UNPACK_RATIO * len(data):
        raise ReadError(f"{name} unpacks to {_size_text(unpacked)} from {_size_text(len(data))}: more than a "
                        f"workbook of cells does (at most {_size_text(MAX_UNPACKED_BYTES)}, and {MAX_UNPACK_RATIO} "
                        "times its size). Save it as CSV (UTF-8) and upload that.")


def _read_workbook(data: bytes, name: str, sheet: str | None) -> RawTable:
    _check_unpacked(data, name)
    workbook = _open_workbook(data, name)
    try:
        ws, rows, blank_rows = _pick_sheet(workbook, name, sheet)
        several = len(workbook.sheet_names) > 1
    finally:
        workbook.close()
    kept = np.flatnonzero(~blank_rows)
    header = [_cell_text(v) for v in rows[kept[0]]]
    body = [rows[i] for i in kept[1:].tolist()]
    columns = [_column_text(values) for values in zip(*body, strict=True)] if body else \
        [pa.array([], pa.string()) for _ in header]
    frame, notes = _frame(header, pa.table(columns, names=[f"c{i}" for i in range(len(header))]), name)
    blank = int(blank_rows[: kept[-1]].sum())
    if blank:
        notes.insert(0, f"{blank} empty row{'s' if blank != 1 else ''} skipped.")
    if several:
        notes.insert(0, f"Read sheet {ws!r}.")
    return RawTable(name, frame, "xlsx", None, ws, tuple(notes), kept[1:] + 1)


def _pick_sheet(workbook: CalamineWorkbook, name: str, sheet: str | None) -> tuple[str, list[list], np.ndarray]:
    """The sheet asked for, or the first that looks like a table (else the first with any cell filled): its rows from
    row 1 and which of them are empty."""
    titles = list(workbook.sheet_names)
    if sheet is not None and sheet not in titles:
        raise ReadError(f"{name} has no sheet named {sheet!r}; its sheets are "
                        + ", ".join(repr(t) for t in titles) + ".")
    first_filled: tuple[str, list[list], np.ndarray] | None = None
    for title in [sheet] if sheet is not None else titles:
        try:
            rows = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
        except Exception:  # a chart sheet or a damaged one holds no table
            rows = []
        blank = np.fromiter((row.count("") == len(row) for row in rows), bool, len(rows))
        if sheet is not None and blank.all():
            raise ReadError(f"{name} has no data: sheet {title!r} is empty.")
        if not blank.all() and (sheet is not None or _looks_like_a_table(rows, blank)):
            return title, rows, blank
        first_filled = first_filled or ((title, rows, blank) if not blank.all() else None)
    if first_filled is not None:          # no sheet is a table: the first with anything in it
        return first_filled
    raise ReadError(f"{name} has no data: every sheet is empty.")


def _looks_like_a_table(rows: list[list], blank: np.ndarray) -> bool:
    """A header of two or more cells and a row under it: not a cover sheet of notes ("Read me", a title)."""
    filled = np.flatnonzero(~blank)
    header = rows[filled[0]]
    return filled.size >= 2 and len(header) - header.count("") >= 2


def _column_text(values: tuple[object, ...]) -> pa.Array:
    """One column's cells as text: a column of one kind at once (numbers, date-times, text), any other cell by cell.

    Empty cells ("" from the reader) are null."""
    kinds = set(map(type, values))
    if kinds == {str}:
        text = pa.array(values, pa.string())
        return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    cells = np.array(values, dtype=object)
    empty = cells == "" if str in kinds else np.zeros(len(values), dtype=bool)
    if str in kinds and int(empty.sum()) == sum(type(v) is str for v in values):
        kinds.discard(str)                  # its only strings are empty cells
    if kinds <= {float}:
        numbers = np.where(empty, np.nan, cells).astype(np.float64)
        return _float_text(numbers)
    if kinds <= {dt.datetime, dt.date}:
        # the reader gives a date for a date-time cell at midnight, as for a cell formatted as a date
        days = np.fromiter((type(v) is dt.date for v in values), bool, len(values))
        stamps = pd.to_datetime(pd.Series(np.where(empty, None, cells)), errors="coerce").dt.round("ms")
        values64 = stamps.to_numpy(dtype="datetime64[ms]", na_value=np.datetime64("NaT"))
        whole_seconds = (values64.astype(np.int64) % 1000 == 0) | np.isnat(values64)
        iso = np.datetime_as_string(values64, unit="s" if whole_seconds.all() else "ms")
        text = pc.replace_substring(pa.array(iso), "T", " ")
        if not whole_seconds.all():           # milliseconds only where there are any, as Excel shows them
            text = pc.if_else(pa.array(whole_seconds), pc.utf8_slice_codeunits(text, 0, 19), text)
        if days.any():
            text = pc.if_else(pa.array(days), pc.utf8_slice_codeunits(text, 0, 10), text)
        return pc.if_else(pa.array(np.isnat(values64)), pa.scalar(None, pa.string()), text)
    return pa.array([_cell_text(v) for v in values], pa.string())


def _float_text(numbers: np.ndarray) -> pa.Array:
    """Float cells as text: whole numbers without a point, others to 15 significant digits (what Excel keeps)."""
    finite = np.isfinite(numbers)
    whole = finite & (numbers == np.round(numbers)) & (np.abs(numbers) < 1e15)
    text = np.empty(numbers.size, dtype=object)
    text[whole] = pa.array(numbers[whole].astype(np.int64)).cast(pa.string()).to_numpy(zero_copy_only=False)
    rest = finite & ~whole
    text[rest] = [_number_text(v) for v in numbers[rest].tolist()]
    text[~finite] = None
    return pa.array(text, pa.string())


def _cell_text(value: object) -> str | None:
    """A cell as the text a CSV export would hold: ISO date-times, plain numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return _datetime_text(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _timedelta_text(value)
    return str(value)


def _number_text(value: float) -> str:
    """3.0 -> '3', 2.5 -> '2.5'; at most 15 significant digits, as Excel keeps (0.1 + 0.2 -> '0.3')."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return np.format_float_positional(value, precision=15, unique=True, fractional=False, trim="-")


def _datetime_text(value: dt.datetime) -> str:
    """'YYYY-MM-DD HH:MM:SS', with milliseconds only when there are any (Excel's resolution)."""
    value = value.replace(tzinfo=None)
    ms = round(value.microsecond / 1000)
    value = value.replace(microsecond=0) + dt.timedelta(milliseconds=ms)
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    return text + (f".{value.microsecond // 1000:03d}" if value.microsecond else "")


def _timedelta_text(value: dt.timedelta) -> str:
    """A duration cell ([h]:mm:ss) as 'H:MM:SS', hours unbounded."""
    seconds = round(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    h, rest = divmod(abs(seconds), 3600)
    return f"{sign}{h}:{rest // 60:02d}:{rest % 60:02d}"
