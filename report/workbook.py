"""The case as an XLSX workbook: monthly projections, percentiles, cash flows, risk view, assumptions, sources.

Numbers are written as numbers with formats (money without decimals, shares as percents), so the
workbook computes; every text cell is neutralised (``report.cells``) so nothing in it runs.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from report.cells import neutral
from report.content import Facts
from sim.engine import Projection
from sim.finance import discount_factors
from sim.params import Scenario
from sim.sources import ASSUMPTION_INFO, SOURCES
from ui import format as fmt
from ui.controls import LEVER_SOURCES, lever_parameters

MONEY = "#,##0;-#,##0"
SHARE = "0.0%"
DECIMAL = "#,##0.00"
BOLD = Font(bold=True)


def _format_of(column: str) -> str | None:
    name = column.lower()
    if name.endswith("_pct") or name in ("csat_pct",):
        return SHARE
    if name.endswith("_h") or name in ("p10", "p50", "p90") or "per" in name:
        return DECIMAL
    if name in ("month", "variant", "series"):
        return None
    return MONEY


def _write_frame(ws: Any, frame: pd.DataFrame, start_row: int = 1, formats: dict[str, str] | None = None) -> int:
    """Write ``frame`` with a bold header from ``start_row``; returns the next free row."""
    for j, column in enumerate(frame.columns, start=1):
        cell = ws.cell(row=start_row, column=j, value=neutral(str(column)))
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(frame.itertuples(index=False), start=start_row + 1):
        for j, (column, value) in enumerate(zip(frame.columns, row), start=1):
            if isinstance(value, float) and pd.isna(value):
                value = None
            cell = ws.cell(row=i, column=j, value=neutral(value) if isinstance(value, str) else value)
            fmt = (formats or {}).get(str(column))
            if fmt and isinstance(value, (int, float)):
                cell.number_format = fmt
    for j, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:200, j - 1]]) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 60)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    return start_row + len(frame) + 2


def _numeric_formats(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c): f for c in frame.columns if (f := _format_of(str(c))) is not None}


def workbook(facts: Facts, scenario: Scenario, p: Projection) -> bytes:
    """The XLSX file of one case."""
    u = p.uncertainty
    assert u is not None
    cur = p.currency
    wb = Workbook()
    ws = wb.active
    ws.title = "Case"
    ws["A1"] = neutral(facts.title)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = neutral(f"{facts.company}. Amounts in {cur}; generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by the "
                       "Support ROI simulator.")
    ws["A4"] = neutral(facts.sentence)
    ws["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A4:F8")
    kpis = pd.DataFrame([{"Figure": k.label, "Value": k.value, "Range or comparison": k.note} for k in facts.kpis])
    _write_frame(ws, kpis, start_row=10)
    ws.column_dimensions["A"].width = 28

    monthly = p.monthly.copy()
    _write_frame(wb.create_sheet("Monthly"), monthly, formats=_numeric_formats(monthly))

    bands = u.bands.copy()
    _write_frame(wb.create_sheet("Percentiles"), bands,
                 formats={c: DECIMAL for c in ("p10", "p50", "p90")})

    cash = p.cash.copy()
    rate = scenario.finance.discount_rate_annual_pct
    cash.insert(1, "discount_factor", discount_factors(len(cash), rate))
    ws_cash = wb.create_sheet("Cash flows")
    end = _write_frame(ws_cash, cash, formats={**_numeric_formats(cash), "discount_factor": "0.0000"})
    col = get_column_letter(list(cash.columns).index("discounted_cash") + 1)
    ws_cash.cell(row=end, column=1, value="NPV (sum of discounted cash)").font = BOLD
    total = ws_cash.cell(row=end, column=list(cash.columns).index("discounted_cash") + 1,
                         value=f"=SUM({col}2:{col}{len(cash) + 1})")
    total.number_format = MONEY
    ws_cash.cell(row=end + 1, column=1, value=neutral(
        f"Scenario minus baseline per month in {cur}; costs positive in their own columns, cash_flow = benefits at "
        f"margin minus added cost; discounted monthly at {fmt.percent(rate, cur)} a year, month 0 undiscounted."))

    risk = facts.risk_table
    ws_risk = wb.create_sheet("Risk-adjusted")
    end = _write_frame(ws_risk, risk, formats={c: MONEY for c in risk.columns if c not in ("Line", "Risk adjustment")})
    ws_risk.cell(row=end, column=1, value=neutral(
        f"Forrester TEI view: each benefit line cut and each cost line raised by its risk adjustment. Risk-adjusted "
        f"NPV {fmt.money(facts.risk_case.npv, cur, compact=False)}."))

    ranges = pd.DataFrame([{"Uncertain assumption": ASSUMPTION_INFO[name][0], "Multiplies": ASSUMPTION_INFO[name][1],
                            "Low end of the 90 % interval": r.low, "High end": r.high,
                            "Source": ASSUMPTION_INFO[name][2]} for name, r in scenario.assumptions.items()])
    ws_a = wb.create_sheet("Assumptions")
    end = _write_frame(ws_a, ranges, formats={"Low end of the 90 % interval": DECIMAL, "High end": DECIMAL})
    settings = pd.DataFrame([{"Lever": lever, "Parameter": key, "Value": value,
                              "Source": LEVER_SOURCES.get(key, "entered in the scenario")}
                             for lever, parameters in lever_parameters(scenario.levers)
                             for key, value in parameters.items()], columns=["Lever", "Parameter", "Value", "Source"])
    _write_frame(ws_a, settings, start_row=end + 1)
    ws_a.freeze_panes = "A2"

    _write_frame(wb.create_sheet("Sources"), pd.DataFrame({"Key": list(SOURCES), "Source": list(SOURCES.values())}))
    for sheet in wb:                                   # printed, each sheet is one page wide
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
