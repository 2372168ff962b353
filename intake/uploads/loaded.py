"""An upload as it came out of the readers: the :class:`Loaded` every reader returns, and what they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.uploads import currency
from intake.uploads.eventlog import EventRoles
from intake.uploads.mapping import Mapping
from intake.uploads.purchases import PurchaseLogColumns
from intake.uploads.read import RawTable
from intake.uploads.schema import TableName, field_of
from intake.uploads.validate import Problem, Validated

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
    roles: EventRoles | None = None
    purchase_log: PurchaseLogColumns | None = None
    source: str | None = None          # a file read from the server's disk (its name there); None for an upload
    database: str | None = None        # a table summed in the team's database (its name there)

    @property
    def usable(self) -> bool:
        return self.validated is not None and self.validated.usable

    def all_problems(self) -> tuple[Problem, ...]:
        return self.problems + (self.validated.problems if self.validated is not None else ())

    def foreign_amounts(self, case_currency: str) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
        """Where the amounts (MRR, a purchase's amount, ...) are in another currency than ``case_currency`` (the
        case's ISO code): (column, the other currency's marks or codes, whether the column is a currency column),
        as (("MRR", ("zł",), False), ("Currency", ("PLN",), True)). The amounts were read as plain numbers, so the
        case counts them in its own currency."""
        if self.validated is None:
            return ()
        if self.purchase_log is not None:
            headers = [self.purchase_log.amount]
        elif self.mapping is not None:
            headers = [h for n, h in self.mapping.columns if field_of(self.validated.table, n).money]
        else:
            return ()
        if not headers:
            return ()
        found: dict[str, dict[str, None]] = {}        # a large file's slices may each note their own marks
        for header in headers:                          # "Monthly spend (£)" names its currency, cells or not
            for mark in currency.foreign(currency.header_marks(header), case_currency):
                found.setdefault(header, {})[mark] = None
        for note in self.validated.notes:
            # A note is "<header>: <what was found>"; a header may hold ": " itself ("MRR: net").
            header = next((h for h in headers if note.startswith(f"{h}: ")), None)
            if header is None:
                header, _, said = note.partition(": ")
                if not (said.startswith(currency.COLUMN_NOTE) and currency.is_currency_column(header)):
                    continue
            else:
                said = note[len(header) + 2:]
            for mark in currency.foreign(currency.noted(said), case_currency):
                found.setdefault(header, {})[mark] = None
        return tuple((header, tuple(marks), header not in headers) for header, marks in found.items())


def quiet(_: float, __: str) -> None:
    """A progress report that reports nothing."""
    return None
