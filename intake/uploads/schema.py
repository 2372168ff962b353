"""The three tables the product reads: tickets, customers and monthly KPIs.

Each table is a tuple of :class:`Field`; a field's ``name`` is the canonical column name of the typed
table that :func:`intake.uploads.validate.validate` returns, and its ``kind`` says how its strings are parsed:

=============  ============================================================================
kind           typed column
=============  ============================================================================
``id``         string, stripped; empty is missing
``text``       string, stripped; empty is missing
``datetime``   ``datetime64[us, UTC]``; a time without zone is read in the upload's time zone
``month``      ``datetime64[us, UTC]`` at the first day of the month, 00:00
``number``     float64 (decimal comma and thousands separators understood)
``count``      float64, whole and >= 0 (float so that a missing count stays NaN)
``duration_h`` float64 hours; numbers are read in the unit the header names (s, min, h, d)
               and ``hh:mm:ss`` text is understood
``rating``     float64 satisfaction in [0, 1] per answer (see :mod:`intake.uploads.convert`), with the
               scale kept beside it ("good_bad", "one_to_five", "zero_to_ten")
``score``      float64 0-10 (an NPS answer)
``pct``        float64 fraction in [0, 1] ("92 %", "92" and "0.92" all read as 0.92)
``boolean``    bool (yes/no, true/false, 1/0, abandoned/answered)
=============  ============================================================================

A ticket table needs an id and a creation time; its first response may come as a time (``first_reply``)
or as a duration (``first_response_h``, as Zendesk and Freshdesk export it), and so may resolution.
Every other field is optional: a metric that needs a missing field is simply not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "text", "datetime", "month", "number", "count", "duration_h", "rating", "score",
               "pct", "boolean"]
TableName = Literal["tickets", "customers", "kpis"]


@dataclass(frozen=True)
class Field:
    """One canonical column: its name, how it is parsed, whether a table needs it, and what it means."""

    name: str
    kind: Kind
    label: str
    help: str
    required: bool = False
    money: bool = False         # an amount in the file's currency, read as one in the case's


TICKETS: tuple[Field, ...] = (
    Field("ticket_id", "id", "Ticket id", "One row per ticket or conversation; ids must not repeat.", True),
    Field("created", "datetime", "Created", "When the customer opened the ticket.", True),
    Field("first_reply", "datetime", "First reply at", "When an agent first replied."),
    Field("first_response_h", "duration_h", "First response time",
          "Time from creation to the first reply, if the export gives it as a duration."),
    Field("solved", "datetime", "Solved at", "When the ticket was solved (resolved or closed)."),
    Field("resolution_h", "duration_h", "Resolution time",
          "Time from creation to resolution, if the export gives it as a duration."),
    Field("channel", "text", "Channel", "E-mail, chat, phone, ... (the export's own words are mapped)."),
    Field("rating", "rating", "Satisfaction rating", "Good/bad, 1-5 or 0-10; unrated tickets left empty."),
    Field("replies", "count", "Replies", "Agent replies on the ticket."),
    Field("customer_id", "id", "Customer id", "Who asked; links tickets to the customer table."),
    Field("agent", "text", "Agent", "Who handled the ticket (for CSAT by agent)."),
    Field("region", "text", "Region or time zone", "Where the customer is (a region name or a UTC offset)."),
    Field("handle_time_h", "duration_h", "Handle time", "Agent time spent on the ticket (talk or work time)."),
    Field("abandoned", "boolean", "Abandoned", "Live channels: the customer left before an agent answered."),
    Field("wait_h", "duration_h", "Wait in queue", "Live channels: time waited before answer or abandonment."),
)

CUSTOMERS: tuple[Field, ...] = (
    Field("customer_id", "id", "Customer id", "One row per customer; ids must not repeat.", True),
    Field("start", "datetime", "Start", "When the customer started paying.", True),
    Field("end", "datetime", "End or churn date", "When the customer left; empty while active."),
    Field("mrr", "number", "MRR", "Recurring revenue per month now (or at the end).", money=True),
    Field("start_mrr", "number", "MRR at start", "Recurring revenue per month at the start (for expansion).",
          money=True),
    Field("nps", "score", "NPS answer", "The customer's 0-10 answer to 'would you recommend us'."),
    Field("csat", "rating", "CSAT answer", "The customer's satisfaction answer (good/bad, 1-5 or 0-10)."),
    Field("plan", "text", "Plan", "Plan or segment."),
    Field("complained", "boolean", "Complained", "Whether the customer complained (or had a bad experience)."),
)

KPIS: tuple[Field, ...] = (
    Field("month", "month", "Month", "One row per calendar month.", True),
    Field("tickets", "count", "Tickets", "Tickets received in the month."),
    Field("first_response_h", "duration_h", "First response time", "Mean first-response time in the month."),
    Field("csat_pct", "pct", "CSAT", "Share of satisfied ratings among rated conversations."),
    Field("nps", "number", "NPS", "Net promoter score, -100 to 100."),
    Field("customers", "count", "Customers", "Customers at the start of the month."),
    Field("churned", "count", "Churned", "Customers lost during the month."),
    Field("mrr", "number", "MRR", "Recurring revenue of the month.", money=True),
    Field("expansion_mrr", "number", "Expansion MRR", "Extra recurring revenue from existing customers.", money=True),
    Field("support_cost", "number", "Support cost", "What support cost in the month.", money=True),
)

TABLES: dict[TableName, tuple[Field, ...]] = {"tickets": TICKETS, "customers": CUSTOMERS, "kpis": KPIS}
TABLE_LABELS: dict[TableName, str] = {"tickets": "Tickets", "customers": "Customers", "kpis": "Monthly KPIs"}

def field_of(table: TableName, name: str) -> Field:
    """The field ``name`` of ``table``; KeyError naming the table when there is none."""
    for f in TABLES[table]:
        if f.name == name:
            return f
    raise KeyError(f"{TABLE_LABELS[table]} has no field {name!r}")
