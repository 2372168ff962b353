"""Every store call answered in words a page can show, and, on a database server, within a deadline.

A frozen database server (a stopped process, a network that swallows packets) would hold every page for minutes:
the driver waits on an open connection for an answer that does not come, and neither a server-side statement
timeout nor TCP keepalives end that wait. So on a database reached over the network each call runs in a worker
thread and is given up after :data:`DEADLINE_S`; while a call given up is still waiting, every other call on that
database fails at once (:class:`StoreUnavailable`) instead of queueing behind it. Once the given-up calls have
returned (the server answers again), that state ends: they are the health check. A SQLite file is local and its
waits are bounded by its busy timeout, so its calls run in the caller's thread.

Failures are told apart (:func:`failure_message`): a temporary one (a lock, a lost connection, a server shutting
down) says to try again; a permanent one (no rights, a read-only file, a full disk, a missing table) says that it
will not pass by itself. Paths, hosts and user names stay in the server's log, never in a page's message.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")
LOG = logging.getLogger("store")

DEADLINE_S = 4.0                 # a store call on a database server answers within this, so a page says it in 5 s
BULK_BYTES_PER_S = 20e6          # a write of a large file gets this much longer: its bytes at a slow network's pace
WORKERS = 32                     # calls at once on database servers (a meeting room of sessions, with room to spare)


class StoreError(RuntimeError):
    """The store cannot be used as configured or as it is; the message says why and what to do."""


class StoreUnavailable(StoreError):
    """The database did not answer in time, or is still not answering a call given up earlier."""


UNAVAILABLE = ("The store is not answering (no reply within {deadline:g} s). Your work is kept in this session; "
               "save it again once the store is back.")
GIVEN_UP = ("The store did not answer within {deadline:g} s, so this change may or may not have been kept: look for "
            "it once the store is back. Your work is kept in this session.")

_POOL = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="store-call")
_inside = threading.local()
_waiting: dict[int, set[Future]] = {}       # per engine: calls given up that have not returned yet
_lock = threading.Lock()


def guarded(method: Callable[..., T]) -> Callable[..., T]:
    """``method`` of a store object (one with an ``engine``), its database failures as :class:`StoreError` and, on a
    database server, given up after :data:`DEADLINE_S`."""
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
        return within_deadline(self.engine, method.__qualname__,
                               functools.partial(translated, functools.partial(method, self, *args, **kwargs)))
    return wrapper


def within_deadline(engine: Engine, label: str, call: Callable[[], T], deadline_s: float | None = None) -> T:
    """``call()`` on ``engine``: in this thread on SQLite or inside another store call, else in a worker given up
    after :data:`DEADLINE_S` (then :class:`StoreUnavailable`, and every call on the engine fails at once until
    the given-up one returns)."""
    if engine.dialect.name == "sqlite" or getattr(_inside, "depth", 0):
        return call()
    key = id(engine)
    with _lock:
        waiting = _waiting.setdefault(key, set())
        waiting.difference_update([f for f in waiting if f.done()])
        if waiting:
            raise StoreUnavailable(UNAVAILABLE.format(deadline=DEADLINE_S))
    deadline = DEADLINE_S if deadline_s is None else deadline_s
    future = _POOL.submit(_in_worker, call)
    try:
        return future.result(timeout=deadline)
    except FutureTimeout:
        if future.cancel():           # it never started (every worker busy): nothing was done
            raise StoreUnavailable(UNAVAILABLE.format(deadline=DEADLINE_S)) from None
        with _lock:
            _waiting.setdefault(key, set()).add(future)
        LOG.warning("store call %s gave no answer within %.1f s; the store is unavailable until it returns", label,
                    deadline)
        raise StoreUnavailable(GIVEN_UP.format(deadline=deadline)) from None


def unguarded(method: Callable[..., T]) -> Callable[..., T]:
    """Leave ``method`` out of :func:`guard_class`: it does its own work first and guards its store calls itself
    (a large upload is compressed and hashed before its write, which gets a deadline by its size)."""
    method._unguarded = True  # type: ignore[attr-defined]
    return method


def guard_class(cls: type) -> type:
    """Every public method of ``cls`` :func:`guarded` (except those marked :func:`unguarded`)."""
    for name, member in list(vars(cls).items()):
        if callable(member) and not name.startswith("_") and not getattr(member, "_unguarded", False):
            setattr(cls, name, guarded(member))
    return cls


def _in_worker(call: Callable[[], T]) -> T:
    _inside.depth = 1
    try:
        return call()
    finally:
        _inside.depth = 0


def translated(call: Callable[[], T]) -> T:
    """``call()`` with the database's failures as :class:`StoreError`, in words a page can show."""
    try:
        return call()
    except DBAPIError as exc:
        LOG.warning("store call failed: %s", exc)
        raise StoreError(failure_message(exc)) from exc


# SQLSTATE classes that pass by themselves: a connection lost, resources short, a transaction to run again, an
# operator stopping or restarting the server; but a full disk (53100) or a configured limit (53400) does not.
_TEMPORARY_SQLSTATE = ("08", "53", "40", "57", "55")
_PERMANENT_SQLSTATE = ("53100", "53400")
_PERMANENT_SQLITE = ("readonly", "read-only", "unable to open", "disk i/o", "full", "no such table", "malformed",
                     "not a database", "no such column")


def failure_message(exc: DBAPIError) -> str:
    """What a page says of a database failure: temporary ones are worth trying again, permanent ones are not."""
    if is_temporary(exc):
        return "The store could not be read or written just now. Nothing was changed; try again in a moment."
    return ("The store cannot be written or read as it is (its database refused the change: no rights, a read-only "
            "or full disk, or tables another version changed). Nothing was changed, and trying again will not help: "
            "ask whoever runs the app to look at the server's log.")


def is_temporary(exc: DBAPIError) -> bool:
    """A lock, a lost or refused connection, a timeout, a server restarting: not a rule the database enforces."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return str(sqlstate)[:2] in _TEMPORARY_SQLSTATE and str(sqlstate) not in _PERMANENT_SQLSTATE
    if isinstance(orig, sqlite3.OperationalError):
        text = str(orig).lower()
        return not any(word in text for word in _PERMANENT_SQLITE)
    return bool(exc.connection_invalidated) or type(orig).__name__ in ("OperationalError", "InterfaceError")
