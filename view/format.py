"""Numbers as a manager reads them: money in the scenario's currency and locale, percents, hours."""

from __future__ import annotations

import functools
import math

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol

LOCALE_OF_CURRENCY = {"USD": "en_US", "EUR": "de_DE", "GBP": "en_GB", "PLN": "pl_PL", "HUF": "hu_HU",
                      "RUB": "ru_RU", "SEK": "sv_SE", "NOK": "nb_NO", "DKK": "da_DK"}

# Money in short form is the product's own wording, not whatever the installed CLDR release says (one
# release turned "£1.2M" into "£1.2m"). Per locale: the words for thousands (None: written in full),
# millions and billions, and whether the currency sign stands before the number ("$1.2M") or after it,
# separated by no-break spaces ("1,2 mln zł").
COMPACT_WORDS: dict[str, tuple[tuple[str | None, str, str], bool]] = {
    "en_US": (("K", "M", "B"), True),
    "en_GB": (("K", "M", "B"), True),
    "de_DE": ((None, "Mio.", "Mrd."), False),
    "pl_PL": (("tys.", "mln", "mld"), False),
    "hu_HU": (("E", "M", "Mrd"), False),
    "ru_RU": (("тыс.", "млн", "млрд"), False),
    "sv_SE": ((None, "mn", "md"), False),
    "nb_NO": ((None, "mill.", "mrd."), False),
    "da_DK": ((None, "mio.", "mia."), False),
}


def locale_of(currency: str) -> str:
    return LOCALE_OF_CURRENCY.get(currency, "en_US")


def money(value: float, currency: str, compact: bool = True) -> str:
    """``1234567`` -> ``$1.2M`` (compact) or ``$1,234,567`` in the currency's usual locale."""
    if value is None or not math.isfinite(value):
        return "n/a"
    loc = locale_of(currency)
    if compact and abs(value) >= 10_000:
        short = _compact(value, currency, loc)
        if short is not None:
            return short
    return format_currency(round(value), currency, format=_whole_pattern(loc), locale=loc, currency_digits=False)


def unit_price(value: float, currency: str) -> str:
    """A price per unit with its cents: ``2.757`` -> ``$2.76`` in the currency's usual locale."""
    if value is None or not math.isfinite(value):
        return "n/a"
    loc = locale_of(currency)
    return format_currency(value, currency, locale=loc)


def _compact(value: float, currency: str, loc: str) -> str | None:
    """``-12_345_678`` -> ``-$12.3M``; None where the locale writes this magnitude in full."""
    words, sign_first = COMPACT_WORDS.get(loc, COMPACT_WORDS["en_US"])
    scale = min(int(math.log10(abs(value)) // 3), 3)
    scaled = round(abs(value) / 10.0 ** (3 * scale), 1)
    if scaled >= 1000 and scale < 3:        # 999,950 rounds to 1,000.0K: say 1M
        scale, scaled = scale + 1, round(scaled / 1000, 1)
    word = words[scale - 1]
    if word is None:
        return None
    digits = format_decimal(scaled, format="#,##0.#", locale=loc)
    symbol = get_currency_symbol(currency, locale=loc)
    minus = "-" if value < 0 else ""
    return f"{minus}{symbol}{digits}{word}" if sign_first else f"{minus}{digits}\xa0{word}\xa0{symbol}"


@functools.lru_cache(maxsize=16)
def _whole_pattern(loc: str) -> str:
    """The locale's currency pattern without its decimals (``¤#,##0.00`` -> ``¤#,##0``)."""
    return Locale.parse(loc).currency_formats["standard"].pattern.split(";")[0].replace(".00", "")


def percent(value: float | None, currency: str = "USD", digits: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return format_percent(value, format=f"#,##0.{'0' * digits}%", locale=locale_of(currency))


def number(value: float, currency: str = "USD", digits: int = 0) -> str:
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=locale_of(currency))


def signed(value: float, currency: str = "USD", digits: int = 1) -> str:
    """``+1.4`` in the currency's locale (``+1,4`` for PLN)."""
    fmt = "+#,##0" + ("." + "0" * digits if digits else "") + ";-#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=locale_of(currency))


def duration_h(hours: float, currency: str = "USD") -> str:
    """Response time in the unit a reader expects: seconds, minutes, hours or days."""
    if hours is None or not math.isfinite(hours):
        return "n/a"
    if hours < 1.0 / 60.0:
        return f"{hours * 3600:.0f} s"
    if hours < 1.0:
        return f"{hours * 60:.0f} min"
    if hours < 48.0:
        return f"{number(hours, currency, 1)} h"
    return f"{number(hours / 24.0, currency, 1)} days"


def payback(month: int | None) -> str:
    return "not within horizon" if month is None else f"month {month}"


def currency_unit(currency: str) -> str:
    """The currency's sign as its locale writes it: ``$``, ``€``, ``zł``, ``Ft``."""
    return get_currency_symbol(currency, locale=locale_of(currency))
