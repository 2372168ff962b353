"""Exports: the deck, the workbook and chart images hold the model's figures; nothing in them runs."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from exports import images
from exports.cells import csv_bytes, neutral, neutral_frame
from exports.content import Kpi, facts
from exports.one_page import onepager
from exports.slides import deck
from exports.spreadsheet import workbook
from model.engine import SEED, simulate
from model.money.finance import discount_factors
from view import charts, compare
from view import format as fmt
from view.controls import scenario_of
from view.words import case_sentence

VALUES = {"centre_on": True, "centre_utc_offset_h": 1.0, "currency": "EUR"}


@pytest.fixture(scope="module")
def case():
    scenario = scenario_of(VALUES)
    p = simulate(scenario, draws=300, seed=SEED)
    return scenario, p, facts(VALUES, scenario, p)


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+1+1", "-2+3", "@cmd", "\t=1", "\r=1",
                                  "=HYPERLINK(\"http://x\",\"y\")"])
def test_formula_like_text_is_neutralised(text):
    import csv

    import pandas as pd
    assert neutral(text) == "'" + text
    rows = list(csv.reader(io.StringIO(csv_bytes(pd.DataFrame({"a": [text]})).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text]


@pytest.mark.parametrize("text", ["-47.617 €", "-$1,234,567", "+4.5 pts", "-12 %", "-1 234 567 zł", "-7,9 h"])
def test_signed_amounts_keep_their_look(text):
    assert neutral(text) == text


@pytest.mark.parametrize("text", ["-1+cmd|' /C calc'!A0", "-2-3", "+A1", "-SUM(1)", "-1 (x)", "-1e3*A1", "+1 2 3 4 5 A1"])
def test_signs_followed_by_anything_else_are_neutralised(text):
    assert neutral(text) == "'" + text


def test_numbers_and_plain_text_stay_as_they_are():
    import pandas as pd
    frame = pd.DataFrame({"n": [-5.0, 3.0], "t": ["Dublin", "O'Brien"], "=bad": ["x", "y"]})
    out = neutral_frame(frame)
    assert out["n"].tolist() == [-5.0, 3.0] and out["t"].tolist() == ["Dublin", "O'Brien"]
    assert list(out.columns) == ["n", "t", "'=bad"]
    assert neutral(-5) == -5 and neutral(None) is None


def test_workbook_cash_flows_add_up_to_the_npv(case):
    scenario, p, f = case
    wb = load_workbook(io.BytesIO(workbook(f, scenario, p)))
    assert wb.sheetnames == ["Case", "Monthly", "Percentiles", "Cash flows", "Risk-adjusted", "Assumptions", "Sources"]
    ws = wb["Cash flows"]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=1 + len(p.cash))]
    col = {name: i for i, name in enumerate(header)}
    discounted = np.array([r[col["Discounted cash flow (EUR)"]] for r in rows], dtype=float)
    cash = np.array([r[col["Cash flow (EUR)"]] for r in rows], dtype=float)
    factors = np.array([r[col["Discount factor"]] for r in rows], dtype=float)
    assert discounted.sum() == pytest.approx(p.summary.npv, rel=1e-9, abs=1e-6)
    np.testing.assert_allclose(factors, discount_factors(len(p.cash), scenario.finance.discount_rate_annual_pct))
    np.testing.assert_allclose(cash * factors, discounted, rtol=1e-9, atol=1e-6)
    assert cash.sum() == pytest.approx(float(p.cash["cumulative_cash"].iloc[-1]))
    total = ws.cell(row=len(p.cash) + 3, column=col["Discounted cash flow (EUR)"] + 1)
    assert total.value.startswith("=SUM(")                   # the workbook computes the NPV itself
    assert total.number_format == '#,##0" €";-#,##0" €"'     # in the case's currency, where its locale puts it
    assert ws.cell(row=2, column=col["Cash flow (EUR)"] + 1).number_format == total.number_format
    assert "First response, email (hours)" in [c.value for c in wb["Monthly"][1]]
    assert "CSAT" in {c.value for c in wb["Percentiles"]["B"]}
    assert wb["Case"]["A4"].value == f.sentence
    assert wb["Monthly"].max_row == len(p.monthly) + 1
    assert {"Churn risk of dissatisfied customers", "Contact rate"} <= {
        c.value for c in wb["Assumptions"]["A"]}


def test_formulas_in_the_case_text_are_neutralised_in_the_workbook(case):
    scenario, p, f = case
    hostile = dataclasses.replace(f, title="=cmd|' /C calc'!A0", company="@SUM(1)",
                                  kpis=f.kpis + (Kpi("Loss", "-5.000 €", "+1 point"),))
    wb = load_workbook(io.BytesIO(workbook(hostile, scenario, p)))
    title, company = wb["Case"]["A1"], wb["Case"]["A2"]
    assert title.value == "=cmd|' /C calc'!A0" and title.data_type == "s" and title.quotePrefix
    assert company.value.startswith("@SUM(1)") and company.data_type == "s" and company.quotePrefix
    formulas = [(ws.title, cell.value) for ws in wb for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
    assert len(formulas) == 1 and formulas[0][0] == "Cash flows" and formulas[0][1].startswith("=SUM(")
    negative = next(c for c in wb["Case"]["B"] if c.value == "-5.000 €")      # text reads as the page shows it
    assert negative.data_type == "s" and negative.quotePrefix


def _said(text: str) -> str:
    return text.replace("\u00a0", " ")


def _texts(slide) -> list[str]:
    """The slide's text as read aloud: no-break spaces as spaces, word joiners dropped."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text for row in shape.table.rows for cell in row.cells]
    return [t.replace("\u2060", "").replace("\u00a0", " ") for t in out]


def test_deck_holds_the_slides_and_the_models_figures(case):
    scenario, p, f = case
    prs = Presentation(io.BytesIO(deck([(f, p)])))
    titles = [_texts(s)[0] for s in prs.slides]
    assert titles == [f.title, "The case in one sentence", "Key figures", "Cumulative extra cash (EUR)",
                      "Where the NPV comes from (EUR)", "What moves the NPV most (EUR)",
                      "Risk-adjusted view (Forrester TEI)", "The assumptions that matter, with their sources"]
    assert f.sentence == case_sentence(VALUES, p) and _said(f.sentence) in _texts(prs.slides[1])
    npv = _said(fmt.money(p.uncertainty.quantiles("npv")[1], "EUR"))
    assert "," in npv or "." in npv                         # German locale for EUR
    assert any(npv in t for t in _texts(prs.slides[2]))
    pictures = [sh for s in list(prs.slides)[3:6] for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 3 and all(pic.image.size[0] >= 1800 for pic in pictures)
    risk = _texts(prs.slides[6])
    assert "Net benefits" in risk and _said(fmt.money(f.risk_case.npv, "EUR")) in " ".join(risk)


def test_a_comparison_slide_follows_when_several_scenarios_are_chosen(case):
    scenario, p, f = case
    other = simulate(scenario_of({"deflection_pct": 0.25, "currency": "EUR"}), draws=300, seed=SEED)
    cases = [compare.Case("Centre", p), compare.Case("AI agent", other)]
    prs = Presentation(io.BytesIO(deck([(f, p)], compare.kpi_table(cases), compare.best(cases))))
    last = _texts(prs.slides[-1])
    assert last[0] == "The scenarios side by side" and "AI agent" in last and "Centre" in last
    assert _said(fmt.money(other.uncertainty.quantiles("npv")[1], "EUR")) in last


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), len(reader.pages)


def test_the_one_pager_is_one_page_stating_the_case_in_its_sentence(case):
    _, p, f = case
    data = onepager(f, p)
    text, pages = _pdf_text(data)
    assert data[:5] == b"%PDF-" and pages == 1
    assert " ".join(f.sentence.split()) in text
    assert " ".join(fmt.money(p.uncertainty.quantiles("npv")[1], "EUR").split()) in text   # the NPV KPI: model P50
    assert "The assumptions that matter" in text and f.assumptions["Source"].iloc[0].split()[0] in text


def test_a_case_with_every_lever_still_fits_one_page():
    values = {"centre_on": True, "hire_agents": 5, "deflection_pct": 0.3, "handle_time_reduction_pct": 0.15,
              "fcr_gain_pts": 0.05, "extra_hours_per_day": 2, "weekend_days": 2, "currency": "RUB",
              "ai_chat": 0.5, "ai_email": 0.3, "ai_pricing": "Allowance and overage"}
    scenario = scenario_of(values)
    p = simulate(scenario, draws=60, seed=SEED)
    f = facts(values, scenario, p)
    text, pages = _pdf_text(onepager(f, p))
    assert pages == 1 and " ".join(f.sentence.split()) in text and "with their sources" in text


@pytest.mark.parametrize("currency, sign", [("PLN", "zł"), ("RUB", "₽"), ("HUF", "Ft"), ("GBP", "£")])
def test_the_one_pager_prints_every_currency_sign(currency, sign):
    values = {**VALUES, "currency": currency}
    scenario = scenario_of(values)
    p = simulate(scenario, draws=60, seed=SEED)
    f = facts(values, scenario, p)
    text, _ = _pdf_text(onepager(f, p))
    assert sign in text and " ".join(f.sentence.split()) in text


def test_the_one_pager_prints_names_in_any_script_and_emoji_in_its_title(case):
    """Greek, Chinese, Japanese, Korean and emoji names printed in the title (they vanished before); a character no
    bundled font holds is a visible replacement sign, not a gap."""
    import dataclasses
    _, p, f = case
    title = "Αθήνα 東京 ソウル 서울 🚀 plan 𓀀"
    text, pages = _pdf_text(onepager(dataclasses.replace(f, title=title, company="Ωmega Κλπ"), p))
    assert pages == 1
    for word in ("Αθήνα", "東京", "ソウル", "서울", "🚀", "Ωmega"):
        assert word in text, word
    assert "plan \ufffd" in text and "𓀀" not in text


def test_a_latin_case_loads_no_fallback_font(case):
    from exports import one_page
    _, _, f = case
    assert one_page._fonts_for(one_page._texts(f)) == ([], {})


def test_chart_images_are_png_and_svg(case):
    _, p, _ = case
    png = images.png(charts.waterfall(p), "EUR", width_px=400, height_px=200, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = images.svg(charts.tornado(p), "EUR")
    assert svg.lstrip().startswith("<svg") and "NPV" in svg


def test_present_page_states_the_case_and_offers_every_download(tmp_path, monkeypatch):
    import os

    from streamlit.testing.v1 import AppTest

    from store import Repository, connect
    from store.documents import scenario_document
    from tests.conftest import ROOT
    repo = Repository(connect(os.environ["ROI_STORE_URL"]))
    ai_values = {"deflection_pct": 0.25, "draws": "250"}
    ai = repo.save_scenario(repo.default_workspace().id, scenario_document(scenario_of(ai_values), name="AI agent",
                                                                          controls=ai_values))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in {"centre_on": "true", "centre_utc_offset_h": "1.0", "draws": "250"}.items():
        at.query_params[k] = v
    at.switch_page("pages/10_Present.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.replace("\\", "") == "Opening a 4-agent centre in UTC+1 that answers Europe first"
    p = simulate(scenario_of({"centre_on": True, "centre_utc_offset_h": 1.0}), draws=250, seed=SEED)
    npv = next(m.value for m in at.metric if m.label == "NPV (median)")
    assert npv == fmt.money(p.uncertainty.quantiles("npv")[1], "USD")
    labels = [d.label for d in at.download_button]
    assert labels[:3] == ["Deck (PowerPoint)", "One-pager (PDF)", "Workbook (Excel)"]
    assert {"Key figures", "Assumptions", "Risk adjusted", "Monthly", "Cash flows", "Tornado PNG", "Tornado SVG",
            "Cash fan PNG", "NPV waterfall SVG"} <= set(labels)
    for i in range(len(labels)):
        at.download_button[i].click()
        at.run()
        assert not at.exception, (labels[i], [e.value for e in at.exception])
    at.multiselect(key="present_pick").set_value(["current", ai.id]).run()
    assert not at.exception
    assert list(at.dataframe[-1].value.columns) == ["Figure", "The levers now", "AI agent"]
    assert "Comparison" in [d.label for d in at.download_button]


def test_the_assumptions_that_matter_show_the_ranges_as_entered(case):
    from model.sources import ASSUMPTION_INFO
    scenario, _, f = case
    name_of = {info[0]: name for name, info in ASSUMPTION_INFO.items()}
    for _, row in f.assumptions.iterrows():
        r = getattr(scenario.assumptions, name_of[row["Assumption"]])
        assert row["90 % interval"] == f"{fmt.number(r.low, 'EUR', 2)} to {fmt.number(r.high, 'EUR', 2)}"


def test_present_page_with_no_lever_pulled_says_so_instead_of_empty_charts():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/10_Present.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Nothing to present yet" in at.info[0].value
    assert not at.download_button and not at.metric


def test_a_negative_key_figure_reads_whole_on_its_slide(case):
    _, p, f = case
    loss = dataclasses.replace(f, kpis=f.kpis[:-1] + (Kpi("Risk-adjusted NPV", "-172,9 tys. zł", "TEI"),))
    slide = Presentation(io.BytesIO(deck([(loss, p)]))).slides[2]
    raw = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert any("-\u2060172,9\u00a0tys.\u00a0zł" in t for t in raw)          # no line break inside the figure
    assert any("-172,9 tys. zł" in t for t in _texts(slide))


def test_every_export_names_the_users_company_and_states_its_inputs():
    """Kasza's case (her own company, not an example): deck, one-pager and workbook say whose case it is and
    what it stands on: customers, ARPU, margin, churn, her site with headcount and hours, her regions."""
    from tests.test_company_form import kasza_draft
    from view.company_form import check
    from view.controls import CompanyChoice

    kasza, _ = check(kasza_draft())
    book = {"Kasza": CompanyChoice(kasza, "PLN")}
    values = {"company": "Kasza", "currency": "PLN", "hire_agents": 3}
    scenario = scenario_of(values, book=book)
    p = simulate(scenario, draws=200, seed=SEED)
    f = facts(values, scenario, p)
    assert f.company == "Kasza" and f.title == "Hiring 3 agents in Warsaw"
    inputs = _said(f.inputs)
    assert inputs.startswith("2 500 customers at 1 200 zł a month, gross margin 75%, churn 2,0% a month; "
                             "8 agents in Warsaw (UTC+1, 8-16 Mon-Fri); customers 55% Europe, 35% US East, 10% Asia")
    title_slide = " ".join(_texts(Presentation(io.BytesIO(deck([(f, p)]))).slides[0]))
    assert "Kasza · business case" in title_slide and "8 agents in Warsaw" in title_slide
    text, pages = _pdf_text(onepager(f, p))
    assert pages == 1 and "Kasza" in text and "8 agents in Warsaw" in _said(text)
    sheet = load_workbook(io.BytesIO(workbook(f, scenario, p)))["Case"]
    assert "8 agents in Warsaw" in _said(str(sheet["A3"].value)) and str(sheet["A2"].value).startswith("Kasza.")


def test_one_npv_leads_and_each_npv_is_named(case):
    """The sentence leads with the NPV the key figures show (the median of the draws) and names the point view's."""
    _, p, f = case
    mid = _said(fmt.money(p.uncertainty.quantiles("npv")[1], "EUR"))
    point = _said(fmt.money(p.summary.npv, "EUR"))
    sentence = _said(f.sentence)
    assert sentence.startswith(f"Opening a 4-agent centre in UTC+1 that answers Europe first is worth an NPV of {mid} over 3 years, the median "
                               "of 300 draws")
    assert "With every assumption as entered it costs" in sentence and f"NPV {point}," in sentence
    assert sentence.index(mid) < sentence.index(point)
    assert next(k for k in f.kpis if k.label == "NPV (median)").value == fmt.money(p.uncertainty.quantiles("npv")[1],
                                                                                   "EUR")
    sheet = load_workbook(io.BytesIO(workbook(f, *case[:2])))["Cash flows"]
    labels = [c.value for c in sheet["A"] if c.value]
    assert "NPV with every assumption as entered (sum of discounted cash)" in labels
