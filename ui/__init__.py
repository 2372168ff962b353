"""Streamlit glue: the pieces the pages share (state, caches, the store in the app, uploads, downloads).

Pages import its modules; ``frame(title)`` is the one call each page starts with, ``finish(values)`` the one it ends with.
"""

import gc

from ui.page import finish, frame, stop
from ui import (  # noqa: F401  (every page's imports, loaded once per server before the freeze below)
    ahead,
    auth,
    cache,
    companies,
    components,
    data,
    data_view,
    downloads,
    idle,
    library,
    page,
    plan_editor,
    predictions,
    present,
    sections,
    state,
    store,
)
from view import charts, tables, words  # noqa: F401

# Everything the pages use is loaded: the collector need not walk these long-lived objects (modules, functions,
# constants) at every full collection. Streamlit's own collection after each run is off (.streamlit/config.toml).
gc.freeze()

__all__ = ["ahead", "auth", "cache", "companies", "components", "data", "data_view", "downloads", "finish", "idle", "frame", "library", "page",
           "plan_editor", "predictions", "present", "sections", "state", "stop", "store"]
