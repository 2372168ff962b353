"""An upload as it came out of the readers: the :class:`Loaded` every reader returns, and what they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from intake.uploads.eventlog import EventRoles
from intake.uploads.mapping import Mapping
from intake.uploads.purchases import PurchaseLogColumns
from intake.uploads.read import RawTable
from intake.uploads.schema import TableName
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


def quiet(_: float, __: str) -> None:
    """A progress report that reports nothing."""
    return None


