"""Monthly KPIs computed in the team's database (SQLite and PostgreSQL): the same months as the same tickets uploaded,
with only aggregates travelling; names the database does not list are refused."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from intake.metrics.measures import monthly_actuals
from intake.uploads import load
from intake.warehouse import TicketColumns, WarehouseError, handle_times_by_channel, monthly_kpis, tables
from tests.conftest import POSTGRES_URL


def _history(rows: int, seed: int = 6) -> pd.DataFrame:
    """Tickets over 14 months ending mid-month, first replies (a few before creation), ratings 1-5 and unrated."""
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 440 * 86400, rows), unit="s")
    frt_h = rng.lognormal(np.log(3.0), 1.0, rows) * np.where(rng.random(rows) < 0.01, -1, 1)
    reply = created + pd.to_timedelta(np.round(frt_h * 3600), unit="s")
    rating = np.where(rng.random(rows) < 0.35, rng.integers(1, 6, rows).astype(str), "")
    return pd.DataFrame({"ticket_id": np.arange(1, rows + 1), "created_at": created, "first_reply_at": reply,
                         "frt_minutes": np.round(frt_h * 60, 3), "rating": rating, "channel": "email"})


def _engine(kind: str, tmp_path) -> sa.Engine:
    if kind == "sqlite":
        return sa.create_engine(f"sqlite:///{tmp_path / 'warehouse.sqlite3'}")
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as db:
            db.execute(sa.text("SELECT 1"))
    except Exception as exc:
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(f"no PostgreSQL for the warehouse tests: {exc}")
        pytest.skip(f"no PostgreSQL reachable ({type(exc).__name__})")
    return engine


@contextlib.contextmanager
def _history_table(kind: str, tmp_path, frame: pd.DataFrame) -> Iterator[sa.Engine]:
    """An engine whose database holds ``frame`` as ``ticket_history``, dropped afterwards."""
    engine = _engine(kind, tmp_path)
    _put(engine, frame, "ticket_history")
    try:
        yield engine
    finally:
        with engine.begin() as db:
            db.execute(sa.text("DROP TABLE IF EXISTS ticket_history"))
        engine.dispose()


def _put(engine: sa.Engine, frame: pd.DataFrame, name: str) -> None:
    stored = frame.assign(rating=frame["rating"].replace("", None))
    stored.to_sql(name, engine, if_exists="replace", index=False, chunksize=50_000)


def _uploaded_months(frame: pd.DataFrame, first_response: str) -> pd.DataFrame:
    csv = frame.rename(columns={"ticket_id": "Ticket ID", "created_at": "Created", "rating": "Rating"})
    csv = csv.drop(columns=["first_reply_at" if first_response == "frt_minutes" else "frt_minutes", "channel"])
    csv = csv.rename(columns={"first_reply_at": "First reply at", "frt_minutes": "First reply time in minutes"})
    loaded = load(csv.to_csv(index=False).encode(), "history.csv", table="tickets")
    assert loaded.usable
    return monthly_actuals(loaded.validated.frame, None, None)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("first_response", ["frt_minutes", "first_reply_at"])
def test_the_databases_months_are_the_uploads_months(kind, first_response, tmp_path):
    frame = _history(20_000)
    with _history_table(kind, tmp_path, frame) as engine:
        listed = {t.name: t for t in tables(engine)}["ticket_history"]
        assert {"created_at", "first_reply_at"} <= set(listed.datetimes) and "frt_minutes" in listed.numbers
        columns = TicketColumns("ticket_history", "created_at", rating="rating",
                                **({"first_response": "frt_minutes", "first_response_unit": "min"}
                                   if first_response == "frt_minutes" else {"first_reply": "first_reply_at"}))
        computed = monthly_kpis(engine, columns)
    expected = _uploaded_months(frame, first_response)
    got = computed.frame.set_index("month")
    assert computed.tickets == 20_000 and list(got.index) == list(expected.index)
    np.testing.assert_allclose(got["tickets"], expected["tickets"])                        # the last month: NaN
    assert np.isnan(got["tickets"].iloc[-1])
    np.testing.assert_allclose(got["first_response_h"], expected["first_response_h"], rtol=1e-9)
    np.testing.assert_allclose(got["csat_pct"], expected["csat_pct"], rtol=1e-12)


def test_names_the_database_does_not_list_are_refused(tmp_path):
    engine = _engine("sqlite", tmp_path)
    _put(engine, _history(50), "ticket_history")
    with pytest.raises(WarehouseError, match="no table or view named 'tickets; DROP TABLE ticket_history'"):
        monthly_kpis(engine, TicketColumns("tickets; DROP TABLE ticket_history", "created_at"))
    with pytest.raises(WarehouseError, match="'rating' .* is not a date-time"):
        monthly_kpis(engine, TicketColumns("ticket_history", "rating"))
    with pytest.raises(WarehouseError, match="not a number"):
        monthly_kpis(engine, TicketColumns("ticket_history", "created_at", first_response="channel"))
    with pytest.raises(WarehouseError, match="not both"):
        TicketColumns("ticket_history", "created_at", first_response="frt_minutes", first_reply="first_reply_at")
    assert [t.name for t in tables(engine)] == ["ticket_history"]          # still there


@pytest.mark.slow
def test_five_million_tickets_in_postgresql_travel_as_months(tmp_path):
    """A 5M-ticket table generated in PostgreSQL itself; the months' sums checked against the database's own total."""
    engine = _engine("postgresql", tmp_path)
    try:
        with engine.begin() as db:
            db.execute(sa.text("DROP TABLE IF EXISTS big_history"))
            db.execute(sa.text(
                "CREATE TABLE big_history AS SELECT g AS ticket_id, "
                "timestamptz '2022-01-01 00:00+00' + (g * interval '7 seconds') AS created_at, "
                "(g % 97) * 3.0 AS frt_minutes, CASE WHEN g % 3 = 0 THEN (g % 5) + 1 END AS rating, "
                "CASE g % 4 WHEN 0 THEN 'Voice' WHEN 1 THEN 'Web form' ELSE 'email' END AS channel, "
                "(g % 7) * 120 AS handle_seconds "
                "FROM generate_series(1, 5000000) AS g"))
        started = time.perf_counter()
        computed = monthly_kpis(engine, TicketColumns("big_history", "created_at", first_response="frt_minutes",
                                                      first_response_unit="min", rating="rating"))
        seconds = time.perf_counter() - started
        frame = computed.frame
        assert computed.tickets == 5_000_000 and len(frame) == 14                 # 5M x 7 s: 405 days
        with engine.connect() as db:
            full = db.execute(sa.text("SELECT count(*) FROM big_history WHERE created_at < :end"),
                              {"end": frame["month"].iloc[-1].to_pydatetime()}).scalar_one()
        assert frame["tickets"].iloc[:-1].sum() == full                           # every complete month counted
        assert frame["first_response_h"].between(2.3, 2.5).all()                  # (g mod 97) x 3 min: mean 2.4 h
        assert frame["csat_pct"].between(0.39, 0.41).all()                        # answers 4-5 of 1-5: two in five
        assert seconds < 60, seconds
        started = time.perf_counter()
        handle = handle_times_by_channel(engine, TicketColumns(
            "big_history", "created_at", channel="channel", handle_time="handle_seconds", handle_time_unit="s"))
        seconds = time.perf_counter() - started
        assert set(handle) == {"phone", "email"} and seconds < 60, seconds
        g = np.arange(4, 5_000_001, 4)                # Voice: g = 4k; (g mod 7) x 2 min, zero left out
        minutes = (g % 7 * 2.0)[g % 7 > 0]
        phone = handle["phone"]
        assert phone.tickets == minutes.size and phone.counts.sum() == minutes.size
        assert (phone.median_min, phone.p90_min) == (np.median(minutes), np.percentile(minutes, 90))
        assert phone.mean_min == pytest.approx(minutes.mean(), rel=1e-12)
        assert phone.sd_min == pytest.approx(minutes.std(ddof=1), rel=1e-9)
        assert handle["email"].tickets + phone.tickets == np.count_nonzero(np.arange(1, 5_000_001) % 7)
    finally:
        with engine.begin() as db:
            db.execute(sa.text("DROP TABLE IF EXISTS big_history"))
        engine.dispose()


def test_the_data_page_sums_the_months_in_the_database_and_keeps_the_choice(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    engine = _engine("sqlite", tmp_path)
    _put(engine, _with_handle_times(_history(3_000)), "ticket_history")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.switch_page("pages/5_Data.py").run()
    assert any("ROI_WAREHOUSE_URL" in m.value for m in app.markdown)         # not set: how to set it
    monkeypatch.setenv("ROI_WAREHOUSE_URL", f"sqlite:///{tmp_path / 'warehouse.sqlite3'}")
    app.run()
    assert app.selectbox(key="warehouse_table").options == ["ticket_history"]
    app.selectbox(key="warehouse_frt_from").set_value("reply")
    app.selectbox(key="warehouse_reply").set_value("first_reply_at")
    app.selectbox(key="warehouse_rating").set_value("rating")
    app.selectbox(key="warehouse_channel").set_value("channel")
    app.selectbox(key="warehouse_handle").set_value("handle_seconds")
    app.selectbox(key="warehouse_handle_unit").set_value("s")
    app.button[[b.label for b in app.button].index("Compute the monthly KPIs in the database")].click().run()
    assert not app.exception, [e.value for e in app.exception]
    kept = app.session_state["_data"]["slots"]["kpis"].in_use
    assert kept.name == "ticket_history (in your database)" and list(kept.validated.frame.columns) == [
        "month", "tickets", "first_response_h", "csat_pct"]
    assert any("Computed in the database from 3,000 tickets" in c.value for c in app.caption)
    notes = [c.value.replace("\\", "") for c in app.caption]
    handle_note = next(n for n in notes if "Handle times computed there, by channel: " in n).split("by channel: ")[1]
    assert [part.split(" ")[0] for part in handle_note.split("; ")] == ["email", "phone", "chat", "social"]  # by count
    assert handle_note.startswith("email 1,146 tickets, mean 13.1 min; ")          # Web form + email
    assert app.session_state["_data"]["settings"]["warehouse_kpis"]["first_reply"] == "first_reply_at"
    app.switch_page("pages/6_Metrics.py").run()                                 # the months drawn as any KPI table
    assert not app.exception
    shown = {m.label: m.value for m in app.metric}                              # and the figures summed there
    assert shown["Tickets"] == "3,000" and "First response, median" in shown and "CSAT" in shown
    app.switch_page("pages/7_Calibrate.py").run()                              # the hours counted there, fitted
    assert not app.exception, [e.value for e in app.exception]
    assert any("Counted in the database from 'ticket_history'" in m.value.replace("\\", "") for m in app.markdown)
    handle = [m.value.replace("\\", "") for m in app.markdown if "min of agent time on average" in m.value]
    assert [h.split(" tickets")[0] for h in handle] == ["E-mail", "Chat"]        # the example's channels
    assert all("Computed in the database from 'ticket_history'" in h for h in handle)
    means = [float(h.split(" take ")[1].split(" min")[0]) for h in handle]
    assert all(11.5 < m < 13.5 for m in means), means                           # log-normal, median 9 min, sigma 0.8
    assert any("handle time: not fitted for channels the case does not have (phone, social)" in m.value.replace("\\", "")
               for m in app.markdown)                                            # Voice and Twitter, named
    app.toggle(key="apply_handle_time:email").set_value(True).run()              # written into the model
    assert not app.exception, [e.value for e in app.exception]
    from calibration import apply_all
    from view.controls import defaults, scenario_of
    fit = app.session_state["_data"]["applied"]["handle_time:email"]
    email = next(c for c in apply_all(scenario_of(defaults()), [fit]).company.channels if c.name == "email")
    assert email.handle_time_min == pytest.approx(means[0], abs=0.005)          # the note's mean, 2 decimals
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)       # a new session of the workspace
    again.switch_page("pages/6_Metrics.py").run()
    assert not again.exception
    restored = again.session_state["_data"]["slots"]["kpis"].in_use
    assert restored is not None and restored.name == "ticket_history (in your database)"
    engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_hour_of_week_counted_in_the_database_fits_the_arrival_profile_as_uploaded(kind, tmp_path):
    from calibration import fit_arrival_counts, fit_arrival_profile, week_shares
    from intake.warehouse import hour_of_week_counts
    frame = _history(20_000)
    with _history_table(kind, tmp_path, frame) as engine:
        week = hour_of_week_counts(engine, TicketColumns("ticket_history", "created_at"), utc_offset_h=5.5)
    uploaded = fit_arrival_profile(pd.DataFrame({"created": frame["created_at"].dt.tz_localize("UTC")}), 5.5)
    assert week.counts.sum() == 20_000
    np.testing.assert_array_equal(week.counts, uploaded.data["tickets"].to_numpy())
    shares, days = week_shares(week.counts, week.first_local, week.last_local)
    assert fit_arrival_counts(week.counts, shares, days).values == uploaded.values


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_databases_ticket_figures_are_the_uploads(kind, tmp_path):
    from intake.metrics import measure, summed_ticket_figures
    from intake.warehouse import ticket_summary
    frame = _history(20_001)
    with _history_table(kind, tmp_path, frame) as engine:
        s = ticket_summary(engine, TicketColumns("ticket_history", "created_at", first_reply="first_reply_at",
                                                 rating="rating"))
    summed = {f.key: f for f in summed_ticket_figures(s.tickets, s.responded, s.first_response_sum_h,
                                                      s.first_response_median_h, s.first_response_p90_h,
                                                      s.rated, s.satisfied)}
    csv = frame.rename(columns={"ticket_id": "Ticket ID", "created_at": "Created", "rating": "Rating",
                                "first_reply_at": "First reply at"}).drop(columns=["frt_minutes", "channel"])
    uploaded = measure(load(csv.to_csv(index=False).encode(), "history.csv", table="tickets").validated.frame)
    assert set(summed) == {"tickets", "frt_mean_h", "frt_median_h", "frt_p90_h", "avg_response_h", "csat_pct"}
    for key, figure in summed.items():
        other = uploaded.figure(key)
        assert figure.rests_on == other.rests_on, key
        assert figure.value == pytest.approx(other.value, rel=1e-9), key


def test_placeholder_dates_and_an_ambiguous_autumn_hour_are_read_as_an_upload_reads_them(tmp_path):
    engine = _engine("sqlite", tmp_path)
    frame = _history(2_000)
    frame.loc[0, "created_at"] = pd.Timestamp("1900-01-01")
    frame.loc[1, "created_at"] = pd.Timestamp("9999-12-31")
    frame.loc[2, "created_at"] = pd.Timestamp("2022-10-30 02:30")      # twice that night in Berlin
    _put(engine, frame, "ticket_history")
    months = monthly_kpis(engine, TicketColumns("ticket_history", "created_at", naive_tz="Europe/Berlin"))
    assert months.tickets == 1_998 and months.first == pd.Timestamp("2022-10-30 00:30", tz="UTC")   # the first
    assert len(months.frame) == 18 and any("2 tickets created before 1970 or from 2100" in n for n in months.notes)
    engine.dispose()


def _with_handle_times(frame: pd.DataFrame, seed: int = 8) -> pd.DataFrame:
    """``frame`` with the help desk's own channel words (some missing) and handle times in seconds, a few zero or
    negative (no time recorded, a clock error): what an upload's fit leaves out."""
    rng = np.random.default_rng(seed)
    rows = len(frame)
    seconds = np.round(rng.lognormal(np.log(540.0), 0.8, rows), 1)
    seconds[rng.random(rows) < 0.02] = 0.0
    seconds[rng.random(rows) < 0.01] *= -1
    words = rng.choice(np.array(["Voice", "Web form", "WhatsApp", "Chat widget", "email", "Twitter", "", "  "],
                                dtype=object), rows, p=[0.3, 0.25, 0.1, 0.1, 0.15, 0.04, 0.03, 0.03])
    return frame.assign(channel=np.where(words == "", None, words), handle_seconds=seconds)   # "  ": blank, not NULL


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_handle_times_computed_in_the_database_fit_as_the_same_tickets_uploaded(kind, tmp_path):
    from calibration import fit_handle_times, fits_from_tables
    frame = _with_handle_times(_history(12_000))
    with _history_table(kind, tmp_path, frame) as engine:
        by_channel = handle_times_by_channel(engine, TicketColumns(
            "ticket_history", "created_at", channel="channel", handle_time="handle_seconds", handle_time_unit="s"))
    csv = frame.rename(columns={"ticket_id": "Ticket ID", "created_at": "Created", "rating": "Rating",
                                "channel": "Channel", "handle_seconds": "Handling time (seconds)"})
    loaded = load(csv.drop(columns=["first_reply_at", "frt_minutes"]).to_csv(index=False).encode(), "history.csv",
                  table="tickets")
    uploaded, _ = fits_from_tables(loaded.validated.frame, None, utc_offset_h=0.0)
    fits = {f.key: f for f in uploaded if f.key.startswith("handle_time:")}
    positive = frame["handle_seconds"] > 0
    assert set(by_channel) == {"phone", "email", "chat", "social"}   # Voice, Web form + email, WhatsApp + Chat widget,
    assert by_channel["chat"].tickets == (positive & frame["channel"].isin(["WhatsApp", "Chat widget"])).sum()  # Twitter
    assert set(fits) == {f"handle_time:{c}" for c in by_channel}
    assert by_channel["email"].tickets == (positive & frame["channel"].isin(["Web form", "email"])).sum()
    for channel, times in by_channel.items():
        ours, theirs = fit_handle_times(times, channel), fits[f"handle_time:{channel}"]
        assert ours.rows == theirs.rows and ours.quality == pytest.approx(theirs.quality, rel=1e-9)
        for (name, value), (other, expected) in zip(ours.values, theirs.values, strict=True):
            assert name == other and value == pytest.approx(expected, rel=1e-9), (channel, name)
        assert ours.interval("mean_min") == pytest.approx(theirs.interval("mean_min"), rel=1e-9)
        np.testing.assert_array_equal(ours.data["tickets"], theirs.data["tickets"])
        np.testing.assert_allclose(ours.data["from_min"], theirs.data["from_min"], rtol=1e-12)
        np.testing.assert_allclose(ours.curve["share"], theirs.curve["share"], rtol=1e-9, atol=1e-12)


def test_handle_times_need_a_channel_a_number_and_a_channel_column_that_names_channels(tmp_path):
    with pytest.raises(WarehouseError, match="choose the channel column too"):
        TicketColumns("ticket_history", "created_at", handle_time="handle_seconds")
    frame = _with_handle_times(_history(1_500)).assign(note=lambda f: [f"customer {i}" for i in range(len(f))])
    with _history_table("sqlite", tmp_path, frame) as engine:
        with pytest.raises(WarehouseError, match="more than 1,000 different values"):
            handle_times_by_channel(engine, TicketColumns("ticket_history", "created_at", channel="note",
                                                          handle_time="handle_seconds"))
        with pytest.raises(WarehouseError, match="'channel' is not a number"):
            handle_times_by_channel(engine, TicketColumns("ticket_history", "created_at", channel="channel",
                                                          handle_time="channel"))
        with pytest.raises(WarehouseError, match="no column 'queue'"):
            handle_times_by_channel(engine, TicketColumns("ticket_history", "created_at", channel="queue",
                                                          handle_time="handle_seconds"))
