"""intake.uploads.convert: each parser on the forms exports use, column-wide decisions, bad versus missing,
round trips of formatted numbers and date-times, and columns of a few hundred thousand values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from intake.metrics import definitions as metrics
from intake.uploads.convert import (
    Parsed,
    RatingParsed,
    parse_booleans,
    parse_datetimes,
    parse_durations_h,
    parse_months,
    parse_numbers,
    parse_pct,
    parse_ratings,
    parse_scores_0_10,
    unit_of_header,
)

FAST = settings(max_examples=80, deadline=None, database=None)


def strings(values: list[str | None], index: list[int] | None = None) -> pd.Series:
    return pd.Series(values, dtype=pd.StringDtype("pyarrow"), index=index)


def floats(parsed: Parsed) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), 9) for v in parsed.values]


def stamps(parsed: Parsed) -> list[str | None]:
    return [None if pd.isna(v) else v.isoformat() for v in parsed.values]


# --- numbers --------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "expected", "note"), [
    (["1234.5", "-3", "+2", "1e3"], [1234.5, -3.0, 2.0, 1000.0], None),
    (["1234.5", "1,234.5"], [1234.5, 1234.5], "comma read as thousands separator (1,234 = 1234)"),
    (["1.234,5", "12,5", "1 234,5", "1\u00a0234,5", "1\u202f234,5", "-0,25"],
     [1234.5, 12.5, 1234.5, 1234.5, 1234.5, -0.25], "decimal comma"),
    (["1'234.5", "1’000", "(3)", "5"], [1234.5, 1000.0, -3.0, 5.0], "(3) read as -3"),
    (["1,234", "2,000,000"], [1234.0, 2000000.0], "comma read as thousands separator (1,234 = 1234)"),
    (["1,234", "12,5"], [1.234, 12.5], "decimal comma"),
    (["1.234", "0,5"], [1234.0, 0.5], "decimal comma"),
])
def test_numbers(values, expected, note) -> None:
    parsed = parse_numbers(strings(values))
    assert floats(parsed) == expected
    assert not parsed.bad.any()
    assert parsed.note == note or (note is not None and note in parsed.note)


def test_numbers_with_currency() -> None:
    values = ["$1,200.50", "€ 3.5", "£7", "12 zł", "100 Ft", "5 руб.", "USD 5", "-$3", "EUR 1,000.25"]
    parsed = parse_numbers(strings(values))
    assert floats(parsed) == [1200.5, 3.5, 7.0, 12.0, 100.0, 5.0, 5.0, -3.0, 1000.25]
    assert "currency symbols ignored ($, EUR, Ft, USD, zł, £, руб., €)" in parsed.note
    eu = parse_numbers(strings(["€ 1.234,50", "1 234,50 zł", "3,20 €"]))
    assert floats(eu) == [1234.5, 1234.5, 3.2]


def test_the_currency_marks_a_column_is_written_with_are_named_and_weighed_against_the_case() -> None:
    from intake.uploads.currency import column_notes, foreign, noted
    note = parse_numbers(strings(["1 200,50 zł", "300 ZŁ", "12,5", None])).note
    assert note == "decimal comma; currency symbols ignored (zł)"
    assert noted(note) == ("zł",) and noted("decimal comma") == () and noted(None) == ()
    assert foreign(("zł",), "USD") == ("zł",) and foreign(("zł", "PLN"), "PLN") == ()
    assert foreign(("$",), "USD") == () and foreign(("$",), "EUR") == ("$",)     # "$": several dollars
    assert foreign(("EUR", "€"), "EUR") == () and foreign(("EUR", "£"), "EUR") == ("£",)
    assert foreign(("kr", "¢"), "GBP") == ("kr",)                 # "¢" names no currency: not counted
    assert foreign(("Ft",), "HUF") == () and foreign(("US$",), "EUR") == ("US$",)
    # A billing export's currency column: Stripe writes "usd", Chargebee "subscriptions.currency_code".
    frame = pd.DataFrame({"Currency": ["usd", " EUR", None, "n/a"], "subscriptions.currency_code": ["PLN"] * 4,
                          "Amount": ["1", "2", "3", "4"]})
    assert column_notes(frame) == ["Currency: amounts in (EUR, USD)", "subscriptions.currency_code: amounts in (PLN)"]
    assert noted("amounts in (EUR, USD)") == ("EUR", "USD")
    from intake.uploads.currency import header_marks
    assert [header_marks(h) for h in ("Monthly spend (£)", "MRR [EUR]", "Amount (in zł)", "MRR (monthly)", "Revenue",
                                      "Kr (x)")] == [("£",), ("EUR",), ("zł",), (), (), ()]
    assert parse_numbers(strings(["12.5", "3"])).note is None


def test_numbers_bad_versus_missing() -> None:
    parsed = parse_numbers(strings(["12%", "abc", "1,2,3", "", None, "  ", "12.5"], index=[5, 6, 7, 8, 9, 10, 11]))
    assert parsed.bad.tolist() == [True, True, True, False, False, False, False]
    assert floats(parsed) == [None, None, None, None, None, None, 12.5]
    assert list(parsed.values.index) == [5, 6, 7, 8, 9, 10, 11]
    assert parsed.values.dtype == np.float64


def test_numbers_contradicting_the_column_convention_are_bad() -> None:
    parsed = parse_numbers(strings(["1.234,50", "2.000,00", "12.5"]))
    assert floats(parsed) == [1234.5, 2000.0, None]
    assert parsed.bad.tolist() == [False, False, True]


@st.composite
def formatted_numbers(draw) -> tuple[list[float], list[str]]:
    values = draw(st.lists(st.integers(-10**9, 10**9).map(lambda c: c / 100), min_size=1, max_size=20))
    decimal = draw(st.sampled_from([".", ","]))
    group = draw(st.sampled_from(["", " ", "\u00a0", "\u202f", "'", "," if decimal == "." else "."]))
    currency = draw(st.sampled_from(["", "$", "€ ", " zł", " EUR"]))

    def text(x: float) -> str:
        body = f"{abs(x):,.2f}".replace(",", "\0").replace(".", decimal).replace("\0", group)
        sign = "-" if x < 0 else ""
        return f"{sign}{currency}{body}" if currency and not currency.startswith(" ") else f"{sign}{body}{currency}"

    return values, [text(x) for x in values]


@FAST
@given(formatted_numbers())
def test_formatted_numbers_round_trip(case) -> None:
    values, texts = case
    parsed = parse_numbers(strings(texts))
    assert not parsed.bad.any(), texts
    np.testing.assert_allclose(parsed.values.to_numpy(), values, rtol=0, atol=1e-9)


# --- percentages and scores -----------------------------------------------------------------

@pytest.mark.parametrize(("values", "expected"), [
    (["92 %", "92%", "92,5 %", "0 %"], [0.92, 0.92, 0.925, 0.0]),
    (["0.92", "0.5", "1"], [0.92, 0.5, 1.0]),
    (["92", "50", "100"], [0.92, 0.5, 1.0]),
    (["92", "0.5"], [0.92, 0.005]),
])
def test_pct(values, expected) -> None:
    parsed = parse_pct(strings(values))
    assert floats(parsed) == expected
    assert not parsed.bad.any()


def test_pct_out_of_range_is_bad() -> None:
    parsed = parse_pct(strings(["120", "5", "-3 %", "abc", None]))
    assert floats(parsed) == [None, 0.05, None, None, None]
    assert parsed.bad.tolist() == [True, False, True, True, False]


def test_scores_0_10() -> None:
    parsed = parse_scores_0_10(strings(["0", "10", "7.0", "7.5", "11", "-1", "x", None]))
    assert floats(parsed) == [0.0, 10.0, 7.0, None, None, None, None, None]
    assert parsed.bad.tolist() == [False, False, False, True, True, True, True, False]


# --- date-times -----------------------------------------------------------------------------

def test_iso_forms() -> None:
    parsed = parse_datetimes(strings(["2024-03-01", "2024-03-01 14:05", "2024-03-01T14:05:07Z",
                                      "2024-03-01T14:05:07.123+02:00", "2024/03/01 14:05:07.000",
                                      "2024-03-01T14:05:07,5", None, ""]))
    assert str(parsed.values.dtype) == "datetime64[us, UTC]"
    assert stamps(parsed) == ["2024-03-01T00:00:00+00:00", "2024-03-01T14:05:00+00:00",
                              "2024-03-01T14:05:07+00:00", "2024-03-01T12:05:07.123000+00:00",
                              "2024-03-01T14:05:07+00:00", "2024-03-01T14:05:07.500000+00:00", None, None]
    assert not parsed.bad.any()


def test_day_first_proved_by_a_day_above_12() -> None:
    parsed = parse_datetimes(strings(["01.03.2024 14:05", "31.01.2024", "1.3.24"]))
    assert stamps(parsed) == ["2024-03-01T14:05:00+00:00", "2024-01-31T00:00:00+00:00", "2024-03-01T00:00:00+00:00"]
    assert parsed.note == "day first (31.01.2024)"


def test_month_first_proved_by_a_second_field_above_12() -> None:
    parsed = parse_datetimes(strings(["03/31/2024 2:05 PM", "04/01/2024 12:30 AM", "04/01/2024 12:30 pm"]))
    assert stamps(parsed) == ["2024-03-31T14:05:00+00:00", "2024-04-01T00:30:00+00:00", "2024-04-01T12:30:00+00:00"]
    assert parsed.note.startswith("month first")


def test_undecidable_order_defaults_and_says_so() -> None:
    day = parse_datetimes(strings(["01/03/2024", "02/03/2024"]))
    assert stamps(day)[0] == "2024-03-01T00:00:00+00:00"
    assert "day first assumed" in day.note
    us = parse_datetimes(strings(["01/03/2024 2:05 PM"]))
    assert stamps(us) == ["2024-01-03T14:05:00+00:00"]
    assert "month first assumed" in us.note


def test_named_months() -> None:
    parsed = parse_datetimes(strings(["1 Mar 2024", "Mar 1, 2024 14:05", "01-Mar-24", "Fri, 01 Mar 2024 14:05:07 +0000",
                                      "March 1st, 2024", "1 марта 2024", "Mar 1, 2024 at 2:05 pm"]))
    assert stamps(parsed) == ["2024-03-01T00:00:00+00:00", "2024-03-01T14:05:00+00:00", "2024-03-01T00:00:00+00:00",
                              "2024-03-01T14:05:07+00:00", "2024-03-01T00:00:00+00:00", "2024-03-01T00:00:00+00:00",
                              "2024-03-01T14:05:00+00:00"]


def test_epochs_only_for_whole_columns() -> None:
    seconds = parse_datetimes(strings(["1709301907", "1709301908", None]), assume_tz="Europe/Warsaw")
    assert stamps(seconds)[:2] == ["2024-03-01T14:05:07+00:00", "2024-03-01T14:05:08+00:00"]
    assert seconds.note == "Unix epoch seconds"  # epochs are UTC: assume_tz does not apply
    millis = parse_datetimes(strings(["1709301907123"]))
    assert stamps(millis) == ["2024-03-01T14:05:07.123000+00:00"]
    mixed = parse_datetimes(strings(["1709301907", "2024-03-01"]))
    assert mixed.bad.tolist() == [True, False]


def test_excel_serials_with_time_of_day() -> None:
    parsed = parse_datetimes(strings(["45352.5868055556", "45353", "45352,75"]))
    assert stamps(parsed) == ["2024-03-01T14:05:00+00:00", "2024-03-02T00:00:00+00:00", "2024-03-01T18:00:00+00:00"]
    assert parsed.note == "Excel serial day numbers"
    assert parse_datetimes(strings(["12", "45353"])).bad.tolist() == [True, True]


def test_compact_dates_of_six_and_eight_digits() -> None:
    switch = parse_datetimes(strings(["990215", "990201", None, "000301"]))     # a call-centre switch's dates
    assert stamps(switch)[:2] == ["1999-02-15T00:00:00+00:00", "1999-02-01T00:00:00+00:00"]
    assert stamps(switch)[3] == "2000-03-01T00:00:00+00:00"
    assert switch.note.startswith("YYMMDD dates")
    assert parse_datetimes(strings(["20240301"])).note.startswith("YYYYMMDD dates")
    ids = parse_datetimes(strings(["123456", "990215"]))                        # not all dates: no date is guessed
    assert ids.bad.tolist() == [True, True] and "not all YYMMDD" in ids.note


def test_mixed_offsets_all_to_utc() -> None:
    parsed = parse_datetimes(strings(["2024-03-01T10:00:00+01:00", "2024-03-01T10:00:00+02:00",
                                      "2024-03-01T09:00:00Z", "2024-03-01 09:00 UTC", "01.03.2024 10:00 -0530",
                                      "2024-03-01T10:00:00+99:00"]))
    assert stamps(parsed) == ["2024-03-01T09:00:00+00:00", "2024-03-01T08:00:00+00:00", "2024-03-01T09:00:00+00:00",
                              "2024-03-01T09:00:00+00:00", "2024-03-01T15:30:00+00:00", None]
    assert parsed.bad.tolist() == [False] * 5 + [True]


def test_times_without_zone_in_assume_tz_and_dst_gaps_do_not_crash() -> None:
    parsed = parse_datetimes(strings(["2024-07-01 12:00", "2024-03-31 02:30", "2024-10-27 02:30",
                                      "2024-01-15 08:00+00:00"]), assume_tz="Europe/Berlin")
    assert stamps(parsed) == ["2024-07-01T10:00:00+00:00",
                              "2024-03-31T01:00:00+00:00",  # 02:30 never happened: moved to 03:00 CEST
                              "2024-10-27T00:30:00+00:00",  # happened twice: the first (CEST) is taken
                              "2024-01-15T08:00:00+00:00"]
    assert not parsed.bad.any()
    assert "Europe/Berlin" in parsed.note


def test_bad_date_times() -> None:
    parsed = parse_datetimes(strings(["2024-02-31", "13/13/2024", "2024-03-01 25:00", "2024-03-01 13:00 PM",
                                      "soon", "32.01.2024", None]))
    assert parsed.bad.tolist() == [True] * 6 + [False]
    assert parsed.values.isna().all()


_FORMATS = ["iso_z", "iso_offset", "dmy_dots", "us_ampm", "named", "slashes_ymd", "epoch"]


@FAST
@given(st.lists(st.datetimes(pd.Timestamp("1990-01-01").to_pydatetime(), pd.Timestamp("2060-01-01").to_pydatetime()),
                min_size=1, max_size=12),
       st.sampled_from(_FORMATS), st.integers(-12 * 4, 14 * 4),
       st.sampled_from(["UTC", "Europe/Warsaw", "America/New_York"]))
def test_formatted_datetimes_round_trip(moments, form, quarter_hours, tz) -> None:
    utc = pd.DatetimeIndex(moments).floor("s").tz_localize("UTC")
    offset = pd.Timedelta(minutes=15 * quarter_hours)
    local = utc.tz_convert(tz).tz_localize(None)
    if form in ("dmy_dots", "us_ampm", "named", "slashes_ymd"):
        # A wall-clock time that happens twice is read as the first: leave those out here.
        back = local.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        assume(not back.isna().any())
    sign = "-" if offset < pd.Timedelta(0) else "+"
    hhmm = f"{sign}{abs(quarter_hours) * 15 // 60:02d}:{abs(quarter_hours) * 15 % 60:02d}"
    texts = {
        "iso_z": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iso_offset": (utc.tz_localize(None) + offset).strftime("%Y-%m-%dT%H:%M:%S") + hhmm,
        "dmy_dots": local.strftime("%d.%m.%Y %H:%M:%S"),
        "us_ampm": local.strftime("%m/%d/%Y %I:%M:%S %p"),
        "named": local.strftime("%d %b %Y %H:%M:%S"),
        "slashes_ymd": local.strftime("%Y/%m/%d %H:%M:%S"),
        "epoch": pd.Index((utc.asi8 // 10**6).astype(str)) if (utc.year >= 2002).all() else None,
    }[form]
    assume(texts is not None)
    parsed = parse_datetimes(strings(list(texts)), assume_tz=tz)
    assert not parsed.bad.any(), list(texts)
    assert (parsed.values.to_numpy() == utc.as_unit("us").to_numpy()).all(), list(texts)


def test_months() -> None:
    parsed = parse_months(strings(["2024-03", "03/2024", "Mar 2024", "March 2024", "2024-03-15", "Mar-24",
                                   "15.03.2024 10:00", "2024/3", None, "x"]))
    assert stamps(parsed) == ["2024-03-01T00:00:00+00:00"] * 8 + [None, None]
    assert parsed.bad.tolist() == [False] * 9 + [True]
    serials = parse_months(strings(["45352", "45382.5"]))
    assert stamps(serials) == ["2024-03-01T00:00:00+00:00", "2024-03-01T00:00:00+00:00"]


# --- durations ------------------------------------------------------------------------------

def test_durations() -> None:
    parsed = parse_durations_h(strings(["1:30:00", "01:30", "1d 02:03:04", "1 day 02:03:04", "2h 30m", "45 min",
                                        "1.5 hours", "PT2H30M", "2 hours 30 minutes", "0 days 02:00:00", None]))
    assert floats(parsed) == [1.5, 1.5, round(26 + 3 / 60 + 4 / 3600, 9), round(26 + 3 / 60 + 4 / 3600, 9), 2.5,
                              0.75, 1.5, 2.5, 2.5, 2.0, None]
    assert not parsed.bad.any()


@pytest.mark.parametrize(("unit", "expected"), [("s", 90 / 3600), ("min", 1.5), ("h", 90.0), ("d", 90 * 24.0)])
def test_plain_numbers_take_the_unit(unit, expected) -> None:
    parsed = parse_durations_h(strings(["90", "1,5"]), unit=unit)
    assert floats(parsed) == [round(expected, 9), round(expected / 60, 9)]
    assert "decimal comma" in parsed.note


def test_negative_and_impossible_durations_are_bad() -> None:
    parsed = parse_durations_h(strings(["-5", "-01:00", "1:75", "abc", "", "3"]))
    assert parsed.bad.tolist() == [True, True, True, True, False, False]


@pytest.mark.parametrize(("header", "unit"), [
    ("First reply time in minutes", "min"), ("Resolution time (in hrs)", "h"), ("Wait (s)", "s"),
    ("seconds", "s"), ("days", "d"), ("Full resolution time in minutes (business hours)", "min"),
    ("Minutes to reply (business hours)", "min"), ("Days open", "d"), ("Время ответа, мин", "min"),
    ("Czas (godz.)", "h"), ("Handle time (sec)", "s"), ("Resolution time", None), ("Time (hh:mm:ss)", None),
])
def test_unit_of_header(header, unit) -> None:
    assert unit_of_header(header) == unit


# --- booleans and ratings -------------------------------------------------------------------

def test_booleans() -> None:
    parsed = parse_booleans(strings(["Yes", "no", "TRUE", "0", "да", "Nie", "igen", "Nein", "x", "abandoned",
                                     "answered", None, "maybe"]))
    assert parsed.values.tolist()[:11] == [True, False, True, False, True, False, True, False, True, True, False]
    assert parsed.values.isna().tolist()[11:] == [True, True]
    assert parsed.bad.tolist() == [False] * 12 + [True]
    assert str(parsed.values.dtype) == "boolean"


def test_check_mark_column_empty_means_false() -> None:
    parsed = parse_booleans(strings(["x", None, "X"]))
    assert parsed.values.tolist() == [True, False, True]
    assert "empty cell false" in parsed.note


def _rating(values: list[str | None]) -> RatingParsed:
    return parse_ratings(strings(values))


def test_zendesk_good_bad_with_offered_unrated() -> None:
    parsed = _rating(["Good", "bad", "Offered", "Unoffered", None, "meh", "GoodWithComment"])
    assert parsed.scale == "good_bad"
    assert floats(Parsed(parsed.values, parsed.bad)) == [1.0, 0.0, None, None, None, None, 1.0]
    assert parsed.satisfied.tolist()[:2] == [True, False] and parsed.satisfied.isna().tolist()[2:6] == [True] * 4
    assert parsed.bad.tolist() == [False] * 5 + [True, False]


def test_answers_differing_only_in_case_are_one_answer() -> None:
    parsed = _rating(["Good", "GOOD", " good ", "OFFERED", "Bad", "N/A", "BAD"])
    assert parsed.scale == "good_bad"
    assert floats(Parsed(parsed.values, parsed.bad)) == [1.0, 1.0, 1.0, None, 0.0, None, 0.0]
    assert parsed.satisfied.isna().tolist() == [False, False, False, True, False, True, False]
    assert not parsed.bad.any()
    numbers = _rating(["5", "4", "n/a", "NONE", "1"])                   # unrated words do not outvote numbers
    assert numbers.scale == "one_to_five" and not numbers.bad.any()
    unrated = _rating(["Offered", "UNOFFERED", None, "n/a"])                # no survey answered yet: no scale
    assert unrated.scale is None and unrated.note is None and not unrated.bad.any()


def test_zoho_desk_okay_is_rated_but_not_satisfied() -> None:
    parsed = _rating(["Good", "Okay", "Bad", "good", None, "OKAY"])
    assert parsed.scale == "good_bad" and "Zoho Desk" in parsed.note
    assert parsed.satisfied.tolist()[:4] == [True, False, False, True] and parsed.satisfied.tolist()[5] is False
    assert not parsed.bad.any()                                   # "Okay" is an answer: it counts in CSAT's base


def test_help_scout_only_great_is_satisfied() -> None:
    parsed = _rating(["Great", "Okay", "Not Good"])
    assert parsed.scale == "good_bad"
    assert parsed.satisfied.tolist() == [True, False, False]


def test_intercom_five_words_and_emoji() -> None:
    parsed = _rating(["Amazing", "Great", "OK", "Bad", "Terrible"])
    assert parsed.scale == "one_to_five"
    assert parsed.values.tolist() == [1.0, 0.75, 0.5, 0.25, 0.0]
    assert parsed.satisfied.tolist() == [True, True, False, False, False]
    emoji = _rating(["🤩", "😠", "👍"])
    assert emoji.satisfied.tolist()[:2] == [True, False] and emoji.bad.tolist() == [False, False, True]
    assert _rating(["👍", "👎"]).satisfied.tolist() == [True, False]


def test_numeric_scales_follow_the_metrics_rules() -> None:
    five = _rating(["1", "5", "4", "3", "2"])
    assert five.scale == "one_to_five"
    assert five.satisfied.tolist() == metrics.satisfied_flags([1, 5, 4, 3, 2], "one_to_five").tolist()
    ten = _rating(["0", "9", "10", "7", "6"])
    assert ten.scale == "zero_to_ten"
    assert ten.satisfied.tolist() == [s >= metrics.PROMOTER_MIN for s in (0, 9, 10, 7, 6)]
    assert "promoters" in ten.note
    assert ten.values.tolist() == [0.0, 0.9, 1.0, 0.7, 0.6]
    off = _rating(["5", "11", "4.5", "x", None])
    assert off.scale == "one_to_five" and off.bad.tolist() == [False, True, True, True, False]
    assert _rating([None, ""]).scale is None


@pytest.mark.parametrize("parser", [parse_numbers, parse_pct, parse_datetimes, parse_months, parse_durations_h,
                                    parse_booleans, parse_ratings, parse_scores_0_10])
@pytest.mark.parametrize("column", [pd.Series([], dtype="string"), pd.Series([None, None], dtype="string"),
                                    pd.Series(["", "  "], dtype=object)])
def test_empty_columns_are_missing_not_bad(parser, column) -> None:
    parsed = parser(column)
    assert len(parsed.values) == len(column) and not parsed.bad.any()
    assert parsed.values.isna().all()


# --- at scale ------------------------------------------------------------------------------

def test_large_columns_parse_completely() -> None:
    """300,000 values of each awkward form parse without a bad row (speed: bench/bench_uploads.py)."""
    n = 300_000
    rng = np.random.default_rng(1)
    moments = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
    dates = strings(list(moments.strftime("%d.%m.%Y %H:%M:%S")))
    values = rng.normal(1000, 400, n)
    amounts = strings([f"{x:,.2f}".replace(",", " ").replace(".", ",") for x in values])
    parsed = parse_datetimes(dates, assume_tz="Europe/Warsaw")
    numbers = parse_numbers(amounts)
    assert not parsed.bad.any() and not numbers.bad.any()
    expected = moments.tz_localize("Europe/Warsaw", ambiguous=True, nonexistent="shift_forward").tz_convert("UTC")
    assert (parsed.values.to_numpy() == expected.to_numpy()).mean() > 0.999
    np.testing.assert_allclose(numbers.values.to_numpy(), np.round(values, 2), atol=1e-9)


def test_freshdesk_and_five_point_words() -> None:
    three = parse_ratings(strings(["Awesome", "Just Okay", "Not Good", None]))
    assert three.satisfied.tolist()[:3] == [True, False, False] and not three.bad.any()
    five = parse_ratings(strings(["Extremely happy", "Happy", "Neutral", "Unhappy", "Extremely unhappy"]))
    assert five.scale == "one_to_five" and five.satisfied.tolist() == [True, True, False, False, False]


def test_bare_dates_stay_on_their_calendar_day_in_any_zone() -> None:
    parsed = parse_datetimes(strings(["26/10/2022", "01/01/2024"]), assume_tz="Europe/Berlin")
    assert [str(t.date()) for t in parsed.values] == ["2022-10-26", "2024-01-01"]
    assert "calendar days" in parsed.note
    timed = parse_datetimes(strings(["01/01/2024 00:30"]), assume_tz="Europe/Berlin")
    assert str(timed.values.iloc[0]) == "2023-12-31 23:30:00+00:00"


def test_overflowing_numbers_are_bad_and_zero_one_ratings_are_good_bad() -> None:
    assert parse_numbers(strings(["1e400", "5"])).bad.tolist() == [True, False]
    assert parse_numbers(strings(["1e400", "1,234.5"])).bad.tolist() == [True, False]
    r = parse_ratings(strings(["1", "0", "1", "1"]))
    assert r.scale == "good_bad" and r.satisfied.tolist() == [True, False, True, True]


def test_times_of_day_and_a_date_with_its_clock_in_another_column():
    from intake.uploads.convert import parse_date_and_clock, parse_times_of_day_h
    clocks = parse_times_of_day_h(pd.Series(["7:02:47", "07:02", "19.05", "7:02 PM", "12:00 am", "12:30 PM",
                                             "24:00", "7:60", "13:00 pm", "", "soon"]))
    assert clocks.values.iloc[:6].tolist() == pytest.approx([7 + 2 / 60 + 47 / 3600, 7 + 2 / 60, 19 + 5 / 60,
                                                            19 + 2 / 60, 0.0, 12.5])
    assert clocks.bad.tolist() == [False] * 6 + [True, True, True, False, True]
    # 2024-03-31 02:30 does not exist in Warsaw (clocks go forward): moved to 03:00 local = 01:00 UTC
    both = parse_date_and_clock(pd.Series(["2024-03-31", "2024-03-30", "", "2024-03-30"]),
                                pd.Series(["02:30", "23:30", "", ""]), assume_tz="Europe/Warsaw")
    assert both.values.iloc[:2].tolist() == [pd.Timestamp("2024-03-31 01:00", tz="UTC"),
                                             pd.Timestamp("2024-03-30 22:30", tz="UTC")]
    assert both.bad.tolist() == [False, False, False, True]            # both empty: missing; half empty: bad
    assert "date and time of day from two columns, read in Europe/Warsaw" in both.note


def test_jira_dates_with_a_named_month_between_slashes():
    parsed = parse_datetimes(pd.Series(["25/Feb/26 10:17 PM", "03/Mar/26 9:05 AM", "1/Jan/24 12:00 AM"]))
    assert parsed.values.tolist() == [pd.Timestamp("2026-02-25 22:17", tz="UTC"),
                                      pd.Timestamp("2026-03-03 09:05", tz="UTC"),
                                      pd.Timestamp("2024-01-01 00:00", tz="UTC")]
    assert not parsed.bad.any()


def test_hungarian_months_with_trailing_points():
    from intake.uploads.convert import parse_months
    parsed = parse_months(pd.Series(["2024.01.", "2024. 02.", "2024-03", "2024.13."]))
    assert parsed.values.iloc[:3].tolist() == [pd.Timestamp(f"2024-0{m}-01", tz="UTC") for m in (1, 2, 3)]
    assert parsed.bad.tolist() == [False, False, False, True]
