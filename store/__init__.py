"""Saved scenarios and workspaces on SQLAlchemy 2: SQLite by default, any SQLAlchemy URL (PostgreSQL).

Never imports Streamlit. Documents are JSON with a schema version (``store.documents``); the
repository (``store.repository``) keeps them with their workspace, uploads and settings.
"""

from store.companies import company_document, company_of
from store.company_records import CompanyConflict, CompanyNameTaken, SavedCompany
from store.documents import (
                             CURRENT_SCHEMA,
                             DocumentError,
                             dumps,
                             export_file_name,
                             file_stem,
                             read_document,
                             scenario_document,
                             scenario_of,
)
from store.engine import connect, default_url
from store.guard import StoreUnavailable
from store.prediction_records import SavedPrediction
from store.rights import ROLES, Actor, Forbidden, Member, Role
from store.repository import (
                             Conflict,
                             NameTaken,
                             Repository,
                             SavedScenario,
                             StoreError,
                             Upload,
                             UploadHead,
                             Workspace,
                             is_id,
)

__all__ = [
    "ROLES", "Actor", "Forbidden", "Member", "Role",
    "CompanyConflict", "CompanyNameTaken", "SavedCompany", "company_document", "company_of",
    "CURRENT_SCHEMA", "Conflict", "DocumentError", "NameTaken", "Repository", "SavedPrediction", "SavedScenario", "StoreError",
    "StoreUnavailable",
    "Upload", "UploadHead", "Workspace", "connect", "default_url", "dumps", "export_file_name", "file_stem", "is_id",
    "read_document",
    "scenario_document", "scenario_of",
]
