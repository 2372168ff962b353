"""The deployment's settings in ``.streamlit/secrets.toml`` (``[auth]``, ``[store]``), read once per page run.

A Scenario run asked for them about 56 times (every store call checks who is logged in and whose workspaces
these are). Without a secrets file, Streamlit looks for the file again at each ask: 3-4 ms of every rerun.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

KEY = "_deployment_of_run"


def new_run() -> None:
    """A page run starts: the settings are read again when first asked for (a changed secrets file counts)."""
    st.session_state.pop(KEY, None)


def section(name: str) -> Mapping[str, Any]:
    """The secrets' section ``name`` ({} when there is none, no secrets file, or one that is not TOML)."""
    kept: dict[str, Mapping[str, Any]] = st.session_state.setdefault(KEY, {})
    if name not in kept:
        try:
            found = st.secrets.get(name)
        except Exception:          # no secrets file, or one that is not TOML: no settings
            found = None
        kept[name] = found if isinstance(found, Mapping) else {}
    return kept[name]
