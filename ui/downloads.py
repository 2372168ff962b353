"""Download buttons under every chart (PNG, SVG) and every table (CSV) of the pages.

Files are built only when clicked (the buttons hold callables), so a rerun costs nothing; CSV cells that
would run as formulas are written as text (``exports.cells``). Streamlit's own table export, which does not
neutralise formulas, is switched off in ``.streamlit/config.toml``.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import pandas as pd

from exports import csv_bytes, images
from store import file_stem


def title_of(spec: dict[str, Any]) -> str:
    """The chart's title (or its first layer's), as plain text."""
    for part in [spec, *spec.get("layer", [])]:
        title = part.get("title")
        if isinstance(title, dict):
            title = title.get("text")
        if isinstance(title, list):
            title = " ".join(title)
        if title:
            return str(title)
    return "chart"


def _row(where: Any) -> Any:
    return where.container(horizontal=True, horizontal_alignment="right", gap="small")


def with_rows(spec: dict, rows: pd.DataFrame | None) -> dict:
    """A data-less spec (a fan chart's) with ``rows`` inline, NaN written as null."""
    out = copy.deepcopy(spec)
    if rows is not None:
        out["data"] = {"values": json.loads(rows.to_json(orient="records", date_format="iso"))}
    return out


def _render(render: Any, chart: Any, currency: str, rows: pd.DataFrame | None) -> bytes | str:
    """``render`` (``images.png`` or ``images.svg``) of an Altair chart, or of a spec with its ``rows`` inline."""
    return render(with_rows(chart, rows) if isinstance(chart, dict) else chart, currency)


def chart_files(where: Any, chart: Any, currency: str, title: str, rows: pd.DataFrame | None = None) -> None:
    """PNG and SVG buttons for an Altair ``chart``, or a Vega-Lite spec in the currency's locale whose data are
    ``rows``; ``title`` names the files and, whole, keys the buttons (so it is unique on a page)."""
    stem = file_stem(title.lower(), limit=60, empty="chart")
    row = _row(where)
    row.download_button("PNG", functools.partial(_render, images.png, chart, currency, rows), f"{stem}.png", "image/png",
                        icon=":material/download:", type="tertiary", on_click="ignore", key=f"dl_png_{title}")
    row.download_button("SVG", functools.partial(_render, images.svg, chart, currency, rows), f"{stem}.svg", "image/svg+xml",
                        icon=":material/download:", type="tertiary", on_click="ignore", key=f"dl_svg_{title}")


def table(where: Any, frame: pd.DataFrame | dict, name: str, export: pd.DataFrame | None = None,
          **dataframe_args: Any) -> None:
    """``frame`` as ``st.dataframe`` with a CSV button under it; ``export`` (raw numbers) replaces the shown
    frame in the file when the page shows formatted text."""
    frame = pd.DataFrame(frame) if isinstance(frame, dict) else frame
    where.dataframe(frame, **dataframe_args)
    data = export if export is not None else frame
    if not isinstance(data.index, pd.RangeIndex):          # a named index (a group, a line) is a column in a file
        data = data.reset_index()
    stem = file_stem(name.lower(), limit=60, empty="table")
    _row(where).download_button("CSV", functools.partial(csv_bytes, data), f"{stem}.csv", "text/csv",
                                icon=":material/download:", type="tertiary", on_click="ignore", key=f"dl_csv_{name}")
