"""Engines for the store: a SQLite file by default (created on first use), or any SQLAlchemy URL."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, IntegrityError, OperationalError, ProgrammingError

from store.guard import DEADLINE_S, StoreError, StoreUnavailable, within_deadline
from store.tables import LAYOUT_VERSION, metadata, store_meta

SQLITE_BUSY_TIMEOUT_S = 30.0
LOG = logging.getLogger("store")
WRITE = "store_write"          # execution option of the engine that writes (see writer())


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
        if (file := _sqlite_file(parsed.database)) is not None:
            folder = file.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                LOG.error("the store's folder %s cannot be created: %s", folder, exc)
                raise StoreError(f"The folder for the store cannot be created ({exc.strerror or 'refused'}); the "
                                 "server's log names it.") from None
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
    elif parsed.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"connect_timeout": max(1, int(DEADLINE_S))}
    try:
        engine = create_engine(parsed, pool_pre_ping=True, **kwargs)
    except ModuleNotFoundError as exc:
        raise StoreError(f"The database driver '{exc.name}' for {parsed.drivername} is not installed. For "
                         "PostgreSQL install the project with its postgres extra: pip install -e '.[postgres]'.") from None
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    try:
        within_deadline(engine, "connect", lambda: _create(engine))
    except StoreUnavailable:
        LOG.error("the store at %s gave no answer within %.1f s", parsed.render_as_string(hide_password=True),
                  DEADLINE_S)
        raise StoreUnavailable(f"The store's database gave no answer within {DEADLINE_S:g} s. Your work is kept in "
                               "this session; the store is tried again on the next page.") from None
    except StoreError:
        raise
    except Exception as exc:   # the driver's own errors: refused connection, bad password, read-only file
        LOG.error("the store at %s cannot be opened: %s", parsed.render_as_string(hide_password=True), exc)
        raise StoreError(f"The store cannot be opened ({type(exc).__name__}); the server's log says where and "
                         "why.") from exc
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    file = _sqlite_file(engine.url.database)
    path = str(file.resolve()) if file is not None else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None          # pysqlite must not emit its own BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        if path is not None:
            record.info[FILE_KEY] = _identity(path)

    @event.listens_for(engine, "checkout")
    def _on_checkout(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        # A file put back in place of the one this connection opened (a restore): connect again, to the file now
        # there. A file that is gone leaves the connection be, and the commit below refuses every change.
        now = _identity(path) if path is not None else None
        if now is not None and now != record.info.get(FILE_KEY):
            raise DisconnectionError("the store's file was replaced since this connection opened it")

    @event.listens_for(engine, "commit")
    def _on_commit(conn: Any) -> None:
        # An open SQLite file removed or replaced (its folder deleted, a restore copied over it) still takes writes,
        # which are gone at the next start: such a commit is refused, so no page says "Saved" for it.
        if path is not None and _identity(path) != conn.info.get(FILE_KEY):
            LOG.error("the store's file %s was removed or replaced while open; a change was refused", path)
            raise StoreError("The store's file was removed or replaced while the app ran, so this change was not "
                             "kept. Your work is kept in this session; ask whoever runs the app to restore the "
                             "store (the server's log names its file).")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


FILE_KEY = "store_file"


def _sqlite_file(database: str | None) -> Path | None:
    """The file a SQLite URL's database names; None in memory or for a ``file:`` URI."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _identity(path: str) -> tuple[int, int] | None:
    """The file at ``path`` as the system knows it (device, inode); None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


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
        elif int(found) < LAYOUT_VERSION:      # tables added since (create_all made them): older versions refuse it now
            conn.execute(store_meta.update().where(store_meta.c.key == "layout_version")
                         .values(value=str(LAYOUT_VERSION)))
        elif int(found) > LAYOUT_VERSION:
            raise StoreError(f"The store was written by a newer version of the product (tables version {found}; "
                             f"this version knows up to {LAYOUT_VERSION}). Update the product to open it.")
