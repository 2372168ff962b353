"""Which currency a file's amounts are in: the marks written with them ("1 200,50 zł", "$40") or a currency column
("Currency": "PLN", Stripe's "usd"), and whether they can be the case's.

The readers take amounts as plain numbers, so a case counts them in its own currency; a mark or a code of another one
means every figure made from them is off by the exchange rate. What the readers saw is kept in the notes of the
reading (``"MRR: currency symbols ignored (zł)"``, ``"Currency: amounts in (PLN)"``), and read back here.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from babel.numbers import list_currencies

from intake.uploads.mapping import normalise_header

MARKS = (r"US\$|C\$|A\$|[$€£¥₽₴₸₹₺₩¢]|zł|kč|ft|руб\.?|р\.|грн\.?|"
         r"usd|eur|gbp|pln|huf|rub|chf|czk|sek|nok|dkk|uah|jpy|cny|cad|aud|nzd|inr|brl|mxn|ron|bgn|kr\.?")
ANY_MARK = f"(?i)(?:{MARKS})"
_MARK = f"(?i)(?P<mark>{MARKS})"
_ISO_CODES = frozenset(list_currencies())
# The currencies a sign may stand for: "$" is several dollars' sign and "kr" several crowns'. A sign not here (¢)
# says nothing about the currency.
_SIGN_CURRENCIES = {
    "us$": ("USD",), "c$": ("CAD",), "a$": ("AUD",), "$": ("USD", "CAD", "AUD", "NZD", "MXN"), "€": ("EUR",),
    "£": ("GBP",), "¥": ("JPY", "CNY"), "₽": ("RUB",), "руб": ("RUB",), "руб.": ("RUB",), "р.": ("RUB",),
    "₴": ("UAH",), "грн": ("UAH",), "грн.": ("UAH",), "₸": ("KZT",), "₹": ("INR",), "₺": ("TRY",), "₩": ("KRW",),
    "zł": ("PLN",), "kč": ("CZK",), "ft": ("HUF",), "kr": ("SEK", "NOK", "DKK"), "kr.": ("DKK", "NOK", "SEK")}
_SIGN_SHOWN = {"us$": "US$", "c$": "C$", "a$": "A$", "ft": "Ft", "kč": "Kč"}
# Billing exports' currency columns: Stripe's and Shopify's "Currency", Chargebee's "subscriptions.currency_code".
CURRENCY_HEADERS = frozenset(normalise_header(h) for h in (
    "currency", "currency code", "currency_code", "subscriptions.currency_code", "invoice currency", "waluta",
    "Währung", "валюта", "pénznem", "deviza"))
MARKS_NOTE = "currency symbols ignored"
COLUMN_NOTE = "amounts in"
_NOTED = re.compile(f"(?:{re.escape(MARKS_NOTE)}|{re.escape(COLUMN_NOTE)}) \\(([^)]*)\\)")


def marks_in(arr: pa.Array) -> tuple[str, ...]:
    """The currency marks of ``arr``'s values (strings that hold one, and are amounts: "left" holds "ft" but is no
    amount, and the caller leaves it out), each once: ISO codes in capitals ("PLN"), signs as they are written ("zł",
    "$", "Ft", "kr.")."""
    found = pc.unique(pc.utf8_lower(pc.struct_field(pc.extract_regex(arr, _MARK), [0]))).to_pylist()
    return tuple(sorted({m.upper() if m.upper() in _ISO_CODES else _SIGN_SHOWN.get(m, m) for m in found if m}))


def header_marks(header: str) -> tuple[str, ...]:
    """The currency a money column's header names in brackets: "Monthly spend (£)", "MRR [EUR]", "Amount (in zł)"
    -> ("£",), ("EUR",), ("zł",); a bracket holding anything else (a unit, a note) names none."""
    bracketed = [round_ or square for round_, square in re.findall(r"\(([^()]*)\)|\[([^\[\]]*)\]", header)]
    found = [part.strip().removeprefix("in ").strip() for part in bracketed if part]
    marked = [part for part in found if re.fullmatch(ANY_MARK, part)]
    return marks_in(pa.array(marked, type=pa.string())) if marked else ()


def is_currency_column(header: str) -> bool:
    return normalise_header(header) in CURRENCY_HEADERS


def codes_in(column: pd.Series) -> tuple[str, ...]:
    """The ISO codes a currency column holds, each once, in capitals ("usd", " EUR" -> "EUR", "USD"); a value that is
    no ISO 4217 code Babel knows (a sign, "TBD", "yes") is left out."""
    text = pa.array(column.astype("string[pyarrow]")).cast(pa.string())
    codes = pc.unique(pc.utf8_upper(pc.utf8_trim_whitespace(text.drop_null()))).to_pylist()
    return tuple(sorted(c for c in codes if c in _ISO_CODES))


def column_notes(frame: pd.DataFrame) -> list[str]:
    """A note for each currency column of ``frame`` (Stripe's "Currency", Chargebee's "subscriptions.currency_code")
    naming the codes it holds: "Currency: amounts in (EUR, PLN)"."""
    return [f"{h}: {COLUMN_NOTE} ({', '.join(codes)})" for h in map(str, frame.columns)
            if is_currency_column(h) and (codes := codes_in(frame[h]))]


def noted(note: str | None) -> tuple[str, ...]:
    """The marks or codes a note names: "decimal comma; currency symbols ignored (zł)" -> ("zł",); "amounts in (PLN,
    EUR)" -> ("PLN", "EUR")."""
    found = _NOTED.search(note or "")
    return tuple(found.group(1).split(", ")) if found else ()


def foreign(marks: tuple[str, ...], currency: str) -> tuple[str, ...]:
    """The marks that cannot stand for ``currency`` (an ISO code): "zł" or "EUR" for USD, not "$" for USD or CAD. A
    sign that names no currency (¢) is not counted."""
    return tuple(m for m in marks if (m != currency if m in _ISO_CODES
                                      else currency not in _SIGN_CURRENCIES.get(m.lower(), (currency,))))
