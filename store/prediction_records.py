"""The workspace's predictions: filed, listed, read and withdrawn, never changed.

A prediction is what was said before the months happened, so the store keeps it as it was filed: there is no
update. Withdrawing sets when and by whom and keeps the row (the ledger lists it as withdrawn); a new view of the
same case is filed as a new prediction naming the one it replaces. Every operation names the workspace it acts
for; an id from another workspace is treated as unknown. The document's content is the prediction module's
(``track.prediction``); the store checks its kind and size and keeps its JSON.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, insert, select, update

from store.documents import clean_name, dumps
from store.guard import StoreError, guard_class
from store.tables import predictions

MAX_DOCUMENT_CHARS = 5_000_000          # a year of 10 metrics is about 60 kB; this leaves room and stops a flood


@dataclass(frozen=True)
class SavedPrediction:
    """A filed prediction's record and its document (JSON data)."""

    id: str
    workspace_id: str
    name: str
    author: str
    filed_at: datetime
    first_month: str
    months: int
    replaces: str | None
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    document: dict[str, Any]

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _checked(document: dict[str, Any]) -> str:
    if not isinstance(document, dict) or document.get("kind") != "prediction":
        raise StoreError("Only a prediction document can be filed as a prediction.")
    text = dumps(document)
    if len(text) > MAX_DOCUMENT_CHARS:
        raise StoreError(f"A prediction of {len(text):,} characters is over the store's limit of "
                         f"{MAX_DOCUMENT_CHARS:,}; file fewer months or metrics.")
    return text


class Predictions:
    """Predictions of workspaces in one database (``Repository.predictions``)."""

    def __init__(self, engine: Engine, writer: Engine, is_id: Callable[[Any], bool],
                 allowed: Callable[[str, str], None], signer: Callable[[], str | None] = lambda: None):
        self.engine, self._writer, self._is_id = engine, writer, is_id
        self._allowed = allowed      # the repository's check: the workspace exists and the caller has the role
        self._signer = signer        # the logged-in user's name, who files and withdraws (None without a login)

    def file(self, workspace_id: str, document: dict[str, Any], *, replaces: str | None = None) -> SavedPrediction:
        """File a new prediction (name, author, first month and months are read from the document)."""
        if (signer := self._signer()) is not None:
            document = {**document, "author": signer}
        text = _checked(document)
        self._allowed(workspace_id, "editor")
        if replaces is not None and self.get(workspace_id, replaces) is None:
            raise StoreError("The prediction this one replaces is not in this workspace.")
        name = clean_name(document.get("name"), "prediction's name")
        author = clean_name(document.get("author") or "", "author", empty_ok=True) or "unknown"
        try:
            first_month, months = str(document["first_month"])[:7], int(document["months"])
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"The prediction lacks its first month or its number of months ({exc}).") from None
        new_id = uuid.uuid4().hex
        filed_at = datetime.now(UTC)
        with self._writer.begin() as conn:
            conn.execute(insert(predictions).values(
                id=new_id, workspace_id=workspace_id, name=name, author=author, filed_at=filed_at,
                first_month=first_month, months=months, replaces=replaces, withdrawn_at=None, withdrawn_by=None,
                document=text))
        found = self.get(workspace_id, new_id)
        if found is None:                      # read back: a confirmation only for what is durably there
            raise StoreError("The prediction could not be read back after filing; it may not have been kept.")
        return found

    def withdraw(self, workspace_id: str, prediction_id: str, by: str) -> SavedPrediction:
        """Mark a prediction withdrawn (once); it stays listed."""
        self._allowed(workspace_id, "editor")
        by = self._signer() or by
        current = self.get(workspace_id, prediction_id)
        if current is None:
            raise StoreError("That prediction is not in this workspace.")
        if current.withdrawn:
            return current
        with self._writer.begin() as conn:
            conn.execute(update(predictions).where(and_(predictions.c.id == prediction_id,
                                                        predictions.c.workspace_id == workspace_id,
                                                        predictions.c.withdrawn_at.is_(None)))
                         .values(withdrawn_at=datetime.now(UTC),
                                 withdrawn_by=clean_name(by, "author", empty_ok=True) or "unknown"))
        found = self.get(workspace_id, prediction_id)
        assert found is not None
        return found

    def get(self, workspace_id: str, prediction_id: Any) -> SavedPrediction | None:
        """The prediction, if it belongs to ``workspace_id`` and its document still reads as JSON; else None."""
        if not (self._is_id(prediction_id) and self._is_id(workspace_id)):
            return None
        self._allowed(workspace_id, "viewer")
        with self.engine.connect() as conn:
            row = conn.execute(select(predictions).where(and_(predictions.c.id == prediction_id,
                                                              predictions.c.workspace_id == workspace_id))).first()
        return self._saved(row) if row is not None else None

    def listing(self, workspace_id: str) -> list[SavedPrediction]:
        """The workspace's predictions, newest first, withdrawn ones included (unreadable rows left out)."""
        if not self._is_id(workspace_id):
            return []
        self._allowed(workspace_id, "viewer")
        with self.engine.connect() as conn:
            rows = conn.execute(select(predictions).where(predictions.c.workspace_id == workspace_id)
                                .order_by(predictions.c.filed_at.desc(), predictions.c.id)).all()
        return [s for s in (self._saved(r) for r in rows) if s is not None]

    @staticmethod
    def _saved(row: Any) -> SavedPrediction | None:
        try:
            doc = json.loads(row.document)
        except (ValueError, RecursionError):
            return None
        if not isinstance(doc, dict):
            return None
        return SavedPrediction(row.id, row.workspace_id, row.name, row.author, _utc(row.filed_at), row.first_month,
                               int(row.months), row.replaces, _utc(row.withdrawn_at), row.withdrawn_by, doc)


guard_class(Predictions)
