"""``frame(title)``: the one call each page starts with (page config, shared sidebar, link notices)."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ui import auth, components, idle, state, store
from view import format as fmt
from view.controls import BY_KEY, SIDEBAR_KEYS, Book, choice_of, default_of, link_params, param_text

PAGES = (
    ("app.py", "Home", ":material/home:"),
    ("pages/11_Company.py", "Your company", ":material/apartment:"),
    ("pages/1_Scenario.py", "Scenario", ":material/tune:"),
    ("pages/4_Risk.py", "Risk", ":material/casino:"),
    ("pages/3_Staffing.py", "Staffing", ":material/groups:"),
    ("pages/8_Library.py", "Library", ":material/bookmarks:"),
    ("pages/9_Compare.py", "Compare", ":material/compare_arrows:"),
    ("pages/10_Present.py", "Present", ":material/slideshow:"),
    ("pages/12_Predictions.py", "Predictions", ":material/fact_check:"),
    ("pages/5_Data.py", "Your data", ":material/upload_file:"),
    ("pages/6_Metrics.py", "Metrics", ":material/monitoring:"),
    ("pages/7_Calibrate.py", "Calibrate", ":material/model_training:"),
    ("pages/2_Model_and_sources.py", "Model and sources", ":material/menu_book:"),
)


STARTED = "_session_started"


def frame(title: str, icon: str = ":material/insights:", sidebar: str = "auto") -> dict[str, Any]:
    """Set up the page and the sidebar; return the current value of every control.

    ``sidebar="collapsed"`` starts with the sidebar folded away (the presentation page).
    """
    st.set_page_config(page_title=f"{title} - Support ROI simulator", page_icon=icon, layout="wide",
                       initial_sidebar_state=sidebar)
    idle.ran()
    store.new_run()
    auth.require_login()                           # with a login configured, nothing else shows before it
    store.follow_link(next((target for target, label, _ in PAGES if label == title), "pages/1_Scenario.py"))
    book = store.book()
    state.collect_url_notices(book)
    kept_company = store.workspace_company()
    # Only a new session starts from the workspace's company: later runs (another page) keep what is shown,
    # including a currency a link chose, even when the company's own state was dropped with its default value.
    if kept_company is not None and "company" not in st.session_state and STARTED not in st.session_state:
        st.session_state["company"] = kept_company
        if "currency" not in st.query_params:
            state.follow_company(book)
    st.session_state[STARTED] = True
    _keep_sidebar_choices(book)
    # The page links carry the case, as a shared link does: a page opened from a link (Risk, Present) draws no
    # levers, and Streamlit opens another page without the address's parameters.
    now = state.values(book)
    case = {k: text for k, text in link_params(now).items() if now[k] != default_of(k, now, book)}
    with st.sidebar:
        for target, label, page_icon in PAGES:
            st.page_link(target, label=label, icon=page_icon, query_params=case)
        st.divider()
        st.subheader("Case")
        ws, opened = store.workspace(), store.opened()
        if ws is not None:
            changed = " (levers changed)" if opened and store.opened_changed(state.values(book)) else ""
            st.caption(f"Workspace: {components.plain(ws.name)}"
                       + (f" · open: {components.plain(opened['name'])}{changed}" if opened else ""))
        elif store.problem():
            st.caption(":material/cloud_off: " + components.plain(store.problem() or ""))
        auth.sidebar()
        company = state.render("company", on_change=_company_changed, options=tuple(book))
        choice = choice_of({"company": company}, book)
        if choice.example:
            st.caption(components.plain(choice.company.name) + " (example)")
        if choice.example:
            cur = state.render("currency", default=choice.currency)
        else:                       # amounts are entered in the company's currency: changed on Your company only
            cur = choice.currency
            st.caption(f"Currency: {cur}, the company's own (change it on the Your company page, where the amounts "
                       "are converted at a rate you give).")
        st.caption(f"Numbers read {fmt.money(-1234567.0, cur, compact=False)} and {fmt.percent(0.125, cur)}, "
                   "here and in every export.")
        state.render("horizon_months")
        state.render("discount_rate_annual_pct")
        state.render("draws")
    values = state.values(book)
    store.restore(values)
    store.show_workspace_in_link()
    notices, news = state.url_notices(), store.news()
    # Always one container here, even empty: elements below keep their place in the page, so
    # widgets and expanders are not re-created when a notice comes or goes.
    slot = st.container()
    if notices or news:
        with slot.container(border=True):
            if news:
                st.info("\n".join(f"- {components.plain(n)}" for n in news), icon=":material/bookmark:")
            if notices:
                intro = ("Part of the link could not be used; the rest of the scenario is open as shared.\n\n"
                         if any("link parameter" in n for n in notices) else "")
                st.warning(intro + "\n".join(f"- {components.plain(n)}" for n in notices),
                           icon=":material/link_off:")
            st.button("Dismiss", on_click=_dismiss, key="_dismiss_notices")
    return values


def _keep_sidebar_choices(book: Book) -> None:
    """Carry the sidebar's choices to the page being opened.

    Each page draws its own sidebar widgets, and a new widget bound to an address without its parameter
    starts at its default; a value the script sets in the session wins over that (Streamlit's way of keeping
    widget values across pages), so the company and currency of a shared link stay on every page. The address
    gets them back too, so a link copied from any page opens the same case.
    """
    company = st.session_state.get("company", BY_KEY["company"].default)
    for key in SIDEBAR_KEYS:
        if key not in st.session_state:
            continue
        value = st.session_state[key] = st.session_state[key]
        if key not in st.query_params and value != default_of(key, {"company": company}, book):
            try:
                st.query_params[key] = param_text(value)
            except StreamlitAPIException:      # bound on this page already (a rerun): the widget keeps the address
                pass


def _dismiss() -> None:
    state.dismiss_url_notices()
    store.dismiss_news()


def _company_changed() -> None:
    state.follow_company(store.book())
    store.keep_company(st.session_state["company"])


def finish(values: dict[str, Any]) -> None:
    """The one call each page ends with: the address says what the controls hold (see state.correct_link)."""
    state.correct_link(values, store.book())


def stop(values: dict[str, Any]) -> None:
    """``st.stop()`` for a page that ends early, after :func:`finish`."""
    finish(values)
    st.stop()
