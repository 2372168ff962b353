"""The repository: workspaces, their scenarios, uploads and settings, on any SQLAlchemy engine.

Every statement binds its values (SQLAlchemy Core); names and notes are stored verbatim.

Concurrency, without silent overwrites:

- saving under a name that is taken saves under the next free "name (2)", "name (3)"; the unique
  constraint decides, so two sessions saving at once both keep their scenario;
- changing a saved scenario (content or name) names the revision it started from; if another
  session changed it since, :class:`Conflict` is raised and nothing is written;
- deleting keeps the row (``deleted_at``) so it can be restored; restoring under a name taken
  in the meantime takes the next free one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from store.company_records import Companies
from store.prediction_records import Predictions
from store.documents import CURRENT_SCHEMA, DocumentError, clean_name, dumps, migrate, validate
from store.engine import writer
from store.rights import NOT_FOUND, RANK, ROLES, Actor, Member, Role, required, role_in
from store.guard import (
    BULK_BYTES_PER_S,
    DEADLINE_S,
    StoreError,
    guard_class,
    translated,
    unguarded,
    within_deadline,
)
from store.tables import (
    NAME_LENGTH,
    USER_LENGTH,
    scenario_revisions,
    scenarios,
    uploads,
    workspace_items,
    workspace_members,
    workspaces,
)

ID_PATTERN = re.compile(r"[0-9a-f]{32}")
MAX_NAME_ATTEMPTS = 50
DEFAULT_WORKSPACE = "My workspace"
T = TypeVar("T")

__all__ = ["Conflict", "NameTaken", "Repository", "Revision", "SavedScenario", "StoreError", "Unreadable", "Upload",
           "UploadHead", "Workspace", "is_id"]


class Conflict(StoreError):
    """Another session changed the record since it was read; nothing was written."""


class NameTaken(StoreError):
    """A rename to a name another live scenario of the workspace already has."""


def is_id(text: Any) -> bool:
    """True for the shape of a stored id (32 lower-case hex digits); checked before any query."""
    return isinstance(text, str) and ID_PATTERN.fullmatch(text) is not None


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SavedScenario:
    """A stored scenario: its record and its document (already brought to the current schema)."""

    id: str
    workspace_id: str
    name: str
    note: str
    author: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    revision: int
    stored_schema: int
    document: dict[str, Any]

    @property
    def headline(self) -> dict[str, float | None]:
        return dict(self.document.get("headline") or {})


@dataclass(frozen=True)
class Unreadable:
    """A stored scenario this version cannot read: kept as it is, listed with the reason and its text."""

    id: str
    name: str
    reason: str
    text: str
    deleted: bool


@dataclass(frozen=True)
class Revision:
    """An earlier revision of a scenario, as it was before a change replaced it."""

    scenario_id: str
    revision: int
    name: str
    note: str
    author: str
    saved_at: datetime
    document: dict[str, Any] | None      # None: this version cannot read it (``text`` still holds it)
    text: str


@dataclass(frozen=True)
class Upload:
    """An uploaded file as it was received, with the options it was read with."""

    table: str
    file_name: str
    content: bytes
    size_bytes: int
    sha256: str
    options: dict[str, Any]
    uploaded_at: datetime


@dataclass(frozen=True)
class UploadHead:
    """A kept upload described without its bytes (:meth:`Repository.upload_content` reads them)."""

    table: str
    file_name: str
    size_bytes: int
    sha256: str
    options: dict[str, Any]
    uploaded_at: datetime


class _Unchanged(Exception):
    """Raised inside a transaction whose guarded update found no row, to roll the whole of it back."""


def _read(text: str) -> dict[str, Any]:
    """A stored document brought to the current schema and checked (raises what reading raises)."""
    return validate(migrate(json.loads(text)))


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive times: they were written in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _new_id() -> str:
    return uuid.uuid4().hex


def numbered(base: str, n: int) -> str:
    """``base (n)`` cut to fit the name column; ``base`` itself for n = 1."""
    if n <= 1:
        return base[:NAME_LENGTH]
    suffix = f" ({n})"
    return base[:NAME_LENGTH - len(suffix)].rstrip() + suffix


class Repository:
    """Workspaces, scenarios, uploads and settings in one database.

    ``actor`` is the logged-in user (None without a login: a single-user tool, every operation allowed); with one,
    every public method checks the actor's role in the workspace it touches (:mod:`store.rights`), and what is
    saved is written in the actor's name. ``legacy_owner`` (an e-mail) owns the workspaces made before the login.
    """

    def __init__(self, engine: Engine, actor: Actor | None = None, legacy_owner: str | None = None):
        self.engine = engine
        self.actor = actor
        self.legacy_owner = legacy_owner.strip().lower() if legacy_owner else None
        self._writer = writer(engine)
        self.companies = Companies(engine, self._writer, is_id, self._allowed)
        self.predictions = Predictions(engine, self._writer, is_id, self._allowed,
                                       lambda: self.actor.name if self.actor is not None else None)

    def as_actor(self, actor: Actor | None) -> Repository:
        """The same store seen by ``actor`` (the engine is shared)."""
        return Repository(self.engine, actor, self.legacy_owner)

    # ----------------------------------------------------------------- rights

    def role(self, workspace_id: str) -> Role | None:
        """The actor's role in the workspace ("owner" for everyone without a login); None: no access."""
        if not is_id(workspace_id):
            return None
        with self.engine.connect() as conn:
            if conn.execute(select(workspaces.c.id).where(workspaces.c.id == workspace_id)).first() is None:
                return None
            return "owner" if self.actor is None else role_in(conn, workspace_id, self.actor, self.legacy_owner)

    def _allowed(self, workspace_id: str, need: Role) -> None:
        """The workspace exists and the actor has at least ``need`` there, else StoreError/Forbidden."""
        role = self.role(workspace_id)
        if role is None:
            raise StoreError(NOT_FOUND)
        required(role, need)

    def _allowed_scenario(self, scenario_id: str, need: Role) -> None:
        if self.actor is None:
            return
        with self.engine.connect() as conn:
            found = conn.execute(select(scenarios.c.workspace_id).where(scenarios.c.id == scenario_id)).first() \
                if is_id(scenario_id) else None
        role = self.role(found.workspace_id) if found is not None else None
        if role is None:                       # a scenario of a workspace the actor cannot see does not exist for them
            raise StoreError("That scenario no longer exists.")
        required(role, need)

    def _signed(self, document: dict[str, Any]) -> dict[str, Any]:
        """What is saved is written in the logged-in user's name."""
        return document if self.actor is None else {**document, "author": self.actor.name}

    def members(self, workspace_id: str) -> list[Member]:
        """Who may see or change the workspace, owners first (viewers may list them)."""
        self._allowed(workspace_id, "viewer")
        with self.engine.connect() as conn:
            rows = conn.execute(select(workspace_members).where(workspace_members.c.workspace_id == workspace_id)
                                .order_by(workspace_members.c.added_at, workspace_members.c.user_id)).all()
        out = [Member(r.workspace_id, r.user_id, r.role, _utc(r.added_at), r.added_by) for r in rows]  # type: ignore[arg-type]
        return sorted(out, key=lambda m: -RANK[m.role])

    def set_member(self, workspace_id: str, user_id: str, role: Role) -> Member:
        """Give ``user_id`` (an e-mail) ``role`` in the workspace; only an owner may, and the last owner stays one."""
        if role not in ROLES:
            raise StoreError(f"A role is one of {', '.join(ROLES)}.")
        user = clean_name(user_id, "e-mail address").lower()
        if "@" not in user or len(user) > USER_LENGTH:
            raise StoreError("Name a member by the e-mail address they log in with.")
        self._allowed(workspace_id, "owner")
        by = self.actor.id if self.actor is not None else ""
        with self._writer.begin() as conn:
            rows = self._members_for_change(conn, workspace_id, user, keeps_owner=role == "owner")
            if user in rows:
                conn.execute(update(workspace_members).where(and_(workspace_members.c.workspace_id == workspace_id,
                                                                  workspace_members.c.user_id == user))
                             .values(role=role))
            else:
                conn.execute(insert(workspace_members).values(workspace_id=workspace_id, user_id=user, role=role,
                                                              added_at=_now(), added_by=by))
        return next(m for m in self.members(workspace_id) if m.user_id == user)

    def remove_member(self, workspace_id: str, user_id: str) -> None:
        """Take ``user_id``'s access away; only an owner may, and not from the last owner."""
        self._allowed(workspace_id, "owner")
        user = str(user_id).strip().lower()
        with self._writer.begin() as conn:
            self._members_for_change(conn, workspace_id, user, keeps_owner=False)
            conn.execute(delete(workspace_members).where(and_(workspace_members.c.workspace_id == workspace_id,
                                                              workspace_members.c.user_id == user)))

    def _members_for_change(self, conn: Connection, workspace_id: str, user: str, keeps_owner: bool) -> dict[str, str]:
        """The workspace's members (e-mail -> role) about to change ``user``, read with the workspace locked: members
        of one workspace change one transaction at a time (two owners demoting each other at once would each count
        the other as the owner left; SQLite's writers are one at a time already). Refused if ``user`` is the last
        owner and does not stay one."""
        conn.execute(select(workspaces.c.id).where(workspaces.c.id == workspace_id).with_for_update())
        self._claim(conn, workspace_id)
        rows = {r.user_id: r.role for r in conn.execute(select(workspace_members).where(
            workspace_members.c.workspace_id == workspace_id)).all()}
        if rows.get(user) == "owner" and not keeps_owner and sum(r == "owner" for r in rows.values()) == 1:
            raise StoreError("A workspace keeps at least one owner: make someone else its owner first.")
        return rows

    def _claim(self, conn: Connection, workspace_id: str) -> None:
        """A workspace without members gets the acting owner as its first one before anyone is added."""
        if self.actor is None:
            return
        if conn.execute(select(workspace_members.c.user_id).where(
                workspace_members.c.workspace_id == workspace_id)).first() is None:
            conn.execute(insert(workspace_members).values(workspace_id=workspace_id, user_id=self.actor.id,
                                                          role="owner", added_at=_now(), added_by=self.actor.id))

    # ----------------------------------------------------------------- workspaces

    def workspaces(self) -> list[Workspace]:
        """The workspaces the actor may see (every one without a login), oldest first."""
        query = select(workspaces).order_by(workspaces.c.created_at, workspaces.c.name)
        if self.actor is not None:                    # one query: the actor's rows, and the workspaces nobody has
            mine = select(workspace_members.c.workspace_id).where(workspace_members.c.user_id == self.actor.id)
            anyone = select(workspace_members.c.workspace_id)
            visible = workspaces.c.id.in_(mine)
            if self.legacy_owner is not None and self.actor.id == self.legacy_owner:
                visible = visible | workspaces.c.id.not_in(anyone)
            query = query.where(visible)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [self._workspace(r) for r in rows]

    def workspace(self, workspace_id: str) -> Workspace | None:
        """A workspace by id; None for an unknown id or one the actor may not see."""
        row = self._row(workspaces, workspace_id)
        if row is None or (self.actor is not None and self.role(workspace_id) is None):
            return None
        return self._workspace(row)

    def _row(self, table: Any, row_id: Any) -> Any:
        """The row of ``table`` with id ``row_id``; None for an unknown id or one not shaped like an id."""
        if not is_id(row_id):
            return None
        with self.engine.connect() as conn:
            return conn.execute(select(table).where(table.c.id == row_id)).first()

    def default_workspace(self) -> Workspace:
        """The oldest workspace the actor may see, created on first use ("My workspace"; with a login, the actor's
        own, which they own)."""
        found = self.workspaces()
        if found:
            return found[0]
        if self.actor is not None:
            return self.create_workspace(f"{self.actor.name}'s workspace"[:NAME_LENGTH])
        now = _now()
        try:
            with self._writer.begin() as conn:
                conn.execute(insert(workspaces).values(id=_new_id(), name=DEFAULT_WORKSPACE, created_at=now,
                                                       updated_at=now))
        except IntegrityError:
            pass              # another session created it first: use that one
        return self.workspaces()[0]

    def create_workspace(self, name: str) -> Workspace:
        """A new workspace; a taken name gets the next free number, as scenarios do."""
        base = clean_name(name, "workspace name")
        now = _now()

        def attempt(conn: Connection, candidate: str) -> Workspace:
            new = dict(id=_new_id(), name=candidate, created_at=now, updated_at=now)
            conn.execute(insert(workspaces).values(**new))
            if self.actor is not None:                # its maker owns it
                conn.execute(insert(workspace_members).values(workspace_id=new["id"], user_id=self.actor.id,
                                                              role="owner", added_at=now, added_by=self.actor.id))
            return Workspace(**new)

        return self._with_free_name(base, lambda conn: self._workspace_names(conn), attempt)

    def rename_workspace(self, workspace_id: str, name: str) -> Workspace:
        new = clean_name(name, "workspace name")
        self._allowed(workspace_id, "owner")
        try:
            with self._writer.begin() as conn:
                done = conn.execute(update(workspaces).where(workspaces.c.id == workspace_id)
                                    .values(name=new, updated_at=_now())).rowcount
        except IntegrityError:
            raise NameTaken(f"Another workspace is already called '{new}'.") from None
        if not done:
            raise StoreError("That workspace no longer exists.")
        found = self.workspace(workspace_id)
        assert found is not None
        return found

    @staticmethod
    def _workspace_names(conn: Connection) -> set[str]:
        return set(conn.execute(select(workspaces.c.name)).scalars())

    @staticmethod
    def _workspace(row: Any) -> Workspace:
        return Workspace(row.id, row.name, _utc(row.created_at), _utc(row.updated_at))   # type: ignore[arg-type]

    # ----------------------------------------------------------------- scenarios

    def save_scenario(self, workspace_id: str, document: dict[str, Any]) -> SavedScenario:
        """Store a new scenario; its name becomes "name (2)" etc. if a live scenario has it."""
        doc = validate(migrate(self._signed(document)))
        now = _now()

        def attempt(conn: Connection, candidate: str) -> str:
            new_id = _new_id()
            stored = {**doc, "name": candidate}
            conn.execute(insert(scenarios).values(
                id=new_id, workspace_id=workspace_id, name=candidate, note=doc["note"], author=doc["author"],
                created_at=now, updated_at=now, deleted_at=None, deleted_token="", revision=1,
                schema_version=CURRENT_SCHEMA, document=dumps(stored)))
            return new_id

        self._allowed(workspace_id, "editor")
        new_id = self._with_free_name(doc["name"], lambda conn: self._live_names(conn, workspace_id), attempt)
        found = self.scenario(new_id)
        assert found is not None
        return found

    def update_scenario(self, scenario_id: str, document: dict[str, Any], expected_revision: int) -> SavedScenario:
        """Replace a live scenario's content, name included; the replaced revision is kept (see :meth:`revisions`).

        Conflict if it changed since ``expected_revision``; NameTaken if the new name is another's.
        """
        self._allowed_scenario(scenario_id, "editor")
        doc = validate(migrate(self._signed(document)))
        self._require_live(scenario_id)
        try:
            with self._writer.begin() as conn:
                self._keep_revision(conn, scenario_id, expected_revision)
                done = conn.execute(update(scenarios).where(and_(
                    scenarios.c.id == scenario_id, scenarios.c.revision == expected_revision,
                    scenarios.c.deleted_at.is_(None))).values(
                    name=doc["name"], note=doc["note"], author=doc["author"], updated_at=_now(),
                    revision=expected_revision + 1, schema_version=CURRENT_SCHEMA, document=dumps(doc))).rowcount
                if not done:
                    raise _Unchanged
        except IntegrityError:
            self._clash(scenario_id, expected_revision, doc["name"])
        except _Unchanged:
            raise Conflict(self._conflict_message(scenario_id)) from None
        return self._require_live(scenario_id)

    def _clash(self, scenario_id: str, expected_revision: int, name: str) -> None:
        """A unique constraint stopped a change: another session's change of the same revision, or the name."""
        now = self.scenario(scenario_id)
        if now is None or now.revision != expected_revision or now.deleted_at is not None:
            raise Conflict(self._conflict_message(scenario_id)) from None
        raise NameTaken(f"Another scenario in this workspace is already called '{name}'; choose another name.") from None

    @staticmethod
    def _keep_revision(conn: Connection, scenario_id: str, revision: int) -> None:
        """Copy the row as it is at ``revision`` into the revisions (nothing if it has moved on)."""
        row = conn.execute(select(scenarios).where(and_(scenarios.c.id == scenario_id,
                                                        scenarios.c.revision == revision))).first()
        if row is None:
            return
        exists = conn.execute(select(scenario_revisions.c.revision).where(and_(
            scenario_revisions.c.scenario_id == scenario_id, scenario_revisions.c.revision == revision))).first()
        if exists is None:
            conn.execute(insert(scenario_revisions).values(
                scenario_id=scenario_id, revision=revision, name=row.name, note=row.note, author=row.author,
                saved_at=row.updated_at, schema_version=row.schema_version, document=row.document))

    def revisions(self, scenario_id: str) -> list[Revision]:
        """Earlier revisions of a scenario, newest first."""
        self._allowed_scenario(scenario_id, "viewer")
        if not is_id(scenario_id):
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(scenario_revisions).where(scenario_revisions.c.scenario_id == scenario_id)
                                .order_by(scenario_revisions.c.revision.desc())).all()
        out = []
        for r in rows:
            try:
                doc: dict[str, Any] | None = _read(r.document)
            except (DocumentError, ValueError, RecursionError):
                doc = None
            out.append(Revision(r.scenario_id, r.revision, r.name, r.note, r.author, _utc(r.saved_at),  # type: ignore[arg-type]
                                doc, r.document))
        return out

    def rename_scenario(self, scenario_id: str, name: str, expected_revision: int) -> SavedScenario:
        """Rename a live scenario; NameTaken if another live scenario has the name, Conflict if it changed."""
        current = self._require_live(scenario_id)
        return self.update_scenario(scenario_id, {**current.document, "name": clean_name(name)}, expected_revision)

    def duplicate_scenario(self, scenario_id: str, author: str | None = None) -> SavedScenario:
        """A copy named "name (copy)" (numbered if taken), written now by ``author`` (else the original's)."""
        source = self._require_live(scenario_id)
        doc = {**source.document, "name": numbered(source.name[:NAME_LENGTH - 7].rstrip() + " (copy)", 1),
               "saved_at": _now().isoformat(timespec="seconds")}
        if author is not None:
            doc["author"] = author
        return self.save_scenario(source.workspace_id, doc)

    def delete_scenario(self, scenario_id: str) -> SavedScenario:
        """Move a scenario to the workspace's deleted list (it can be restored); returns it as deleted."""
        self._allowed_scenario(scenario_id, "editor")
        with self._writer.begin() as conn:
            conn.execute(update(scenarios).where(and_(scenarios.c.id == scenario_id,
                                                      scenarios.c.deleted_at.is_(None)))
                         .values(deleted_at=_now(), deleted_token=scenario_id, updated_at=_now(),
                                 revision=scenarios.c.revision + 1))
        found = self.scenario(scenario_id)
        if found is None:
            raise StoreError("That scenario no longer exists.")
        return found

    def restore_scenario(self, scenario_id: str) -> SavedScenario:
        """Bring a deleted scenario back, under the next free name if its own was taken meanwhile."""
        self._allowed_scenario(scenario_id, "editor")
        source = self.scenario(scenario_id)
        if source is None:
            raise StoreError("That scenario no longer exists.")
        if source.deleted_at is None:
            return source

        def attempt(conn: Connection, candidate: str) -> int:
            doc = {**source.document, "name": candidate}
            return conn.execute(update(scenarios).where(and_(
                scenarios.c.id == scenario_id, scenarios.c.deleted_at.is_not(None),
                scenarios.c.revision == source.revision)).values(
                name=candidate, deleted_at=None, deleted_token="", updated_at=_now(),
                revision=source.revision + 1, document=dumps(doc))).rowcount

        done = self._with_free_name(source.name, lambda conn: self._live_names(conn, source.workspace_id), attempt)
        if not done:
            now = self.scenario(scenario_id)
            if now is not None and now.deleted_at is None:
                return now                    # another session restored it first: the same scenario is back
            raise Conflict("That scenario was changed while it was being restored; nothing was written. "
                           "Try again.")
        return self._require_live(scenario_id)

    def scenario(self, scenario_id: str) -> SavedScenario | None:
        """A scenario by id, live or deleted; None for an unknown or malformed id, or one the actor may not see."""
        row = self._row(scenarios, scenario_id)
        if row is None or (self.actor is not None and self.role(row.workspace_id) is None):
            return None
        return self._scenario(row)

    def scenarios(self, workspace_id: str, *, deleted: bool = False) -> list[SavedScenario]:
        """The live (or the deleted) scenarios of a workspace, newest change first; unreadable ones left out
        (:meth:`listing` names them)."""
        readable, _ = self.listing(workspace_id, deleted=deleted)
        return readable

    def listing(self, workspace_id: str, *, deleted: bool = False) -> tuple[list[SavedScenario], list[Unreadable]]:
        """The workspace's scenarios that read, and those that do not (with why), newest change first."""
        self._allowed(workspace_id, "viewer")
        condition = scenarios.c.deleted_at.is_not(None) if deleted else scenarios.c.deleted_at.is_(None)
        with self.engine.connect() as conn:
            rows = conn.execute(select(scenarios).where(and_(scenarios.c.workspace_id == workspace_id, condition))
                                .order_by(scenarios.c.updated_at.desc(), scenarios.c.name)).all()
        readable, unreadable = [], []
        for r in rows:
            try:
                readable.append(self._scenario(r))
            except StoreError as exc:
                unreadable.append(Unreadable(r.id, r.name, str(exc.__cause__ or exc), r.document, deleted))
        return readable, unreadable

    def _scenario(self, row: Any) -> SavedScenario:
        try:
            doc = _read(row.document)
        except (DocumentError, ValueError, RecursionError) as exc:
            raise StoreError(f"The stored scenario '{row.name}' ({row.id}) cannot be read: {exc}") from exc
        return SavedScenario(row.id, row.workspace_id, row.name, row.note, row.author, _utc(row.created_at),
                             _utc(row.updated_at), _utc(row.deleted_at), row.revision,  # type: ignore[arg-type]
                             row.schema_version, {**doc, "name": row.name})

    def _require_live(self, scenario_id: str) -> SavedScenario:
        found = self.scenario(scenario_id)
        if found is None:
            raise StoreError("That scenario no longer exists.")
        if found.deleted_at is not None:
            raise Conflict(f"The scenario '{found.name}' was deleted; restore it first.")
        return found

    def _conflict_message(self, scenario_id: str) -> str:
        now = self.scenario(scenario_id)
        if now is None:
            return "That scenario no longer exists."
        if now.deleted_at is not None:
            return f"The scenario '{now.name}' was deleted in the meantime; nothing was written."
        return (f"The scenario '{now.name}' was changed elsewhere since you opened it (now revision {now.revision}, "
                f"saved {now.updated_at:%Y-%m-%d %H:%M} UTC); nothing was written. Open it again, or save yours "
                "as a new scenario.")

    @staticmethod
    def _live_names(conn: Connection, workspace_id: str) -> set[str]:
        return set(conn.execute(select(scenarios.c.name).where(and_(
            scenarios.c.workspace_id == workspace_id, scenarios.c.deleted_token == ""))).scalars())

    def _with_free_name(self, base: str, taken: Callable[[Connection], set[str]],
                        attempt: Callable[[Connection, str], T]) -> T:
        """Run ``attempt`` with the first free numbered name; a clash with a concurrent writer retries."""
        for _ in range(MAX_NAME_ATTEMPTS):
            try:
                with self._writer.begin() as conn:
                    names = taken(conn)
                    n = 1
                    while numbered(base, n) in names:
                        n += 1
                    return attempt(conn, numbered(base, n))
            except IntegrityError:
                continue          # another session took that name between our read and write: look again
        raise StoreError(f"Could not find a free name for '{base}' after {MAX_NAME_ATTEMPTS} attempts.")

    # ----------------------------------------------------------------- workspace settings

    def items(self, workspace_id: str) -> dict[str, Any]:
        """The workspace's settings (company, time zone, applied calibrations, ...) by key."""
        self._allowed(workspace_id, "viewer")
        with self.engine.connect() as conn:
            rows = conn.execute(select(workspace_items.c.key, workspace_items.c.value)
                                .where(workspace_items.c.workspace_id == workspace_id)).all()
        return {r.key: json.loads(r.value) for r in rows}

    def set_item(self, workspace_id: str, key: str, value: Any) -> None:
        """Write one setting; other settings are untouched, so sessions changing different ones both keep theirs."""
        self._allowed(workspace_id, "editor")
        text = json.dumps(value, sort_keys=True, allow_nan=False)
        self._upsert(workspace_items, dict(workspace_id=workspace_id, key=key),
                     dict(value=text, updated_at=_now()))

    # ----------------------------------------------------------------- uploads

    @unguarded
    def put_upload(self, workspace_id: str, table: str, file_name: str, content: bytes,
                   options: dict[str, Any]) -> Upload:
        """Keep an uploaded file (compressed) as the workspace's ``table``, replacing the earlier one.

        The file is compressed and hashed before the store is called, and the write's deadline grows with its size:
        a large upload on a healthy server is not taken for a store that does not answer."""
        packed = zlib.compress(content, 1)
        values = dict(file_name=file_name[:300], content=packed, size_bytes=len(content),
                      sha256=hashlib.sha256(content).hexdigest(), options=json.dumps(options, sort_keys=True),
                      uploaded_at=_now())
        deadline = DEADLINE_S + len(packed) / BULK_BYTES_PER_S

        def write() -> None:
            self._allowed(workspace_id, "editor")
            self._upsert(uploads, dict(workspace_id=workspace_id, table_name=table), values)

        within_deadline(self.engine, "Repository.put_upload", functools.partial(translated, write), deadline)
        return Upload(table, values["file_name"], content, len(content), values["sha256"], dict(options),
                      values["uploaded_at"])

    def set_upload_options(self, workspace_id: str, table: str, options: dict[str, Any]) -> None:
        self._allowed(workspace_id, "editor")
        with self._writer.begin() as conn:
            conn.execute(update(uploads).where(and_(uploads.c.workspace_id == workspace_id,
                                                    uploads.c.table_name == table))
                         .values(options=json.dumps(options, sort_keys=True)))

    def remove_upload(self, workspace_id: str, table: str) -> None:
        self._allowed(workspace_id, "editor")
        with self._writer.begin() as conn:
            conn.execute(delete(uploads).where(and_(uploads.c.workspace_id == workspace_id,
                                                    uploads.c.table_name == table)))

    def uploads(self, workspace_id: str, tables: Iterable[str] | None = None) -> list[Upload]:
        self._allowed(workspace_id, "viewer")
        query = select(uploads).where(uploads.c.workspace_id == workspace_id).order_by(uploads.c.table_name)
        if tables is not None:
            query = query.where(uploads.c.table_name.in_(list(tables)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            content = zlib.decompress(r.content)
            if hashlib.sha256(content).hexdigest() != r.sha256:
                raise StoreError(f"The stored file '{r.file_name}' is damaged (its checksum differs).")
            out.append(Upload(r.table_name, r.file_name, content, r.size_bytes, r.sha256, json.loads(r.options),
                              _utc(r.uploaded_at)))  # type: ignore[arg-type]
        return out

    def upload_heads(self, workspace_id: str) -> list[UploadHead]:
        """The workspace's kept files without their bytes: enough to know whether a table read before is still
        the one kept (same digest and options) without reading the file again."""
        self._allowed(workspace_id, "viewer")
        query = (select(uploads.c.table_name, uploads.c.file_name, uploads.c.size_bytes, uploads.c.sha256,
                        uploads.c.options, uploads.c.uploaded_at)
                 .where(uploads.c.workspace_id == workspace_id).order_by(uploads.c.table_name))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [UploadHead(r.table_name, r.file_name, r.size_bytes, r.sha256, json.loads(r.options),
                           _utc(r.uploaded_at)) for r in rows]  # type: ignore[arg-type]

    def upload_content(self, workspace_id: str, table: str, sha256: str) -> bytes:
        """The bytes of the workspace's kept ``table`` file whose digest is ``sha256``.

        Raises :class:`StoreError` when that file is no longer kept (replaced or removed since its head was
        read) or its bytes no longer match the digest.
        """
        self._allowed(workspace_id, "viewer")
        query = select(uploads.c.file_name, uploads.c.content).where(and_(
            uploads.c.workspace_id == workspace_id, uploads.c.table_name == table, uploads.c.sha256 == sha256))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise StoreError(f"The kept {table} file changed or was removed since this page read the workspace.")
        content = zlib.decompress(row.content)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise StoreError(f"The stored file '{row.file_name}' is damaged (its checksum differs).")
        return content

    # ----------------------------------------------------------------- helpers

    def _upsert(self, table: Any, key: dict[str, Any], values: dict[str, Any]) -> None:
        """Insert or replace the row ``key`` in one statement where the database has one."""
        dialect = self.engine.dialect.name
        if dialect in ("sqlite", "postgresql"):
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as dialect_insert
            else:
                from sqlalchemy.dialects.postgresql import insert as dialect_insert
            statement = dialect_insert(table).values(**key, **values)
            statement = statement.on_conflict_do_update(index_elements=list(key), set_=values)
            with self._writer.begin() as conn:
                conn.execute(statement)
            return
        condition = and_(*(table.c[k] == v for k, v in key.items()))
        for _ in range(MAX_NAME_ATTEMPTS):
            try:
                with self._writer.begin() as conn:
                    if not conn.execute(update(table).where(condition).values(**values)).rowcount:
                        conn.execute(insert(table).values(**key, **values))
                return
            except IntegrityError:
                continue
        raise StoreError("Could not write the setting: another session kept changing it.")


guard_class(Repository)
