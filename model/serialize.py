"""Scenario <-> JSON with a schema version (never pickle).

The JSON mirrors the frozen dataclasses field by field; tuples become lists. Reading
rebuilds every dataclass, so the validation in ``model.params`` runs again on what is read.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import types
import typing
from typing import Any

from model import params

SCHEMA_VERSION = 1


def to_dict(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [to_dict(x) for x in obj]
    return obj


def _build(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        if len(args) > 1 and all(dataclasses.is_dataclass(a) for a in args):
            return _build(_member_of(args, value), value)
        return _build(args[0], value)
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        return tuple(_build(inner, v) for v in value)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ValueError(f"expected an object for {tp.__name__}, got {type(value).__name__}")
        if tp is params.Levers and "centre" in value and "centres" not in value:    # written before plans
            value = {k: v for k, v in value.items() if k != "centre"} | {
                "centres": [] if value["centre"] is None else [value["centre"]]}
        hints = typing.get_type_hints(tp, vars(sys.modules[tp.__module__]))
        known = {f.name for f in dataclasses.fields(tp)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"{tp.__name__}: unknown fields {sorted(unknown)}")
        built = {}
        for k, v in value.items():
            try:
                built[k] = _build(hints[k], v)
            except ValueError as exc:
                raise ValueError(f"{k}: {exc}") from None
        missing = [f.name for f in dataclasses.fields(tp)
                   if f.name not in built and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING]
        if missing:
            raise ValueError(f"{tp.__name__} is incomplete: missing {', '.join(missing)}")
        return tp(**built)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {value!r}")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {value!r}")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ValueError(f"expected text, got {value!r}")
        return value
    return value


def _member_of(members: list[Any], value: Any) -> Any:
    """The dataclass of a union that ``value`` (an object) writes: the one whose fields are exactly its keys (the
    members of a union the model uses never share their field names)."""
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {type(value).__name__}")
    keys = set(value)
    for member in members:
        names = {f.name for f in dataclasses.fields(member)}
        required = {f.name for f in dataclasses.fields(member)
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        if required <= keys <= names:
            return member
    raise ValueError(f"its fields {sorted(keys)} are none of {', '.join(m.__name__ for m in members)}")


def scenario_to_json(scenario: params.Scenario) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, "scenario": to_dict(scenario)}, sort_keys=True)


def scenario_from_json(text: str) -> params.Scenario:
    """Read a scenario; raises ValueError with a readable reason on anything malformed."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"expected a scenario with schema_version {SCHEMA_VERSION}")
    return scenario_from_dict(doc.get("scenario"))


def scenario_from_dict(value: Any) -> params.Scenario:
    """The Scenario a :func:`to_dict` mapping describes; ValueError naming the first field that is wrong.

    Every dataclass is rebuilt, so the checks in :mod:`model.params` run again on what is read; a
    dataclass's own ``ValueError`` or ``TypeError`` is reported the same way.
    """
    try:
        return _build(params.Scenario, value)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


def company_from_dict(value: Any) -> params.Company:
    """The Company a :func:`to_dict` mapping describes; ValueError naming the first field that is wrong."""
    try:
        return _build(params.Company, value)
    except TypeError as exc:
        raise ValueError(str(exc)) from None
