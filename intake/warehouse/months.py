"""Ticket history in the team's own database -> the monthly KPI table, computed there: only aggregates travel.

A help desk with years of tickets in PostgreSQL (or another database SQLAlchemy reaches) need not export them: the
month-by-month figures the product calibrates on and draws beside its projections (tickets received, mean first
response, CSAT) are sums and counts, so the database computes them and sends one row per month (and one per
distinct rating: which answers count as satisfied is decided here, by the same rules as for an upload).

The figures are the ones :func:`intake.metrics.measures.monthly_actuals` derives from the same tickets uploaded:
months are calendar months in UTC; a month the data do not reach the end of has no ticket count; the first response
is a duration column (in the unit named) or the time from creation to a first-reply column, and a negative one is
left out; CSAT is the share of satisfied answers among rated tickets.

Table and column names are chosen from what the database itself lists (:func:`tables`), and every value travels as a
bound parameter. The arrival profile and the handle times are fitted to figures counted there too (``week``,
``handle``); the response-time distribution and the CSAT curve need each ticket's pair of values: export the tickets,
or read an export from the server's disk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from intake.metrics.measures import complete_months, month_starts
from intake.uploads.convert import HOURS_PER_UNIT, DurationUnit, parse_ratings


class WarehouseError(ValueError):
    """What cannot be computed in the database, in words for the page."""


@dataclass(frozen=True)
class WarehouseTable:
    """A table or view the database lists, with its columns and which of them hold date-times or numbers."""

    name: str
    columns: tuple[str, ...]
    datetimes: tuple[str, ...]
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class TicketColumns:
    """Which columns of ``table`` hold the ticket's creation, its first response, its rating, its channel and the
    agent time spent on it.

    The first response is ``first_response`` (a duration in ``first_response_unit``) or the time from ``created``
    to ``first_reply`` (a date-time column); ``naive_tz`` is the zone of date-times stored without one.
    ``handle_time`` is a duration in ``handle_time_unit``, fitted per ``channel`` (words as the help desk writes
    them, read as an upload's are).
    """

    table: str
    created: str
    first_response: str | None = None
    first_response_unit: DurationUnit = "h"
    first_reply: str | None = None
    rating: str | None = None
    naive_tz: str = "UTC"
    channel: str | None = None
    handle_time: str | None = None
    handle_time_unit: DurationUnit = "min"

    def __post_init__(self) -> None:
        if self.first_response is not None and self.first_reply is not None:
            raise WarehouseError("choose the first response as a duration or as a first-reply time, not both")
        if self.handle_time is not None and self.channel is None:
            raise WarehouseError("handle times are fitted per channel: choose the channel column too")
        for unit in (self.first_response_unit, self.handle_time_unit):
            if unit not in HOURS_PER_UNIT:
                raise WarehouseError(f"{unit!r} is not a time unit; use ms, s, min, h or d")


@dataclass(frozen=True)
class MonthlyFromDatabase:
    """The monthly KPI table computed in the database, what it rests on, and how long the database took."""

    frame: pd.DataFrame
    tickets: int
    first: pd.Timestamp
    last: pd.Timestamp
    seconds: float
    notes: tuple[str, ...]


def tables(engine: sa.Engine) -> list[WarehouseTable]:
    """The tables and views of the database's default schema, by name."""
    inspector = sa.inspect(engine)
    return [_described(inspector, name) for name in _names(inspector)]


def _names(inspector: sa.Inspector) -> list[str]:
    return sorted({*inspector.get_table_names(), *inspector.get_view_names()})


def _described(inspector: sa.Inspector, name: str) -> WarehouseTable:
    columns = inspector.get_columns(name)
    return WarehouseTable(
        name, tuple(c["name"] for c in columns), tuple(c["name"] for c in columns if _is_datetime(c["type"])),
        tuple(c["name"] for c in columns if isinstance(c["type"], sa.Numeric | sa.Integer | sa.Float)))


def _is_datetime(kind: sa.types.TypeEngine) -> bool:
    return isinstance(kind, sa.DateTime | sa.Date) or type(kind).__name__.upper().startswith("TIMESTAMP")


def _reflect(engine: sa.Engine, columns: TicketColumns) -> sa.Table:
    inspector = sa.inspect(engine)
    if columns.table not in _names(inspector):         # only a name the database lists is ever used
        raise WarehouseError(f"the database has no table or view named {columns.table!r}")
    table = _described(inspector, columns.table)       # that table's columns only, not every table's
    wanted = {"created": columns.created, "first reply": columns.first_reply}
    for what, name in wanted.items():
        if name is not None and name not in table.datetimes:
            raise WarehouseError(f"column {name!r} ({what}) is not a date-time in the database"
                                 + ("" if name in table.columns else f"; {columns.table!r} has no such column"))
    for name in (columns.first_response, columns.rating, columns.channel, columns.handle_time):
        if name is not None and name not in table.columns:
            raise WarehouseError(f"{columns.table!r} has no column {name!r}")
    for name in (columns.first_response, columns.handle_time):
        if name is not None and name not in table.numbers:
            raise WarehouseError(f"column {name!r} is not a number in the database")
    return sa.Table(columns.table, sa.MetaData(), autoload_with=engine)


def _wall(stamps: pd.DatetimeIndex, zoned: bool, naive_tz: str) -> list:
    """Month bounds as the column compares them: instants for a zoned column, wall-clock times in ``naive_tz``."""
    return list(stamps.to_pydatetime()) if zoned else list(stamps.tz_convert(naive_tz).tz_localize(None).to_pydatetime())


def _instant(value: object, zoned: bool, naive_tz: str) -> pd.Timestamp:
    """A stored date-time as a UTC instant; one stored without a zone is wall-clock time in ``naive_tz``, a repeated
    hour read as the first and a skipped one moved forward, as an upload reads them."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        return stamp.tz_convert("UTC")
    return stamp.tz_localize(naive_tz, ambiguous=True, nonexistent="shift_forward").tz_convert("UTC")


def _first_response_h(engine: sa.Engine, t: sa.Table, columns: TicketColumns) -> sa.ColumnElement | None:
    if columns.first_response is not None:
        hours = t.c[columns.first_response] * HOURS_PER_UNIT[columns.first_response_unit]
    elif columns.first_reply is not None:
        reply, created = t.c[columns.first_reply], t.c[columns.created]
        if engine.dialect.name == "postgresql":
            hours = sa.extract("epoch", reply - created) / 3600.0
        elif engine.dialect.name == "sqlite":
            hours = (sa.func.julianday(reply) - sa.func.julianday(created)) * 24.0
        else:
            raise WarehouseError(f"the time from creation to first reply is computed in PostgreSQL and SQLite; in "
                                 f"{engine.dialect.name}, choose a first-response duration column")
    else:
        return None
    return sa.case((hours >= 0, hours), else_=None)        # a reply before creation is no response time


EARLIEST, LATEST = pd.Timestamp("1970-01-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC")


def plausible(created: sa.ColumnElement, zoned: bool, naive_tz: str) -> sa.ColumnElement:
    """Creation times from 1970 to 2099: an upload reads any other as a typing error or a placeholder."""
    low, high = _wall(pd.DatetimeIndex([EARLIEST, LATEST]), zoned, naive_tz)
    return sa.and_(created >= low, created < high)


def monthly_kpis(engine: sa.Engine, columns: TicketColumns) -> MonthlyFromDatabase:
    """Tickets, mean first response and CSAT per calendar month (UTC), computed in the database.

    Raises
    ------
    WarehouseError
        A table or column the database does not list, a column of the wrong kind, or no ticket at all.
    """
    started = time.perf_counter()
    t = _reflect(engine, columns)
    created = t.c[columns.created]
    zoned = bool(getattr(created.type, "timezone", False))
    dated = plausible(created, zoned, columns.naive_tz)
    with engine.connect() as db:
        first, last, count = db.execute(sa.select(sa.func.min(created), sa.func.max(created),
                                                  sa.func.count(created)).where(dated)).one()
        outside = db.execute(sa.select(sa.func.count(created)).where(~dated)).scalar_one()
        if not count:
            raise WarehouseError(f"{columns.table!r} has no ticket created from 1970 to 2099")
        first, last = _instant(first, zoned, columns.naive_tz), _instant(last, zoned, columns.naive_tz)
        months = month_starts(first, last)
        bounds = _wall(months.append(pd.DatetimeIndex([months[-1] + pd.offsets.MonthBegin(1)])), zoned,
                       columns.naive_tz)
        index = sa.case(*((sa.and_(created >= bounds[i], created < bounds[i + 1]), i) for i in range(len(months))),
                        else_=None).label("month_index")
        frt = _first_response_h(engine, t, columns)
        measures = [sa.func.count().label("tickets")]
        if frt is not None:
            measures += [sa.func.sum(frt).label("frt_sum"), sa.func.count(frt).label("frt_n")]
        rows = db.execute(sa.select(index, *measures).where(dated).group_by(index)).all()
        ratings = []
        if columns.rating is not None:
            rating = t.c[columns.rating]
            ratings = db.execute(sa.select(index, rating, sa.func.count()).where(rating.is_not(None), dated)
                                 .group_by(index, rating)).all()
    frame = pd.DataFrame(index=months)
    by_month = pd.DataFrame([tuple(r) for r in rows if r[0] is not None],
                            columns=["i", *[m.name for m in measures]]).set_index("i")
    counts = by_month.reindex(range(len(months)))
    frame["tickets"] = counts["tickets"].fillna(0).to_numpy(dtype=np.float64)
    if frt is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["first_response_h"] = (counts["frt_sum"].astype(np.float64) / counts["frt_n"].astype(np.float64)
                                         ).where(counts["frt_n"].fillna(0) > 0).to_numpy()
    notes = [f"Computed in the database from {int(count):,} tickets of {columns.table!r}, "
             f"{first:%d %b %Y} to {last:%d %b %Y}: one row per month travelled."]
    if outside:
        notes.append(f"{int(outside):,} tickets created before 1970 or from 2100 (placeholders) were left out, as an "
                     "upload leaves them.")
    if ratings:
        frame["csat_pct"], note = _csat(ratings, len(months))
        notes += [f"{columns.rating}: {note}"] if note else []
    frame["tickets"] = frame["tickets"].where(complete_months(months, last))     # a month cut short has no volume
    frame.index.name = "month"
    return MonthlyFromDatabase(frame.reset_index(), int(count), first, last, time.perf_counter() - started,
                               tuple(notes))


def _csat(ratings: list, n_months: int) -> tuple[np.ndarray, str | None]:
    """Share of satisfied among rated per month, from (month, answer, count) rows; answers read as an upload's are."""
    counts = pd.DataFrame([tuple(r) for r in ratings if r[0] is not None], columns=["i", "answer", "n"])
    answers = pd.Series(pd.unique(counts["answer"].astype(str)), dtype="string[pyarrow]")
    parsed = parse_ratings(answers)
    satisfied = dict(zip(answers.tolist(), parsed.satisfied.tolist(), strict=True))
    counts["satisfied"] = counts["answer"].astype(str).map(satisfied)
    rated = counts[counts["satisfied"].notna()]
    good = rated[rated["satisfied"].astype(bool)].groupby("i")["n"].sum()
    total = rated.groupby("i")["n"].sum()
    share = (good.reindex(total.index, fill_value=0) / total).reindex(range(n_months))
    return share.to_numpy(dtype=np.float64), parsed.note
