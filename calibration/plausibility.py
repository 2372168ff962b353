"""What a fit says that is hard to believe: values outside plausible bounds, and tables from different periods.

A fit is computed from whatever was uploaded; a purchase log from 1997 beside tickets from 2016 still
gives numbers (churn 0 %, a third of the customers new every month). :func:`doubts` names each such
finding for the page, which then asks for an explicit confirmation before the fit is applied. The
bounds are wide on purpose: they catch data that cannot describe one company today, not unusual
companies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from calibration.fit import Fit
from model import Company

MONTHS_APART = 6            # tables whose periods lie further apart than this do not describe the same months


@dataclass(frozen=True)
class Period:
    """The span of dates a table covers (UTC)."""

    table: str
    start: pd.Timestamp
    end: pd.Timestamp

    def text(self) -> str:
        same = (self.start.year, self.start.month) == (self.end.year, self.end.month)
        return f"{self.table} of {self.start:%b %Y}" if same else f"{self.table} {self.start:%b %Y} to {self.end:%b %Y}"


# Company figure -> (low, high, how to say it). A value outside is not a company's "today".
COMPANY_BOUNDS: dict[str, tuple[float, float, str]] = {
    "churn_monthly_pct": (0.0005, 0.25, "monthly churn"),
    "csat_today_pct": (0.2, 0.995, "CSAT"),
    "contact_rate_per_customer_month": (0.001, 20.0, "contacts per customer a month"),
    "nps_today": (-90.0, 95.0, "NPS"),
}
MAX_NEW_SHARE = 0.25        # new customers a month above a quarter of all customers
MAX_RATIO = 10.0            # customers or ARPU ten times larger or smaller than the company as entered


def periods(tickets: pd.DataFrame | None, customers: pd.DataFrame | None,
            kpis: pd.DataFrame | None) -> list[Period]:
    """The dates each uploaded table covers: tickets by creation, customers from first start to last end or start
    (or last purchase, for a purchase log), KPIs by month."""
    found = []
    for table, frame, columns in (("tickets", tickets, ("created",)),
                                  ("customers", customers, ("start", "end", "last_purchase")),
                                  ("monthly KPIs", kpis, ("month",))):
        if frame is None or not len(frame):
            continue
        stamps = pd.concat([pd.to_datetime(frame[c], utc=True, errors="coerce") for c in columns if c in frame])
        stamps = stamps.dropna()
        if len(stamps):
            end = stamps.max()
            if table == "monthly KPIs":           # a month's row covers the month, to its last day
                end = end + pd.offsets.MonthBegin(1) - pd.Timedelta(microseconds=1)
            found.append(Period(table, stamps.min(), end))
    return found


def period_doubts(found: list[Period]) -> list[str]:
    """Pairs of tables whose periods are more than :data:`MONTHS_APART` months apart."""
    out = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            gap = max(a.start, b.start) - min(a.end, b.end)
            if gap > pd.Timedelta(days=30.44 * MONTHS_APART):
                out.append(f"The {a.text()} and the {b.text()} are {gap.days / 365.25:.1f} years apart: they do not "
                           "describe the same months, so figures that combine them (churn, new customers, contacts "
                           "per customer) are not your company's today.")
    return out


def non_overlapping(found: list[Period]) -> list[str]:
    """Pairs of tables that share not a single day: a finding of the data itself, named where the files are read."""
    out = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            gap = max(a.start, b.start) - min(a.end, b.end)
            if gap > pd.Timedelta(0):
                said = f"{gap.days / 365.25:.1f} years" if gap.days >= 365 else f"{gap.days} days"
                out.append(f"The {a.text()} and the {b.text()} do not overlap ({said} apart): a figure that combines "
                           "them (churn beside tickets, contacts per customer) compares different months. Upload "
                           "tables that cover the same period, or read each on its own.")
    return out


def doubts(fit: Fit, company: Company, found: list[Period]) -> list[str]:
    """Everything hard to believe about ``fit`` as a description of ``company`` today (empty: nothing found)."""
    out: list[str] = []
    if fit.kind == "company":
        values = dict(fit.values)
        for name, (low, high, said) in COMPANY_BOUNDS.items():
            value = values.get(name)
            if value is not None and math.isfinite(value) and not low <= value <= high:
                out.append(f"A {said} of {_said(name, value, '.2g')} is outside what a company sees "
                           f"({_said(name, low)} to {_said(name, high)}).")
        customers, new = values.get("customers"), values.get("new_customers_per_month")
        if customers and new is not None and new > MAX_NEW_SHARE * customers:
            out.append(f"{new:,.0f} new customers a month for {customers:,.0f} customers would renew the whole base "
                       f"every {customers / new:.1f} months.")
        for name, said, form in (("customers", "customers", ",.0f"), ("arpu_per_month", "revenue per customer", ",.2f")):
            value, entered = values.get(name), getattr(company, name)
            if value and entered and not 1 / MAX_RATIO <= value / entered <= MAX_RATIO:
                out.append(f"The data's {said} ({value:{form}}) is {max(value / entered, entered / value):.0f} times "
                           f"{'more' if value > entered else 'less'} than the company's ({entered:{form}}): another "
                           "company, another currency or a partial export?")
        out += period_doubts(found)
    elif fit.kind == "classes":
        out += class_doubts(dict(fit.values), found)
    elif fit.kind == "handle_time":
        minutes = next((v for n, v in fit.values if n.endswith("_min")), None)
        if minutes is not None and not 0.2 <= minutes <= 240:
            out.append(f"A handle time of {minutes:.3g} minutes per contact is outside 0.2 to 240 minutes.")
    return out


def class_doubts(values: dict[str, float], found: list[Period]) -> list[str]:
    """Churn by last support experience that runs against the articles: customers left dissatisfied churning less
    than those without a rated contact, or less than satisfied ones. The usual cause is tables of different months:
    customers who left before the ticket export begins have no rated contact, so every early churn counts as one
    without, and the rated customers are the ones who stayed."""
    out: list[str] = []
    worse, better = values.get("churn_mult_dissatisfied"), values.get("churn_mult_satisfied")
    if worse is not None and worse < 1.0:
        out.append(f"Customers whose last contact left them dissatisfied churn {worse:.2f}x as often as those without "
                   "a rated contact: less, where the source articles find about twice as often.")
    elif worse is not None and better is not None and worse < better:
        out.append(f"Dissatisfied customers churn less than satisfied ones ({worse:.2f}x against {better:.2f}x the "
                   "churn of those without a rated contact).")
    spans = {p.table: p for p in found}
    tickets, customers = spans.get("tickets"), spans.get("customers")
    if out and tickets is not None and customers is not None and \
            tickets.start - customers.start > pd.Timedelta(days=30.44 * MONTHS_APART):
        out.append(f"The customers begin in {customers.start:%b %Y} and the tickets in {tickets.start:%b %Y}: customers "
                   "who left before the tickets begin have no rated contact and count as churns without one. Upload "
                   "tickets of the customers' whole period, or customers of the tickets' months.")
    return out


def _said(name: str, value: float, form: str = "g") -> str:
    """A company figure as the messages write it: NPS and contacts as numbers, shares as percents."""
    plain = name == "nps_today" or name.startswith("contact")
    return f"{value:{form}}" if plain else f"{value * 100:{form}} %"
