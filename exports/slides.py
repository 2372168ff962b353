"""The case as a PowerPoint deck (python-pptx): title, the case in one sentence, key figures, charts,
the risk-adjusted table, the assumptions that matter with their sources, and a comparison slide."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from exports import images
from exports.content import Facts
from model import Projection
from view import charts
from view import format as fmt

WIDE = (Inches(13.333), Inches(7.5))
INK = RGBColor(0x1F, 0x23, 0x28)
MUTED = RGBColor(0x57, 0x60, 0x6A)
ACCENT = RGBColor(0x1F, 0x6F, 0xEB)
MARGIN = Inches(0.6)


def _title(slide, text: str) -> None:
    box = slide.shapes.add_textbox(MARGIN, Inches(0.35), WIDE[0] - 2 * MARGIN, Inches(0.9))
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(30), True, INK


def _text(slide, text: str, top: Emu, height: Emu, size: int = 18, color: RGBColor = INK, bold: bool = False):
    box = slide.shapes.add_textbox(MARGIN, top, WIDE[0] - 2 * MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.color.rgb, run.font.bold = Pt(size), color, bold
    return box


def _table(slide, frame: pd.DataFrame, top: Emu, font_pt: int = 12, money: tuple[str, ...] = (),
           currency: str = "USD", widths: tuple[float, ...] | None = None, row_in: float = 0.4) -> None:
    """``frame`` as a table from ``top``; ``widths`` are relative column widths, ``row_in`` the row height."""
    rows, cols = len(frame) + 1, len(frame.columns)
    shape = slide.shapes.add_table(rows, cols, MARGIN, top, WIDE[0] - 2 * MARGIN, Inches(row_in) * rows)
    table = shape.table
    if widths:
        for j, share in enumerate(widths):
            table.columns[j].width = int((WIDE[0] - 2 * MARGIN) * share / sum(widths))
    for r in range(rows):
        table.rows[r].height = Inches(row_in)
    for j, column in enumerate(frame.columns):
        table.cell(0, j).text = str(column)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, (column, value) in enumerate(zip(frame.columns, row)):
            if column in money and isinstance(value, (int, float)):
                text = fmt.money(float(value), currency, compact=False)
            else:
                text = "" if value is None else str(value)
            table.cell(i, j).text = text
    for r in range(rows):
        for c in range(cols):
            for paragraph in table.cell(r, c).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(font_pt)


def _picture(slide, png: bytes, title: str, note: str) -> None:
    _title(slide, title)
    picture = slide.shapes.add_picture(io.BytesIO(png), MARGIN, Inches(1.3), height=Inches(5.2))
    if picture.width > WIDE[0] - 2 * MARGIN:                  # a wide chart: fit the width instead
        picture.height = int(picture.height * (WIDE[0] - 2 * MARGIN) / picture.width)
        picture.width = WIDE[0] - 2 * MARGIN
    picture.left = int((WIDE[0] - picture.width) / 2)
    _text(slide, note, WIDE[1] - Inches(0.8), Inches(0.5), size=12, color=MUTED)


AI_ROWS = ("Cost per true resolution", "Per vendor resolution", "Per human ticket today", "Agents freed, last month",
           "Resolution rate its vendor reports", "Of those, coming back to a person",
           "Conversations that would never have been tickets", "CSAT of what it resolves, of a person's answer",
           "CSAT after a failed attempt, of a person's answer", "Pricing", "What the freed hours become")


def _ai_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The AI agent's figures and main assumptions for one slide: each source to its first clause."""
    shown = table[table["AI agent"].isin(AI_ROWS)].copy()
    shown["Formula or source"] = shown["Formula or source"].map(_clause)
    return shown


def _clause(text: str, limit: int = 110) -> str:
    first = text.split("; ")[0]
    return first if len(first) <= limit else first[:limit - 1].rsplit(" ", 1)[0] + "…"


def deck(cases: list[tuple[Facts, Projection]], comparison: pd.DataFrame | None = None,
         best: dict[str, tuple[list[str], str]] | None = None) -> bytes:
    """The deck for the first case; a comparison slide follows when ``comparison`` holds several cases."""
    facts, p = cases[0]
    cur = facts.currency
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    blank = prs.slide_layouts[6]

    slide = prs.slides.add_slide(blank)
    _text(slide, facts.title, Inches(2.3), Inches(1.6), size=40, bold=True)
    _text(slide, f"{facts.company} · business case · {datetime.now(UTC):%d %B %Y}", Inches(4.1), Inches(0.6),
          size=20, color=MUTED)
    _text(slide, f"Today: {facts.inputs}", Inches(4.8), Inches(1.0), size=14, color=MUTED)
    _text(slide, "Support ROI simulator: every figure traced to its formula, inputs and sources.",
          Inches(6.5), Inches(0.5), size=12, color=MUTED)

    slide = prs.slides.add_slide(blank)
    _title(slide, "The case in one sentence")
    _text(slide, facts.sentence, Inches(1.5), Inches(4.5), size=24)

    slide = prs.slides.add_slide(blank)
    _title(slide, "Key figures")
    per_row = 4
    width = (WIDE[0] - 2 * MARGIN) / per_row
    value_pt = 26 if all(len(k.value) <= 11 for k in facts.kpis) else 21      # one size for the row
    for i, k in enumerate(facts.kpis):
        left, top = MARGIN + width * (i % per_row), Inches(1.5) + Inches(2.6) * (i // per_row)
        box = slide.shapes.add_textbox(left, top, width - Inches(0.2), Inches(2.3))
        frame = box.text_frame
        frame.word_wrap = True
        # A figure never breaks across lines: no-break spaces, a word joiner after a leading minus, smaller
        # type when one is long ("-172,9 tys. zł").
        value = k.value.replace(" ", "\u00a0").replace("-", "-\u2060", 1 if k.value.startswith("-") else 0)
        for text, size, color, bold in ((k.label, 16, MUTED, False), (value, value_pt, ACCENT, True),
                                        (k.note, 12, MUTED, False)):
            paragraph = frame.paragraphs[0] if text == k.label else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.color.rgb, run.font.bold = Pt(size), color, bold
    _text(slide, "Money over the whole horizon, the P50 of the draws, except the risk-adjusted NPV, which takes every "
          "assumption as entered; service and customers in month 11 (months count from 0).", WIDE[1] - Inches(0.8),
          Inches(0.5), size=12, color=MUTED)

    for chart, title, note in (
            (charts.cash_fan(p), f"Cumulative extra cash ({cur})",
             "Scenario minus baseline, undiscounted; line P50 of the draws, band P10 to P90."),
            (charts.waterfall(p), f"Where the NPV comes from ({cur})",
             "Present values with every assumption as entered; benefits at margin, never revenue."),
            (charts.tornado(p), f"What moves the NPV most ({cur})",
             "Each assumption at its P10 and P90 with the others at their medians.")):
        _picture(prs.slides.add_slide(blank), images.png(chart, cur, width_px=1000, height_px=440, scale=2,
                                                         titled=False),
                 title, note)

    slide = prs.slides.add_slide(blank)
    _title(slide, "Risk-adjusted view (Forrester TEI)")
    money = tuple(c for c in facts.risk_table.columns if c not in ("Line", "Risk adjustment"))
    _table(slide, facts.risk_table, Inches(1.4), font_pt=11, money=money, currency=cur)
    _text(slide, f"Risk-adjusted NPV {fmt.money(facts.risk_case.npv, cur)}: each benefit line cut and each cost "
          "line raised by its adjustment.", WIDE[1] - Inches(0.8), Inches(0.5), size=12, color=MUTED)

    slide = prs.slides.add_slide(blank)
    _title(slide, "The assumptions that matter, with their sources")
    shown = facts.assumptions.head(5).drop(columns=["Multiplies"])
    money = tuple(c for c in shown.columns if c.startswith("NPV at"))
    _table(slide, shown, Inches(1.3), font_pt=12, money=money, currency=cur, widths=(2.4, 1.5, 1.5, 1.5, 5.2))
    _text(slide, "Each interval multiplies the value entered (90 % of outcomes fall inside it); the NPV columns hold "
          "the NPV with that assumption at the P10 or P90 of its draws and every other at its median.",
          WIDE[1] - Inches(0.8), Inches(0.5), size=12, color=MUTED)

    if facts.ai_agent is not None:
        slide = prs.slides.add_slide(blank)
        _title(slide, "The AI agent: cost per true resolution, and what it rests on")
        _table(slide, _ai_rows(facts.ai_agent), Inches(1.25), font_pt=10, row_in=0.42, widths=(3.0, 3.2, 6.3))
        _text(slide, "[V] marks a vendor's own figure, the optimistic end: the draws take 0.45 to 1.0 of the resolution "
              "rate entered. Every assumption with its full source is in the workbook's AI agent sheet.",
              WIDE[1] - Inches(0.8), Inches(0.5), size=12, color=MUTED)

    if comparison is not None and len(comparison.columns) > 2:
        slide = prs.slides.add_slide(blank)
        _title(slide, "The scenarios side by side")
        top = Inches(1.25)
        if best:
            words = "; ".join(f"best by {k if k == 'NPV' else k.lower()}: {' and '.join(v[0]) or 'none'}, {v[1]}"
                              for k, v in best.items())
            _text(slide, words[0].upper() + words[1:] + ".", top, Inches(0.7), size=13, color=MUTED)
            top += Inches(0.8)
        row_in = min(0.4, (WIDE[1] - top - Inches(0.3)) / Inches(1) / (len(comparison) + 1))
        _table(slide, comparison, top, font_pt=11 if row_in >= 0.3 else 10, row_in=row_in,
               widths=(1.6,) + (2.0,) * (len(comparison.columns) - 1))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
