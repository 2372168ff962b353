"""Predictions in the store, on SQLite and PostgreSQL: filed once and never changed, withdrawn but kept, replaced
by a new filing, nothing lost under concurrent filing, and never read or withdrawn through another workspace."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pandas as pd
import pytest

import track
from model import simulate
from store import DocumentError, Repository, StoreError, connect


@pytest.fixture(scope="module")
def document():
    from model.examples import saas
    from model.params import MON_FRI, Levers, RegionalCentre, Scenario
    case = Scenario(saas(), levers=Levers(centres=(RegionalCentre("Dublin", 0.0, 9, 17, MON_FRI, 4, 5500, 60000),)))
    projection = simulate(case, draws=100)
    filed = track.freeze(projection, name="Dublin, 4 agents", author="Ana", company="Example SaaS",
                         first_month=pd.Timestamp("2027-01-01"), filed_at=datetime(2026, 12, 6, tzinfo=timezone.utc),
                         noise={}, months=6)
    return track.to_document(filed)


def test_a_prediction_round_trips_and_reads_back_as_filed(repo, document):
    ws = repo.default_workspace()
    saved = repo.predictions.file(ws.id, document)
    assert (saved.name, saved.author, saved.first_month, saved.months, saved.withdrawn) == (
        "Dublin, 4 agents", "Ana", "2027-01", 6, False)
    back = track.from_document(repo.predictions.get(ws.id, saved.id).document)
    pd.testing.assert_frame_equal(back.rows, track.from_document(document).rows)
    assert [p.id for p in repo.predictions.listing(ws.id)] == [saved.id]


def test_withdrawn_stays_listed_and_a_new_view_names_the_one_it_replaces(repo, document):
    ws = repo.default_workspace()
    first = repo.predictions.file(ws.id, document)
    gone = repo.predictions.withdraw(ws.id, first.id, by="Ben")
    assert gone.withdrawn and gone.withdrawn_by == "Ben"
    assert repo.predictions.withdraw(ws.id, first.id, by="Cy").withdrawn_by == "Ben"      # once, first wins
    second = repo.predictions.file(ws.id, {**document, "name": "Dublin, 5 agents"}, replaces=first.id)
    listed = repo.predictions.listing(ws.id)
    assert [p.id for p in listed] == [second.id, first.id]
    assert listed[0].replaces == first.id and listed[1].withdrawn
    assert not hasattr(repo.predictions, "update")                  # a filed prediction is never changed


def test_another_workspace_cannot_read_or_withdraw_a_prediction(repo, document):
    ws, other = repo.default_workspace(), repo.create_workspace("Team B")
    saved = repo.predictions.file(ws.id, document)
    assert repo.predictions.get(other.id, saved.id) is None
    assert repo.predictions.listing(other.id) == []
    with pytest.raises(StoreError, match="not in this workspace"):
        repo.predictions.withdraw(other.id, saved.id, by="Mallory")
    with pytest.raises(StoreError, match="not in this workspace"):
        repo.predictions.file(other.id, document, replaces=saved.id)
    assert not repo.predictions.get(ws.id, saved.id).withdrawn
    assert repo.predictions.get(ws.id, "'; DROP TABLE predictions; --") is None


def test_only_a_prediction_document_with_a_clean_name_is_filed(repo, document):
    ws = repo.default_workspace()
    with pytest.raises(StoreError, match="Only a prediction"):
        repo.predictions.file(ws.id, {"kind": "scenario"})
    with pytest.raises(DocumentError, match="control characters"):
        repo.predictions.file(ws.id, {**document, "name": "a\nb"})
    with pytest.raises(StoreError, match="workspace does not exist"):
        repo.predictions.file("0" * 32, document)
    assert repo.predictions.listing(ws.id) == []


def test_concurrent_filing_from_two_servers_loses_nothing(store_url, document):
    repos = [Repository(connect(store_url)) for _ in range(2)]
    ws = repos[0].default_workspace()
    barrier = threading.Barrier(6)

    def file(i: int) -> list[str]:
        barrier.wait()
        return [repos[i % 2].predictions.file(ws.id, {**document, "name": f"case {i}-{k}"}).id for k in range(4)]

    with ThreadPoolExecutor(6) as pool:
        ids = [x for batch in pool.map(file, range(6)) for x in batch]
    listed = repos[0].predictions.listing(ws.id)
    assert len(ids) == len(set(ids)) == len(listed) == 24
    assert {p.name for p in listed} == {f"case {i}-{k}" for i in range(6) for k in range(4)}
    for r in repos:
        r.engine.dispose()
