"""The export corpus (tests/data/exports, written by its make_corpus.py) and the public logs in ../shared/data, each read
as a user would drop it: the table it reads as, the rows kept, the vendor recognised, the fields it fills."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from intake.uploads import Mapping, load
from intake.uploads.mapping import detect_vendor
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "exports"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
SHARED = ROOT.parent / "shared" / "data"


def test_the_corpus_holds_twenty_exports_or_more():
    assert len(MANIFEST) >= 20
    assert {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".tsv", ".txt", ".xlsx")} == set(MANIFEST)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_export_reads_as_expected(name):
    expected = MANIFEST[name]
    mapping = Mapping.from_json((CORPUS / expected["mapping"]).read_text()) if "mapping" in expected else None
    table = expected["table"]
    # as dropped on its tab: the ticket tab guesses (an event log is recognised there), the others read as theirs
    loaded = load((CORPUS / name).read_bytes(), name, table=None if table == "tickets" else table, mapping=mapping)
    assert loaded.usable, [p.text() for p in loaded.all_problems()]
    assert loaded.table == table
    assert not [p for p in loaded.all_problems() if p.severity == "error"]
    frame = loaded.validated.frame
    assert len(frame) == expected["kept"]
    assert detect_vendor(list(loaded.raw.frame.columns)) == expected.get("vendor")
    assert (loaded.event_log is not None) == expected.get("event_log", False)
    assert (loaded.purchase_log is not None) == expected.get("purchase_log", False)
    for field in expected["fields"]:
        assert frame[field].notna().mean() > 0.3, field
    if table == "tickets":
        created = frame["created"]
        assert created.min() >= pd.Timestamp("2024-03-01", tz="UTC") and created.max() < pd.Timestamp("2024-05-02", tz="UTC")
        if "channel" in expected["fields"]:
            assert set(frame["channel"].dropna()) <= {"email", "chat", "phone"}
        if "first_response_h" in expected["fields"] and "resolution_h" in expected["fields"]:
            both = frame.dropna(subset=["first_response_h", "resolution_h"])
            assert (both["resolution_h"] >= both["first_response_h"]).all()


@pytest.mark.slow
def test_the_public_help_desk_log_and_churn_table_read_through_the_loader():
    italian, telecom = SHARED / "italian_helpdesk_eventlog_2010-2014.csv", SHARED / "iranian_telecom_churn_uci.csv"
    if not italian.exists():
        pytest.skip(f"{SHARED} is not here (../shared is optional outside CI)")
    log = load(italian.read_bytes(), italian.name)
    assert log.usable and log.event_log is not None and len(log.validated.frame) == 4_580
    churn = load(telecom.read_bytes(), telecom.name)
    assert churn.raw is not None and len(churn.raw.frame) == 3_150      # read; it has no dates, so no table by itself
