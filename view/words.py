"""The case in words, shared by the pages and the exports (no st.*): horizon, payback, the one sentence."""

from __future__ import annotations

import math
from typing import Any

from model import BENEFIT_LINES, Company, Projection, Site
from view import format as fmt
from view.company_form import days_text
from view.controls import EXAMPLE_BOOK, Book, describe_levers

KPI_MONTH = 11   # the 12th month: after a year, when most ramps are complete


def horizon_text(months: int) -> str:
    return f"{months // 12} years" if months % 12 == 0 else f"{months} months"


def payback_phrase(p: Projection) -> str:
    """How the undiscounted cumulative cash behaves, in words."""
    month = p.summary.payback_month
    if month == 0:
        return "cash-positive from month 0"
    if month is not None:
        return f"pays back in month {month} (undiscounted)"
    final = float(p.cash["cumulative_cash"].iloc[-1])
    return (f"does not pay back: the undiscounted cumulative cash is {fmt.money(final, p.currency)} "
            f"at month {p.summary.horizon_months - 1}")


def case_sentence(values: dict[str, Any], p: Projection, book: Book = EXAMPLE_BOOK) -> str:
    """The case in one sentence, led by the NPV the key figures show, each NPV named for what it is.

    With draws the median of the draws leads ("... is worth an NPV of X over 3 years, the median of 1,000
    draws ..."), then the point view ("With every assumption as entered it costs ... NPV ..."); without
    draws the point view alone, named so.
    """
    cur = p.currency
    what = describe_levers(values, book)
    if not what:
        return "No lever is pulled yet: the scenario equals the baseline."
    s = p.summary
    roi = fmt.percent(s.roi_pct, cur, 0) if s.roi_pct is not None else "n/a (nothing spent or lost)"
    lost = -sum(min(p.pv_by_line[line], 0.0) for line in BENEFIT_LINES)
    of_which = f" (of which {fmt.money(lost, cur)} is margin lost with customers)" if lost >= 0.005 * s.pv_costs > 0 \
        else ""
    point = (f"costs {fmt.money(s.pv_costs, cur)}{of_which} and returns {fmt.money(s.pv_benefits, cur)} over "
             f"{horizon_text(s.horizon_months)} (present values, revenue at margin): NPV {fmt.money(s.npv, cur)}, "
             f"ROI {roi}, {payback_phrase(p)}")
    if p.uncertainty is None:
        return f"With every assumption as entered, {what[0].lower() + what[1:]} {point}."
    u = p.uncertainty
    lo, mid, hi = u.quantiles("npv")
    roi_mid = u.quantiles("roi_pct")[1]
    payback = (f"payback in month {int(u.payback_p50)}" if math.isfinite(u.payback_p50)
               else "no payback within the horizon")
    return (f"{what} is worth an NPV of {fmt.money(mid, cur)} over {horizon_text(s.horizon_months)}, the median of "
            f"{fmt.number(u.draws, cur)} draws of the uncertain assumptions ({fmt.money(lo, cur)} to "
            f"{fmt.money(hi, cur)} from P10 to P90, a loss in {share_of_draws(u.prob_loss, cur)} of them): ROI "
            f"{fmt.percent(roi_mid, cur, 0) if math.isfinite(roi_mid) else 'n/a'} and {payback} at the median. "
            f"With every assumption as entered it {point}.")


def share_of_draws(share: float, currency: str) -> str:
    """A share of draws in whole percent, never rounded to an absolute: 995 of 1,000 is "over 99 %", not 100 %."""
    if 0.0 < share < 0.005:
        return "under 1 %"
    if 0.995 <= share < 1.0:
        return "over 99 %"
    return fmt.percent(share, currency, 0)


def site_line(site: Site, days: bool = True) -> str:
    """``8 agents in Warsaw (UTC+1, 8-16 Mon-Fri)``; ``days=False`` says ``local`` instead of the days."""
    when = days_text(site.open_days) if days else "local"
    first = f", serves {' and '.join(site.serves)} first" if site.serves else ""
    return (f"{site.headcount:g} agents in {site.name} (UTC{site.utc_offset_h:+g}, {site.open_h:g}-{site.close_h:g} "
            f"{when}{first})")


def company_inputs(company: Company, currency: str) -> str:
    """What the case stands on, in one line: customers, ARPU, margin, churn, sites with headcount and hours,
    and where the customers are (``2,500 customers at 1,200 zł a month, ...``)."""
    sites = "; ".join(site_line(s) for s in company.sites)
    regions = ", ".join(f"{fmt.percent(r.share_pct, currency, 0)} {r.name}" for r in company.regions)
    return (f"{fmt.number(company.customers, currency)} customers at "
            f"{fmt.money(company.arpu_per_month, currency, compact=False)} a month, gross margin "
            f"{fmt.percent(company.gross_margin_pct, currency, 0)}, churn "
            f"{fmt.percent(company.churn_monthly_pct, currency)} a month; {sites}; customers {regions}.")


ACTUAL_NAMES = {"tickets": "tickets", "frt_h": "first response (all channels)", "csat_pct": "CSAT", "nps": "NPS",
                "churn_pct": "churn", "customers": "customers", "revenue": "revenue"}


def actual_name(series: str) -> str:
    """A band series' name in a sentence: ``frt_email_h`` is "first response (email)"."""
    if series.startswith("frt_") and series != "frt_h":
        return f"first response ({series.removeprefix('frt_').removesuffix('_h')})"
    return ACTUAL_NAMES.get(series, series)


def actuals_caption(series: Any, month0: Any, first: Any) -> str:
    """What the black dots are: the months shown, which series they are for, and any series that ends before the
    last actual month (a gap before the plan's month 0, named with its length).

    ``series``: rows ``series`` and ``calendar_month`` of the actual months shown; ``month0`` the plan's month 0
    (the month after the last actual); ``first`` the first month shown.
    """
    last = series["calendar_month"].max()
    names = [actual_name(s) for s in dict.fromkeys(series["series"])]
    ends = series.groupby("series", sort=False)["calendar_month"].max()
    gaps = [f"{actual_name(s)} ends in {end:%b %Y}, {(last.year - end.year) * 12 + last.month - end.month} "
            f"month{'s' if (last.year - end.year) * 12 + last.month - end.month > 1 else ''} before the last"
            for s, end in ends.items() if end < last]
    text = (f"Black dots: your actual months from the uploads, {first:%b %Y} to {last:%b %Y}, for "
            f"{', '.join(names)}; month 0 of the plan is {month0:%b %Y}, the month after the last.")
    if gaps:
        joined = "; ".join(gaps)
        text += " " + joined[0].upper() + joined[1:] + "."
    return text


LEVEL_GAP = 0.25        # a last actual month a quarter above or below the model's month 0 is named


def level_gaps(actuals: Any, u: Any, channel_shares: dict[str, float], currency: str) -> str:
    """The series whose last actual month (month -1) is far from where the model's baseline starts (month 0),
    named with both figures and what sets the model's start. Empty when every series starts near its actuals.

    ``actuals``: rows ``series``, ``month`` (plan axis), ``value``; ``u``: the projection's uncertainty;
    ``channel_shares``: each channel's share of tickets, for first response over all channels."""
    if actuals is None or u is None or not len(actuals):
        return ""
    last = actuals[actuals["month"] == -1]
    notes = []
    for series, value in zip(last["series"], last["value"], strict=True):
        try:
            band = u.band(series, "baseline", channel_shares)
        except KeyError:
            continue
        start = float(band["p50"].iloc[0])
        if not (start > 0 and value > 0) or 1 - LEVEL_GAP <= value / start <= 1 + LEVEL_GAP:
            continue
        figure = (fmt.percent if series in ("csat_pct", "churn_pct") else
                  (lambda x, c: fmt.number(x, c, 1) + " h") if series.startswith("frt_") else
                  (lambda x, c: fmt.number(x, c, 0)))
        source = ("the sites, hours and headcount on Your company" if series.startswith("frt_")
                  else "today's company figures (the Calibrate page's company fit)")
        notes.append(f"{actual_name(series)} was {figure(value, currency)} in your last month and the model starts at "
                     f"{figure(start, currency)}: {source} set that start")
    return ("Far from your last month: " + "; ".join(notes) + ".") if notes else ""


def monthly_sources(kpi_file: str | None, kpis: Any, shown: list[tuple[str, str]]) -> str | None:
    """Which monthly lines the KPI table draws and which the tickets and customers do, or None when it draws none.

    The KPI table wins for every series it fills, so a ticket export's own months are not what "Tickets per month"
    shows then. ``kpis``: the typed KPI table (None without one); ``shown``: (column, title) of each line drawn."""
    given = set() if kpis is None else {c for c in kpis.columns if kpis[c].notna().any()}
    from_kpis = [title for column, title in shown if column in given]
    if not from_kpis:
        return None
    counted = [title for column, title in shown if column not in given]
    said = f"From your monthly KPI table ({kpi_file}), which wins for every series it fills: {', '.join(from_kpis)}."
    if counted:
        said += f" Counted from your tickets and customers: {', '.join(counted)}."
    return said + " Remove the KPI table's column, or leave it out under Columns, to draw the counted series instead."


def foreign_amounts(file_name: str, header: str, marks: tuple[str, ...], currency: str, column: bool = False) -> str:
    """Why a file's amounts do not count in the case's currency: they carry another currency's marks (or the file's
    currency column names another), and were read as plain numbers (1 zł counted as 1 USD). ``column``: ``header`` is
    the currency column, not the amounts'."""
    written = " and ".join(f"'{m}'" for m in marks)
    said = (f"its '{header}' column says the amounts are in {written}" if column
            else f"the amounts in '{header}' are written with {written}")
    return (f"{file_name}: {said}, but this case counts in {currency}. They were read as plain numbers, so each is "
            f"counted as one {currency}, and every figure made from them is off by the exchange rate. Convert the "
            f"file's amounts to {currency}, or open a company that counts in the file's currency.")


def staff_cost_source(company: Company, currency: str) -> str:
    """Where a support cost taken from the company's sites comes from, site by site."""
    sites = "; ".join(f"{fmt.number(site.headcount, currency, 1 if site.headcount % 1 else 0)} agents x "
                      f"{fmt.money(site.loaded_cost_per_agent_month, currency, compact=False)} in {site.name}"
                      for site in company.sites)
    return (f"Starts from the sites of {company.name}: {sites}. Put in what support really costs (tools and overheads "
            "too) for your own cost per contact.")
