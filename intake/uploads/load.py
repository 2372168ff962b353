"""One call from an uploaded file's bytes to a typed table: read, recognise, map, validate.

A file the reader refuses, a file that is not any of the three tables, and a file whose rows are
all unusable each come back as a :class:`Loaded` whose ``validated`` is not usable and whose
problems say why, never as an exception, so the caller keeps whatever it had before.

Event logs (one row per ticket event: case id, activity, timestamp) are recognised by their
columns and turned into a ticket table with :mod:`intake.uploads.eventlog`; purchase or billing logs
(one row per purchase: customer, date, amount) into a customer table with :mod:`intake.uploads.purchases`.

An upload of :data:`intake.uploads.large.SLICED_UPLOAD_BYTES` or more that is one of the three tables in delimited
UTF-8 text is read in slices of its bytes (:func:`intake.uploads.large.read_upload`): the same table with a fraction
of the memory; its ``raw`` is a preview that holds the bytes, which :func:`retype` reads again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from intake.uploads import convert, eventlog, large
from intake.uploads.loaded import EventLogColumns, Loaded, Progress, quiet
from intake.uploads.mapping import Mapping, guess_table, missing_required, suggest_mapping
from intake.uploads.memory import hand_back
from intake.uploads.purchases import PurchaseLogColumns, customers_from_purchases, guess_purchase_columns, read_purchases
from intake.uploads.read import RawTable, ReadError, read_table
from intake.uploads.schema import TableName
from intake.uploads.validate import Collector, Problem, Validated, fit_to_content, validate

def _refused(name: str, message: str, raw: RawTable | None = None) -> Loaded:
    return Loaded(name, None, raw, None, None, (Problem(name, None, message, "The file was not used.", "error"),))


def event_log_columns(raw: RawTable) -> EventLogColumns | None:
    """The event-log columns of ``raw`` when it looks like one (case, activity and timestamp found)."""
    case, activity, stamp, resource = eventlog.guess_columns(list(raw.frame.columns))
    if case is None or activity is None or stamp is None:
        return None
    return EventLogColumns(case, activity, stamp, resource)


def load(data: bytes, name: str, *, table: TableName | None = None, mapping: Mapping | None = None,
         assume_tz: str = "UTC", progress: Progress = quiet) -> Loaded:
    """Read ``data`` and type it as ``table`` (guessed when None) through ``mapping`` (suggested when None).

    ``progress(fraction, words)`` is called between the steps, for a progress bar.
    """
    progress(0.05, f"Reading {name}")
    if len(data) >= large.SLICED_UPLOAD_BYTES:
        hand_back()            # what an earlier table let go is returned first, not piled under this reading
        sliced = _in_slices(data, name, table, mapping, assume_tz, progress)
        if sliced is not None:
            return sliced
    try:
        raw = read_table(data, name)
    except ReadError as err:
        return _refused(name, str(err))
    progress(0.5, f"Checking {len(raw.frame):,} rows of {name}")
    return retype(raw, table=table, mapping=mapping, assume_tz=assume_tz)


def _in_slices(data: bytes, name: str, table: TableName | None, mapping: Mapping | None, assume_tz: str,
               progress: Progress) -> Loaded | None:
    """A large upload read in slices when it is one of the three tables in delimited UTF-8 text; None: read it whole
    (an event or purchase log, a workbook, another encoding, a ragged record: see :func:`large.read_upload`)."""
    try:
        head = large.upload_head(data, name)
    except ReadError:
        return None
    chosen, event_log, purchase_log = _reading(head, table, mapping, None, None)
    if chosen is None or event_log is not None or purchase_log is not None:
        return None
    return large.read_upload(data, name, chosen, mapping=mapping, assume_tz=assume_tz, progress=progress, head=head)


def _reading(raw: RawTable, table: TableName | None, mapping: Mapping | None, event_log: EventLogColumns | None,
             purchase_log: PurchaseLogColumns | None
             ) -> tuple[TableName | None, EventLogColumns | None, PurchaseLogColumns | None]:
    """How ``raw`` is read: its table, or as an event log or a purchase log (see :func:`retype`)."""
    headers = list(raw.frame.columns)
    table = table if table is not None or mapping is None else mapping.table     # a saved mapping names its table
    guessing = mapping is None and event_log is None and purchase_log is None
    if table is None and guessing:
        table = guess_table(headers)
        if table is None or (table == "tickets" and suggest_mapping("tickets", headers).columns == ()):
            event_log = event_log_columns(raw)
            if event_log is not None:
                table = "tickets"
        if table is None:
            purchase_log = guess_purchase_columns(headers)
    elif table == "customers" and guessing:
        customers = suggest_mapping("customers", headers)
        purchases = guess_purchase_columns(headers)
        if missing_required(customers) or (purchases is not None and _one_row_per_purchase(raw, customers)):
            purchase_log = purchases
    return table, event_log, purchase_log


ROWS_PER_CUSTOMER = 1.5     # ids repeating this often, without an end date, make a file one row per purchase


def _one_row_per_purchase(raw: RawTable, customers: Mapping) -> bool:
    """A file with a customer table's columns that is one row per purchase (a Shopify orders export: "Email",
    "Created at", "Total"): its ids repeat, on average :data:`ROWS_PER_CUSTOMER` times or more, and no column says
    when a customer left. A subscription export (Stripe's, with "Ended At") whose few customers hold two
    subscriptions stays a customer table, each id's first row kept."""
    chosen = customers.as_dict()
    header = chosen.get("customer_id")
    if header is None or "end" in chosen:
        return False
    ids = raw.frame[header].dropna()
    return len(ids) > 0 and len(ids) >= ROWS_PER_CUSTOMER * ids.nunique()


def retype(raw: RawTable, *, table: TableName | None = None, mapping: Mapping | None = None,
           assume_tz: str = "UTC", event_log: EventLogColumns | None = None,
           roles: eventlog.EventRoles | None = None, purchase_log: PurchaseLogColumns | None = None) -> Loaded:
    """Type an already read table again: another table, mapping, time zone, event-log or purchase-log reading.

    Without a table, mapping or reading, the table is guessed; a file that is no table but an event log is read
    as tickets, and one that is a purchase log as customers. A file given as customers whose columns miss what a
    customer table needs is read as a purchase log when it is one. A preview of a large upload (``raw.whole``) is
    read again from its bytes.
    """
    if raw.whole is not None:
        if event_log is None and purchase_log is None:
            return load(raw.whole, raw.name, table=table, mapping=mapping, assume_tz=assume_tz)
        raw = read_table(raw.whole, raw.name)
    headers = list(raw.frame.columns)
    table, event_log, purchase_log = _reading(raw, table, mapping, event_log, purchase_log)
    if event_log is not None:
        return from_event_log(raw, event_log, roles=roles, assume_tz=assume_tz)
    if purchase_log is not None:
        return from_purchase_log(raw, purchase_log, assume_tz=assume_tz)
    if table is None:
        return _refused(raw.name, "its columns match none of the three tables (tickets, customers, monthly KPIs) "
                        "nor an event log or a purchase log; choose the table and map its columns", raw)
    if mapping is None or mapping.table != table:
        mapping = fit_to_content(suggest_mapping(table, headers), raw.frame)
    return Loaded(raw.name, table, raw, mapping, validate(raw, table, mapping, assume_tz=assume_tz))


def _whole(raw: RawTable) -> RawTable:
    """``raw`` with every row: a preview of a large upload is read whole from its bytes."""
    return read_table(raw.whole, raw.name) if raw.whole is not None else raw


def from_event_log(raw: RawTable, columns: EventLogColumns, *, roles: eventlog.EventRoles | None = None,
                   assume_tz: str = "UTC") -> Loaded:
    """An event log -> a ticket table; events with an unreadable time or no case are skipped, named."""
    raw = _whole(raw)
    frame = raw.frame
    missing = [c for c in (columns.case, columns.activity, columns.timestamp, columns.resource)
               if c is not None and c not in frame.columns]
    if missing:
        return _refused(raw.name, f"the event-log column(s) {', '.join(map(repr, missing))} are not in the file", raw)
    parsed = convert.parse_datetimes(frame[columns.timestamp], assume_tz=assume_tz)
    out = Collector(raw.name, raw.row_numbers(), frame)
    bad = np.asarray(parsed.bad, dtype=bool) | parsed.values.isna().to_numpy()
    no_case = frame[columns.case].isna().to_numpy()
    out.flag(bad, columns.timestamp, "the event time is empty or not a date and time", "Those events were skipped.",
             frame[columns.timestamp])
    out.flag(no_case & ~bad, columns.case, "the event has no case id", "Those events were skipped.")
    problems = out.problems
    keep = ~(bad | no_case)
    events = pd.DataFrame({"case": frame[columns.case], "activity": frame[columns.activity].fillna(""),
                           "timestamp": parsed.values})
    if columns.resource is not None:
        events["resource"] = frame[columns.resource]
    events = events[keep]
    roles = roles or eventlog.guess_roles(pd.unique(events["activity"]).tolist())
    tickets = eventlog.tickets_from_events(events, case="case", activity="activity", timestamp="timestamp",
                                           resource="resource" if columns.resource else None, roles=roles)
    tickets = tickets.reset_index(drop=True)
    for stamp, duration in (("first_reply", "first_response_h"), ("solved", "resolution_h")):
        if stamp in tickets.columns:
            tickets[duration] = ((tickets[stamp] - tickets["created"]) / pd.Timedelta(hours=1)).astype(np.float64)
    notes = raw.notes + (f"Read as an event log: {int(keep.sum()):,} events of {len(tickets):,} tickets; first reply = "
                         f"first of {', '.join(roles.reply) or 'none'}; solved = last of "
                         f"{', '.join(roles.resolve) or 'none'}.",)
    if tickets.empty:
        problems.append(Problem(raw.name, None, "no event is left once the problems above are skipped",
                                "The file was not used.", "error"))
    validated = Validated("tickets", raw.name, tickets, tuple(problems), len(frame), notes)
    return Loaded(raw.name, "tickets", raw, None, validated, (), columns, roles)


def from_purchase_log(raw: RawTable, columns: PurchaseLogColumns, *, assume_tz: str = "UTC") -> Loaded:
    """A purchase log -> a customer table; purchases without a customer, date or amount are skipped, named."""
    raw = _whole(raw)
    frame = raw.frame
    missing = [c for c in (columns.customer, columns.date, columns.amount, columns.quantity)
               if c is not None and c not in frame.columns]
    if missing:
        return _refused(raw.name, f"the purchase-log column(s) {', '.join(map(repr, missing))} are not in the file", raw)
    read = read_purchases(frame, columns, assume_tz)
    out = Collector(raw.name, raw.row_numbers(), frame)
    out.flag(read.no_customer, columns.customer, "the purchase has no customer", "Those purchases were skipped.")
    out.flag(read.bad_date, columns.date, "the purchase date is empty or not a date", "Those purchases were skipped.",
             frame[columns.date])
    amount_words = columns.amount if columns.quantity is None else f"{columns.amount}' or '{columns.quantity}"
    out.flag(read.bad_amount, amount_words, "the amount is empty or not a number", "Those purchases were skipped.",
             frame[columns.amount])
    customers = customers_from_purchases(read.frame, columns.inactive_days)
    first_rows = raw.row_numbers()[~(read.no_customer | read.bad_date | read.bad_amount)]
    if len(customers):
        first = pd.Series(first_rows).groupby(read.frame["customer_id"].to_numpy(), sort=False).min()
        customers.insert(0, "row", first.reindex(customers["customer_id"]).to_numpy())
    problems = list(out.problems)
    notes = list(raw.notes) + list(read.notes)
    if customers.empty:
        problems.append(Problem(raw.name, None, "no purchase is left once the problems above are skipped",
                                "The file was not used.", "error"))
    else:
        log_end = read.frame["date"].max()
        lost = int(customers["end"].notna().sum())
        refunds = int((read.frame["amount"] < 0).sum())
        notes.append(
            f"Read as a purchase log: {len(read.frame):,} purchases of {len(customers):,} customers to "
            f"{log_end:%d %b %Y}; start = first purchase; {lost:,} lost (no purchase in the last "
            f"{columns.inactive_days} days of the log: their end is their last purchase), so churn in those last "
            f"{columns.inactive_days} days is not seen yet; MRR = revenue a month from the first purchase to the end "
            "(or to the log's end)" + (f"; {refunds:,} refunds or returns (negative amounts) lower it" if refunds
                                       else "") + ".")
    validated = Validated("customers", raw.name, customers, tuple(problems), len(frame), tuple(notes))
    return Loaded(raw.name, "customers", raw, None, validated, (), purchase_log=columns)
