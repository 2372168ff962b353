"""The one place page state lives: widget keys = URL parameters = parameter names.

Controls are Streamlit widgets bound to the URL (``bind="query-params"``), so a copied link
reopens the same scenario. Values that a link carries but that are not acceptable are ignored
by the widget; this module tells the user which and why.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from view.controls import (
    BY_KEY,
    CONTROLS,
    COMPANY_DEFAULTS,
    COST_DEFAULTS,
    EXAMPLE_BOOK,
    LINK_KEYS,
    Book,
    Control,
    check_params,
    default_of,
    defaults_of,
    param_text,
)

NOTICES_KEY = "_url_notices"


def collect_url_notices(book: Book = EXAMPLE_BOOK) -> None:
    """Check the link's parameters before any widget reads them; keep the notices for the session.

    A parameter that cannot be used is taken out of the address before a widget reads it: a widget would
    otherwise read it its own way (``hire_agents=2.5`` as 2) and write that back, a link to another case than
    the one written. A link is used as written or dropped, never rewritten.

    A parameter that holds what this session's own widget holds is the user's typing, written into the address by
    the widget (a range typed the wrong way round): the page says what is wrong with it beside the widget, not as
    a link that could not be used, and it stays."""
    params = {k: st.query_params[k] for k in st.query_params.keys()}
    accepted, notices = check_params(params, book)
    own = {key for key in params if key not in accepted and key in BY_KEY and key in st.session_state
           and param_text(st.session_state[key]) == params[key]}
    if own:                  # the link without the user's own typing, checked again: its notices are the link's
        accepted, notices = check_params({k: v for k, v in params.items() if k not in own}, book)
    ignored = [key for key in params if key not in accepted and key not in LINK_KEYS and key not in own]
    ctx = get_script_run_ctx()
    if ignored and ctx is not None:
        with ctx.session_state.query_params() as qp:
            for key in ignored:
                qp.remove_param(key)
                # a bound widget seeds itself from the address as the page was opened, kept apart (Streamlit 1.67)
                qp._initial_query_params.pop(key, None)
    if notices:
        seen = st.session_state.setdefault(NOTICES_KEY, [])
        seen.extend(n for n in notices if n not in seen)


def url_notices() -> list[str]:
    return list(st.session_state.get(NOTICES_KEY, []))


def dismiss_url_notices() -> None:
    st.session_state[NOTICES_KEY] = []


def values(book: Book = EXAMPLE_BOOK) -> dict[str, Any]:
    """Current value of every control: the widget's, else the link's, else the default."""
    accepted, _ = check_params({k: st.query_params[k] for k in st.query_params.keys()}, book)
    company = st.session_state.get("company", accepted.get("company", BY_KEY["company"].default))
    out = defaults_of({"company": company}, book)
    for c in CONTROLS:
        if c.key in st.session_state:
            out[c.key] = st.session_state[c.key]
        elif c.key in accepted:
            out[c.key] = accepted[c.key]
    return out


def start_view_choice(key: str, options: list[str]) -> None:
    """Start the view widget ``key`` (a tab, the channel shown) at the option it had when last drawn.

    Streamlit forgets a widget's state in a run that does not draw it (its tab closed, another page open). The
    page keeps the last choice under its own key (:func:`keep_view_choice`) and gives it back through the
    widget's key before the widget is drawn (the widget takes no default, so the two never disagree).
    """
    if st.session_state.get(key) not in options:
        kept = st.session_state.get(f"_view_{key}")
        st.session_state[key] = kept if kept in options else options[0]


def keep_view_choice(key: str) -> str:
    """The view widget ``key``'s choice in this run, kept for the runs that do not draw it."""
    st.session_state[f"_view_{key}"] = st.session_state[key]
    return st.session_state[key]


def render(key: str, *, label: str | None = None, default: Any = None, on_change: Any = None,
           options: tuple[str, ...] | None = None) -> Any:
    """Draw the control ``key`` as its widget, bound to the URL.

    Select options are shown as they are: a bound select box writes its shown label to the URL,
    so options must be readable values, not codes with a ``format_func``. ``options`` replaces the
    catalogue's (the companies of the workspace).
    """
    c: Control = BY_KEY[key]
    common: dict[str, Any] = dict(key=c.key, help=c.help, bind="query-params")
    if on_change is not None:
        common["on_change"] = on_change
    text = label or c.label
    initial = c.default if default is None else default
    if c.kind == "slider":
        return st.slider(text, min_value=_num(c, c.min), max_value=_num(c, c.max), value=initial,
                         step=_num(c, c.step), format=c.format, **common)
    if c.kind == "number":
        return st.number_input(text, min_value=_num(c, c.min), max_value=_num(c, c.max), value=initial,
                               step=_num(c, c.step), format=c.format, **common)
    if c.kind == "toggle":
        return st.toggle(text, value=initial, **common)
    if c.kind == "range":
        return st.text_input(text, value=initial, max_chars=40, **common)
    if c.kind == "plan":
        return st.text_area(text, value=initial, max_chars=6_000, height=90, **common)
    if c.kind == "select":
        shown = [o for o in (options or c.options) if o != ""]
        return st.selectbox(text, shown, index=shown.index(initial) if initial in shown else 0, **common)
    raise ValueError(f"unknown control kind {c.kind}")


def follow_company(book: Book = EXAMPLE_BOOK) -> None:
    """After a change of company, show amounts in that company's own currency, and start the amounts that follow
    a company's own costs (``view.controls.COST_DEFAULTS``) at the new company's."""
    company = st.session_state["company"]
    choice = book.get(company)
    if choice is not None:
        st.session_state["currency"] = choice.currency
        for key in (*COST_DEFAULTS, *COMPANY_DEFAULTS, "centre_serves"):   # amounts, seats, regions: the new company's
            st.session_state[key] = default_of(key, {"company": company}, book)


def _num(c: Control, x: float | None) -> Any:
    return int(x) if isinstance(c.default, int) and x is not None else x


def correct_link(values: dict[str, Any], book: Book = EXAMPLE_BOOK) -> None:
    """At the end of a page run: make the address say what the case holds.

    Streamlit's browser code writes a moved slider's value into the address from the address as it was
    when the slider moved, so a switch flipped in between vanished from it, and each rerun copies that
    address into the server's copy: the page showed the centre on, the copied link reopened a case without
    it. Each control drawn on this page (bound to the address) is compared with the address here, and a
    wrong or missing value is corrected. Uses Streamlit's own correction call (``set_corrected_value``,
    the one it uses for values it clamps), pinned by the lock file and covered by a browser test.

    A page that does not draw a control (Predictions, Risk: the levers live on Scenario) still carries it:
    Streamlit drops a bound parameter from the address once no widget binds it, so a reloaded or copied page
    opened the baseline. Those controls are written into the address as plain parameters here.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    with ctx.session_state.query_params() as qp:
        for key in BY_KEY:
            if key not in values:
                continue
            want = None if values[key] == default_of(key, values, book) else param_text(values[key])
            have = qp[key] if key in qp else None
            if not qp.is_bound(key):
                if want is None and have is not None:
                    del qp[key]
                elif want is not None and have != want:
                    qp[key] = want
            elif want is None and have is not None:
                qp.remove_param(key)
            elif want is not None and have != want:
                qp.set_corrected_value(key, want, "string_value")
