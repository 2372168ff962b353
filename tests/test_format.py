"""Money, percents and counts as the pages and exports write them: every digit kept, in the currency's style."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.params import CURRENCIES
from view import format as fmt


@given(st.integers(-10**10, 10**10), st.sampled_from(CURRENCIES))
def test_whole_amounts_keep_every_digit(value, currency):
    text = fmt.money(float(value), currency, compact=False)
    assert re.sub(r"\D", "", text) == str(abs(value))
    assert text.lstrip().startswith("-") == (value < 0)


@pytest.mark.parametrize("value, currency, text", [
    (1005, "USD", "$1,005"), (7004, "EUR", "7.004\xa0€"), (-66000, "EUR", "-66.000\xa0€"),
    (1009133, "EUR", "1.009.133\xa0€"), (-7917, "GBP", "-£7,917"), (-1005, "PLN", "-1\xa0005\xa0zł"),
    (-1234567, "NOK", "-1\xa0234\xa0567\xa0kr"), (-1234567, "SEK", "-1\xa0234\xa0567\xa0kr"),
    (-1234567, "DKK", "-1.234.567\xa0kr.")])
def test_amounts_read_as_in_their_locale(value, currency, text):
    assert fmt.money(value, currency, compact=False) == text


@pytest.mark.parametrize("currency, text", [("NOK", "-1,2\xa0mill.\xa0kr"), ("SEK", "-1,2\xa0mn\xa0kr"),
                                            ("DKK", "-1,2\xa0mio.\xa0kr."), ("EUR", "-1,2\xa0Mio.\xa0€")])
def test_the_nordic_crowns_read_as_their_locales_write_millions(currency, text):
    assert fmt.money(-1_234_567.0, currency) == text
    assert fmt.money(12_345.0, currency) == fmt.money(12_345.0, currency, compact=False)      # thousands in full


def test_tables_read_in_the_currencys_locale_and_keep_the_month():
    import pandas as pd

    from view.tables import in_locale
    frame = pd.DataFrame({"Month": [0, 11], "Customers": [35921.0, 4000.0], "CSAT (%)": [81.5, 82.25],
                          "Variant": ["baseline", "scenario"]})
    shown = in_locale(frame, "EUR")
    assert shown["Customers"].tolist() == ["35.921", "4.000"]
    assert shown["CSAT (%)"].tolist() == ["81,50", "82,25"]
    assert shown["Month"].tolist() == [0, 11] and shown["Variant"].tolist() == ["baseline", "scenario"]
    assert in_locale(frame, "USD")["Customers"].tolist() == ["35,921", "4,000"]
    assert in_locale(pd.DataFrame({"x": [-0.0, 3.0]}), "EUR")["x"].tolist() == ["0", "3"]           # never "-0"
    assert in_locale(pd.DataFrame({"x": [-0.001, 1.25]}), "EUR")["x"].tolist() == ["0,00", "1,25"]


@pytest.mark.parametrize("value, currency, text", [
    (12_345, "USD", "$12.3K"), (-45_600, "GBP", "-£45.6K"), (1_234_567, "GBP", "£1.2M"),
    (2_500_000_000, "GBP", "£2.5B"), (999_950, "USD", "$1M"), (1_000_000, "USD", "$1M"),
    (12_345, "EUR", "12.345\xa0€"), (-12_345_678, "EUR", "-12,3\xa0Mio.\xa0€"), (2_500_000_000, "EUR", "2,5\xa0Mrd.\xa0€"),
    (-45_600, "PLN", "-45,6\xa0tys.\xa0zł"), (2_500_000_000, "PLN", "2,5\xa0mld\xa0zł"),
    (123_456, "HUF", "123,5\xa0E\xa0Ft"), (-12_345_678, "RUB", "-12,3\xa0млн\xa0₽"),
    (10_000, "SEK", "10\xa0000\xa0kr"), (-123_456, "NOK", "-123\xa0456\xa0kr"),
    (2_500_000_000, "DKK", "2,5\xa0mia.\xa0kr."),
])
def test_compact_money_is_the_products_wording(value, currency, text):
    """The short forms are fixed here, whatever CLDR release Babel ships (one changed £1.2M to £1.2m)."""
    assert fmt.money(value, currency) == text


@given(st.floats(10_000, 5e11) | st.floats(-5e11, -10_000), st.sampled_from(CURRENCIES))
def test_compact_money_is_within_rounding_of_the_amount(value, currency):
    text = fmt.money(value, currency)
    assert text.startswith("-") == (value < 0)
    words, sign_first = fmt.COMPACT_WORDS[fmt.locale_of(currency)]
    if sign_first:                                  # "-$12.3K"
        digits, word = re.fullmatch(r"-?\D+?([\d,.]+)(\D+)", text).groups()
        number = float(digits.replace(",", ""))
    else:                                           # "-12,3 mln zł", or in full: "-12.345 €"
        parts = text.lstrip("-").split("\xa0")
        if not set(parts) & {w for w in words if w}:            # in full, its groups perhaps spaced: "-10 000 kr"
            assert words[0] is None and re.sub(r"\D", "", text) == str(round(abs(value)))
            return
        *number_parts, word, _ = parts
        digits = "".join(number_parts)
        number = float(digits.replace("\xa0", "").replace(",", "."))
    scale = 10.0 ** (3 * (1 + words.index(word)))
    assert abs(number * scale - abs(value)) <= 0.05 * scale * 1.0001
