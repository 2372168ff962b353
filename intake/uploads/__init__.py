"""Reading what help desks and billing systems export, into the three tables the product measures.

The path of an upload, one module a step:

``read``      bytes -> :class:`~intake.uploads.read.RawTable` (every cell a string, as in the file): encoding,
              delimiter, blank lines, quoted newlines, XLSX; refuses empty, binary and oversized files.
``convert``   vectorised parsers from strings to typed columns: numbers (decimal comma, thousands
              separators), date-times (usual formats, time zones, Excel serials), durations, ratings.
``schema``    the three tables (tickets, customers, monthly KPIs): canonical fields, kinds, units.
``mapping``   help-desk export headers (Zendesk, Freshdesk, Help Scout, Intercom) -> canonical fields.
``validate``  raw table + mapping -> typed table + every problem, named by file, column and rows.
``eventlog``  one row per ticket event (case id, activity, timestamp) -> a ticket table.
``purchases`` one row per purchase (customer, date, amount) -> a customer table, by an inactivity window.
``templates`` an empty, documented template per table.
``kept``      a kept file read again with the options it was read with.
``large``     a file too large to upload, on the server's disk (CSV or Parquet), read in slices of rows; a
              large upload too, from its bytes.
``loaded``    what every reader returns: :class:`~intake.uploads.loaded.Loaded`.
``memory``    freed memory handed back to the system between slices, and when the server is idle.

Nothing here imports streamlit; no function raises on bad user data except :class:`ReadError` for
a file that cannot be read at all, whose message is meant for the page as it is.
"""

from intake.uploads.eventlog import EventRoles, guess_roles
from intake.uploads.kept import options_key, options_of, read_kept
from intake.uploads.large import LargeFile, files_in, read_large
from intake.uploads.load import EventLogColumns, Loaded, from_event_log, from_purchase_log, load, retype
from intake.uploads.mapping import PAIRED_KINDS, Mapping, guess_table, why_table
from intake.uploads.memory import hand_back
from intake.uploads.purchases import PurchaseLogColumns, guess_purchase_columns
from intake.uploads.read import ReadError, read_table
from intake.uploads.schema import TABLE_LABELS, TABLES, TableName
from intake.uploads.templates import template_csv, template_notes
from intake.uploads.validate import Validated

__all__ = [
    "PAIRED_KINDS", "TABLES", "TABLE_LABELS", "EventLogColumns", "EventRoles", "LargeFile", "Loaded", "Mapping", "PurchaseLogColumns", "ReadError", "TableName", "from_event_log", "from_purchase_log", "guess_purchase_columns",
    "files_in", "guess_roles", "hand_back", "guess_table", "load", "options_key", "options_of", "read_kept", "read_large", "read_table", "retype", "why_table",
    "template_csv", "template_notes", "Validated",
]
