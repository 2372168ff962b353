"""Streamlit glue shared by the pages."""

from ui.page import frame

__all__ = ["frame"]
