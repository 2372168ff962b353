"""Library views: the save panel of the Scenario page and the saved-scenario table of the Library page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from model import DEFAULT_DRAWS, Projection, Scenario
from model.money import headline
from store import (
    Conflict,
    Member,
    DocumentError,
    NameTaken,
    SavedScenario,
    StoreError,
    dumps,
    export_file_name,
    read_document,
    scenario_document,
    scenario_of,
)
from ui import cache, data, store
from ui.components import plain
from view import format as fmt
from view.controls import describe_levers, link_params, read_values
from view.ranges import scenario_problems

SAVE_KEY = "_save_result"
# Mail and chat tools, and some proxies, cut or refuse longer addresses.
LONG_LINK_CHARS = 2_000


def default_name(values: dict[str, Any]) -> str:
    """The opened scenario's name while its levers are unchanged, else the levers in words, else "Baseline"."""
    opened = store.opened()
    if opened and not store.opened_changed(values):
        return str(opened["name"])
    words = describe_levers(values, store.book())
    return (words[:77] + "...") if len(words) > 80 else (words or "Baseline")


def save_panel(values: dict[str, Any], scenario: Scenario, projection: Projection) -> None:
    """A popover to save the current levers (as new, or over the opened saved scenario).

    The buttons save in their callbacks, so the page's run after a save is an ordinary one (the
    levers keep writing themselves into the link) and the form starts empty again.
    """
    repo, ws = store.repository(), store.workspace()
    result = st.session_state.pop(SAVE_KEY, None)
    # Always one container, even empty: the levers below keep their place, so their widgets are not
    # re-created when a message comes or goes (re-created widgets stop writing into the link).
    slot = st.container()
    if result is not None:
        (slot.success if result[0] == "ok" else slot.error)(plain(result[1]), icon=":material/bookmark_added:"
                                                            if result[0] == "ok" else ":material/error:")
    with st.popover("Save scenario", icon=":material/bookmark_add:", width="stretch"):
        if repo is None or ws is None:
            st.error(f"Scenarios cannot be saved: {store.problem()}", icon=":material/database:")
            return
        opened = store.opened()
        with st.form("save_scenario", border=False, clear_on_submit=True):
            st.text_input("Name", value=default_name(values), max_chars=200, key="save_name")
            st.text_area("Note", placeholder="Why this case, what was agreed", max_chars=5000, key="save_note")
            st.text_input("Your name", value=store.author(), max_chars=200, key="save_author",
                          **store.signed_by_login())
            st.form_submit_button("Save as a new scenario", type="primary", on_click=_submit,
                                  args=(values, scenario, projection, None))
            if opened:
                changed = " (levers changed since it was opened)" if store.opened_changed(values) else ""
                st.form_submit_button(f"Save changes to '{plain(opened['name'])}'{changed}", on_click=_submit,
                                      args=(values, scenario, projection, opened),
                                      help="The revision it replaces is kept; the Library can bring it back.")
        st.caption(f"Kept in the workspace {plain(ws.name)}, with its figures and the calibrations applied.")


def _submit(values: dict[str, Any], scenario: Scenario, projection: Projection, over: dict[str, Any] | None) -> None:
    name, note, author = (st.session_state.get(k, "") for k in ("save_name", "save_note", "save_author"))
    store.remember_author(author)
    st.session_state[SAVE_KEY] = _save(values, scenario, projection, name, note, author, over)


def _save(values: dict[str, Any], scenario: Scenario, projection: Projection, name: str, note: str, author: str,
          over: dict[str, Any] | None) -> tuple[str, str]:
    repo, ws = store.repository(), store.workspace()
    assert repo is not None and ws is not None
    try:
        doc = scenario_document(scenario, name=name, note=note, author=author, controls=values,
                                fits=sorted(f.label for f in data.applied().values()),
                                headline=headline(projection))
        if over is not None:
            saved = repo.update_scenario(over["id"], {**doc, "name": over["name"]}, int(over["revision"]))
            store.set_opened(saved, values)
            kept = (f" Its name stays '{saved.name}' (rename it on the Library page)."
                    if doc["name"] != saved.name else "")
            return "ok", (f"Saved the changes to '{saved.name}' (revision {saved.revision}; the earlier revision is "
                          f"kept in the Library).{kept}")
        saved = repo.save_scenario(ws.id, doc)
    except DocumentError as exc:
        return "error", "Not saved: " + "; ".join(exc.problems) + "."
    except NameTaken as exc:
        return "error", f"Not saved: {exc}"
    except Conflict as exc:
        return "error", f"Not saved: {exc} Use “Save as a new scenario” to keep yours beside it."
    except StoreError as exc:
        return "error", f"Not saved: {exc}"
    store.set_opened(saved, values)
    renamed = f" ('{doc['name']}' was taken)" if saved.name != doc["name"] else ""
    return "ok", f"Saved as '{saved.name}'{renamed}. It is on the Library page; its link is there too."


def long_link(values: dict[str, Any]) -> None:
    """Under the save panel, when this case's link has grown past :data:`LONG_LINK_CHARS`: the saved scenario's short
    link by its id, or how to get one."""
    slot = st.container()                # always there, so the levers below keep their place (see save_panel)
    length = len(share_url(link_params(values)))
    if length <= LONG_LINK_CHARS:
        return
    opened = store.opened()
    head = (f"This case's link is {length:,} characters long; mail and chat tools can cut links over "
            f"{LONG_LINK_CHARS:,}.")
    if opened and not store.opened_changed(values):
        slot.caption(plain(f"{head} Share the saved scenario '{opened['name']}' by its short link:"))
        slot.code(share_url({"scenario": str(opened["id"])}), language=None, wrap_lines=True)
    else:
        slot.caption(plain(f"{head} Save it (Save scenario, above) to share it by a short link with its id."))


def share_url(params: dict[str, str], page: str = "Scenario") -> str:
    """An absolute link to ``page`` with ``params``, on the address the app is being used at."""
    base = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{base.scheme}://{base.netloc}/{page}" + (f"?{urlencode(params)}" if params else "")


def table(saved: list[SavedScenario]) -> pd.DataFrame:
    """One row per saved scenario: its headline figures as saved, who saved it and when."""
    rows = []
    for s in saved:
        h, cur = s.headline, s.document["scenario"]["finance"]["currency"]
        payback = h.get("payback_month_p50")
        rows.append({
            "Name": s.name,
            "Company": str(s.document["scenario"]["company"]["name"]),
            "NPV (P50)": fmt.money(h["npv_p50"], cur) if h.get("npv_p50") is not None else "not computed",
            "NPV P10 to P90": (f"{fmt.money(h['npv_p10'], cur)} to {fmt.money(h['npv_p90'], cur)}"
                               if h.get("npv_p10") is not None else ""),
            "ROI (P50)": fmt.percent(h.get("roi_p50"), cur, 0),
            "Payback (P50)": ("beyond the horizon" if payback is None and h.get("npv_p50") is not None
                              else fmt.payback(int(payback)) if payback is not None else "n/a"),
            "Probability of a loss": fmt.percent(h.get("prob_loss"), cur, 0),
            "Author": s.author,
            "Created (UTC)": s.created_at.strftime("%Y-%m-%d %H:%M"),
            "Changed (UTC)": s.updated_at.strftime("%Y-%m-%d %H:%M"),
            "Note": s.note,
        })
    return pd.DataFrame(rows, columns=["Name", "Company", "NPV (P50)", "NPV P10 to P90", "ROI (P50)", "Payback (P50)",
                                       "Probability of a loss", "Author", "Created (UTC)", "Changed (UTC)",
                                       "Note"])


def members_table(people: list[Member]) -> pd.DataFrame:
    """Who has access, as the Library lists them."""
    return pd.DataFrame([{"E-mail": m.user_id, "Role": m.role, "Added by": m.added_by or "(the app)",
                          "Added (UTC)": m.added_at.strftime("%Y-%m-%d %H:%M")} for m in people],
                        columns=["E-mail", "Role", "Added by", "Added (UTC)"])


def export(saved: SavedScenario) -> tuple[str, str]:
    """The scenario as a JSON file (text, file name)."""
    return dumps(saved.document), export_file_name(saved.name)


def import_file(content: bytes) -> tuple[str, str]:
    """Read and keep an exported scenario file; ("ok"|"error", message)."""
    repo, ws = store.repository(), store.workspace()
    if repo is None or ws is None:
        return "error", f"Nothing can be imported: {store.problem()}"
    try:
        doc = read_document(content)
        outside = scenario_problems(scenario_of(doc))
        if outside:       # what no control could have set; the model would overflow or mislead on it
            raise DocumentError(outside[:8] + ([f"and {len(outside) - 8} more"] if len(outside) > 8 else []))
        # The file's own figures are not trusted: the Library shows what the model makes of its input.
        draws = int((doc.get("headline") or {}).get("draws") or DEFAULT_DRAWS)
        doc["headline"] = headline(cache.projection(scenario_of(doc), draws if draws in (250, 1000, 2500, 10000)
                                                    else DEFAULT_DRAWS))
        saved = repo.save_scenario(ws.id, doc)
    except DocumentError as exc:
        return "error", "This file cannot be imported: " + "; ".join(exc.problems) + "."
    except StoreError as exc:
        return "error", f"Not imported: {exc}"
    renamed = f" ('{doc['name']}' was taken)" if saved.name != doc["name"] else ""
    old = " It was saved by an older version and has been brought up to date." if doc.get("controls") is None else ""
    _, notes = read_values(doc.get("controls") or {})
    levers = (" Opening it will leave some levers out: " + " ".join(notes)) if notes else ""
    return "ok", f"Imported as '{saved.name}'{renamed}; its figures were computed again.{old}{levers}"
