"""Shared fixtures: example scenarios and the shared reference folder (skipped cleanly when absent)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from model.examples import ecommerce, saas
from model.params import MON_FRI, Levers, RegionalCentre, Scenario

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_json(relative: str) -> dict:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is optional outside CI)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=["saas", "ecommerce"])
def company(request):
    return {"saas": saas, "ecommerce": ecommerce}[request.param]()


@pytest.fixture
def dublin() -> RegionalCentre:
    return RegionalCentre("Dublin", 0.0, 9.0, 17.0, MON_FRI, headcount=4.0, loaded_cost_per_agent_month=5500.0,
                          setup_cost=60000.0)


@pytest.fixture
def saas_centre(dublin) -> Scenario:
    return Scenario(saas(), levers=Levers(centres=(dublin,)))


POSTGRES_URL = os.environ.get("STORE_TEST_POSTGRES_URL",
                              "postgresql+psycopg://roi_test:roi_test@127.0.0.1:5432/roi_test")


def _postgres_engine():
    """An engine on the test PostgreSQL with empty store tables, or a skip (a failure in CI) naming why."""
    from sqlalchemy import MetaData, create_engine, text

    from store.tables import metadata
    try:
        import psycopg  # noqa: F401
        probe = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:   # no driver, no server, wrong password
        message = (f"no PostgreSQL reachable at {POSTGRES_URL.split('@')[-1]} ({type(exc).__name__}); the store "
                   "tests ran on SQLite only. Set STORE_TEST_POSTGRES_URL or start a server (.ci/run does).")
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    # Every table found, not only those this version knows: a store written by a newer or older version
    # of the tables (another checkout sharing the server) is emptied all the same.
    found = MetaData()
    found.reflect(probe)
    found.drop_all(probe)
    metadata.drop_all(probe)
    probe.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty store on SQLite (a file) and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    _postgres_engine()
    return POSTGRES_URL


@pytest.fixture
def repo(store_url):
    from store import Repository, connect
    engine = connect(store_url)
    yield Repository(engine)
    engine.dispose()


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    """Every test that runs a page keeps its saved scenarios in its own SQLite file, never the user's, and reads
    kept files afresh (the tables read once for every session are forgotten between tests)."""
    monkeypatch.setenv("ROI_STORE_URL", f"sqlite:///{tmp_path / 'app_store.sqlite3'}")
    from ui.cache import forget_kept_tables
    forget_kept_tables()
