"""What an AI agent costs a month under each way vendors price it, and what each true resolution costs.

Vendors price on different units, and each counts its own "resolution" (an answer the customer did not follow up
within a window, an LLM's verdict, any conversation). So every pricing model here reports one common figure,
:func:`cost_per_true_resolution`: everything paid over the months (fees, implementation, upkeep) divided by the
conversations the agent resolved that actually left the team's work (no return, no hand-off, not new demand).
The counts come from the lever (involvement x resolution, returns, new demand); here they are inputs.

Every function takes counts per month as arrays of any shape (months last, draws first) and answers in the case's
currency per month. Vendor figures are vendor claims, see ``docs/ai_agent.md``:

- per resolution: Intercom Fin, $0.99 per resolution (confirmed, or assumed when the customer leaves without
  asking for more within 24 h; a return to the same conversation is not charged) [V];
- per automated resolution with an allowance and overage: Zendesk's plans include a number of automated
  resolutions a month (counted after 72 h without a return, checked by an LLM) and charge more past it [V];
- per conversation: Salesforce Agentforce, $2 per conversation (Oct 2024), charged resolved or not [V];
- per action: Agentforce Flex Credits, $0.10 per action (20 credits; May 2025) [V];
- session bundles bought whole, charged whether or not the sessions resolve anything;
- seats: a monthly price per agent seat, whatever the volume.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from model.checks import check as _check

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class PerResolution:
    """A price for each resolution as the vendor counts it (e.g. 0.99 per resolution)."""

    price_per_resolution: float

    def __post_init__(self) -> None:
        _check(self.price_per_resolution >= 0, "the price per resolution must be 0 or more")


@dataclass(frozen=True)
class ResolutionAllowance:
    """A platform fee a month that includes some resolutions; each one past them at an overage price."""

    platform_fee_per_month: float
    included_resolutions_per_month: float
    overage_price_per_resolution: float

    def __post_init__(self) -> None:
        _check(min(self.platform_fee_per_month, self.included_resolutions_per_month,
                   self.overage_price_per_resolution) >= 0, "fee, allowance and overage price must be 0 or more")


@dataclass(frozen=True)
class PerConversation:
    """A price for every conversation the agent takes part in, resolved or not (e.g. 2 per conversation)."""

    price_per_conversation: float

    def __post_init__(self) -> None:
        _check(self.price_per_conversation >= 0, "the price per conversation must be 0 or more")


@dataclass(frozen=True)
class PerAction:
    """A price for each action the agent takes (a lookup, an update), a number of them per conversation."""

    price_per_action: float
    actions_per_conversation: float

    def __post_init__(self) -> None:
        _check(self.price_per_action >= 0 and self.actions_per_conversation >= 0,
               "price per action and actions per conversation must be 0 or more")


@dataclass(frozen=True)
class SessionBundle:
    """Sessions bought in whole bundles each month, charged whether or not a session resolves anything."""

    sessions_per_bundle: int
    price_per_bundle: float

    def __post_init__(self) -> None:
        _check(self.sessions_per_bundle >= 1, "a bundle holds at least one session")
        _check(self.price_per_bundle >= 0, "the price of a bundle must be 0 or more")


@dataclass(frozen=True)
class Seats:
    """A monthly price per seat, whatever the volume (e.g. agent-assist or unmetered internal use)."""

    seats: float
    price_per_seat_month: float

    def __post_init__(self) -> None:
        _check(self.seats >= 0 and self.price_per_seat_month >= 0, "seats and their price must be 0 or more")


Pricing = PerResolution | ResolutionAllowance | PerConversation | PerAction | SessionBundle | Seats


@dataclass(frozen=True)
class RunCosts:
    """What the agent costs besides the vendor's fees: set-up once, then keeping its knowledge and checking it.

    ``implementation_cost`` is paid in the launch month; ``knowledge_upkeep_per_month`` (articles, procedures kept
    current) and ``qa_hours_per_month`` x ``qa_cost_per_hour`` (reviewing its answers) every month after.
    """

    implementation_cost: float = 0.0
    knowledge_upkeep_per_month: float = 0.0
    qa_hours_per_month: float = 0.0
    qa_cost_per_hour: float = 0.0

    def __post_init__(self) -> None:
        _check(min(self.implementation_cost, self.knowledge_upkeep_per_month, self.qa_hours_per_month,
                   self.qa_cost_per_hour) >= 0, "run costs must be 0 or more")

    @property
    def per_month(self) -> float:
        return self.knowledge_upkeep_per_month + self.qa_hours_per_month * self.qa_cost_per_hour


def monthly_fee(pricing: Pricing, conversations: ArrayLike, vendor_resolutions: ArrayLike) -> FloatArray:
    """The vendor's bill a month (currency), from the conversations the agent took part in and the resolutions the
    vendor counts, both per month (arrays of the same shape)."""
    conv = np.asarray(conversations, dtype=np.float64)
    counted = np.broadcast_to(np.asarray(vendor_resolutions, dtype=np.float64), conv.shape)
    _check(bool(np.all(conv >= 0) and np.all(counted >= 0)), "counts must be 0 or more")
    match pricing:
        case PerResolution(price):
            return counted * price
        case ResolutionAllowance(fee, included, overage):
            return fee + np.maximum(counted - included, 0.0) * overage
        case PerConversation(price):
            return conv * price
        case PerAction(price, actions):
            return conv * actions * price
        case SessionBundle(size, price):
            return np.ceil(conv / size) * price
        case Seats(seats, price):
            return np.full_like(conv, seats * price)
    raise TypeError(f"unknown pricing {type(pricing).__name__}")


def cost_per_true_resolution(pricing: Pricing, conversations: ArrayLike, vendor_resolutions: ArrayLike,
                             true_resolutions: ArrayLike, run: RunCosts = RunCosts()) -> FloatArray:
    """Everything paid over the months (fees, implementation, upkeep) per conversation resolved for good.

    The last axis is the months; NaN where nothing was truly resolved. Comparing vendors on this figure puts a
    per-resolution price, a per-conversation price and a seat price on one basis.
    """
    fees = monthly_fee(pricing, conversations, vendor_resolutions)
    months = fees.shape[-1] if fees.ndim else 1
    paid = fees.sum(axis=-1) + run.implementation_cost + run.per_month * months
    resolved = np.asarray(true_resolutions, dtype=np.float64).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(resolved > 0, paid / np.where(resolved > 0, resolved, 1.0), np.nan)
