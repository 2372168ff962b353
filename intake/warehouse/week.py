"""Ticket history in the team's database -> tickets per local hour of week, counted there (168 rows travel).

The arrival profile is fitted to this count exactly as to an upload's (:func:`calibration.fit_arrival_counts`). The
local clock is UTC plus the offset the Calibrate page sets; date-times stored without a zone are read in their zone
first. PostgreSQL converts zones itself; SQLite has none, so there the stored times must be UTC.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from intake.warehouse.months import TicketColumns, WarehouseError, _instant, _reflect, plausible


@dataclass(frozen=True)
class WeekCounts:
    """Tickets per local hour of week (Monday 00-01 first) and the first and last local creation times."""

    counts: np.ndarray
    first_local: pd.Timestamp
    last_local: pd.Timestamp


def hour_of_week_counts(engine: sa.Engine, columns: TicketColumns, utc_offset_h: float) -> WeekCounts:
    """Tickets per local hour of week, counted in the database (local = UTC + ``utc_offset_h``)."""
    t = _reflect(engine, columns)
    created = t.c[columns.created]
    zoned = bool(getattr(created.type, "timezone", False))
    minutes = int(round(utc_offset_h * 60))
    if engine.dialect.name == "postgresql":
        utc = sa.func.timezone("UTC", created if zoned else sa.func.timezone(columns.naive_tz, created))
        local = utc + sa.func.make_interval(0, 0, 0, 0, 0, minutes)
        slot = (sa.extract("isodow", local) - 1) * 24 + sa.extract("hour", local)
    elif engine.dialect.name == "sqlite":
        if columns.naive_tz.upper() not in ("UTC", "ETC/UTC"):
            raise WarehouseError("SQLite stores no time zones: the hour of week is counted there only for times "
                                 "stored in UTC")
        shift = f"{minutes:+d} minutes"
        weekday = (sa.cast(sa.func.strftime("%w", created, shift), sa.Integer) + 6) % 7       # Monday 0
        slot = weekday * 24 + sa.cast(sa.func.strftime("%H", created, shift), sa.Integer)
    else:
        raise WarehouseError(f"the hour of week is counted in PostgreSQL and SQLite, not in {engine.dialect.name}")
    slot = slot.label("slot")
    dated = plausible(created, zoned, columns.naive_tz)
    with engine.connect() as db:
        rows = db.execute(sa.select(slot, sa.func.count()).where(dated).group_by(slot)).all()
        first, last = db.execute(sa.select(sa.func.min(created), sa.func.max(created)).where(dated)).one()
    if first is None:
        raise WarehouseError(f"{columns.table!r} has no ticket with a creation time")
    counts = np.zeros(168)
    for where, n in rows:
        if where is not None:
            counts[int(where)] += n
    offset = pd.Timedelta(minutes=minutes)
    first_local = _instant(first, zoned, columns.naive_tz).tz_localize(None) + offset
    last_local = _instant(last, zoned, columns.naive_tz).tz_localize(None) + offset
    return WeekCounts(counts, first_local, last_local)
