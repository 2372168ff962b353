"""Money, percents and counts as the pages and exports write them: every digit kept, in the currency's style."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.params import CURRENCIES
from ui import format as fmt


@given(st.integers(-10**10, 10**10), st.sampled_from(CURRENCIES))
def test_whole_amounts_keep_every_digit(value, currency):
    text = fmt.money(float(value), currency, compact=False)
    assert re.sub(r"\D", "", text) == str(abs(value))
    assert text.lstrip().startswith("-") == (value < 0)


@pytest.mark.parametrize("value, currency, text", [
    (1005, "USD", "$1,005"), (7004, "EUR", "7.004\xa0€"), (-66000, "EUR", "-66.000\xa0€"),
    (1009133, "EUR", "1.009.133\xa0€"), (-7917, "GBP", "-£7,917"), (-1005, "PLN", "-1\xa0005\xa0zł")])
def test_amounts_read_as_in_their_locale(value, currency, text):
    assert fmt.money(value, currency, compact=False) == text


def test_tables_read_in_the_currencys_locale_and_keep_the_month():
    import pandas as pd

    from ui.tables import in_locale
    frame = pd.DataFrame({"Month": [0, 11], "Customers": [35921.0, 4000.0], "CSAT (%)": [81.5, 82.25],
                          "Variant": ["baseline", "scenario"]})
    shown = in_locale(frame, "EUR")
    assert shown["Customers"].tolist() == ["35.921", "4.000"]
    assert shown["CSAT (%)"].tolist() == ["81,50", "82,25"]
    assert shown["Month"].tolist() == [0, 11] and shown["Variant"].tolist() == ["baseline", "scenario"]
    assert in_locale(frame, "USD")["Customers"].tolist() == ["35,921", "4,000"]
    assert in_locale(pd.DataFrame({"x": [-0.0, 3.0]}), "EUR")["x"].tolist() == ["0", "3"]           # never "-0"
    assert in_locale(pd.DataFrame({"x": [-0.001, 1.25]}), "EUR")["x"].tolist() == ["0,00", "1,25"]
