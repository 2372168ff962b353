"""The scenario store in the app: one repository per server, one workspace per session.

The store's URL comes from the environment (``ROI_STORE_URL``), else ``.streamlit/secrets.toml``
(``[store] url``), else the default SQLite file. A store that cannot be opened never stops the
app: the pages work, and the Library page says why nothing can be saved.

Link parameters handled here (not controls): ``scenario`` (a saved scenario's id: its levers are
opened) and ``ws`` (a workspace's id). Anything else in them is ignored with a notice.
"""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from intake.warehouse import TicketColumns
from store import (
    Repository,
    SavedCompany,
    SavedScenario,
    StoreError,
    StoreUnavailable,
    UploadHead,
    Workspace,
    connect,
    default_url,
    is_id,
    scenario_of,
)
from ui import auth, cache, data, deployment, state
from view.controls import (
    BY_KEY,
    EXAMPLE_BOOK,
    SIDEBAR_KEYS,
    Book,
    CompanyChoice,
    choice_of,
    controls_of,
    link_params,
    read_values,
)

KEY = "_store"
ENV_URL = "ROI_STORE_URL"


def store_url() -> str:
    """The configured store: environment, then secrets, then the default SQLite file."""
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    configured = deployment.section("store").get("url")
    return str(configured) if configured else default_url()


@st.cache_resource(show_spinner=False)
def _repository(url: str) -> Repository:
    return Repository(connect(url))


def repository() -> Repository | None:
    """The store as the logged-in user may use it (everything, without a login), or None (the reason is in
    :func:`problem`)."""
    try:
        base = _repository(store_url())
    except StoreError as exc:
        _failed(exc)
        return None
    _session().pop("problem", None)
    key = (id(base), auth.actor(), auth.legacy_owner())
    kept = _session().get("repository")
    if kept is None or kept[0] != key:
        kept = (key, Repository(base.engine, key[1], key[2]))
        _session()["repository"] = kept
    return kept[1]


def _failed(exc: StoreError) -> None:
    _session()["problem"] = str(exc)
    _session()["unavailable"] = isinstance(exc, StoreUnavailable)


def problem() -> str | None:
    return _session().get("problem")


def unavailable() -> bool:
    """The latest problem is a store that does not answer (it may come back), not one configured wrong."""
    return bool(_session().get("problem")) and bool(_session().get("unavailable"))


def _session() -> dict[str, Any]:
    return st.session_state.setdefault(KEY, {})


class _Keeper:
    """Keeps the session's data changes in its workspace (``ui.data`` calls it).

    A file already kept (same bytes) only has its reading options updated. A store that fails
    leaves the session's data as they are and says that they were not kept.
    """

    def __init__(self, repo: Repository, workspace_id: str):
        self.repo, self.workspace_id = repo, workspace_id
        self.kept: dict[str, str] = {}

    def keep_upload(self, table: str, file_name: str, content: bytes, options: dict[str, Any]) -> None:
        digest = hashlib.sha256(content).hexdigest()
        try:
            if self.kept.get(table) == digest:
                self.repo.set_upload_options(self.workspace_id, table, options)
            else:
                self.repo.put_upload(self.workspace_id, table, file_name, content, options)
                self.kept[table] = digest
        except StoreError as exc:
            _notice(f"The {table} file is in use but could not be kept in the workspace: {exc}")

    def keep_options(self, table: str, options: dict[str, Any]) -> None:
        try:
            if table in self.kept:
                self.repo.set_upload_options(self.workspace_id, table, options)
        except StoreError as exc:
            _notice(f"The {table} table's new reading is in use but could not be kept in the workspace: {exc}")

    def drop_upload(self, table: str) -> None:
        try:
            self.repo.remove_upload(self.workspace_id, table)
            self.kept.pop(table, None)
        except StoreError as exc:
            _notice(f"The {table} file was removed here but is still kept in the workspace: {exc}")

    def keep_setting(self, key: str, value: Any) -> None:
        try:
            self.repo.set_item(self.workspace_id, key, value)
        except StoreError as exc:
            _notice(f"A data setting could not be kept in the workspace: {exc}")


def new_run() -> None:
    """A page run starts (``ui.frame``): the workspace and the deployment's settings are read again, once."""
    _session()["run"] = _session().get("run", 0) + 1
    deployment.new_run()


def workspace() -> Workspace | None:
    """The session's workspace (the default one unless the link or the Library chose another).

    Read from the store once per page run: a Scenario run asked for it about eight times (the sidebar, the
    companies, the save panel), each a query. What the user may do in it is checked by every store operation."""
    repo = repository()
    if repo is None:
        return None
    chosen = _session().get("workspace_id")
    kept = _session().get("workspace_of_run")
    if kept is not None and chosen is not None and kept[0] == (_session().get("run"), chosen, id(repo)):
        return kept[1]
    try:
        found = repo.workspace(chosen) if chosen else None
        if found is None:
            found = repo.default_workspace()
            _session()["workspace_id"] = found.id
    except StoreError as exc:
        _failed(exc)
        return None
    _session().pop("problem", None)
    _session()["workspace_of_run"] = ((_session().get("run"), found.id, id(repo)), found)
    return found


def book() -> Book:
    """The companies a case can be built on: the examples, then the workspace's own by name.

    Read once per workspace and session, and again after :func:`forget_companies` (a save).
    """
    ws, repo = workspace(), repository()
    cached = _session().get("book")
    if cached is not None and cached[0] == (ws.id if ws else None):
        return cached[1]
    own: dict[str, CompanyChoice] = {}
    ids: dict[str, str] = {}
    if ws is not None and repo is not None:
        try:
            listed, unreadable = repo.companies.listing(ws.id)
        except StoreError as exc:
            listed, unreadable = [], []
            _notice(f"The workspace's companies could not be read: {exc}")
        for saved in listed:
            key = saved.name if saved.name not in EXAMPLE_BOOK else f"{saved.name} (yours)"
            own[key] = CompanyChoice(saved.company, saved.currency)
            ids[key] = saved.id
        if unreadable:
            _notice(f"Companies this version cannot read were left out: {', '.join(unreadable)}.")
    result = {**EXAMPLE_BOOK, **own}
    _session()["book"] = (ws.id if ws else None, result)
    _session()["company_ids"] = ids
    return result


def saved_company(key: str) -> SavedCompany | None:
    """The workspace's own company listed under ``key`` in :func:`book`, as stored; None for an example."""
    book()
    company_id, ws, repo = _session().get("company_ids", {}).get(key), workspace(), repository()
    if company_id is None or ws is None or repo is None:
        return None
    try:
        return repo.companies.get(ws.id, company_id)
    except StoreError:
        return None


def forget_companies() -> None:
    _session().pop("book", None)


def _notice(text: str) -> None:
    """A problem to show on top of the page until dismissed (a link part ignored, a file not read)."""
    seen = st.session_state.setdefault(state.NOTICES_KEY, [])
    if text not in seen:
        seen.append(text)


def _news(text: str) -> None:
    """Something done for the user to show on top of the page until dismissed (a saved scenario opened)."""
    seen = _session().setdefault("news", [])
    if text not in seen:
        seen.append(text)


def news() -> list[str]:
    return list(_session().get("news", []))


def dismiss_news() -> None:
    _session()["news"] = []


def follow_link(page: str) -> None:
    """Before any widget is drawn: take the link's workspace and saved scenario.

    A saved scenario's levers are put into the controls, then ``page`` (the page's script) is run
    again with them in its link, so that the address bar shows and shares the levers themselves.
    """
    repo = repository()
    params = st.query_params
    if repo is None:
        for key in ("scenario", "ws"):
            if key in params:
                _notice(f"Ignored link parameter '{key}': the scenario store cannot be opened ({problem()}).")
                del st.query_params[key]
        return
    ws_param = params.get("ws")
    if ws_param is not None and ws_param != _session().get("workspace_id"):
        try:
            found = repo.workspace(ws_param) if is_id(ws_param) else None
        except StoreError:
            found = None
        if found is None:
            _notice("Ignored link parameter 'ws': no workspace has this id; your own workspace is open.")
            del st.query_params["ws"]
        else:
            choose_workspace(found.id)
    scenario_param = params.get("scenario")
    if scenario_param is not None:
        del st.query_params["scenario"]
        try:
            saved = repo.scenario(scenario_param) if is_id(scenario_param) else None
        except StoreError as exc:
            _notice(f"Ignored link parameter 'scenario': the saved scenario cannot be read ({exc}).")
            return
        if saved is None:
            _notice("Ignored link parameter 'scenario': no saved scenario has this id.")
        elif saved.deleted_at is not None:
            _notice(f"The shared scenario '{saved.name}' was deleted; restore it on the Library page to open it.")
        else:
            if saved.workspace_id != _session().get("workspace_id"):
                choose_workspace(saved.workspace_id)
            open_saved(saved)
            levers = opened_params()
            full = {**{k: v for k, v in st.query_params.to_dict().items() if k not in BY_KEY},
                    **link_params({k: st.session_state[k] for k in BY_KEY})}
            try:
                st.switch_page(page, query_params=full)
            except StreamlitAPIException:      # sidebar parameters bound in this session: the levers only
                st.switch_page(page, query_params=levers)


def choose_workspace(workspace_id: str) -> None:
    """Switch the session to another workspace: its data and calibrations are read at the next page run."""
    _session().update(workspace_id=workspace_id, restored=None, opened=None, company_restored=None, book=None)
    st.session_state.pop(data.KEY, None)
    show_workspace_in_link()


def show_workspace_in_link() -> None:
    """``ws`` in the link names the session's workspace unless it is the default one."""
    repo, chosen = repository(), _session().get("workspace_id")
    if repo is None or chosen is None:
        return
    try:
        default = repo.default_workspace().id
    except StoreError:
        return
    if chosen != default:
        if st.query_params.get("ws") != chosen:
            st.query_params["ws"] = chosen
    elif "ws" in st.query_params:
        del st.query_params["ws"]


def restore(values: dict[str, Any]) -> None:
    """Once per session and workspace: read the workspace's kept files, settings and applied fits back."""
    ws = workspace()
    repo = repository()
    if ws is None or repo is None:
        return
    data.attach(None)                                   # nothing read back is written again
    if _session().get("restored") != ws.id:
        _session()["restored"] = ws.id                  # once, even if something below fails
        keeper = _session()["keeper"] = _Keeper(repo, ws.id)
        try:
            keeper.kept = {u.table: u.sha256 for u in _restore(repo, ws, values)}
        except StoreError as exc:
            _notice(f"The workspace's kept data could not be read: {exc}")
    data.attach(_session()["keeper"])
    saved_fits = _session().pop("fits_to_check", None)
    if saved_fits is not None:
        applied_now = sorted(f.label for f in data.applied().values())
        if sorted(saved_fits) != applied_now:
            _news("It was saved with the calibrations " + (", ".join(saved_fits) or "none") + "; the workspace now "
                  "has " + (", ".join(applied_now) or "none") + " applied, so its figures can differ from the saved "
                  "ones (Compare shows it as saved).")


def _restore(repo: Repository, ws: Workspace, values: dict[str, Any]) -> list[UploadHead]:
    """Read the workspace's settings, files and applied calibrations back; returns the kept files.

    A kept file is read once for every session (``ui.cache.kept_table``, by its digest, reading options and
    time zone): a new session of a workspace another session has open reads no file again.
    """
    items = repo.items(ws.id)
    settings = items.get("data_settings", {})
    data.restore_settings(settings if isinstance(settings, dict) else {})
    kept = repo.upload_heads(ws.id)
    tz = data.setting("tz", "UTC")
    if kept:
        with st.spinner(f"Reading {len(kept)} kept file{'s' if len(kept) > 1 else ''} of {ws.name}"):
            for head in kept:
                try:
                    loaded = cache.kept_table(head, tz, functools.partial(repo.upload_content, ws.id, head.table,
                                                                          head.sha256))
                    usable = loaded.usable
                except Exception as exc:        # options written by another version, a damaged file
                    usable, why = False, f"{type(exc).__name__}: {exc}"
                else:
                    why = "; ".join(p.message for p in loaded.all_problems()[:2]) if not usable else ""
                if usable:
                    data.use_kept(head.table, loaded, head.sha256)  # type: ignore[arg-type]
                else:
                    _notice(f"The kept {head.table} file '{head.file_name}' could not be read again"
                            + (f" ({why})" if why else "") + "; upload it again on the Your data page.")
    if data.setting("large_files", {}):
        with st.spinner(f"Reading the server files {ws.name} uses"):
            for said in data.restore_large(tz):
                _notice(said + " Choose it again on the Your data page.")
    if data.setting("warehouse_kpis", None):
        with st.spinner(f"Summing {ws.name}'s ticket history in the database"):
            try:
                why = data.receive_warehouse(TicketColumns(**data.setting("warehouse_kpis", {})))
            except (TypeError, ValueError) as exc:     # a setting written by another version
                why = str(exc)
            if why:
                _notice(f"The monthly KPIs from the database could not be computed again ({why}); choose them again "
                        "on the Your data page.")
    keys = items.get("applied_fits", [])
    if keys and isinstance(keys, list):
        company = choice_of(values, book()).company
        try:
            offset = float(data.setting("offset", data.data_utc_offset_h() or 0.0))
            missing = data.reapply([str(k) for k in keys], offset, company)
        except Exception as exc:                # a fit that fails on the kept data
            missing = [f"all ({type(exc).__name__}: {exc})"]
        if missing:
            _notice(f"Calibrations no longer found in the kept data were left off: {', '.join(missing)}.")
    return kept


def keep_company(company: str) -> None:
    ws, repo = workspace(), repository()
    if ws is not None and repo is not None:
        try:
            repo.set_item(ws.id, "company", company)
        except StoreError as exc:
            _notice(f"The company could not be kept in the workspace: {exc}")


def workspace_company() -> str | None:
    """The company the workspace was last used with, if the link does not name one."""
    ws, repo = workspace(), repository()
    if ws is None or repo is None or _session().get("company_restored") == ws.id:
        return None
    _session()["company_restored"] = ws.id
    try:
        company = repo.items(ws.id).get("company")
    except StoreError:
        return None
    return company if company in book() and "company" not in st.query_params else None


def open_saved(saved: SavedScenario) -> list[str]:
    """Put a saved scenario's levers into the controls (allowed only before they are drawn, or in a callback).

    Returns notes on what could not be restored; they are also shown as notices.
    """
    controls = saved.document.get("controls")
    if controls is None:
        values, notes = controls_of(scenario_of(saved.document), book())
    else:
        values, notes = read_values(controls, book())
    for key, value in values.items():
        st.session_state[key] = value
    # Compared once the workspace's own calibrations are read back (restore), not before.
    _session()["fits_to_check"] = list(saved.document.get("fits", []))
    set_opened(saved, values)
    _session()["opened_params"] = {k: v for k, v in link_params(values).items() if k not in SIDEBAR_KEYS}
    _news(f"Opened the saved scenario '{saved.name}'"
            + (f" by {saved.author}" if saved.author else "") + f", saved {saved.updated_at:%Y-%m-%d %H:%M} UTC.")
    for note in notes:
        _news(note)
    return notes


def opened_params() -> dict[str, str]:
    """The link parameters of the levers opened last, for the page switch that shows them.

    The sidebar's own controls are left out: Streamlit refuses to set parameters bound to widgets
    on the page that switches, and those widgets write their values into the link themselves.
    """
    return dict(_session().pop("opened_params", {}))


def opened() -> dict[str, Any] | None:
    """The saved scenario this session opened last ({id, revision, name}), if any."""
    return _session().get("opened")


def set_opened(saved: SavedScenario | None, values: dict[str, Any] | None = None) -> None:
    """Remember the saved scenario the levers now come from, and the levers it had (``values``)."""
    previous = opened()
    if saved is None:
        _session()["opened"] = None
        return
    params = (link_params(values) if values is not None
              else previous["params"] if previous and previous.get("id") == saved.id else {})
    _session()["opened"] = {"id": saved.id, "revision": saved.revision, "name": saved.name, "params": params}


def opened_changed(values: dict[str, Any]) -> bool:
    """True when the levers differ from those of the opened saved scenario."""
    now = opened()
    return bool(now) and link_params(values) != now.get("params")


def author() -> str:
    """Who saves: the logged-in user, else the name this session last typed."""
    who = auth.actor()
    return who.name if who is not None else str(_session().get("author", ""))


def signed_by_login() -> dict[str, Any]:
    """A "Your name" box's settings: fixed to the login's name when someone is logged in (the store signs with it)."""
    if auth.actor() is None:
        return {}
    return {"disabled": True, "help": "Your login's name: what you save is signed with it."}


def remember_author(name: str) -> None:
    _session()["author"] = name

