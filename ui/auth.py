"""Who is using the app: Streamlit's own ``st.login`` with an OpenID Connect provider, when one is configured.

A provider is configured in ``.streamlit/secrets.toml`` under ``[auth]`` (one provider: its ``client_id`` there;
several: one ``[auth.<name>]`` section each; ``secrets.toml.example`` shows both). Then nothing shows before login,
the store sees the logged-in user (:class:`store.Actor`, by e-mail) and checks their role in every workspace, and
what they save is signed with their name. Without a provider the app is a single-user tool: ``make run`` serves it
on 127.0.0.1, and a page reached from another computer says that anyone reaching it sees everything.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from store import Actor
from ui import deployment
from ui.components import plain

OWNER_ENV = "ROI_STORE_OWNER"


def providers() -> list[str | None]:
    """The configured providers: None for the one in ``[auth]`` itself, else each ``[auth.<name>]``."""
    section = deployment.section("auth")
    if section.get("client_id"):
        return [None]
    return [name for name, value in section.items() if isinstance(value, Mapping) and value.get("client_id")]


def configured() -> bool:
    return bool(providers())


def actor() -> Actor | None:
    """The logged-in user, or None (no login configured, nobody logged in yet, or an e-mail not verified)."""
    if not configured():
        return None
    user = st.user
    email = user.get("email")
    if not user.get("is_logged_in") or not email or not email_trusted(user):
        return None
    return Actor.of(str(email), str(user.get("name") or ""))


def email_trusted(user: Mapping[str, Any]) -> bool:
    """Members are known by e-mail, so the login's e-mail must be one the provider verified (``email_verified``):
    some providers let a user type any address (another tenant's "ann@example.com"). A provider that sends no such
    claim but verifies every address (a company's own directory) is trusted only when the deployment says so:
    ``[store] trust_unverified_email = true``."""
    verified = user.get("email_verified")
    if verified is not None:
        return verified is True or str(verified).lower() == "true"
    return bool(deployment.section("store").get("trust_unverified_email", False))


def legacy_owner() -> str | None:
    """Who owns the workspaces made before the login: ``[store] owner`` in the secrets, or ``ROI_STORE_OWNER``."""
    if os.environ.get(OWNER_ENV):
        return os.environ[OWNER_ENV]
    owner = deployment.section("store").get("owner")
    return str(owner) if owner else None


def require_login() -> None:
    """With a provider configured, show only the login until someone is logged in (then return)."""
    if not configured():
        return
    user = st.user
    if user.get("is_logged_in") and user.get("email") and email_trusted(user):
        return
    st.title("Support ROI simulator")
    if user.get("is_logged_in"):
        st.error("Your login's e-mail address is not verified by its provider, and the app knows its members by their "
                 "e-mail. Verify it with the provider, or ask whoever runs the app." if user.get("email") else
                 "Your login gave no e-mail address, which the app knows its members by. Ask whoever runs the app to "
                 "request the provider's `email` scope.", icon=":material/person_off:")
        st.button("Log out", on_click=st.logout)
        st.stop()
    st.markdown("Log in to see your workspaces: the business cases, data and predictions shared with you.")
    for provider in providers():
        label = "Log in" if provider is None else f"Log in with {str(provider).replace('_', ' ').title()}"
        st.button(label, on_click=st.login, args=() if provider is None else (provider,), type="primary",
                  key=f"login_{provider or 'default'}", icon=":material/login:")
    st.stop()


def sidebar() -> None:
    """Who is logged in, with a way out; without a login, whether the server is open to others."""
    who = actor()
    if who is not None:
        st.caption(f"Logged in as {plain(who.name)} ({plain(who.id)})")
        st.button("Log out", on_click=st.logout, key="logout", icon=":material/logout:")
    elif not configured() and reached_from_elsewhere():
        st.warning("No login is configured and this server is reachable from other computers: anyone who reaches "
                   "it sees and changes every workspace. Configure a login (README, \"Login\") or serve it on "
                   "127.0.0.1.", icon=":material/lock_open:")


def reached_from_elsewhere() -> bool:
    """The browser reached the server by a name or address other than this computer's own (the ``Host`` it sent):
    the server is open to others. No request (a test, a script) is not."""
    try:
        host = str(st.context.headers.get("Host") or "")
    except Exception:
        return False
    return remote_host(host)


def remote_host(host: str) -> bool:
    """A ``Host`` header naming another computer than this one (an empty one: none)."""
    if not host:
        return False
    try:
        name = urlsplit(f"//{host}").hostname              # the port and an IPv6 address's brackets taken off
    except ValueError:                                     # a Host no browser sends
        return True
    if not name or name == "localhost":
        return False
    try:
        return not ipaddress.ip_address(name).is_loopback
    except ValueError:
        return True
