"""The presentation page's pieces: large type, the downloads of a case (deck, workbook, tables, charts)."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import streamlit as st

import exports
from exports import Facts, csv_bytes, images
from model import Projection, Scenario
from store import file_stem as safe_stem

STYLE = """
<style>
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li { font-size: 1.25rem; }
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"],
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"] div,
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"] p { font-size: 2.6rem; font-weight: 600; }
[data-testid="stMainBlockContainer"] [data-testid="stMetricLabel"] p { font-size: 1.1rem; }
.case-sentence { font-size: 1.9rem; line-height: 1.35; font-weight: 500; margin: 0.4rem 0 1.2rem 0; }
</style>
"""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def large_type() -> None:
    st.html(STYLE)


def file_stem(title: str) -> str:
    return safe_stem(title.lower(), limit=50, empty="case")


def _build(builder: str, *args: Any) -> bytes:
    """Build a file when its button is clicked; the builder's library loads then, not at the server's start."""
    return getattr(exports, builder)(*args)


CSV_LABELS = {"ai-agent": "AI agent"}


def downloads(facts: Facts, scenario: Scenario, p: Projection, charts_by_name: dict[str, Any],
              comparison: pd.DataFrame | None, best: dict | None, cases: list[tuple[Facts, Projection]]) -> None:
    """Download buttons: the deck, the one-pager and the workbook (built when clicked), every table as CSV, every
    chart as PNG and SVG."""
    stem = file_stem(facts.title)
    cur = facts.currency
    left, middle, right = st.columns(3)
    left.download_button("Deck (PowerPoint)", functools.partial(_build, "deck", cases, comparison, best),
                         f"{stem}.pptx", PPTX, icon=":material/slideshow:", type="primary", width="stretch",
                         on_click="ignore", key="present_deck")
    middle.download_button("One-pager (PDF)", functools.partial(_build, "onepager", facts, p), f"{stem}.pdf",
                           "application/pdf", icon=":material/picture_as_pdf:", width="stretch", on_click="ignore",
                           key="present_pdf")
    right.download_button("Workbook (Excel)", functools.partial(_build, "workbook", facts, scenario, p),
                          f"{stem}.xlsx", XLSX, icon=":material/table_view:", width="stretch", on_click="ignore",
                          key="present_xlsx")
    tables = {"key-figures": pd.DataFrame([{"Figure": k.label, "Value": k.value, "Range or comparison": k.note}
                                           for k in facts.kpis]),
              "assumptions": facts.assumptions, "risk-adjusted": facts.risk_table, "monthly": p.monthly,
              "cash-flows": p.cash}
    if facts.ai_agent is not None:
        tables["ai-agent"] = facts.ai_agent
    if comparison is not None:
        tables["comparison"] = comparison
    st.caption("Tables as CSV (UTF-8; cells that would run as formulas are written as text)")
    cols = st.columns(len(tables))
    for col, (name, table) in zip(cols, tables.items()):
        col.download_button(CSV_LABELS.get(name, name.replace("-", " ").capitalize()), functools.partial(csv_bytes, table),
                            f"{stem}-{name}.csv", "text/csv",
                            on_click="ignore", key=f"present_csv_{name}", width="stretch")
    st.caption("Charts as PNG (2,200 px wide) and SVG")
    cols = st.columns(len(charts_by_name) * 2)
    for i, (name, chart) in enumerate(charts_by_name.items()):
        cols[2 * i].download_button(f"{name} PNG", functools.partial(images.png, chart, cur),
                                    f"{stem}-{file_stem(name)}.png", "image/png", on_click="ignore",
                                    key=f"present_png_{i}", width="stretch")
        cols[2 * i + 1].download_button(f"{name} SVG", functools.partial(images.svg, chart, cur),
                                        f"{stem}-{file_stem(name)}.svg", "image/svg+xml", on_click="ignore",
                                        key=f"present_svg_{i}", width="stretch")
