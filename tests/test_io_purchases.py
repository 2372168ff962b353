"""A purchase or billing log (one row per purchase) read as the customer table."""

from __future__ import annotations

import pandas as pd
import pytest

from intake.uploads import load, options_of, read_kept, read_table, retype
from intake.uploads.purchases import PurchaseLogColumns, customers_from_purchases, guess_purchase_columns
from tests.uploads import purchase_log


def test_the_columns_of_order_lines_invoices_and_payments_are_recognised():
    assert guess_purchase_columns(["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID",
                                   "Country"]) == PurchaseLogColumns("CustomerID", "InvoiceDate", "UnitPrice",
                                                                     "Quantity")
    assert guess_purchase_columns(["customer", "date", "amount"]) == PurchaseLogColumns("customer", "date", "amount")
    assert guess_purchase_columns(["Email", "Created at", "Total", "Lineitem quantity"]) == PurchaseLogColumns(
        "Email", "Created at", "Total")                       # a total is not multiplied by a line's quantity
    assert guess_purchase_columns(["customer", "date"]) is None


def test_first_purchase_inactivity_and_revenue_a_month_by_hand():
    day = pd.Timestamp("2024-01-01", tz="UTC")
    purchases = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
                              "date": [day, day + pd.Timedelta(days=60), day, day + pd.Timedelta(days=300),
                                       day + pd.Timedelta(days=250)],
                              "amount": [100.0, 50.0, 30.0, 30.0, 10.0]})
    out = customers_from_purchases(purchases, inactive_days=90).set_index("customer_id")
    assert out.loc["a", "end"] == day + pd.Timedelta(days=60)           # 240 days quiet before the log's end: lost
    assert pd.isna(out.loc["b", "end"]) and pd.isna(out.loc["c", "end"])  # bought within the last 90 days
    assert out.loc["a", "mrr"] == pytest.approx(150.0 / (60 / (365.25 / 12)))
    assert out.loc["b", "mrr"] == pytest.approx(60.0 / (300 / (365.25 / 12)))
    assert out.loc["c", "mrr"] == pytest.approx(10.0 / (50 / (365.25 / 12)))   # active: to the log's end
    assert out["purchases"].tolist() == [2, 2, 1] and out["revenue"].tolist() == [150.0, 60.0, 10.0]
    alone = customers_from_purchases(purchases.iloc[[4]], inactive_days=90)
    assert alone["mrr"].tolist() == [10.0]                                # one purchase on the log's last day: a month
    with pytest.raises(ValueError, match="1 to 3650 days"):
        PurchaseLogColumns("c", "d", "a", inactive_days=0)


@pytest.mark.parametrize(("name", "sep"), [("orders.csv", ","), ("orders.txt", " ")])
def test_a_shops_order_lines_dropped_as_customers_become_the_customer_table(name, sep):
    content, truth = purchase_log(sep=sep)
    loaded = load(content, name, table="customers")
    assert loaded.usable and loaded.purchase_log == PurchaseLogColumns("CustomerID", "InvoiceDate", "UnitPrice",
                                                                       "Quantity")
    customers = loaded.validated.frame.set_index("customer_id")
    assert len(customers) == len(truth)
    firsts = truth.set_index("customer_id")["first"]
    assert (customers["start"].dt.tz_localize(None).dt.normalize() - firsts[customers.index]).dt.days.between(0, 40).all()
    stops = truth.set_index("customer_id")["stops"][customers.index]
    lost = customers["end"].notna()
    early = (stops < pd.Timestamp("2024-12-31") - pd.Timedelta(days=120)).to_numpy()
    assert lost[early].all() and not lost[stops.isna().to_numpy()].any()   # the window finds who stopped buying
    assert 0.15 < lost.mean() < 0.4
    assert (customers["mrr"] >= 0).all() and customers["mrr"].median() > 10
    said = [p.text() for p in loaded.all_problems()]
    assert any("the purchase has no customer" in t for t in said)
    assert any(n.startswith("Read as a purchase log:") and "refunds or returns" in n for n in loaded.validated.notes)


def test_an_order_export_with_a_customer_tables_columns_is_read_as_purchases_when_its_ids_repeat():
    """Shopify's 'Email' and 'Created at' are also a customer table's id and start: the repeated e-mails say it is
    one row per order. A customer table with an amount column and one row per customer stays a customer table."""
    orders = "Name,Email,Created at,Total\n" + "".join(
        f"#{1000 + i},c{i % 4}@example.com,2024-0{1 + i % 6}-0{1 + i % 9} 10:00,{20 + i}.00\n" for i in range(24))
    loaded = load(orders.encode(), "orders_export.csv", table="customers")
    assert loaded.purchase_log == PurchaseLogColumns("Email", "Created at", "Total") and len(loaded.validated.frame) == 4
    once = "Name,Email,Created at,Total\n" + "".join(
        f"#{1000 + i},c{i}@example.com,2024-0{1 + i % 6}-01,{20 + i}.00\n" for i in range(24))
    assert load(once.encode(), "first_orders.csv", table="customers").purchase_log is None
    # Stripe's subscriptions: a tenth of the customers hold a second one, and 'Ended At' says who left and when
    stripe = "id,Customer ID,Amount,Created (UTC),Start (UTC),Canceled At (UTC),Ended At (UTC)\n" + "".join(
        f"sub_{i},cus_{i % 100},49.00,2024-01-{1 + i % 28:02d},2024-01-{1 + i % 28:02d},,\n" for i in range(110))
    subscriptions = load(stripe.encode(), "subscriptions.csv", table="customers")
    assert subscriptions.purchase_log is None and len(subscriptions.validated.frame) == 100


def test_the_window_and_columns_are_kept_and_read_again_the_same():
    content, _ = purchase_log()
    columns = PurchaseLogColumns("CustomerID", "InvoiceDate", "UnitPrice", "Quantity", inactive_days=30)
    loaded = retype(read_table(content, "orders.csv"), table="customers", purchase_log=columns)
    again = read_kept(content, "orders.csv", "customers", options_of(loaded), "UTC")
    assert again.purchase_log == columns
    pd.testing.assert_frame_equal(again.validated.frame, loaded.validated.frame)
    wider = retype(read_table(content, "orders.csv"), table="customers",
                   purchase_log=PurchaseLogColumns("CustomerID", "InvoiceDate", "UnitPrice", "Quantity", 365))
    assert wider.validated.frame["end"].notna().sum() < loaded.validated.frame["end"].notna().sum()


def test_a_purchase_log_is_named_not_refused_when_nothing_is_said():
    loaded = load(b"customer,date,amount\nA,2024-01-03,10\nB,2024-02-01,x\n,2024-02-02,5\n", "p.csv")
    assert loaded.table == "customers" and loaded.usable and len(loaded.validated.frame) == 1
    said = " ".join(p.text() for p in loaded.all_problems())
    assert "the amount is empty or not a number (row 3)" in said and "the purchase has no customer (row 4)" in said
    gone = retype(loaded.raw, table="customers", purchase_log=PurchaseLogColumns("client", "date", "amount"))
    assert not gone.usable and "'client'" in gone.all_problems()[0].text()
