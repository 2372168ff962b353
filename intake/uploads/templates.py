"""A documented CSV template per table, for users who build their file by hand.

The headers are the canonical field names of :mod:`intake.uploads.schema` (``ticket_id``, ``created``,
``first_response_h`` ...): they are unambiguous, they carry the unit of durations (``_h`` = hours)
and :func:`intake.uploads.mapping.suggest_mapping` maps each of them to its own field at the best rank,
so a filled-in template needs no mapping at all. Three example rows show the accepted formats:
ISO 8601 date-times with their offset, ratings, durations in decimal hours, a blank cell for a
value that is missing.
"""

from __future__ import annotations

import csv
import io

from intake.uploads.schema import TABLE_LABELS, TABLES, Field, Kind, TableName

_EXAMPLES: dict[TableName, tuple[dict[str, str], ...]] = {
    "tickets": (
        {"ticket_id": "T-10231", "created": "2024-03-04T09:15:00+01:00", "first_reply": "2024-03-04T10:45:00+01:00",
         "first_response_h": "1.5", "solved": "2024-03-05T16:15:00+01:00", "resolution_h": "31", "channel": "email",
         "rating": "good", "replies": "3", "customer_id": "C-1001", "agent": "Anna Kowalska",
         "region": "Europe/Warsaw", "handle_time_h": "0.4", "abandoned": "", "wait_h": ""},
        {"ticket_id": "T-10232", "created": "2024-03-04T14:02:30Z", "first_reply": "2024-03-04T14:04:00Z",
         "first_response_h": "0.025", "solved": "2024-03-04T14:20:30Z", "resolution_h": "0.3", "channel": "chat",
         "rating": "bad", "replies": "5", "customer_id": "C-1002", "agent": "Ivan Petrov", "region": "UTC+03:00",
         "handle_time_h": "0.3", "abandoned": "no", "wait_h": "0.025"},
        {"ticket_id": "T-10233", "created": "2024-03-05T08:59:10-05:00", "first_reply": "", "first_response_h": "",
         "solved": "", "resolution_h": "", "channel": "phone", "rating": "", "replies": "0", "customer_id": "C-1003",
         "agent": "", "region": "America/New_York", "handle_time_h": "", "abandoned": "yes", "wait_h": "0.1"},
    ),
    "customers": (
        {"customer_id": "C-1001", "start": "2022-06-01T00:00:00Z", "end": "", "mrr": "490.00", "start_mrr": "390.00",
         "nps": "9", "csat": "5", "plan": "Growth", "complained": "no"},
        {"customer_id": "C-1002", "start": "2023-01-15T00:00:00+01:00", "end": "2024-02-29T00:00:00+01:00",
         "mrr": "0", "start_mrr": "99.00", "nps": "3", "csat": "2", "plan": "Starter", "complained": "yes"},
        {"customer_id": "C-1003", "start": "2023-09-01T00:00:00-05:00", "end": "", "mrr": "1250.50",
         "start_mrr": "1250.50", "nps": "", "csat": "", "plan": "Enterprise", "complained": "no"},
    ),
    "kpis": (
        {"month": "2024-01", "tickets": "1240", "first_response_h": "3.5", "csat_pct": "92 %", "nps": "41",
         "customers": "820", "churned": "14", "mrr": "401800.00", "expansion_mrr": "5200.00",
         "support_cost": "48500.00"},
        {"month": "2024-02", "tickets": "1185", "first_response_h": "4.25", "csat_pct": "90 %", "nps": "38",
         "customers": "829", "churned": "11", "mrr": "405950.00", "expansion_mrr": "3900.00",
         "support_cost": "48500.00"},
        {"month": "2024-03", "tickets": "1312", "first_response_h": "2.75", "csat_pct": "93 %", "nps": "",
         "customers": "836", "churned": "9", "mrr": "411230.00", "expansion_mrr": "6100.00",
         "support_cost": "51200.00"},
    ),
}

# What each kind accepts, in the words of the notes (the parsers are in intake.uploads.convert).
_FORMATS: dict[Kind, tuple[str, str]] = {
    "id": ("text", "any text or number; must not repeat where it is the table's id"),
    "text": ("text", "any text"),
    "datetime": ("date-time", "ISO 8601 with an offset (`2024-03-04T09:15:00+01:00`, `...Z`) is best; usual "
                 "local formats, Excel dates and compact `YYYYMMDD`/`YYMMDD` columns are read too, a time without "
                 "zone in the upload's time zone"),
    "month": ("month", "`2024-01` or any date in the month (`2024-01-01`)"),
    "number": ("number", "`1250.50`; a decimal comma and thousands separators are understood"),
    "count": ("whole number >= 0", "`12`"),
    "duration_h": ("hours", "decimal hours (`1.5`); a header naming another unit (`... in minutes`, "
                   "`(seconds)`) is read in that unit; `hh:mm:ss` text is understood"),
    "rating": ("satisfaction", "good/bad, 1-5 or 0-10 (one scale per column); empty when not rated"),
    "score": ("0-10", "the 0-10 answer to 'would you recommend us'"),
    "pct": ("fraction 0-1", "`92 %`, `92` and `0.92` all read as 92 %"),
    "boolean": ("yes/no", "yes/no, true/false, 1/0, abandoned/answered"),
}


def template_csv(table: TableName) -> bytes:
    """A UTF-8 CSV with the canonical headers of ``table`` and three example rows.

    Parameters
    ----------
    table : {"tickets", "customers", "kpis"}

    Returns
    -------
    bytes
        Comma-separated, ``\\r\\n`` line ends, no byte-order mark.
    """
    names = [f.name for f in TABLES[table]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_EXAMPLES[table])
    return buffer.getvalue().encode("utf-8")


def _note_row(f: Field) -> str:
    unit, formats = _FORMATS[f.kind]
    required = "**required**" if f.required else "optional"
    return f"| `{f.name}` | {f.label} | {required} | {unit} | {formats} | {f.help} |"


def template_notes(table: TableName) -> str:
    """Markdown notes for the template of ``table``: one row per column, from the schema's help texts."""
    lines = [
        f"### {TABLE_LABELS[table]} template",
        "",
        "One header row, then one row per record. Leave a cell empty when the value is unknown; an optional "
        "column can be deleted altogether. Files exported from a help desk do not need this template: their "
        "columns are recognised and can be matched by hand.",
        "",
        "| Column | Meaning | Required | Unit | Accepted formats | Notes |",
        "|---|---|---|---|---|---|",
        *(_note_row(f) for f in TABLES[table]),
    ]
    if table == "tickets":
        lines += ["", "Give the first response either as a time (`first_reply`) or as a duration "
                  "(`first_response_h`); the same for resolution (`solved` or `resolution_h`)."]
    return "\n".join(lines) + "\n"
