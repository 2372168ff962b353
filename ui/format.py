"""Numbers as a manager reads them: money in the scenario's currency and locale, percents, hours."""

from __future__ import annotations

import functools
import math
import re

from babel import Locale
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent

LOCALE_OF_CURRENCY = {"USD": "en_US", "EUR": "de_DE", "GBP": "en_GB", "PLN": "pl_PL", "HUF": "hu_HU",
                      "RUB": "ru_RU"}


def locale_of(currency: str) -> str:
    return LOCALE_OF_CURRENCY.get(currency, "en_US")


def money(value: float, currency: str, compact: bool = True) -> str:
    """``1234567`` -> ``$1.2M`` (compact) or ``$1,234,567`` in the currency's usual locale."""
    if value is None or not math.isfinite(value):
        return "n/a"
    loc = locale_of(currency)
    if compact and abs(value) >= 10_000:
        short = format_compact_currency(value, currency, locale=loc, fraction_digits=1)
        if not re.search(r"\d{5}", short):   # some locales have no short form for thousands
            return short
    return format_currency(round(value), currency, format=_whole_pattern(loc), locale=loc, currency_digits=False)


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
