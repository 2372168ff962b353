"""An upload as it came out of the readers: the :class:`Loaded` every reader returns, and what they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.uploads import convert
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

    def foreign_amounts(self, currency: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The money columns (MRR, a purchase's amount, ...) whose values carry another currency's marks than
        ``currency`` (the case's ISO code), each with those marks: (("MRR", ("zł",)),). The amounts were read as
        plain numbers, so the case counts them in its own currency."""
        if self.validated is None:
            return ()
        if self.purchase_log is not None:
            headers = [self.purchase_log.amount]
        elif self.mapping is not None:
            headers = [h for n, h in self.mapping.columns if field_of(self.validated.table, n).money]
        else:
            return ()
        found = []
        for header in headers:
            marks = tuple(dict.fromkeys(m for note in self.validated.notes if note.startswith(f"{header}: ")
                                        for m in convert.noted_marks(note)))
            if foreign := convert.foreign_marks(marks, currency):
                found.append((header, foreign))
        return tuple(found)


def quiet(_: float, __: str) -> None:
    """A progress report that reports nothing."""
    return None


