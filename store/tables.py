"""The store's tables (SQLAlchemy Core). JSON lives in Text columns, so any SQL database holds it.

Members (``workspace_members``) say who may see or change a workspace once the app has a login.
Predictions (``predictions``) are filed once and never changed: a withdrawal sets ``withdrawn_at`` and keeps the
row, and a new view of a case is a new row naming the one it ``replaces``.
Companies (``companies``) are the workspace's own organisations, each with its revisions in
``company_revisions``. A live scenario has ``deleted_token`` "" and a deleted one its own id, so the unique constraint
keeps live names unique per workspace while any number of deleted scenarios share a name. Every
revision a change replaces is kept in ``scenario_revisions``.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

LAYOUT_VERSION = 2          # the tables' own version; documents carry theirs (store.documents). 2: members
USER_LENGTH = 320           # an e-mail address at its longest
ID_LENGTH = 32              # uuid4 hex
NAME_LENGTH = 200

metadata = MetaData()

store_meta = Table(
    "store_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

workspaces = Table(
    "workspaces", metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Who may see and change a workspace when the app has a login (store.rights); a workspace without a row here was made
# before the login and belongs to the deployment's named owner.
workspace_members = Table(
    "workspace_members", metadata,
    Column("workspace_id", String(ID_LENGTH), ForeignKey("workspaces.id"), primary_key=True),
    Column("user_id", String(USER_LENGTH), primary_key=True),       # the login's e-mail, lowercased
    Column("role", String(16), nullable=False),                      # viewer, editor or owner
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("added_by", String(USER_LENGTH), nullable=False),
)

workspace_items = Table(
    "workspace_items", metadata,
    Column("workspace_id", String(ID_LENGTH), ForeignKey("workspaces.id"), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),               # JSON
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

uploads = Table(
    "uploads", metadata,
    Column("workspace_id", String(ID_LENGTH), ForeignKey("workspaces.id"), primary_key=True),
    Column("table_name", String(32), primary_key=True),
    Column("file_name", String(300), nullable=False),
    Column("content", LargeBinary, nullable=False),      # zlib-compressed file bytes
    Column("size_bytes", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("options", Text, nullable=False),             # JSON: column mapping, event-log roles
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
)

scenarios = Table(
    "scenarios", metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("workspace_id", String(ID_LENGTH), ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("note", Text, nullable=False),
    Column("author", String(NAME_LENGTH), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("deleted_token", String(ID_LENGTH), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("document", Text, nullable=False),            # JSON, see store.documents
    UniqueConstraint("workspace_id", "name", "deleted_token", name="uq_scenario_live_name"),
)

scenario_revisions = Table(
    "scenario_revisions", metadata,
    Column("scenario_id", String(ID_LENGTH), ForeignKey("scenarios.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("note", Text, nullable=False),
    Column("author", String(NAME_LENGTH), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),   # when this revision was written
    Column("schema_version", Integer, nullable=False),
    Column("document", Text, nullable=False),
)

companies = Table(
    "companies", metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("workspace_id", String(ID_LENGTH), ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("document", Text, nullable=False),            # JSON, see store.companies
    UniqueConstraint("workspace_id", "name", name="uq_company_name"),
)

company_revisions = Table(
    "company_revisions", metadata,
    Column("company_id", String(ID_LENGTH), ForeignKey("companies.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("document", Text, nullable=False),
)

predictions = Table(
    "predictions", metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("workspace_id", String(ID_LENGTH), ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("author", String(NAME_LENGTH), nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("first_month", String(7), nullable=False),              # YYYY-MM, the plan's month 0
    Column("months", Integer, nullable=False),
    Column("replaces", String(ID_LENGTH), nullable=True),          # the prediction this one supersedes
    Column("withdrawn_at", DateTime(timezone=True), nullable=True),
    Column("withdrawn_by", String(NAME_LENGTH), nullable=True),
    Column("document", Text, nullable=False),                      # JSON, see track.prediction
)
