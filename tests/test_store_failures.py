"""The store when its database fails: a frozen server answers within the deadline, a removed file takes no change
that a page would call saved, and messages tell temporary from permanent without naming paths, hosts or users."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time

import pytest
from sqlalchemy.exc import OperationalError

from store import Repository, StoreError, StoreUnavailable, connect, scenario_document
from store import guard
from store.guard import failure_message, is_temporary
from tests.conftest import POSTGRES_URL, _postgres_engine
from view.controls import scenario_of

DOC = scenario_document(scenario_of({"centre_on": True}), name="Plan")


# --- a SQLite file removed or replaced while open ---------------------------------------------------------------

def test_a_store_folder_removed_while_open_refuses_the_save_instead_of_calling_it_saved(tmp_path):
    folder = tmp_path / "store"
    repo = Repository(connect(f"sqlite:///{folder / 'store.sqlite3'}"))
    ws = repo.default_workspace()
    repo.save_scenario(ws.id, DOC)
    shutil.rmtree(folder)
    with pytest.raises(StoreError, match="removed or replaced while the app ran, so this change was not kept") as err:
        repo.save_scenario(ws.id, {**DOC, "name": "Second"})
    assert str(folder) not in str(err.value)                       # the path is in the server's log only
    with pytest.raises(StoreError):
        repo.rename_workspace(ws.id, "Renamed")


def test_a_store_file_restored_in_place_is_used_at_once(tmp_path):
    """After a restore the running app writes to the restored file (its old connections pointed at the old one)."""
    path = tmp_path / "store.sqlite3"
    repo = Repository(connect(f"sqlite:///{path}"))
    ws = repo.default_workspace()
    repo.save_scenario(ws.id, DOC)
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(path) as source, sqlite3.connect(backup) as target:
        source.backup(target)                                       # SQLite's own backup, as a deployment makes one
    repo.save_scenario(ws.id, {**DOC, "name": "After the backup"})
    for stale in (path, tmp_path / "store.sqlite3-wal", tmp_path / "store.sqlite3-shm"):
        stale.unlink(missing_ok=True)                               # a WAL database is restored without its log
    shutil.copy(backup, path)                                       # the backup restored
    assert [s.name for s in repo.scenarios(ws.id)] == ["Plan"]
    repo.save_scenario(ws.id, {**DOC, "name": "After the restore"})
    assert sorted(s.name for s in Repository(connect(f"sqlite:///{path}")).scenarios(ws.id)) == [
        "After the restore", "Plan"]


def test_a_store_left_alone_keeps_every_save_after_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    repo = Repository(connect(url))
    ws = repo.default_workspace()
    saved = repo.save_scenario(ws.id, DOC)
    repo.engine.dispose()
    again = Repository(connect(url))
    assert [s.id for s in again.scenarios(ws.id)] == [saved.id]


# --- temporary or permanent -------------------------------------------------------------------------------------

class _Coded(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


@pytest.mark.parametrize("orig, temporary", [
    (sqlite3.OperationalError("database is locked"), True),
    (sqlite3.OperationalError("attempt to write a readonly database"), False),
    (sqlite3.OperationalError("database or disk is full"), False),
    (sqlite3.OperationalError("unable to open database file"), False),
    (_Coded("08006"), True),              # connection failure
    (_Coded("57P01"), True),              # administrator shut the server down
    (_Coded("40001"), True),              # serialization failure: run it again
    (_Coded("42501"), False),             # insufficient privilege
    (_Coded("42P01"), False),             # undefined table
    (_Coded("28P01"), False),             # wrong password
    (_Coded("53100"), False),             # disk full
    (_Coded("53300"), True),              # too many connections
])
def test_a_failure_is_called_temporary_only_when_trying_again_can_help(orig, temporary):
    exc = OperationalError("SELECT 1", {}, orig)
    assert is_temporary(exc) is temporary
    said = failure_message(exc)
    assert ("try again in a moment" in said) is temporary
    assert ("trying again will not help" in said) is (not temporary)


def test_a_store_that_cannot_be_opened_names_no_host_user_or_path():
    with pytest.raises(StoreError) as err:
        connect("postgresql+psycopg://secret_user:pw@127.0.0.1:9/secret_db")
    said = str(err.value)
    assert "cannot be opened" in said and "server's log" in said
    assert not any(word in said for word in ("secret_user", "127.0.0.1", ":9", "secret_db", "pw"))


# --- a frozen database server -----------------------------------------------------------------------------------

class FreezingProxy:
    """A TCP relay to the database that can stop relaying: the server's socket still takes the bytes (as a stopped
    server's kernel does), and no answer comes back until it thaws."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.01)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.frozen.clear()
        self.listener.close()


@pytest.fixture()
def frozen_postgres(monkeypatch):
    from sqlalchemy.engine import make_url
    _postgres_engine()                         # an empty store, or a skip (a failure in CI) naming why
    url = POSTGRES_URL
    monkeypatch.setattr(guard, "DEADLINE_S", 1.5)
    parsed = make_url(url)
    proxy = FreezingProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
    yield proxy, parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxy.close()


def test_a_frozen_database_answers_within_the_deadline_then_fails_fast_until_it_thaws(frozen_postgres):
    proxy, url = frozen_postgres
    repo = Repository(connect(url))
    ws = repo.default_workspace()
    repo.scenarios(ws.id)
    proxy.frozen.set()
    start = time.perf_counter()
    with pytest.raises(StoreUnavailable, match="may or may not have been kept"):
        repo.save_scenario(ws.id, DOC)
    assert time.perf_counter() - start < 1.5 + 1.0
    start = time.perf_counter()
    with pytest.raises(StoreUnavailable, match="Your work is kept in this session"):
        repo.scenarios(ws.id)
    assert time.perf_counter() - start < 0.2                       # no second wait behind the first
    proxy.frozen.clear()
    deadline = time.time() + 10
    while True:                                                    # the given-up save returns: the store is back
        try:
            listed = repo.scenarios(ws.id)
            break
        except StoreUnavailable:
            assert time.time() < deadline, "the store stayed unavailable after the database thawed"
            time.sleep(0.05)
    assert "Plan" in [s.name for s in listed]                      # it was kept after all, as the message allowed
    repo.engine.dispose()


def test_a_frozen_database_at_start_is_named_within_the_deadline(frozen_postgres):
    proxy, url = frozen_postgres
    proxy.frozen.set()
    start = time.perf_counter()
    with pytest.raises(StoreError):
        connect(url)
    assert time.perf_counter() - start < 1.5 + 1.0


def test_every_page_says_the_store_is_unavailable_within_the_deadline_and_keeps_working(frozen_postgres, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    from ui.page import PAGES
    proxy, url = frozen_postgres
    monkeypatch.setenv("ROI_STORE_URL", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/1_Scenario.py").run()
    assert not at.exception
    npv = next(m.value for m in at.metric if m.label == "NPV (median)")
    proxy.frozen.set()
    for i, (target, _, _) in enumerate(PAGES):
        start = time.perf_counter()
        at.switch_page(target).run()
        took = time.perf_counter() - start
        assert not at.exception, (target, [e.value for e in at.exception])
        assert took < (1.5 + 2.0 if i == 0 else 1.5), (target, took)        # one wait, then at once
        sidebar = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")
        assert "The store is not answering" in sidebar and "Your work is kept in this session" in sidebar, target
    at.switch_page("pages/1_Scenario.py").run()
    assert next(m.value for m in at.metric if m.label == "NPV (median)") == npv        # the case as it was
    proxy.frozen.clear()
    time.sleep(0.5)
    at.switch_page("pages/8_Library.py").run()
    assert not at.exception and not at.error
    assert "not answering" not in " ".join(c.value for c in at.sidebar.caption)
