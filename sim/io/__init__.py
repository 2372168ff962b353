"""Reading what help desks and billing systems export, into the three tables the product measures.

The path of an upload, one module a step:

``read``      bytes -> :class:`~sim.io.read.RawTable` (every cell a string, as in the file): encoding,
              delimiter, blank lines, quoted newlines, XLSX; refuses empty, binary and oversized files.
``convert``   vectorised parsers from strings to typed columns: numbers (decimal comma, thousands
              separators), date-times (usual formats, time zones, Excel serials), durations, ratings.
``schema``    the three tables (tickets, customers, monthly KPIs): canonical fields, kinds, units.
``mapping``   help-desk export headers (Zendesk, Freshdesk, Help Scout, Intercom) -> canonical fields.
``validate``  raw table + mapping -> typed table + every problem, named by file, column and rows.
``eventlog``  one row per ticket event (case id, activity, timestamp) -> a ticket table.
``templates`` an empty, documented template per table.

Nothing here imports streamlit; no function raises on bad user data except :class:`ReadError` for
a file that cannot be read at all, whose message is meant for the page as it is.
"""
