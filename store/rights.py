"""Who may do what in the store once the app has a login: a workspace's members and their roles.

Without a login (:class:`Actor` None) the app is a single-user tool and every operation is allowed. With one, every
read and write of the repository names the workspace it touches and asks :func:`required` for the caller's role
there: a viewer reads, an editor also saves, changes and deletes, an owner also renames the workspace and decides
who its members are. A workspace the caller has no role in does not exist for them (reads find nothing, writes
are refused as for an unknown workspace), so ids cannot be probed.

A workspace with no members was made before the login; it belongs to the deployment's named owner
(``legacy_owner``), and to nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, select

from store.guard import StoreError
from store.tables import workspace_members

Role = Literal["viewer", "editor", "owner"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "owner")
RANK = {role: i + 1 for i, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Actor:
    """Who calls the store: the login's e-mail (lowercased, the id members are kept by) and the name shown."""

    id: str
    name: str

    @classmethod
    def of(cls, email: str, name: str | None = None) -> Actor:
        email = email.strip().lower()
        return cls(email, (name or "").strip() or email)


@dataclass(frozen=True)
class Member:
    workspace_id: str
    user_id: str
    role: Role
    added_at: datetime
    added_by: str


class Forbidden(StoreError):
    """The caller's role in the workspace does not allow this."""


NOT_FOUND = "That workspace does not exist."


def role_in(conn: Connection, workspace_id: str, actor: Actor, legacy_owner: str | None) -> Role | None:
    """``actor``'s role in the workspace; a workspace without members is its deployment owner's."""
    rows = conn.execute(select(workspace_members.c.user_id, workspace_members.c.role)
                        .where(workspace_members.c.workspace_id == workspace_id)).all()
    if not rows:
        return "owner" if legacy_owner is not None and actor.id == legacy_owner else None
    return next((r.role for r in rows if r.user_id == actor.id), None)


def required(role: Role | None, need: Role) -> None:
    """Refuse unless ``role`` is at least ``need``; a caller with no role hears of no workspace."""
    if role is None:
        raise Forbidden(NOT_FOUND)
    if RANK[role] < RANK[need]:
        raise Forbidden(f"You are {_a(role)} of this workspace, and this needs {_a(need)}'s right: ask its owner.")


def _a(role: Role) -> str:
    return f"{'a' if role == 'viewer' else 'an'} {role}"
