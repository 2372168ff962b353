"""The Predictions page's actions: file the current case, withdraw a filed one (button callbacks that report
what happened, the store's own failures included)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from calibration import SHOWN_ONLY
from model import Projection, Scenario
from store import DocumentError, StoreError, scenario_document
from track import Prediction, freeze, from_document, noise_from_history, scored_metrics, to_document
from ui import data, store

DONE = "_predictions_done"


def first_month_choices(actuals: pd.DataFrame, today: pd.Timestamp) -> tuple[list[pd.Timestamp], int]:
    """Months a prediction may start at, and the default's position: from the month after the last actual month
    (the plan's month 0, as the Scenario page counts it; else next month) over the following year. Never earlier:
    a prediction is of months not yet uploaded."""
    last = pd.to_datetime(actuals["calendar_month"]).max() if len(actuals) else None
    start = (last + pd.offsets.MonthBegin(1)) if last is not None else (today.to_period("M") + 1).to_timestamp()
    return list(pd.date_range(start, periods=13, freq="MS")), 0


def file_case(values: dict[str, Any], scenario: Scenario, projection: Projection, company: str) -> None:
    """Form callback: freeze the case with the form's name, author, first month and months, and file it."""
    name = str(st.session_state.get("predict_name", "")).strip()
    author = str(st.session_state.get("predict_author", "")).strip()
    if not name or not author:
        missing = " and ".join(w for w, v in (("a name for the prediction", name), ("your name", author)) if not v)
        st.session_state[DONE] = ("error", f"Not filed: give {missing}, so the ledger says what was predicted and "
                                           "by whom.")
        return
    store.remember_author(author)
    first, months = st.session_state["predict_first"], int(st.session_state["predict_months"])
    replaces = st.session_state.get("predict_replaces") or None
    repo, ws = store.repository(), store.workspace()
    if repo is None or ws is None:
        st.session_state[DONE] = ("error", f"Not filed: the store cannot be opened ({store.problem()}).")
        return
    try:
        shares = scenario.company.channel_shares
        noise = noise_from_history(data.actual_months(), scored_metrics(projection, shares))
        case = scenario_document(scenario, name=name, author=author, controls=values,
                                 fits=sorted(f.label for f in data.applied().values()))
        prediction = freeze(projection, name=name, author=author, company=company,
                            first_month=pd.Timestamp(first), filed_at=datetime.now(UTC), noise=noise, months=months,
                            case=case, channel_shares=shares)
        saved = repo.predictions.file(ws.id, to_document(prediction), replaces=replaces)
    except DocumentError as exc:
        st.session_state[DONE] = ("error", "Not filed: " + "; ".join(exc.problems) + ".")
        return
    except (StoreError, ValueError) as exc:
        st.session_state[DONE] = ("error", f"Not filed: {exc}")
        return
    st.session_state[DONE] = ("ok", f"Filed '{saved.name}' for {prediction.first_month:%b %Y} to "
                                    f"{prediction.last_month:%b %Y}. It is kept as it is now; scores appear as the "
                                    "months are uploaded." + (" The one it replaces stays in the ledger, marked "
                                                              "replaced." if replaces else ""))
    st.session_state["predict_open"] = saved.id
    st.session_state["predict_pick"] = saved.id          # the new one is the one shown


def withdraw(prediction_id: str) -> None:
    repo, ws = store.repository(), store.workspace()
    if repo is None or ws is None:
        return
    by = str(st.session_state.get("withdraw_author", "")).strip()
    if not by:
        st.session_state[DONE] = ("error", "Not withdrawn: give your name, so the ledger says who withdrew it.")
        return
    store.remember_author(by)
    try:
        saved = repo.predictions.withdraw(ws.id, prediction_id, by=by)
    except StoreError as exc:
        st.session_state[DONE] = ("error", f"Not withdrawn: {exc}")
        return
    st.session_state[DONE] = ("ok", f"Withdrew '{saved.name}'. It stays in the ledger, marked withdrawn.")


def filed() -> tuple[list[Any], list[Prediction], list[str]]:
    """The workspace's predictions (records and their predictions) and the names of any that no longer read."""
    repo, ws = store.repository(), store.workspace()
    if repo is None or ws is None:
        return [], [], []
    records, predictions, unreadable = [], [], []
    for record in repo.predictions.listing(ws.id):
        try:
            predictions.append(from_document(record.document))
            records.append(record)
        except ValueError:
            unreadable.append(record.name)
    return records, predictions, unreadable


def offered_fits(company: Any, currency: str) -> tuple[list[Any], list[str]]:
    """The Calibrate page's fits of the uploads in use that set a parameter: those without doubts, and the labels of
    those left out (a fit shown only, the first response's check, is neither)."""
    fits, _ = data.fits(data.arrival_offset_h(company), company)
    fits = [f for f in fits if f.kind not in SHOWN_ONLY]
    clean = [f for f in fits if not data.fit_doubts(f, company, currency)]
    return clean, [f.label for f in fits if f not in clean]


def apply_offered(company: Any, currency: str) -> None:
    """Button callback: switch on every fit the Calibrate page offers that raises no doubt."""
    clean, left_out = offered_fits(company, currency)
    for fit in clean:
        data.set_applied(fit, True)
    names = ", ".join(f.label for f in clean) or "none"
    st.session_state[DONE] = ("ok", f"Applied to the model: {names}."
                              + (f" Left off (the Calibrate page says why): {', '.join(left_out)}." if left_out else "")
                              + " Every page now runs on them; file the case again, naming this prediction as the "
                                "one it replaces, to keep the ledger's history.")
