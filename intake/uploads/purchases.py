"""A purchase or billing log (one row per purchase) -> a customer table (one row per customer).

Shops, marketplaces and invoicing systems export what was bought, by whom and when, not who is a customer.
The customer table the product measures follows from it:

- ``start``: the customer's first purchase;
- ``end``: the last purchase, when the customer bought nothing in the ``inactive_days`` before the log's last
  purchase (the *inactivity window*: a customer who has not come back for that long is taken as lost); empty
  while they are still active. Customers lost in the window's last days cannot be told from customers between
  two purchases yet, so churn in the log's final ``inactive_days`` is not seen;
- ``mrr``: revenue a month, the customer's purchases over the months from the first purchase to the end (or to
  the log's last purchase while active), at least one month; never below zero (a customer whose returns exceed
  their purchases counts zero).

A row's amount is its ``amount`` column, times its ``quantity`` column when one is chosen (a line of an invoice:
quantity and unit price). Refunds and returns (negative amounts) are kept: they lower the customer's revenue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from intake.uploads import convert, currency
from intake.uploads.mapping import normalise_header

DAYS_PER_MONTH = 365.25 / 12
DEFAULT_INACTIVE_DAYS = 90


@dataclass(frozen=True)
class PurchaseLogColumns:
    """Which columns of a purchase log hold the customer, the date and the amount, and the inactivity window.

    Parameters
    ----------
    customer, date, amount : str
        File columns.
    quantity : str, optional
        A column the amount is multiplied by (the amount is then a unit price).
    inactive_days : int
        Days without a purchase after which a customer is taken as lost (1-3650).
    """

    customer: str
    date: str
    amount: str
    quantity: str | None = None
    inactive_days: int = DEFAULT_INACTIVE_DAYS

    def __post_init__(self) -> None:
        if not 1 <= int(self.inactive_days) <= 3650:
            raise ValueError(f"the inactivity window must be 1 to 3650 days, not {self.inactive_days}")
        named = [c for c in (self.customer, self.date, self.amount, self.quantity) if c is not None]
        if len(set(named)) < len(named):
            raise ValueError("a purchase log's customer, date, amount and quantity must be different columns")


# Normalised header names per role, best first: plain English, the UCI "Online Retail" log (InvoiceNo, StockCode,
# Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country), Shopify's orders export ("Name", "Email",
# "Created at", "Total", "Lineitem quantity", "Lineitem price") and Stripe's payments export ("Customer ID",
# "Created (UTC)", "Amount").
_NAMES: dict[str, tuple[str, ...]] = {
    "customer": ("customer id", "customer", "customerid", "client id", "client", "buyer", "account id", "account",
                 "user id", "email", "customer email"),
    "date": ("invoice date", "invoicedate", "order date", "purchase date", "transaction date", "payment date",
             "paid at", "date", "created at", "created utc", "created", "timestamp"),
    "amount": ("amount", "total", "order total", "amount paid", "revenue", "sales", "value", "price", "unit price",
               "unitprice", "lineitem price", "net amount", "gross amount"),
    "quantity": ("quantity", "qty", "units", "lineitem quantity"),
}


def guess_purchase_columns(headers: Sequence[str]) -> PurchaseLogColumns | None:
    """The purchase-log columns of a header row (customer, date and amount all found), else None.

    A unit-price column ("UnitPrice", "price", "Lineitem price") with a quantity column is read as price times
    quantity; a total with a quantity column beside it is read alone.
    """
    keys = {normalise_header(h): h for h in headers}
    found: dict[str, str] = {}
    for role, names in _NAMES.items():
        for name in names:
            header = keys.get(name)
            if header is not None and header not in found.values():
                found[role] = header
                break
    if not {"customer", "date", "amount"} <= found.keys():
        return None
    priced = normalise_header(found["amount"]) in ("price", "unit price", "unitprice", "lineitem price")
    return PurchaseLogColumns(found["customer"], found["date"], found["amount"],
                              found.get("quantity") if priced else None)


@dataclass(frozen=True)
class Purchases:
    """The purchases read from a log: one row each (``customer_id``, ``date`` UTC, ``amount``), and masks of the
    rows skipped because the customer is empty or the date or amount unreadable."""

    frame: pd.DataFrame
    no_customer: np.ndarray
    bad_date: np.ndarray
    bad_amount: np.ndarray
    notes: tuple[str, ...]


def read_purchases(raw: pd.DataFrame, columns: PurchaseLogColumns, assume_tz: str = "UTC") -> Purchases:
    """Type the purchase log's columns; rows without a customer, date or amount are left out (and flagged)."""
    customer = raw[columns.customer].str.strip().replace("", pd.NA)
    dates = convert.parse_datetimes(raw[columns.date], assume_tz=assume_tz)
    amounts = convert.parse_numbers(raw[columns.amount])
    amount = amounts.values.to_numpy(dtype=np.float64, na_value=np.nan)
    notes = [f"{c}: {parsed.note}" for c, parsed in ((columns.date, dates), (columns.amount, amounts)) if parsed.note]
    notes += currency.column_notes(raw)
    bad_amount = np.asarray(amounts.bad, dtype=bool) | np.isnan(amount)
    if columns.quantity is not None:
        quantity = convert.parse_numbers(raw[columns.quantity])
        q = quantity.values.to_numpy(dtype=np.float64, na_value=np.nan)
        bad_amount |= np.isnan(q)
        amount = amount * q
        notes.append(f"amount = {columns.amount} × {columns.quantity}")
    no_customer = customer.isna().to_numpy()
    bad_date = dates.values.isna().to_numpy()
    keep = ~(no_customer | bad_date | bad_amount)
    frame = pd.DataFrame({"customer_id": customer[keep].to_numpy(), "date": dates.values[keep].to_numpy(),
                          "amount": amount[keep]})
    return Purchases(frame, no_customer, bad_date & ~no_customer, bad_amount & ~no_customer & ~bad_date, tuple(notes))


def customers_from_purchases(purchases: pd.DataFrame, inactive_days: int = DEFAULT_INACTIVE_DAYS) -> pd.DataFrame:
    """One row per customer from one row per purchase (see the module docstring for the rules).

    Parameters
    ----------
    purchases : DataFrame
        ``customer_id``, ``date`` (datetime64 UTC) and ``amount`` (float, the log's currency).
    inactive_days : int
        Days without a purchase after which a customer is lost.

    Returns
    -------
    DataFrame
        ``customer_id``, ``start``, ``end`` (NaT while active), ``mrr`` (amount a month), ``purchases`` (count),
        ``revenue`` (sum), ``last_purchase``, in order of first purchase.
    """
    if purchases.empty:
        return pd.DataFrame({"customer_id": pd.Series(dtype="string"),
                             "start": pd.Series(dtype="datetime64[us, UTC]"),
                             "end": pd.Series(dtype="datetime64[us, UTC]"), "mrr": pd.Series(dtype=np.float64),
                             "purchases": pd.Series(dtype=np.int64), "revenue": pd.Series(dtype=np.float64),
                             "last_purchase": pd.Series(dtype="datetime64[us, UTC]")})
    grouped = purchases.groupby("customer_id", sort=False)
    out = pd.DataFrame({"start": grouped["date"].min(), "last": grouped["date"].max(),
                        "purchases": grouped["date"].size(), "revenue": grouped["amount"].sum()})
    log_end = purchases["date"].max()
    lost = out["last"] <= log_end - pd.Timedelta(days=int(inactive_days))
    out["end"] = out["last"].where(lost)
    until = out["end"].fillna(log_end)
    months = np.maximum((until - out["start"]) / pd.Timedelta(days=DAYS_PER_MONTH), 1.0)
    out["mrr"] = np.maximum(out["revenue"] / months, 0.0)
    out = out.sort_values("start", kind="stable").rename_axis("customer_id").reset_index()
    return out.rename(columns={"last": "last_purchase"})[["customer_id", "start", "end", "mrr", "purchases", "revenue",
                                                          "last_purchase"]]
