"""One call from an uploaded file's bytes to a typed table: read, recognise, map, validate.

A file the reader refuses, a file that is not any of the three tables, and a file whose rows are
all unusable each come back as a :class:`Loaded` whose ``validated`` is not usable and whose
problems say why, never as an exception, so the caller keeps whatever it had before.

Event logs (one row per ticket event: case id, activity, timestamp) are recognised by their
columns and turned into a ticket table with :mod:`intake.uploads.eventlog`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from intake.uploads import convert, eventlog
from intake.uploads.mapping import Mapping, guess_table, suggest_mapping
from intake.uploads.read import RawTable, ReadError, read_table
from intake.uploads.schema import TableName
from intake.uploads.validate import Collector, Problem, Validated, validate

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class EventLogColumns:
    """Which columns of an event log hold the case, activity, time and (optionally) the agent."""

    case: str
    activity: str
    timestamp: str
    resource: str | None = None


@dataclass(frozen=True)
class Loaded:
    """An upload after every step that could run; ``validated`` is None when the file was refused."""

    name: str
    table: TableName | None
    raw: RawTable | None
    mapping: Mapping | None
    validated: Validated | None
    problems: tuple[Problem, ...] = ()
    event_log: EventLogColumns | None = None
    roles: eventlog.EventRoles | None = None

    @property
    def usable(self) -> bool:
        return self.validated is not None and self.validated.usable

    def all_problems(self) -> tuple[Problem, ...]:
        return self.problems + (self.validated.problems if self.validated is not None else ())


def _quiet(_: float, __: str) -> None:
    return None


def _refused(name: str, message: str, raw: RawTable | None = None) -> Loaded:
    return Loaded(name, None, raw, None, None, (Problem(name, None, message, "The file was not used.", "error"),))


def event_log_columns(raw: RawTable) -> EventLogColumns | None:
    """The event-log columns of ``raw`` when it looks like one (case, activity and timestamp found)."""
    case, activity, stamp, resource = eventlog.guess_columns(list(raw.frame.columns))
    if case is None or activity is None or stamp is None:
        return None
    return EventLogColumns(case, activity, stamp, resource)


def load(data: bytes, name: str, *, table: TableName | None = None, mapping: Mapping | None = None,
         assume_tz: str = "UTC", progress: Progress = _quiet) -> Loaded:
    """Read ``data`` and type it as ``table`` (guessed when None) through ``mapping`` (suggested when None).

    ``progress(fraction, words)`` is called between the steps, for a progress bar.
    """
    progress(0.05, f"Reading {name}")
    try:
        raw = read_table(data, name)
    except ReadError as err:
        return _refused(name, str(err))
    progress(0.5, f"Checking {len(raw.frame):,} rows of {name}")
    return retype(raw, table=table, mapping=mapping, assume_tz=assume_tz)


def retype(raw: RawTable, *, table: TableName | None = None, mapping: Mapping | None = None,
           assume_tz: str = "UTC", event_log: EventLogColumns | None = None,
           roles: eventlog.EventRoles | None = None) -> Loaded:
    """Type an already read table again: another table, mapping, time zone or event-log reading."""
    headers = list(raw.frame.columns)
    if table is None and mapping is None and event_log is None:
        table = guess_table(headers)
        if table is None or (table == "tickets" and suggest_mapping("tickets", headers).columns == ()):
            event_log = event_log_columns(raw)
            if event_log is not None:
                table = "tickets"
    if event_log is not None:
        return from_event_log(raw, event_log, roles=roles, assume_tz=assume_tz)
    if table is None:
        return _refused(raw.name, "its columns match none of the three tables (tickets, customers, monthly KPIs) "
                        "nor an event log; choose the table and map its columns", raw)
    mapping = mapping if mapping is not None and mapping.table == table else suggest_mapping(table, headers)
    return Loaded(raw.name, table, raw, mapping, validate(raw, table, mapping, assume_tz=assume_tz))


def from_event_log(raw: RawTable, columns: EventLogColumns, *, roles: eventlog.EventRoles | None = None,
                   assume_tz: str = "UTC") -> Loaded:
    """An event log -> a ticket table; events with an unreadable time or no case are skipped, named."""
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
