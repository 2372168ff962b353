"""Meeting-ready exports of a case: its facts, the deck, the one-page PDF, the workbook, chart images, CSV.

``content``      what a case says, once (sentence, key figures, assumptions that matter)
``slides``       the PowerPoint deck (python-pptx)
``one_page``     the one-page PDF (fpdf2, with a DejaVu Sans subset in ``fonts/``)
``spreadsheet``  the XLSX workbook (openpyxl)
``images``       charts as PNG and SVG, rendered offline by vl-convert
``cells``        spreadsheet-safe text and CSV

No st.*: every builder takes the projection (and the control values) and returns bytes, so the
pages only offer downloads and the tests open what was built. Never imports :mod:`ui`.
"""

from __future__ import annotations

import importlib
from typing import Any

from exports import images
from exports.cells import csv_bytes
from exports.content import Facts, facts

# The file builders load their libraries (fpdf2, python-pptx, openpyxl: a second of a cold start) when first asked.
_BUILDERS = {"deck": "exports.slides", "onepager": "exports.one_page", "workbook": "exports.spreadsheet"}


def __getattr__(name: str) -> Any:
    if name in _BUILDERS:
        return getattr(importlib.import_module(_BUILDERS[name]), name)
    raise AttributeError(f"module 'exports' has no attribute {name!r}")


__all__ = ["Facts", "csv_bytes", "deck", "facts", "images", "onepager", "workbook"]
