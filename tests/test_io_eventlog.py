"""Event log -> ticket table: column and role guessing, a hand-made log, random logs, the Italian log."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.uploads.eventlog import EventRoles, guess_columns, guess_roles, tickets_from_events

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ITALIAN = SHARED_DATA / "italian_helpdesk_eventlog_2010-2014.csv"
ROLES = EventRoles(create=("Open",), reply=("Reply",), resolve=("Resolve",))
KW = dict(case="case", activity="activity", timestamp="time", resource="who")


def log(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["case", "activity", "time", "who"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    return frame


# --- guessing ------------------------------------------------------------------------------------

def test_guess_columns_italian_and_xes_headers():
    italian = ["Case ID", "Activity", "Resource", "Complete Timestamp", "Variant", "Variant index", "seriousness"]
    assert guess_columns(italian) == ("Case ID", "Activity", "Complete Timestamp", "Resource")
    xes = ["org:resource", "time:timestamp", "concept:name", "case:concept:name", "lifecycle:transition"]
    assert guess_columns(xes) == ("case:concept:name", "concept:name", "time:timestamp", "org:resource")
    assert guess_columns(["Ticket", "Event", "Date"]) == ("Ticket", "Event", "Date", None)
    assert guess_columns(["foo", "bar"]) == (None, None, None, None)


def test_guess_roles_italian_activities():
    activities = ["Assign seriousness", "Take in charge ticket", "Resolve ticket", "Closed", "Wait",
                  "Require upgrade", "Insert ticket", "Create SW anomaly", "Resolve SW anomaly",
                  "Schedule intervention", "VERIFIED", "RESOLVED", "INVALID", "DUPLICATE", "Closed"]
    assert guess_roles(activities) == EventRoles(create=("Insert ticket",), reply=("Take in charge ticket",),
                                                 resolve=("Resolve ticket", "RESOLVED"))


def test_guess_roles_keywords_and_what_they_refuse():
    roles = guess_roles(["Ticket created", "First response", "Reply to customer", "Customer reply",
                         "Wait for reply", "Reply from customer", "Send answer", "Ticket solved", "close ticket",
                         None, "", "Fix SW bug"])
    assert roles.create == ("Ticket created",)
    assert roles.reply == ("First response", "Reply to customer", "Send answer")
    assert roles.resolve == ("Ticket solved",)


def test_close_counts_only_without_a_resolve_activity():
    assert guess_roles(["Open", "Answer", "Closed"]).resolve == ("Closed",)
    assert guess_roles(["open", "answered", "Closed", "Resolved"]).resolve == ("Resolved",)


# --- a hand-made log -----------------------------------------------------------------------------

HAND = log([
    ("A", "Reply", "2024-01-01T10:30:00Z", "bob"),
    ("B", "Open", "2024-01-02T09:00:00Z", "sys"),
    ("A", "Open", "2024-01-01T10:00:00Z", "sys"),
    ("A", "Reply", "2024-01-01T12:00:00Z", "amy"),
    ("A", "Resolve", "2024-01-01T13:00:00Z", "amy"),
    ("C", "Note", "2024-01-03T08:00:00Z", "sys"),
    ("A", "Resolve", "2024-01-01T11:00:00Z", "bob"),   # solved, then reopened: the last one counts
    ("B", "Note", "2024-01-02T09:30:00Z", "amy"),
    ("C", "Reply", "2024-01-03T08:45:00Z", "cid"),
    ("D", "Reply", "2024-01-04T07:00:00Z", "dan"),     # before the ticket's creation: not a reply
    ("C", "Resolve", "2024-01-03T09:00:00Z", "cid"),
    ("D", "Open", "2024-01-04T07:30:00Z", "sys"),
    ("D", "Reply", "2024-01-04T08:00:00Z", "eve"),
])


def test_hand_made_log():
    out = tickets_from_events(HAND, **KW, roles=ROLES)
    assert out["ticket_id"].tolist() == ["A", "B", "C", "D"]
    t = pd.Timestamp
    assert out["created"].tolist() == [t("2024-01-01T10:00Z"), t("2024-01-02T09:00Z"), t("2024-01-03T08:00Z"),
                                       t("2024-01-04T07:30Z")]
    assert out["first_reply"].tolist()[0] == t("2024-01-01T10:30Z")
    assert pd.isna(out["first_reply"].iloc[1])
    assert out["first_reply"].tolist()[2:] == [t("2024-01-03T08:45Z"), t("2024-01-04T08:00Z")]
    assert out["solved"].iloc[0] == t("2024-01-01T13:00Z") and out["solved"].iloc[2] == t("2024-01-03T09:00Z")
    assert out["solved"].iloc[[1, 3]].isna().all()
    assert out["replies"].tolist() == [2.0, 0.0, 1.0, 1.0]
    assert out["agent"].iloc[[0, 2, 3]].tolist() == ["bob", "cid", "eve"] and pd.isna(out["agent"].iloc[1])
    assert out["n_events"].tolist() == [5, 2, 3, 3]
    hours = (out["first_reply"] - out["created"]) / pd.Timedelta(hours=1)
    assert hours.iloc[0] == 0.5 and hours.iloc[3] == 0.5


def test_output_types_and_columns():
    out = tickets_from_events(HAND, **KW, roles=ROLES)
    assert list(out.columns) == ["ticket_id", "created", "first_reply", "solved", "replies", "agent", "n_events"]
    for name in ("created", "first_reply", "solved"):
        assert out[name].dtype == "datetime64[us, UTC]"
    assert out["replies"].dtype == np.float64 and out["n_events"].dtype == np.int64
    no_resource = tickets_from_events(HAND, **{**KW, "resource": None}, roles=ROLES)
    assert "agent" not in no_resource.columns


def test_missing_case_or_time_dropped_naive_times_taken_as_utc():
    frame = HAND.copy()
    frame["time"] = frame["time"].dt.tz_localize(None).astype("datetime64[ns]")
    frame.loc[len(frame)] = [None, "Reply", pd.Timestamp("2024-01-05"), "x"]
    frame.loc[len(frame)] = ["A", "Reply", pd.NaT, "x"]
    out = tickets_from_events(frame, **KW, roles=ROLES)
    assert out["n_events"].tolist() == [5, 2, 3, 3]
    assert out["created"].iloc[0] == pd.Timestamp("2024-01-01T10:00Z")


def test_timestamp_must_be_datetime():
    frame = HAND.assign(time=HAND["time"].astype(str))
    with pytest.raises(TypeError, match="datetime64"):
        tickets_from_events(frame, **KW, roles=ROLES)


def test_empty_log_gives_empty_table():
    out = tickets_from_events(HAND.iloc[:0], **KW, roles=ROLES)
    assert len(out) == 0 and "created" in out.columns


def test_a_large_log_keeps_every_event():
    # Speed is measured in bench/bench_uploads.py, not here.
    rng = np.random.default_rng(7)
    n, cases = 200_000, 20_000
    frame = pd.DataFrame({
        "case": pd.Series(rng.integers(0, cases, n)).map(lambda i: f"c{i}"),
        "activity": np.array(["Open", "Reply", "Note", "Resolve"])[rng.integers(0, 4, n)],
        "time": pd.to_datetime(rng.integers(1_600_000_000, 1_700_000_000, n), unit="s", utc=True),
        "who": np.array([f"agent{i}" for i in range(40)])[rng.integers(0, 40, n)],
    })
    out = tickets_from_events(frame, **KW, roles=ROLES)
    assert out["n_events"].sum() == n and out["ticket_id"].is_unique
    assert len(out) == frame["case"].nunique()


# --- random logs ---------------------------------------------------------------------------------

EVENTS = st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]),
                            st.sampled_from(["Open", "Reply", "Resolve", "Note"]),
                            st.integers(0, 500), st.sampled_from(["x", "y", "z"])), min_size=1, max_size=40)


def oracle(events: list[tuple[str, str, int, str]]) -> dict[str, dict]:
    """Case by case, in plain Python, with the rules of the module docstring."""
    out: dict[str, dict] = {}
    for case in dict.fromkeys(e[0] for e in events):
        mine = sorted((e for e in events if e[0] == case), key=lambda e: e[2])  # stable, like the code
        opens = [e[2] for e in mine if e[1] == "Open"]
        created = opens[0] if opens else mine[0][2]
        replies = [e for e in mine if e[1] == "Reply" and e[2] >= created]
        solves = [e[2] for e in mine if e[1] == "Resolve" and e[2] >= created]
        out[case] = dict(created=created, first_reply=replies[0][2] if replies else None,
                         agent=replies[0][3] if replies else None, replies=len(replies),
                         solved=max(solves) if solves else None, n_events=len(mine))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EVENTS)
def test_random_logs_match_a_plain_python_oracle(events):
    frame = pd.DataFrame(events, columns=["case", "activity", "minute", "who"])
    frame["time"] = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(frame["minute"], unit="min")
    out = tickets_from_events(frame, **KW, roles=ROLES)
    expected = oracle(events)

    assert out["ticket_id"].tolist() == list(expected)           # one row per case, first-seen order
    minutes = {c: (out[c] - pd.Timestamp("2024-01-01", tz="UTC")) / pd.Timedelta(minutes=1)
               for c in ("created", "first_reply", "solved")}
    for i, (case, want) in enumerate(expected.items()):
        assert minutes["created"].iloc[i] == want["created"]
        for name in ("first_reply", "solved"):
            got = minutes[name].iloc[i]
            assert (pd.isna(got) and want[name] is None) or got == want[name]
        agent = out["agent"].iloc[i]
        assert (pd.isna(agent) and want["agent"] is None) or agent == want["agent"]
        assert out["replies"].iloc[i] == want["replies"] and out["n_events"].iloc[i] == want["n_events"]

    assert (out["created"] <= out["first_reply"]).where(out["first_reply"].notna(), True).all()
    assert (out["created"] <= out["solved"]).where(out["solved"].notna(), True).all()
    assert out["n_events"].sum() == len(events)


@settings(max_examples=100, deadline=None)
@given(EVENTS)
def test_without_create_activities_every_response_event_counts(events):
    frame = pd.DataFrame(events, columns=["case", "activity", "minute", "who"])
    frame["time"] = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(frame["minute"], unit="min")
    out = tickets_from_events(frame, **KW, roles=EventRoles(reply=("Reply",), resolve=("Resolve",)))
    assert out["replies"].sum() == sum(e[1] == "Reply" for e in events)
    assert out["created"].tolist() == frame.groupby("case", sort=False)["time"].min().tolist()
    assert out["replies"].eq(0).eq(out["first_reply"].isna()).all()


# --- the Italian help desk log -------------------------------------------------------------------

@pytest.fixture(scope="module")
def italian() -> pd.DataFrame:
    if not SHARED_DATA.exists() or not ITALIAN.exists():
        pytest.skip(f"{ITALIAN} is not here (../shared is optional outside CI)")
    frame = pd.read_csv(ITALIAN, usecols=["Case ID", "Activity", "Resource", "Complete Timestamp"])
    frame["Complete Timestamp"] = pd.to_datetime(frame["Complete Timestamp"], format="%Y/%m/%d %H:%M:%S.%f",
                                                 utc=True)
    return frame


def italian_tickets(frame: pd.DataFrame, roles: EventRoles) -> pd.DataFrame:
    return tickets_from_events(frame, case="Case ID", activity="Activity", timestamp="Complete Timestamp",
                               resource="Resource", roles=roles)


def hours(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier) / pd.Timedelta(hours=1)


@pytest.mark.slow
def test_italian_log_first_response_and_resolution(italian):
    roles = EventRoles(reply=("Take in charge ticket",), resolve=("Resolve ticket",))
    out = italian_tickets(italian, roles)
    assert len(out) == 4580 and out["n_events"].sum() == len(italian) == 21348
    first = hours(out["first_reply"], out["created"])
    resolution = hours(out["solved"], out["created"])
    assert first.notna().sum() == 4285 and resolution.notna().sum() == 4569
    assert round(first.median(), 2) == 16.39
    assert round(resolution.median(), 2) == 159.79
    assert out["replies"].sum() == 5060


@pytest.mark.slow
def test_italian_log_guessed_roles_give_the_same_medians(italian):
    roles = guess_roles(italian["Activity"].unique())
    out = italian_tickets(italian, roles)
    assert round(hours(out["first_reply"], out["created"]).median(), 2) == 16.39
    assert round(hours(out["solved"], out["created"]).median(), 2) == 159.79


@pytest.mark.slow
def test_italian_log_closed_is_weeks_after_resolution(italian):
    closed = italian_tickets(italian, EventRoles(reply=("Take in charge ticket",), resolve=("Closed",)))
    assert round(hours(closed["solved"], closed["created"]).median(), 2) == 954.64
