"""The Your company page's state: the draft being edited, kept in the session and the workspace, and saving it.

The draft is kept as typed, valid or not, so leaving the page, refreshing or restarting the server
loses nothing: every change is written to the session and to the workspace item ``company_draft``.
The form's widgets start from the draft whenever they are drawn afresh (their own state is dropped
when the user visits another page); starting anew (a blank form, an example, a saved company)
bumps ``version``, which gives the table editors new keys.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from model import Company
from store import CompanyConflict, CompanyNameTaken, DocumentError, StoreError, company_document
from ui import store
from view.company_form import Draft, Problem, blank_draft, check, draft_from_dict, draft_of, draft_to_dict
from view.controls import EXAMPLE_BOOK

KEY = "_company_form"
ITEM = "company_draft"


def _state() -> dict[str, Any]:
    """``draft`` (as a dict), ``editing`` (the saved company's id or None), ``revision``, ``version``."""
    state = st.session_state.get(KEY)
    if state is None:
        state = _kept() or {"draft": draft_to_dict(blank_draft()), "editing": None, "revision": None, "version": 0}
        st.session_state[KEY] = state
    return state


def _kept() -> dict[str, Any] | None:
    ws, repo = store.workspace(), store.repository()
    if ws is None or repo is None:
        return None
    try:
        kept = repo.items(ws.id).get(ITEM)
    except StoreError:
        return None
    if not isinstance(kept, dict) or not isinstance(kept.get("draft"), dict):
        return None
    editing = kept.get("editing") if isinstance(kept.get("editing"), str) else None
    revision = kept.get("revision") if isinstance(kept.get("revision"), int) else None
    return {"draft": draft_to_dict(draft_from_dict(kept["draft"])), "editing": editing, "revision": revision,
            "version": 0}


def draft() -> Draft:
    return draft_from_dict(_state()["draft"])


def version() -> int:
    return int(_state()["version"])


def editing() -> tuple[str | None, int | None]:
    """The saved company the draft changes (id, revision it was opened at), or (None, None) for a new one."""
    state = _state()
    return state["editing"], state["revision"]


def keep(new: Draft) -> None:
    """Remember the draft as it now is, in the session and (when it changed) in the workspace."""
    state = _state()
    as_dict = draft_to_dict(new)
    if as_dict == state["draft"]:
        return
    state["draft"] = as_dict
    _write(state)


def _write(state: dict[str, Any]) -> None:
    ws, repo = store.workspace(), store.repository()
    if ws is None or repo is None:
        return
    try:
        repo.set_item(ws.id, ITEM, {k: state[k] for k in ("draft", "editing", "revision")})
    except (StoreError, ValueError) as exc:
        st.session_state.setdefault("_company_form_notes", []).append(
            f"The form is kept in this session but could not be kept in the workspace: {exc}")


def start(new: Draft, editing_id: str | None = None, revision: int | None = None) -> None:
    """Start the form anew from ``new`` (a callback: the widgets are drawn afresh from it)."""
    state = _state()
    state.update(draft=draft_to_dict(new), editing=editing_id, revision=revision, version=state["version"] + 1)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("company_form_")]:
        del st.session_state[key]
    _write(state)


def start_blank(currency: str) -> None:
    start(blank_draft(currency))


def start_from(key: str) -> None:
    """Start from a company of the book: an example is copied (a new company); the workspace's own is edited."""
    saved = store.saved_company(key)
    if saved is not None:
        start(draft_from_dict(saved.draft) if saved.draft else draft_of(saved.company, saved.currency),
              saved.id, saved.revision)
        return
    choice = store.book().get(key) or EXAMPLE_BOOK[next(iter(EXAMPLE_BOOK))]
    copy = draft_of(choice.company, choice.currency)
    start(replace(copy, name=f"{choice.company.name} (copy)"))


def problems_of(new: Draft) -> tuple[Company | None, list[Problem]]:
    """The check of the form, with the product's own rule on names: an example's name is not a company's."""
    company, problems = check(new)
    if new.name.strip() in EXAMPLE_BOOK:
        problems = [Problem("Company name", f"'{new.name.strip()}' is the name of an example; choose your own"),
                    *problems]
        company = None
    return company, problems


def save(new: Draft) -> str:
    """Save the draft as the workspace's company (new, or a new revision of the one being edited).

    Returns what happened, for the page; the sidebar then runs every page on the saved company.
    """
    company, problems = problems_of(new)
    if company is None:
        return "Not saved: " + "; ".join(str(p) for p in problems[:3]) + (" ..." if len(problems) > 3 else "")
    ws, repo = store.workspace(), store.repository()
    if ws is None or repo is None:
        return f"Not saved: the store cannot be opened ({store.problem()})."
    state = _state()
    document = company_document(company, new.currency, draft_to_dict(new))
    try:
        if state["editing"] and repo.companies.get(ws.id, state["editing"]) is not None:
            saved = repo.companies.update(ws.id, state["editing"], document, int(state["revision"] or 0))
        else:
            saved = repo.companies.save(ws.id, document)
    except (CompanyConflict, CompanyNameTaken, DocumentError, StoreError) as exc:
        return f"Not saved: {exc}"
    state.update(editing=saved.id, revision=saved.revision)
    _write(state)
    store.forget_companies()
    key = next(k for k, c in store.book().items() if not c.example and c.company.name == saved.name)
    st.session_state["company"] = key
    st.session_state["currency"] = saved.currency
    store.keep_company(key)
    return (f"Saved '{saved.name}' (revision {saved.revision}). Every page now runs on it; the sidebar's company "
            "chooses it or an example.")
