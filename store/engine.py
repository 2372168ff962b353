"""Engines for the store: a SQLite file by default (created on first use), or any SQLAlchemy URL."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, ProgrammingError

from store.tables import LAYOUT_VERSION, metadata, store_meta

SQLITE_BUSY_TIMEOUT_S = 30.0
WRITE = "store_write"          # execution option of the engine that writes (see writer())


class StoreError(RuntimeError):
    """The store cannot be used as configured; the message says why and what to change."""


def default_url() -> str:
    """The SQLite file used when nothing else is configured (``~/.local/share/support-roi-simulator``)."""
    path = Path.home() / ".local" / "share" / "support-roi-simulator" / "store.sqlite3"
    return f"sqlite:///{path}"


def connect(url: str) -> Engine:
    """An engine on ``url`` with the store's tables created if missing.

    SQLite: the file and its folder are created; a transaction of :func:`writer` starts with
    ``BEGIN IMMEDIATE`` so concurrent writers queue on the busy timeout instead of failing on a
    lock upgrade, others with a plain ``BEGIN``; the journal is in WAL mode so readers never wait
    for a writer.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError("The store URL cannot be read. Write it as an SQLAlchemy URL, e.g. "
                         "sqlite:////path/to/store.sqlite3 or postgresql+psycopg://user:password@host/db.") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"The folder {folder} for the store cannot be created: {exc.strerror or exc}.") from None
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
    try:
        engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
    except ModuleNotFoundError as exc:
        raise StoreError(f"The database driver '{exc.name}' for {parsed.drivername} is not installed. For "
                         "PostgreSQL install the project with its postgres extra: pip install -e '.[postgres]'.") from None
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    try:
        _create(engine)
    except StoreError:
        raise
    except Exception as exc:   # the driver's own errors: refused connection, bad password, read-only file
        raise StoreError(f"The store at {parsed.render_as_string(hide_password=True)} cannot be opened: "
                         f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from exc
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None          # pysqlite must not emit its own BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The engine for transactions that write (``BEGIN IMMEDIATE`` on SQLite; the same elsewhere)."""
    return engine.execution_options(**{WRITE: True})


def _create(engine: Engine, attempts: int = 5) -> None:
    """Create missing tables and check their version; servers starting together on an empty database
    race on the same ``CREATE TABLE`` and first row, so a clash is tried again after the winner's commit."""
    for attempt in range(attempts):
        try:
            metadata.create_all(engine)
            _check_layout(engine)
            return
        except (IntegrityError, ProgrammingError, OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


def _check_layout(engine: Engine) -> None:
    with writer(engine).begin() as conn:
        found = conn.execute(select(store_meta.c.value).where(store_meta.c.key == "layout_version")).scalar()
        if found is None:
            conn.execute(store_meta.insert().values(key="layout_version", value=str(LAYOUT_VERSION)))
        elif int(found) > LAYOUT_VERSION:
            raise StoreError(f"The store was written by a newer version of the product (tables version {found}; "
                             f"this version knows up to {LAYOUT_VERSION}). Update the product to open it.")
