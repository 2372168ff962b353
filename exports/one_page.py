"""The case on one A4 page (fpdf2): title, the case in one sentence, key figures, the cumulative-cash fan,
where the NPV comes from, what moves it, and the assumptions that matter with their sources.

Text is set in DejaVu Sans (bundled in ``exports/fonts``), which holds every currency sign and digit
grouping the app formats (``€``, ``zł``, ``₽``, narrow no-break spaces) and Latin, Greek, Cyrillic, Armenian,
Georgian and Hebrew names, so a PDF needs no system font. Names in Chinese, Japanese or Korean take their glyphs from
Droid Sans Fallback, and symbols and emoji from Symbola (both bundled, loaded only when a text needs them); a
character no bundled font holds prints as a visible replacement sign instead of vanishing.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from fontTools.ttLib import TTFont

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from exports import images
from exports.content import Facts
from model import Projection
from view import charts
from view import format as fmt
from view.words import KPI_MONTH

FONTS = Path(__file__).with_name("fonts")
FONT = "DejaVu"
PAGE_W_MM, PAGE_H_MM, MARGIN_MM = 210.0, 297.0, 12.0
WIDTH_MM = PAGE_W_MM - 2 * MARGIN_MM
INK, MUTED, ACCENT, RULE = (31, 35, 40), (87, 96, 106), (31, 111, 235), (208, 215, 222)
KPI_COLUMNS = 4
PX_PER_MM = 900 / WIDTH_MM           # chart pixels per millimetre: 14 px labels print at about 8 pt
CHART_HEAD_MM = 8.0                  # title and note above a chart


MAIN_FONT = "DejaVuSans.ttf"
FALLBACKS = (("Droid Sans Fallback", "DroidSansFallback.ttf"), ("Symbola", "Symbola-symbols.ttf"))
MISSING = "\ufffd"                  # what a character no bundled font holds prints as


@functools.cache
def _covered(file: str) -> frozenset[int]:
    """The code points a bundled font has a glyph for."""
    return frozenset(TTFont(FONTS / file, lazy=True).getBestCmap())


def _texts(facts: Facts) -> str:
    """Every text the page prints from the case (names a user typed included)."""
    parts: list[str] = []
    for value in (getattr(facts, f.name) for f in dataclasses.fields(facts)):
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, pd.DataFrame):
            parts += [str(v) for v in value.to_numpy().ravel()]
        elif isinstance(value, (list, tuple)):
            parts += [str(getattr(item, f.name)) for item in value if dataclasses.is_dataclass(item)
                      for f in dataclasses.fields(item)]
    return "".join(parts)


def _fonts_for(text: str) -> tuple[list[str], dict[int, str]]:
    """The fallback fonts ``text`` needs, and the characters no bundled font holds (to print as :data:`MISSING`)."""
    left = {ord(c) for c in set(text) if c.isprintable()} - _covered(MAIN_FONT)
    needed = []
    for name, file in FALLBACKS:
        if left & _covered(file):
            needed.append(name)
            left -= _covered(file)
    return needed, {c: MISSING for c in left}


def _pdf(fallbacks: list[str] = ()) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM)
    pdf.add_font(FONT, "", FONTS / MAIN_FONT)
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    files = dict(FALLBACKS)
    for name in fallbacks:
        pdf.add_font(name, "", FONTS / files[name])
    if fallbacks:
        pdf.set_fallback_fonts(list(fallbacks), exact_match=False)
    pdf.set_creator("Support ROI simulator")
    pdf.set_author("Support ROI simulator")
    return pdf


def _text(pdf: FPDF, text: str, size_pt: float, color: tuple[int, int, int] = INK, bold: bool = False,
          line_mm: float | None = None, width_mm: float = 0, after_mm: float = 0.0) -> None:
    pdf.set_font(FONT, "B" if bold else "", size_pt)
    pdf.set_text_color(*color)
    pdf.multi_cell(width_mm or WIDTH_MM, line_mm or size_pt * 0.45, text, align="L",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(after_mm)


def _kpis(pdf: FPDF, facts: Facts) -> None:
    """The key figures in a grid of boxes: label, value, range or comparison."""
    gap = 2.5
    width = (WIDTH_MM - gap * (KPI_COLUMNS - 1)) / KPI_COLUMNS
    height = 17.0
    top = pdf.get_y()
    for i, k in enumerate(facts.kpis):
        x = MARGIN_MM + (i % KPI_COLUMNS) * (width + gap)
        y = top + (i // KPI_COLUMNS) * (height + gap)
        pdf.set_draw_color(*RULE)
        pdf.rect(x, y, width, height)
        pdf.set_xy(x + 2, y + 1.5)
        pdf.set_font(FONT, "", 7)
        pdf.set_text_color(*MUTED)
        pdf.cell(width - 4, 3.2, k.label, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "B", 13)
        pdf.set_text_color(*ACCENT)
        pdf.cell(width - 4, 6.5, k.value, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 6.3)
        pdf.set_text_color(*MUTED)
        pdf.multi_cell(width - 4, 2.7, k.note, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    rows = -(-len(facts.kpis) // KPI_COLUMNS)
    pdf.set_xy(MARGIN_MM, top + rows * (height + gap))


def _chart(pdf: FPDF, chart, currency: str, title: str, note: str, x_mm: float, width_mm: float,
           height_mm: float) -> None:
    """A chart rendered offline at print resolution under its title and how to read it."""
    top = pdf.get_y()
    pdf.set_xy(x_mm, top)
    pdf.set_font(FONT, "B", 8.5)
    pdf.set_text_color(*INK)
    pdf.cell(width_mm, 4, title, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 6.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(width_mm, 3, note)
    png = images.png(chart, currency, width_px=round(width_mm * PX_PER_MM), height_px=round(height_mm * PX_PER_MM),
                     scale=2, titled=False)
    pdf.image(png, x=x_mm, y=top + CHART_HEAD_MM, w=width_mm, keep_aspect_ratio=True, h=height_mm)


def _assumptions(pdf: FPDF, facts: Facts, rows: int) -> None:
    shown = facts.assumptions.head(rows)
    cur = facts.currency
    low, high = f"NPV at P10 ({cur})", f"NPV at P90 ({cur})"
    pdf.set_font(FONT, "", 6.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    heading = FontFace(emphasis="BOLD", color=INK, fill_color=(240, 243, 246))
    with pdf.table(col_widths=(34, 20, 20, 20, 92), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
                   line_height=2.9, padding=1, headings_style=heading, width=WIDTH_MM) as table:
        table.row(("Assumption", "90 % interval (multiplier)", low, high, "Source"))
        for _, r in shown.iterrows():
            table.row((r["Assumption"], r["90 % interval"], fmt.money(r[low], cur, compact=False),
                       fmt.money(r[high], cur, compact=False), r["Source"]))


# (cash fan height, waterfall and tornado height, assumption rows), tried in turn until the page holds all:
# a long title or sentence (several levers) takes room from the charts first, then from the table.
LAYOUTS_MM = ((58.0, 56.0, 5), (50.0, 48.0, 5), (44.0, 42.0, 4), (38.0, 36.0, 3), (32.0, 30.0, 3), (28.0, 26.0, 2),
              (24.0, 24.0, 2))


def _build(facts: Facts, p: Projection, drawn: tuple[Any, Any, Any], fallbacks: list[str], fan_mm: float,
           small_mm: float, rows: int) -> FPDF:
    """The page at one layout; ``drawn`` holds the cash fan, the waterfall and the tornado (Altair charts)."""
    u = p.uncertainty
    cur = facts.currency
    pdf = _pdf(fallbacks)
    pdf.set_title(facts.title)
    pdf.set_subject(facts.sentence)
    pdf.add_page()

    _text(pdf, facts.title, 16, bold=True, line_mm=7)
    _text(pdf, f"{facts.company} · business case · {datetime.now(UTC):%d %B %Y} · amounts in {cur} · "
               f"{fmt.number(u.draws, cur)} draws", 8, MUTED, after_mm=1)
    _text(pdf, f"Today: {facts.inputs}", 7, MUTED, line_mm=3.4, after_mm=3)
    _text(pdf, facts.sentence, 10, line_mm=4.6, after_mm=3)
    _kpis(pdf, facts)
    _text(pdf, f"Money over the whole horizon, the P50 of the draws, except the risk-adjusted NPV, which takes every "
               f"assumption as entered; service and customers in month {KPI_MONTH} (months count from 0).", 6.5, MUTED,
          after_mm=2)

    top = pdf.get_y()
    _chart(pdf, drawn[0], cur, f"Cumulative extra cash ({cur})",
           "Scenario minus baseline, undiscounted; line: P50 of the draws, band: P10 to P90.", MARGIN_MM, WIDTH_MM,
           fan_mm)
    top += CHART_HEAD_MM + fan_mm + 3
    half = (WIDTH_MM - 6) / 2
    pdf.set_y(top)
    _chart(pdf, drawn[1], cur, f"Where the NPV comes from ({cur})",
           "Present values, assumptions as entered; benefits at margin.", MARGIN_MM, half, small_mm)
    pdf.set_y(top)
    _chart(pdf, drawn[2], cur, f"What moves the NPV most ({cur})",
           "NPV with one assumption at its P10 or P90, the others at their medians.", MARGIN_MM + half + 6, half,
           small_mm)
    pdf.set_xy(MARGIN_MM, top + CHART_HEAD_MM + small_mm + 3)

    _text(pdf, "The assumptions that matter, with their sources", 8.5, bold=True, after_mm=1)
    _assumptions(pdf, facts, rows)
    pdf.ln(1.5)
    _text(pdf, "Benefits are counted at margin, never revenue. Every figure is traced to its formula, inputs and "
               "source on the Model and sources page of the Support ROI simulator.", 6.5, MUTED)
    return pdf


def onepager(facts: Facts, p: Projection) -> bytes:
    """The PDF one-pager of one case: the largest layout that fits one A4 page."""
    if p.uncertainty is None:
        raise ValueError("the one-pager states the case over the draws: project with draws")
    drawn = (charts.cash_fan(p), charts.waterfall(p), charts.tornado(p))
    fallbacks, missing = _fonts_for(_texts(facts))            # once for every layout tried
    if missing:
        facts = dataclasses.replace(facts, **{f.name: getattr(facts, f.name).translate(missing)
                                              for f in dataclasses.fields(facts)
                                              if isinstance(getattr(facts, f.name), str)})
    for layout in LAYOUTS_MM:
        pdf = _build(facts, p, drawn, fallbacks, *layout)
        if pdf.pages_count == 1:
            break
    return bytes(pdf.output())
