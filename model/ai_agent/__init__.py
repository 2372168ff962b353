"""The AI agent lever as vendors sell it and finance checks it (issue 21; being built).

``pricing``  the vendors' pricing models (per resolution, allowance and overage, per conversation, per action,
             session bundles, seats) and run costs, each reduced to one figure: the cost per true resolution
"""

from model.ai_agent.pricing import (
    PerAction,
    PerConversation,
    PerResolution,
    Pricing,
    ResolutionAllowance,
    RunCosts,
    Seats,
    SessionBundle,
    cost_per_true_resolution,
    monthly_fee,
)

__all__ = ["PerAction", "PerConversation", "PerResolution", "Pricing", "ResolutionAllowance", "RunCosts", "Seats",
           "SessionBundle", "cost_per_true_resolution", "monthly_fee"]
