"""The one way the model's frozen dataclasses refuse a value: a ValueError whose message names what is wrong."""

from __future__ import annotations


def check(condition: bool, message: str) -> None:
    """Raise ``ValueError(message)`` unless ``condition`` holds."""
    if not condition:
        raise ValueError(message)
