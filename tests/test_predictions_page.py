"""AppTest of the Predictions page: file the current case, upload the months it covers, see the scores;
withdraw; hostile names shown as text."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

import track
from store import Repository, connect
from tests.conftest import ROOT

TIMEOUT = 60


def _at(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/12_Predictions.py")
    return at.run()


def _file(at: AppTest, name: str = "Dublin centre", author: str = "Ines", months: int = 12) -> AppTest:
    at.text_input(key="predict_name").input(name)
    at.text_input(key="predict_author").input(author)
    at.number_input(key="predict_months").set_value(months)
    at.button[[b.label for b in at.button].index("File this prediction")].click()
    return at.run()


def _filed(tmp_path) -> track.Prediction:
    repo = Repository(connect(f"sqlite:///{tmp_path / 'app_store.sqlite3'}"))
    records = repo.predictions.listing(repo.default_workspace().id)
    return track.from_document(records[0].document)


def kpi_months(prediction: track.Prediction, months: int, variant: str = "scenario") -> bytes:
    """A monthly KPI file for the prediction's first ``months`` months, at the P50 of ``variant`` as filed."""
    wide = prediction.wide(variant)
    at = {m: wide[wide["metric"] == m].set_index("target_month")["p50"] for m in prediction.metrics}
    rows = []
    for month in list(at["tickets"].index)[:months]:
        customers = at["customers"][month]
        rows.append({"month": month, "tickets": round(at["tickets"][month]),
                     "csat_pct": f"{at['csat_pct'][month] * 100:.2f} %", "nps": round(at["nps"][month], 1),
                     "customers": round(customers), "churned": round(at["churn_pct"][month] * customers),
                     "mrr": round(at["revenue"][month], 2)})
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def test_file_a_case_upload_the_months_it_covers_and_see_the_scores(tmp_path):
    at = _at(centre_on="true", centre_headcount="6")
    assert not at.exception
    assert any("No prediction filed yet" in i.value for i in at.info)
    at = _file(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any("Filed" in s.value and "Dublin centre" in s.value for s in at.success)
    ledger = at.dataframe[1].value
    assert ledger["Prediction"].tolist() == ["Dublin centre"] and ledger["By"].tolist() == ["Ines"]
    assert any("No actual month of this prediction yet" in i.value for i in at.info)

    prediction = _filed(tmp_path)
    assert prediction.months == 12 and prediction.case["controls"]["centre_headcount"] == 6
    at.switch_page("pages/5_Data.py").run()
    at.file_uploader(key="upload_kpis").set_value(("kpis.csv", kpi_months(prediction, 6), "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/12_Predictions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    ledger = at.dataframe[0].value if "Prediction" in at.dataframe[0].value.columns else at.dataframe[1].value
    assert ledger["Status"].tolist() == ["open (6 of 12 months in)"]
    scores = next(d.value for d in at.dataframe if "Inside P10-P90" in d.value.columns)
    every = scores[scores["Metric"].str.startswith("All metrics")].iloc[0]
    assert every["Inside P10-P90"].startswith("36 of 36")       # tickets, CSAT, NPS, churn, customers, revenue
    assert any("look like the plan" in i.value for i in at.info)
    assert any("fell inside the P10-P90 band" in c.value for c in at.caption)


def test_withdrawn_stays_in_the_ledger(tmp_path):
    at = _file(_at(centre_on="true"))
    at.text_input(key="withdraw_author").input("")
    at.button(key="withdraw_confirm").click().run()
    assert any("give your name" in e.value for e in at.error)               # nobody withdraws anonymously
    at.text_input(key="withdraw_author").input("Ben Okafor")
    at.button(key="withdraw_confirm").click().run()
    assert any("Withdrew" in s.value for s in at.success)
    ledger = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert ledger["Status"].tolist() == ["withdrawn"]
    assert any("Withdrawn by Ben Okafor" in c.value for c in at.caption)
    assert "withdraw_confirm" not in [b.key for b in at.button]


def test_a_prediction_needs_a_name_and_its_author_and_starts_after_the_uploads():
    at = _at(centre_on="true")
    at = _file(at, name="  ", author="")
    assert any("give a name for the prediction and your name" in e.value for e in at.error)
    assert not any("Prediction" in d.value.columns for d in at.dataframe)
    first = at.selectbox(key="predict_first")
    next_month = (pd.Timestamp.now(tz="UTC").tz_localize(None).to_period("M") + 1).to_timestamp()
    assert first.options[0] == f"{first.value:%b %Y}" == f"{next_month:%b %Y}"   # nothing before it (no uploads)
    assert len(first.options) == 13


def test_a_hostile_name_is_shown_as_text():
    at = _file(_at(centre_on="true"), name="![x](http://host/p.png)")
    assert not at.exception
    shown = [s.value for s in at.success] + [c.value for c in at.caption]
    assert not any("![x](http://host/p.png)" in text for text in shown)      # escaped wherever markdown renders
    ledger = next(d.value for d in at.dataframe if "Prediction" in d.value.columns)
    assert ledger["Prediction"].tolist() == ["![x](http://host/p.png)"]      # a table cell is text already


def test_months_that_look_like_the_baseline_suggest_recalibrating_and_apply_the_fits_in_one_step(tmp_path):
    at = _file(_at(centre_on="true", centre_headcount="6"))
    prediction = _filed(tmp_path)
    at.switch_page("pages/5_Data.py").run()
    # the months as the baseline had them, 15 % more tickets: the plan's volume and CSAT are off
    months = kpi_months(prediction, 6, variant="baseline")
    frame = pd.read_csv(__import__("io").BytesIO(months))
    frame["tickets"] = (frame["tickets"] * 1.15).round()
    at.file_uploader(key="upload_kpis").set_value(("kpis.csv", frame.to_csv(index=False).encode(), "text/csv")).run()
    at.switch_page("pages/12_Predictions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("look like the baseline" in i.value for i in at.info)
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "What the months suggest recalibrating" in said and "Tickets: " in said and "above the P50" in said
    apply = next(b for b in at.button if b.label.startswith("Apply the Calibrate page's"))
    apply.click().run()
    assert any("Applied to the model: Your company today" in s.value.replace("\\", "") for s in at.success)
    ledger = next(d.value for d in at.dataframe if "Resolves" in d.value.columns)
    assert ledger["Resolves"].tolist() == [f"{prediction.last_month + pd.DateOffset(months=1):%b %Y}"]


def test_a_new_view_of_a_case_replaces_the_old_one_which_stays_listed(tmp_path):
    at = _file(_at(centre_on="true"), name="Centre, 4 agents")
    first = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert first["Prediction"].tolist() == ["Centre, 4 agents"]
    at.selectbox(key="predict_replaces").select(at.selectbox(key="predict_replaces").options[1])
    at = _file(at, name="Centre, 6 agents")
    assert any("marked replaced" in s.value for s in at.success)
    ledger = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    assert dict(zip(ledger["Prediction"], ledger["Status"]))["Centre, 4 agents"] == "replaced"
    repo = Repository(connect(f"sqlite:///{tmp_path / 'app_store.sqlite3'}"))
    records = repo.predictions.listing(repo.default_workspace().id)
    assert records[0].replaces == records[1].id


def test_filing_with_no_lever_pulled_says_it_predicts_the_baseline():
    at = _at()
    assert any("No lever is pulled: filed now, this predicts the baseline itself" in w.value for w in at.warning)
    assert not any("No lever is pulled: filed now" in w.value for w in _at(centre_on="true").warning)


def test_the_ledgers_file_neutralises_a_name_that_is_a_formula(tmp_path):
    from exports import csv_bytes
    from view.predictions import ledger
    _file(_at(centre_on="true"), name="=HYPERLINK(\"http://x\",\"y\")")
    repo = Repository(connect(f"sqlite:///{tmp_path / 'app_store.sqlite3'}"))
    records = repo.predictions.listing(repo.default_workspace().id)
    text = csv_bytes(ledger(records, [track.from_document(r.document) for r in records], pd.DataFrame(),
                            pd.Timestamp("2026-12-06"))).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
