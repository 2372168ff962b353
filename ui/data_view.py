"""The upload panel of one table: uploader, progress, what was kept, problems, column mapping, preview."""

from __future__ import annotations

import streamlit as st

from intake.uploads import (
    TABLE_LABELS,
    TABLES,
    EventRoles,
    Loaded,
    PAIRED_KINDS,
    Mapping,
    PurchaseLogColumns,
    TableName,
    from_event_log,
    from_purchase_log,
    guess_purchase_columns,
    guess_roles,
    guess_table,
    why_table,
    template_csv,
    template_notes,
)
from intake.warehouse import TicketColumns
from ui import cache, data, downloads
from ui.components import plain

NOT_MAPPED = "(not in the file)"
TIME_ZONES = ("UTC", "Europe/London", "Europe/Dublin", "Europe/Berlin", "Europe/Warsaw", "Europe/Budapest",
              "Europe/Moscow", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
              "America/Sao_Paulo", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney")
ABOUT = {
    "tickets": "One row per ticket or conversation, as your help desk exports it (Zendesk, Freshdesk, Help Scout, "
               "Intercom, ServiceNow incident lists, Jira Service Management, Zoho Desk and HubSpot are recognised), or an event log (one row per ticket event).",
    "customers": "One row per customer (start, end or churn date, MRR, NPS or CSAT answer, plan), or a purchase or "
                 "billing log (one row per purchase: customer, date, amount) turned into one.",
    "kpis": "One row per month: tickets, first-response time, CSAT, NPS, customers, churned, MRR, support cost.",
}


def _progress_bar(name: str):
    bar = st.progress(0.0, text=f"Reading {name}")
    return lambda fraction, words: bar.progress(min(max(fraction, 0.0), 1.0), text=words)


def _summary(loaded: Loaded) -> str:
    v = loaded.validated
    if loaded.source is not None:
        return f"{loaded.name} (on the server's disk): " + v.summary().removeprefix(f"{loaded.name}: ")
    if loaded.event_log is not None:
        return f"{loaded.name}: {v.read_rows:,} events read as {len(v.frame):,} tickets."
    if loaded.purchase_log is not None:
        kept = int(v.frame["purchases"].sum()) if len(v.frame) else 0
        return (f"{loaded.name}: {kept:,} of {v.read_rows:,} purchases kept, read as {len(v.frame):,} customers.")
    return v.summary()


def _status(table: TableName, currency: str) -> None:
    s = data.slot(table)
    if s.attempt is not None and s.attempt is not s.in_use and not s.attempt.usable and s.in_use is not None:
        st.info(plain(f"{s.attempt.name} was not used (see below). Still using {s.in_use.name}, uploaded before."),
                icon=":material/history:")
    if s.in_use is not None and s.in_use.validated is not None:
        st.success(plain(_summary(s.in_use)), icon=":material/check_circle:")
        for warning in data.foreign_amounts(currency, (table,)):
            st.warning(plain(warning), icon=":material/currency_exchange:")
        if s.in_use.raw is not None and s.in_use.event_log is None and s.in_use.purchase_log is None:
            st.caption(plain(f"Read as {TABLE_LABELS[table] if table == 'kpis' else TABLE_LABELS[table].lower()}: "
                             + why_table(list(s.in_use.raw.frame.columns), table, s.in_use.mapping) + "."))
    shown = s.attempt or s.in_use
    if shown is None:
        return
    looks = guess_table(list(shown.raw.frame.columns)) if shown.raw is not None else None
    if looks is not None and looks != table and shown.event_log is None:
        st.info(plain(f"{shown.name} looks like the {TABLE_LABELS[looks]} table; it was read as "
                      f"{TABLE_LABELS[table]} because it was dropped here. Use the {TABLE_LABELS[looks]} tab "
                      "if that was meant."), icon=":material/swap_horiz:")
    for p in shown.all_problems():
        (st.error if p.severity == "error" else st.warning)(plain(p.text()))
    notes = shown.validated.notes if shown.validated is not None else (shown.raw.notes if shown.raw else ())
    if notes:
        st.caption("  \n".join(plain(n) for n in notes))


NO_SECOND = "(one column)"
SECOND_WORDS = {"datetime": "time of day in", "id": "second part of the key in"}
SECOND_HELP = {"datetime": "The column holding the time of day (7:02:47, 19:05, 7:05 PM) when the column above holds "
                           "the date only (990215, 2024-03-01, 01.03.2024). Together they are read in the time zone "
                           "chosen above.",
               "id": "A second column that, with the one above, tells the rows apart (a line and a call number): "
                     "the key is both, written 'line / number'."}
UNIT_CHOICES = ("", "ms", "s", "min", "h", "d")
UNIT_WORDS = {"": "as the header says (else hours)", "ms": "milliseconds", "s": "seconds", "min": "minutes", "h": "hours", "d": "days"}


def _mapping_editor(table: TableName, loaded: Loaded, assume_tz: str) -> None:
    headers = list(loaded.raw.frame.columns)
    current = dict(loaded.mapping.columns) if loaded.mapping is not None else {}
    options = [NOT_MAPPED, *headers]
    pairs = dict(loaded.mapping.paired) if loaded.mapping is not None else {}
    two = st.toggle("Some values are written in two columns (a date and its time of day, a key in two parts)",
                    value=bool(pairs), key=f"two_{table}",
                    help="A call log may write the date in one column and the time in another; a ticket number may "
                         "repeat across lines or queues, so that only the line and the number together tell the "
                         "rows apart.")
    with st.form(f"map_{table}", border=False):
        chosen: list[tuple[str, str]] = []
        cols = st.columns(3)
        units: list[tuple[str, str]] = []
        paired: list[tuple[str, str]] = []
        for i, f in enumerate(TABLES[table]):
            pick = cols[i % 3].selectbox(f.label + (" (needed)" if f.required else ""), options,
                                         index=options.index(current[f.name]) if current.get(f.name) in options else 0,
                                         help=f.help, key=f"map_{table}_{f.name}")
            if pick != NOT_MAPPED:
                chosen.append((f.name, pick))
            if two and f.kind in PAIRED_KINDS:
                second = cols[i % 3].selectbox(
                    f"{f.label}: {SECOND_WORDS[f.kind]}", [NO_SECOND, *headers],
                    index=headers.index(pairs[f.name]) + 1 if pairs.get(f.name) in headers else 0,
                    key=f"pair_{table}_{f.name}", help=SECOND_HELP[f.kind])
                if second != NO_SECOND:
                    paired.append((f.name, second))
            if f.kind == "duration_h":
                named = loaded.mapping.unit_of(f.name) if loaded.mapping is not None else None
                unit = cols[i % 3].selectbox(f"{f.label}: unit of plain numbers", UNIT_CHOICES,
                                             index=UNIT_CHOICES.index(named or ""), key=f"unit_{table}_{f.name}",
                                             format_func=UNIT_WORDS.get,
                                             help="What a number without a unit in this column means. 'As the "
                                                  "header says' reads '(seconds)', 'in minutes' and the like, and "
                                                  "takes hours when the header says nothing.")
                if unit:
                    units.append((f.name, unit))
        if st.form_submit_button("Use these columns", type="primary"):
            try:
                mapping = Mapping(table, tuple(chosen), tuple(units), tuple(paired))
            except ValueError as err:
                st.error(plain(f"{err}. The mapping in use was kept."))
            else:
                data.remap(table, mapping, assume_tz)
                st.rerun()
    if loaded.mapping is not None:
        st.download_button("Save this mapping (JSON)", loaded.mapping.to_json(), f"{table}_mapping.json",
                           "application/json", key=f"save_map_{table}", icon=":material/save:")
    saved = st.file_uploader("Open a saved mapping (JSON)", key=f"open_map_{table}")
    if saved is not None and st.session_state.get(f"_map_seen_{table}") != saved.file_id:
        st.session_state[f"_map_seen_{table}"] = saved.file_id
        try:
            mapping = Mapping.from_json(saved.getvalue().decode("utf-8", errors="replace"))
        except ValueError as err:
            st.error(plain(f"{saved.name}: {err}. The current mapping was kept."))
            return
        if mapping.table != table:
            st.error(plain(f"{saved.name} is a mapping for the {TABLE_LABELS[mapping.table].lower()} table, not this "
                           "one. The current mapping was kept."))
            return
        data.remap(table, mapping, assume_tz)
        st.rerun()


def _event_log_editor(loaded: Loaded, assume_tz: str) -> None:
    raw, columns = loaded.raw, loaded.event_log
    activities = sorted(str(a) for a in raw.frame[columns.activity].dropna().unique())[:500]
    roles = loaded.roles or guess_roles(activities)
    st.caption(plain(f"Read as an event log: case '{columns.case}', activity '{columns.activity}', time "
                     f"'{columns.timestamp}'" + (f", agent '{columns.resource}'" if columns.resource else "") + "."))
    with st.form("eventlog_roles", border=False):
        reply = st.multiselect("Activities that are a reply (the first one is the first response)", activities,
                               [a for a in roles.reply if a in activities], key="eventlog_reply")
        resolve = st.multiselect("Activities that solve the ticket (the last one is the resolution)", activities,
                                 [a for a in roles.resolve if a in activities], key="eventlog_resolve")
        if st.form_submit_button("Use these activities", type="primary"):
            new = EventRoles(create=roles.create, reply=tuple(reply), resolve=tuple(resolve))
            data.accept_loaded("tickets", from_event_log(raw, columns, roles=new, assume_tz=assume_tz))
            st.rerun()


ROW_IS = {"customer": "a customer", "purchase": "a purchase (a purchase or billing log)"}


def _purchase_log_editor(loaded: Loaded, assume_tz: str) -> None:
    headers = list(loaded.raw.frame.columns)
    current = loaded.purchase_log or guess_purchase_columns(headers)

    def index(column: str | None, fallback: int) -> int:
        return headers.index(column) if column in headers else min(fallback, len(headers) - 1)

    with st.form("purchase_log", border=False):
        cols = st.columns(3)
        customer = cols[0].selectbox("Customer", headers, index=index(current and current.customer, 0),
                                     key="purchase_customer", help="Who bought: a customer id, account or e-mail.")
        when = cols[1].selectbox("Date", headers, index=index(current and current.date, 1), key="purchase_date",
                                 help="When the purchase, order or payment was made.")
        amount = cols[2].selectbox("Amount", headers, index=index(current and current.amount, 2),
                                   key="purchase_amount", help="What it brought in; a refund or return is negative.")
        options = [NOT_MAPPED, *headers]
        quantity = cols[0].selectbox("Quantity (the amount is then a unit price)", options,
                                     index=options.index(current.quantity) if current and current.quantity in options
                                     else 0, key="purchase_quantity")
        days = cols[1].number_input("Lost after this many days without a purchase", 1, 3650,
                                    int(current.inactive_days) if current else 90, 15, key="purchase_inactive_days",
                                    help="The inactivity window: a customer who has bought nothing for this long by "
                                         "the log's last day is taken as lost on their last purchase. Set it to a "
                                         "little more than the longest usual gap between two purchases (a monthly "
                                         "plan: 45-60 days; a shop's regulars: 90-180).")
        if st.form_submit_button("Use these columns", type="primary"):
            try:
                columns = PurchaseLogColumns(customer, when, amount, None if quantity == NOT_MAPPED else quantity,
                                             int(days))
            except ValueError as err:
                st.error(plain(f"{err}. The reading in use was kept."))
            else:
                data.accept_loaded("customers", from_purchase_log(loaded.raw, columns, assume_tz=assume_tz))
                st.rerun()


def _columns_editor(table: TableName, shown: Loaded, assume_tz: str) -> None:
    if shown.event_log is not None:
        _event_log_editor(shown, assume_tz)
        return
    if table == "customers" and shown.source is not None:
        st.caption("This file is read from the server's disk as a customer table, a row a customer. "
                   "A purchase or billing log is read as customers when it is uploaded.")
    elif table == "customers":
        row_is = st.radio("Each row of the file is", list(ROW_IS), format_func=ROW_IS.get, horizontal=True,
                          index=int(shown.purchase_log is not None), key="customers_row_is")
        if row_is == "purchase":
            _purchase_log_editor(shown, assume_tz)
            return
    _mapping_editor(table, shown, assume_tz)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e9:,.1f} GB" if n_bytes >= 1e9 else f"{n_bytes / 1e6:,.0f} MB"


def _large_file_picker(table: TableName, assume_tz: str) -> None:
    """Files over the upload limit: those the deployment put in its data folder, read from the server's disk."""
    with st.expander("Larger than 300 MB? Read it from the server"):
        folder, files = data.large_folder(), data.large_files()
        if folder is None:
            st.markdown(f"Uploads stop at 300 MB. Whoever runs this app can put larger exports (CSV in UTF-8, or "
                        f"Parquet) in a folder on the server and name it in the `{data.LARGE_DIR_ENV}` setting; they "
                        "are then listed here and read in slices of a million rows, with every check an upload has. "
                        "A Parquet export is about a quarter of the CSV's size and reads three times faster.")
            return
        if not files:
            st.markdown(f"The server's data folder holds no CSV or Parquet file yet. Put the export there (CSV in "
                        "UTF-8, or Parquet) and open this page again.")
            return
        names = [f.name for f in files]
        sizes = {f.name: f.size_bytes for f in files}
        name = st.selectbox("File in the server's data folder", names, key=f"large_{table}",
                            format_func=lambda n: f"{n} ({_size(sizes[n])})")
        if st.button(f"Read {name} as the {TABLE_LABELS[table].lower()} table", key=f"read_large_{table}",
                     icon=":material/hard_drive:"):
            progress = _progress_bar(name)
            data.receive_large(table, name, assume_tz, progress=progress)
            st.rerun()


NO_COLUMN = "(none)"
FIRST_RESPONSE_FROM = {"none": "not in the table", "duration": "a duration column",
                       "reply": "the time from creation to a first-reply column"}


def _warehouse_picker(assume_tz: str) -> None:
    """Monthly KPIs summed in the team's database from its ticket history: only one row per month travels."""
    with st.expander("Ticket history in your database? Sum the months there"):
        url = data.warehouse_url()
        if url is None:
            st.markdown(f"Where the tickets live in the team's database (PostgreSQL, or another one SQLAlchemy "
                        f"reaches), whoever runs this app can name it in the `{data.WAREHOUSE_ENV}` setting. The "
                        "tickets, mean first response and CSAT of each month are then computed there and only one "
                        "row per month travels; they are used as this monthly KPI table.")
            return
        try:
            listed = {t.name: t for t in cache.warehouse_tables(url)}
        except Exception as err:     # unreachable, no rights
            st.error(f"The database did not answer ({type(err).__name__}). The KPI table in use was kept.")
            return
        usable = [n for n, t in listed.items() if t.datetimes]
        if not usable:
            st.markdown("The database lists no table or view with a date-time column.")
            return
        name = st.selectbox("Table or view of tickets", usable, key="warehouse_table")
        t = listed[name]
        with st.form("warehouse_columns", border=False):
            cols = st.columns(3)
            created = cols[0].selectbox("Created (needed)", t.datetimes, key="warehouse_created")
            source = cols[1].selectbox("First response", list(FIRST_RESPONSE_FROM), format_func=FIRST_RESPONSE_FROM.get,
                                       key="warehouse_frt_from")
            duration = cols[1].selectbox("Duration column", [NO_COLUMN, *t.numbers], key="warehouse_frt")
            unit = cols[1].selectbox("Its unit", UNIT_CHOICES[1:], index=UNIT_CHOICES[1:].index("h"),
                                     format_func=UNIT_WORDS.get, key="warehouse_frt_unit")
            reply = cols[2].selectbox("First-reply column", [NO_COLUMN, *t.datetimes], key="warehouse_reply")
            rating = cols[2].selectbox("Satisfaction rating", [NO_COLUMN, *t.columns], key="warehouse_rating")
            st.caption("For the Calibrate page (optional): each channel's handle time, fitted on figures the "
                       "database computes (counts, sums, the median, the 90th percentile and a histogram).")
            cols = st.columns(3)
            channel = cols[0].selectbox("Channel", [NO_COLUMN, *t.columns], key="warehouse_channel",
                                        help="The help desk's own words (Voice, Web form, WhatsApp) are read as an "
                                             "upload's are.")
            handle = cols[1].selectbox("Handle time (agent time on the ticket)", [NO_COLUMN, *t.numbers],
                                       key="warehouse_handle", help="Fitted per channel on the Calibrate page; "
                                                                    "needs the channel column.")
            handle_unit = cols[2].selectbox("Its unit", UNIT_CHOICES[1:], index=UNIT_CHOICES[1:].index("min"),
                                            format_func=UNIT_WORDS.get, key="warehouse_handle_unit")
            if st.form_submit_button("Compute the monthly KPIs in the database", type="primary",
                                     icon=":material/database:"):
                try:
                    columns = TicketColumns(
                        name, created,
                        first_response=duration if source == "duration" and duration != NO_COLUMN else None,
                        first_response_unit=unit,
                        first_reply=reply if source == "reply" and reply != NO_COLUMN else None,
                        rating=None if rating == NO_COLUMN else rating, naive_tz=assume_tz,
                        channel=None if channel == NO_COLUMN else channel,
                        handle_time=None if handle == NO_COLUMN else handle, handle_time_unit=handle_unit)
                except ValueError as err:
                    st.error(plain(f"{err}. The KPI table in use was kept."))
                    return
                with st.spinner(f"Summing {name} in the database"):
                    why = data.receive_warehouse(columns)
                if why:
                    st.error(plain(f"{name}: {why}. The KPI table in use was kept."))
                else:
                    st.rerun()


def table_panel(table: TableName, assume_tz: str, currency: str) -> None:
    """Everything about one of the three tables; ``currency``: the case's, which its amounts are counted in."""
    st.caption(ABOUT[table])
    left, right = st.columns([3, 1])
    upload = left.file_uploader(f"{TABLE_LABELS[table]} file (CSV, TSV or XLSX)", key=f"upload_{table}",
                                help="Any delimiter; UTF-8 or Windows code pages; decimal comma understood. "
                                     "Up to 300 MB; a larger file is read from the server (below).")
    right.download_button("Template (CSV)", template_csv(table), f"{table}_template.csv", "text/csv",
                          key=f"template_{table}", icon=":material/download:", width="stretch")
    with right.popover("What the template holds", width="stretch"):
        st.markdown(template_notes(table))
    if upload is not None and upload.file_id != data.slot(table).file_id and \
            st.session_state.get(f"_uploaded_{table}") != upload.file_id:
        st.session_state[f"_uploaded_{table}"] = upload.file_id     # a server file read since does not undo it
        progress = _progress_bar(upload.name)
        data.receive(table, upload.getvalue(), upload.name, upload.file_id, assume_tz, progress)
        progress(1.0, "Done")
    _large_file_picker(table, assume_tz)
    if table == "kpis":
        _warehouse_picker(assume_tz)
    _status(table, currency)
    s = data.slot(table)
    shown = s.attempt or s.in_use
    if shown is None:
        return
    if shown.raw is not None:                   # months summed in the database have no file columns
        with st.expander("Columns: which column holds what", expanded=not shown.usable):
            _columns_editor(table, shown, assume_tz)
    if s.in_use is not None and s.in_use.validated is not None:
        with st.expander(plain(f"Preview of {s.in_use.name} as read")):
            downloads.table(st, s.in_use.validated.frame.head(50), f"{table} preview, {s.in_use.name}",
                            hide_index=True)
        if st.button(plain(f"Remove {s.in_use.name}"), key=f"remove_{table}", icon=":material/delete:"):
            data.remove(table)
            st.rerun()
