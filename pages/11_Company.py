"""Your company: the support organisation as it is today, typed in, checked field by field, saved in the workspace."""

import dataclasses

import pandas as pd
import streamlit as st

import ui
from calibration import Fit
from model import CURRENCIES
from ui import companies, components, data, store
from view import calibration as calibration_view
from view import format as fmt
from view import words
from view.company_form import (
    COMPANY_FIELDS,
    TABLES,
    Field,
    days_text,
    fill_from,
    has_amounts,
    with_currency,
    with_sites,
)
from view.controls import choice_of

values = ui.frame("Your company", ":material/apartment:")
book = store.book()
st.title("Your company")
st.caption("Describe your support organisation as it is today: customers and money, where your customers are, "
           "your channels and your support sites. Every value has its unit and, where there is one, the source "
           "of its usual range. The form is kept as you type, even unfinished; saving it makes it the company "
           "every page runs on.")

draft = companies.draft()
editing_id, revision = companies.editing()

with st.container(border=True):
    st.markdown("**Start from**")
    left, middle, right = st.columns(3)
    left.button("A blank form", icon=":material/note_add:", on_click=companies.start_blank,
                args=(draft.currency,), help="Nothing about any other company: only defaults with a published "
                                             "source are filled in.")
    with middle:
        source = st.selectbox("A company", list(book), index=list(book).index(values["company"])
                              if values["company"] in book else 0, key="_company_source",
                              help="An example is copied as a new company; one of yours is opened to change it.")
        st.button("Open" if not book[source].example else "Copy", icon=":material/content_copy:",
                  on_click=companies.start_from, args=(source,), key="_company_open")
    with right:
        if data.any_data():
            measured_on = companies.problems_of(draft)[0] or choice_of(values, book).company
            fit = data.company_fit(measured_on)
            if isinstance(fit, Fit):
                def _fill(fit: Fit, measured_on: object) -> None:
                    filled, labels = fill_from(companies.draft(), dict(fit.values))
                    companies.start(filled, *companies.editing())
                    st.session_state["_company_filled"] = labels
                    st.session_state["_company_doubts"] = data.fit_doubts(fit, measured_on, filled.currency)
                st.button("Fill from your data", icon=":material/upload_file:", on_click=_fill,
                          args=(fit, measured_on),
                          help="Writes the figures your uploads measure into the form. "
                               + calibration_view.fit_note(fit))
            else:
                st.caption(f"Your uploads measure no company figure: {fit.reason}.")
        else:
            st.caption("Upload tickets, customers or monthly KPIs on the Your data page to fill the form from them.")
            st.page_link("pages/5_Data.py", label="Your data", icon=":material/upload_file:")

guesses = data.sites(choice_of(values, book).company) if data.frame("tickets") is not None else []
if guesses:
    with st.expander(f"Sites from your tickets ({len(guesses)})", icon=":material/schedule:"):
        st.caption("When each agent replies, grouped into sites: agents whose replies fall in the same hours on "
                   "the same days work at one site. The time zone is not in the export: it is guessed from an opening "
                   "at 9:00 local (or taken from a site you have with those hours). Confirm or edit each in the "
                   "table below after using them.")
        shown = pd.DataFrame([{"Replies in (UTC)": f"{g.open_utc_h:02d}:00-{g.close_utc_h:02d}:00",
                               "Days": days_text(g.open_days) if g.open_days else "none",
                               "Agents": len(g.agents), "Replying in an open hour (mean)": round(g.on_duty_mean, 1),
                               "Guessed UTC offset (h)": g.utc_offset_h,
                               "Local hours at that offset": f"{g.open_h:g}-{g.close_h:g}",
                               "Agents' names": ", ".join(g.agents[:8]) + (" ..." if len(g.agents) > 8 else ""),
                               "Replies": g.replies} for g in guesses])
        st.dataframe(shown, hide_index=True, width="stretch")

        def _use_sites(found: list) -> None:
            companies.start(with_sites(companies.draft(), found), *companies.editing())
            st.session_state["_company_filled"] = [f"{len(found)} support site{'s' if len(found) > 1 else ''}"]

        st.button("Use these sites in the form", icon=":material/add_business:", on_click=_use_sites, args=(guesses,))

filled = st.session_state.pop("_company_filled", None)
if filled:
    st.info("Filled from your data: " + ", ".join(filled) + ". Check each before saving.", icon=":material/check:")
said_doubts = st.session_state.pop("_company_doubts", None)
if said_doubts:
    st.warning("Hard to believe as your company today; check before saving:\n" + "\n".join(
        f"- {components.plain(d)}" for d in said_doubts), icon=":material/report:")
for note in st.session_state.pop("_company_form_notes", []):
    st.warning(note, icon=":material/warning:")
st.caption(("Changing your saved company" + (f" (revision {revision})" if revision else "")) if editing_id
           else "A new company: saving adds it to the workspace's companies.")


def widget(key: str, initial: object) -> str:
    """A form widget's key, set from the draft when the widget is drawn afresh (its own state is gone)."""
    full = f"company_form_{key}"
    if full not in st.session_state:
        st.session_state[full] = initial
    return full


name_col, currency_col = st.columns([3, 1])
name = name_col.text_input("Company name", key=widget("name", draft.name))
locked = has_amounts(draft)
currency = currency_col.selectbox(
    "Currency of every amount", CURRENCIES, key=widget("currency", draft.currency), disabled=locked,
    help="Amounts are entered in this currency." + (" With amounts typed, change it under 'Change the currency': "
                                                    "they are converted at a rate you give, or keep their numbers "
                                                    "under the new label." if locked else ""))
if locked:
    currency_col.caption("Fixed while amounts are typed: change it under 'Change the currency' at the end of the "
                         "form.")
description = st.text_area("Description (optional)", key=widget("description", draft.description), height=68)


def number(f: Field, column: object) -> float | None:
    unit = fmt.currency_unit(draft.currency) if f.unit == "money a month" else f.unit
    return column.number_input(f"{f.label} ({unit})", value=None, key=widget(f.key, draft.values.get(f.key)),
                               help=f.help, step=None, format="%g")


st.subheader("Customers and money")
cols = st.columns(3)
entered = {f.key: number(f, cols[i % 3]) for i, f in enumerate(COMPANY_FIELDS)}


def column_config(fields: tuple[Field, ...]) -> dict[str, object]:
    config: dict[str, object] = {}
    for f in fields:
        if f.options:
            config[f.key] = st.column_config.SelectboxColumn(f.label, help=f.help, options=list(f.options))
        elif f.flag:
            config[f.key] = st.column_config.CheckboxColumn(f.label, help=f.help, default=True, width="small")
        elif f.text:
            config[f.key] = st.column_config.TextColumn(f.label, help=f.help)
        else:
            unit = fmt.currency_unit(draft.currency)
            label = f.label.replace("Cost per agent-month", f"Cost per agent-month ({unit})")
            config[f.key] = st.column_config.NumberColumn(label, help=f.help, format="%g")
    return config


tables = {}
for table, (title, fields) in TABLES.items():
    st.subheader(title)
    # The currency is in the key: a new currency changes the column titles, and with them the editor's identity.
    key = f"_company_table_{table}_{companies.version()}_{draft.currency}"
    rows = getattr(draft, table)
    if key not in st.session_state or f"{key}_base" not in st.session_state:   # drawn afresh: from the draft
        frame = pd.DataFrame(rows, columns=[f.key for f in fields])
        for f in fields:      # typed columns, so the editor takes numbers even where every cell is still empty
            frame[f.key] = (frame[f.key].astype("string") if f.text else frame[f.key].map(lambda v: v is not False)
                            if f.flag else pd.to_numeric(frame[f.key], errors="coerce"))
        st.session_state[f"{key}_base"] = frame
    base = st.session_state[f"{key}_base"]
    edited = st.data_editor(base, key=key, num_rows="dynamic", hide_index=True, width="stretch",
                            column_config=column_config(fields))
    tables[table] = [{k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()}
                     for row in edited.to_dict("records")]

new = dataclasses.replace(draft, name=name, description=description, currency=currency, values=entered,
                          **tables)
companies.keep(new)
company, problems = companies.problems_of(new)

st.subheader("Check")
if problems:
    st.error(f"{len(problems)} thing{'s' if len(problems) > 1 else ''} to fix before the company can be saved; "
             "everything you typed is kept.", icon=":material/error:")
    st.markdown("\n".join(f"- **{components.plain(p.where)}**: {components.plain(p.message)}" for p in problems))
else:
    st.success(components.plain(f"{company.name}: {words.company_inputs(company, new.currency)}"),
               icon=":material/check_circle:")


def _save() -> None:
    st.session_state["_company_saved"] = companies.save(companies.draft())


st.button("Save company", type="primary", icon=":material/save:", on_click=_save, disabled=bool(problems))
said = st.session_state.pop("_company_saved", None)
if said:
    (st.error if said.startswith("Not saved") else st.success)(components.plain(said))

with st.expander("Change the currency"):
    target = st.selectbox("New currency", [c for c in CURRENCIES if c != new.currency], key="_company_new_currency")
    rate = st.number_input(f"1 {new.currency} is how many {target}?", min_value=0.000001, value=None,
                           format="%g", key="_company_rate")

    def _convert(rate_now: float | None) -> None:
        companies.start(with_currency(companies.draft(), st.session_state["_company_new_currency"], rate_now),
                        *companies.editing())

    convert, relabel = st.columns(2)
    convert.button("Convert every amount at this rate", on_click=_convert, args=(rate,), disabled=rate is None)
    relabel.button("Keep the numbers, change only the label", on_click=_convert, args=(None,))
    st.caption("Amounts are the ARPU and each site's cost per agent-month. Nothing changes until you choose.")

ui.finish(values)
