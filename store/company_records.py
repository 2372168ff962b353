"""The workspace's own companies: saved, listed, opened and changed with their revisions.

Every operation names the workspace it acts for, and a company is only ever read or changed
through its own workspace: an id from another workspace is treated as unknown. Changing a company
names the revision it started from; if another session changed it since, :class:`Conflict` is
raised and nothing is written. Every replaced revision is kept in ``company_revisions``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from model import Company
from store.companies import company_of, validate_company
from store.documents import DocumentError, dumps
from store.guard import StoreError, guard_class
from store.tables import companies, company_revisions


class CompanyConflict(StoreError):
    """Another session changed the company since it was read; nothing was written."""


class CompanyNameTaken(StoreError):
    """Another company of the workspace already has that name."""


@dataclass(frozen=True)
class SavedCompany:
    """A stored company: its record and its (validated) document."""

    id: str
    workspace_id: str
    name: str
    revision: int
    created_at: datetime
    updated_at: datetime
    document: dict[str, Any]

    @property
    def company(self) -> Company:
        return company_of(self.document)

    @property
    def currency(self) -> str:
        return str(self.document["currency"])

    @property
    def draft(self) -> dict[str, Any]:
        return dict(self.document.get("draft") or {})


@dataclass(frozen=True)
class CompanyRevision:
    """A revision a change replaced: when it was saved, and its document (None if it no longer reads)."""

    company_id: str
    revision: int
    name: str
    saved_at: datetime
    document: dict[str, Any] | None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _read(text: str) -> dict[str, Any] | None:
    try:
        return validate_company(json.loads(text))
    except (DocumentError, ValueError, RecursionError):
        return None


class Companies:
    """Companies of workspaces in one database (``Repository.companies``)."""

    def __init__(self, engine: Engine, writer: Engine, is_id: Callable[[Any], bool],
                 allowed: Callable[[str, str], None]):
        self.engine, self._writer, self._is_id = engine, writer, is_id
        self._allowed = allowed      # the repository's check: the workspace exists and the caller has the role

    def save(self, workspace_id: str, document: dict[str, Any]) -> SavedCompany:
        """Store a new company; CompanyNameTaken if the workspace has one of that name."""
        doc = validate_company(document)
        self._allowed(workspace_id, "editor")
        now = datetime.now(UTC)
        new_id = uuid.uuid4().hex
        try:
            with self._writer.begin() as conn:
                conn.execute(insert(companies).values(id=new_id, workspace_id=workspace_id, name=doc["name"],
                                                      created_at=now, updated_at=now, revision=1,
                                                      document=dumps(doc)))
        except IntegrityError:
            raise CompanyNameTaken(f"This workspace already has a company called '{doc['name']}'; open it to "
                                   "change it, or choose another name.") from None
        found = self.get(workspace_id, new_id)
        assert found is not None
        return found

    def update(self, workspace_id: str, company_id: str, document: dict[str, Any],
               expected_revision: int) -> SavedCompany:
        """Replace a company's content (its name included), keeping the replaced revision."""
        doc = validate_company(document)
        self._allowed(workspace_id, "editor")
        current = self.get(workspace_id, company_id)
        if current is None:
            raise StoreError("That company is not in this workspace.")
        try:
            with self._writer.begin() as conn:
                row = conn.execute(select(companies).where(and_(companies.c.id == company_id,
                                                                companies.c.revision == expected_revision))).first()
                if row is None:
                    raise CompanyConflict(f"'{current.name}' was changed in another session since you opened it "
                                          f"(now revision {current.revision}); open it again to see those changes.")
                conn.execute(insert(company_revisions).values(company_id=company_id, revision=row.revision,
                                                              name=row.name, saved_at=row.updated_at,
                                                              document=row.document))
                conn.execute(update(companies).where(and_(companies.c.id == company_id,
                                                          companies.c.revision == expected_revision))
                             .values(name=doc["name"], revision=expected_revision + 1, updated_at=datetime.now(UTC),
                                     document=dumps(doc)))
        except IntegrityError:
            again = self.get(workspace_id, company_id)
            if again is None or again.revision != expected_revision:
                raise CompanyConflict(f"'{current.name}' was changed in another session since you opened it.") \
                    from None
            raise CompanyNameTaken(f"Another company in this workspace is already called '{doc['name']}'.") from None
        found = self.get(workspace_id, company_id)
        assert found is not None
        return found

    def get(self, workspace_id: str, company_id: Any) -> SavedCompany | None:
        """The company, if it belongs to ``workspace_id`` and still reads; else None."""
        if not (self._is_id(company_id) and self._is_id(workspace_id)):
            return None
        self._allowed(workspace_id, "viewer")
        with self.engine.connect() as conn:
            row = conn.execute(select(companies).where(and_(companies.c.id == company_id,
                                                            companies.c.workspace_id == workspace_id))).first()
        return self._saved(row) if row is not None else None

    def listing(self, workspace_id: str) -> tuple[list[SavedCompany], list[str]]:
        """The workspace's companies by name, and the names of stored ones this version cannot read."""
        if not self._is_id(workspace_id):
            return [], []
        self._allowed(workspace_id, "viewer")
        with self.engine.connect() as conn:
            rows = conn.execute(select(companies).where(companies.c.workspace_id == workspace_id)
                                .order_by(companies.c.name)).all()
        readable, unreadable = [], []
        for row in rows:
            saved = self._saved(row)
            if saved is None:
                unreadable.append(row.name)
            else:
                readable.append(saved)
        return readable, unreadable

    def revisions(self, workspace_id: str, company_id: str) -> list[CompanyRevision]:
        """Earlier revisions of a company of the workspace, newest first."""
        if self.get(workspace_id, company_id) is None:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(company_revisions).where(company_revisions.c.company_id == company_id)
                                .order_by(company_revisions.c.revision.desc())).all()
        return [CompanyRevision(r.company_id, r.revision, r.name, _utc(r.saved_at), _read(r.document)) for r in rows]

    def _saved(self, row: Any) -> SavedCompany | None:
        doc = _read(row.document)
        if doc is None:
            return None
        return SavedCompany(row.id, row.workspace_id, row.name, row.revision, _utc(row.created_at),
                            _utc(row.updated_at), doc)


guard_class(Companies)
