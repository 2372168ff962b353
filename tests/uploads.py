"""Small upload files for the page tests, simulated from known parameters (fixed seeds)."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from calibration import csat_curve_values
from model import simulate
from model.examples import EMAIL_CURVE, saas
from model.params import Levers, Scenario


def tickets_csv(n: int = 1500, seed: int = 7, half_h: float = 2.0, chat_share: float = 0.0) -> bytes:
    """A Zendesk-style export: tickets over four weeks (e-mail, and chat if asked), ratings falling with
    first response."""
    rng = np.random.default_rng(seed)
    day = rng.integers(0, 28, n)
    hour = np.clip(rng.normal(13.0, 3.0, n), 0, 23.99)
    created = pd.Timestamp("2024-03-04") + pd.to_timedelta(day * 24 + hour, unit="h")
    frt_h = rng.lognormal(np.log(3.0), 1.1, n)
    p_good = csat_curve_values(frt_h, EMAIL_CURVE.floor_pct, EMAIL_CURVE.ceiling_pct, half_h, 1.6)
    rated = rng.random(n) < 0.4
    good = rng.random(n) < p_good
    score = np.where(rated, np.where(good, "Good", "Bad"), "Unoffered")
    frame = pd.DataFrame({
        "Id": np.arange(1000, 1000 + n), "Created at": created.strftime("%Y-%m-%d %H:%M:%S"),
        "Solved at": (created + pd.to_timedelta(frt_h * 3, unit="h")).strftime("%Y-%m-%d %H:%M:%S"),
        "Via": np.where(rng.random(n) < chat_share, "Chat", "Mail"), "Satisfaction Score": score, "Assignee": np.array(["Ann", "Bob", "Cy"])[rng.integers(0, 3, n)],
        "Requester id": rng.integers(1, 400, n), "Replies": rng.integers(1, 4, n),
        "First reply time in minutes": np.round(frt_h * 60).astype(int)})
    return frame.to_csv(index=False).encode("utf-8")


def odd_headers_csv() -> bytes:
    """A ticket table whose headers no mapping knows (semicolons, decimal comma, day-first dates)."""
    return ("Nr;Wann;Antwort nach Stunden;Note\n"
            "1;04.03.2024 09:15;1,5;5\n2;04.03.2024 10:40;12,25;2\n3;05.03.2024 08:05;0,75;4\n").encode("utf-8")


def event_log_csv() -> bytes:
    return ("Case ID,Activity,Resource,Complete Timestamp\n"
            "Case 1,Insert ticket,sys,2024/03/04 09:00:00.000\n"
            "Case 1,Take in charge ticket,Ann,2024/03/04 11:30:00.000\n"
            "Case 1,Resolve ticket,Ann,2024/03/05 09:00:00.000\n"
            "Case 2,Insert ticket,sys,2024/03/04 10:00:00.000\n"
            "Case 2,Take in charge ticket,Bob,2024/03/04 10:30:00.000\n").encode("utf-8")


def old_purchase_log_csv(n: int = 600, seed: int = 3) -> bytes:
    """A customer table from another decade (1997-1998 purchases), as a user once uploaded beside 2024 tickets."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("1997-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    return pd.DataFrame({"customer_id": np.arange(1, n + 1), "start": start.strftime("%Y-%m-%d"),
                         "mrr": np.round(rng.uniform(20, 80, n), 2)}).to_csv(index=False).encode("utf-8")


def purchase_log(customers: int = 400, seed: int = 11, sep: str = ",") -> tuple[bytes, pd.DataFrame]:
    """A shop's order lines (the UCI "Online Retail" layout: InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice,
    CustomerID, Country) over 2023-2024, and the truth it was drawn from: each customer's first purchase and the
    day they stop buying (NaT for those who never do).

    Customers arrive through 2023-2024 and buy about every 30 days; a third stop for good after their own random
    time. A few lines are returns (negative quantities) and a few have no customer.
    """
    rng = np.random.default_rng(seed)
    end = pd.Timestamp("2024-12-31")
    first = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 600, customers), unit="D")
    life_d = np.where(rng.random(customers) < 1 / 3, rng.integers(30, 200, customers), 10_000)
    counts = np.maximum(1, np.minimum((end - first).days.to_numpy(), life_d) // 30)
    who = np.repeat(np.arange(customers), counts)
    step = np.concatenate([np.arange(c) for c in counts]) * 30 + rng.integers(0, 10, who.size)
    dates = first[who] + pd.to_timedelta(step, unit="D") + pd.to_timedelta(rng.integers(8 * 60, 20 * 60, who.size),
                                                                            unit="min")
    keep = dates <= end
    who, dates = who[keep], dates[keep]
    quantity = rng.integers(1, 6, who.size) * np.where(rng.random(who.size) < 0.03, -1, 1)
    price = np.round(rng.choice([2.95, 4.25, 12.5, 19.99], who.size), 2)
    ids = np.array([f"{17000 + c}" for c in range(customers)])[who]
    ids[rng.random(who.size) < 0.01] = ""
    frame = pd.DataFrame({"InvoiceNo": np.arange(536365, 536365 + who.size), "StockCode": "85123A",
                          "Quantity": quantity, "InvoiceDate": dates.strftime("%m/%d/%Y %H:%M"), "UnitPrice": price,
                          "CustomerID": ids, "Country": "Norway"})
    stops = (first + pd.to_timedelta(life_d, unit="D")).where(life_d < 10_000)
    truth = pd.DataFrame({"customer_id": [f"{17000 + c}" for c in range(customers)], "first": first, "stops": stops})
    quoting = csv.QUOTE_NONNUMERIC if sep == " " else csv.QUOTE_MINIMAL     # whitespace: an empty id written ""
    return frame.to_csv(index=False, sep=sep, quoting=quoting).encode("utf-8"), truth


def telecom_customers(path) -> pd.DataFrame:
    """The Iranian telecom churn table (``../shared/data``) as a typed customer table: one row per subscriber,
    everyone starting together, churners leaving one month later.

    The table gives a churn flag over one period, not dates, so every customer is at risk for the same period
    (start 2020-01-01, window end one month later). The hazard ratio is then exactly the ratio of churn shares.
    """
    raw = pd.read_csv(path)
    raw.columns = [c.strip() for c in raw.columns]
    start = pd.Timestamp("2020-01-01", tz="UTC")
    end = pd.Series(np.where(raw["Churn"] == 1, start + pd.Timedelta(days=31), pd.NaT)).astype("datetime64[us, UTC]")
    return pd.DataFrame({"customer_id": raw.index.astype(str), "start": start, "end": end,
                         "complained": raw["Complains"].astype(bool)})


def model_kpis(months: int = 30, seed: int = 5) -> pd.DataFrame:
    """A monthly KPI table as the model itself would report it: the example's baseline P50, month by month, with
    each month's own variation (the defaults of ``track.DEFAULT_NOISE``) drawn on top."""
    u = simulate(Scenario(saas(), levers=Levers()), draws=50).uncertainty
    rng = np.random.default_rng(seed)

    def path(series: str, scale: str, sd: float) -> np.ndarray:
        p50 = u.band(series, "baseline")["p50"].to_numpy()[:months]
        e = rng.normal(0.0, sd, months)
        return p50 * np.exp(e) if scale == "log" else p50 + e

    customers = path("customers", "log", 0.01)
    return pd.DataFrame({
        "month": pd.date_range("2024-01-01", periods=months, freq="MS", tz="UTC"),
        "tickets": path("tickets", "log", 0.08), "csat_pct": np.clip(path("csat_pct", "abs", 0.02), 0, 1),
        "nps": path("nps", "abs", 4.0), "customers": customers,
        "churned": path("churn_pct", "log", 0.25) * customers, "mrr": path("revenue", "log", 0.03)})
