"""Who may do what in the store once the app has a login, on SQLite and PostgreSQL: every read and write of the
repository checks the caller's role in the workspace, not only the page."""

from __future__ import annotations

import pytest

from store import Actor, Forbidden, Repository, StoreError, company_document, connect, scenario_document
from view.controls import scenario_of

ANN, BOB, EVE = Actor.of("Ann@Example.com", "Ann"), Actor.of("bob@example.com", "Bob"), Actor.of("eve@example.com")
DOC = scenario_document(scenario_of({"centre_on": True}), name="Dublin centre", author="Someone else")


@pytest.fixture()
def stores(store_url):
    engine = connect(store_url)
    base = Repository(engine, legacy_owner="ann@example.com")
    yield base.as_actor(ANN), base.as_actor(BOB), base
    engine.dispose()


def _ann_with_a_scenario(ann: Repository):
    ws = ann.default_workspace()
    saved = ann.save_scenario(ws.id, DOC)
    ann.put_upload(ws.id, "tickets", "tickets.csv", b"id,created\n1,2024-01-01\n", {})
    ann.set_item(ws.id, "company", "B2B SaaS")
    return ws, saved


def test_a_workspace_is_its_makers_and_nobody_elses_until_shared(stores):
    ann, bob, _ = stores
    ws, saved = _ann_with_a_scenario(ann)
    assert ws.name == "Ann's workspace" and ann.role(ws.id) == "owner"
    assert [m.user_id for m in ann.members(ws.id)] == ["ann@example.com"]
    assert saved.author == "Ann"                                   # the logged-in user, whatever the document said
    # Bob has no role: the workspace, its scenario and its files do not exist for him, whatever he calls
    assert bob.role(ws.id) is None and bob.workspace(ws.id) is None
    assert ws.id not in [w.id for w in bob.workspaces()]
    assert bob.scenario(saved.id) is None
    for call in (lambda: bob.scenarios(ws.id), lambda: bob.items(ws.id), lambda: bob.uploads(ws.id),
                 lambda: bob.upload_heads(ws.id), lambda: bob.save_scenario(ws.id, DOC),
                 lambda: bob.set_item(ws.id, "company", "x"), lambda: bob.remove_upload(ws.id, "tickets"),
                 lambda: bob.rename_workspace(ws.id, "Mine now"), lambda: bob.companies.listing(ws.id),
                 lambda: bob.predictions.listing(ws.id), lambda: bob.members(ws.id),
                 lambda: bob.set_member(ws.id, "bob@example.com", "owner")):
        with pytest.raises(StoreError, match="That workspace does not exist"):
            call()
    for call in (lambda: bob.delete_scenario(saved.id), lambda: bob.revisions(saved.id),
                 lambda: bob.rename_scenario(saved.id, "Taken", saved.revision)):
        with pytest.raises(StoreError, match="That scenario no longer exists"):
            call()
    assert ann.scenario(saved.id).deleted_at is None and ann.workspace(ws.id).name == "Ann's workspace"
    assert len(ann.uploads(ws.id)) == 1
    bob_ws = bob.default_workspace()                               # Bob gets his own
    assert bob_ws.id != ws.id and bob.role(bob_ws.id) == "owner" and ann.workspace(bob_ws.id) is None


def test_a_viewer_reads_an_editor_also_writes_and_only_an_owner_shares(stores):
    ann, bob, _ = stores
    ws, saved = _ann_with_a_scenario(ann)
    ann.set_member(ws.id, "BOB@example.com", "viewer")
    assert bob.role(ws.id) == "viewer" and [s.id for s in bob.scenarios(ws.id)] == [saved.id]
    assert bob.items(ws.id)["company"] == "B2B SaaS" and len(bob.uploads(ws.id)) == 1
    for call in (lambda: bob.save_scenario(ws.id, DOC), lambda: bob.delete_scenario(saved.id),
                 lambda: bob.set_item(ws.id, "company", "x"), lambda: bob.put_upload(ws.id, "kpis", "k.csv", b"x", {}),
                 lambda: bob.companies.save(ws.id, company_document(scenario_of({}).company, "USD"))):
        with pytest.raises(Forbidden, match="You are a viewer of this workspace, and this needs an editor's right"):
            call()
    ann.set_member(ws.id, "bob@example.com", "editor")
    copy = bob.save_scenario(ws.id, {**DOC, "author": "Ann"})
    assert copy.author == "Bob" and copy.name == "Dublin centre (2)"
    bob.delete_scenario(saved.id)
    from tests.test_store_predictions import document as prediction_document
    filed = bob.predictions.file(ws.id, prediction_document.__wrapped__())     # filed and withdrawn in Bob's name
    assert filed.author == "Bob" and bob.predictions.withdraw(ws.id, filed.id, by="Ann").withdrawn_by == "Bob"
    for call in (lambda: bob.rename_workspace(ws.id, "Bob's now"), lambda: bob.set_member(ws.id, "eve@example.com",
                                                                                          "viewer"),
                 lambda: bob.remove_member(ws.id, "ann@example.com")):
        with pytest.raises(Forbidden, match="You are an editor of this workspace, and this needs an owner's right"):
            call()
    assert [(m.user_id, m.role) for m in ann.members(ws.id)] == [("ann@example.com", "owner"),
                                                                   ("bob@example.com", "editor")]
    ann.remove_member(ws.id, "bob@example.com")
    assert bob.workspace(ws.id) is None


def test_a_workspace_keeps_an_owner_and_members_are_named_by_email(stores):
    ann, bob, _ = stores
    ws = ann.default_workspace()
    with pytest.raises(StoreError, match="keeps at least one owner"):
        ann.set_member(ws.id, "ann@example.com", "viewer")
    with pytest.raises(StoreError, match="keeps at least one owner"):
        ann.remove_member(ws.id, "ann@example.com")
    with pytest.raises(StoreError, match="e-mail address"):
        ann.set_member(ws.id, "Bob", "viewer")
    with pytest.raises(StoreError, match="A role is one of viewer, editor, owner"):
        ann.set_member(ws.id, "bob@example.com", "admin")
    ann.set_member(ws.id, "bob@example.com", "owner")
    ann.set_member(ws.id, "ann@example.com", "viewer")           # another owner is left: allowed
    assert bob.role(ws.id) == "owner" and ann.role(ws.id) == "viewer"


def test_workspaces_made_before_the_login_are_the_deployment_owners_alone(stores):
    ann, bob, base = stores
    legacy = base.default_workspace()                               # made with no login: no members
    old = base.save_scenario(legacy.id, DOC)
    assert ann.role(legacy.id) == "owner" and bob.role(legacy.id) is None
    assert ann.default_workspace().id == legacy.id
    assert bob.scenario(old.id) is None and legacy.id not in [w.id for w in bob.workspaces()]
    ann.set_member(legacy.id, "bob@example.com", "viewer")          # sharing it makes Ann its first member
    assert [(m.user_id, m.role) for m in ann.members(legacy.id)] == [("ann@example.com", "owner"),
                                                                       ("bob@example.com", "viewer")]
    assert [s.id for s in bob.scenarios(legacy.id)] == [old.id]


def test_without_a_login_every_operation_is_allowed_as_before(stores):
    _, _, base = stores
    ws = base.default_workspace()
    assert base.role(ws.id) == "owner" and base.save_scenario(ws.id, DOC).author == "Someone else"
    assert base.members(ws.id) == []
