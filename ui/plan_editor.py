"""The plan on the Scenario page: a list of actions the user adds to and removes from, each with its widgets.

The plan's text (``view.plan``) is the one state: it is the ``plan`` control, bound to the link. Each
action's widgets are drawn from it on every run; a change to one of them writes the whole plan back
to that text (a callback, before the next run draws anything).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from model import Company
from ui import state
from view import plan

PREFIX = "_plan_w_"                # the actions' widgets
SEEN = "_plan_drawn_from"          # the plan's text the widgets were last drawn from
NOTE = "_plan_note"                # why the last edit was not taken


def _key(i: int, field: str) -> str:
    return f"{PREFIX}{i}_{field}"


def _actions(company: Company) -> list[dict[str, Any]]:
    return plan.parse(str(st.session_state.get("plan", "")), company)[0]


def _forget_widgets() -> None:
    for key in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[key]


def _write(actions: list[dict[str, Any]]) -> None:
    """A new list of actions (added, removed): the widgets are drawn afresh from it."""
    st.session_state["plan"] = plan.text_of(actions)
    _forget_widgets()


def _edited(company: Company) -> None:
    """A widget moved: the plan's text follows the widgets (which keep their own state, so a slider moved
    with the keyboard keeps its focus and every key press). An edit that makes an action unusable (a site
    opening and closing at one hour, a move to the same site, an empty name) is not taken: the action stays
    as it was, the widgets are drawn again from it, and the page says why."""
    actions = _actions(company)
    kept, notes = [], []
    for i, action in enumerate(actions):
        edited = {**action, **{f.key: st.session_state[_key(i, f.key)] for f in plan.KINDS[action["do"]][1]
                               if _key(i, f.key) in st.session_state}}
        usable, said = plan.parse(plan.text_of([edited]), company)
        kept.append(usable[0] if usable else action)
        notes += [p.replace("Plan action 1", f"Plan action {i + 1}").replace("; left out.", "; kept as it was.")
                  for p in said]
    text = plan.text_of(kept)
    st.session_state["plan"] = text
    if notes:
        st.session_state[NOTE] = notes
        _forget_widgets()                            # drawn again from the actions as kept
    else:
        st.session_state[SEEN] = text


def _add(company: Company) -> None:
    kind = st.session_state["_plan_new_kind"]
    _write([*_actions(company), plan.new_action(kind, company)])


def _remove(company: Company, i: int) -> None:
    actions = _actions(company)
    _write(actions[:i] + actions[i + 1:])


def editor(values: dict[str, Any], company: Company, currency: str, problems: list[str]) -> None:
    """The plan's actions with their widgets, an "Add" row, what is left out and the plan's text."""
    actions = plan.parse(str(values["plan"]), company)[0]
    drawn = plan.text_of(actions)
    if st.session_state.get(SEEN) != drawn:          # the link, the text, a new list or another company changed it
        _forget_widgets()
    st.session_state[SEEN] = drawn
    for i, action in enumerate(actions):
        title, fields = plan.KINDS[action["do"]]
        with st.container(border=True):
            head, remove = st.columns([4, 1])
            head.markdown(f"**{i + 1}. {title}**")
            remove.button("Remove", key=f"{PREFIX}remove_{i}", on_click=_remove, args=(company, i),
                          icon=":material/delete:")
            for f in fields:
                _widget(f, i, action, company, currency)
    for said in problems + st.session_state.pop(NOTE, []):
        st.warning(said, icon=":material/warning:")
    if len(actions) < plan.MAX_ACTIONS:
        kinds = [k for k in plan.KINDS if k != "move" or len(company.sites) > 1]
        kind_col, add_col = st.columns([3, 1], vertical_alignment="bottom")
        kind_col.selectbox("Add an action", kinds, key="_plan_new_kind", format_func=lambda k: plan.KINDS[k][0])
        add_col.button("Add", on_click=_add, args=(company,), icon=":material/add:", key="_plan_add")
    else:
        st.caption(f"A plan holds at most {plan.MAX_ACTIONS} actions.")
    with st.expander("The plan as text (the link carries it)"):
        state.render("plan")


def _widget(f: plan.Field, i: int, action: dict[str, Any], company: Company, currency: str) -> None:
    key = _key(i, f.key)
    if key not in st.session_state:
        st.session_state[key] = action[f.key]
    common: dict[str, Any] = dict(key=key, on_change=_edited, args=(company,), help=f.help or None)
    label = f.label + (f" ({currency})" if f.key in ("cost", "setup") else "")
    if f.kind == "site":
        st.selectbox(label, [s.name for s in company.sites], **common)
    elif f.kind == "days":
        st.selectbox(label, list(plan.DAYS), **common)
    elif f.kind == "region":
        st.selectbox(label, plan.region_choices(company), **common)
    elif f.kind == "text":
        st.text_input(label, max_chars=plan.NAME_MAX, **common)
    elif f.key in ("cost", "setup"):
        st.number_input(label, min_value=float(f.low), max_value=float(f.high), step=float(f.step), **common)
    elif f.kind == "int":
        st.slider(label, min_value=int(f.low), max_value=int(f.high), step=int(f.step), **common)
    else:
        st.slider(label, min_value=float(f.low), max_value=float(f.high), step=float(f.step), **common)
