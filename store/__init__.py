"""Saved scenarios and workspaces on SQLAlchemy 2: SQLite by default, any SQLAlchemy URL (PostgreSQL).

Never imports Streamlit. Documents are JSON with a schema version (``store.documents``); the
repository (``store.repository``) keeps them with their workspace, uploads and settings.
"""

from store.documents import CURRENT_SCHEMA, DocumentError, read_document, scenario_document
from store.engine import connect, default_url
from store.repository import (
    Conflict,
    NameTaken,
    Repository,
    SavedScenario,
    StoreError,
    Upload,
    Workspace,
)

__all__ = [
    "CURRENT_SCHEMA", "Conflict", "DocumentError", "NameTaken", "Repository", "SavedScenario", "StoreError",
    "Upload", "Workspace", "connect", "default_url", "read_document", "scenario_document",
]
