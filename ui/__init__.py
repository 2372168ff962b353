"""Streamlit glue: the pieces the pages share (state, caches, the store in the app, uploads, downloads).

Pages import its modules; ``frame(title)`` is the one call each page starts with.
"""

from ui.page import frame

__all__ = ["cache", "companies", "components", "data", "data_view", "downloads", "frame", "library", "page", "present", "state",
           "store"]
