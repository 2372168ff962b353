"""The articles' metric definitions: worked examples, edge cases, errors and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.metrics import definitions as m

MAY = (pd.Timestamp("2024-05-01"), pd.Timestamp("2024-06-01"))
FAST = settings(max_examples=60, deadline=None, database=None)


def customers(rows: list[tuple[str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame({"start": pd.to_datetime([s for s, _ in rows]),
                         "end": pd.to_datetime([e for _, e in rows])})


# --- worked examples from the articles -------------------------------------------------------

def test_roi_example_spend_100_earn_150() -> None:
    assert m.roi_pct(150.0, 100.0) == 0.5


def test_nps_example_from_shares() -> None:
    assert m.nps_from_shares(0.45, 0.30) == pytest.approx(15.0, abs=1e-12)
    assert m.nps_from_shares(0.45, 0.30, passives_pct=0.25) == pytest.approx(15.0, abs=1e-12)


def test_nps_example_from_100_scores() -> None:
    scores = [9, 10] * 22 + [10] + [7, 8] * 12 + [7] + list(range(7)) * 4 + [0, 6]
    assert len(scores) == 100
    assert m.nps_from_scores(scores) == 15.0
    shares = m.nps_shares(scores)
    assert (shares.promoters_pct, shares.passives_pct, shares.detractors_pct) == (0.45, 0.25, 0.30)
    assert shares.responses == 100


def test_churn_example_counts() -> None:
    assert m.churn_rate_pct(64, 1000) == 0.064


def test_churn_example_table_with_new_customer_rule() -> None:
    base_stays = [("2023-01-01", None)] * 939
    base_leaves_in_june = [("2023-01-01", "2024-06-01")]
    base_leaves = [("2023-06-01", "2024-05-20")] * 60
    joined_and_left_in_may = [("2024-05-03", "2024-05-25")] * 4
    joined_in_may_stays = [("2024-05-10", None)] * 30
    left_before_may = [("2023-01-01", "2024-04-30")] * 15
    table = customers(base_stays + base_leaves_in_june + base_leaves + joined_and_left_in_may
                      + joined_in_may_stays + left_before_may)
    counts = m.churn_counts(table, *MAY)
    assert counts == m.ChurnCounts(at_start=1000, lost=64, lost_joined_in_period=4)
    assert m.churn_rate_from_table(table, *MAY) == 0.064


def test_customer_joining_and_leaving_in_may_is_lost_but_not_in_base() -> None:
    base = customers([("2024-01-01", None)] * 10)
    with_newcomer = customers([("2024-01-01", None)] * 10 + [("2024-05-05", "2024-05-20")])
    before, after = m.churn_counts(base, *MAY), m.churn_counts(with_newcomer, *MAY)
    assert after.at_start == before.at_start == 10
    assert (after.lost, after.lost_joined_in_period) == (before.lost + 1, 1)
    assert m.churn_rate_from_table(with_newcomer, *MAY) == 0.1


def test_clv_example() -> None:
    assert m.clv(50.0, 3.0, 24.0) == 3600.0


def test_expansion_mrr_example() -> None:
    assert m.expansion_mrr_rate_pct(1000.0, 10000.0) == 0.10


def test_cost_per_conversation_example() -> None:
    assert m.cost_per_conversation(8.0, 1.5) == 12.0
    assert m.cost_per_conversation(m.cost_per_contact(8000.0, 1000), 1.5) == 12.0


# --- money ------------------------------------------------------------------------------------

def test_roi_negative_gain_zero_cost_and_errors() -> None:
    assert m.roi_pct(50.0, 100.0) == -0.5
    assert m.roi_pct(10.0, 0.0) is None
    with pytest.raises(ValueError, match="cost"):
        m.roi_pct(10.0, -1.0)


def test_mrr_normalises_billing_periods() -> None:
    assert m.mrr([50.0, 1200.0], [1.0, 12.0]) == 150.0
    assert m.mrr(np.array([10.0, 20.0])) == 30.0
    with pytest.raises(ValueError, match="billing_period_months"):
        m.mrr([50.0], [0.0])
    with pytest.raises(ValueError, match="recurring_charges"):
        m.mrr([-5.0])


def test_expansion_larger_than_total_or_zero_total_raises() -> None:
    with pytest.raises(ValueError, match="part of"):
        m.expansion_mrr_rate_pct(11000.0, 10000.0)
    with pytest.raises(ValueError, match="total_mrr"):
        m.expansion_mrr_rate_pct(0.0, 0.0)


def test_ratios_keep_array_and_series_shapes() -> None:
    churn = m.churn_rate_pct(np.array([10.0, 20.0]), np.array([100.0, 100.0]))
    np.testing.assert_allclose(churn, [0.1, 0.2])
    per_channel = m.cost_per_contact(pd.Series({"chat": 800.0, "email": 300.0}),
                                     pd.Series({"email": 100, "chat": 100}))
    assert per_channel.to_dict() == {"chat": 8.0, "email": 3.0}
    with pytest.raises(ValueError, match="labels differ"):
        m.cost_per_contact(pd.Series({"chat": 1.0}), pd.Series({"phone": 1.0}))
    with pytest.raises(ValueError, match="1 value"):
        m.cost_per_contact(np.array([1.0, 2.0]), np.array([1.0, 0.0]))


def test_clv_rejects_negative_inputs() -> None:
    with pytest.raises(ValueError, match="lifetime_months"):
        m.clv(50.0, 3.0, -1.0)


def test_crc_from_programme_lines() -> None:
    programme = m.RetentionProgrammeCost(support_cs_salaries=60000.0, onboarding_adoption=10000.0,
                                         services_training=20000.0, customer_marketing=10000.0)
    assert programme.total == 100000.0
    assert m.crc_per_customer(programme, 500) == 200.0
    assert m.crc_per_customer(1000.0, 10) == 100.0
    with pytest.raises(ValueError, match="customers"):
        m.crc_per_customer(programme, 0)
    with pytest.raises(ValueError, match="customer_marketing"):
        m.RetentionProgrammeCost(1.0, customer_marketing=-1.0)


def test_cost_per_contact_and_conversation_errors() -> None:
    with pytest.raises(ValueError, match="contacts"):
        m.cost_per_contact(100.0, 0)
    with pytest.raises(ValueError, match="interactions_per_conversation"):
        m.cost_per_conversation(8.0, 0.5)
    with pytest.raises(ValueError, match="NaN"):
        m.cost_per_contact(float("nan"), 10)


# --- surveys ----------------------------------------------------------------------------------

def test_nps_scores_skip_unanswered_and_reject_off_scale() -> None:
    assert m.nps_from_scores([10, None, float("nan"), 0]) == 0.0
    assert m.nps_from_scores(pd.Series([9.0, 10.0, np.nan])) == 100.0
    assert m.nps_from_scores([]) is None
    assert m.nps_shares([None]) is None
    for bad in ([11], [-1], [7.5], ["nine"]):
        with pytest.raises(ValueError, match="NPS scores"):
            m.nps_from_scores(bad)


def test_nps_from_shares_errors() -> None:
    with pytest.raises(ValueError, match="promoters_pct"):
        m.nps_from_shares(1.2, 0.0)
    with pytest.raises(ValueError, match="more than 1"):
        m.nps_from_shares(0.7, 0.5)
    with pytest.raises(ValueError, match="add up to 1"):
        m.nps_from_shares(0.45, 0.30, passives_pct=0.20)
    assert m.nps_from_shares(0.0, 1.0) == -100.0


def test_csat_rules_and_unrated() -> None:
    assert m.csat_pct(["good", "Bad ", None, float("nan"), "GOOD"], "good_bad") == 2 / 3
    assert m.csat_pct([5, 4.0, 3, 2, 1, None], "one_to_five") == 0.4
    assert m.csat_pct([True, False, np.bool_(True), pd.NA], "boolean") == 2 / 3
    assert m.csat_pct([None, float("nan")], "good_bad") is None
    assert m.csat_pct([], "boolean") is None


@pytest.mark.parametrize(("ratings", "rule", "message"), [
    (["good", "meh"], "good_bad", "not 'good' or 'bad'"),
    ([6], "one_to_five", "1 to 5"),
    ([4.5], "one_to_five", "1 to 5"),
    ([1], "boolean", "True or False"),
    (["good"], "stars", "unknown CSAT rule"),
])
def test_csat_rejects_ratings_outside_rule(ratings: list, rule: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        m.csat_pct(ratings, rule)  # type: ignore[arg-type]


def test_csat_by_agent() -> None:
    conversations = pd.DataFrame({"agent": ["ann", "ann", "bob", "cy", "cy", "cy"],
                                  "rating": [5, 2, None, 4, 5, None]})
    table = m.csat_by_agent(conversations, "one_to_five")
    assert list(table.index) == ["ann", "cy"]
    assert table.loc["ann"].to_dict() == {"rated": 2, "satisfied": 1, "csat_pct": 0.5}
    assert table.loc["cy", "csat_pct"] == 1.0
    with pytest.raises(ValueError, match="no agent"):
        m.csat_by_agent(pd.DataFrame({"agent": [None], "rating": [5]}), "one_to_five")
    with pytest.raises(ValueError, match="lack column"):
        m.csat_by_agent(pd.DataFrame({"agent": ["ann"]}), "one_to_five")


def test_ces_mean_of_answers() -> None:
    assert m.ces([2, 3, None, 7]) == 4.0
    assert m.ces([1, 5], scale=(1, 5)) == 3.0
    assert m.ces([None]) is None
    with pytest.raises(ValueError, match="outside the scale"):
        m.ces([8])
    with pytest.raises(ValueError, match="low to high"):
        m.ces([1], scale=(5, 1))


def test_qci_normalises_weights() -> None:
    assert m.normalised_weights({"speed": 3.0, "tone": 1.0}) == {"speed": 0.75, "tone": 0.25}
    assert m.qci({"speed": 80.0, "tone": 60.0}, {"speed": 3.0, "tone": 1.0}) == 75.0
    np.testing.assert_allclose(m.qci({"a": np.array([0.0, 100.0]), "b": np.array([100.0, 100.0])},
                                     {"a": 1.0, "b": 1.0}), [50.0, 100.0])
    with pytest.raises(ValueError, match="differ"):
        m.qci({"speed": 80.0}, {"tone": 1.0})
    with pytest.raises(ValueError, match="all be zero"):
        m.qci({"speed": 80.0}, {"speed": 0.0})
    with pytest.raises(ValueError, match="weight of 'speed'"):
        m.qci({"speed": 80.0}, {"speed": -1.0})


# --- churn, retention, contact rate ---------------------------------------------------------

def test_churn_period_boundaries() -> None:
    table = customers([
        ("2024-05-01", None),          # joined on the first day: new, not in the base
        ("2024-04-01", "2024-05-01"),  # left on the first day: in base and lost
        ("2024-04-01", "2024-06-01"),  # left on the first day of June: stays in May
        ("2024-04-01", "2024-04-30"),  # gone before May
    ])
    assert m.churn_counts(table, *MAY) == m.ChurnCounts(at_start=2, lost=1, lost_joined_in_period=0)


def test_churn_can_exceed_one_under_the_new_customer_rule() -> None:
    table = customers([("2024-01-01", None)] + [("2024-05-02", "2024-05-03")] * 3)
    assert m.churn_rate_from_table(table, *MAY) == 3.0


def test_churn_table_undefined_and_errors() -> None:
    only_new = customers([("2024-05-02", "2024-05-03")])
    assert m.churn_rate_from_table(only_new, *MAY) is None
    assert m.retention_rate_from_table(only_new, *MAY) is None
    with pytest.raises(ValueError, match="end before they start"):
        m.churn_counts(customers([("2024-05-02", "2024-05-01")]), *MAY)
    with pytest.raises(ValueError, match="no start date"):
        m.churn_counts(customers([(None, None)]), *MAY)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="lacks column"):
        m.churn_counts(pd.DataFrame({"start": []}), *MAY)
    with pytest.raises(ValueError, match="period must end after"):
        m.churn_counts(customers([("2024-01-01", None)]), MAY[1], MAY[0])
    with pytest.raises(ValueError, match="customers_at_start"):
        m.churn_rate_pct(1, 0)
    with pytest.raises(ValueError, match="lost"):
        m.churn_rate_pct(-1, 10)


def test_retention_counts_and_table() -> None:
    assert m.retention_rate_pct(936, 1000) == 0.936
    with pytest.raises(ValueError, match="part of"):
        m.retention_rate_pct(1001, 1000)
    table = customers([("2024-01-01", None)] * 8 + [("2024-01-01", "2024-05-15")] * 2
                      + [("2024-05-02", "2024-05-03")])
    assert m.retention_rate_from_table(table, *MAY) == 0.8
    assert m.churn_rate_from_table(table, *MAY) == 0.3


def test_contact_rate() -> None:
    assert m.contact_rate_pct(150, 1000) == 0.15
    assert m.contact_rate_from_tickets(["a", "b", "a", "c"], 10) == 0.3
    with pytest.raises(ValueError, match="part of"):
        m.contact_rate_pct(11, 10)
    with pytest.raises(ValueError, match="no customer id"):
        m.contact_rate_from_tickets(["a", None], 10)


# --- tickets ----------------------------------------------------------------------------------

def test_ticket_volume_by_weekday_hour() -> None:
    created = pd.to_datetime(["2024-05-06 09:30", "2024-05-06 09:59", "2024-05-12 23:59",
                              "2024-05-08 00:00"])
    table = m.ticket_volume_by_weekday_hour(created)
    assert table.shape == (7, 24)
    assert list(table.index) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert list(table.columns) == list(range(24))
    assert (table.loc["Mon", 9], table.loc["Sun", 23], table.loc["Wed", 0]) == (2, 1, 1)
    assert int(table.to_numpy().sum()) == 4
    assert m.busiest_weekday_hour(table) == ("Mon", 9)
    assert m.busiest_weekday_hour(m.ticket_volume_by_weekday_hour([])) is None
    with pytest.raises(ValueError, match="missing"):
        m.ticket_volume_by_weekday_hour(["2024-05-06", None])


def test_ticket_volume_per_period_fills_quiet_periods() -> None:
    created = ["2024-05-03 10:00", "2024-05-01 08:00", "2024-05-03 17:00"]
    per_day = m.ticket_volume_per_period(created, "D")
    assert per_day.tolist() == [1, 0, 2]
    assert per_day.index[0] == pd.Timestamp("2024-05-01")
    assert m.ticket_volume_per_period(created, "MS").tolist() == [3]
    assert m.ticket_volume_per_period([]).empty


def test_replies_and_resolution_rate() -> None:
    assert m.avg_replies_per_ticket(300, 200) == 1.5
    assert m.REPLIES_PER_TICKET_TARGET == 2.0 and m.REPLIES_PER_TICKET_MAX == 3.0
    assert m.resolution_rate_pct(90, 100) == 0.9
    assert m.resolution_rate_pct(120, 100) == 1.2  # working off a backlog
    with pytest.raises(ValueError, match="resolved_tickets"):
        m.avg_replies_per_ticket(3, 0)
    with pytest.raises(ValueError, match="tickets_received"):
        m.resolution_rate_pct(0, 0)


def test_average_response_and_resolution_times() -> None:
    assert m.avg_response_time_h(30.0, 12) == 2.5
    assert m.avg_resolution_time_h(96.0, 4) == 24.0
    with pytest.raises(ValueError, match="responses"):
        m.avg_response_time_h(1.0, 0)
    with pytest.raises(ValueError, match="total_resolution_time_h"):
        m.avg_resolution_time_h(-1.0, 3)


def test_first_response_times_skip_unanswered() -> None:
    created = pd.Series(pd.to_datetime(["2024-05-01 10:00", "2024-05-01 11:00", "2024-05-02 09:00"]))
    first_reply = pd.Series(pd.to_datetime(["2024-05-01 12:30", None, "2024-05-02 09:15"]))
    np.testing.assert_allclose(m.first_response_times_h(created, first_reply), [2.5, 0.25])
    summary = m.first_response_summary(created, first_reply)
    assert summary == m.DurationSummary(mean_h=1.375, median_h=1.375, p90_h=2.275, tickets=2)
    assert m.first_response_summary(created[:1], [None]) is None


def test_first_reply_before_creation_names_rows() -> None:
    created = ["2024-05-01 10:00", "2024-05-01 11:00", "2024-05-01 12:00"]
    with pytest.raises(ValueError, match=r"^2 ticket row\(s\) have a first reply before creation"):
        m.first_response_times_h(created, ["2024-05-01 09:00", "2024-05-01 11:30", "2024-05-01 11:00"])
    with pytest.raises(ValueError, match="3 tickets but first reply has 2"):
        m.first_response_times_h(created, created[:2])
    with pytest.raises(ValueError, match="missing"):
        m.first_response_times_h([None], ["2024-05-01"])


def test_resolution_times_and_duration_summary() -> None:
    hours = m.resolution_times_h(["2024-05-01 00:00", "2024-05-01 00:00"], ["2024-05-02 00:00", None])
    np.testing.assert_allclose(hours, [24.0])
    assert m.duration_summary_h([1.0, 2.0, 3.0, 4.0, 10.0]).p90_h == pytest.approx(7.6)
    assert m.duration_summary_h([]) is None
    with pytest.raises(ValueError, match="durations_h"):
        m.duration_summary_h([1.0, -1.0])


def test_channel_mix() -> None:
    mix = m.channel_mix_pct(["chat", "email", "chat", "phone"])
    assert mix.to_dict() == {"chat": 0.5, "email": 0.25, "phone": 0.25}
    assert list(mix.index) == ["chat", "email", "phone"]
    assert m.channel_mix_pct([]) is None
    with pytest.raises(ValueError, match="no channel"):
        m.channel_mix_pct(["chat", None])


# --- properties -------------------------------------------------------------------------------

scores_st = st.lists(st.integers(0, 10), min_size=1, max_size=200)
day_st = st.integers(-400, 400)  # days from 2024-05-01


def table_of(spans: list[tuple[int, int | None]]) -> pd.DataFrame:
    origin = MAY[0]
    return pd.DataFrame({
        "start": [origin + pd.Timedelta(days=s) for s, _ in spans],
        "end": pd.to_datetime([None if d is None else origin + pd.Timedelta(days=s + d) for s, d in spans]),
    })


spans_st = st.lists(st.tuples(day_st, st.one_of(st.none(), st.integers(0, 400))), max_size=60)
old_spans_st = st.lists(st.tuples(st.integers(-400, -1), st.one_of(st.none(), st.integers(0, 400))),
                        min_size=1, max_size=60)


@FAST
@given(scores_st)
def test_nps_is_within_plus_minus_100(scores: list[int]) -> None:
    assert -100.0 <= m.nps_from_scores(scores) <= 100.0


@FAST
@given(scores_st)
def test_nps_from_scores_equals_nps_from_their_shares(scores: list[int]) -> None:
    shares = m.nps_shares(scores)
    assert math.isclose(shares.promoters_pct + shares.passives_pct + shares.detractors_pct, 1.0)
    from_shares = m.nps_from_shares(shares.promoters_pct, shares.detractors_pct, shares.passives_pct)
    assert from_shares == pytest.approx(m.nps_from_scores(scores), abs=1e-9)


@FAST
@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=100))
def test_csat_is_a_fraction_of_rated(ratings: list[int | None]) -> None:
    csat = m.csat_pct(ratings, "one_to_five")
    rated = [r for r in ratings if r is not None]
    if not rated:
        assert csat is None
    else:
        assert 0.0 <= csat <= 1.0
        assert csat == sum(r >= 4 for r in rated) / len(rated)


@FAST
@given(old_spans_st)
def test_churn_without_newcomers_is_a_fraction(spans: list[tuple[int, int | None]]) -> None:
    table = table_of(spans)
    churn = m.churn_rate_from_table(table, *MAY)
    retention = m.retention_rate_from_table(table, *MAY)
    if churn is None:
        assert retention is None
    else:
        assert 0.0 <= churn <= 1.0
        assert churn + retention == pytest.approx(1.0)


@FAST
@given(spans_st)
def test_retention_is_a_fraction_and_churn_matches_counts(spans: list[tuple[int, int | None]]) -> None:
    table = table_of(spans)
    retention = m.retention_rate_from_table(table, *MAY)
    assert retention is None or 0.0 <= retention <= 1.0
    counts = m.churn_counts(table, *MAY)
    churn = m.churn_rate_from_table(table, *MAY)
    assert counts.lost_joined_in_period <= counts.lost
    if counts.at_start:
        assert churn == m.churn_rate_pct(counts.lost, counts.at_start)
    else:
        assert churn is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["email", "chat", "Chat", ""]), st.booleans(), st.none()), max_size=40))
def test_records_from_a_series_are_the_records_of_its_items(values):
    from intake.metrics.definitions import _records
    by_items = pd.Series(list(values), dtype=object)
    pd.testing.assert_series_equal(_records(pd.Series(values, dtype=object, index=range(7, 7 + len(values)))),
                                   by_items)
    pd.testing.assert_series_equal(_records(np.array(values, dtype=object)), by_items)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["email", "chat", "phone", "web"]), min_size=1, max_size=60))
def test_channel_mix_of_a_typed_column_is_that_of_its_items(channels):
    typed = pd.Series(channels, dtype="str", index=range(100, 100 + len(channels)), name="channel")
    pd.testing.assert_series_equal(m.channel_mix_pct(typed), m.channel_mix_pct(list(channels)))
