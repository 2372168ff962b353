"""A saved scenario as a JSON document with a schema version, and the migrations from older schemas.

Schema 1 is the bare scenario the product first wrote (``{"schema_version": 1, "scenario": {...}}``,
:mod:`model.serialize`). Schema 2 adds what a saved scenario carries besides the model's input:

``format``      always ``"support-roi-scenario"``
``name``, ``note``, ``author``, ``saved_at`` (ISO 8601, UTC)
``controls``    the lever values the pages show (``view.controls`` keys), or ``null`` when the document
                holds only the model input (a migrated schema-1 file)
``fits``        labels of the calibrations applied when it was saved
``scenario``    the full model input as saved, calibrations included (:func:`model.serialize.to_dict`)
``headline``    NPV, ROI, payback and probability of a loss as computed when it was saved

Reading never trusts the file: every field is checked and the scenario is rebuilt through the
dataclasses of :mod:`model.params`, whose checks run again. Problems are collected and named.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from model import Scenario, scenario_from_dict, to_dict
from store.tables import NAME_LENGTH

FORMAT = "support-roi-scenario"
CURRENT_SCHEMA = 2
MAX_DOCUMENT_BYTES = 1_000_000
NOTE_LENGTH = 5_000
# Control values are short text, but a plan's text holds up to eight actions (view.plan.MAX_TEXT, checked by a test).
TEXT_LIMITS = {"plan": 6_000}
HEADLINE_KEYS = ("npv_p50", "npv_p10", "npv_p90", "npv_point", "roi_p50", "payback_month_p50", "prob_loss", "draws")


class DocumentError(ValueError):
    """A scenario file or record that cannot be read; ``problems`` names each thing wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def clean_name(value: Any, what: str = "name", *, empty_ok: bool = False) -> str:
    """A name as stored: text without control characters, trimmed, at most 200 characters.

    Quotes, SQL fragments and any other printable text are kept verbatim.
    """
    if not isinstance(value, str):
        raise DocumentError([f"the {what} must be text, not {type(value).__name__}"])
    text = value.strip()
    if not text and not empty_ok:
        raise DocumentError([f"the {what} is empty"])
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise DocumentError([f"the {what} contains control characters (such as a line break or NUL)"])
    if any(unicodedata.category(ch) == "Cs" for ch in text):
        raise DocumentError([f"the {what} contains an unpaired surrogate, which is not text"])
    if len(text) > NAME_LENGTH:
        raise DocumentError([f"the {what} has {len(text)} characters; at most {NAME_LENGTH} are kept"])
    return text


def clean_note(value: Any) -> str:
    if not isinstance(value, str):
        raise DocumentError([f"the note must be text, not {type(value).__name__}"])
    if "\x00" in value:
        raise DocumentError(["the note contains a NUL character"])
    if any(unicodedata.category(ch) == "Cs" for ch in value):
        raise DocumentError(["the note contains an unpaired surrogate, which is not text"])
    if len(value) > NOTE_LENGTH:
        raise DocumentError([f"the note has {len(value):,} characters; at most {NOTE_LENGTH:,} are kept"])
    return value.strip()


def scenario_document(scenario: Scenario, *, name: str, note: str = "", author: str = "",
                      controls: dict[str, Any] | None = None, fits: list[str] | None = None,
                      headline: dict[str, float | None] | None = None,
                      saved_at: datetime | None = None) -> dict[str, Any]:
    """A current-schema document; raises :class:`DocumentError` on a bad name, note or author."""
    doc = {
        "format": FORMAT, "schema_version": CURRENT_SCHEMA,
        "name": clean_name(name), "note": clean_note(note), "author": clean_name(author, "author", empty_ok=True),
        "saved_at": (saved_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "controls": dict(controls) if controls is not None else None,
        "fits": list(fits or []),
        "scenario": to_dict(scenario),
        "headline": dict(headline or {}),
    }
    return validate(doc)


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 held the model input only: name it after the scenario, no controls, no headline."""
    scenario = doc.get("scenario")
    name = scenario.get("name") if isinstance(scenario, dict) else None
    return {"format": FORMAT, "schema_version": 2, "name": name if isinstance(name, str) and name.strip()
            else "Imported scenario", "note": "", "author": "", "saved_at": None, "controls": None, "fits": [],
            "scenario": scenario, "headline": {}}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(doc: Any) -> dict[str, Any]:
    """``doc`` brought to the current schema, one step at a time; DocumentError if it cannot be."""
    if not isinstance(doc, dict):
        raise DocumentError([f"expected a JSON object, found {type(doc).__name__}"])
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError(["no schema_version: this is not a scenario saved by the Support ROI simulator"])
    if version > CURRENT_SCHEMA:
        raise DocumentError([f"saved by a newer version of the product (schema {version}); this version reads "
                             f"schemas 1 to {CURRENT_SCHEMA}"])
    if version < 1:
        raise DocumentError([f"unknown schema_version {version}"])
    if version >= 2 and doc.get("format") != FORMAT:
        raise DocumentError([f"the format is {str(doc.get('format'))[:40]!r}, expected {FORMAT!r}"])
    while version < CURRENT_SCHEMA:
        doc = MIGRATIONS[version](doc)
        version = doc["schema_version"]
    return doc


def validate(doc: dict[str, Any]) -> dict[str, Any]:
    """Check a current-schema document field by field; return it with name, note and author cleaned."""
    problems: list[str] = []
    known = {"format", "schema_version", "name", "note", "author", "saved_at", "controls", "fits", "scenario",
             "headline"}
    unknown = sorted(set(doc) - known)
    if unknown:
        problems.append(f"unknown fields: {', '.join(str(u)[:40] for u in unknown[:5])}")
    out = dict(doc)
    for field, check in (("name", clean_name), ("note", clean_note),
                         ("author", lambda v: clean_name(v, "author", empty_ok=True))):
        try:
            out[field] = check(doc.get(field, "" if field != "name" else None))
        except DocumentError as exc:
            problems += exc.problems
    saved_at = doc.get("saved_at")
    if saved_at is not None:
        try:
            datetime.fromisoformat(str(saved_at))
        except ValueError:
            problems.append(f"saved_at {str(saved_at)[:40]!r} is not an ISO 8601 time")
    controls = doc.get("controls")
    if controls is not None:
        if not (isinstance(controls, dict) and len(controls) <= 500 and all(
                isinstance(k, str) and len(k) <= 100 for k in controls)):
            problems.append("controls must be an object of at most 500 names to plain values")
        else:
            bad = [k for k, v in controls.items() if not _plain_value(v, TEXT_LIMITS.get(k, 200))]
            if bad:
                problems.append(f"controls {', '.join(repr(k[:40]) for k in bad[:5])} must be plain values (finite "
                                f"numbers, true or false, text of at most 200 characters; a plan "
                                f"{TEXT_LIMITS['plan']:,})")
    fits = doc.get("fits", [])
    if not (isinstance(fits, list) and all(isinstance(f, str) for f in fits)):
        problems.append("fits must be a list of labels")
    headline = doc.get("headline", {})
    if not isinstance(headline, dict) or not all(
            k in HEADLINE_KEYS and (v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)
                                                  and math.isfinite(v))) for k, v in headline.items()):
        problems.append(f"headline must hold finite numbers for {', '.join(HEADLINE_KEYS)}")
    try:
        scenario_from_dict(doc.get("scenario"))
    except ValueError as exc:
        problems.append(f"the scenario cannot be used: {exc}")
    if problems:
        raise DocumentError(problems)
    return out


def _plain_value(v: Any, text_limit: int = 200) -> bool:
    if v is None or isinstance(v, bool):
        return True
    if isinstance(v, (int, float)):
        return math.isfinite(v) and abs(v) < 1e15
    return (isinstance(v, str) and len(v) <= text_limit
            and not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in v))


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large a number")
    return value


def scenario_of(doc: dict[str, Any]) -> Scenario:
    """The model input a (validated) document holds."""
    return scenario_from_dict(doc["scenario"])


def read_document(data: bytes | str) -> dict[str, Any]:
    """Read a scenario file (any schema) into a validated current-schema document.

    Raises :class:`DocumentError` naming what is wrong: size, encoding, JSON syntax, schema or
    any field of the scenario.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_DOCUMENT_BYTES:
            raise DocumentError([f"the file has {len(data):,} bytes; a scenario file has at most "
                                 f"{MAX_DOCUMENT_BYTES:,}"])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError([f"the file is not UTF-8 text (byte {exc.start}): export it again from the "
                                 "Library page"]) from None
    else:
        text = data
    if len(text) > MAX_DOCUMENT_BYTES:
        raise DocumentError([f"the text has {len(text):,} characters; a scenario file has at most "
                             f"{MAX_DOCUMENT_BYTES:,}"])
    try:
        raw = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise DocumentError([f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]) from None
    except RecursionError:
        raise DocumentError(["the JSON is nested too deeply to be a scenario"]) from None
    except ValueError as exc:          # NaN or Infinity, or an integer too long to read
        raise DocumentError([f"not usable JSON: {exc}"]) from None
    try:
        return validate(migrate(raw))
    except RecursionError:
        raise DocumentError(["the JSON is nested too deeply to be a scenario"]) from None


def dumps(doc: dict[str, Any]) -> str:
    """The document as stored and exported: UTF-8 JSON, keys sorted, NaN refused."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, allow_nan=False, indent=1)


def file_stem(name: str, limit: int = 60, empty: str = "scenario") -> str:
    """A name made safe for a file: letters and digits (accents dropped) joined by single dashes."""
    stem = "".join(ch if ch.isalnum() else "-" for ch in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(ch))
    return "-".join(p for p in stem.split("-") if p)[:limit] or empty


def export_file_name(name: str) -> str:
    """A safe file name for a scenario's export: letters, digits, dashes; ``.roi.json``."""
    return f"{file_stem(name)}.roi.json"
