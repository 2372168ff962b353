"""The scenario store on SQLite and PostgreSQL: round trip, migration, concurrency, hostile names."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, update

from model.examples import ecommerce, saas
from model.params import Scenario
from store import Conflict, DocumentError, NameTaken, Repository, StoreError, connect, read_document
from store.documents import CURRENT_SCHEMA, dumps, export_file_name, scenario_document, scenario_of
from store.repository import numbered
from store.tables import LAYOUT_VERSION, scenarios, store_meta, uploads

DATA = Path(__file__).parent / "data"
HOSTILE = ["O'Brien's \"best\" case", "'); DROP TABLE scenarios; --", "Robert'); DELETE FROM workspaces;--",
           "100% of _ and \\ and %s and {name}", "Dublin centre 🇮🇪 — Ünïcødé", "<script>alert(1)</script>",
           "=HYPERLINK(\"http://x\")", "x" * 200]


def doc(name: str = "Plan A", scenario: Scenario | None = None, **kw):
    return scenario_document(scenario or Scenario(saas()), name=name, **kw)


def test_round_trip_keeps_every_field(repo, saas_centre):
    ws = repo.default_workspace()
    controls = {"company": "B2B SaaS", "centre_on": True, "centre_headcount": 4, "deflection_pct": 0.25}
    headline = {"npv_p50": 123456.5, "payback_month_p50": None}
    saved = repo.save_scenario(ws.id, doc("Dublin", saas_centre, note="Line one\nline two", author="Ann",
                                          controls=controls, fits=["CSAT curve (email)"], headline=headline))
    again = repo.scenario(saved.id)
    assert again == saved
    assert (again.name, again.note, again.author, again.revision) == ("Dublin", "Line one\nline two", "Ann", 1)
    assert again.document["controls"] == controls
    assert again.document["fits"] == ["CSAT curve (email)"]
    assert again.headline == headline
    assert scenario_of(again.document) == saas_centre
    assert again.created_at.tzinfo is not None and again.deleted_at is None
    assert [s.id for s in repo.scenarios(ws.id)] == [saved.id]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_stored_verbatim(repo, name):
    ws = repo.default_workspace()
    saved = repo.save_scenario(ws.id, doc(name, note=name, author=name[:50]))
    assert repo.scenario(saved.id).name == name
    assert repo.scenario(saved.id).note == name
    renamed = repo.rename_scenario(saved.id, name[::-1].strip() or "x", saved.revision)
    assert renamed.name == (name[::-1].strip() or "x")
    assert set(inspect(repo.engine).get_table_names()) >= {"scenarios", "workspaces", "uploads"}
    assert len(repo.scenarios(ws.id)) == 1 and len(repo.workspaces()) == 1


@pytest.mark.parametrize("name, reason", [("", "empty"), ("   ", "empty"), ("a\x00b", "control characters"),
                                          ("two\nlines", "control characters"), ("y" * 201, "at most 200")])
def test_unusable_names_are_refused_with_the_reason(repo, name, reason):
    with pytest.raises(DocumentError, match=reason):
        repo.save_scenario(repo.default_workspace().id, {**doc(), "name": name})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=200)
       .filter(lambda s: s.strip() == s and s))
def test_any_printable_name_round_trips(repo, name):
    ws = repo.create_workspace(uuid.uuid4().hex)
    saved = repo.save_scenario(ws.id, doc(name))
    assert repo.scenario(saved.id).name == name


def test_a_name_clash_saves_under_the_next_free_number(repo):
    ws = repo.default_workspace()
    names = [repo.save_scenario(ws.id, doc("Plan A")).name for _ in range(3)]
    assert names == ["Plan A", "Plan A (2)", "Plan A (3)"]
    long = "z" * 200
    assert repo.save_scenario(ws.id, doc(long)).name == long
    assert repo.save_scenario(ws.id, doc(long)).name == "z" * 196 + " (2)"


def test_the_same_name_in_another_workspace_is_free(repo):
    first, second = repo.default_workspace(), repo.create_workspace("Second")
    assert repo.save_scenario(first.id, doc("Plan A")).name == repo.save_scenario(second.id, doc("Plan A")).name


def test_rename_to_a_taken_name_is_refused_and_nothing_changes(repo):
    ws = repo.default_workspace()
    a, b = repo.save_scenario(ws.id, doc("A")), repo.save_scenario(ws.id, doc("B"))
    with pytest.raises(NameTaken, match="already called 'A'"):
        repo.rename_scenario(b.id, "A", b.revision)
    assert repo.scenario(b.id).name == "B" and repo.scenario(b.id).revision == b.revision
    assert repo.rename_scenario(a.id, "A, final", a.revision).document["name"] == "A, final"


def test_a_stale_revision_is_a_conflict_not_an_overwrite(repo):
    ws = repo.default_workspace()
    saved = repo.save_scenario(ws.id, doc("Plan", note="first"))
    mine = repo.update_scenario(saved.id, doc("Plan", note="mine"), saved.revision)
    assert mine.revision == saved.revision + 1 and mine.note == "mine"
    with pytest.raises(Conflict, match="changed elsewhere"):
        repo.update_scenario(saved.id, doc("Plan", note="theirs"), saved.revision)
    with pytest.raises(Conflict):
        repo.rename_scenario(saved.id, "Other", saved.revision)
    assert repo.scenario(saved.id).note == "mine"


def test_duplicate_delete_and_restore(repo):
    ws = repo.default_workspace()
    a = repo.save_scenario(ws.id, doc("Plan A", author="Ann"))
    copy = repo.duplicate_scenario(a.id, author="Bob")
    assert (copy.name, copy.author, copy.id != a.id) == ("Plan A (copy)", "Bob", True)
    assert repo.duplicate_scenario(a.id).name == "Plan A (copy) (2)"
    gone = repo.delete_scenario(a.id)
    assert gone.deleted_at is not None
    assert a.id not in {s.id for s in repo.scenarios(ws.id)}
    assert [s.id for s in repo.scenarios(ws.id, deleted=True)] == [a.id]
    with pytest.raises(Conflict, match="deleted"):
        repo.rename_scenario(a.id, "x", gone.revision)
    taken = repo.save_scenario(ws.id, doc("Plan A"))
    assert taken.name == "Plan A"                     # the deleted one does not hold its name
    back = repo.restore_scenario(a.id)
    assert (back.name, back.deleted_at) == ("Plan A (2)", None)
    assert back.document["name"] == "Plan A (2)" and scenario_of(back.document) == scenario_of(a.document)
    assert repo.scenarios(ws.id, deleted=True) == []


def test_unknown_or_malformed_ids_find_nothing(repo):
    for bad in ["", "1", "' OR 1=1 --", "0" * 31, "G" * 32, uuid.uuid4().hex, None, 42]:
        assert repo.scenario(bad) is None
        assert repo.workspace(bad) is None


def test_concurrent_saves_from_threads_lose_nothing(store_url):
    repos = [Repository(connect(store_url)) for _ in range(2)]    # two servers on one database
    ws = repos[0].default_workspace()
    barrier = threading.Barrier(8)

    def save(i: int) -> list[str]:
        barrier.wait()
        return [repos[i % 2].save_scenario(ws.id, doc("Same name", note=f"{i}-{k}")).id for k in range(5)]

    with ThreadPoolExecutor(8) as pool:
        ids = [x for batch in pool.map(save, range(8)) for x in batch]
    stored = repos[0].scenarios(ws.id)
    assert len(ids) == len(set(ids)) == len(stored) == 40
    assert {s.name for s in stored} == {numbered("Same name", n) for n in range(1, 41)}
    assert {s.note for s in stored} == {f"{i}-{k}" for i in range(8) for k in range(5)}
    for r in repos:
        r.engine.dispose()


def test_concurrent_updates_of_one_revision_keep_exactly_one(store_url):
    repo = Repository(connect(store_url))
    saved = repo.save_scenario(repo.default_workspace().id, doc("Shared"))
    barrier = threading.Barrier(6)

    def update_it(i: int) -> str:
        barrier.wait()
        try:
            repo.update_scenario(saved.id, doc("Shared", note=f"session {i}"), saved.revision)
            return "saved"
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(update_it, range(6)))
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    final = repo.scenario(saved.id)
    assert final.revision == 2 and final.note == f"session {outcomes.index('saved')}"
    repo.engine.dispose()


def test_first_sessions_on_an_empty_store_share_one_default_workspace(store_url):
    repo = Repository(connect(store_url))
    barrier = threading.Barrier(6)

    def first(_: int) -> str:
        barrier.wait()
        return repo.default_workspace().id

    with ThreadPoolExecutor(6) as pool:
        ids = set(pool.map(first, range(6)))
    assert len(ids) == 1 and [w.name for w in repo.workspaces()] == ["My workspace"]
    repo.engine.dispose()


def test_workspace_settings_are_written_key_by_key(repo):
    ws = repo.default_workspace()
    repo.set_item(ws.id, "company", "E-commerce")
    repo.set_item(ws.id, "applied_fits", ["csat_curve:email", "classes"])
    repo.set_item(ws.id, "company", "B2B SaaS")
    assert repo.items(ws.id) == {"company": "B2B SaaS", "applied_fits": ["csat_curve:email", "classes"]}
    other = repo.create_workspace("Other")
    assert repo.items(other.id) == {}


def test_uploads_keep_the_exact_bytes_and_options(repo):
    ws = repo.default_workspace()
    content = "id;created;csat\n1;01.02.2026 09:00;Awesome\n".encode("cp1252") + bytes(range(256)) * 100
    repo.put_upload(ws.id, "tickets", "freshdesk 'export'.csv", content, {"mapping": {"csat": "rating"}})
    [got] = repo.uploads(ws.id)
    assert (got.table, got.file_name, got.content, got.options) == (
        "tickets", "freshdesk 'export'.csv", content, {"mapping": {"csat": "rating"}})
    repo.put_upload(ws.id, "tickets", "second.csv", b"a,b\n1,2\n", {})
    repo.put_upload(ws.id, "customers", "customers.csv", b"id\n1\n", {})
    assert [(u.table, u.file_name) for u in repo.uploads(ws.id)] == [("customers", "customers.csv"),
                                                                      ("tickets", "second.csv")]
    repo.set_upload_options(ws.id, "customers", {"mapping": {"id": "customer_id"}})
    assert repo.uploads(ws.id, ["customers"])[0].options == {"mapping": {"id": "customer_id"}}
    repo.remove_upload(ws.id, "tickets")
    assert [u.table for u in repo.uploads(ws.id)] == ["customers"]


def test_upload_heads_name_a_kept_file_without_its_bytes_and_its_bytes_come_by_digest(repo):
    import hashlib
    import zlib
    ws = repo.default_workspace()
    content = b"id,created\n" + b"1,2026-01-02 09:00\n" * 1000
    kept = repo.put_upload(ws.id, "tickets", "tickets.csv", content, {"mapping": None})
    [head] = repo.upload_heads(ws.id)
    assert (head.table, head.file_name, head.size_bytes, head.sha256, head.options) == (
        "tickets", "tickets.csv", len(content), hashlib.sha256(content).hexdigest(), {"mapping": None})
    assert not hasattr(head, "content") and head.uploaded_at == kept.uploaded_at
    assert repo.upload_content(ws.id, "tickets", head.sha256) == content
    assert repo.upload_heads(repo.create_workspace("Other").id) == []
    repo.put_upload(ws.id, "tickets", "newer.csv", b"id\n1\n", {})       # replaced since the head was read
    with pytest.raises(StoreError, match="changed or was removed"):
        repo.upload_content(ws.id, "tickets", head.sha256)
    newer = repo.upload_heads(ws.id)[0]
    with repo.engine.begin() as conn:
        conn.execute(update(uploads).values(content=zlib.compress(b"id\n2\n")))
    with pytest.raises(StoreError, match="damaged"):
        repo.upload_content(ws.id, "tickets", newer.sha256)


def test_a_file_saved_by_the_first_schema_still_opens(repo):
    """tests/data/scenario_schema1.json was written by the product's first version (commit d919342)."""
    text = (DATA / "scenario_schema1.json").read_text(encoding="utf-8")
    migrated = read_document(text)
    assert migrated["schema_version"] == CURRENT_SCHEMA and migrated["controls"] is None
    assert migrated["name"] == "Scenario" and migrated["headline"] == {}
    scenario = scenario_of(migrated)
    assert scenario.levers.centres[0].name == "Dublin"
    assert scenario.company.name == saas().name
    # Stored as an older product stored it (the bare schema-1 text in the row), it opens migrated.
    ws = repo.default_workspace()
    saved = repo.save_scenario(ws.id, migrated)
    with repo.engine.begin() as conn:
        conn.execute(update(scenarios).where(scenarios.c.id == saved.id).values(schema_version=1, document=text))
    opened = repo.scenario(saved.id)
    assert opened.stored_schema == 1 and opened.document["schema_version"] == CURRENT_SCHEMA
    assert scenario_of(opened.document) == scenario


def test_export_then_import_is_the_same_scenario(repo, saas_centre):
    ws = repo.default_workspace()
    saved = repo.save_scenario(ws.id, doc("Dublin, 4 agents", saas_centre, controls={"centre_on": True}))
    text = dumps(saved.document)
    imported = repo.save_scenario(ws.id, read_document(text.encode("utf-8")))
    assert imported.name == "Dublin, 4 agents (2)"
    assert scenario_of(imported.document) == saas_centre and imported.document["controls"] == {"centre_on": True}
    assert export_file_name(saved.name) == "Dublin-4-agents.roi.json"
    assert export_file_name("'); DROP TABLE --") == "DROP-TABLE.roi.json"
    assert export_file_name("../../etc/passwd") == "etc-passwd.roi.json"


@pytest.mark.parametrize("data, reason", [
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "expected a JSON object"),
    (b'{"scenario": {}}', "no schema_version"),
    (b'{"schema_version": 9, "scenario": {}}', "newer version"),
    (b'{"schema_version": 2, "format": "other"}', "expected 'support-roi-scenario'"),
    (b"x" * 1_000_001, "at most 1,000,000"),
])
def test_import_names_what_is_wrong(data, reason):
    with pytest.raises(DocumentError, match=reason):
        read_document(data)


def test_import_names_every_bad_field():
    good = doc("Plan", Scenario(ecommerce()))
    bad = {**good, "name": "", "note": 5, "headline": {"npv_p50": "lots"}, "extra": 1,
           "scenario": {**good["scenario"], "company": {**good["scenario"]["company"], "churn_monthly_pct": 1.5}}}
    with pytest.raises(DocumentError) as caught:
        read_document(dumps(bad))
    text = "; ".join(caught.value.problems)
    for part in ("unknown fields: extra", "name is empty", "note must be text", "headline", "company: monthly churn must be below 100 %"):
        assert part in text


def test_a_store_from_a_newer_version_is_refused(store_url):
    engine = connect(store_url)
    with engine.begin() as conn:
        conn.execute(store_meta.update().where(store_meta.c.key == "layout_version")
                     .values(value=str(LAYOUT_VERSION + 1)))
    engine.dispose()
    with pytest.raises(StoreError, match="newer version"):
        connect(store_url)


def test_bad_store_urls_are_explained(tmp_path):
    with pytest.raises(StoreError, match="cannot be read"):
        connect("not a url")
    with pytest.raises(StoreError, match="cannot be opened"):
        connect("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(StoreError, match="cannot be created"):
        connect(f"sqlite:///{blocked}/store.sqlite3")


def test_a_sqlite_store_is_created_on_first_use(tmp_path):
    path = tmp_path / "deep" / "folder" / "store.sqlite3"
    repo = Repository(connect(f"sqlite:///{path}"))
    assert path.exists() and repo.default_workspace().name == "My workspace"


def test_an_unreadable_row_is_listed_apart_and_kept(repo):
    ws = repo.default_workspace()
    good = repo.save_scenario(ws.id, doc("Good"))
    bad = repo.save_scenario(ws.id, doc("From the future"))
    future = '{"format": "support-roi-scenario", "schema_version": 3, "name": "From the future"}'
    with repo.engine.begin() as conn:
        conn.execute(update(scenarios).where(scenarios.c.id == bad.id).values(document=future))
    readable, unreadable = repo.listing(ws.id)
    assert [s.id for s in readable] == [good.id]
    [problem] = unreadable
    assert (problem.id, problem.name, problem.text) == (bad.id, "From the future", future)
    assert "newer version" in problem.reason
    with pytest.raises(StoreError, match="cannot be read"):
        repo.scenario(bad.id)


def test_changes_keep_the_revision_they_replace(repo):
    ws = repo.default_workspace()
    first = repo.save_scenario(ws.id, doc("Plan", note="v1", author="Ann"))
    second = repo.update_scenario(first.id, doc("Plan, final", note="v2", author="Bob"), first.revision)
    assert (second.name, second.note, second.revision) == ("Plan, final", "v2", 2)
    third = repo.rename_scenario(first.id, "Plan, signed off", second.revision)
    history = repo.revisions(first.id)
    assert [(r.revision, r.name, r.note, r.author) for r in history] == [
        (2, "Plan, final", "v2", "Bob"), (1, "Plan", "v1", "Ann")]
    assert history[1].document["note"] == "v1" and third.revision == 3
    other = repo.save_scenario(ws.id, doc("Other"))
    with pytest.raises(NameTaken):
        repo.update_scenario(other.id, doc("Plan, signed off"), other.revision)
    assert repo.revisions(other.id) == [] and repo.scenario(other.id).name == "Other"


def test_a_stale_restore_does_not_bring_back_old_content(repo):
    ws = repo.default_workspace()
    saved = repo.save_scenario(ws.id, doc("Plan", note="v1"))
    repo.delete_scenario(saved.id)
    stale = repo.scenario(saved.id)                      # session B read the deleted row
    restored = repo.restore_scenario(saved.id)           # session A restored it and saved v2
    repo.update_scenario(saved.id, doc("Plan", note="v2"), restored.revision)
    import store.repository as repository
    original = repository.Repository.scenario
    try:
        repository.Repository.scenario = lambda self, i: stale if i == saved.id else original(self, i)
        with pytest.raises(Conflict, match="changed while it was being restored"):
            repo.restore_scenario(saved.id)              # session B's restore, on its stale read
    finally:
        repository.Repository.scenario = original
    now = repo.scenario(saved.id)
    assert (now.name, now.note, now.document["note"]) == ("Plan", "v2", "v2")


@pytest.mark.parametrize("text, reason", [
    ('{"schema_version": 2, "controls": {"x": NaN}}', "NaN"),
    ('{"schema_version": 2, "controls": {"x": 1e999}}', "too large"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"schema_version": 1' + "0" * 5000 + "}", "not usable JSON"),
])
def test_hostile_json_is_refused_with_a_reason(text, reason):
    with pytest.raises(DocumentError, match=reason):
        read_document(text.encode("utf-8"))


def test_a_lone_surrogate_in_a_name_is_refused():
    with pytest.raises(DocumentError, match="surrogate"):
        doc("bad \ud800 name")


def test_a_plan_of_eight_actions_is_saved_and_other_long_text_is_refused_by_name(repo):
    from store.documents import TEXT_LIMITS
    from view import plan
    assert TEXT_LIMITS["plan"] == plan.MAX_TEXT
    eight = plan.text_of([{"do": "centre", "name": f"Atlantic follow-the-sun centre {k}", "utc": -5.0, "agents": 2,
                           "opens": 9, "closes": 17, "days": "Mon-Fri", "cost": 4800.0, "setup": 9000.0,
                           "serves": "US East", "month": 3 * k} for k in range(8)])
    assert 1_000 < len(eight) < plan.MAX_TEXT
    saved = repo.save_scenario(repo.default_workspace().id, doc("Eight centres", controls={"plan": eight}))
    assert repo.scenario(saved.id).document["controls"]["plan"] == eight
    with pytest.raises(DocumentError, match="controls 'company' must be plain values"):
        doc("Too long", controls={"company": "x" * 201, "plan": eight})
