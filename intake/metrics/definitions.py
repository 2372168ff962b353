"""The source articles' support metrics, each computed exactly as the articles define it.

Units live in the names: ``_pct`` is a fraction in [0, 1] (0.064 is 6.4 %), ``_h`` hours,
money is in the caller's currency and NPS is in points from -100 to 100. Count and money
arguments may be scalars, numpy arrays or pandas Series (the result has the same shape);
record arguments (scores, ratings, timestamps) may be any sequence, array or Series.

Impossible versus undefined
---------------------------
``ValueError``, with the reason, for inputs that cannot occur: negative counts, money or
durations; NaN where a count is expected; scores off their scale; shares that do not add up;
a part larger than its whole; a reply before its ticket; and a zero denominator passed as a
count (``contacts=0``), since a rate of nothing is not a number.

``None`` where valid records leave the base empty, so "undefined" is the honest answer: no
rated conversation, no survey answer, no customer at the start of the period, no ticket
replied yet; and ROI without cost, as in ``model.money.finance``. No function returns NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from model import WEEKDAYS, BoolArray, FloatArray

Real: TypeAlias = float | FloatArray | pd.Series
Records: TypeAlias = Sequence[Any] | np.ndarray | pd.Series | pd.Index
SatisfiedRule = Literal["good_bad", "one_to_five", "boolean"]

PROMOTER_MIN = 9
DETRACTOR_MAX = 6
SATISFIED_MIN_ONE_TO_FIVE = 4
REPLIES_PER_TICKET_TARGET = 2.0
REPLIES_PER_TICKET_MAX = 3.0
SHARE_TOLERANCE = 1e-9
_HOUR = pd.Timedelta(hours=1)


# --- validation helpers ---------------------------------------------------------------------

def _numeric(value: Any) -> Any:
    """Lists and tuples become float arrays; numbers, arrays and pandas objects pass through."""
    return np.asarray(value, dtype=np.float64) if isinstance(value, (list, tuple)) else value


def _floats(value: Any, name: str) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    if np.isnan(arr).any():
        raise ValueError(f"{name} must be a number, got NaN")
    return arr


def _require(ok: BoolArray, value: Any, name: str, rule: str) -> None:
    """Raise naming the value (scalar) or how many elements (array) break ``rule``."""
    if ok.all():
        return
    if np.ndim(value) == 0:
        raise ValueError(f"{name} must be {rule}, got {value!r}")
    raise ValueError(f"{name} must be {rule}; {int((~ok).sum())} value(s) are not")


def _check_non_negative(value: Any, name: str) -> None:
    _require(_floats(value, name) >= 0.0, value, name, ">= 0")


def _check_positive(value: Any, name: str) -> None:
    _require(_floats(value, name) > 0.0, value, name, "> 0 (a rate over nothing is undefined)")


def _aligned(a: Any, b: Any) -> tuple[Any, Any]:
    """Two Series must carry the same labels (pandas would align others into NaN); same order."""
    if not (isinstance(a, pd.Series) and isinstance(b, pd.Series)):
        return a, b
    if set(a.index) != set(b.index):
        raise ValueError(f"labels differ: {sorted(map(str, set(a.index) ^ set(b.index)))}")
    return a, b.reindex(a.index)


def _check_part_of_whole(part: Any, whole: Any, part_name: str, whole_name: str) -> None:
    part, whole = _aligned(_numeric(part), _numeric(whole))
    _require(_floats(part, part_name) <= _floats(whole, whole_name), part, part_name,
             f"<= {whole_name} (it is part of it)")


def _scalar_or_same(result: Any) -> Any:
    return float(result) if np.ndim(result) == 0 else result


def _ratio(numerator: Any, denominator: Any, num_name: str, den_name: str) -> Any:
    """``numerator / denominator`` for non-negative numerators and positive denominators."""
    numerator, denominator = _aligned(_numeric(numerator), _numeric(denominator))
    _check_non_negative(numerator, num_name)
    _check_positive(denominator, den_name)
    return _scalar_or_same(numerator / denominator)


def _records(values: Records) -> pd.Series:
    """Records as a positional object Series, so strings, booleans and missing stay distinct.

    A Series or an array is converted by pandas in one call (a Python list of a million tickets cost half a
    second); any other sequence is read item by item."""
    if isinstance(values, pd.Series):
        return values.astype(object).reset_index(drop=True)
    if isinstance(values, np.ndarray):
        return pd.Series(values, dtype=object)
    return pd.Series(list(values), dtype=object)


def _answered_numbers(values: Records, name: str) -> FloatArray:
    """The non-missing answers as floats; missing (None, NaN, NA) means unanswered."""
    s = _records(values)
    answered = s[~s.isna()]
    numbers = pd.to_numeric(answered, errors="coerce")
    bad = int(numbers.isna().sum())
    if bad:
        raise ValueError(f"{name}: {bad} answer(s) are not numbers")
    return numbers.to_numpy(dtype=np.float64)


# --- money ----------------------------------------------------------------------------------

def roi_pct(gain: float, cost: float) -> float | None:
    """Return on investment, (gain - cost) / cost.

    Parameters
    ----------
    gain : float
        Money earned because of the investment (currency); may be negative.
    cost : float
        Money spent on it (currency), >= 0.

    Returns
    -------
    float or None
        ROI as a fraction (0.5 is 50 %); ``None`` when ``cost`` is 0 (undefined, as in
        ``model.money.finance``).

    Examples
    --------
    >>> roi_pct(150.0, 100.0)
    0.5
    """
    _check_non_negative(cost, "cost")
    _floats(gain, "gain")
    return None if cost == 0 else (gain - cost) / cost


def mrr(recurring_charges: Real, billing_period_months: Real = 1.0) -> float:
    """Monthly recurring revenue: every recurring charge brought to one month, summed.

    Parameters
    ----------
    recurring_charges : float or array or Series
        Recurring charge of each subscription per billing period (currency), >= 0.
    billing_period_months : float or array or Series
        Length of each billing period in months (1 monthly, 12 annual), > 0; broadcasts.

    Returns
    -------
    float
        MRR (currency per month). One-off fees do not belong in ``recurring_charges``.
    """
    monthly = _ratio(recurring_charges, billing_period_months, "recurring_charges", "billing_period_months")
    return float(np.sum(monthly))


def expansion_mrr_rate_pct(expansion_mrr: Real, total_mrr: Real) -> Real:
    """Expansion MRR rate: extra monthly revenue from existing customers / total MRR.

    Parameters
    ----------
    expansion_mrr : float or array or Series
        Upsell and cross-sell revenue from existing customers (currency per month), >= 0.
    total_mrr : float or array or Series
        Total MRR (currency per month), > 0; it includes the expansion.

    Returns
    -------
    float or array or Series
        Fraction in [0, 1]; 1000 of 10000 gives 0.1.
    """
    _check_part_of_whole(expansion_mrr, total_mrr, "expansion_mrr", "total_mrr")
    return _ratio(expansion_mrr, total_mrr, "expansion_mrr", "total_mrr")


def clv(avg_purchase_value: Real, purchases_per_month: Real, lifetime_months: Real) -> Real:
    """Customer lifetime value = average purchase value x purchase frequency x lifetime.

    Parameters
    ----------
    avg_purchase_value : float or array or Series
        Average value of one purchase (currency), >= 0.
    purchases_per_month : float or array or Series
        Purchases per customer per month, >= 0.
    lifetime_months : float or array or Series
        Expected customer lifetime in months, >= 0.

    Returns
    -------
    float or array or Series
        CLV (currency per customer); 50 x 3 x 24 gives 3600.
    """
    args = {"avg_purchase_value": avg_purchase_value, "purchases_per_month": purchases_per_month,
            "lifetime_months": lifetime_months}
    for name, value in args.items():
        _check_non_negative(_numeric(value), name)
    return _scalar_or_same(_numeric(avg_purchase_value) * _numeric(purchases_per_month)
                           * _numeric(lifetime_months))


@dataclass(frozen=True)
class RetentionProgrammeCost:
    """Cost of the customer-success programme over one period (currency), by the articles' lines."""

    support_cs_salaries: float
    onboarding_adoption: float = 0.0
    services_training: float = 0.0
    customer_marketing: float = 0.0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            _check_non_negative(value, name)

    @property
    def total(self) -> float:
        return float(sum(vars(self).values()))


def crc_per_customer(programme_cost: RetentionProgrammeCost | Real, customers: Real) -> Real:
    """Customer retention cost = total customer-success programme cost / number of customers.

    Parameters
    ----------
    programme_cost : RetentionProgrammeCost or float or array or Series
        Support and CS salaries, onboarding and adoption programmes, professional services and
        training, customer marketing (currency per period); a number is taken as the total.
    customers : float or array or Series
        Customers served in the same period, > 0.

    Returns
    -------
    float or array or Series
        CRC (currency per customer per period).
    """
    if isinstance(programme_cost, RetentionProgrammeCost):
        programme_cost = programme_cost.total
    return _ratio(programme_cost, customers, "programme_cost", "customers")


def cost_per_contact(support_cost: Real, contacts: Real) -> Real:
    """What answering one contact costs: support cost / contacts.

    Parameters
    ----------
    support_cost : float or array or Series
        Support cost of the period (currency), >= 0. Pass Series indexed by channel (with
        ``contacts`` on the same channels) for the per-channel figure.
    contacts : float or array or Series
        Contacts answered in the same period, > 0.

    Returns
    -------
    float or array or Series
        Cost per contact (currency per contact).
    """
    return _ratio(support_cost, contacts, "support_cost", "contacts")


def cost_per_conversation(cost_per_contact: Real, interactions_per_conversation: Real) -> Real:
    """Cost per conversation = cost per contact x average interactions per conversation.

    Parameters
    ----------
    cost_per_contact : float or array or Series
        Cost of one contact (currency per contact), >= 0.
    interactions_per_conversation : float or array or Series
        Average contacts in one conversation, >= 1 (a conversation has at least one).

    Returns
    -------
    float or array or Series
        Cost per conversation (currency); 8 x 1.5 gives 12.
    """
    cost, interactions = _aligned(_numeric(cost_per_contact), _numeric(interactions_per_conversation))
    _check_non_negative(cost, "cost_per_contact")
    _require(_floats(interactions, "interactions_per_conversation") >= 1.0, interactions,
             "interactions_per_conversation", ">= 1")
    return _scalar_or_same(cost * interactions)


# --- surveys: NPS, CSAT, CES, QCI -------------------------------------------------------------

@dataclass(frozen=True)
class NpsShares:
    """Shares of the answered NPS survey by class, and how many answers they rest on."""

    promoters_pct: float
    passives_pct: float
    detractors_pct: float
    responses: int


def _nps_scores(scores: Records) -> FloatArray:
    answered = _answered_numbers(scores, "NPS scores")
    bad = int((~((answered % 1 == 0) & (answered >= 0) & (answered <= 10))).sum())
    if bad:
        raise ValueError(f"NPS scores: {bad} answer(s) are not whole numbers from 0 to 10")
    return answered


def nps_shares(scores: Records) -> NpsShares | None:
    """Shares of promoters (9-10), passives (7-8) and detractors (0-6) among answered scores.

    Parameters
    ----------
    scores : sequence or array or Series
        Answers on the 0-10 scale; missing values are unanswered and left out.

    Returns
    -------
    NpsShares or None
        Fractions in [0, 1] summing to 1; ``None`` without any answer.
    """
    answered = _nps_scores(scores)
    if answered.size == 0:
        return None
    n = answered.size
    promoters = int((answered >= PROMOTER_MIN).sum())
    detractors = int((answered <= DETRACTOR_MAX).sum())
    return NpsShares(promoters / n, (n - promoters - detractors) / n, detractors / n, n)


def nps_from_scores(scores: Records) -> float | None:
    """Net promoter score from 0-10 answers: % promoters - % detractors.

    Parameters
    ----------
    scores : sequence or array or Series
        Answers on the 0-10 scale; missing values are unanswered and left out.

    Returns
    -------
    float or None
        NPS in points, -100 to 100; ``None`` without any answer.
    """
    answered = _nps_scores(scores)
    if answered.size == 0:
        return None
    # Counts rather than shares, so whole-number results come out exact.
    net = int((answered >= PROMOTER_MIN).sum()) - int((answered <= DETRACTOR_MAX).sum())
    return 100.0 * net / answered.size


def nps_from_shares(promoters_pct: float, detractors_pct: float, passives_pct: float | None = None) -> float:
    """Net promoter score from class shares: 100 x (promoters - detractors).

    Parameters
    ----------
    promoters_pct, detractors_pct : float
        Fractions of respondents scoring 9-10 and 0-6, in [0, 1], together <= 1.
    passives_pct : float, optional
        Fraction scoring 7-8; if given, the three shares must sum to 1.

    Returns
    -------
    float
        NPS in points, -100 to 100; 0.45 promoters and 0.30 detractors give 15.
    """
    shares = {"promoters_pct": promoters_pct, "detractors_pct": detractors_pct}
    if passives_pct is not None:
        shares["passives_pct"] = passives_pct
    for name, value in shares.items():
        _require(np.asarray((0.0 <= value) & (value <= 1.0)), value, name, "a fraction in [0, 1]")
    total = sum(shares.values())
    if total > 1.0 + SHARE_TOLERANCE:
        raise ValueError(f"NPS shares add up to {total}, more than 1")
    if passives_pct is not None and abs(total - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"promoters, passives and detractors must add up to 1, got {total}")
    return 100.0 * (promoters_pct - detractors_pct)


def _good_bad(rated: pd.Series) -> BoolArray:
    words = rated.map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    bad = int((~words.isin(("good", "bad"))).sum())
    if bad:
        raise ValueError(f"CSAT good_bad: {bad} rating(s) are not 'good' or 'bad'")
    return (words == "good").to_numpy(dtype=bool)


def _one_to_five(rated: pd.Series) -> BoolArray:
    numbers = pd.to_numeric(rated, errors="coerce")
    bad = int((~numbers.isin(range(1, 6))).sum())
    if bad:
        raise ValueError(f"CSAT one_to_five: {bad} rating(s) are not whole numbers from 1 to 5")
    return (numbers >= SATISFIED_MIN_ONE_TO_FIVE).to_numpy(dtype=bool)


def _boolean(rated: pd.Series) -> BoolArray:
    bad = int((~rated.map(lambda v: isinstance(v, (bool, np.bool_)))).sum())
    if bad:
        raise ValueError(f"CSAT boolean: {bad} rating(s) are not True or False")
    return rated.to_numpy(dtype=bool)


_SATISFIED = {"good_bad": _good_bad, "one_to_five": _one_to_five, "boolean": _boolean}


def satisfied_flags(rated: Records, rule: SatisfiedRule) -> BoolArray:
    """Whether each rating counts as satisfied under ``rule`` (ratings must all be present).

    ``"good_bad"``: the strings good / bad (any case); ``"one_to_five"``: 4 and 5 of a 1-5
    scale; ``"boolean"``: True.
    """
    if rule not in _SATISFIED:
        raise ValueError(f"unknown CSAT rule {rule!r}; use one of {sorted(_SATISFIED)}")
    return _SATISFIED[rule](_records(rated))


def csat_pct(ratings: Records, rule: SatisfiedRule) -> float | None:
    """Customer satisfaction: share of satisfied ratings among rated conversations.

    Parameters
    ----------
    ratings : sequence or array or Series
        One rating per conversation; missing values (None, NaN, NA) are unrated and left out of
        the base.
    rule : {"good_bad", "one_to_five", "boolean"}
        What counts as satisfied; see :func:`satisfied_flags`.

    Returns
    -------
    float or None
        Fraction in [0, 1]; ``None`` when no conversation is rated.
    """
    s = _records(ratings)
    flags = satisfied_flags(s[~s.isna()], rule)
    return float(flags.mean()) if flags.size else None


def csat_by_agent(conversations: pd.DataFrame, rule: SatisfiedRule, agent_col: str = "agent",
                  rating_col: str = "rating") -> pd.DataFrame:
    """CSAT per agent from one row per conversation.

    Parameters
    ----------
    conversations : DataFrame
        Columns ``agent_col`` (required on every row) and ``rating_col`` (missing = unrated).
    rule : {"good_bad", "one_to_five", "boolean"}
        What counts as satisfied; see :func:`satisfied_flags`.

    Returns
    -------
    DataFrame
        Indexed by agent (sorted), columns ``rated`` and ``satisfied`` (counts) and
        ``csat_pct`` (fraction in [0, 1]). Agents without any rated conversation are left out,
        since their CSAT is undefined.
    """
    missing = {agent_col, rating_col} - set(conversations.columns)
    if missing:
        raise ValueError(f"conversations lack column(s) {sorted(missing)}")
    no_agent = int(conversations[agent_col].isna().sum())
    if no_agent:
        raise ValueError(f"{no_agent} conversation(s) have no agent")
    rated = conversations[conversations[rating_col].notna()]
    flags = pd.Series(satisfied_flags(rated[rating_col], rule), index=rated.index)
    table = flags.groupby(rated[agent_col]).agg(rated="size", satisfied="sum").sort_index()
    table["satisfied"] = table["satisfied"].astype(np.int64)
    table["csat_pct"] = table["satisfied"] / table["rated"]
    return table


def ces(answers: Records, scale: tuple[float, float] = (1.0, 7.0)) -> float | None:
    """Customer effort score: mean of the effort answers.

    Parameters
    ----------
    answers : sequence or array or Series
        Answers to the effort question; missing values are unanswered and left out.
    scale : (float, float)
        Lowest and highest point of the survey scale (default 1-7); answers outside it raise.

    Returns
    -------
    float or None
        Mean answer, in points of ``scale``; ``None`` without any answer.
    """
    low, high = scale
    if not low < high:
        raise ValueError(f"CES scale must go from low to high, got {scale}")
    answered = _answered_numbers(answers, "CES answers")
    outside = int(((answered < low) | (answered > high)).sum())
    if outside:
        raise ValueError(f"CES answers: {outside} answer(s) are outside the scale {low}-{high}")
    return float(answered.mean()) if answered.size else None


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1; each must be >= 0 and at least one > 0."""
    for name, w in weights.items():
        _check_non_negative(w, f"weight of {name!r}")
    total = float(sum(weights.values()))
    if total <= 0.0:
        raise ValueError("QCI weights must not all be zero")
    return {name: w / total for name, w in weights.items()}


def qci(element_scores: Mapping[str, Real], weights: Mapping[str, float]) -> Real:
    """Quality of customer interactions: weighted index of experience elements.

    Parameters
    ----------
    element_scores : mapping of str to float or array or Series
        Score of each element (e.g. speed, accuracy, tone), all on one scale (e.g. 0-100).
    weights : mapping of str to float
        Relative weight of each element, >= 0; normalised to sum to 1. Keys must match.

    Returns
    -------
    float or array or Series
        The index, on the elements' scale.
    """
    if set(element_scores) != set(weights):
        raise ValueError(f"QCI elements and weights differ: {sorted(set(element_scores) ^ set(weights))}")
    w = normalised_weights(weights)
    return _scalar_or_same(sum(w[name] * _numeric(score) for name, score in element_scores.items()))


# --- customers: churn, retention, contact rate ----------------------------------------------

@dataclass(frozen=True)
class ChurnCounts:
    """Churn counts for one period under the articles' rule.

    ``at_start`` is the base (customers who joined before the period and had not left);
    ``lost`` counts everyone who left during the period, including ``lost_joined_in_period``,
    the customers who both joined and left in it.
    """

    at_start: int
    lost: int
    lost_joined_in_period: int


def _period(period_start: Any, period_end: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = pd.Timestamp(period_start), pd.Timestamp(period_end)
    if not start < end:
        raise ValueError(f"period must end after it starts, got [{start}, {end})")
    return start, end


def _customer_dates(customers: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Validated ``start`` and ``end`` columns as datetimes; ``end`` NaT means still active."""
    missing = {"start", "end"} - set(customers.columns)
    if missing:
        raise ValueError(f"customer table lacks column(s) {sorted(missing)}")
    start, end = pd.to_datetime(customers["start"]), pd.to_datetime(customers["end"])
    no_start = int(start.isna().sum())
    if no_start:
        raise ValueError(f"{no_start} customer(s) have no start date")
    backwards = int((end < start).sum())
    if backwards:
        raise ValueError(f"{backwards} customer(s) end before they start")
    return start, end


def _active_at_start(start: pd.Series, end: pd.Series, period_start: pd.Timestamp) -> pd.Series:
    # Joining on the first instant of the period is joining during it, so not in the base;
    # leaving on that instant is leaving during it, so still in the base.
    return (start < period_start) & (end.isna() | (end >= period_start))


def churn_counts(customers: pd.DataFrame, period_start: Any, period_end: Any) -> ChurnCounts:
    """Base and losses of the period [period_start, period_end) from a customer table.

    Parameters
    ----------
    customers : DataFrame
        One row per customer, columns ``start`` and ``end`` (datetimes; ``end`` NaT while
        active).
    period_start, period_end : datetime-like
        The period, start included, end excluded.

    Returns
    -------
    ChurnCounts
        Customers who joined during the period are not in the base, but those of them who left
        during it are counted as lost.
    """
    ps, pe = _period(period_start, period_end)
    start, end = _customer_dates(customers)
    lost = (end >= ps) & (end < pe)
    return ChurnCounts(at_start=int(_active_at_start(start, end, ps).sum()), lost=int(lost.sum()),
                       lost_joined_in_period=int((lost & (start >= ps)).sum()))


def churn_rate_pct(lost: Real, customers_at_start: Real) -> Real:
    """Churn rate = customers lost during the period / customers at its start.

    Parameters
    ----------
    lost : float or array or Series
        Customers who left during the period, including those who joined in it, >= 0.
    customers_at_start : float or array or Series
        Customers at the start of the period (not those who joined during it), > 0.

    Returns
    -------
    float or array or Series
        Fraction; 64 of 1000 gives 0.064. Because leavers who joined during the period count
        as lost but not in the base, it can exceed 1 when many new customers leave at once.
    """
    return _ratio(lost, customers_at_start, "lost", "customers_at_start")


def churn_rate_from_table(customers: pd.DataFrame, period_start: Any, period_end: Any) -> float | None:
    """Churn rate of the period [period_start, period_end) from a customer table.

    See :func:`churn_counts` for the table and the rule. Returns a fraction (can exceed 1, see
    :func:`churn_rate_pct`), or ``None`` when no customer was active at the start of the period.
    """
    counts = churn_counts(customers, period_start, period_end)
    return counts.lost / counts.at_start if counts.at_start else None


def retention_rate_pct(still_active: Real, active_last_month: Real) -> Real:
    """Retention rate = customers active last month who are still active this month / them.

    Parameters
    ----------
    still_active : float or array or Series
        Of the customers active last month, those still active now, >= 0.
    active_last_month : float or array or Series
        Customers active at the end of last month, > 0.

    Returns
    -------
    float or array or Series
        Fraction in [0, 1].
    """
    _check_part_of_whole(still_active, active_last_month, "still_active", "active_last_month")
    return _ratio(still_active, active_last_month, "still_active", "active_last_month")


def retention_rate_from_table(customers: pd.DataFrame, period_start: Any, period_end: Any) -> float | None:
    """Share of the customers active at ``period_start`` who are still active at ``period_end``.

    Same table and base as :func:`churn_counts`; customers who join during the period are not
    counted. Unlike churn, this is always in [0, 1], so it is not ``1 - churn`` when new
    customers leave within the period. ``None`` when nobody was active at ``period_start``.
    """
    ps, pe = _period(period_start, period_end)
    start, end = _customer_dates(customers)
    base = _active_at_start(start, end, ps)
    retained = base & (end.isna() | (end >= pe))
    n_base = int(base.sum())
    return int(retained.sum()) / n_base if n_base else None


def contact_rate_pct(contacting_customers: Real, active_customers: Real) -> Real:
    """Contact rate = share of active customers who contact support in the month.

    Parameters
    ----------
    contacting_customers : float or array or Series
        Distinct active customers who contacted support in the month, >= 0.
    active_customers : float or array or Series
        Active customers in the month, > 0.

    Returns
    -------
    float or array or Series
        Fraction in [0, 1].
    """
    _check_part_of_whole(contacting_customers, active_customers, "contacting_customers",
                         "active_customers")
    return _ratio(contacting_customers, active_customers, "contacting_customers", "active_customers")


def contact_rate_from_tickets(ticket_customer_ids: Records, active_customers: int) -> float:
    """Contact rate from the customer id on each of the month's tickets (repeat contacts count once).

    Returns a fraction in [0, 1]; tickets without a customer id raise.
    """
    ids = _records(ticket_customer_ids)
    unknown = int(ids.isna().sum())
    if unknown:
        raise ValueError(f"{unknown} ticket(s) have no customer id")
    return contact_rate_pct(ids.nunique(), active_customers)


# --- tickets: volume, replies, resolution, times, channels ----------------------------------

def _timestamps(values: Records, name: str) -> pd.DatetimeIndex:
    if isinstance(values, (pd.Series, pd.Index)) and pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = pd.DatetimeIndex(values)  # typed already: no detour through Python objects
    else:
        stamps = pd.DatetimeIndex(pd.to_datetime(_records(values)))
    missing = int(stamps.isna().sum())
    if missing:
        raise ValueError(f"{name}: {missing} timestamp(s) are missing")
    return stamps


def ticket_volume_by_weekday_hour(created: Records) -> pd.DataFrame:
    """Tickets created in each hour of each weekday, on the timestamps' own clock.

    Parameters
    ----------
    created : sequence or array or Series of datetimes
        Creation time of each ticket; convert to the local time zone first to see local peaks.

    Returns
    -------
    DataFrame
        7 x 24 ticket counts, rows ``Mon`` .. ``Sun``, columns hours 0 .. 23.
    """
    stamps = _timestamps(created, "created")
    slot = stamps.day_of_week.to_numpy() * 24 + stamps.hour.to_numpy()
    counts = np.bincount(slot, minlength=7 * 24).reshape(7, 24)
    return pd.DataFrame(counts, index=pd.Index(WEEKDAYS, name="weekday"),
                        columns=pd.RangeIndex(24, name="hour"))


def busiest_weekday_hour(volume: pd.DataFrame) -> tuple[str, int] | None:
    """Weekday and hour of the peak of a :func:`ticket_volume_by_weekday_hour` table.

    The first in week order wins a tie; ``None`` when the table holds no ticket.
    """
    values = volume.to_numpy()
    if values.sum() == 0:
        return None
    row, col = np.unravel_index(int(values.argmax()), values.shape)
    return str(volume.index[row]), int(volume.columns[col])


def ticket_volume_per_period(created: Records, freq: str = "D") -> pd.Series:
    """Tickets created per period, periods without tickets included as 0.

    Parameters
    ----------
    created : sequence or array or Series of datetimes
        Creation time of each ticket.
    freq : str
        pandas period alias: ``"h"`` hour, ``"D"`` day, ``"W-MON"`` week, ``"MS"`` month.

    Returns
    -------
    Series
        Ticket counts indexed by period start, from the first to the last ticket's period
        (empty without tickets).
    """
    stamps = _timestamps(created, "created")
    return pd.Series(1, index=stamps.sort_values()).resample(freq).size().rename("tickets")


def avg_replies_per_ticket(replies_on_resolved: Real, resolved_tickets: Real) -> Real:
    """Average replies per ticket = replies on resolved tickets / resolved tickets.

    Parameters
    ----------
    replies_on_resolved : float or array or Series
        Agent replies sent on the tickets resolved in the period, >= 0.
    resolved_tickets : float or array or Series
        Tickets resolved in the period, > 0.

    Returns
    -------
    float or array or Series
        Replies per resolved ticket; the articles aim below ``REPLIES_PER_TICKET_TARGET`` (2)
        and at most ``REPLIES_PER_TICKET_MAX`` (3).
    """
    return _ratio(replies_on_resolved, resolved_tickets, "replies_on_resolved", "resolved_tickets")


def resolution_rate_pct(resolved_tickets: Real, tickets_received: Real) -> Real:
    """Resolution rate = resolved tickets / tickets received in the same period.

    Parameters
    ----------
    resolved_tickets : float or array or Series
        Tickets resolved in the period, >= 0.
    tickets_received : float or array or Series
        Tickets received in the period, > 0.

    Returns
    -------
    float or array or Series
        Fraction; it can exceed 1 when the period also works off an earlier backlog.
    """
    return _ratio(resolved_tickets, tickets_received, "resolved_tickets", "tickets_received")


def _elapsed_h(begin: Records, finish: Records, event: str) -> FloatArray:
    """Hours from each ``begin`` to its ``finish``; rows without ``finish`` are dropped."""
    begin_ts = _timestamps(begin, "created")
    finish_ts = pd.DatetimeIndex(pd.to_datetime(_records(finish)))
    if len(begin_ts) != len(finish_ts):
        raise ValueError(f"created has {len(begin_ts)} tickets but {event} has {len(finish_ts)}")
    hours = ((finish_ts - begin_ts) / _HOUR).to_numpy(dtype=np.float64)
    early = np.flatnonzero(hours < 0.0)
    if early.size:
        raise ValueError(f"{early.size} ticket row(s) have a {event} before creation "
                         f"(rows {early[:5].tolist()}{' ...' if early.size > 5 else ''})")
    return hours[~np.isnan(hours)]


def first_response_times_h(created: Records, first_reply: Records) -> FloatArray:
    """First response time of each replied ticket: creation to first reply, in hours.

    Parameters
    ----------
    created : sequence or array or Series of datetimes
        Creation time of each ticket (never missing).
    first_reply : sequence or array or Series of datetimes
        Time of each ticket's first reply, same order; missing while unanswered.

    Returns
    -------
    ndarray
        Hours (>= 0) for the tickets with a reply, in input order; unanswered tickets are
        left out. A reply before its ticket's creation raises, naming how many rows.
    """
    return _elapsed_h(created, first_reply, "first reply")


def resolution_times_h(created: Records, resolved: Records) -> FloatArray:
    """Time to resolution of each resolved ticket, in hours; open tickets are left out.

    Same conventions as :func:`first_response_times_h`.
    """
    return _elapsed_h(created, resolved, "resolution")


@dataclass(frozen=True)
class DurationSummary:
    """Mean, median and 90th percentile of per-ticket durations (hours), and how many tickets."""

    mean_h: float
    median_h: float
    p90_h: float
    tickets: int


def duration_summary_h(durations_h: Records) -> DurationSummary | None:
    """Summarise per-ticket durations in hours (p90 by linear interpolation).

    ``None`` without any duration; negative or NaN durations raise.
    """
    hours = _floats(np.asarray(durations_h, dtype=np.float64).ravel(), "durations_h")
    _check_non_negative(hours, "durations_h")
    if hours.size == 0:
        return None
    return DurationSummary(float(hours.mean()), float(np.median(hours)), float(np.percentile(hours, 90)),
                           int(hours.size))


def first_response_summary(created: Records, first_reply: Records) -> DurationSummary | None:
    """Mean, median and p90 first response time (hours); ``None`` when no ticket is replied yet."""
    return duration_summary_h(first_response_times_h(created, first_reply))


def avg_response_time_h(total_response_time_h: Real, responses: Real) -> Real:
    """Average response time = total response time / number of responses.

    Parameters
    ----------
    total_response_time_h : float or array or Series
        Sum of the waits before each response (hours), >= 0.
    responses : float or array or Series
        Responses sent, > 0.

    Returns
    -------
    float or array or Series
        Hours per response.
    """
    return _ratio(total_response_time_h, responses, "total_response_time_h", "responses")


def avg_resolution_time_h(total_resolution_time_h: Real, resolved_tickets: Real) -> Real:
    """Average time to resolution = total resolution time / number of resolved tickets.

    Parameters
    ----------
    total_resolution_time_h : float or array or Series
        Sum over resolved tickets of creation-to-resolution time (hours), >= 0.
    resolved_tickets : float or array or Series
        Tickets resolved, > 0.

    Returns
    -------
    float or array or Series
        Hours per resolved ticket.
    """
    return _ratio(total_resolution_time_h, resolved_tickets, "total_resolution_time_h", "resolved_tickets")


def channel_mix_pct(channels: Records) -> pd.Series | None:
    """Share of tickets per channel.

    Parameters
    ----------
    channels : sequence or array or Series
        The channel of each ticket (never missing).

    Returns
    -------
    Series or None
        Fractions summing to 1, indexed by channel, largest first (ties by name);
        ``None`` without tickets.
    """
    # a Series is counted as typed (no object per ticket); any other sequence as records
    s = channels.reset_index(drop=True).rename(None) if isinstance(channels, pd.Series) else _records(channels)
    missing = int(s.isna().sum())
    if missing:
        raise ValueError(f"{missing} ticket(s) have no channel")
    if s.empty:
        return None
    counts = s.value_counts()
    counts.index = counts.index.astype(object)
    order = sorted(counts.index, key=lambda c: (-counts[c], str(c)))
    return (counts.loc[order] / counts.sum()).astype(np.float64).rename("share_pct")
