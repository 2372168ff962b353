"""How the numbers are made: the causal chain, its formulas, the inputs and their sources."""

import pandas as pd
import streamlit as st

import ui
from model import ASSUMPTION_INFO, EXAMPLES, SOURCES
from ui import cache, components, data, downloads, store
from view import format as fmt
from view import ai_agent as ai_view
from view.controls import LEVER_SOURCES, lever_parameters, scenario_of

values = ui.frame("Model and sources", ":material/menu_book:")
scenario = data.calibrated(scenario_of(values, book=store.book()))
company = scenario.company
projection = cache.projection(scenario)
cal = projection.calibration
cur = projection.currency

st.title("How the numbers are made")
st.markdown("""
Each month runs the same chain for the baseline (no lever) and the scenario:

1. **Demand.** Tickets = customers x issues per customer x (1 - share deflected) x (2 - first-contact
   resolution): every unresolved issue comes back once. Tickets are split by channel and customer region
   and spread over a UTC week from each region's local business-day curve.
2. **Supply.** Agents on duty in each half hour of the UTC week follow from each site's local hours, days,
   headcount and shrinkage (a site open longer than a 40-hour week spreads its agents).
3. **Response.** Chat and phone are served first; e-mail gets the capacity left. Chat and phone are a
   first-in first-out fluid backlog on the week (cumulative arrivals against cumulative capacity), plus
   the Erlang C wait where the queue is empty. E-mail is the same backlog with its randomness: the
   work waiting moves as a random walk around the fluid path (16 fixed paths), so a day or week that
   nearly fills its capacity leaves leftovers, as real queues do; at a steady load its mean wait is
   Erlang C's. E-mail first response includes the agent's first touch. The week model runs once per
   staffing state (e.g. without and with a new centre; a ramping lever mixes the two by its share of
   full effect) on a grid of work levels 6 % apart, and each month reads its figures off that grid.
4. **Experience.** CSAT of each ticket falls with its first-response time on a logistic curve in
   log(time), shifted so that today's CSAT is reproduced, plus about one point per point of first-contact
   resolution; a ticket left unanswered for about a week counts as a failed contact. Customers whose
   issue a self-service tool resolves are taken to be as satisfied as today's average ticket.
   Customers are classed by their last remembered support experience: none, satisfied, dissatisfied.
   An experience is remembered for about a year on average (it fades geometrically), because the
   renewal-risk figures behind the class multipliers compare customers over a subscription year.
5. **Behaviour.** Each class has its own churn, expansion and referral rate (relative multipliers);
   base rates are solved so that the baseline reproduces today's churn, expansion, referrals and NPS
   with today's classes in steady state.
6. **AI agent.** Of the issues self-service leaves, the agent takes part in a share per channel, and its vendor
   counts a share of those resolved; resolutions that come back within days and unresolved attempts reach a
   person (hand-offs), and some of its conversations would never have been tickets (they cost fees, remove no
   work). What leaves for good is involvement x resolution x (1 - returns). The agent resolves the easy tickets
   first (the first at 0.4 of an average handle time), so those it hands off take longer. Its CSAT and the
   worse experience of a failed attempt feed the experience classes, and the CSAT shown is over every contact. Freed hours become agents at productive hours and 85 % occupancy,
   and count as money only through the headcount policy: hires not made, leavers not replaced, people moved
   (cost kept) or released (severance); the rest shortens waits. Fees follow the vendor's pricing model.
7. **Money.** Revenue gains from retention, expansion and referrals count at gross margin; costs are
   staff, tools, set-up and training. NPV discounts monthly at the annual rate (month 0 undiscounted);
   ROI = (PV benefits - PV costs) / PV costs; payback is the first month from which the cumulative cash
   flow stays at or above zero.
8. **Uncertainty.** Each uncertain assumption is a 90 % interval of a multiplier on the value entered
   (log-normal). Draws are Latin hypercube samples with a fixed seed; baseline and scenario run on the
   same draws, so a lever with no effect gives exactly zero in every draw. The point view (every
   multiplier 1) is the case as entered; the tornado moves one assumption to its P10 or P90 with the
   others at their medians. The risk-adjusted view cuts each benefit line and raises each cost line of
   the point view (Forrester TEI practice).
""")

st.subheader(f"Inputs of {components.plain(company.name)}")
rows = [
    ("Customers today", fmt.number(company.customers, cur), "entered"),
    ("New customers per month (acquisition)", fmt.number(company.new_customers_per_month, cur), "entered"),
    ("ARPU per month", fmt.money(company.arpu_per_month, cur, compact=False), "entered"),
    ("Gross margin", fmt.percent(company.gross_margin_pct, cur, 0), SOURCES["margin"]),
    ("Churn per month today", fmt.percent(company.churn_monthly_pct, cur, 2), SOURCES["churn"]),
    ("Expansion per month today", fmt.percent(company.expansion_monthly_pct, cur, 2), SOURCES["expansion"]),
    ("Referred customers per customer-month", fmt.percent(company.referral_rate_per_month, cur, 2),
     SOURCES["referral_classes"]),
    ("NPS today", f"{company.nps_today:g}", "entered"),
    ("CSAT today", fmt.percent(company.csat_today_pct, cur, 0), "entered"),
    ("Tickets per customer-month", f"{company.contact_rate_per_customer_month:.3g}", SOURCES["contact_rate"]),
    ("First-contact resolution today", fmt.percent(company.first_contact_resolution_pct, cur, 0), "entered"),
]
for ch in company.channels:
    curve = ch.csat_curve
    rows.append((f"{ch.name}: share, handle time, concurrency",
                 f"{ch.share_pct:.0%}, {ch.handle_time_min:g} min, {ch.concurrency:g}",
                 SOURCES["handle_time"] + (" " + SOURCES["concurrency"] if ch.concurrency > 1 else "")))
    rows.append((f"{ch.name}: CSAT curve (floor, ceiling, half-point, slope)",
                 f"{curve.floor_pct:.0%}, {curve.ceiling_pct:.0%}, {fmt.duration_h(curve.half_h)}, {curve.slope:g}",
                 SOURCES["csat_curve"]))
for r in company.regions:
    rows.append((f"Region {r.name}", f"{r.share_pct:.0%} of customers, UTC{r.utc_offset_h:+g}", "entered"))
for s in company.sites:
    rows.append((f"Site {s.name}", f"{s.headcount:g} agents, UTC{s.utc_offset_h:+g}, {s.open_h:g}-{s.close_h:g} "
                 f"on {len(s.open_days)} days, shrinkage {s.shrinkage_pct:.0%}, "
                 f"{fmt.money(s.loaded_cost_per_agent_month, cur, compact=False)} per agent-month",
                 SOURCES["shrinkage_pct"] + " " + SOURCES["loaded_cost_per_agent_month"]))
k = company.classes
rows += [
    ("Churn multiplier satisfied / dissatisfied", f"{k.churn_mult_satisfied:g} / {k.churn_mult_dissatisfied:g}",
     SOURCES["churn_classes"]),
    ("Expansion multiplier satisfied / dissatisfied",
     f"{k.expansion_mult_satisfied:g} / {k.expansion_mult_dissatisfied:g}", SOURCES["expansion_classes"]),
    ("Referral multiplier satisfied / dissatisfied",
     f"{k.referral_mult_satisfied:g} / {k.referral_mult_dissatisfied:g}", SOURCES["referral_classes"]),
    ("NPS offset satisfied / dissatisfied", f"{k.nps_offset_satisfied:+g} / {k.nps_offset_dissatisfied:+g}",
     SOURCES["nps_classes"]),
    ("Months an experience is remembered (mean)", f"{k.memory_months:g}", SOURCES["memory"]),
]
downloads.table(st, pd.DataFrame(rows, columns=["Input", "Value", "Source"]), "model inputs and sources",
                hide_index=True, width="stretch", height=min(36 * (len(rows) + 1) + 2, 900),
                column_config={"Source": st.column_config.TextColumn(width="large")})

st.caption("Source tags: [P] primary or official source; [S] secondary exports of a primary; [V] vendor "
           "figure, used only as an optimistic tail; [D] a modelling choice derived from the evidence.")

st.subheader("Uncertain assumptions")
downloads.table(st, pd.DataFrame([(ASSUMPTION_INFO[name][0], ASSUMPTION_INFO[name][1], f"{r.low:g} to {r.high:g}",
                                   ASSUMPTION_INFO[name][2]) for name, r in scenario.assumptions.items()],
                                 columns=["Assumption", "Multiplies", "90 % interval", "Source"]),
                "uncertain assumptions", hide_index=True, width="stretch",
                column_config={"Source": st.column_config.TextColumn(width="large")})

st.subheader("The AI agent's defaults")
downloads.table(st, ai_view.defaults_table(), "ai agent defaults", hide_index=True, width="stretch",
                column_config={"What it is, and the source of the default": st.column_config.TextColumn(width="large")})
st.caption("[V] marks a vendor's own figure (a list price, a claimed resolution rate): vendors' rates are taken as "
           "the optimistic end of the range, not its median. The formulas and a worked pricing example to the cent "
           "are in docs/ai_agent.md.")

st.subheader("Levers in the current scenario")
lever_rows = [(lever, name.replace("_", " "), value, LEVER_SOURCES.get(name, ""))
              for lever, fields in lever_parameters(scenario.levers) for name, value in fields.items()]
if lever_rows:
    downloads.table(st, pd.DataFrame(lever_rows, columns=["Lever", "Parameter", "Value", "Source"]), "levers",
                    hide_index=True, width="stretch", column_config={"Source": st.column_config.TextColumn(width="large")})
else:
    st.caption("No lever is pulled: the scenario equals the baseline.")

st.subheader("Solved so the baseline reproduces today")
downloads.table(st, pd.DataFrame([
    ("CSAT shift on the logit scale", f"{cal.csat_logit_shift:+.3f}"),
    ("Churn of customers with no contact, per month", fmt.percent(cal.churn_base_pct, cur, 3)),
    ("Expansion of customers with no contact, per month", fmt.percent(cal.expansion_base_pct, cur, 3)),
    ("Referrals per no-contact customer-month", fmt.percent(cal.referral_base_rate, cur, 3)),
    ("NPS of customers with no contact", f"{cal.nps_no_contact:.1f}"),
], columns=["Quantity", "Value"]), "baseline calibration", hide_index=True, width="stretch")
st.caption(f"Examples available: {', '.join(c().name for c in EXAMPLES.values())}.")

ui.finish(values)
