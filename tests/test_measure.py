"""The uploads measured: each figure equals the articles' formula on a hand-checked table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from intake.metrics.measures import customer_months, measure, month_starts, monthly_actuals
from intake.metrics.temkin import temkin_tables

UTC = "UTC"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=UTC)


def tickets_frame() -> pd.DataFrame:
    created = pd.to_datetime(["2024-05-06 09:00", "2024-05-06 10:00", "2024-05-07 09:30", "2024-06-03 14:00",
                              "2024-06-04 09:00"], utc=True)
    first = pd.to_datetime(["2024-05-06 10:00", "2024-05-06 14:00", None, "2024-06-03 15:00", "2024-06-04 09:30"],
                           utc=True)
    solved = pd.to_datetime(["2024-05-06 12:00", None, None, "2024-06-04 14:00", "2024-06-04 11:00"], utc=True)
    frame = pd.DataFrame({
        "ticket_id": ["1", "2", "3", "4", "5"], "created": created, "first_reply": first, "solved": solved,
        "channel": ["email", "email", "chat", "chat", "email"],
        "satisfied": pd.array([True, False, pd.NA, True, True], dtype="boolean"),
        "replies": [1.0, 3.0, 0.0, 2.0, 1.0], "customer_id": ["a", "b", "a", "c", "zz"],
        "agent": ["Ann", "Bob", None, "Ann", "Bob"],
    })
    frame["first_response_h"] = (frame["first_reply"] - frame["created"]) / pd.Timedelta(hours=1)
    frame["resolution_h"] = (frame["solved"] - frame["created"]) / pd.Timedelta(hours=1)
    return frame


def customers_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["a", "b", "c", "d", "e"],
        "start": pd.to_datetime(["2024-01-10", "2024-02-01", "2024-04-15", "2024-05-20", "2024-03-01"], utc=True),
        "end": pd.to_datetime([None, "2024-05-15", None, "2024-05-25", "2024-06-10"], utc=True),
        "mrr": [100.0, 50.0, 200.0, 80.0, 60.0], "start_mrr": [80.0, 50.0, 200.0, 80.0, 60.0],
        "nps": [10.0, 3.0, 9.0, np.nan, 7.0],
    })


def test_ticket_figures_follow_the_definitions():
    m = measure(tickets_frame())
    f = {x.key: x.value for x in m.figures}
    frt = np.array([1.0, 4.0, 1.0, 0.5])
    assert f["tickets"] == 5
    assert f["frt_mean_h"] == pytest.approx(frt.mean())
    assert f["frt_median_h"] == pytest.approx(np.median(frt))
    assert f["frt_p90_h"] == pytest.approx(np.percentile(frt, 90))
    assert f["avg_resolution_h"] == pytest.approx((3.0 + 24.0 + 2.0) / 3)
    assert f["resolution_rate_pct"] == pytest.approx(3 / 5)
    assert f["replies_per_ticket"] == pytest.approx((1 + 2 + 1) / 3)   # resolved tickets only
    assert f["csat_pct"] == pytest.approx(3 / 4)
    assert m.figure("csat_pct").rests_on == 4
    assert m.channel_mix["email"] == pytest.approx(0.6)
    assert m.csat_by_channel.loc["email", "csat_pct"] == pytest.approx(2 / 3)
    assert m.csat_by_agent.loc["Ann", "csat_pct"] == 1.0
    assert m.volume_by_weekday_hour.loc["Mon", 9] == 1 and m.volume_by_weekday_hour.to_numpy().sum() == 5
    assert any("customer table" in text for text in m.missing)


def test_heat_map_uses_the_local_clock():
    m = measure(tickets_frame(), local_tz="Europe/Warsaw")   # UTC+2 in May
    assert m.volume_by_weekday_hour.loc["Mon", 11] == 1


def test_churn_follows_the_articles_rule():
    months = month_starts(ts("2024-01-10"), ts("2024-06-10"))
    table = customer_months(customers_frame(), months)
    may = table.loc[ts("2024-05-01")]
    # at the start of May: a, b, c (from April), e; d joins and leaves in May -> lost, not in the base
    assert may["customers"] == 4 and may["churned"] == 2
    assert may["churn_pct"] == pytest.approx(2 / 4)
    assert may["retention_pct"] == pytest.approx(3 / 4)


def test_customer_and_money_figures():
    m = measure(tickets_frame(), customers_frame(), support_cost_per_month=1000.0)
    f = {x.key: x.value for x in m.figures}
    assert f["nps"] == pytest.approx(100 * (2 / 4 - 1 / 4))
    assert f["mrr"] == pytest.approx(300.0)                  # a and c active at the end
    assert f["expansion_mrr_pct"] == pytest.approx(20 / 300)
    # June ends with the data on the 4th: a month cut short counts no volume, so May's 1,000 over
    # May's three tickets; a contact is one interaction (4/3 agent replies per resolved ticket).
    replies = 4 / 3
    assert f["cost_per_contact"] == pytest.approx(1000.0 / (3 * replies))
    assert f["cost_per_conversation"] == pytest.approx(1000.0 / 3)          # one ticket, all its contacts
    assert 0 < f["contact_rate_pct"] <= 1


def test_uploaded_kpis_win_whole_columns_over_derived_ones():
    kpis = pd.DataFrame({"month": pd.to_datetime(["2024-05-01"], utc=True), "tickets": [99.0]})
    monthly = monthly_actuals(tickets_frame(), None, kpis)
    assert monthly.loc[ts("2024-05-01"), "tickets"] == 99.0
    assert np.isnan(monthly.loc[ts("2024-06-01"), "tickets"])        # no series mixes two sources
    assert monthly.loc[ts("2024-06-01"), "first_response_h"] == pytest.approx(0.75)   # the KPIs lack it


def test_temkin_groups_churn_and_value():
    rng = np.random.default_rng(1)
    n = 4000
    start = pd.Timestamp("2022-01-01", tz=UTC) + pd.to_timedelta(rng.uniform(0, 365, n), unit="D")
    detractor = rng.random(n) < 0.3
    hazard = np.where(detractor, 0.08, 0.02)                 # per month
    life = rng.exponential(1 / hazard) * 30.4375
    end = start + pd.to_timedelta(life, unit="D")
    window_end = pd.Timestamp("2024-01-01", tz=UTC)
    customers = pd.DataFrame({"customer_id": np.arange(n).astype(str), "start": start,
                              "end": pd.Series(end).where(end < window_end),
                              "mrr": 100.0, "nps": np.where(detractor, 3.0, 10.0)})
    customers.loc[0, "end"] = window_end                     # the window ends at the latest date
    t = temkin_tables(customers, None, gross_margin_pct=0.8)["nps"].table
    assert list(t.index) == ["detractor", "promoter"]
    assert t.loc["detractor", "churn_monthly_pct"] == pytest.approx(0.08, rel=0.1)
    assert t.loc["promoter", "churn_monthly_pct"] == pytest.approx(0.02, rel=0.1)
    assert t.loc["detractor", "move_up_per_customer"] == pytest.approx(
        100 * 0.8 * (1 / t.loc["promoter", "churn_monthly_pct"] - 1 / t.loc["detractor", "churn_monthly_pct"]))


def test_temkin_by_last_support_experience():
    t = temkin_tables(customers_frame(), tickets_frame(), gross_margin_pct=0.8)
    groups = t["experience"].table
    assert groups.loc["satisfied", "customers"] == 2      # a (ticket 1 satisfied, ticket 3 unrated), c
    assert groups.loc["dissatisfied", "customers"] == 1   # b
    assert groups.loc["none", "customers"] == 2


def test_a_month_cut_short_by_the_export_is_left_out():
    months = month_starts(ts("2024-01-10"), ts("2024-06-10"))
    table = customer_months(customers_frame(), months)
    assert table["complete"].tolist() == [True] * 5 + [False]     # the data end on 10 June
    monthly = monthly_actuals(tickets_frame(), customers_frame(), None)
    assert np.isnan(monthly.loc[ts("2024-06-01"), "churned"]) and np.isnan(monthly.loc[ts("2024-06-01"), "tickets"])


def test_awkward_customer_tables_do_not_break_the_metrics():
    ended = customers_frame().assign(end=pd.Timestamp("2024-06-10", tz=UTC))   # nobody active at the end
    m = measure(tickets_frame(), ended, support_cost_per_month=500.0)
    assert m.figure("clv") is None and any("CLV" in text for text in m.missing)
    no_churn = customers_frame()
    no_churn["end"] = pd.Series(pd.NaT, index=no_churn.index, dtype="datetime64[us, UTC]")
    clv = measure(None, no_churn).figure("clv")
    assert clv is not None and clv.value == pytest.approx(no_churn["mrr"].mean() * 120)


def test_implausible_dates_and_negative_money_are_named():
    from intake.uploads.load import load
    raw = (b"customer_id,start,end,mrr\n1,2024-01-01,9999-12-31,100\n2,1900-01-01,,50\n"
           b"3,2024-02-01,2024-05-01,-10\n")
    loaded = load(raw, "c.csv", table="customers")
    texts = [p.text() for p in loaded.all_problems()]
    assert any("column 'start'" in t and "row 3" in t and "1900-01-01" in t for t in texts), texts
    assert any("column 'mrr'" in t and "row 4" in t for t in texts), texts
    frame = loaded.validated.frame
    assert frame["end"].isna().iloc[0]                       # a 9999 end date means still active
    assert np.isnan(frame["mrr"].iloc[1]) and len(frame) == 2


def test_one_date_order_per_file():
    from intake.uploads.load import load
    raw = b"Ticket ID,Created at,Solved at\n1,03/25/2024 10:00,04/05/2024 10:00\n2,04/01/2024 09:00,04/02/2024 10:00\n"
    loaded = load(raw, "us.csv", table="tickets")
    assert not loaded.all_problems()
    assert loaded.validated.frame["resolution_h"].tolist() == [264.0, 25.0]   # 5 April, not 4 May


@pytest.mark.parametrize("rows", [3, 60_000])          # parsed one column after another, and on two threads
def test_the_file_date_order_is_worked_out_only_when_a_column_needs_it(monkeypatch, rows):
    from intake.uploads import convert
    from intake.uploads.load import load
    asked: list[str] = []
    order = convert.date_order
    monkeypatch.setattr(convert, "date_order", lambda s: asked.append(s.name) or order(s))
    iso = b"Ticket ID,Created at,Solved at\n" + b"".join(
        b"%d,2024-03-%02d 10:00,2024-04-05 10:00\n" % (i, 1 + i % 28) for i in range(rows))
    assert load(iso, "iso.csv", table="tickets").usable
    assert asked == []                                 # ISO dates prove their own order: never asked
    # two columns of numeric dates that prove neither order on their own, the first column proving it for both
    local = b"Ticket ID,Created at,Solved at,First reply at\n" + b"".join(
        b"%d,03/25/2024 10:00,04/05/2024 10:00,04/03/2024 10:00\n" % i for i in range(rows))
    loaded = load(local, "us.csv", table="tickets")
    assert sorted(asked) == ["Created at", "First reply at", "Solved at"]     # once per file, not per column
    assert loaded.validated.frame["resolution_h"].iloc[0] == 264.0           # 5 April, as the created dates show
    assert any("as the file's other date columns show" in n for n in loaded.validated.notes)


def test_kpi_nps_outside_its_scale_is_named():
    from intake.uploads.load import load
    loaded = load(b"month,nps,tickets\n2024-01,35,100\n2024-02,250,120\n", "k.csv", table="kpis")
    assert any("column 'nps'" in p.text() and "row 3" in p.text() for p in loaded.all_problems())
    assert np.isnan(loaded.validated.frame["nps"].iloc[1]) and loaded.validated.frame["nps"].iloc[0] == 35.0


def test_kpi_months_ahead_of_this_one_are_named():
    """A KPI sheet that runs on into its plan: months after this one cannot be actuals, so the page says so (they are
    kept: the file is the user's, and a clock can be wrong)."""
    from intake.uploads.load import load
    this_month = pd.Timestamp.now(tz="UTC").strftime("%Y-%m")
    content = f"month,tickets\n2024-01,100\n{this_month},120\n2099-06,130\n2099-07,140\n".encode()
    loaded = load(content, "k.csv", table="kpis")
    said = [p.text() for p in loaded.all_problems()]
    assert any("column 'month'" in t and "lies ahead of this one" in t and "rows 4, 5" in t for t in said), said
    assert sum("lies ahead" in t for t in said) == 1                       # this month itself is not named
    assert loaded.validated.frame["tickets"].tolist() == [100.0, 120.0, 130.0, 140.0]


def test_rows_are_named_as_the_file_counts_them():
    import io

    import openpyxl

    from intake.uploads.load import load
    loaded = load(b"Ticket ID,Created at\n\n1,2024-01-01\n\n\n2,bad\n", "t.csv", table="tickets")
    assert "(row 6)" in loaded.all_problems()[0].text()
    wide = b"\nTicket ID,Created at\n1,2024-01-01,x,y\n" + b"".join(b"%d,2024-01-03\n" % i for i in range(2, 200)) \
        + b"200,bad\n"
    loaded = load(wide, "w.csv", table="tickets")
    assert "row 3 has more fields" in " ".join(loaded.raw.notes).lower()
    assert "(row 202)" in loaded.all_problems()[0].text()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Ticket ID", "Created at"], [1, "2024-01-01"], [None, None], [2, "bad"]):
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    loaded = load(data.getvalue(), "t.xlsx", table="tickets")
    assert "(row 4)" in loaded.all_problems()[0].text()


def test_a_first_response_column_of_dates_and_times_is_read_as_the_first_reply():
    """Zoho Desk's analytics export writes 'First Response Time' as a moment, a header other help desks use for a
    duration: the cells decide, and the first response is measured from it."""
    from intake.uploads.load import load
    rows = "".join(f"{i},01/0{1 + i % 9}/2024 07:15 AM,01/0{1 + i % 9}/2024 09:45 AM,01/0{1 + i % 9}/2024 11:15 AM,"
                   f"{('Good', 'Okay', 'Bad')[i % 3]}\n" for i in range(1, 40))
    moments = load(("Ticket Id,Created Time,First Response Time,Closed Time,Happiness Rating\n" + rows).encode(),
                   "zoho.csv", table="tickets")
    assert moments.mapping.as_dict()["first_reply"] == "First Response Time"
    assert "first_response_h" not in moments.mapping.as_dict() and not moments.all_problems()
    assert moments.validated.frame["first_response_h"].tolist() == [2.5] * 39
    durations = load(b"Ticket Id,Created Time,First Response Time\n1,2024-01-01 07:15,2.5\n2,2024-01-02 07:15,3\n",
                     "hours.csv", table="tickets")
    assert durations.mapping.as_dict()["first_response_h"] == "First Response Time"      # a duration stays one
