"""The session's uploaded tables: the one in use per table, the latest attempt, and their metrics.

A new file never replaces a table in use unless it is usable itself: a refused upload shows its
problems while the earlier table stays in use. Metrics are kept beside the tables and computed
again only when a table, the support cost or the time zone changes.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import streamlit as st

from calibration import (Fit, Period, SiteGuess, Skipped, apply_all, doubts, fit_arrival_counts, fit_company,
                         fit_handle_times, fits_from_tables, infer_sites, non_overlapping, periods, week_shares)
from intake.metrics import HandleTimes, Measures, actual_series, measure, plan_month_index, summed_ticket_figures
from intake.uploads import LargeFile, Loaded, Mapping, TableName, Validated, files_in, load, options_of, retype
from intake.warehouse import TicketColumns, WarehouseError
from model import Company, Scenario
from track import BackTest, backtest
from ui import cache
from view import words

KEY = "_data"
LARGE_DIR_ENV = "ROI_DATA_DIR"     # a folder on the server whose CSV and Parquet files the Data page lists
WAREHOUSE_ENV = "ROI_WAREHOUSE_URL"  # the team's database (SQLAlchemy URL) whose ticket history is summed there
TABLE_NAMES: tuple[TableName, ...] = ("tickets", "customers", "kpis")


@dataclass(frozen=True)
class Slot:
    """One table's state: what is in use, the latest upload (may be the same), and its file id."""

    in_use: Loaded | None = None
    attempt: Loaded | None = None
    file_id: str | None = None
    attempt_bytes: bytes | None = None     # the latest upload's file, kept when it (or a new mapping of it) is used
    kept_sha256: str | None = None         # the attempt is the workspace's kept file of this digest (bytes in the store)


class Keeper(Protocol):
    """Where the session's data are kept beyond it (``ui.store`` attaches the workspace's)."""

    def keep_upload(self, table: str, file_name: str, content: bytes, options: dict[str, Any]) -> None: ...
    def keep_options(self, table: str, options: dict[str, Any]) -> None: ...
    def drop_upload(self, table: str) -> None: ...
    def keep_setting(self, key: str, value: Any) -> None: ...


LOG = logging.getLogger("data")


def _store() -> dict[str, Any]:
    return st.session_state.setdefault(KEY, {"slots": {t: Slot() for t in TABLE_NAMES}, "derived": {}})


def attach(keeper: Keeper | None) -> None:
    """Keep every later change of tables, settings and applied fits with ``keeper`` (None: the session only)."""
    _store()["keeper"] = keeper


def _keeper() -> Keeper | None:
    return _store().get("keeper")


def use_kept(table: TableName, loaded: Loaded, sha256: str) -> None:
    """Use the workspace's kept ``table`` file as read again (``ui.cache.kept_table``), if it is usable.

    The table is shared with other sessions: nothing changes it in place; a new reading makes a new one.
    """
    if loaded.usable:
        _store()["slots"][table] = Slot(loaded, loaded, None, None, sha256)
        _store()["derived"] = {}


def reapply(keys: list[str], utc_offset_h: float, company: Company) -> list[str]:
    """Apply the fits ``keys`` again on the tables in use; returns the keys no fit answers any more."""
    found = {f.key: f for f in fits(utc_offset_h, company)[0]}
    for key in keys:
        if key in found:
            applied()[key] = found[key]
    return [k for k in keys if k not in found]


def restore_settings(settings: dict[str, Any]) -> None:
    _store()["settings"] = dict(settings)


def setting(name: str, default: Any) -> Any:
    """A data setting (time zone, arrival clock) kept for the session, whichever page is open."""
    return _store().setdefault("settings", {}).get(name, default)


def remember(name: str, value: Any) -> None:
    _store().setdefault("settings", {})[name] = value
    if (keeper := _keeper()) is not None:
        keeper.keep_setting("data_settings", _store()["settings"])


def data_utc_offset_h() -> float | None:
    """UTC offset (hours) of the data's time zone at the latest ticket, or None in UTC / without tickets."""
    tz, tickets = setting("tz", "UTC"), frame("tickets")
    if tz == "UTC" or tickets is None or tickets.empty:
        return None
    return tickets["created"].max().tz_convert(tz).utcoffset().total_seconds() / 3600.0


def slot(table: TableName) -> Slot:
    return _store()["slots"][table]


def _put(table: TableName, new: Slot) -> None:
    old = _store()["slots"][table]
    _store()["slots"][table] = new
    _store()["derived"] = {}       # metrics, actuals and fits of the old tables
    if new.in_use is not old.in_use and applied():
        # Fits rest on the data they were made from: new or removed data switch them off, visibly,
        # rather than leave the model on numbers the tables no longer show or refit it unasked.
        _store()["switched_off"] = sorted(f.label for f in applied().values())
        applied().clear()
        _keep_applied()


def switched_off() -> list[str]:
    """Labels of the fits switched off by the latest change of data (once; then forgotten)."""
    return _store().pop("switched_off", [])


def frame(table: TableName) -> pd.DataFrame | None:
    """The typed table in use, or None."""
    used = slot(table).in_use
    return used.validated.frame if used is not None and used.validated is not None else None


def receive(table: TableName, data: bytes, name: str, file_id: str, assume_tz: str,
            progress: Any = None) -> Loaded:
    """Load an upload into ``table``'s slot; it is used only if usable (the earlier table stays otherwise).

    A file is read as the table it was dropped on, whatever its columns suggest, so the user's
    choice wins and the column mapping shows what fits; the ticket uploader also recognises event
    logs, the customer uploader purchase logs.
    """
    loaded = load(data, name, table=None if table == "tickets" else table, assume_tz=assume_tz,
                  progress=progress or (lambda *_: None))
    if loaded.table != table and loaded.raw is not None and loaded.event_log is None:   # a purchase log on tickets
        loaded = retype(loaded.raw, table=table, assume_tz=assume_tz)
    _accept(table, loaded, file_id, data)
    return loaded


def accept_loaded(table: TableName, loaded: Loaded) -> None:
    """Use ``loaded`` for ``table`` if it is usable; keep it as the latest attempt either way."""
    _accept(table, loaded, None)


def _accept(table: TableName, loaded: Loaded, file_id: str | None, content: bytes | None = None) -> None:
    """Keep ``loaded`` as the latest attempt; use it (and keep its file in the workspace) if it is usable.

    ``content`` is a new upload's file; without it the attempt is the latest upload read again (a new
    mapping, event-log roles), whose file is still at hand.
    """
    old = slot(table)
    kept = old.kept_sha256 if content is None else None          # a new reading of the kept file, or a new file
    content = content if content is not None else old.attempt_bytes
    _put(table, Slot(loaded if loaded.usable else old.in_use, loaded, file_id if file_id else old.file_id,
                     content, kept))
    if loaded.usable and (keeper := _keeper()) is not None:
        _forget_references(table)                     # an upload replaces a server file or the database's months
        if content is not None:
            keeper.keep_upload(table, loaded.name, content, options_of(loaded))
        elif kept is not None:
            keeper.keep_options(table, options_of(loaded))


def remap(table: TableName, mapping: Mapping, assume_tz: str) -> Loaded | None:
    """Type the latest upload of ``table`` again with ``mapping`` (a file on the server's disk: read it again)."""
    attempt = slot(table).attempt
    if attempt is None or attempt.raw is None:
        return None
    if attempt.source is not None:
        return receive_large(table, attempt.source, assume_tz, mapping)
    loaded = retype(attempt.raw, table=table, mapping=mapping, assume_tz=assume_tz)
    _accept(table, loaded, None)
    return loaded


# --- files too large to upload, on the server's disk -------------------------------------------------

def large_folder() -> Path | None:
    """The server folder named by the deployment (``ROI_DATA_DIR``) whose files may be read, or None."""
    folder = os.environ.get(LARGE_DIR_ENV, "").strip()
    return Path(folder) if folder else None


def large_files() -> list[LargeFile]:
    """The CSV and Parquet files in that folder (only those: no other path on the server is ever read)."""
    folder = large_folder()
    return files_in(folder) if folder is not None else []


def _large_file(name: str) -> LargeFile | None:
    return next((f for f in large_files() if f.name == name), None)


def receive_large(table: TableName, name: str, assume_tz: str, mapping: Mapping | None = None,
                  progress: Any = None) -> Loaded | None:
    """Read the server file ``name`` (one of :func:`large_files`) as ``table``; used if usable, like an upload, and
    kept in the workspace as a reference (its name and reading), not as bytes. None when no such file is listed."""
    file = _large_file(name)
    if file is None:
        return None
    loaded = cache.large_table(file, table, mapping, assume_tz, progress or (lambda *_: None))
    old = slot(table)
    _put(table, Slot(loaded if loaded.usable else old.in_use, loaded, f"large:{name}:{file.modified_ns}"))
    if loaded.usable and (keeper := _keeper()) is not None:
        keeper.drop_upload(table)
        _forget_references(table)
        large = dict(setting("large_files", {}))
        large[table] = {"name": name, "options": options_of(loaded)}
        remember("large_files", large)
    return loaded


def warehouse_url() -> str | None:
    """The team's database as the deployment names it (never typed on a page), or None."""
    return os.environ.get(WAREHOUSE_ENV, "").strip() or None


def receive_warehouse(columns: TicketColumns) -> str | None:
    """Compute the monthly KPI table in the team's database and use it; what went wrong in words, else None.

    The earlier KPI table stays in use when the database refuses."""
    url = warehouse_url()
    if url is None:
        return f"no database is named ({WAREHOUSE_ENV} is not set)"
    try:
        months = cache.warehouse_months(url, columns)
    except WarehouseError as err:
        return str(err)
    except Exception as err:     # the database itself: unreachable, no rights, a timeout
        LOG.warning("the team's database refused the monthly KPIs of %r: %s", columns.table, err)
        return (f"the database did not answer or refused ({type(err).__name__}); the server's log says why (a driver's "
                "message names hosts and users, so it is not shown here)")
    name = f"{columns.table} (in your database)"
    notes = (*months.notes, *([_handle_note(url, columns)] if columns.handle_time is not None else []))
    loaded = Loaded(name, "kpis", None, None, Validated("kpis", name, months.frame, (), len(months.frame), notes),
                    database=columns.table)
    _put("kpis", Slot(loaded, loaded, f"warehouse:{columns.table}"))
    if (keeper := _keeper()) is not None:
        keeper.drop_upload("kpis")
        _forget_references("kpis")
    remember("warehouse_kpis", dataclasses.asdict(columns))      # the session's figures and fits follow it too
    return None


def restore_large(assume_tz: str) -> list[str]:
    """Read back the server files the workspace keeps a reference to; returns what could not be read, in words."""
    said = []
    for table, kept in dict(setting("large_files", {})).items():
        if table not in TABLE_NAMES or not isinstance(kept, dict):
            continue
        name, options = str(kept.get("name", "")), kept.get("options") or {}
        file = _large_file(name)
        if file is None:
            said.append(f"The {table} file '{name}' is no longer in the server's data folder.")
            continue
        try:
            mapping = Mapping.from_json(options["mapping"]) if options.get("mapping") else None
            loaded = cache.large_table(file, table, mapping, assume_tz)
        except Exception as err:       # options of another version, a file that changed into something else
            said.append(f"The {table} file '{name}' could not be read again ({type(err).__name__}).")
            continue
        if loaded.usable:
            _store()["slots"][table] = Slot(loaded, loaded, f"large:{name}:{file.modified_ns}")
            _store()["derived"] = {}
        else:
            said.append(f"The {table} file '{name}' could not be read again.")
    return said


def retime(assume_tz: str) -> None:
    """Read every table's times without zone in ``assume_tz`` again."""
    for table in TABLE_NAMES:
        s = slot(table)

        def again(x: Loaded | None) -> Loaded | None:
            if x is None or x.raw is None:
                return x
            if x.source is not None:
                file = _large_file(x.source)
                return x if file is None else cache.large_table(file, table, x.mapping, assume_tz)
            return retype(x.raw, table=table, mapping=x.mapping, assume_tz=assume_tz, event_log=x.event_log,
                          roles=x.roles, purchase_log=x.purchase_log)

        in_use = again(s.in_use)
        attempt = in_use if s.attempt is s.in_use else again(s.attempt)
        _put(table, Slot(in_use if in_use is not None and in_use.usable else s.in_use, attempt, s.file_id,
                         s.attempt_bytes, s.kept_sha256))


def remove(table: TableName) -> None:
    """Stop using ``table``; the uploader may still hold the file, so its id is kept (not re-read)."""
    _put(table, Slot(file_id=slot(table).file_id))
    if (keeper := _keeper()) is not None:
        keeper.drop_upload(table)
        _forget_references(table)


def _forget_references(table: TableName) -> None:
    """The workspace no longer reads ``table`` from the server's disk or the team's database."""
    if table in setting("large_files", {}):
        remember("large_files", {t: v for t, v in dict(setting("large_files", {})).items() if t != table})
    if table == "kpis" and setting("warehouse_kpis", None):
        remember("warehouse_kpis", None)


def _derived(name: str, params: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``params`` while the tables stay as they are (``_put`` forgets them)."""
    cache = _store().setdefault("derived", {})
    if name not in cache or cache[name][0] != params:
        cache[name] = (params, compute())
    return cache[name][1]


def company_fit(company: Company) -> Fit | Skipped:
    """Today's company figures from the tables in use, on top of ``company`` (computed again when they change)."""
    return _derived("company_fit", (company,), lambda: fit_company(company, frame("tickets"), frame("customers"),
                                                                    frame("kpis")))


def sites(company: Company) -> list[SiteGuess]:
    """The support sites the ticket table shows (computed again when it or the company changes)."""
    return _derived("sites", (company,), lambda: infer_sites(frame("tickets"), company))


def table_periods() -> list[Period]:
    """The dates each table in use covers."""
    return _derived("periods", (), lambda: periods(frame("tickets"), frame("customers"), frame("kpis")))


def period_findings() -> list[str]:
    """Tables in use that share not a single day, in words."""
    return non_overlapping(table_periods())


def foreign_amounts(currency: str, tables: tuple[TableName, ...] = TABLE_NAMES) -> list[str]:
    """The tables in use whose amounts carry another currency's marks than the case's ``currency``, in words."""
    found = []
    for table in tables:
        loaded = slot(table).in_use
        if loaded is not None:
            found += [words.foreign_amounts(loaded.name, header, marks, currency, column)
                      for header, marks, column in loaded.foreign_amounts(currency)]
    return found


def fit_doubts(fit: Fit, company: Company, currency: str) -> list[str]:
    """Everything hard to believe about ``fit`` as ``company`` today (``calibration.doubts`` over the tables in use),
    and, for a fit that writes the revenue per customer, amounts in another currency than ``currency``."""
    said = doubts(fit, company, table_periods())
    if fit.kind == "company" and "arpu_per_month" in dict(fit.values):
        said += foreign_amounts(currency)
    return said


def any_data() -> bool:
    return any(frame(t) is not None for t in TABLE_NAMES)


def _handle_times(url: str, columns: TicketColumns) -> dict[str, HandleTimes] | str:
    """Each channel's handle-time figures computed in the team's database (shared for ten minutes), or why not."""
    try:
        return cache.warehouse_handle_times(url, columns)
    except WarehouseError as err:
        return str(err)
    except Exception as err:     # the database itself: unreachable, no rights, a timeout
        LOG.warning("the team's database refused the handle times of %r: %s", columns.table, err)
        return f"the database did not compute the handle times ({type(err).__name__})"


def _handle_note(url: str, columns: TicketColumns) -> str:
    """What the database found of each channel's handle times, in words for the status under the table: the user
    sees at once whether the channel and handle-time columns were the right ones."""
    by_channel = _handle_times(url, columns)
    if isinstance(by_channel, str):
        return f"Handle times: {by_channel}; the monthly KPIs are used without them."
    if not by_channel:
        return (f"Handle times: no ticket in {columns.table!r} has a channel and a positive handle time in "
                f"{columns.handle_time!r}.")
    ranked = sorted(by_channel.items(), key=lambda item: -item[1].tickets)
    shown = "; ".join(f"{channel} {times.tickets:,} tickets, mean {times.mean_min:,.1f} min"
                      for channel, times in ranked[:6])
    more = f" and {len(ranked) - 6} more channel words" if len(ranked) > 6 else ""
    return (f"Handle times computed there, by channel: {shown}{more}. The Calibrate page fits the case's own "
            "channels.")


def measures(support_cost_per_month: float | None, local_tz: str) -> Measures:
    """The metrics of the tables in use (and, without a ticket table, the ticket figures the team's database
    computes from the history the monthly KPIs were summed from); computed again only when an input changed."""
    def compute() -> Measures:
        found = measure(frame("tickets"), frame("customers"), frame("kpis"),
                        support_cost_per_month=support_cost_per_month, local_tz=local_tz)
        chosen = _database_columns()
        if frame("tickets") is not None or chosen is None:
            return found
        try:
            s = cache.warehouse_summary(warehouse_url(), chosen)
        except Exception as err:     # the database did not answer: the figures stay missing, said so
            return dataclasses.replace(found, missing=(*found.missing, f"Ticket figures from the database: it did "
                                                       f"not answer ({type(err).__name__})."))
        summed = summed_ticket_figures(s.tickets, s.responded, s.first_response_sum_h, s.first_response_median_h,
                                       s.first_response_p90_h, s.rated, s.satisfied)
        missing = tuple(m for m in found.missing if not m.startswith("Ticket metrics:"))
        return dataclasses.replace(found, figures=(*summed, *found.figures), missing=(
            *missing, f"Ticket figures are computed in your database from {chosen.table!r}; the heat map, channel "
                      "mix and CSAT by agent need the tickets themselves."))
    return _derived("measures", (support_cost_per_month, local_tz), compute)


def _database_columns() -> TicketColumns | None:
    """The ticket history in the team's database that the monthly KPIs in use were summed from, if they were."""
    chosen, in_use = setting("warehouse_kpis", None), slot("kpis").in_use
    if not chosen or warehouse_url() is None or in_use is None or in_use.database != chosen.get("table"):
        return None
    try:
        return TicketColumns(**chosen)
    except (TypeError, ValueError):      # a setting written by another version
        return None


ACTUAL_MONTHS_SHOWN = 24


def plan_actuals() -> tuple[pd.DataFrame | None, str]:
    """The uploads' monthly actuals on the plan's month axis (month 0 = the month after the last actual).

    Returns the rows (``series``, ``month``, ``value``; the last 24 months) and a caption naming the
    calendar months, or (None, "") without data.
    """
    return _derived("actuals", (), _plan_actuals)


def actual_months() -> pd.DataFrame:
    """Every monthly actual the uploads allow, on calendar months (``series``, ``calendar_month``, ``value``)."""
    return _derived("actual_months", (), lambda: actual_series(frame("tickets"), frame("customers"), frame("kpis")))


def arrival_offset_h(company: Company) -> float:
    """The customers' clock for the arrival profile (UTC offset, hours): the one set on the Calibrate page, else the
    data's time zone, else the largest customer region's, to the half hour."""
    own = data_utc_offset_h()
    largest = max(company.regions, key=lambda r: r.share_pct)
    default = own if own is not None else float(largest.utc_offset_h)
    return float(setting("offset", round(default * 2) / 2))


def back_test(company: Company, holdout_months: int, utc_offset_h: float) -> BackTest | str:
    """The back-test of ``company`` on the tables in use (run again only when a table, the company, the months
    held out or the clock change)."""
    return _derived("back_test", (company, holdout_months, utc_offset_h),
                    lambda: backtest(company, frame("tickets"), frame("customers"), frame("kpis"),
                                     holdout_months=holdout_months, utc_offset_h=utc_offset_h))


def _plan_actuals() -> tuple[pd.DataFrame | None, str]:
    series = actual_months()
    result: tuple[pd.DataFrame | None, str] = (None, "")
    if len(series):
        last = series["calendar_month"].max()
        month0 = last + pd.offsets.MonthBegin(1)
        rows = series.assign(month=plan_month_index(series["calendar_month"], month0))
        rows = rows[rows["month"] >= -ACTUAL_MONTHS_SHOWN]
        caption = words.actuals_caption(rows, month0, rows["calendar_month"].min())
        result = (rows[["series", "month", "value"]].reset_index(drop=True), caption)
    return result


def fits(utc_offset_h: float, company: Company) -> tuple[list[Fit], list[str]]:
    """Every fit the tables in use allow (computed again only when a table, the offset or the company changes)."""
    return _derived("fits", (utc_offset_h, company.name), lambda: _fits(utc_offset_h, company))


def _fits(utc_offset_h: float, company: Company) -> tuple[list[Fit], list[str]]:
    found, reasons = fits_from_tables(frame("tickets"), frame("customers"), utc_offset_h=utc_offset_h,
                                      company=company)
    if frame("tickets") is None and (arrivals := _database_arrivals(utc_offset_h)) is not None:
        handle = _database_handle_times(company)
        reasons = [DATABASE_TICKETS if r.startswith("tickets: no ticket table") else r for r in reasons]
        found = [*(r for r in (arrivals, *handle) if isinstance(r, Fit)), *found]
        reasons += [f"{r.key}: {r.reason}" for r in (arrivals, *handle) if isinstance(r, Skipped)]
    today = fit_company(company, frame("tickets"), frame("customers"), frame("kpis"))
    return ([today, *found], reasons) if isinstance(today, Fit) else (found, [*reasons, f"company: {today.reason}"])


DATABASE_TICKETS = ("tickets: in your database, which counts the arrivals by hour of week (and the handle times, when "
                    "their column is chosen); the response-time, CSAT and patience fits need each ticket's values "
                    "(export the tickets)")


def _database_handle_times(company: Company) -> list[Fit | Skipped]:
    """Each of the company's channels' handle-time fit on the figures the team's database computed from the ticket
    history the monthly KPIs were summed from (nothing when no handle-time column was chosen there)."""
    chosen = _database_columns()
    if chosen is None or chosen.handle_time is None or chosen.channel is None:
        return []
    by_channel = _handle_times(warehouse_url(), chosen)
    if isinstance(by_channel, str):
        return [Skipped("handle_time", by_channel)]
    where = f" Computed in the database from {chosen.table!r}."
    ours = [ch.name for ch in company.channels]
    others = sorted(set(by_channel) - set(ours))
    return [fit_handle_times(by_channel[ch], ch, where) if ch in by_channel else
            Skipped(f"handle_time:{ch}", f"no tickets of the channel with a handle time in {chosen.table!r}")
            for ch in ours] + ([Skipped("handle_time", "not fitted for channels the case does not have ("
                                        + ", ".join(others) + ")")] if others else [])


def _database_arrivals(utc_offset_h: float) -> Fit | Skipped | None:
    """The arrival profile fitted to the hour-of-week counts of the ticket history the KPI table was summed from, in
    the team's database (None when the monthly KPIs do not come from there)."""
    chosen = _database_columns()
    if chosen is None:
        return None
    try:
        week = cache.warehouse_week(warehouse_url(), chosen, utc_offset_h)
    except Exception as err:     # the database did not answer
        return Skipped("arrival_profile", f"the database did not count the hours ({type(err).__name__})")
    shares, days = week_shares(week.counts, week.first_local, week.last_local)
    return fit_arrival_counts(week.counts, shares, days, f" Counted in the database from {chosen.table!r}.")


def applied() -> dict[str, Fit]:
    """The fits the user applied to the model, by key (they stay applied until switched off)."""
    return _store().setdefault("applied", {})


def set_applied(fit: Fit, on: bool) -> None:
    if on:
        applied()[fit.key] = fit
    else:
        applied().pop(fit.key, None)
    _keep_applied()


def _keep_applied() -> None:
    if (keeper := _keeper()) is not None:
        keeper.keep_setting("applied_fits", sorted(applied()))


def calibrated(scenario: Scenario) -> Scenario:
    """``scenario`` with the applied fits written in (unchanged without any)."""
    return apply_all(scenario, list(applied().values()))


def offset_changed(offset_h: float) -> None:
    """A new arrival clock: remember it, and switch off an arrival fit made on the old one."""
    remember("offset", offset_h)
    if applied().pop("arrival_profile", None) is not None:
        _store()["switched_off"] = ["Arrivals by local hour of week (the clock changed)"]
        _keep_applied()
