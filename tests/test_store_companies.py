"""The workspace's own companies in the store, on SQLite and PostgreSQL: round trip, revisions, conflicts, names,
and no reading or changing a company through another workspace."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import update

from model import MON_FRI, Site, saas
from store import CompanyConflict, CompanyNameTaken, DocumentError, StoreError, company_document
from store.tables import companies
from tests.test_company_form import kasza_draft
from view.company_form import check, draft_to_dict


def kasza():
    company, problems = check(kasza_draft())
    assert not problems
    return company


def test_a_company_round_trips_with_its_currency_and_the_form_as_typed(repo):
    ws = repo.default_workspace()
    saved = repo.companies.save(ws.id, company_document(kasza(), "PLN", draft_to_dict(kasza_draft())))
    again = repo.companies.get(ws.id, saved.id)
    assert again == saved and again.revision == 1
    assert again.company == kasza() and again.currency == "PLN" and again.name == "Kasza"
    assert again.draft["sites"][0]["name"] == "Warsaw"
    listed, unreadable = repo.companies.listing(ws.id)
    assert [c.name for c in listed] == ["Kasza"] and unreadable == []


def test_a_change_keeps_the_revision_it_replaces_and_a_stale_change_is_refused(repo):
    ws = repo.default_workspace()
    first = repo.companies.save(ws.id, company_document(kasza(), "PLN"))
    bigger = dataclasses.replace(kasza(), sites=(Site("Warsaw", 1.0, 8.0, 16.0, MON_FRI, 11.0, 0.3, 14000.0),))
    second = repo.companies.update(ws.id, first.id, company_document(bigger, "PLN"), expected_revision=1)
    assert second.revision == 2 and second.company.sites[0].headcount == 11
    history = repo.companies.revisions(ws.id, first.id)
    assert [(r.revision, r.document["company"]["sites"][0]["headcount"]) for r in history] == [(1, 8.0)]
    with pytest.raises(CompanyConflict, match="changed in another session"):
        repo.companies.update(ws.id, first.id, company_document(kasza(), "PLN"), expected_revision=1)
    assert repo.companies.get(ws.id, first.id).company.sites[0].headcount == 11     # nothing overwritten


def test_names_are_unique_in_a_workspace_but_not_across_workspaces(repo):
    ws = repo.default_workspace()
    other = repo.create_workspace("Team B")
    repo.companies.save(ws.id, company_document(kasza(), "PLN"))
    with pytest.raises(CompanyNameTaken, match="already has a company called 'Kasza'"):
        repo.companies.save(ws.id, company_document(kasza(), "EUR"))
    assert repo.companies.save(other.id, company_document(kasza(), "EUR")).currency == "EUR"
    renamed = repo.companies.save(ws.id, company_document(saas(), "USD"))
    with pytest.raises(CompanyNameTaken):
        repo.companies.update(ws.id, renamed.id, company_document(kasza(), "PLN"), expected_revision=1)


def test_a_company_is_only_read_or_changed_through_its_own_workspace(repo):
    ws = repo.default_workspace()
    other = repo.create_workspace("Someone else")
    saved = repo.companies.save(ws.id, company_document(kasza(), "PLN"))
    assert repo.companies.get(other.id, saved.id) is None
    assert repo.companies.revisions(other.id, saved.id) == []
    with pytest.raises(StoreError, match="not in this workspace"):
        repo.companies.update(other.id, saved.id, company_document(kasza(), "PLN"), expected_revision=1)
    for hostile in ("' OR 1=1 --", "../etc", None, 42, "0" * 32):
        assert repo.companies.get(ws.id, hostile) is None
    with pytest.raises(StoreError, match="workspace does not exist"):
        repo.companies.save("f" * 32, company_document(kasza(), "PLN"))


@pytest.mark.parametrize("change, message", [
    ({"currency": "XXX"}, "currency must be one of"),
    ({"format": "something else"}, "not a company saved"),
    ({"company": {"name": "Kasza"}}, "the company cannot be used"),
    ({"name": "Other name"}, "differs from the document's name"),
    ({"extra": 1}, "unknown fields"),
])
def test_a_bad_company_document_is_refused_with_a_reason(repo, change, message):
    doc = {**company_document(kasza(), "PLN"), **change}
    with pytest.raises(DocumentError, match=message):
        repo.companies.save(repo.default_workspace().id, doc)


def test_a_stored_company_that_no_longer_reads_is_named_apart(repo):
    ws = repo.default_workspace()
    saved = repo.companies.save(ws.id, company_document(kasza(), "PLN"))
    broken = json.loads(json.dumps(saved.document))
    broken["company"]["customers"] = -5
    with repo.engine.begin() as conn:
        conn.execute(update(companies).where(companies.c.id == saved.id).values(document=json.dumps(broken)))
    listed, unreadable = repo.companies.listing(ws.id)
    assert listed == [] and unreadable == ["Kasza"]
    assert repo.companies.get(ws.id, saved.id) is None
