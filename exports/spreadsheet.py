"""The case as an XLSX workbook: monthly projections, percentiles, cash flows, risk view, assumptions, sources.

Numbers are written as numbers with formats (money without decimals, shares as percents), so the
workbook computes; every text cell is written as text (``text``), so nothing in it runs, and reads exactly as
the page shows it.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from exports.cells import FORMULA_START
from exports.content import Facts
from model import ASSUMPTION_INFO, BENEFIT_LINES, CHANNEL_NAMES, COST_LINES, SOURCES, Projection, Scenario
from model.money import discount_factors
from view import format as fmt
from view import ai_agent as ai_view
from view.controls import LEVER_SOURCES, lever_parameters

WHOLE = "#,##0;-#,##0"
SHARE = "0.0%"
SHARE_FINE = "0.00%"
DECIMAL = "#,##0.00"
BOLD = Font(bold=True)


def text(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write ``value`` into a cell; text is stored as text, never as a formula, and text that looks like one
    carries Excel's quote prefix so that editing the cell keeps it text. Returns the cell."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_START)
    return cell


def money_format(currency: str) -> str:
    """Excel's number format for whole amounts with the currency's sign where its locale puts it (``#,##0" €"``,
    ``"$"#,##0``); the separators follow the reader's spreadsheet, as Excel formats always do."""
    sample = fmt.money(1, currency, compact=False).replace("\xa0", " ").replace("\u202f", " ")
    before, after = sample.split("1", 1)
    body = (f'"{before}"' if before else "") + "#,##0" + (f'"{after}"' if after else "")
    return f"{body};-{body}"


def labels(currency: str) -> dict[str, tuple[str, str | None]]:
    """Column (and series) names of the model's tables: the heading a reader sees and the cell format."""
    money, cur = money_format(currency), currency
    out: dict[str, tuple[str, str | None]] = {
        "variant": ("Variant", None), "month": ("Month (from 0)", None), "series": ("Series", None),
        "customers": ("Customers", WHOLE), "lost_customers": ("Customers lost", DECIMAL),
        "referred_customers": ("Customers won by referral", DECIMAL), "churn_pct": ("Churn a month", SHARE_FINE),
        "expansion_pct": ("Expansion a month (share of customers)", SHARE_FINE),
        "referral_rate": ("Referrals a month (per customer)", SHARE_FINE),
        "revenue": (f"Revenue a month ({cur})", money), "arpu": (f"Revenue per customer a month ({cur})", money),
        "tickets": ("Tickets a month", WHOLE), "tickets_per_customer": ("Tickets per customer a month", DECIMAL),
        "deflected_issues": ("Issues solved by self-service a month", WHOLE),
        "first_contact_resolution_pct": ("First-contact resolution", SHARE), "csat_pct": ("CSAT", SHARE),
        "nps": ("NPS", DECIMAL), "contact_csat_pct": ("CSAT of the month's contacts", SHARE),
        "remembered_satisfied_pct": ("Customers remembering a good experience", SHARE),
        "remembered_dissatisfied_pct": ("Customers remembering a bad experience", SHARE),
        "headcount": ("Agents (headcount)", DECIMAL), "on_duty_agent_hours_per_week": ("Agent hours on duty a week",
                                                                                        WHOLE),
        "support_cost": (f"Support cost a month ({cur})", money),
        "load_over_90_h_per_week": ("Hours a week above 90 % load", DECIMAL),
        "overloaded": ("Backlog grows without end", None), "cost_per_ticket": (f"Cost per ticket ({cur})", DECIMAL),
        "discount_factor": ("Discount factor", "0.0000"),
        "benefit_at_margin": (f"Benefits at margin ({cur})", money), "added_cost": (f"Added cost ({cur})", money),
        "cash_flow": (f"Cash flow ({cur})", money), "cumulative_cash": (f"Cumulative cash ({cur})", money),
        "discounted_cash": (f"Discounted cash flow ({cur})", money),
        "cumulative_discounted_cash": (f"Cumulative discounted cash ({cur})", money),
        "p10": ("P10", DECIMAL), "p50": ("P50 (median)", DECIMAL), "p90": ("P90", DECIMAL),
    }
    for line in BENEFIT_LINES + COST_LINES:
        out[line] = (f"{line} ({cur})", money)
    for channel in CHANNEL_NAMES:
        out[f"frt_{channel}_h"] = (f"First response, {channel} (hours)", DECIMAL)
    return out


def _readable(frame: pd.DataFrame, currency: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` with headings a reader understands, and the number format of each."""
    known = labels(currency)
    names = {c: known.get(c, (c, None))[0] for c in frame.columns}
    formats = {names[c]: f for c in frame.columns if (f := known.get(c, (c, None))[1]) is not None}
    return frame.rename(columns=names), formats


def _write_frame(ws: Any, frame: pd.DataFrame, start_row: int = 1, formats: dict[str, str] | None = None) -> int:
    """Write ``frame`` with a bold header from ``start_row``; returns the next free row."""
    for j, column in enumerate(frame.columns, start=1):
        cell = text(ws, start_row, j, str(column))
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(frame.itertuples(index=False), start=start_row + 1):
        for j, (column, value) in enumerate(zip(frame.columns, row), start=1):
            if isinstance(value, float) and pd.isna(value):
                value = None
            cell = text(ws, i, j, value)
            fmt = (formats or {}).get(str(column))
            if fmt and isinstance(value, (int, float)):
                cell.number_format = fmt
    for j, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:200, j - 1]]) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 60)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    return start_row + len(frame) + 2


def workbook(facts: Facts, scenario: Scenario, p: Projection) -> bytes:
    """The XLSX file of one case."""
    u = p.uncertainty
    if u is None:
        raise ValueError("the workbook holds the percentiles of the draws: project with draws")
    cur = p.currency
    wb = Workbook()
    ws = wb.active
    ws.title = "Case"
    text(ws, 1, 1, facts.title).font = Font(bold=True, size=14)
    text(ws, 2, 1, f"{facts.company}. Amounts in {cur}; generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by the "
                   "Support ROI simulator.")
    text(ws, 3, 1, f"Today: {facts.inputs}")
    text(ws, 4, 1, facts.sentence).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A4:F8")
    kpis = pd.DataFrame([{"Figure": k.label, "Value": k.value, "Range or comparison": k.note} for k in facts.kpis])
    _write_frame(ws, kpis, start_row=10)
    ws.column_dimensions["A"].width = 28

    monthly, formats = _readable(p.monthly, cur)
    _write_frame(wb.create_sheet("Monthly"), monthly, formats=formats)

    known = labels(cur)
    bands = u.bands.assign(series=u.bands["series"].map(lambda s: known.get(s, (s, None))[0]))
    bands, formats = _readable(bands, cur)
    ws_bands = wb.create_sheet("Percentiles")
    _write_frame(ws_bands, bands, formats=formats)
    by_series = [known.get(s, (s, DECIMAL))[1] or DECIMAL for s in u.bands["series"]]
    quantiles = [list(bands.columns).index(known[q][0]) + 1 for q in ("p10", "p50", "p90")]
    for row, number_format in enumerate(by_series, start=2):       # each series in its own unit
        for column in quantiles:
            ws_bands.cell(row=row, column=column).number_format = number_format

    rate = scenario.finance.discount_rate_annual_pct
    cash = p.cash.copy()
    cash.insert(1, "discount_factor", discount_factors(len(cash), rate))
    where = list(cash.columns).index("discounted_cash") + 1
    cash, formats = _readable(cash, cur)
    ws_cash = wb.create_sheet("Cash flows")
    end = _write_frame(ws_cash, cash, formats=formats)
    col = get_column_letter(where)
    ws_cash.cell(row=end, column=1, value="NPV with every assumption as entered (sum of discounted cash)").font = BOLD
    total = ws_cash.cell(row=end, column=where, value=f"=SUM({col}2:{col}{len(cash) + 1})")
    total.number_format, total.font = money_format(cur), BOLD
    text(ws_cash, end + 1, 1, (
        f"Scenario minus baseline per month in {cur} with every assumption as entered (the point view); costs "
        f"positive in their own columns, cash flow = benefits at margin minus added cost; discounted monthly at "
        f"{fmt.percent(rate, cur)} a year, month 0 undiscounted. The Case sheet's NPV is the median of the draws; "
        f"the Percentiles sheet holds the draws' P10, P50 and P90 month by month."))

    risk = facts.risk_table
    ws_risk = wb.create_sheet("Risk-adjusted")
    end = _write_frame(ws_risk, risk, formats={c: money_format(cur) for c in risk.columns
                                               if c not in ("Line", "Risk adjustment")})
    text(ws_risk, end, 1, (
        f"Forrester TEI view: each benefit line cut and each cost line raised by its risk adjustment. Risk-adjusted "
        f"NPV {fmt.money(facts.risk_case.npv, cur, compact=False)}."))

    if facts.ai_agent is not None and p.ai_agent is not None:
        ws_ai = wb.create_sheet("AI agent")
        end = _write_frame(ws_ai, facts.ai_agent)
        monthly = ai_view.monthly_table(p)
        end = _write_frame(ws_ai, monthly, start_row=end + 1,
                           formats={c: money_format(cur) for c in monthly.columns if f"({cur})" in c})
        text(ws_ai, end, 1, ("The AI agent month by month, every assumption as entered (the point view): "
                             "conversations, resolutions as its vendor counts them and as they left the team's work, "
                             "hand-offs, fees, and what the headcount policy made of the freed hours."))

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
    for sheet in wb:                  # printed: landscape, headings on every page, the narrow sheets one page wide
        sheet.page_setup.orientation = "landscape"
        sheet.print_title_rows = "1:1"
        if sheet.title not in ("Monthly", "Percentiles"):
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
