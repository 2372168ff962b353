"""What differs between two scenarios' parameters, field by field (for "default versus calibrated")."""

from __future__ import annotations

import dataclasses
from typing import Any

from model import Range, Scenario


def _walk(before: Any, after: Any, path: str, out: list[tuple[str, Any, Any]]) -> None:
    if isinstance(before, Range) or not (dataclasses.is_dataclass(before) or isinstance(before, tuple)):
        if before != after:
            out.append((path, before, after))
        return
    if isinstance(before, tuple):
        for i, (b, a) in enumerate(zip(before, after, strict=False)):
            name = getattr(b, "name", str(i))
            _walk(b, a, f"{path}[{name}]", out)
        return
    for f in dataclasses.fields(before):
        _walk(getattr(before, f.name), getattr(after, f.name), f"{path}.{f.name}" if path else f.name, out)


def parameter_changes(before: Scenario, after: Scenario) -> list[tuple[str, Any, Any]]:
    """Every parameter whose value differs, as (dotted path, value before, value after), in field order; a range
    of an assumption is one value (``model.Range``). ``view.calibration`` labels and writes them.

    Paths name tuple members by their ``name`` (``company.channels[email].handle_time_min``).
    """
    out: list[tuple[str, str, str]] = []
    _walk(before, after, "", out)
    return out
