"""Library: the workspace's saved scenarios with their figures; open, rename, duplicate, delete, share, compare."""

from collections.abc import Callable
from typing import Any

import streamlit as st

import ui
from store import ROLES, StoreError, dumps, export_file_name
from ui import auth, components, downloads, library, store

values = ui.frame("Library", ":material/bookmarks:")
st.title("Library")
repo, ws = store.repository(), store.workspace()
if repo is None or ws is None:
    st.error(f"The scenario store cannot be opened, so nothing can be saved or listed: {store.problem()}"
             + ("" if store.unavailable() else "\n\nCheck `[store] url` in `.streamlit/secrets.toml` (see "
                                               "`secrets.toml.example`)."), icon=":material/database:")
    ui.stop(values)
repo_, ws_ = repo, ws       # narrowed for the callbacks below
DONE, GO, UNDO = "_library_done", "_library_go", "_library_undo"


def _say(kind: str, text: str) -> None:
    st.session_state[DONE] = (kind, text)


def _action(what: str, do: Callable[..., Any]) -> Callable[..., None]:
    """A button callback that reports a store failure (another session's change, a lost connection)."""
    def run(*args: Any) -> None:
        try:
            do(*args)
        except (StoreError, ValueError) as exc:
            text = str(exc).rstrip()
            _say("error", f"Not {what}: {text}" + ("" if text.endswith((".", "!", "?")) else "."))
    return run


def _names(ids: list[str], act: Callable[[str], Any]) -> str:
    return ", ".join(f"'{act(i).name}'" for i in ids)


def _open(scenario_id: str) -> None:
    saved = repo_.scenario(scenario_id)
    if saved is None or saved.deleted_at is not None:
        raise StoreError("that scenario was deleted in the meantime.")
    store.open_saved(saved)
    st.session_state[GO] = "pages/1_Scenario.py"


def _rename(scenario_id: str, revision: int) -> None:
    saved = repo_.rename_scenario(scenario_id, st.session_state[f"library_new_name_{scenario_id}"], revision)
    _say("ok", f"Renamed to '{saved.name}'.")
    if (store.opened() or {}).get("id") == saved.id:
        store.set_opened(saved)


def _duplicate(ids: list[str]) -> None:
    _say("ok", "Duplicated as " + _names(ids, lambda i: repo_.duplicate_scenario(i, author=store.author() or None))
         + ".")


def _delete(ids: list[str]) -> None:
    names = _names(ids, repo_.delete_scenario)
    st.session_state[UNDO] = ids
    if (store.opened() or {}).get("id") in ids:
        store.set_opened(None)
    _say("deleted", f"Deleted {names}. " + ("It stays" if len(ids) == 1 else "They stay")
         + " under “Deleted scenarios” below until restored.")


def _restore(ids: list[str]) -> None:
    names = _names(ids, repo_.restore_scenario)
    st.session_state.pop(UNDO, None)
    _say("ok", f"Restored {names}.")


def _bring_back(scenario_id: str, revision: int) -> None:
    earlier = next(r for r in repo_.revisions(scenario_id) if r.revision == revision)
    assert earlier.document is not None
    saved = repo_.save_scenario(ws_.id, {**earlier.document, "name": f"{earlier.name} (revision {revision})"})
    _say("ok", f"Revision {revision} saved as a new scenario, '{saved.name}'.")


def _compare(ids: list[str]) -> None:
    st.session_state["_compare_ids"] = ids
    st.session_state[GO] = "pages/9_Compare.py"


def _import() -> None:
    upload = st.session_state.get("library_import")
    if upload is not None:
        _say(*library.import_file(upload.getvalue()))


def _new_workspace() -> None:
    created = repo_.create_workspace(st.session_state["library_ws_name"])
    store.choose_workspace(created.id)
    st.session_state["library_ws"] = created.id
    _say("ok", f"Created and opened the workspace '{created.name}'.")


def _rename_workspace() -> None:
    renamed = repo_.rename_workspace(ws_.id, st.session_state[f"library_ws_rename_{ws_.id}"])
    _say("ok", f"The workspace is now called '{renamed.name}'.")


def _share() -> None:
    member = repo_.set_member(ws_.id, st.session_state["library_share_email"], st.session_state["library_share_role"])
    _say("ok", f"{member.user_id} is now {'an' if member.role != 'viewer' else 'a'} {member.role} of this workspace.")


def _unshare() -> None:
    user = st.session_state["library_unshare_user"]
    repo_.remove_member(ws_.id, user)
    _say("ok", f"{user} no longer has access to this workspace.")


def _switch_workspace() -> None:
    store.choose_workspace(st.session_state["library_ws"])


if GO in st.session_state:
    target = st.session_state.pop(GO)
    # Not None: that would clear the link, which Streamlit refuses while widgets are bound to it.
    st.switch_page(target, query_params=store.opened_params() if target == "pages/1_Scenario.py" else {})

st.caption("Every saved scenario of the workspace with the figures it had when it was saved (P50 of its draws). "
           "Choose scenarios below the table to open, rename, share, export, duplicate, compare or delete them.")

try:
    spaces = repo.workspaces()
    saved, unreadable = repo.listing(ws.id)
    gone, gone_unreadable = repo.listing(ws.id, deleted=True)
except StoreError as exc:
    st.error(components.plain(str(exc)), icon=":material/database:")
    ui.stop(values)

ids_of_spaces = [w.id for w in spaces]
st.session_state["library_ws"] = ws.id
left, middle, right = st.columns([4, 1, 1], vertical_alignment="bottom")
left.selectbox("Workspace", ids_of_spaces, format_func=lambda i: next(w.name for w in spaces if w.id == i),
               key="library_ws", on_change=_action("switched", _switch_workspace),
               help="A workspace holds a company's scenarios, uploaded data and applied calibrations.")
with middle.popover("New", icon=":material/create_new_folder:", width="stretch"):
    st.text_input("Name of the new workspace", key="library_ws_name", max_chars=200)
    st.button("Create and open", on_click=_action("created", _new_workspace), type="primary")
try:
    role = repo.role(ws.id)      # "owner" for everyone without a login; the store checks it again on every call
except StoreError as exc:
    st.error(components.plain(str(exc)), icon=":material/database:")
    ui.stop(values)
with right.popover("Rename", icon=":material/edit:", width="stretch", disabled=role != "owner",
                   help=None if role == "owner" else "Only an owner renames the workspace."):
    st.text_input("New name of this workspace", value=ws.name, key=f"library_ws_rename_{ws.id}", max_chars=200)
    st.button("Rename the workspace", on_click=_action("renamed", _rename_workspace))

if auth.configured():
    with st.expander(f"People with access · you are {'an' if role != 'viewer' else 'a'} {role}",
                     icon=":material/group:"):
        try:
            people = repo.members(ws.id)
        except StoreError as exc:
            people = []
            st.error(components.plain(str(exc)), icon=":material/database:")
        if people:
            st.dataframe(library.members_table(people), hide_index=True, width="stretch")
        else:
            st.caption("Made before the login: yours as the deployment's owner, nobody else's until you share it.")
        if role == "owner":
            with st.form("library_share", border=False):
                left, middle, right = st.columns([3, 1, 1], vertical_alignment="bottom")
                left.text_input("E-mail address they log in with", key="library_share_email", max_chars=320)
                middle.selectbox("Role", ROLES, index=0, key="library_share_role",
                                 help="A viewer reads; an editor also saves, changes and deletes; an owner also "
                                      "renames the workspace and decides who has access.")
                right.form_submit_button("Share", on_click=_action("shared", _share), icon=":material/person_add:")
            others = [m.user_id for m in people if m.user_id != (auth.actor().id if auth.actor() else "")]
            if others:
                left, right = st.columns([4, 1], vertical_alignment="bottom")
                left.selectbox("Member", others, key="library_unshare_user")
                right.button("Remove access", on_click=_action("changed", _unshare), icon=":material/person_remove:")
else:
    st.caption("No login is configured, so this is a single-user tool: whoever reaches this server sees and changes "
               "every workspace. `make run` serves it on this computer only (127.0.0.1); the README's \"Login\" "
               "says how to share it with a team.")

done = st.session_state.pop(DONE, None)
if done is not None:
    kind, text = done
    if kind == "error":
        st.error(components.plain(text), icon=":material/error:")
    else:
        box = st.container(border=True)
        box.success(components.plain(text), icon=":material/check_circle:")
        if kind == "deleted":
            box.button("Undo", on_click=_action("restored", _restore), args=(st.session_state.get(UNDO, []),),
                       icon=":material/undo:")

for bad in unreadable + gone_unreadable:
    with st.container(border=True):
        st.warning(components.plain(f"The saved scenario '{bad.name}' cannot be read by this version: {bad.reason}. "
                                    "It is kept as it is; download its text to keep a copy."),
                   icon=":material/warning:")
        st.download_button("Download its stored text", bad.text, export_file_name(bad.name), "application/json",
                           key=f"library_unreadable_{bad.id}", on_click="ignore", icon=":material/download:")

chosen: list = []
if not saved:
    st.info("No saved scenario in this workspace yet. On the Scenario page, set the levers and use "
            "“Save scenario”, or import a scenario file below.", icon=":material/bookmarks:")
else:
    downloads.table(st, library.table(saved), "saved scenarios", hide_index=True, width="stretch",
                    column_config={"Note": st.column_config.TextColumn(width="large")})
    by_id = {s.id: s for s in saved}
    st.session_state["library_pick"] = [i for i in st.session_state.get("library_pick", []) if i in by_id]
    picked = st.multiselect("Scenarios to act on", list(by_id), key="library_pick",
                            format_func=lambda i: by_id[i].name,
                            placeholder="Choose one to open, rename, share or export; two to four to compare")
    chosen = [by_id[i] for i in picked]

if chosen:
    ids = [s.id for s in chosen]
    st.subheader(components.plain(chosen[0].name) if len(chosen) == 1 else f"{len(chosen)} scenarios chosen")
    cols = st.columns(4)
    if len(chosen) == 1:
        one = chosen[0]
        cols[0].button("Open", on_click=_action("opened", _open), args=(one.id,), type="primary",
                       icon=":material/open_in_new:", width="stretch",
                       help="Set the levers to this scenario's and go to the Scenario page.")
        text, file_name = library.export(one)
        cols[1].download_button("Export (JSON)", text, file_name, "application/json", icon=":material/download:",
                                width="stretch", on_click="ignore")
    else:
        cols[0].button("Compare", on_click=_compare, args=(ids[:4],), type="primary", disabled=len(chosen) > 4,
                       icon=":material/compare_arrows:", width="stretch",
                       help="Two to four scenarios side by side." if len(chosen) <= 4 else "Choose at most four.")
    cols[2].button("Duplicate", on_click=_action("duplicated", _duplicate), args=(ids,),
                   icon=":material/content_copy:", width="stretch")
    cols[3].button("Delete", on_click=_action("deleted", _delete), args=(ids,), icon=":material/delete:",
                   width="stretch")
    if len(chosen) == 1:
        one = chosen[0]
        left, right = st.columns(2)
        with left.form(f"rename_{one.id}", border=True):
            st.text_input("New name", value=one.name, key=f"library_new_name_{one.id}", max_chars=200)
            st.form_submit_button("Rename", on_click=_action("renamed", _rename), args=(one.id, one.revision))
        with right.container(border=True):
            st.markdown("**Share**")
            st.code(library.share_url({"scenario": one.id}), language=None, wrap_lines=True)
            st.caption("Opens this saved scenario's levers for anyone who can reach this app and its store.")
            if one.note:
                st.markdown("**Note**  \n" + components.plain(one.note))
            facts = [f"Saved with calibrations: {', '.join(one.document['fits'])}." if one.document["fits"]
                     else "Saved without calibrations.", f"Revision {one.revision}."]
            if one.stored_schema < 2:
                facts.append(f"Saved by an older version (schema {one.stored_schema}), brought up to date on reading.")
            st.caption(" ".join(components.plain(f) for f in facts))
        earlier = repo.revisions(one.id)
        if earlier:
            with st.expander(f"Earlier revisions ({len(earlier)})", key=f"_open_revisions_{one.id}"):
                for r in earlier:
                    line = st.columns([3, 1, 1], vertical_alignment="center")
                    line[0].markdown(components.plain(f"Revision {r.revision}: '{r.name}', by {r.author or 'nobody'}, "
                                                      f"saved {r.saved_at:%Y-%m-%d %H:%M} UTC"))
                    line[1].download_button("Download", r.text if r.document is None else dumps(r.document),
                                            export_file_name(f"{r.name} revision {r.revision}"), "application/json",
                                            key=f"library_rev_dl_{one.id}_{r.revision}", on_click="ignore")
                    line[2].button("Save as new", key=f"library_rev_new_{one.id}_{r.revision}",
                                   on_click=_action("saved", _bring_back), args=(one.id, r.revision),
                                   disabled=r.document is None)

st.divider()
left, right = st.columns(2)
with left:
    st.subheader("Import a scenario file")
    if role == "viewer":
        st.caption("You view this workspace: importing needs an editor's right.")
    else:
        st.file_uploader("A scenario exported from the Library (.json)", type=["json"], key="library_import",
                         max_upload_size=1, on_change=_import,
                         help="Files from any version of the product are read; a file that cannot be used is "
                              "refused with the reasons, and nothing else changes.")
with right:
    st.subheader("Deleted scenarios")
    if not gone:
        st.caption("None. Deleted scenarios stay here until restored.")
    else:
        pick = st.multiselect("Restore", [s.id for s in gone],
                              format_func=lambda i: next(f"{s.name} (deleted {s.deleted_at:%Y-%m-%d %H:%M} UTC)"
                                                         for s in gone if s.id == i), key="library_restore_pick")
        st.button("Restore", on_click=_action("restored", _restore), args=(pick,), disabled=not pick,
                  icon=":material/restore_from_trash:")

ui.finish(values)
