"""Streamlit glue: the pieces the pages share (state, caches, the store in the app, uploads, downloads).

Pages import its modules; ``frame(title)`` is the one call each page starts with, ``finish(values)`` the one it ends with.
"""

from ui.page import finish, frame, stop

__all__ = ["cache", "companies", "components", "data", "data_view", "downloads", "finish", "frame", "library", "page",
           "plan_editor", "present", "state", "stop", "store"]
