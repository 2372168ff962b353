"""Calibrate: fit the model to the uploads, one fit at a time, default beside calibrated."""

import streamlit as st

import ui
from calibration import apply_all, parameter_changes
from ui import cache, components, data, downloads, store
from view import calibration as calibration_view
from view import fit_charts
from view import predictions as prediction_words
from view.company_form import CHANNEL_TITLES
from view.controls import scenario_of

values = ui.frame("Calibrate", ":material/model_training:")
base = scenario_of(values, book=store.book())
cur = base.finance.currency

st.title("Calibrate")
st.markdown("Each fit below rests on your uploads: its data, the fitted curve, a quality figure and the rows it "
            "rests on. Switch a fit on to write it into the model; every page then runs on it, and the fitted "
            "parameters' 90 % intervals replace the default uncertainty ranges (never wider than the default).")
off = data.switched_off()
if off:
    st.warning("What these fits rest on changed, so they were switched off: " + components.plain("; ".join(off))
               + ". Switch on the ones you want again below.", icon=":material/sync_problem:")
if data.frame("tickets") is None and data.frame("customers") is None and data.frame("kpis") is None:
    st.info("No data yet: upload tickets, customers or monthly KPIs on the **Data** page.",
            icon=":material/upload_file:")
    st.page_link("pages/5_Data.py", label="Go to Data", icon=":material/upload_file:")
    ui.stop(values)

largest = max(base.company.regions, key=lambda r: r.share_pct)
offset = st.slider("Customers' clock for the arrival profile (UTC offset, hours)", -12.0, 14.0,
                   data.arrival_offset_h(base.company), 0.5, key="calibrate_offset",
                   on_change=lambda: data.offset_changed(st.session_state["calibrate_offset"]),
                   help="The model's arrival profile is a local business day. The default is the offset of the "
                        "time zone chosen on the Data page or, in UTC, of the case's largest customer region "
                        f"({largest.name}).")
with st.spinner("Fitting the model to your data (a history in your database is counted there: a few seconds for "
                "millions of tickets)"):
    fits, reasons = data.fits(offset, base.company)
chosen = data.applied()
st.caption(f"{len(fits)} fits from your data; {len(chosen)} applied to the model.")

INFORMS = {"patience": "Sets the caller patience on the Staffing page."}


def reason_text(reason: str) -> str:
    """``"handle_time:email: too few"`` -> ``"handle time (email): too few"`` (no emoji short codes)."""
    key, _, why = reason.partition(": ")
    kind, _, channel = key.partition(":")
    return f"{kind.replace('_', ' ')}{f' ({channel})' if channel else ''}: {why}"


def toggle(fit) -> None:
    data.set_applied(fit, bool(st.session_state[f"apply_{fit.key}"]))


# The case's point view, once, for the first-response checks (one per channel) that set the model beside the data.
model = cache.projection(data.calibrated(base)) if any(f.kind == "response_distribution" for f in fits) else None
for fit in fits:
    with st.container(border=True):
        left, right = st.columns([1.3, 1], gap="large")
        if fit.kind == "company":
            left.markdown("**What your data say about the company today**")
            shown = fit.data.assign(value=[components.measured_text(n, v, cur) for n, v in
                                           zip(fit.data["figure"], fit.data["value"], strict=True)],
                                    figure=fit.data["figure"].map(calibration_view.figure_label))
            downloads.table(left, shown.rename(columns={"figure": "Figure", "value": "Measured", "rests_on": "Rows",
                                                        "from": "From"}), fit.label, export=fit.data,
                            hide_index=True, width="stretch")
        else:
            components.chart(left, fit_charts.fit_chart(fit), cur)
        with right:
            st.markdown(f"**{components.plain(fit.label)}**")
            st.markdown(components.plain(calibration_view.fit_note(fit)))
            st.caption(f"Rests on {fit.rows:,} rows; {fit.quality_name}: {fit.quality:.3g}.")
            if fit.kind == "response_distribution":
                model_h = calibration_view.baseline_first_response_h(model, fit.channel)
                st.caption(components.plain(calibration_view.queue_check(
                    fit.value("mean_h"), fit.value("median_h"), model_h, CHANNEL_TITLES.get(fit.channel, fit.channel),
                    cur)))
                continue
            if fit.kind in INFORMS:
                st.caption(INFORMS[fit.kind])
                if fit.kind == "patience":
                    patience = min(max(fit.value("patience_min"), 0.5), 15.0)
                    if st.button(f"Use {patience:.1f} min on the Staffing page", key=f"use_{fit.key}"):
                        st.session_state["staff_patience"] = round(patience * 2) / 2
                        st.toast("Staffing page patience set.")
                continue
            doubted = data.fit_doubts(fit, base.company, cur)
            confirmed = True
            if doubted:
                st.warning("Hard to believe as your company today:\n" + "\n".join(
                    f"- {components.plain(d)}" for d in doubted), icon=":material/report:")
                confirmed = st.checkbox("I have checked these findings and want to use this fit anyway",
                                        key=f"confirm_{fit.key}", value=fit.key in chosen)
            st.toggle("Use in the model", value=fit.key in chosen, key=f"apply_{fit.key}",
                      on_change=toggle, args=(fit,), disabled=not confirmed and fit.key not in chosen)
            changes = parameter_changes(base, apply_all(base, [fit]))
            if changes:
                downloads.table(st, calibration_view.changes_table(changes, cur), f"{fit.label} parameters",
                                hide_index=True, width="stretch")
            else:
                st.caption("This fit changes no parameter of the case (e.g. a channel the case does not have).")
            if fit.intervals:
                st.caption(components.plain(calibration_view.intervals_text(fit, cur)))

orphans = [f for key, f in chosen.items() if key not in {x.key for x in fits}]
if orphans:
    st.subheader("Applied from earlier data")
    st.caption("These fits came from a table that has since been replaced or removed; they still shape the model "
               "until switched off.")
    for fit in orphans:
        st.toggle(f"{fit.label} ({fit.rows:,} rows)", value=True, key=f"apply_{fit.key}", on_change=toggle, args=(fit,))

st.subheader("Back-test: would the calibrated model have seen your last months coming?")
st.caption("The last months of your uploads are held out; the model is calibrated on the months before them (today's "
           "company and every fit they allow) and its baseline projected over the held-out months. Its P10-P90 band "
           "should hold about 80 % of them.")
held_out = st.segmented_control("Months held out", [3, 6], default=6, key="backtest_months",
                                format_func=lambda k: f"last {k} months")
result = data.back_test(base.company, int(held_out or 6), offset)
if isinstance(result, str):
    st.info(f"No back-test: {components.plain(result)}.", icon=":material/history:")
else:
    pooled = result.pooled
    st.info(f"{int(pooled.iloc[-1]['inside'])} of {result.metric_months} held-out metric-months "
            f"({result.coverage:.0%}) fell inside the baseline's P10-P90 band, calibrated on the "
            f"{result.training_months} months before them (a correct band holds 80 %). "
            + prediction_words.how_little(result.metric_months, result.metric_months - int(pooled.iloc[-1]["inside"]),
                                          "the model"),
            icon=":material/history:")
    downloads.table(st, prediction_words.score_table(pooled, cur, versus_baseline=False), "back-test scores", export=pooled,
                    hide_index=True, width="stretch")
    st.caption("Calibrated on: " + ", ".join(result.fits) + ". Per metric: bias above 0 means the model was low. "
               "A metric that misses every month points at what the case describes wrongly (a first response far "
               "beyond the model's says the sites, hours or headcount on Your company are not the team's).")

if reasons:
    with st.expander(f"Fits the data do not allow ({len(reasons)})"):
        st.markdown("\n".join(f"- {components.plain(reason_text(r))}" for r in reasons))

ui.finish(values)
