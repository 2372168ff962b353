"""A kept upload read again exactly as it was read when it was put in use.

A workspace keeps each table's file with its *reading options*: the column mapping, the event-log
columns and the event roles, or the purchase-log columns and inactivity window. :func:`options_of` writes them (JSON-ready), :func:`read_kept` reads the
file again with them. Both are pure: the same bytes, options and time zone give the same table.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from intake.uploads.eventlog import EventRoles
from intake.uploads.load import EventLogColumns, Loaded, load, retype
from intake.uploads.mapping import Mapping
from intake.uploads.purchases import PurchaseLogColumns
from intake.uploads.read import ReadError, read_table
from intake.uploads.schema import TableName


def options_of(loaded: Loaded) -> dict[str, Any]:
    """How a table was read, so that the kept file is read the same way again: mapping, event-log or purchase-log
    reading. A table read by its columns writes no ``purchase_log`` key (options kept before it existed match)."""
    options = {"mapping": loaded.mapping.to_json() if loaded.mapping is not None else None,
               "event_log": asdict(loaded.event_log) if loaded.event_log is not None else None,
               "roles": {k: list(v) for k, v in asdict(loaded.roles).items()} if loaded.roles is not None else None}
    if loaded.purchase_log is not None:
        options["purchase_log"] = asdict(loaded.purchase_log)
    return options


def options_key(options: dict[str, Any]) -> str:
    """The options as one canonical string (a cache key: equal options, equal strings)."""
    return json.dumps(options, sort_keys=True, separators=(",", ":"))


def read_kept(content: bytes, file_name: str, table: TableName, options: dict[str, Any], assume_tz: str) -> Loaded:
    """The kept file ``content`` read as ``table`` with its reading ``options``; a file the reader refuses comes
    back refused, in the reader's words."""
    mapping = Mapping.from_json(options["mapping"]) if options.get("mapping") else None
    columns = EventLogColumns(**options["event_log"]) if options.get("event_log") else None
    roles = EventRoles(**{k: tuple(v) for k, v in options["roles"].items()}) if options.get("roles") else None
    purchases = PurchaseLogColumns(**options["purchase_log"]) if options.get("purchase_log") else None
    if columns is None and purchases is None:              # one of the three tables: a large file is read in slices
        return load(content, file_name, table=table, mapping=mapping, assume_tz=assume_tz)
    try:
        raw = read_table(content, file_name)
    except ReadError:
        return load(content, file_name, table=table, assume_tz=assume_tz)
    return retype(raw, table=table, mapping=mapping, assume_tz=assume_tz, event_log=columns, roles=roles,
                  purchase_log=purchases)
