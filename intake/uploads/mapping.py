"""Help-desk and billing export headers -> the canonical fields of :mod:`intake.uploads.schema`.

A :class:`Mapping` says which file column feeds which canonical field of a table; it is what the
upload page shows, what the user corrects, and what is saved (as JSON) with a scenario.
:func:`suggest_mapping` makes the first guess from a header row, using the alias tables below: the
column names that Zendesk, Freshdesk, Help Scout, Intercom, ServiceNow, Jira Service Management, Zoho Desk and
HubSpot exports use, the common billing
exports (Stripe, Chargebee, ProfitWell/Baremetrics/ChartMogul), plain English names, and their
usual Russian, Polish and Hungarian equivalents.

Headers are compared after :func:`normalise_header` (case, accents, punctuation, spaces,
underscores and camelCase folded), and a second time without what they carry in brackets, so
``"First response time (in hrs)"``, ``"Created (UTC)"`` and ``"Conversation started at
(Europe/Warsaw)"`` match their alias. The unit or time zone in brackets is *not* applied here: the
column is only mapped, and :func:`intake.uploads.convert.unit_of_header` reads the unit off the original
header when the column is parsed.

Each alias has a rank: 0 for a vendor's own column or the canonical name, 1 for a generic name,
2 for a weaker stand-in (a requester's e-mail for a customer id, the closing time for the
resolution time). When two columns could feed one field, the better rank wins; every file column
feeds at most one field and every field takes at most one column.

Business-hours variants ("... within business hours", "... only within office hours") are left
unmapped on purpose: the product measures waiting in calendar time.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from intake.uploads.schema import TABLE_LABELS, TABLES, TableName

VENDORS = ("Zendesk", "Freshdesk", "Help Scout", "Intercom", "ServiceNow", "Jira Service Management", "Zoho Desk",
           "HubSpot")


# --- header normalisation ------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_BRACKETED = re.compile(r"[(\[{][^)\]}]*[)\]}]")
_NOT_WORD = re.compile(r"[^\w%]+")


def normalise_header(text: str) -> str:
    """``text`` folded for comparison: accents, case, punctuation, underscores and camelCase.

    >>> normalise_header("  First_response time (in hrs) ")
    'first response time in hrs'
    >>> normalise_header("primaryCustomer.email")
    'primary customer email'
    >>> normalise_header("Létrehozva")
    'letrehozva'
    """
    return _fold(_CAMEL.sub(" ", str(text)))


def _fold(text: str) -> str:
    """Accents, case, punctuation and underscores folded; words split on single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", ""))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold().replace("_", " ")).split())


def _keys(header: str) -> tuple[str, ...]:
    """The normalised header, then the header without its bracketed parts (unit, zone, "[list]")."""
    full = normalise_header(header)
    bare = normalise_header(_BRACKETED.sub(" ", str(header)))
    return (full,) if bare == full or not bare else (full, bare)


# --- alias tables --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Alias:
    """One column name an export uses for a canonical field.

    ``vendor_only`` marks a name that means this field only in that vendor's export (Help Scout's
    "Type" is the channel; Freshdesk's "Type" is the kind of question), so it is used only when
    :func:`detect_vendor` recognises that vendor.
    """

    field: str
    name: str
    source: str
    rank: int = 1
    vendor_only: bool = False


def _a(field: str, source: str, *names: str, rank: int = 1, vendor_only: bool = False) -> tuple[Alias, ...]:
    return tuple(Alias(field, n, source, rank, vendor_only) for n in names)


def _canonical(table: TableName) -> tuple[Alias, ...]:
    """Each field's canonical name and label (the templates' headers), at rank 0."""
    return tuple(a for f in TABLES[table] for a in _a(f.name, "canonical", f.name, f.label, rank=0))


# Zendesk Support, CSV export of tickets (Admin Center > Account > Tools > Reports > Export;
# support.zendesk.com/hc/en-us/articles/4408886165402). The article does not list the columns; the
# header row used here is the one the export writes ("Summation column", "Id", "Requester",
# "Requester id", ..., "Via", "Created at", "Solved at", "Satisfaction Score", "Replies",
# "First reply time in minutes", "Full resolution time in minutes", ...), as reproduced verbatim by
# public scripts that rebuild or parse that file (found with code search). The durations are the
# calendar-time values of the Ticket Metrics API (developer.zendesk.com/rest_api/docs/core/
# ticket_metrics: reply_time_in_minutes, full_resolution_time_in_minutes, replies ...), whose
# snake_case names are accepted too.
_ZENDESK_TICKETS = (
    _a("ticket_id", "Zendesk", "Id", rank=0)
    + _a("created", "Zendesk", "Created at", rank=0)
    + _a("solved", "Zendesk", "Solved at", rank=0)
    + _a("channel", "Zendesk", "Via", rank=0)
    + _a("rating", "Zendesk", "Satisfaction Score", "satisfaction_rating", rank=0)
    + _a("agent", "Zendesk", "Assignee", rank=0)
    + _a("customer_id", "Zendesk", "Requester id", "requester_id", rank=0)
    + _a("customer_id", "Zendesk", "Requester external id", "Requester email", rank=2)
    + _a("first_response_h", "Zendesk", "First reply time in minutes", "reply_time_in_minutes",
         "first_reply_time_in_minutes", rank=0)
    + _a("resolution_h", "Zendesk", "Full resolution time in minutes", rank=0)
    + _a("resolution_h", "Zendesk", "First resolution time in minutes", rank=2)
    + _a("replies", "Zendesk", "Replies", rank=0)
)

# Freshdesk, ticket export (Tickets > Export, CSV or Excel). The labels are those of Freshdesk's own
# export field list (display_id 'Ticket ID', created_at 'Created time', resolved_at 'Resolved time',
# closed_at 'Closed time', first_response_time 'Initial response time' -- a time, not a duration --,
# first_res_time_bhrs 'First response time (in hrs)', resolution_time_bhrs 'Resolution time (in hrs)',
# outbound_count 'Agent interactions', source_name 'Source', responder_name 'Agent', 'Time tracked',
# 'Survey results'; contact fields 'Contact ID', 'Email', 'Full name'), seen in a public copy of the
# export's test suite and in many user scripts; Freshservice writes the same names in Title Case
# ("Created Time", "First Response Time (in Hrs)"), which normalise to the same keys. The source
# codes (Email, Portal, Phone, Chat, Feedback Widget, Outbound Email) are in the Tickets API docs
# (developers.freshdesk.com/api/#tickets).
_FRESHDESK_TICKETS = (
    _a("ticket_id", "Freshdesk", "Ticket ID", rank=0)
    + _a("created", "Freshdesk", "Created time", rank=0)
    + _a("first_reply", "Freshdesk", "Initial response time", rank=0)
    + _a("solved", "Freshdesk", "Resolved time", rank=0)
    + _a("solved", "Freshdesk", "Closed time", rank=2)
    + _a("channel", "Freshdesk", "Source", rank=0)
    + _a("agent", "Freshdesk", "Agent", rank=0)
    + _a("first_response_h", "Freshdesk", "First response time (in hrs)", rank=0)
    + _a("resolution_h", "Freshdesk", "Resolution time (in hrs)", rank=0)
    + _a("replies", "Freshdesk", "Agent interactions", rank=0)
    + _a("customer_id", "Freshdesk", "Contact ID", rank=0)
    + _a("customer_id", "Freshdesk", "Requester Email", "Email", rank=2)
    + _a("rating", "Freshdesk", "Survey results", "Survey result", rank=0)
    + _a("handle_time_h", "Freshdesk", "Time tracked", rank=0)
)

# Intercom, Reports > dataset export of the Conversations dataset. Attribute names from Intercom's
# "Reporting metrics & attributes" (intercom.com/help/en/articles/7022438) and "Reporting metrics
# for REST API and CSV exports" (articles/6762778: durations are in seconds); the exported headers
# carry the workspace time zone in brackets, e.g. "Conversation started at (America/New_York)",
# and the unit in brackets, e.g. "First response time (seconds)", "Handling time (seconds)",
# "Time to close (seconds)". API names (created_at, statistics.first_admin_reply_at ...) from the
# Conversation model (developers.intercom.com).
_INTERCOM_TICKETS = (
    _a("ticket_id", "Intercom", "Conversation ID", rank=0)
    + _a("created", "Intercom", "Conversation started at", rank=0)
    + _a("created", "Intercom", "Conversation created at", rank=1)
    + _a("first_reply", "Intercom", "Conversation first replied at", "first_admin_reply_at",
         "statistics.first_admin_reply_at", rank=0)
    + _a("solved", "Intercom", "Conversation last closed at", "last_close_at", "statistics.last_close_at", rank=0)
    + _a("solved", "Intercom", "Conversation first closed at", rank=2)
    + _a("first_response_h", "Intercom", "First response time (seconds)", rank=0)
    + _a("resolution_h", "Intercom", "Time to close (seconds)", rank=0)
    + _a("resolution_h", "Intercom", "Time to first close (seconds)", rank=2)
    + _a("handle_time_h", "Intercom", "Handling time (seconds)", rank=0)
    + _a("channel", "Intercom", "Channel", rank=0)
    + _a("agent", "Intercom", "Teammate currently assigned", rank=0)
    + _a("agent", "Intercom", "Teammate first replied", "Last closed by teammate", rank=2)
    + _a("rating", "Intercom", "Conversation rating", rank=0)
    + _a("rating", "Intercom", "Last teammate rating", rank=1)
    + _a("customer_id", "Intercom", "User ID", rank=0)
    + _a("customer_id", "Intercom", "User email", rank=2)
    + _a("replies", "Intercom", "Replies to close a conversation", rank=2)
)

# ServiceNow, the incident table exported from a list (a column header's menu > Export > CSV, or the list
# URL with ?CSV), which writes each field's name: number (INC0010001), opened_at, resolved_at, closed_at,
# contact_type (the channel: email, phone, self-service, chat, walk-in), caller_id, assigned_to,
# assignment_group, short_description, sys_id. The same fields' labels in the incident dictionary (Number,
# Opened, Resolved, Closed, Channel, Caller, Assigned to) are what an export with display labels writes; seen
# in ServiceNow's incident schema and public copies of instances' incident records.
_SERVICENOW_TICKETS = (
    _a("ticket_id", "ServiceNow", "number", rank=0, vendor_only=True)
    + _a("created", "ServiceNow", "opened_at", "sys_created_on", rank=0)
    + _a("created", "ServiceNow", "Opened", rank=1, vendor_only=True)
    + _a("solved", "ServiceNow", "resolved_at", rank=0)
    + _a("solved", "ServiceNow", "Resolved", rank=1, vendor_only=True)
    + _a("solved", "ServiceNow", "closed_at", rank=2)
    + _a("channel", "ServiceNow", "contact_type", rank=0)
    + _a("customer_id", "ServiceNow", "caller_id", rank=0)
    + _a("customer_id", "ServiceNow", "Caller", rank=1, vendor_only=True)
    + _a("agent", "ServiceNow", "assigned_to", rank=0)
)

# Help Scout. Its help center documents the exports metrics (docs.helpscout.com/article/46-reporting:
# First Response Time, Resolution Time, Handle Time, Replies Sent, Happiness) and its Mailbox API
# the conversation fields (developer.helpscout.com/mailbox-api/endpoints/conversations/get: id,
# number, type = email | chat | phone, status, threads, createdAt, closedAt, assignee,
# primaryCustomer, customerWaitingSince); the column names of its CSV exports are not documented,
# so the names below are those fields and the labels these exports are widely known to use
# ("Conversation ID", "Customer Email", "Assigned To", "Created At", "Closed At").
_HELPSCOUT_TICKETS = (
    _a("ticket_id", "Help Scout", "Conversation ID", rank=0)
    + _a("ticket_id", "Help Scout", "Conversation Number", rank=2)
    + _a("created", "Help Scout", "createdAt", "Created At", rank=0)
    # closing is Help Scout's only resolution stamp, but elsewhere "Closed at" must lose to "Resolved at"
    + _a("solved", "Help Scout", "closedAt", "Closed At", rank=2)
    + _a("channel", "Help Scout", "Type", rank=0, vendor_only=True)
    + _a("agent", "Help Scout", "Assigned To", "assignee", rank=0)
    + _a("customer_id", "Help Scout", "Customer ID", "primaryCustomer.id", rank=0)
    + _a("customer_id", "Help Scout", "Customer Email", "primaryCustomer.email", rank=2)
    + _a("first_response_h", "Help Scout", "First Response Time", rank=0)
    + _a("resolution_h", "Help Scout", "Resolution Time", rank=0)
    + _a("handle_time_h", "Help Scout", "Handle Time", rank=0)
    + _a("replies", "Help Scout", "Replies Sent", rank=0)
    + _a("rating", "Help Scout", "Happiness Rating", rank=0)
)

# Jira Service Management, Issues > Export > CSV (all fields) of a service project. The header row of real exports
# (reproduced in public scripts that parse them): "Summary", "Issue key", "Issue id", "Issue Type", "Status",
# "Priority", "Resolution", "Assignee", "Reporter", "Reporter Id", "Creator", "Created", "Updated", "Resolved",
# "Custom field (Request Type)", "Custom field (Request participants)", "Custom field (Source)",
# "Custom field (Time to first response)", "Custom field (Time to resolution)", "Satisfaction rating" (1-5),
# "Custom field (Satisfaction date)", "Custom field ([CHART] Date of First Response)", "Status Category". Dates are
# written as the site is set, by default "25/Feb/26 10:17 PM". The two SLA columns hold the time *left* on the
# SLA clock ("-02:05" once breached), not the time taken, so they are left unmapped on purpose.
_JSM_TICKETS = (
    _a("ticket_id", "Jira Service Management", "Issue key", rank=0)
    + _a("ticket_id", "Jira Service Management", "Issue id", rank=2)
    + _a("first_reply", "Jira Service Management", "Custom field ([CHART] Date of First Response)", rank=0)
    + _a("channel", "Jira Service Management", "Custom field (Source)", rank=1)
    + _a("customer_id", "Jira Service Management", "Reporter Id", rank=0)
    + _a("customer_id", "Jira Service Management", "Reporter", rank=1)
    + _a("rating", "Jira Service Management", "Custom field (Satisfaction)", rank=0)
)

# Zoho Desk, Setup > Data Administration > Export of the tickets module ("Cases"): "ID", "Request Id" (the number
# agents see), "Contact ID", "Email", "Subject", "Status", "Ticket Owner", "Created Time", "Modified Time",
# "Ticket Closed Time", "Channel" (Email, Phone, Web, Chat, Twitter, Facebook), "Happiness Rating",
# "Agent Responded Time", "Time to Respond", "Customer Response Time", "Number of Threads", "Number of Comments",
# "Is Escalated", "Sub Category", "First assigned time", "SLA Violation Type", "Child Ticket Count", as found in
# public export samples and decoders; the API's names (ticketNumber, createdTime, closedTime, channel, contactId,
# assigneeId) from desk.zoho.com/DeskAPIDocument. Its analytics exports write "Ticket Id", "Created Time (Ticket)"
# and a "First Response Time" that is a date and time, not a duration (hence vendor-only, ahead of Help Scout's).
_ZOHO_TICKETS = (
    _a("ticket_id", "Zoho Desk", "Request Id", "ticketNumber", rank=0)
    + _a("ticket_id", "Zoho Desk", "ID", rank=2)
    + _a("created", "Zoho Desk", "createdTime", rank=0)
    + _a("solved", "Zoho Desk", "Ticket Closed Time", "closedTime", rank=0)
    + _a("agent", "Zoho Desk", "Ticket Owner", rank=0)
    + _a("customer_id", "Zoho Desk", "contactId", rank=0)
    + _a("first_reply", "Zoho Desk", "First Response Time", rank=0, vendor_only=True)
)

# HubSpot, CRM > Tickets > Export. The default ticket properties (knowledge.hubspot.com/properties/hubspots-default-
# ticket-properties; a portal's property list, 2025): "Ticket ID" (hs_ticket_id), "Ticket name" (subject),
# "Pipeline", "Ticket status" (hs_pipeline_stage), "Create date" (createdate), "Close date" (closed_date), "Ticket
# owner" (hubspot_owner_id), "Priority", "Source" (source_type: CHAT, EMAIL, FORM, PHONE), "Time to close"
# (time_to_close), "Time to first agent email reply" (time_to_first_agent_reply; "Time to first agent reply" before),
# "First agent email response date" (first_agent_reply_date). The API gives durations in milliseconds (named so in
# the header, or chosen under Columns); an export writes them as "HH:mm:ss" text, which is read as such. Exports of
# other HubSpot objects name the contact "Associated Contact IDs" and "Associated Contact".
_HUBSPOT_TICKETS = (
    _a("ticket_id", "HubSpot", "hs_ticket_id", rank=0)
    + _a("created", "HubSpot", "Create date", "createdate", rank=0)
    + _a("solved", "HubSpot", "Close date", "closed_date", rank=0)
    + _a("channel", "HubSpot", "source_type", rank=0)
    + _a("agent", "HubSpot", "hubspot_owner_id", rank=1)
    + _a("first_response_h", "HubSpot", "Time to first agent email reply", "Time to first agent reply",
         "time_to_first_agent_reply", rank=0)
    + _a("resolution_h", "HubSpot", "Time to close", "time_to_close", rank=0)
    + _a("first_reply", "HubSpot", "First agent email response date", "First agent reply date",
         "first_agent_reply_date", "hs_first_agent_message_sent_at", rank=0)
    + _a("customer_id", "HubSpot", "Associated Contact IDs", rank=1)
    + _a("customer_id", "HubSpot", "Associated Contact", rank=2)
)

_GENERIC_TICKETS = (
    _a("ticket_id", "English", "ticket id", "ticket", "ticket number", "ticket no", "case id", "case number",
       "request id", "incident id", "issue id", "conversation", "call id", "call number", "interaction id", "id")
    + _a("created", "English", "created", "created date", "creation date", "creation time", "date created",
         "opened", "opened at", "open date", "submitted at", "received at", "ticket created at")
    + _a("created", "English", "date", rank=2)
    + _a("first_reply", "English", "first reply", "first reply at", "first replied at", "first response at",
         "first responded at", "first response date", "first reply date", "responded at", "first agent reply at")
    + _a("first_response_h", "English", "first reply time", "time to first response", "time to first reply",
         "first response", "frt", "first response hours", "first response minutes", "response time")
    + _a("solved", "English", "solved", "resolved", "resolved at", "resolved date", "resolution date",
         "date resolved", "date solved")
    + _a("solved", "English", "closed", "closed at", "closed date", "date closed", "close date", rank=2)
    + _a("resolution_h", "English", "time to resolution", "time to resolve", "full resolution time",
         "resolution hours", "ttr")
    + _a("channel", "English", "channel", "contact channel", "medium", "ticket source")
    + _a("channel", "English", "origin", rank=2)
    + _a("rating", "English", "rating", "satisfaction", "satisfaction rating", "satisfaction survey", "csat",
         "csat score", "csat rating", "customer satisfaction")
    + _a("replies", "English", "agent replies", "number of replies", "reply count", "agent responses",
         "public replies")
    + _a("customer_id", "English", "customer id", "customer", "client id", "client", "account id",
         "requester", "contact id", "contact", "user id")
    + _a("customer_id", "English", "customer email", "requester email", "email", rank=2)
    + _a("agent", "English", "agent name", "owner", "handled by", "teammate", "assigned agent", "responder")
    + _a("region", "English", "region", "time zone", "timezone", "tz", "utc offset", "country")
    + _a("handle_time_h", "English", "handling time", "aht", "talk time", "work time", "time spent",
         "time logged")
    + _a("abandoned", "English", "abandoned", "is abandoned", "abandoned call", "call abandoned", "missed call",
         "missed")
    + _a("wait_h", "English", "wait time", "queue time", "time in queue", "waiting time", "wait", "queue wait")
)

_RUSSIAN_TICKETS = (
    _a("ticket_id", "Russian", "номер заявки", "id заявки", "номер обращения", "id обращения", "номер тикета",
       "заявка", "обращение", "тикет", "идентификатор")
    + _a("created", "Russian", "дата создания", "создано", "создан", "создана", "время создания",
         "дата обращения", "дата регистрации")
    + _a("first_reply", "Russian", "дата первого ответа", "первый ответ")
    + _a("first_response_h", "Russian", "время первого ответа", "время до первого ответа", "время реакции")
    + _a("solved", "Russian", "дата решения", "решено", "время закрытия заявки")
    + _a("solved", "Russian", "дата закрытия", "закрыто", rank=2)
    + _a("resolution_h", "Russian", "время решения", "время до решения", "длительность решения")
    + _a("channel", "Russian", "канал", "источник", "канал обращения")
    + _a("rating", "Russian", "оценка", "удовлетворенность", "оценка удовлетворенности")
    + _a("replies", "Russian", "ответы", "количество ответов", "число ответов")
    + _a("customer_id", "Russian", "клиент", "id клиента", "номер клиента", "заявитель", "контакт")
    + _a("agent", "Russian", "агент", "оператор", "исполнитель", "ответственный", "сотрудник")
    + _a("region", "Russian", "регион", "часовой пояс")
    + _a("handle_time_h", "Russian", "время обработки")
    + _a("abandoned", "Russian", "пропущен", "пропущенный", "брошен")
    + _a("wait_h", "Russian", "время ожидания", "время в очереди")
)

_POLISH_TICKETS = (
    _a("ticket_id", "Polish", "id zgłoszenia", "numer zgłoszenia", "nr zgłoszenia", "zgłoszenie",
       "identyfikator")
    + _a("created", "Polish", "data utworzenia", "utworzono", "utworzone", "data zgłoszenia")
    + _a("first_reply", "Polish", "data pierwszej odpowiedzi", "pierwsza odpowiedź")
    + _a("first_response_h", "Polish", "czas pierwszej odpowiedzi", "czas do pierwszej odpowiedzi",
         "czas reakcji")
    + _a("solved", "Polish", "data rozwiązania", "rozwiązano")
    + _a("solved", "Polish", "data zamknięcia", "zamknięto", rank=2)
    + _a("resolution_h", "Polish", "czas rozwiązania", "czas do rozwiązania")
    + _a("channel", "Polish", "kanał", "źródło")
    + _a("rating", "Polish", "ocena", "zadowolenie", "ocena zadowolenia")
    + _a("replies", "Polish", "odpowiedzi", "liczba odpowiedzi")
    + _a("customer_id", "Polish", "klient", "id klienta", "zgłaszający", "kontakt")
    + _a("agent", "Polish", "konsultant", "przypisany", "przypisany do", "osoba odpowiedzialna")
    + _a("region", "Polish", "strefa czasowa")
    + _a("handle_time_h", "Polish", "czas obsługi")
    + _a("abandoned", "Polish", "porzucone", "porzucony", "nieodebrane")
    + _a("wait_h", "Polish", "czas oczekiwania", "czas w kolejce")
)

_HUNGARIAN_TICKETS = (
    _a("ticket_id", "Hungarian", "jegy azonosító", "jegyazonosító", "jegyszám", "jegy", "azonosító",
       "bejelentés azonosító")
    + _a("created", "Hungarian", "létrehozva", "létrehozás dátuma", "létrehozás ideje", "létrehozás")
    + _a("first_reply", "Hungarian", "első válasz", "első válasz időpontja", "első válasz dátuma")
    + _a("first_response_h", "Hungarian", "első válaszidő", "válaszidő", "reakcióidő")
    + _a("solved", "Hungarian", "megoldva", "megoldás dátuma", "megoldás időpontja")
    + _a("solved", "Hungarian", "lezárva", "lezárás dátuma", rank=2)
    + _a("resolution_h", "Hungarian", "megoldási idő", "megoldás ideje")
    + _a("channel", "Hungarian", "csatorna", "forrás")
    + _a("rating", "Hungarian", "értékelés", "elégedettség")
    + _a("replies", "Hungarian", "válaszok", "válaszok száma")
    + _a("customer_id", "Hungarian", "ügyfél", "ügyfélazonosító", "ügyfél azonosító", "bejelentő")
    + _a("agent", "Hungarian", "ügyintéző", "munkatárs", "felelős", "hozzárendelve")
    + _a("region", "Hungarian", "régió", "időzóna")
    + _a("handle_time_h", "Hungarian", "kezelési idő")
    + _a("abandoned", "Hungarian", "elhagyott", "megszakított")
    + _a("wait_h", "Hungarian", "várakozási idő")
)

_GERMAN_TICKETS = (
    _a("ticket_id", "German", "ticket-id", "ticketnummer", "ticket-nr", "ticketnr", "vorgangsnummer", "vorgang",
       "anfrage-id", "fallnummer")
    + _a("created", "German", "erstellt", "erstellt am", "erstellungsdatum", "erstellungszeit", "angelegt am",
         "eingangsdatum")
    + _a("first_reply", "German", "erste antwort", "erste antwort am", "datum der ersten antwort")
    + _a("first_response_h", "German", "erste antwortzeit", "zeit bis zur ersten antwort", "reaktionszeit")
    + _a("solved", "German", "gelöst", "gelöst am", "lösungsdatum")
    + _a("solved", "German", "geschlossen", "geschlossen am", rank=2)
    + _a("resolution_h", "German", "lösungszeit", "zeit bis zur lösung")
    + _a("channel", "German", "kanal", "quelle", "eingangskanal")
    + _a("rating", "German", "bewertung", "zufriedenheit", "zufriedenheitsbewertung", "kundenzufriedenheit")
    + _a("replies", "German", "antworten", "anzahl antworten")
    + _a("customer_id", "German", "kunde", "kunden-id", "kundennummer", "kundennr", "anfragender")
    + _a("agent", "German", "bearbeiter", "zuständig", "zuständiger agent", "mitarbeiter", "zugewiesen an")
    + _a("region", "German", "zeitzone", "land")
    + _a("handle_time_h", "German", "bearbeitungszeit", "bearbeitungsdauer")
    + _a("abandoned", "German", "abgebrochen", "aufgelegt", "verpasst")
    + _a("wait_h", "German", "wartezeit", "zeit in der warteschlange")
)

# Billing exports. Stripe's subscription and customer exports (Dashboard > Export) write
# "id", "Customer ID", "Customer Email", "Status", "Plan", "Created (UTC)", "Start (UTC)",
# "Start Date (UTC)", "Canceled At (UTC)", "Ended At (UTC)"; Chargebee's exports prefix columns
# with the object ("subscriptions.customer_id", "subscriptions.started_at",
# "subscriptions.cancelled_at", "subscriptions.mrr", "subscriptions.plan_id"); ProfitWell,
# Baremetrics and ChartMogul customer lists show "Customer", "Customer since", "MRR", "Plan".
# Stripe's docs do not list the CSV columns; these are the names these files are widely known to
# have (and that public scripts reading them use). Stripe's "Amount" is per billing interval, not
# per month, so it is not mapped to MRR: the user maps it when every plan is monthly.
_BILLING_CUSTOMERS = (
    _a("customer_id", "Stripe", "Customer ID", rank=0)
    + _a("customer_id", "Stripe", "id", rank=2)
    + _a("customer_id", "Chargebee", "subscriptions.customer_id", "customers.id", rank=0)
    + _a("start", "Stripe", "Start (UTC)", "Start Date (UTC)", rank=0)
    + _a("start", "Stripe", "Created (UTC)", rank=2)
    + _a("start", "Chargebee", "subscriptions.started_at", rank=0)
    + _a("start", "Chargebee", "subscriptions.activated_at", rank=1)
    + _a("end", "Stripe", "Ended At (UTC)", rank=0)
    + _a("end", "Stripe", "Canceled At (UTC)", rank=1)
    + _a("end", "Chargebee", "subscriptions.cancelled_at", rank=0)
    + _a("mrr", "Chargebee", "subscriptions.mrr", rank=0)
    + _a("plan", "Stripe", "Plan", rank=0)
    + _a("plan", "Chargebee", "subscriptions.plan_id", rank=0)
    + _a("start", "ProfitWell/Baremetrics", "Customer since", rank=0)
    + _a("mrr", "ProfitWell/Baremetrics", "MRR", rank=0)
)

_GENERIC_CUSTOMERS = (
    _a("customer_id", "English", "customer", "client id", "client", "account id", "account", "user id",
       "customer email")
    + _a("customer_id", "English", "email", rank=2)
    + _a("start", "English", "start", "start date", "started at", "started", "subscription start",
         "signup date", "signed up at", "sign up date", "activated at", "first payment date", "joined",
         "signed up", "signed up on", "signup", "member since", "joined on")
    + _a("start", "English", "created", "created at", "created date", rank=2)
    + _a("end", "English", "end", "end date", "ended at", "churn date", "churned at", "cancelled at",
         "canceled at", "cancelled on", "canceled on", "churned on", "ended on", "cancellation date",
         "subscription end", "left on")
    + _a("end", "English", "cancelled", "canceled", "churned", rank=2)
    + _a("mrr", "English", "current mrr", "monthly recurring revenue", "mrr now", "end mrr", "monthly spend",
         "monthly revenue", "monthly fee", "monthly amount", "subscription amount per month")
    + _a("start_mrr", "English", "start mrr", "starting mrr", "initial mrr", "mrr at start", "first mrr")
    + _a("nps", "English", "nps", "nps score", "nps answer", "likelihood to recommend")
    + _a("csat", "English", "csat", "csat score", "satisfaction", "satisfaction rating")
    + _a("plan", "English", "plan name", "segment", "tier", "product")
    + _a("complained", "English", "complaint", "complaints", "had complaint", "bad experience")
    + _a("customer_id", "Russian", "клиент", "id клиента", "номер клиента", "код клиента")
    + _a("start", "Russian", "дата начала", "начало", "дата подключения")
    + _a("end", "Russian", "дата окончания", "дата отключения", "дата оттока", "окончание")
    + _a("mrr", "Russian", "ежемесячный доход", "ежемесячная выручка")
    + _a("start_mrr", "Russian", "начальный mrr")
    + _a("nps", "Russian", "оценка nps")
    + _a("csat", "Russian", "удовлетворенность")
    + _a("plan", "Russian", "тариф", "план", "сегмент")
    + _a("complained", "Russian", "жалоба", "жаловался")
    + _a("customer_id", "Polish", "klient", "id klienta", "numer klienta")
    + _a("start", "Polish", "data rozpoczęcia", "początek", "data startu")
    + _a("end", "Polish", "data zakończenia", "data rezygnacji", "koniec")
    + _a("mrr", "Polish", "miesięczny przychód")
    + _a("start_mrr", "Polish", "początkowy mrr")
    + _a("nps", "Polish", "ocena nps")
    + _a("csat", "Polish", "zadowolenie")
    + _a("plan", "Polish", "pakiet", "abonament", "taryfa")
    + _a("complained", "Polish", "skarga", "reklamacja")
    + _a("customer_id", "Hungarian", "ügyfél", "ügyfélazonosító", "ügyfél azonosító")
    + _a("start", "Hungarian", "kezdés", "kezdés dátuma", "kezdő dátum", "előfizetés kezdete")
    + _a("end", "Hungarian", "befejezés", "lemondás dátuma", "megszűnés dátuma", "vége")
    + _a("mrr", "Hungarian", "havi bevétel", "havi ismétlődő bevétel")
    + _a("start_mrr", "Hungarian", "kezdő mrr")
    + _a("csat", "Hungarian", "elégedettség")
    + _a("plan", "Hungarian", "csomag", "díjcsomag", "előfizetés")
    + _a("complained", "Hungarian", "panasz", "panaszt tett")
    + _a("customer_id", "German", "kunde", "kunden-id", "kundennummer", "kundennr")
    + _a("start", "German", "beginn", "startdatum", "vertragsbeginn", "kunde seit", "anmeldedatum", "aktiviert am")
    + _a("end", "German", "ende", "enddatum", "kündigungsdatum", "gekündigt am", "vertragsende")
    + _a("mrr", "German", "monatsumsatz", "monatlicher umsatz", "monatlich wiederkehrender umsatz")
    + _a("start_mrr", "German", "mrr zu beginn", "anfangs-mrr", "start-mrr")
    + _a("nps", "German", "nps-wert", "weiterempfehlung")
    + _a("csat", "German", "zufriedenheit", "kundenzufriedenheit")
    + _a("plan", "German", "tarif", "paket", "abo", "abonnement")
    + _a("complained", "German", "beschwerde", "reklamation", "hat sich beschwert")
)

_GENERIC_KPIS = (
    _a("month", "English", "period", "month start", "reporting month")
    + _a("month", "English", "date", rank=2)
    + _a("tickets", "English", "tickets received", "new tickets", "ticket volume", "volume", "conversations",
         "ticket count")
    + _a("first_response_h", "English", "first response time", "frt", "avg first response time",
         "average first response time", "mean first response time", "first reply time")
    + _a("csat_pct", "English", "csat", "csat %", "csat pct", "csat rate", "satisfaction", "customer satisfaction")
    + _a("nps", "English", "net promoter score", "nps score")
    + _a("customers", "English", "active customers", "customers at start", "customer count")
    + _a("churned", "English", "churned customers", "lost customers", "cancellations")
    + _a("churned", "English", "churn", rank=2)
    + _a("mrr", "English", "monthly recurring revenue")
    + _a("mrr", "English", "revenue", rank=2)
    + _a("expansion_mrr", "English", "expansion", "upsell mrr", "expansion revenue")
    + _a("support_cost", "English", "cost of support", "support costs", "support spend")
    + _a("support_cost", "English", "cost", rank=2)
    + _a("month", "Russian", "месяц", "период")
    + _a("tickets", "Russian", "заявки", "обращения", "количество обращений", "количество заявок")
    + _a("first_response_h", "Russian", "время первого ответа")
    + _a("csat_pct", "Russian", "удовлетворенность")
    + _a("customers", "Russian", "клиенты", "количество клиентов")
    + _a("churned", "Russian", "ушедшие клиенты")
    + _a("churned", "Russian", "отток", rank=2)
    + _a("mrr", "Russian", "выручка", rank=2)
    + _a("support_cost", "Russian", "затраты на поддержку", "стоимость поддержки")
    + _a("month", "Polish", "miesiąc", "okres")
    + _a("tickets", "Polish", "zgłoszenia", "liczba zgłoszeń")
    + _a("first_response_h", "Polish", "czas pierwszej odpowiedzi", "śr. czas pierwszej odpowiedzi",
         "średni czas pierwszej odpowiedzi")
    + _a("csat_pct", "Polish", "zadowolenie")
    + _a("customers", "Polish", "klienci", "liczba klientów")
    + _a("churned", "Polish", "utraceni klienci", "odejścia", "odeszli", "odeszło")
    + _a("mrr", "Polish", "przychód", rank=2)
    + _a("support_cost", "Polish", "koszt wsparcia", "koszty obsługi")
    + _a("month", "Hungarian", "hónap", "időszak")
    + _a("tickets", "Hungarian", "jegyek", "jegyek száma", "bejelentések")
    + _a("first_response_h", "Hungarian", "első válaszidő")
    + _a("csat_pct", "Hungarian", "elégedettség")
    + _a("customers", "Hungarian", "ügyfelek", "ügyfelek száma")
    + _a("churned", "Hungarian", "lemorzsolódott ügyfelek")
    + _a("churned", "Hungarian", "lemorzsolódás", rank=2)
    + _a("mrr", "Hungarian", "bevétel", rank=2)
    + _a("support_cost", "Hungarian", "ügyfélszolgálati költség", "támogatási költség")
    + _a("month", "German", "monat", "zeitraum")
    + _a("tickets", "German", "anfragen", "anzahl tickets", "ticketvolumen")
    + _a("first_response_h", "German", "erste antwortzeit", "durchschnittliche erste antwortzeit")
    + _a("csat_pct", "German", "zufriedenheit", "kundenzufriedenheit")
    + _a("customers", "German", "kunden", "aktive kunden", "anzahl kunden")
    + _a("churned", "German", "verlorene kunden", "kündigungen", "abgänge")
    + _a("churned", "German", "abwanderung", rank=2)
    + _a("mrr", "German", "umsatz", rank=2)
    + _a("expansion_mrr", "German", "expansionsumsatz", "upsell-umsatz")
    + _a("support_cost", "German", "supportkosten", "kosten des supports", "servicekosten")
)

ALIASES: dict[TableName, tuple[Alias, ...]] = {
    "tickets": _canonical("tickets") + _ZENDESK_TICKETS + _FRESHDESK_TICKETS + _INTERCOM_TICKETS
    + _HELPSCOUT_TICKETS + _SERVICENOW_TICKETS + _JSM_TICKETS + _ZOHO_TICKETS + _HUBSPOT_TICKETS + _GENERIC_TICKETS + _RUSSIAN_TICKETS + _POLISH_TICKETS + _HUNGARIAN_TICKETS
    + _GERMAN_TICKETS,
    "customers": _canonical("customers") + _BILLING_CUSTOMERS + _GENERIC_CUSTOMERS,
    "kpis": _canonical("kpis") + _GENERIC_KPIS,
}


def _index(aliases: Iterable[Alias]) -> dict[str, Alias]:
    """Normalised name -> best alias; two fields claiming one name at the same rank is a bug here."""
    out: dict[str, Alias] = {}
    for a in aliases:
        key = normalise_header(a.name)
        old = out.get(key)
        if old is not None and old.field != a.field and old.rank == a.rank:
            raise AssertionError(f"alias {a.name!r} means both {old.field!r} and {a.field!r}")
        if old is None or a.rank < old.rank:
            out[key] = a
    return out


_SHARED: dict[TableName, dict[str, Alias]] = {t: _index(a for a in ALIASES[t] if not a.vendor_only) for t in TABLES}
_VENDOR_ONLY: dict[tuple[TableName, str], dict[str, Alias]] = {
    (t, v): _index(a for a in ALIASES[t] if a.vendor_only and a.source == v) for t in TABLES for v in VENDORS}

# A leading object word ("Ticket created at", "Subscription start") is tried away as a last resort.
_PREFIXES = ("ticket", "tickets", "conversation", "case", "subscription", "subscriptions", "customers")

# Columns only one vendor writes, normalised; two of them name the vendor.
_SIGNATURES: dict[str, frozenset[str]] = {v: frozenset(normalise_header(h) for h in hs) for v, hs in {
    "Zendesk": ("Summation column", "Requester id", "Requester external id", "Via", "Solved at",
                "Satisfaction Score", "First reply time in minutes", "Full resolution time in minutes",
                "First resolution time in minutes", "Agent wait time in minutes", "Requester wait time in minutes",
                "On hold time in minutes", "Assignee stations", "Group stations", "Reopens", "Initially assigned at"),
    "Freshdesk": ("Created time", "Resolved time", "Closed time", "Due by Time", "Last update time",
                  "Initial response time", "First response time (in hrs)", "Resolution time (in hrs)",
                  "Agent interactions", "Customer interactions", "Resolution status", "First response status",
                  "Survey results", "Survey result", "Time tracked"),
    "Help Scout": ("Conversation Number", "Number", "Mailbox", "mailboxId", "folderId", "customerWaitingSince",
                   "Customer Waiting Since", "threadCount", "Threads", "closedBy", "Closed By", "primaryCustomer.id",
                   "primaryCustomer.email", "Happiness Rating", "userUpdatedAt", "Replies Sent"),
    "ServiceNow": ("opened_at", "resolved_at", "closed_at", "contact_type", "caller_id", "sys_id", "assignment_group",
                   "short_description", "sys_created_on", "calendar_stc", "business_stc", "incident_state",
                   "close_code"),
    "Jira Service Management": ("Issue key", "Issue id", "Issue Type", "Custom field (Request Type)",
                                "Custom field (Request participants)", "Custom field (Time to first response)",
                                "Custom field (Time to resolution)", "Custom field (Satisfaction date)",
                                "Custom field ([CHART] Date of First Response)", "Status Category",
                                "Status Category Changed", "Last Viewed", "Reporter Id"),
    "Zoho Desk": ("Request Id", "Ticket Closed Time", "Customer Response Time", "Number of Threads",
                  "Number of Comments", "Is Escalated", "Sub Category", "Status updated time", "Request reopen time",
                  "First assigned time", "Agent Responded Time", "Ticket On Hold Time", "SLA Violation Type",
                  "Child Ticket Count", "Time to Respond", "Created Time (Ticket)", "ticketNumber", "closedTime",
                  "Ticket Owner", "Contact Name"),
    "HubSpot": ("Ticket name", "Ticket status", "Create date", "Close date", "Time to first agent reply",
                "Time to first agent email reply", "First agent email response date", "hs_ticket_id", "hs_pipeline",
                "hs_pipeline_stage", "source_type", "hubspot_owner_id", "time_to_close", "Ticket description"),
    "Intercom": ("Conversation started at", "Conversation first replied at", "Conversation first closed at",
                 "Conversation last closed at", "Teammate currently assigned", "Team currently assigned",
                 "Current conversation state", "Last teammate rating", "Fin AI Agent involved",
                 "Fin AI Agent deflected", "Conversation rating", "Handling time", "Time to close", "Started by",
                 "Conversation source", "Conversation tag", "Teammate first replied"),
}.items()}


# --- the mapping ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mapping:
    """Which file column feeds which canonical field of ``table``.

    Parameters
    ----------
    table : {"tickets", "customers", "kpis"}
        The table the file is read as.
    columns : tuple of (str, str)
        ``(canonical field, file column)`` pairs, in the schema's field order when made by
        :func:`suggest_mapping`. Each field and each column appears at most once.
    units : tuple of (str, str)
        ``(duration field, unit)`` pairs: the unit of a duration column's plain numbers ("ms", "s", "min", "h",
        "d") where the user names it; a duration field without one takes its header's unit, else hours.
    paired : tuple of (str, str)
        ``(field, second column)`` pairs for a value the file writes in two columns: a date-time field's
        time of day when its column holds the date only (a call log's ``date`` and ``vru_entry``), or an
        id field's second part when one column does not tell the rows apart (a line and a call number).

    Raises
    ------
    ValueError
        For an unknown table or field, a field or column given twice, an empty column name, a unit
        given to a field that is not a duration or that is not a time unit, or a second column given to a
        field that is not mapped, is neither a date-time nor an id, or that another field already uses.
    """

    table: TableName
    columns: tuple[tuple[str, str], ...] = ()
    units: tuple[tuple[str, str], ...] = ()
    paired: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple((str(f), c) for f, c in self.columns))
        object.__setattr__(self, "units", tuple((str(f), str(u)) for f, u in self.units))
        object.__setattr__(self, "paired", tuple((str(f), c) for f, c in self.paired))
        _check_mapping(self.table, self.columns)
        _check_units(self.table, self.units)
        _check_paired(self.table, self.columns, self.paired)

    def as_dict(self) -> dict[str, str]:
        """Canonical field -> file column."""
        return dict(self.columns)

    def unit_of(self, field: str) -> str | None:
        """The unit the user named for a duration field's plain numbers, if any."""
        return dict(self.units).get(field)

    def second_of(self, field: str) -> str | None:
        """The second column of a field written in two (a date's time of day, a key's second part), if any."""
        return dict(self.paired).get(field)

    def to_json(self) -> str:
        """The mapping as a small JSON object: ``{"table": ..., "columns": {field: column}}``, with
        ``"units": {field: unit}`` when a duration's unit was named and ``"paired": {field: column}`` when a
        field is written in two columns."""
        data: dict[str, object] = {"table": self.table, "columns": self.as_dict()}
        if self.units:
            data["units"] = dict(self.units)
        if self.paired:
            data["paired"] = dict(self.paired)
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Mapping":
        """A mapping saved by :meth:`to_json`; ValueError saying what is wrong otherwise."""
        try:
            data = json.loads(text, object_pairs_hook=_no_repeated_keys)
        except (json.JSONDecodeError, TypeError, RecursionError) as err:
            raise ValueError(f"the column mapping is not valid JSON: {err}") from None
        if not isinstance(data, dict) or "table" not in data or "columns" not in data:
            raise ValueError('the column mapping must be an object with "table" and "columns"')
        if not isinstance(data["columns"], dict):
            raise ValueError('"columns" must be an object of canonical field -> file column')
        units = data.get("units", {})
        if not isinstance(units, dict):
            raise ValueError('"units" must be an object of duration field -> unit (ms, s, min, h or d)')
        paired = data.get("paired", {})
        if not isinstance(paired, dict):
            raise ValueError('"paired" must be an object of field -> second file column')
        return cls(data["table"], tuple(data["columns"].items()), tuple(units.items()), tuple(paired.items()))


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    seen = [k for k, _ in pairs]
    repeated = sorted({k for k in seen if seen.count(k) > 1})
    if repeated:
        raise ValueError(f"the column mapping names {', '.join(map(repr, repeated))} more than once")
    return dict(pairs)


def _check_mapping(table: object, columns: tuple[tuple[str, object], ...]) -> None:
    if not isinstance(table, str) or table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
    known = [f.name for f in TABLES[table]]
    fields = [f for f, _ in columns]
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise ValueError(f"{TABLE_LABELS[table]} has no field {', '.join(map(repr, unknown))}; "
                         f"its fields are {', '.join(known)}")
    bad = [f for f, c in columns if not isinstance(c, str) or not c.strip()]
    if bad:
        raise ValueError(f"the column chosen for {', '.join(map(repr, bad))} must be a non-empty text")
    for what, values in (("field", fields), ("file column", [c for _, c in columns])):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise ValueError(f"the {what} {', '.join(map(repr, twice))} is used more than once")


DURATION_UNITS = ("ms", "s", "min", "h", "d")


def _check_units(table: TableName, units: tuple[tuple[str, str], ...]) -> None:
    durations = {f.name for f in TABLES[table] if f.kind == "duration_h"}
    wrong = [f for f, _ in units if f not in durations]
    if wrong:
        raise ValueError(f"{', '.join(map(repr, wrong))} is not a duration of the {TABLE_LABELS[table].lower()} "
                         f"table, so it takes no unit")
    bad = [u for _, u in units if u not in DURATION_UNITS]
    if bad:
        raise ValueError(f"{', '.join(map(repr, bad))} is not a time unit; use ms, s, min, h or d")


PAIRED_KINDS = ("datetime", "id")


def _check_paired(table: TableName, columns: tuple[tuple[str, str], ...], paired: tuple[tuple[str, object], ...]) -> None:
    kinds = {f.name: f.kind for f in TABLES[table]}
    mapped = dict(columns)
    for name, column in paired:
        if kinds.get(name) not in PAIRED_KINDS:
            raise ValueError(f"{name!r} is not a date-time or an id of the {TABLE_LABELS[table].lower()} table, so it "
                             "takes no second column")
        if name not in mapped:
            raise ValueError(f"{name!r} has a second column but no first one")
        if not isinstance(column, str) or not column.strip():
            raise ValueError(f"the second column chosen for {name!r} must be a non-empty text")
        if column in mapped.values():
            raise ValueError(f"the file column {column!r} is used more than once")
    for what, values in (("field", [f for f, _ in paired]), ("file column", [c for _, c in paired])):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise ValueError(f"the {what} {', '.join(map(repr, twice))} is given a second column more than once"
                             if what == "field" else f"the {what} {', '.join(map(repr, twice))} is used more than once")


# --- guessing -------------------------------------------------------------------------------------

def _score(alias: Alias, vendor: str | None, stripped: bool) -> int:
    """Twice the rank, +1 when a leading object word had to go, -1 for the detected vendor's own name
    (so Zendesk's "Full resolution time in minutes" beats its legacy, mostly empty "Resolution time")."""
    return 2 * alias.rank + int(stripped) - int(alias.source == vendor)


def _candidates(table: TableName, header: str, vendor: str | None) -> list[tuple[int, str]]:
    """(score, field) pairs for one header; lower score is a better match."""
    indexes = [_SHARED[table]] + ([_VENDOR_ONLY[(table, vendor)]] if vendor else [])
    found: list[tuple[int, str]] = []
    for key in _keys(header):
        head, _, rest = key.partition(" ")
        tries = [(key, False)] + ([(rest, True)] if head in _PREFIXES and rest else [])
        found += [(_score(index[k], vendor, stripped), index[k].field)
                  for k, stripped in tries for index in indexes if k in index]
    return found


def suggest_mapping(table: TableName, headers: Sequence[str]) -> Mapping:
    """The best guess of which column of ``headers`` feeds which field of ``table``.

    Every (column, field) candidate is scored by its alias's rank (see the module docstring);
    the best pairs are taken first, so each file column is used at most once and each field at
    most once. Columns that match nothing are left out.

    Parameters
    ----------
    table : {"tickets", "customers", "kpis"}
    headers : sequence of str
        The file's header row, as written.

    Returns
    -------
    Mapping
        Pairs in the schema's field order; possibly incomplete (see :func:`missing_required`).
    """
    vendor = detect_vendor(headers)
    scored = sorted((score, i, field) for i, h in enumerate(headers) for score, field in _candidates(table, h, vendor))
    taken: dict[str, str] = {}
    used: set[int] = set()
    for _, i, field in scored:
        if field not in taken and i not in used and headers[i] not in taken.values():
            taken[field] = headers[i]
            used.add(i)
    paired = _clock_columns(table, taken, [h for i, h in enumerate(headers) if i not in used])
    return Mapping(table, tuple((f.name, taken[f.name]) for f in TABLES[table] if f.name in taken), paired=paired)


def _clock_columns(table: TableName, taken: dict[str, str], free: list[str]) -> tuple[tuple[str, str], ...]:
    """A date-time field fed by a "... date" column takes the free "... time" column beside it as its time of
    day ("Date" and "Time", "Created date" and "Created time"); one fed by a "... time" column beside a free
    "... date" column is fed by the date instead (``taken`` is updated), with the time as its clock."""
    by_key = {normalise_header(h): h for h in free}
    pairs = []
    for f in TABLES[table]:
        key = normalise_header(taken.get(f.name, ""))
        if f.kind != "datetime" or not (key == "date" or key.endswith(" date") or key == "time"
                                        or key.endswith(" time")):
            continue
        stem = key[:-4]
        if key.endswith("date") and stem + "time" in by_key:
            pairs.append((f.name, by_key.pop(stem + "time")))
        elif key.endswith("time") and stem + "date" in by_key:     # "Created time" was taken: the date leads
            clock, taken[f.name] = taken[f.name], by_key.pop(stem + "date")
            pairs.append((f.name, clock))
    return tuple(pairs)


def detect_vendor(headers: Iterable[str]) -> str | None:
    """One of :data:`VENDORS` when at least two columns only that vendor writes are present (and no other vendor
    has as many); None otherwise."""
    keys = {k for h in headers for k in _keys(h)}
    hits = sorted(((len(keys & sig), vendor) for vendor, sig in _SIGNATURES.items()), reverse=True)
    (best, vendor), (second, _) = hits[0], hits[1]
    return vendor if best >= 2 and best > second else None


def guess_table(headers: Sequence[str]) -> TableName | None:
    """Which table a header row most likely is, among those whose required fields it all has.

    A complete table scores 1 per column mapped with a strong alias and 0.5 per weak one; the best
    wins. A monthly KPI table needs a measure besides its month (a log with a "date" column is not one). None
    when no table is complete (an event log's "Case ID, Activity, Timestamp" is not a ticket table) or when two
    tables tie.
    """
    vendor = detect_vendor(headers)
    scores: dict[TableName, float] = {}
    for table in TABLES:
        mapping = suggest_mapping(table, headers)
        measured = len(mapping.columns) > sum(f.required for f in TABLES[table])
        if mapping.columns and not missing_required(mapping) and (measured or table != "kpis"):
            scores[table] = sum(1.0 if min(s for s, f in _candidates(table, h, vendor) if f == field) <= 2 else 0.5
                                for field, h in mapping.columns)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True) + [(None, 0.0), (None, 0.0)]
    (top, best), (_, second) = ranked[0], ranked[1]
    return top if best > second else None


def why_table(headers: Sequence[str], table: TableName, mapping: Mapping | None = None) -> str:
    """Why the header row reads as ``table``, in words: the export it looks like and the columns that feed the
    table's fields ("a ServiceNow export: ticket id in 'number', created in 'opened_at', ..."), through
    ``mapping`` (the suggested one when None)."""
    mapping = mapping if mapping is not None and mapping.table == table else suggest_mapping(table, headers)
    if not mapping.columns:
        return "no column matches a field of this table"
    vendor = detect_vendor(headers)
    labels = {f.name: f.label if f.label[:2].isupper() else f.label[:1].lower() + f.label[1:] for f in TABLES[table]}
    second = dict(mapping.paired)
    fed = ", ".join(f"{labels.get(field, field)} in '{header}'" + (f" + '{second[field]}'" if field in second else "")
                    for field, header in mapping.columns)
    return (f"a {vendor} export: " if vendor else "") + fed


def missing_required(mapping: Mapping) -> tuple[str, ...]:
    """The required fields of the mapping's table that no column feeds, in schema order."""
    mapped = {f for f, _ in mapping.columns}
    return tuple(f.name for f in TABLES[mapping.table] if f.required and f.name not in mapped)


# --- channels -------------------------------------------------------------------------------------

def _channels(target: str, *words: str) -> dict[str, str]:
    # No camelCase split for values: "WhatsApp" is one word.
    return {_fold(w): target for w in words}


# Export words -> "email" | "chat" | "phone" | "social"; anything else is kept, lower-cased.
# Decision: written, asynchronous channels that queue like e-mail go to "email" -- Zendesk via
# web form / web widget / API / mobile SDK / help center / closed-ticket follow-ups, Freshdesk
# Portal / Feedback Widget / Outbound Email / MobiHelp, ServiceNow self-service. Live or session-based conversation
# goes to "chat" -- Zendesk chat, messaging and native_messaging, WhatsApp, SMS, (Facebook) Messenger, Intercom's
# "Conversation", bots and ServiceNow's virtual_agent. Voice goes to "phone". Public social posts (Twitter/X, Facebook,
# Instagram) are "social".
CHANNEL_ALIASES: dict[str, str] = {
    **_channels("email", "email", "e-mail", "mail", "web", "web form", "webform", "web widget", "contact form",
                "form", "portal", "self service", "api", "help center", "helpcenter", "mobile", "mobile sdk",
                "closed ticket", "feedback widget", "outbound email", "mobihelp", "электронная почта",
                "почта", "веб форма", "портал", "poczta", "formularz", "e mail", "levél", "űrlap", "kontaktformular",
                "webformular"),
    **_channels("chat", "chat", "live chat", "livechat", "chat widget", "web chat", "webchat", "website chat",
                "in app chat", "messaging", "native messaging", "messenger", "facebook messenger", "virtual agent",
                "conversation", "in app", "whatsapp", "sms", "text", "bot", "chatbot", "telegram", "viber",
                "line", "wechat", "slack", "apple business chat", "google business messages", "чат", "czat",
                "csevegés"),
    **_channels("phone", "phone", "voice", "call", "telephone", "phone call", "inbound call", "callback",
                "телефон", "звонок", "telefon", "połączenie", "telefonhívás", "anruf", "telefonat",
                "rückruf"),
    **_channels("social", "twitter", "x", "facebook", "instagram", "instagram dm", "social", "social media",
                "forum", "forums", "community"),
}


def _channel_of(value: str) -> str:
    return CHANNEL_ALIASES.get(_fold(str(value)), str(value).strip().lower())


def normalise_channels(values: pd.Series) -> pd.Series:
    """Export channel words -> the product's channel names (see :data:`CHANNEL_ALIASES`).

    Vectorised: each distinct value is looked up once. Missing and empty values stay missing;
    unknown words are kept, stripped and lower-cased.
    """
    codes, distinct = pd.factorize(values)            # each distinct word looked up once, rows by their code
    words = pd.array([_channel_of(v) or None for v in distinct], dtype="str")
    return pd.Series(words.take(codes, allow_fill=True), index=values.index)   # code -1 (missing) stays missing
