"""The only st.cache_* wrappers. The model is pure, so a scenario's projection is cached by its JSON.

``cache_resource`` keeps the object itself (no pickling) and shares it among sessions; callers must not
mutate it.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from intake.metrics import HandleTimes
from intake.uploads import LargeFile, Loaded, Mapping, TableName, options_key, read_kept, read_large
from intake.warehouse import (
    MonthlyFromDatabase,
    TicketColumns,
    TicketSummary,
    WarehouseTable,
    WeekCounts,
    handle_times_by_channel,
    hour_of_week_counts,
    monthly_kpis,
    tables,
    ticket_summary,
)
from model import SEED, Projection, Scenario, scenario_from_json, scenario_to_json, simulate
from store import UploadHead


# One model run at a time in the server. A run at 1,000 draws keeps both cores of this machine busy on its own (the
# response table's rows run on one thread per CPU); runs side by side only fought over memory and caches. With ten
# sessions each moving a lever every 2 s, a move cost the server 0.29 s of CPU and waited 2.3 s (median) with
# every run at once; one at a time, 0.15-0.18 s and 0.2-0.6 s. A session alone never waits.
_MODEL = threading.Lock()


# A projection at 1,000 draws holds about 5 MB (each cash line per draw and month): 48 of them bound the cache near
# 240 MB, a few for each of a meeting room of sessions. When nobody is connected they are let go (ui.idle).
@st.cache_resource(max_entries=48, show_spinner=False)
def _projection_of(scenario_json: str, draws: int) -> Projection:
    with _MODEL:
        return simulate(scenario_from_json(scenario_json), draws=draws, seed=SEED)


def model_busy() -> bool:
    """Whether a model run is under way (for work that should only use an idle model: ``ui.ahead``)."""
    return _MODEL.locked()


def projection(scenario: Scenario, draws: int = 0) -> Projection:
    """The scenario's projection with ``draws`` Monte Carlo draws (0: the point view only), fixed seed."""
    return _projection_of(scenario_to_json(scenario), int(draws))


# A 1M-ticket table read and typed holds a few hundred MB: a handful of kept tables at most (three tables,
# and the one a reading option or time zone was just changed from).
@st.cache_resource(max_entries=6, show_spinner=False)
def _kept_table(table: TableName, file_name: str, sha256: str, options: str, assume_tz: str,
                _content: Callable[[], bytes]) -> Loaded:
    return read_kept(_content(), file_name, table, json.loads(options), assume_tz)


def kept_table(head: UploadHead, assume_tz: str, content: Callable[[], bytes]) -> Loaded:
    """A workspace's kept file read with its options, once for every session: by its digest, options and time
    zone. ``content()`` gives its bytes, asked for only when no session has read it that way yet."""
    return _kept_table(head.table, head.file_name, head.sha256, options_key(head.options),  # type: ignore[arg-type]
                       assume_tz, content)


def forget_per_case() -> None:
    """Let go of every projection and kept table read (what only the sessions that asked use)."""
    _projection_of.clear()
    forget_kept_tables()
    _large_table.clear()


def forget_kept_tables() -> None:
    """Drop every kept table read (tests, and a deployment that needs the memory back)."""
    _kept_table.clear()


# A table read from the server's disk may hold tens of millions of rows: two at most.
@st.cache_resource(max_entries=2, show_spinner=False)
def _large_table(path: str, size_bytes: int, modified_ns: int, table: TableName, mapping_json: str | None,
                 assume_tz: str, _progress: Callable[[float, str], None]) -> Loaded:
    mapping = Mapping.from_json(mapping_json) if mapping_json else None
    return read_large(LargeFile(Path(path), size_bytes, modified_ns), table=table, mapping=mapping,
                      assume_tz=assume_tz, progress=_progress)


def large_table(file: LargeFile, table: TableName, mapping: Mapping | None, assume_tz: str,
                progress: Callable[[float, str], None] = lambda *_: None) -> Loaded:
    """A file on the server's disk read as ``table``, once for every session: by its path, size, time of change,
    mapping and time zone (a changed file is read again)."""
    return _large_table(str(file.path), file.size_bytes, file.modified_ns, table,
                        mapping.to_json() if mapping is not None else None, assume_tz, progress)


@st.cache_resource(max_entries=4, show_spinner=False)
def _warehouse(url: str):
    import sqlalchemy as sa

    return sa.create_engine(url, pool_pre_ping=True)


@st.cache_resource(ttl=60, max_entries=4, show_spinner=False)
def warehouse_tables(url: str) -> list[WarehouseTable]:
    """The tables and views of the team's database (asked again after a minute)."""
    return tables(_warehouse(url))


def _columns_key(columns: TicketColumns) -> str:
    """The chosen columns as one canonical string (the database caches' key; read back by ``TicketColumns(**...)``)."""
    return json.dumps(dataclasses.asdict(columns), sort_keys=True)


@st.cache_resource(ttl=600, max_entries=8, show_spinner=False)
def _warehouse_months(url: str, columns_json: str) -> MonthlyFromDatabase:
    return monthly_kpis(_warehouse(url), TicketColumns(**json.loads(columns_json)))


def warehouse_months(url: str, columns: TicketColumns) -> MonthlyFromDatabase:
    """The monthly KPI table computed in the team's database, shared by every session for ten minutes."""
    return _warehouse_months(url, _columns_key(columns))


@st.cache_resource(ttl=600, max_entries=8, show_spinner=False)
def _warehouse_week(url: str, columns_json: str, utc_offset_h: float) -> WeekCounts:
    return hour_of_week_counts(_warehouse(url), TicketColumns(**json.loads(columns_json)), utc_offset_h)


def warehouse_week(url: str, columns: TicketColumns, utc_offset_h: float) -> WeekCounts:
    """Tickets per local hour of week counted in the team's database, shared by every session for ten minutes."""
    return _warehouse_week(url, _columns_key(columns), float(utc_offset_h))


@st.cache_resource(ttl=600, max_entries=8, show_spinner=False)
def _warehouse_summary(url: str, columns_json: str) -> TicketSummary:
    return ticket_summary(_warehouse(url), TicketColumns(**json.loads(columns_json)))


def warehouse_summary(url: str, columns: TicketColumns) -> TicketSummary:
    """The headline ticket figures computed in the team's database, shared by every session for ten minutes."""
    return _warehouse_summary(url, _columns_key(columns))


@st.cache_resource(ttl=600, max_entries=8, show_spinner=False)
def _warehouse_handle_times(url: str, columns_json: str) -> dict[str, HandleTimes]:
    return handle_times_by_channel(_warehouse(url), TicketColumns(**json.loads(columns_json)))


def warehouse_handle_times(url: str, columns: TicketColumns) -> dict[str, HandleTimes]:
    """Each channel's handle-time figures computed in the team's database, shared by every session for ten
    minutes."""
    return _warehouse_handle_times(url, _columns_key(columns))
