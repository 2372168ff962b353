"""Predictions: the current case filed as a dated prediction, the ledger, and each prediction against the months
that happened."""

import functools

import pandas as pd
import streamlit as st

import ui
from exports import csv_bytes
from store import file_stem
from track import DEFAULT_MONTHS, by_metric, noise_from_history, scored_metrics, scores, verdict
from ui import cache, components, data, downloads, library, predictions, store
from view import predictions as shown
from view import words
from view.controls import choice_of, describe_levers, scenario_of

values = ui.frame("Predictions", ":material/fact_check:")
st.title("Predictions")
st.caption("State what the plan will do before the months happen, then see what happened: each filed prediction "
           "keeps its P10, P50 and P90 per metric and month, for the plan and for doing nothing, and is scored as "
           "you upload the months it covers.")
repo, ws = store.repository(), store.workspace()
if repo is None or ws is None:
    st.error(f"The store cannot be opened, so nothing can be filed or listed: {store.problem()}",
             icon=":material/database:")
    ui.stop(values)

book = store.book()
choice = choice_of(values, book)
cur = choice.currency
base = scenario_of(values, book=book)
scenario = data.calibrated(base)
projection = cache.projection(scenario, int(values["draws"]))
actuals = data.actual_months()
today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()

done = st.session_state.pop(predictions.DONE, None)
if done is not None:
    ok = done[0] == "ok"
    (st.success if ok else st.error)(components.plain(done[1]),
                                     icon=":material/check_circle:" if ok else ":material/error:")

records, filed, unreadable = predictions.filed()
offered, left_out = predictions.offered_fits(base.company, base.finance.currency)
unapplied = [f for f in offered if f.key not in data.applied()]
with st.expander("File the current case as a prediction", expanded=not records, icon=":material/add_task:"):
    st.info(words.case_sentence(values, projection, book), icon=":material/campaign:")
    if not describe_levers(values, book):
        st.warning("No lever is pulled: filed now, this predicts the baseline itself, a check of the model rather "
                   "than of a plan. To predict a plan, pull its levers on the Scenario page and come back here.",
                   icon=":material/info:")
    if unapplied:
        st.warning("Your uploads offer fits the model does not use yet (" + ", ".join(f.label for f in unapplied)
                   + "): this prediction would start from the company as typed, not from your data. Apply them "
                   "first (here or on the Calibrate page, which also back-tests the model on your months).",
                   icon=":material/tune:")
        st.button("Apply them now", on_click=predictions.apply_offered, args=(base.company, base.finance.currency),
                  key="apply_before_filing")
    months, default = predictions.first_month_choices(actuals, today)
    with st.form("file_prediction", border=False):
        st.text_input("Name", value=library.default_name(values), max_chars=200, key="predict_name")
        st.text_input("Your name", value=store.author(), max_chars=200, key="predict_author",
                      **store.signed_by_login())
        left, right = st.columns(2)
        left.selectbox("First month (the plan's month 0)", months, index=default, key="predict_first",
                       format_func=lambda m: f"{m:%b %Y}",
                       help="From the month after your last uploaded month, as the Scenario page counts month 0: a "
                            "prediction is of months not yet uploaded. Months that have begun before the day it is "
                            "filed are not scored.")
        right.number_input("Months it covers", min_value=1, max_value=projection.summary.horizon_months,
                           value=DEFAULT_MONTHS, step=1, key="predict_months")
        live = [r for r in records if not r.withdrawn]
        st.selectbox("Replaces (a new view of a case filed before)", [""] + [r.id for r in live],
                     key="predict_replaces", format_func=lambda i: "nothing: a new case" if not i else next(
                         f"{r.name} (filed {r.filed_at:%d %b %Y})" for r in live if r.id == i),
                     help="The earlier prediction stays in the ledger, marked replaced: nothing is overwritten.")
        st.form_submit_button("File this prediction", type="primary", on_click=predictions.file_case,
                              args=(values, scenario, projection, choice.company.name))
    noise = noise_from_history(actuals, scored_metrics(projection, scenario.company.channel_shares))
    st.caption("Each month also wanders by itself around what the model says (a busy week, a few surveys). The "
               "filed band includes that, measured on your own months where there are 6 or more:")
    st.dataframe(shown.noise_rows(noise, cur), hide_index=True, width="stretch")

if unreadable:
    st.warning("These predictions no longer read and are left out: " + ", ".join(map(components.plain, unreadable)),
               icon=":material/warning:")
st.subheader("Ledger")
if not records:
    st.info("No prediction filed yet in this workspace. File the current case above; pull levers on the Scenario "
            "page first to make it the plan you mean.", icon=":material/fact_check:")
    ui.stop(values)
if actuals.empty:
    st.caption("No actual months uploaded yet: upload tickets, customers or monthly KPIs on Your data to score.")
downloads.table(st, shown.ledger(records, filed, actuals, today), "prediction ledger", hide_index=True,
                width="stretch")

ids = [r.id for r in records]
wanted = st.session_state.get("predict_open")
pick = st.selectbox("Prediction", ids, index=ids.index(wanted) if wanted in ids else 0, key="predict_pick",
                    format_func=lambda i: shown.picker_label(records[ids.index(i)]))
record, prediction = records[ids.index(pick)], filed[ids.index(pick)]
st.caption(f"Filed by {components.plain(record.author)} on {record.filed_at:%d %b %Y %H:%M} UTC for "
           f"{components.plain(prediction.company)}, model version {prediction.model_version}; it covers "
           f"{prediction.first_month:%b %Y} to {prediction.last_month:%b %Y}."
           + (f" Withdrawn by {components.plain(record.withdrawn_by or '')} on {record.withdrawn_at:%d %b %Y}."
              if record.withdrawn else ""))

scored = scores(prediction, actuals) if len(actuals) else pd.DataFrame()
if scored.empty:
    st.info(shown.verdict_sentence(verdict(scored)), icon=":material/hourglass_empty:")
else:
    st.info(shown.verdict_sentence(verdict(scored)), icon=":material/fact_check:")
    pooled = by_metric(scored, prediction.scales)
    st.caption(shown.coverage_sentence(pooled))
    downloads.table(st, shown.score_table(pooled, cur), f"scores of {record.name}", export=pooled, hide_index=True,
                    width="stretch")
    with st.expander("How the scores are made", icon=":material/functions:"):
        st.markdown(shown.SCORES_EXPLAINED)
    hints = shown.suggestions(pooled, cur, prediction.noise)
    if hints:
        st.markdown("**What the months suggest recalibrating**")
        st.markdown("\n".join(f"- {components.plain(h)}" for h in hints))
        if unapplied:
            plural = "s" if len(unapplied) > 1 else ""
            st.button(f"Apply the Calibrate page's {len(unapplied)} fit{plural} of your data in one step",
                      icon=":material/tune:", on_click=predictions.apply_offered,
                      args=(base.company, base.finance.currency),
                      help="Every fit the Calibrate page offers that raises no doubt there: "
                           + ", ".join(f.label for f in unapplied) + ". Switch any off again on the Calibrate page.")
        else:
            doubted = f" but those left off for doubts ({', '.join(left_out)})" if left_out else ""
            st.caption(f"Every fit your uploads allow is already applied{doubted}. What is left lies in the case as "
                       "typed (Your company) or in what the uploads cannot measure; file the case again, naming this "
                       "prediction as the one it replaces, once it is changed.")

left, right = st.columns(2)
for i, metric in enumerate(prediction.metrics):
    rows = shown.chart_rows(prediction, metric, actuals)
    components.spec_chart(left if i % 2 == 0 else right, shown.prediction_chart(rows, prediction, metric, cur), rows,
                          cur)

stem = file_stem(record.name.lower(), limit=60, empty="prediction")
files = st.columns(3)
files[0].download_button("Prediction as CSV (one row per quantile)", functools.partial(csv_bytes, prediction.rows),
                         f"prediction-{stem}.csv", "text/csv", icon=":material/download:", on_click="ignore",
                         key="predict_rows_csv")
if len(scored):
    files[1].download_button("Scores per metric and month (CSV)", functools.partial(csv_bytes, scored),
                             f"scores-{stem}.csv", "text/csv", icon=":material/download:", on_click="ignore",
                             key="predict_scores_csv")
if not record.withdrawn:
    with files[2].popover("Withdraw this prediction", icon=":material/block:"):
        st.caption("It stays in the ledger, marked withdrawn with your name and the date; nothing is deleted.")
        st.text_input("Your name", value=store.author(), max_chars=200, key="withdraw_author",
                      **store.signed_by_login())
        st.button("Withdraw", on_click=predictions.withdraw, args=(record.id,), key="withdraw_confirm")

ui.finish(values)
