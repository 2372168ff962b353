"""AppTest of the data pages: upload, map columns, measure, calibrate, and see the Scenario page change."""

from __future__ import annotations

import json

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.uploads import event_log_csv, odd_headers_csv, tickets_csv

TIMEOUT = 60


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    return at.run()


def _upload(at: AppTest, table: str, name: str, content: bytes) -> AppTest:
    at.file_uploader(key=f"upload_{table}").set_value((name, content, "text/csv"))
    return at.run()


def use_columns(at: AppTest, **chosen: str) -> AppTest:
    """Set the selects ``key=value`` under Columns on the Your data page and press "Use these columns"."""
    for key, value in chosen.items():
        at.selectbox(key=key).set_value(value)
    at.button[[b.label for b in at.button].index("Use these columns")].click()
    return at.run()


def map_odd_headers(at: AppTest) -> AppTest:
    """Choose the columns of ``odd_headers_csv`` by hand on the Your data page and use them."""
    return use_columns(at, map_tickets_ticket_id="Nr", map_tickets_created="Wann",
                       map_tickets_first_response_h="Antwort nach Stunden", map_tickets_rating="Note")


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _texts(elements) -> list[str]:
    """Shown text: file-derived messages are markdown-escaped on the page, so drop the escapes."""
    return [e.value.replace("\\", "") for e in elements]


def _fan_rows(at: AppTest, title: str) -> list[dict]:
    """Rows of the chart titled ``title`` (vega-lite protos found by walking the page)."""
    def walk(block):
        for child in getattr(block, "children", {}).values():
            yield child
            yield from walk(child)

    for e in walk(at.main):
        if getattr(e, "type", "") != "vega_lite_chart":
            continue
        spec = json.loads(e.proto.spec)
        titles = [part.get("title") for part in [spec, *spec.get("layer", [])]]
        if any(isinstance(t, dict) and t.get("text") == title for t in titles):
            raw = e.proto.data.data if e.proto.HasField("data") else e.proto.datasets[0].data.data
            return pa.ipc.open_stream(raw).read_all().to_pylist()
    raise AssertionError(f"no chart titled {title!r}")


def test_upload_measure_and_keep_earlier_upload_on_a_bad_file():
    at = _open(_app(), "pages/5_Data.py")
    assert not at.exception
    at = _upload(at, "tickets", "tickets.csv", tickets_csv())
    assert not at.exception, [e.value for e in at.exception]
    assert any("1,500 of 1,500 rows kept" in s for s in _texts(at.success)), _texts(at.success)
    at = _upload(at, "tickets", "empty.csv", b"")
    errors = " ".join(_texts(at.error))
    assert "empty.csv is empty (0 bytes). The file was not used." in errors, errors
    assert any("Still using tickets.csv" in i for i in _texts(at.info)), _texts(at.info)
    at = _open(at, "pages/6_Metrics.py")
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "Tickets") == "1,500"
    assert _metric(at, "CSAT").endswith("%")
    assert "h" in _metric(at, "First response, median") or "min" in _metric(at, "First response, median")


def test_unknown_headers_are_mapped_by_hand():
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "odd.csv", odd_headers_csv())
    assert any("no column is chosen for 'Ticket id'" in e for e in _texts(at.error)), _texts(at.error)
    map_odd_headers(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any("3 of 3 rows kept" in s for s in _texts(at.success)), _texts(at.success) + _texts(at.error)
    at = _open(at, "pages/6_Metrics.py")
    assert _metric(at, "First response, median") == "1.5 h"
    assert _metric(at, "CSAT") == "66.7%"          # 5 and 4 of 5 are satisfied, 2 is not


def test_event_log_becomes_tickets():
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "log.csv", event_log_csv())
    assert any("5 events read as 2 tickets" in s for s in _texts(at.success)), _texts(at.success) + _texts(at.error)
    at = _open(at, "pages/6_Metrics.py")
    assert _metric(at, "Tickets") == "2"
    assert _metric(at, "First response, mean") == "1.5 h"   # 2.5 h and 0.5 h


def test_applying_a_fit_changes_the_scenario_and_actuals_share_its_axes():
    at = _app()
    at.query_params["hire_agents"] = "2"
    at = _open(at, "pages/1_Scenario.py")
    npv_before = _metric(at, "NPV (median)")
    at = _open(at, "pages/5_Data.py")
    at = _upload(at, "tickets", "tickets.csv", tickets_csv(4000, chat_share=0.4))
    at = _open(at, "pages/7_Calibrate.py")
    assert not at.exception, [e.value for e in at.exception]
    keys = [t.key for t in at.toggle if t.key and t.key.startswith("apply_csat_curve")]
    assert keys == ["apply_csat_curve:chat", "apply_csat_curve:email"], [t.key for t in at.toggle]
    for key in keys:       # both channels of the case fitted: the shared CSAT ranges narrow too
        at.toggle(key=key).set_value(True)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    at = _open(at, "pages/1_Scenario.py")
    assert not at.exception, [e.value for e in at.exception]
    assert _metric(at, "NPV (median)") != npv_before
    assert any("Calibrated on your data (the Calibrate page): CSAT versus first response (chat); CSAT versus first "
               "response (e-mail)." in c.value.replace("\\", "") for c in at.caption), _texts(at.caption)
    rows = _fan_rows(at, "CSAT")
    actual = [r for r in rows if r["variant"] == "actual"]
    assert actual and all(r["month"] < 0 for r in actual)
    assert {r["variant"] for r in rows} == {"actual", "baseline", "scenario"}
    at = _open(at, "pages/4_Risk.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Calibrated from your data" in i for i in _texts(at.info)), _texts(at.info)


def test_remove_removes_and_new_data_switch_fits_off():
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "tickets.csv", tickets_csv())
    at = _open(at, "pages/7_Calibrate.py")
    at.toggle(key="apply_company").set_value(True)
    at.run()
    at.selectbox(key="company").set_value("E-commerce")     # another case: today's figures still apply validly
    at.run()
    at = _open(at, "pages/1_Scenario.py")
    assert not at.exception, [e.value for e in at.exception]
    at = _open(at, "pages/5_Data.py")
    at.button(key="remove_tickets").click()
    at.run()
    assert not any("rows kept" in s for s in _texts(at.success)), _texts(at.success)
    at = _open(at, "pages/7_Calibrate.py")
    assert any("switched off" in w for w in _texts(at.warning)), _texts(at.warning)
    assert any("No data yet" in i for i in _texts(at.info))


def test_a_customer_table_dropped_on_tickets_says_so():
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "customers.csv", b"customer_id,start,end,mrr\n1,2024-01-01,,100\n2,2024-02-01,,50\n")
    assert not at.exception
    assert any("looks like the Customers table" in i for i in _texts(at.info)), _texts(at.info)


def test_a_company_fit_from_tables_of_different_decades_needs_an_explicit_confirmation():
    from tests.uploads import old_purchase_log_csv

    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "tickets.csv", tickets_csv(1500))
    at = _upload(at, "customers", "purchases.csv", old_purchase_log_csv())
    at = _open(at, "pages/7_Calibrate.py")
    assert not at.exception, [e.value for e in at.exception]
    warning = next(w for w in _texts(at.warning) if "Hard to believe" in w)
    assert "The tickets of Mar 2024 and the customers Jan 1997 to Dec 1998" in warning
    toggle = at.toggle(key="apply_company")
    assert toggle.disabled and not toggle.value               # nothing implausible applies with one toggle
    at.checkbox(key="confirm_company").check().run()
    assert not at.toggle(key="apply_company").disabled
    at.toggle(key="apply_company").set_value(True).run()
    assert not at.exception and "company" in at.session_state["_data"]["applied"]


def test_the_unit_of_a_durations_plain_numbers_is_chosen_with_the_columns():
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "calls.csv", b"Call,Opened,Wait\nA1,2024-03-04 09:00,90\nA2,2024-03-04 10:00,3600\n")
    from ui.data_view import NOT_MAPPED
    at = use_columns(at, map_tickets_ticket_id="Call", map_tickets_created="Opened",
                     map_tickets_wait_h=NOT_MAPPED,                                # guessed as the queue wait
                     map_tickets_first_response_h="Wait", unit_tickets_first_response_h="s")
    assert not at.exception, [e.value for e in at.exception]
    assert any("2 of 2 rows kept" in t for t in _texts(at.success))
    assert any("numbers read as seconds" in c for c in _texts(at.caption))
    assert at.selectbox(key="unit_tickets_first_response_h").value == "s"        # the editor shows the unit in use


def test_a_date_and_clock_in_two_columns_and_a_two_part_key_are_chosen_with_the_columns():
    at = _open(_app(), "pages/5_Data.py")
    log = b"line,call_id,date,entry\nAA01,101,990201,7:02:47\nAA02,101,990201,23:59:59\nAA01,102,990202,0:00:05\n"
    at = _upload(at, "tickets", "calls.csv", log)
    assert any("the ticket id repeats" in t for t in _texts(at.warning))
    assert at.toggle(key="two_tickets").value is False
    at.toggle(key="two_tickets").set_value(True).run()
    at = use_columns(at, map_tickets_ticket_id="line", pair_tickets_ticket_id="call_id", map_tickets_created="date",
                     pair_tickets_created="entry")
    assert not at.exception, [e.value for e in at.exception]
    assert any("3 of 3 rows kept" in t for t in _texts(at.success))
    assert any("ticket id in 'line' + 'call_id', created in 'date' + 'entry'" in c for c in _texts(at.caption))
    assert not any("repeats" in t for t in _texts(at.warning))
    assert at.selectbox(key="pair_tickets_created").value == "entry"          # the editor shows the pairs in use
    kept = at.session_state["_data"]["slots"]["tickets"].in_use
    assert kept.mapping.paired == (("ticket_id", "call_id"), ("created", "entry"))


def test_a_purchase_log_dropped_on_customers_becomes_the_customer_table_with_its_window():
    from tests.uploads import purchase_log
    content, truth = purchase_log()
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "customers", "orders.csv", content)
    assert not at.exception, [e.value for e in at.exception]
    assert any(f"purchases kept, read as {len(truth)} customers" in t for t in _texts(at.success))
    assert at.radio(key="customers_row_is").value == "purchase"
    lost_90 = at.session_state["_data"]["slots"]["customers"].in_use.validated.frame["end"].notna().sum()
    at.number_input(key="purchase_inactive_days").set_value(365)
    at = use_columns(at)
    kept = at.session_state["_data"]["slots"]["customers"].in_use
    assert kept.purchase_log.inactive_days == 365 and kept.validated.frame["end"].notna().sum() < lost_90
    assert any("no purchase in the last 365 days" in c for c in _texts(at.caption))
    at = _open(at, "pages/6_Metrics.py")                   # the customers measured as any customer table
    assert not at.exception, [e.value for e in at.exception]
    labels = [m.label for m in at.metric]
    assert any(label.startswith("Churn, monthly") for label in labels) and "MRR" in labels


def test_tables_that_share_no_day_are_named_on_the_data_page():
    from tests.uploads import old_purchase_log_csv
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "tickets.csv", tickets_csv(300))
    assert not any("do not overlap" in w for w in _texts(at.warning))
    at = _upload(at, "customers", "customers.csv", old_purchase_log_csv())
    finding = next(w for w in _texts(at.warning) if "do not overlap" in w)
    assert finding.startswith("The tickets of Mar 2024 and the customers Jan 1997 to Dec 1998 do not overlap (25.")


def test_metrics_says_which_monthly_lines_the_kpi_table_draws():
    """A KPI table wins over the tickets for every series it fills: the page says which lines are whose, so a ticket
    export's own monthly volume is not taken for what 'Tickets per month' draws."""
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "tickets.csv", tickets_csv())
    at = _open(at, "pages/6_Metrics.py")
    assert not any("monthly KPI table" in c for c in _texts(at.caption))          # tickets alone: nothing to say
    at = _open(at, "pages/5_Data.py")
    at = _upload(at, "kpis", "kpis.csv", b"month,tickets\n2024-01,2100\n2024-02,1900\n2024-03,2050\n")
    at = _open(at, "pages/6_Metrics.py")
    assert not at.exception, [e.value for e in at.exception]
    said = [c for c in _texts(at.caption) if "monthly KPI table" in c]
    assert len(said) == 1 and "(kpis.csv)" in said[0] and "wins for every series it fills: Tickets per month." in \
        said[0] and "Counted from your tickets and customers: Mean first response, CSAT." in said[0], said


def test_amounts_written_in_another_currency_than_the_cases_are_named_on_data_metrics_and_scenario():
    """A customer table in złoty read for a case in dollars: the amounts are plain numbers, so the page says which
    column and which marks, on Your data, on Metrics and beside the revenue on Scenario; a case in złoty says
    nothing."""
    # 4,000 customers over two years, a few leaving: a company like the case's in all but the currency
    content = ("customer_id,start,end,mrr\n" + "".join(
        f"C-{i},{2023 + i % 2}-{1 + i % 12:02d}-01,{f'2024-{1 + i // 40 % 11:02d}-15' if i % 40 == 0 else ''},"
        f"\"{300 + i % 300},50 zł\"\n"
        for i in range(4000))).encode()
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "customers", "klienci.csv", content)
    assert not at.exception, [e.value for e in at.exception]
    said = [w for w in _texts(at.warning) if "written with 'zł'" in w]
    assert len(said) == 1 and said[0].startswith("klienci.csv: the amounts in 'mrr' are written with 'zł', but this "
                                                 "case counts in USD."), said
    at = _open(at, "pages/6_Metrics.py")
    assert sum("written with 'zł'" in w for w in _texts(at.warning)) == 1
    assert at.number_input(key="metrics_cost_Northwind Analytics (B2B SaaS)").value == 12 * 6_700  # its sites' cost
    assert any(c.startswith("Starts from the sites of Northwind Analytics (B2B SaaS): 12 agents x $6,700 in New York.")
               for c in _texts(at.caption))
    headings = [h.value for h in at.subheader]
    assert "Customers and money" in headings and "Tickets" not in headings        # no tickets: no heading over nothing
    at = _open(at, "pages/7_Calibrate.py")                 # the company fit writes the revenue per customer from them
    doubted = next(w for w in _texts(at.warning) if w.startswith("Hard to believe"))
    assert "klienci.csv: the amounts in 'mrr' are written with 'zł'" in doubted
    at = _open(at, "pages/12_Predictions.py")              # nor does 'Apply them now' apply it without a word
    assert not any("offer fits" in w and "Your company today" in w for w in _texts(at.warning))
    at = _open(at, "pages/1_Scenario.py")                  # the revenue's actual months are drawn from them
    at.session_state["view_results"] = "Money"
    at = at.run()
    assert sum("written with 'zł'" in w for w in _texts(at.warning)) == 1
    at.selectbox(key="currency").set_value("PLN")
    at = at.run()
    assert not any("written with" in w for w in _texts(at.warning))
    at = _open(at, "pages/6_Metrics.py")
    assert not any("written with" in w for w in _texts(at.warning))
    at = _open(at, "pages/5_Data.py")
    assert not any("written with" in w for w in _texts(at.warning))


def test_a_purchase_logs_currency_column_naming_another_currency_is_said():
    """A shop's order export (Shopify's 'Name, Email, Created at, Total, Currency') in NOK for a case in pounds:
    read as purchases (its 'Email' repeats, so it is no customer table, though it has a customer table's columns);
    the amounts carry no mark, but the file's own currency column says NOK."""
    rows = "".join(f"#{1000 + i},c{i % 40}@example.com,2024-{1 + i % 12:02d}-{1 + i % 27:02d} 10:00,{120 + i}.50,NOK\n"
                   for i in range(300))
    at = _open(_app(), "pages/5_Data.py")
    at.selectbox(key="currency").set_value("GBP")
    at = at.run()
    at = _upload(at, "customers", "orders.csv", ("Name,Email,Created at,Total,Currency\n" + rows).encode())
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="customers_row_is").value == "purchase"      # its 'Email' repeats: one row per order
    assert any("orders.csv: 300 of 300 purchases kept, read as 40 customers" in t for t in _texts(at.success)), \
        _texts(at.success)
    said = [w for w in _texts(at.warning) if "column says" in w]
    assert said == ["orders.csv: its 'Currency' column says the amounts are in 'NOK', but this case counts in GBP. "
                    "They were read as plain numbers, so each is counted as one GBP, and every figure made from them "
                    "is off by the exchange rate. Convert the file's amounts to GBP, or open a company that counts in "
                    "the file's currency."], _texts(at.warning)


def test_calibrate_sets_the_measured_first_response_beside_the_models_baseline():
    """The first-response fit sets no parameter; it is a check of the queue, so the page puts the model's baseline
    month 0 beside it, and says what to check when the two are far apart."""
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "tickets.csv", tickets_csv())
    at = _open(at, "pages/7_Calibrate.py")
    assert not at.exception, [e.value for e in at.exception]
    said = next(c for c in _texts(at.caption) if c.startswith("Measured on e-mail: mean"))
    assert said.startswith("Measured on e-mail: mean 5.5 h, median 3.0 h. The model's baseline in month 0 (the "
                           "point view, with the fits switched on): mean 10.1 h. The model answers 1.8 times slower "
                           "than your data: check the sites' hours"), said


def test_predictions_offers_only_fits_that_set_a_parameter():
    """The first response's fit is a check of the queue and sets nothing: 'Apply them now' does not list it as a
    fit the prediction would start without."""
    at = _open(_app(), "pages/5_Data.py")
    at = _upload(at, "tickets", "tickets.csv", tickets_csv())
    at = _open(at, "pages/12_Predictions.py")
    assert not at.exception, [e.value for e in at.exception]
    offered = next(w for w in _texts(at.warning) if w.startswith("Your uploads offer fits the model does not use yet"))
    assert "CSAT versus first response (e-mail)" in offered and "First-response times" not in offered
