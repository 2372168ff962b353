"""Ticket history in the team's database -> each channel's handle-time figures, computed there.

What the handle-time fit reads (:class:`intake.metrics.handle_times.HandleTimes`) is counts, sums, two ordered values
per quantile and a histogram, so only those travel: two passes over the tickets grouped by channel: the first for
the counts, the bounds, the sums and (in PostgreSQL, by ``percentile_cont``) the median and 90th percentile; the
second for the histogram's bins and the squared deviations from each channel's mean (two passes keep the SD exact
where a sum of squares would lose it). Elsewhere each quantile is read as the two values around it, found by ordering
as :mod:`intake.warehouse.summary` does.

The channel column holds the help desk's own words; the distinct words travel once and are read as an upload's are
(``intake.uploads.mapping.normalise_channels``: "Voice" and "inbound call" are both phone). Tickets created outside
1970-2099, without a channel, or with a handle time that is not a positive finite number are left out, as an
upload's fit leaves them out.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import sqlalchemy as sa

from intake.metrics.handle_times import HISTOGRAM_BINS, HandleTimes, log_edges
from intake.uploads.convert import HOURS_PER_UNIT
from intake.uploads.mapping import normalise_channels
from intake.warehouse.months import TicketColumns, WarehouseError, _reflect, plausible
from intake.warehouse.summary import _quantile

MOST_CHANNEL_WORDS = 1_000       # more distinct values than this: not a channel column


def handle_times_by_channel(engine: sa.Engine, columns: TicketColumns) -> dict[str, HandleTimes]:
    """Each channel's handle-time figures (minutes), by the product's channel name; a channel with fewer than two
    usable times is left out.

    Raises
    ------
    WarehouseError
        No channel or handle-time column chosen, a column of the wrong kind, a channel column of free text, or a
        database without a natural logarithm.
    """
    if columns.channel is None or columns.handle_time is None:
        raise WarehouseError("choose the channel and the handle-time columns")
    t = _reflect(engine, columns)
    created, word = t.c[columns.created], t.c[columns.channel]
    minutes = t.c[columns.handle_time] * (HOURS_PER_UNIT[columns.handle_time_unit] * 60.0)
    usable = sa.and_(plausible(created, bool(getattr(created.type, "timezone", False)), columns.naive_tz),
                     minutes > 0, minutes < math.inf, word.is_not(None))
    with engine.connect() as db:
        words = db.execute(sa.select(word).where(usable).group_by(word).limit(MOST_CHANNEL_WORDS + 1)).scalars().all()
        if len(words) > MOST_CHANNEL_WORDS:
            raise WarehouseError(f"column {columns.channel!r} has more than {MOST_CHANNEL_WORDS:,} different values; "
                                 "choose the column that names the channel (e-mail, chat, phone)")
        names = normalise_channels(pd.Series(words, dtype=object))
        named = {w: n for w, n in zip(words, names, strict=True) if isinstance(n, str)}
        if not named:
            return {}
        try:            # a blank word names no channel: its tickets are left out, as an upload's are
            return _by_channel(db, minutes, sa.case(named, value=word), sa.and_(usable, word.in_(list(named))))
        except sa.exc.OperationalError as err:
            if "ln" not in str(err).lower():
                raise
            raise WarehouseError("this database has no natural logarithm (LN), which the handle-time fit needs; "
                                 "export the tickets instead") from err


def _by_channel(db: sa.Connection, minutes: sa.ColumnElement, channel: sa.ColumnElement,
                usable: sa.ColumnElement) -> dict[str, HandleTimes]:
    """Two passes over the usable tickets grouped by channel (PostgreSQL's ``percentile_cont`` finds the quantiles
    in the first; elsewhere two ordered reads a channel do), then each channel's figures."""
    channel = channel.label("channel")
    ordered = db.dialect.name == "postgresql"
    quantiles = [sa.func.percentile_cont(q).within_group(minutes) for q in (0.5, 0.9)] if ordered else []
    first = {row[0]: row[1:] for row in db.execute(sa.select(
        channel, sa.func.count(minutes), sa.func.sum(minutes), sa.func.min(minutes), sa.func.max(minutes),
        sa.func.sum(sa.func.ln(minutes)), *quantiles).where(usable).group_by(channel)).all()}
    first = {name: row for name, row in first.items() if row[0] >= 2}
    if not first:
        return {}
    means = {name: float(row[1]) / row[0] for name, row in first.items()}
    log_means = {name: float(row[4]) / row[0] for name, row in first.items()}
    edges = {name: log_edges(float(row[2]), float(row[3]), HISTOGRAM_BINS) for name, row in first.items()}
    # Each time's bin: the first inner edge above it; the last bin holds the longest time too, as np.histogram's.
    bin_of = sa.case({name: sa.case(*((minutes < float(x), i) for i, x in enumerate(e[1:-1])), else_=len(e) - 2)
                      if len(e) > 2 else sa.literal(0) for name, e in edges.items()}, value=channel.element)
    mean, log_mean = (sa.case({n: float(v) for n, v in of.items()}, value=channel.element)
                      for of in (means, log_means))
    bins = bin_of.label("bin")
    counts = {name: np.zeros(len(e) - 1, dtype=np.int64) for name, e in edges.items()}
    squares = {name: [0.0, 0.0] for name in edges}
    for name, i, n, sq, log_sq in db.execute(sa.select(
            channel, bins, sa.func.count(), sa.func.sum((minutes - mean) * (minutes - mean)),
            sa.func.sum((sa.func.ln(minutes) - log_mean) * (sa.func.ln(minutes) - log_mean)))
            .where(usable, channel.element.in_(list(edges))).group_by(channel, bins)).all():
        counts[name][int(i)] = n
        squares[name][0] += float(sq)
        squares[name][1] += float(log_sq)
    out = {}
    for name, row in first.items():
        n = int(row[0])
        if ordered:
            median, p90 = float(row[5]), float(row[6])
        else:
            where = sa.and_(usable, channel.element == name)
            median, p90 = (_quantile(db, minutes, n, q, where) for q in (0.5, 0.9))
        out[name] = HandleTimes(n, means[name], math.sqrt(squares[name][0] / (n - 1)), log_means[name],
                                math.sqrt(squares[name][1] / (n - 1)), median, p90, edges[name], counts[name])
    return out
