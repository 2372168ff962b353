"""Ticket history in the team's database -> the headline ticket figures, computed there.

Tickets, the first response's mean, median and 90th percentile, and CSAT: counts and sums travel, and for each
quantile the two values it lies between (found by ordering in the database: every SQL database can, none needs a
percentile function), interpolated here linearly as numpy's ``percentile`` does for an upload.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from intake.uploads.convert import parse_ratings
from intake.warehouse.months import TicketColumns, _first_response_h, _reflect, plausible


@dataclass(frozen=True)
class TicketSummary:
    """What the database says of all its tickets: counts, the first response's sum and quantiles, CSAT's base."""

    tickets: int
    responded: int
    first_response_sum_h: float | None
    first_response_median_h: float | None
    first_response_p90_h: float | None
    rated: int
    satisfied: int


def _quantile(db: sa.Connection, value: sa.ColumnElement, n: int, q: float, where: sa.ColumnElement) -> float:
    """The ``q`` quantile of the ``n`` non-null ``value`` by linear interpolation between the two values around it."""
    position = q * (n - 1)
    low = math.floor(position)
    pair = db.execute(sa.select(value).where(value.is_not(None), where).order_by(value).offset(low).limit(2)
                      ).scalars().all()
    if len(pair) == 1:
        return float(pair[0])
    return float(pair[0]) + (position - low) * (float(pair[1]) - float(pair[0]))


def ticket_summary(engine: sa.Engine, columns: TicketColumns) -> TicketSummary:
    """The headline ticket figures of ``columns.table``, computed in the database."""
    t = _reflect(engine, columns)
    frt = _first_response_h(engine, t, columns)
    created = t.c[columns.created]
    dated = plausible(created, bool(getattr(created.type, "timezone", False)), columns.naive_tz)
    with engine.connect() as db:
        tickets = int(db.execute(sa.select(sa.func.count(created)).where(dated)).scalar_one())
        responded, total, median, p90 = 0, None, None, None
        if frt is not None:
            value = frt.label("frt_h")
            responded, total = db.execute(sa.select(sa.func.count(value), sa.func.sum(value)).where(dated)).one()
            responded = int(responded)
            if responded:
                total = float(total)
                median, p90 = (_quantile(db, frt, responded, q, dated) for q in (0.5, 0.9))
        rated = satisfied = 0
        if columns.rating is not None:
            rating = t.c[columns.rating]
            answers = db.execute(sa.select(rating, sa.func.count()).where(rating.is_not(None), dated)
                                 .group_by(rating)).all()
            if answers:
                words = pd.Series([str(a) for a, _ in answers], dtype="string[pyarrow]")
                flags = parse_ratings(words).satisfied.tolist()
                for (_, n), flag in zip(answers, flags, strict=True):
                    if flag is not pd.NA and flag is not None:
                        rated += int(n)
                        satisfied += int(n) if bool(flag) else 0
    return TicketSummary(tickets, responded, total, median, p90, rated, satisfied)
