"""Export headers -> canonical fields, vendor and table detection, JSON, channels and templates."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from intake.uploads.mapping import (
    CHANNEL_ALIASES,
    Mapping,
    detect_vendor,
    guess_table,
    missing_required,
    normalise_channels,
    normalise_header,
    suggest_mapping,
)
from intake.uploads.schema import TABLES
from intake.uploads.templates import template_csv, template_notes

# Header rows as the exports write them (see the sources cited in model/io/mapping.py).
ZENDESK = ["Summation column", "Id", "Requester", "Requester id", "Requester external id", "Requester email",
           "Requester domain", "Submitter", "Assignee", "Group", "Subject", "Tags", "Status", "Priority", "Via",
           "Ticket type", "Created at", "Updated at", "Assigned at", "Organization", "Due date",
           "Initially assigned at", "Solved at", "Resolution time", "Satisfaction Score", "Group stations",
           "Assignee stations", "Reopens", "Replies", "First reply time in minutes",
           "First reply time in minutes within business hours", "First resolution time in minutes",
           "First resolution time in minutes within business hours", "Full resolution time in minutes",
           "Full resolution time in minutes within business hours", "Agent wait time in minutes",
           "Requester wait time in minutes", "On hold time in minutes", "Ticket Category [list]"]
FRESHDESK = ["Ticket ID", "Subject", "Description", "Status", "Priority", "Source", "Type", "Agent", "Group",
             "Created time", "Due by Time", "Resolved time", "Closed time", "Last update time",
             "Initial response time", "Time tracked", "First response time (in hrs)", "Resolution time (in hrs)",
             "Agent interactions", "Customer interactions", "Resolution status", "First response status", "Tags",
             "Survey results", "Product", "Full name", "Contact ID"]
INTERCOM = ["Conversation ID", "Conversation started at (America/New_York)", "Teammate currently assigned",
            "Team currently assigned", "Channel", "Current conversation state", "Last teammate rating", "Started by",
            "Conversation first closed at (America/New_York)", "Conversation first replied at (America/New_York)",
            "Conversation last closed at (America/New_York)", "First response time (seconds)",
            "First response time, only within office hours (seconds)", "Handling time (seconds)",
            "Time to close (seconds)", "Time to first close (seconds)", "User ID", "User email",
            "Conversation rating"]
HELPSCOUT = ["Conversation ID", "Conversation Number", "Type", "Status", "Subject", "Customer Email", "Customer ID",
             "Assigned To", "Created At", "Closed At", "Threads", "Mailbox", "First Response Time",
             "Resolution Time", "Handle Time", "Replies Sent", "Happiness Rating"]
SERVICENOW = ["number", "opened_at", "resolved_at", "closed_at", "contact_type", "caller_id", "assigned_to",
              "assignment_group", "priority", "state", "short_description"]
STRIPE_SUBSCRIPTIONS = ["id", "Customer ID", "Customer Email", "Plan", "Quantity", "Interval", "Amount", "Status",
                        "Created (UTC)", "Start (UTC)", "Current Period Start (UTC)", "Current Period End (UTC)",
                        "Canceled At (UTC)", "Ended At (UTC)"]
JSM = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Priority", "Resolution", "Assignee", "Assignee Id",
       "Reporter", "Reporter Id", "Creator", "Created", "Updated", "Last Viewed", "Resolved", "Due date",
       "Custom field (Request Type)", "Custom field (Request participants)", "Custom field (Source)",
       "Custom field (Time to first response)", "Custom field (Time to resolution)", "Satisfaction rating",
       "Custom field (Satisfaction date)", "Custom field ([CHART] Date of First Response)", "Status Category"]
ZOHO = ["ID", "Department", "Contact ID", "Email", "Phone", "Subject", "Status", "Ticket Owner", "Created By",
        "Created Time", "Modified Time", "Request Id", "Customer Response Time", "Number of Threads", "Due Date",
        "Priority", "Channel", "Category", "Sub Category", "Ticket Closed Time", "Is Escalated", "Happiness Rating",
        "Agent Responded Time", "Number of Comments", "Time to Respond", "SLA Violation Type", "Child Ticket Count"]
HUBSPOT = ["Ticket ID", "Ticket name", "Pipeline", "Ticket status", "Create date", "Close date", "Source",
           "Ticket owner", "Priority", "Time to first agent email reply", "Time to close (HH:mm:ss)",
           "First agent email response date", "Associated Contact IDs"]
KPI_SHEET = ["Month", "Tickets", "First response time", "CSAT", "NPS", "Customers", "Churned", "MRR",
             "Expansion MRR", "Support cost"]


def pairs(table, headers) -> dict[str, str]:
    return suggest_mapping(table, headers).as_dict()


# --- vendors -------------------------------------------------------------------------------------

def test_zendesk_header_row_maps_to_its_fields():
    assert pairs("tickets", ZENDESK) == {
        "ticket_id": "Id", "created": "Created at", "solved": "Solved at", "channel": "Via",
        "rating": "Satisfaction Score", "agent": "Assignee", "customer_id": "Requester id", "replies": "Replies",
        "first_response_h": "First reply time in minutes",
        # the calendar-time full resolution, not the legacy "Resolution time" nor business hours
        "resolution_h": "Full resolution time in minutes"}


def test_freshdesk_header_row_maps_to_its_fields():
    assert pairs("tickets", FRESHDESK) == {
        "ticket_id": "Ticket ID", "created": "Created time", "first_reply": "Initial response time",
        "first_response_h": "First response time (in hrs)", "solved": "Resolved time",
        "resolution_h": "Resolution time (in hrs)", "channel": "Source", "rating": "Survey results",
        "replies": "Agent interactions", "customer_id": "Contact ID", "agent": "Agent",
        "handle_time_h": "Time tracked"}


def test_intercom_header_row_maps_to_its_fields_despite_zone_and_unit_in_brackets():
    assert pairs("tickets", INTERCOM) == {
        "ticket_id": "Conversation ID", "created": "Conversation started at (America/New_York)",
        "first_reply": "Conversation first replied at (America/New_York)",
        "solved": "Conversation last closed at (America/New_York)",
        "first_response_h": "First response time (seconds)", "resolution_h": "Time to close (seconds)",
        "handle_time_h": "Handling time (seconds)", "channel": "Channel", "rating": "Conversation rating",
        "customer_id": "User ID", "agent": "Teammate currently assigned"}


def test_helpscout_header_row_maps_type_to_channel():
    assert pairs("tickets", HELPSCOUT) == {
        "ticket_id": "Conversation ID", "created": "Created At", "solved": "Closed At", "channel": "Type",
        "agent": "Assigned To", "customer_id": "Customer ID", "first_response_h": "First Response Time",
        "resolution_h": "Resolution Time", "handle_time_h": "Handle Time", "replies": "Replies Sent",
        "rating": "Happiness Rating"}


def test_servicenow_incident_export_maps_to_its_fields():
    assert pairs("tickets", SERVICENOW) == {
        "ticket_id": "number", "created": "opened_at", "solved": "resolved_at", "channel": "contact_type",
        "customer_id": "caller_id", "agent": "assigned_to"}
    assert "ticket_id" not in pairs("tickets", ["Number", "Created", "Status"])   # "Number" alone is no vendor's id


def test_type_is_a_channel_only_in_helpscout_exports():
    assert "Type" not in pairs("tickets", FRESHDESK).values()
    assert "Type" not in pairs("tickets", ["Ticket id", "Created", "Type"]).values()


@pytest.mark.parametrize(("headers", "vendor"), [(ZENDESK, "Zendesk"), (FRESHDESK, "Freshdesk"),
                                                 (INTERCOM, "Intercom"), (HELPSCOUT, "Help Scout"),
                                                 (SERVICENOW, "ServiceNow"), (JSM, "Jira Service Management"),
                                                 (ZOHO, "Zoho Desk"), (HUBSPOT, "HubSpot"), (KPI_SHEET, None), (["Id", "Created at", "Status"], None), ([], None)])
def test_detect_vendor(headers, vendor):
    assert detect_vendor(headers) == vendor


@pytest.mark.parametrize(("headers", "table"), [
    (ZENDESK, "tickets"), (FRESHDESK, "tickets"), (INTERCOM, "tickets"), (HELPSCOUT, "tickets"), (SERVICENOW, "tickets"),
    (JSM, "tickets"), (ZOHO, "tickets"), (HUBSPOT, "tickets"),
    (STRIPE_SUBSCRIPTIONS, "customers"), (["Customer", "Customer since", "MRR", "Plan"], "customers"),
    (KPI_SHEET, "kpis"), (["Miesiąc", "Zgłoszenia", "Klienci"], "kpis"),
    (["Foo", "Bar"], None), ([], None),
    # incomplete: no table has all its required fields (an event log, a ticket list without dates)
    (["Case ID", "Activity", "Resource", "Complete Timestamp", "customer", "product"], None),
    (["Ticket ID", "Subject", "Status"], None)])
def test_guess_table(headers, table):
    assert guess_table(headers) == table


def test_stripe_subscriptions_export_maps_to_customers():
    assert pairs("customers", STRIPE_SUBSCRIPTIONS) == {
        "customer_id": "Customer ID", "start": "Start (UTC)", "end": "Ended At (UTC)", "plan": "Plan"}


def test_kpi_sheet_maps_every_column():
    m = suggest_mapping("kpis", KPI_SHEET)
    assert [f for f, _ in m.columns] == [f.name for f in TABLES["kpis"]]
    assert m.as_dict()["csat_pct"] == "CSAT" and m.as_dict()["expansion_mrr"] == "Expansion MRR"


# --- languages and normalisation -----------------------------------------------------------------

def test_russian_polish_hungarian_ticket_headers():
    assert pairs("tickets", ["Номер заявки", "Дата создания", "Дата первого ответа", "Дата решения", "Канал",
                             "Оценка", "Оператор", "Время ожидания"]) == {
        "ticket_id": "Номер заявки", "created": "Дата создания", "first_reply": "Дата первого ответа",
        "solved": "Дата решения", "channel": "Канал", "rating": "Оценка",
        "agent": "Оператор", "wait_h": "Время ожидания"}
    assert pairs("tickets", ["ID zgłoszenia", "Data utworzenia", "Czas pierwszej odpowiedzi", "Data rozwiązania",
                             "Kanał", "Klient"]) == {
        "ticket_id": "ID zgłoszenia", "created": "Data utworzenia", "first_response_h": "Czas pierwszej odpowiedzi",
        "solved": "Data rozwiązania", "channel": "Kanał", "customer_id": "Klient"}
    assert pairs("tickets", ["Jegyazonosító", "Létrehozva", "Megoldva", "Csatorna", "Ügyfél", "Értékelés"]) == {
        "ticket_id": "Jegyazonosító", "created": "Létrehozva", "solved": "Megoldva", "channel": "Csatorna",
        "customer_id": "Ügyfél", "rating": "Értékelés"}


def test_german_headers_of_the_three_tables():
    """EUR cases read numbers the German way; their exports' German headers are read too (an Austrian billing
    export's 'Kundennr;Beginn;Ende;Monatsumsatz' was left to be mapped by hand)."""
    assert pairs("tickets", ["Ticket-ID", "Erstellt am", "Erste Antwort am", "Gelöst am", "Kanal", "Zufriedenheit",
                             "Bearbeiter", "Kunden-ID", "Wartezeit"]) == {
        "ticket_id": "Ticket-ID", "created": "Erstellt am", "first_reply": "Erste Antwort am", "solved": "Gelöst am",
        "channel": "Kanal", "rating": "Zufriedenheit", "agent": "Bearbeiter", "customer_id": "Kunden-ID",
        "wait_h": "Wartezeit"}
    assert pairs("customers", ["Kundennr.", "Beginn", "Ende", "Monatsumsatz", "Tarif", "Beschwerde"]) == {
        "customer_id": "Kundennr.", "start": "Beginn", "end": "Ende", "mrr": "Monatsumsatz", "plan": "Tarif",
        "complained": "Beschwerde"}
    assert guess_table(["Kundennr.", "Beginn", "Ende", "Monatsumsatz"]) == "customers"
    assert pairs("kpis", ["Monat", "Anfragen", "Erste Antwortzeit", "Kundenzufriedenheit", "Kunden", "Kündigungen",
                          "Umsatz", "Supportkosten"]) == {
        "month": "Monat", "tickets": "Anfragen", "first_response_h": "Erste Antwortzeit",
        "csat_pct": "Kundenzufriedenheit", "customers": "Kunden", "churned": "Kündigungen", "mrr": "Umsatz",
        "support_cost": "Supportkosten"}
    assert normalise_channels(pd.Series(["Anruf", "Kontaktformular", "E-Mail", "Telefon"])).tolist() == [
        "phone", "email", "email", "phone"]


def test_russian_customer_headers_and_yo_spelling():
    assert pairs("customers", ["ID клиента", "Дата начала", "Дата оттока", "Удовлетворённость", "Тариф"]) == {
        "customer_id": "ID клиента", "start": "Дата начала", "end": "Дата оттока", "csat": "Удовлетворённость",
        "plan": "Тариф"}


def test_matching_ignores_case_accents_punctuation_and_underscores():
    assert pairs("tickets", ["TICKET_ID", "created-at", "  Data   utworzenia  ", "letrehozva"]) == {
        "ticket_id": "TICKET_ID", "created": "created-at"}
    assert pairs("tickets", ["Letrehozva", "kanal", "Jegy"])["created"] == "Letrehozva"
    assert normalise_header("First_response time (in hrs)") == "first response time in hrs"
    assert normalise_header("primaryCustomer.email") == "primary customer email"


def test_leading_object_word_is_tried_away():
    assert pairs("tickets", ["Ticket number", "Ticket created at", "Ticket solved at"]) == {
        "ticket_id": "Ticket number", "created": "Ticket created at", "solved": "Ticket solved at"}


def test_unknown_and_business_hours_headers_are_left_unmapped():
    m = suggest_mapping("tickets", ["Id", "Created at", "Subject", "Foo bar", "Tags",
                                    "First reply time in minutes within business hours"])
    assert m.as_dict() == {"ticket_id": "Id", "created": "Created at"}


def test_each_column_and_each_field_used_once():
    headers = ["created", "Created at", "Created", "ticket id", "Id"]
    m = suggest_mapping("tickets", headers)
    columns = [c for _, c in m.columns]
    assert len(columns) == len(set(columns)) == 2
    assert {f for f, _ in m.columns} == {"ticket_id", "created"}


def test_resolution_beats_closing():
    assert pairs("tickets", ["Ticket id", "Created", "Closed at", "Resolved at"])["solved"] == "Resolved at"
    assert pairs("tickets", FRESHDESK)["solved"] == "Resolved time"
    assert pairs("tickets", ["Ticket id", "Created", "Closed at"])["solved"] == "Closed at"


def test_missing_required():
    assert missing_required(suggest_mapping("tickets", ["Subject", "Via"])) == ("ticket_id", "created")
    assert missing_required(suggest_mapping("tickets", ZENDESK)) == ()
    assert missing_required(Mapping("customers")) == ("customer_id", "start")


# --- JSON ----------------------------------------------------------------------------------------

def test_mapping_round_trips_through_json():
    m = suggest_mapping("tickets", INTERCOM + ["Дата создания"])
    text = m.to_json()
    assert Mapping.from_json(text) == m
    assert "Conversation started at (America/New_York)" in text


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", '"table" and "columns"'),
    ('{"table": "tickets"}', '"table" and "columns"'),
    ('{"table": "orders", "columns": {}}', "unknown table 'orders'"),
    ('{"table": ["tickets"], "columns": {}}', "unknown table"),
    ('{"table": "tickets", "columns": [["ticket_id", "Id"]]}', "must be an object"),
    ('{"table": "tickets", "columns": {"ticket_id": "Id", "colour": "Via"}}', "no field 'colour'"),
    ('{"table": "tickets", "columns": {"ticket_id": "Id", "agent": "Id"}}', "'Id' is used more than once"),
    ('{"table": "tickets", "columns": {"ticket_id": "Id", "ticket_id": "Key"}}', "'ticket_id' more than once"),
    ('{"table": "tickets", "columns": {"ticket_id": ""}}', "non-empty text"),
    ('{"table": "tickets", "columns": {"ticket_id": 7}}', "non-empty text"),
])
def test_bad_json_is_refused_with_a_message(text, message):
    with pytest.raises(ValueError, match=message):
        Mapping.from_json(text)


def test_mapping_validates_when_built_directly():
    with pytest.raises(ValueError, match="no field 'start'"):
        Mapping("tickets", (("start", "Start"),))
    assert Mapping("kpis", [["month", "Month"]]).columns == (("month", "Month"),)


# --- channels ------------------------------------------------------------------------------------

def test_channel_words_of_each_export():
    raw = pd.Series(["web", "Mail", "API", "Web Form", "Chat", "native_messaging", "Voice", "Portal",
                     "Feedback Widget", "Phone", "Outbound Email", "WhatsApp", "Twitter", " Carrier Pigeon ",
                     None, ""], index=range(10, 26), dtype="str")
    out = normalise_channels(raw)
    assert out.index.equals(raw.index)
    assert out.iloc[:14].tolist() == ["email", "email", "email", "email", "chat", "chat", "phone", "email",
                                      "email", "phone", "email", "chat", "social", "carrier pigeon"]
    assert out.iloc[14:].isna().all()


def test_channel_aliases_keys_are_normalised_and_targets_known():
    assert all(k == " ".join(k.casefold().split()) and "_" not in k for k in CHANNEL_ALIASES)
    assert set(CHANNEL_ALIASES.values()) == {"email", "chat", "phone", "social"}


def test_normalise_channels_object_series_with_nan():
    out = normalise_channels(pd.Series(["E-mail", np.nan, "Телефон"], dtype=object))
    assert out.iloc[0] == "email" and pd.isna(out.iloc[1]) and out.iloc[2] == "phone"


# --- templates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("table", list(TABLES))
def test_template_reads_back_to_the_schema_and_needs_no_mapping(table):
    raw = template_csv(table)
    assert not raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(frame.columns) == [f.name for f in TABLES[table]]
    assert len(frame) == 3
    for f in TABLES[table]:
        if f.required:
            assert (frame[f.name] != "").all()
    mapping = suggest_mapping(table, list(frame.columns))
    assert missing_required(mapping) == ()
    assert mapping.columns == tuple((f.name, f.name) for f in TABLES[table])
    assert guess_table(list(frame.columns)) == table


def test_ticket_template_shows_iso_offsets_and_consistent_durations():
    frame = pd.read_csv(io.BytesIO(template_csv("tickets")), dtype=str, keep_default_na=False)
    created = pd.to_datetime(frame["created"], format="ISO8601", utc=True)
    replied = pd.to_datetime(frame["first_reply"].replace("", None), format="ISO8601", utc=True)
    hours = ((replied - created) / pd.Timedelta(hours=1)).dropna()
    assert np.allclose(hours, frame.loc[hours.index, "first_response_h"].astype(float))
    assert frame["created"].str.contains(r"[+-]\d\d:\d\d$|Z$").all()


@pytest.mark.parametrize("table", list(TABLES))
def test_template_notes_document_every_column(table):
    notes = template_notes(table)
    for f in TABLES[table]:
        row = next(line for line in notes.splitlines() if line.startswith(f"| `{f.name}` |"))
        assert f.help in row
        assert ("**required**" in row) == f.required


def test_a_servicenow_export_whose_last_month_is_cut_short_loads_and_says_so():
    from intake.uploads import load
    rng = np.random.default_rng(2)
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.random(3000) * 90, unit="D")
    stamps = [*created.strftime("%Y-%m-%d %H:%M:%S"), "2024-04-02 10:00:00", "2024-04-03 11:00:00"]
    frame = pd.DataFrame({"number": [f"INC{i:07d}" for i in range(len(stamps))], "opened_at": stamps,
                          "resolved_at": "", "contact_type": rng.choice(["email", "phone", "self-service"],
                                                                         len(stamps)),
                          "caller_id": "Abel Tuter", "assigned_to": "Beth Anglin"})
    loaded = load(frame.to_csv(index=False).encode("utf-8"), "incident.csv")        # table and mapping guessed
    assert loaded.table == "tickets" and loaded.usable and len(loaded.validated.frame) == 3002
    said = [p.text() for p in loaded.all_problems()]
    assert any("the monthly volume falls by more than 80%: Apr 2024 holds 2 against" in t for t in said)


def test_why_a_header_row_reads_as_a_table_is_said_in_words():
    from intake.uploads import why_table
    assert why_table(SERVICENOW, "tickets") == (
        "a ServiceNow export: ticket id in 'number', created in 'opened_at', solved at in 'resolved_at', channel in "
        "'contact_type', customer id in 'caller_id', agent in 'assigned_to'")
    assert why_table(KPI_SHEET, "kpis").startswith("month in 'Month', tickets in 'Tickets'")
    assert "CSAT in 'CSAT'" in why_table(KPI_SHEET, "kpis")
    assert why_table(["Foo"], "customers") == "no column matches a field of this table"


def test_a_duration_unit_named_by_the_user_is_used_kept_and_checked():
    from intake.uploads import read_table, retype
    raw = read_table(b"id,opened,wait\n1,2024-03-04 09:00,90\n2,2024-03-04 10:00,3600\n", "calls.csv")
    plain = Mapping("tickets", (("ticket_id", "id"), ("created", "opened"), ("first_response_h", "wait")))
    hours = retype(raw, table="tickets", mapping=plain).validated
    assert hours.frame["first_response_h"].tolist() == [90.0, 3600.0]                 # no unit said: hours
    assert any("the header names no unit" in n for n in hours.notes)
    seconds = Mapping("tickets", plain.columns, (("first_response_h", "s"),))
    typed = retype(raw, table="tickets", mapping=seconds).validated
    assert typed.frame["first_response_h"].tolist() == [pytest.approx(0.025), 1.0]
    assert Mapping.from_json(seconds.to_json()) == seconds                          # saved with the mapping
    assert Mapping.from_json(plain.to_json()) == plain and '"units"' not in plain.to_json()
    with pytest.raises(ValueError, match="not a duration"):
        Mapping("tickets", plain.columns, (("created", "s"),))
    with pytest.raises(ValueError, match="not a time unit"):
        Mapping("tickets", plain.columns, (("first_response_h", "fortnights"),))


# --- values written in two columns ------------------------------------------------------------------

CALL_LOG = (b"line\tcall_id\tdate\tentry\tq_time\toutcome\n"
            b"AA01\t101\t990201\t7:02:47\t0\tAGENT\n"
            b"AA02\t101\t990201\t23:59:59\t35\tHANG\n"       # the same call number on another line
            b"AA01\t102\t990202\t0:00:05\t12\tAGENT\n")


def test_a_date_and_its_clock_in_two_columns_and_a_key_in_two_parts_are_read_together():
    from intake.uploads import read_table, retype
    raw = read_table(CALL_LOG, "calls.tsv")
    mapping = Mapping("tickets", (("ticket_id", "line"), ("created", "date"), ("wait_h", "q_time"),
                                  ("abandoned", "outcome")),
                      units=(("wait_h", "s"),), paired=(("ticket_id", "call_id"), ("created", "entry")))
    typed = retype(raw, table="tickets", mapping=mapping, assume_tz="Asia/Jerusalem").validated
    assert typed.usable and len(typed.frame) == 3 and not typed.problems
    assert typed.frame["ticket_id"].tolist() == ["AA01 / 101", "AA02 / 101", "AA01 / 102"]
    assert typed.frame["created"].tolist() == [pd.Timestamp("1999-02-01 05:02:47", tz="UTC"),   # UTC+2 in winter
                                               pd.Timestamp("1999-02-01 21:59:59", tz="UTC"),
                                               pd.Timestamp("1999-02-01 22:00:05", tz="UTC")]
    assert typed.frame["abandoned"].tolist() == [False, True, False]
    assert any(n.startswith("date + entry: YYMMDD dates") for n in typed.notes)
    assert Mapping.from_json(mapping.to_json()) == mapping and '"paired"' in mapping.to_json()
    one_column = retype(raw, table="tickets", mapping=Mapping("tickets", (("ticket_id", "call_id"), ("created", "date"))))
    said = [p.text() for p in one_column.validated.problems]
    assert len(one_column.validated.frame) == 2
    assert any("the ticket id repeats" in t and "choose the second under Columns" in t for t in said)


def test_a_bad_or_half_empty_date_and_clock_is_named_and_its_row_skipped():
    from intake.uploads import read_table, retype
    raw = read_table(b"id,day,clock\n1,2024-03-04,09:00\n2,2024-03-04,25:00\n3,,10:00\n4,2024-03-05 08:00,10:00\n"
                     b"5,2024-03-06,7:15 PM\n", "x.csv")
    mapping = Mapping("tickets", (("ticket_id", "id"), ("created", "day")), paired=(("created", "clock"),))
    typed = retype(raw, table="tickets", mapping=mapping).validated
    assert typed.frame["ticket_id"].tolist() == ["1", "5"]
    assert typed.frame["created"].iloc[1] == pd.Timestamp("2024-03-06 19:15", tz="UTC")
    bad = next(p for p in typed.problems if p.column == "day' + 'clock")
    assert bad.rows == (3, 4, 5) and "'2024-03-04 25:00'" in bad.text() and "Those rows were skipped" in bad.text()
    gone = retype(raw, table="tickets", mapping=Mapping("tickets", mapping.columns, paired=(("created", "hour"),)))
    assert not gone.usable and any("'hour'" in p.text() and "not in the file" in p.text()
                                   for p in gone.validated.problems)


@pytest.mark.parametrize(("paired", "message"), [
    ((("channel", "b"),), "not a date-time or an id"),
    ((("solved", "b"),), "no first one"),
    ((("created", "id"),), "used more than once"),
    ((("created", "b"), ("ticket_id", "b")), "used more than once"),
    ((("created", " "),), "non-empty text")])
def test_a_second_column_is_checked_when_the_mapping_is_built(paired, message):
    with pytest.raises(ValueError, match=message):
        Mapping("tickets", (("ticket_id", "id"), ("created", "day"), ("channel", "via")), paired=paired)


def test_a_date_column_beside_a_time_column_is_suggested_as_one():
    assert suggest_mapping("tickets", ["Ticket", "Created date", "Created time", "Channel"]).paired == (
        ("created", "Created time"),)
    assert suggest_mapping("tickets", ["Call id", "Date", "Time", "Agent"]).paired == (("created", "Time"),)
    assert suggest_mapping("tickets", ["Ticket", "Created at", "Time"]).paired == ()


def test_a_log_with_a_date_column_is_not_a_monthly_kpi_table():
    assert guess_table(["vru+line", "call_id", "customer_id", "date", "vru_entry", "q_time", "outcome"]) == "tickets"
    assert guess_table(["customer", "date", "amount"]) is None          # a purchase log: the user chooses
    assert guess_table(["Month"]) is None and guess_table(["Month", "Tickets"]) == "kpis"


def test_jira_service_management_zoho_desk_and_hubspot_exports_map_to_their_fields():
    assert pairs("tickets", JSM) == {
        "ticket_id": "Issue key", "created": "Created", "first_reply": "Custom field ([CHART] Date of First Response)",
        "solved": "Resolved", "channel": "Custom field (Source)", "rating": "Satisfaction rating",
        "customer_id": "Reporter Id", "agent": "Assignee"}            # the SLA clocks (time left) stay unmapped
    assert pairs("tickets", ZOHO) == {
        "ticket_id": "Request Id", "created": "Created Time", "solved": "Ticket Closed Time", "channel": "Channel",
        "rating": "Happiness Rating", "customer_id": "Contact ID", "agent": "Ticket Owner"}
    assert pairs("tickets", HUBSPOT) == {
        "ticket_id": "Ticket ID", "created": "Create date", "first_reply": "First agent email response date",
        "first_response_h": "Time to first agent email reply", "solved": "Close date",
        "resolution_h": "Time to close (HH:mm:ss)", "channel": "Source", "customer_id": "Associated Contact IDs",
        "agent": "Ticket owner"}
    # Zoho's analytics export writes its first response as a time; elsewhere "First Response Time" is a duration
    assert pairs("tickets", ["Ticket Id", "Created Time (Ticket)", "Request Id", "Ticket Closed Time",
                             "First Response Time"])["first_reply"] == "First Response Time"
    assert pairs("tickets", HELPSCOUT)["first_response_h"] == "First Response Time"


def test_hubspot_api_durations_in_milliseconds():
    from intake.uploads import read_table, retype
    from intake.uploads.convert import unit_of_header
    assert unit_of_header("time_to_close (ms)") == "ms" and unit_of_header("Time to close (HH:mm:ss)") is None
    raw = read_table(b"hs_ticket_id,createdate,time_to_first_agent_reply,source_type\n"
                     b"1,2024-03-04T09:00:00Z,5400000,EMAIL\n2,2024-03-04T10:00:00Z,90000,CHAT\n", "tickets.csv")
    mapping = suggest_mapping("tickets", list(raw.frame.columns))
    mapping = Mapping("tickets", mapping.columns, (("first_response_h", "ms"),))
    typed = retype(raw, table="tickets", mapping=mapping).validated
    assert typed.frame["first_response_h"].tolist() == pytest.approx([1.5, 0.025])
    assert typed.frame["channel"].tolist() == ["email", "chat"]


def test_a_measure_that_holds_one_value_in_every_row_is_named():
    from intake.uploads import read_table, retype
    rows = "".join(f"{i},2024-03-{1 + i % 28:02d} 09:00,5,{'Good' if i % 3 else 'Bad'},email\n" for i in range(30))
    raw = read_table(("id,created,rating_scale,rating,via\n" + rows).encode(), "t.csv")
    mapping = Mapping("tickets", (("ticket_id", "id"), ("created", "created"), ("first_response_h", "rating_scale"),
                                  ("rating", "rating"), ("channel", "via")))
    typed = retype(raw, table="tickets", mapping=mapping).validated
    said = [p.text() for p in typed.problems]
    assert said == ["t.csv, column 'rating_scale': every one of its 30 values is '5'. It was kept, but it tells "
                    "nothing apart: if the export wrote a default or a filter left one value, leave the column out "
                    "under Columns."]                              # one channel is a fact, not a finding
    assert typed.usable and len(typed.frame) == 30


def test_a_key_with_one_of_its_two_parts_empty_is_named_as_such():
    from intake.uploads import read_table, retype
    raw = read_table(b"line,call,created\nA,1,2024-03-01\nA,,2024-03-02\n,2,2024-03-03\n", "calls.csv")
    mapping = Mapping("tickets", (("ticket_id", "line"), ("created", "created")), paired=(("ticket_id", "call"),))
    typed = retype(raw, table="tickets", mapping=mapping).validated
    assert typed.frame["ticket_id"].tolist() == ["A / 1"]
    said = [p.text() for p in typed.problems]
    assert said == ["calls.csv, column 'line' + 'call': 2 key(s) have one of their two parts empty (rows 3, 4). "
                    "Examples: 'A ', ' 2'. Those rows were skipped."]


def test_an_end_written_as_a_day_on_which_it_happened_maps_to_end():
    """"Cancelled on" beside "Start date": a CRM's account export; its end was left unmapped."""
    got = dict(suggest_mapping("customers", ["Account ID", "Start date", "Cancelled on", "MRR", "Region"]).columns)
    assert got == {"customer_id": "Account ID", "start": "Start date", "end": "Cancelled on", "mrr": "MRR"}
    assert dict(suggest_mapping("customers", ["id", "signup date", "churned on"]).columns)["end"] == "churned on"


def test_a_websites_chat_is_chat_whatever_the_help_desk_calls_it():
    words = pd.Series(["Chat widget", "Web chat", "WebChat", "Website chat", "In-app chat"], dtype="str")
    assert normalise_channels(words).tolist() == ["chat"] * 5


def test_more_export_words_and_headers_are_known():
    words = pd.Series(["Facebook Messenger", "self-service", "virtual_agent", "Forums", "walk-in"], dtype="str")
    assert normalise_channels(words).tolist() == ["chat", "email", "chat", "social", "walk-in"]
    jira = ["Summary", "Issue key", "Created", "Resolved", "Custom field (Satisfaction)",
            "Custom field (Satisfaction date)"]
    assert suggest_mapping("tickets", jira).as_dict()["rating"] == "Custom field (Satisfaction)"
    assert suggest_mapping("tickets", ["Ticket ID", "Created at", "Satisfaction survey"]).as_dict()["rating"] == \
        "Satisfaction survey"

    polish_kpis = ["Miesiąc", "Zgłoszenia", "Śr. czas pierwszej odpowiedzi (h)", "CSAT", "Klienci", "Odeszli"]
    assert suggest_mapping("kpis", polish_kpis).as_dict() == {
        "month": "Miesiąc", "tickets": "Zgłoszenia", "first_response_h": "Śr. czas pierwszej odpowiedzi (h)",
        "csat_pct": "CSAT", "customers": "Klienci", "churned": "Odeszli"}

    zoho = ["Ticket Id", "Ticket Owner", "Created Time", "First Response Time", "Closed Time", "Channel",
            "Happiness Rating", "Contact Name"]
    assert suggest_mapping("tickets", zoho).as_dict()["first_reply"] == "First Response Time"      # Zoho's, a moment
