"""The AI agent's controls: involvement by channel, what it resolves, how its vendor prices it, what it costs to run,
and what the freed hours become; and the mapping between their values and :class:`model.ai_agent.AIAgent`.

Pure data and pure functions, like ``view.controls`` (which adds these to its catalogue). Only the fields of the
chosen pricing model and headcount policy are shown (:func:`shown`); the others keep their values, so switching
back restores them.
"""

from __future__ import annotations

from typing import Any

from model import SOURCES, Company
from model.ai_agent import (
    AgentBehaviour,
    AIAgent,
    ChannelInvolvement,
    HeadcountPolicy,
    PerAction,
    PerConversation,
    PerResolution,
    Pricing,
    ResolutionAllowance,
    RunCosts,
    Seats,
    SessionBundle,
)
from view.control import MONTH, PCT, Control, control

GROUP = "AI agent"
CHANNEL_WORDS = {"email": "e-mail", "chat": "chat", "phone": "phone"}

PRICINGS = {            # shown option -> the pricing model and the controls holding its parameters
    "Per resolution": (PerResolution, ("ai_price_per_resolution",)),
    "Allowance and overage": (ResolutionAllowance, ("ai_platform_fee_per_month", "ai_included_resolutions",
                                                    "ai_overage_price")),
    "Per conversation": (PerConversation, ("ai_price_per_conversation",)),
    "Per action": (PerAction, ("ai_price_per_action", "ai_actions_per_conversation")),
    "Session bundles": (SessionBundle, ("ai_bundle_sessions", "ai_bundle_price")),
    "Seats": (Seats, ("ai_seats", "ai_price_per_seat")),
}
PRICE_WORDS = {"Per resolution": "per resolution", "Allowance and overage": "by an allowance with overage",
               "Per conversation": "per conversation", "Per action": "per action",
               "Session bundles": "in session bundles", "Seats": "per seat"}
POLICIES = {            # shown option -> the policy and the controls of its own parameters
    "Leavers not replaced": ("attrition", ("ai_attrition_pct",)),
    "Hires avoided": ("avoid_hires", ()),
    "Moved to other work": ("redeploy", ("ai_redeploy_value",)),
    "Released": ("release", ("ai_severance_months",)),
}
SHARE = dict(min=0.0, max=1.0, step=0.05, format=PCT)


def _amount(key: str, label: str, default: float, help: str, high: float, step: float, money: bool = True) -> Control:
    """An amount (in the case's currency unless ``money`` is false); its bounds of the default's type (a widget refuses
    mixed types)."""
    kind = type(default)
    return control(key, label, "number", default, GROUP, help, min=kind(0), max=kind(high), step=kind(step),
                   money=money)


AI_CONTROLS: tuple[Control, ...] = (
    *(control(f"ai_{name}", f"Share of {word} issues it takes part in", "slider", 0.0, GROUP,
              f"Share of the {word} issues reaching the team that the AI agent answers first (after any self-service). "
              "0 on every channel: no AI agent. " + SOURCES["ai_involvement"], **SHARE)
      for name, word in CHANNEL_WORDS.items()),
    control("ai_resolution_pct", "Resolution rate its vendor reports", "slider", 0.6, GROUP,
            "Of the conversations it takes part in, the share its vendor counts as resolved once it runs in full. "
            "Vendors define it their own way: Intercom Fin counts a resolution confirmed by the customer or assumed "
            "when the customer leaves without asking more within 24 h; Zendesk an automated resolution after 72 h "
            "without a return, checked by an LLM [V]. A customer who comes back after the window is counted "
            "resolved by the vendor and is in the share coming back below. " + SOURCES["ai_resolution"],
            min=0.0, max=1.0, step=0.01, format=PCT),
    control("ai_return_pct", "Of those, share that come back to a person", "slider", 0.2, GROUP,
            SOURCES["ai_returns"], min=0.0, max=0.6, step=0.01, format=PCT),
    control("ai_new_demand_pct", "Conversations that would never have been tickets", "slider", 0.1, GROUP,
            SOURCES["ai_new_demand"], min=0.0, max=0.9, step=0.01, format=PCT),
    control("ai_resolved_handle_ratio", "Handle time of the easiest tickets it resolves (of an average one)", "slider",
            0.4,
            GROUP, SOURCES["ai_resolved_handle"], min=0.1, max=1.0, step=0.05, format=PCT),
    control("ai_handoff_handle_ratio", "Handle time of a hand-off (of the same ticket arriving cold)", "slider", 1.0,
            GROUP, SOURCES["ai_handoff_handle"], min=0.5, max=1.5, step=0.05, format=PCT),
    control("ai_csat_relative", "CSAT of what it resolves (of a person's answer)", "slider", 0.9, GROUP,
            SOURCES["ai_csat"], min=0.5, max=1.2, step=0.05, format=PCT),
    control("ai_handoff_csat_relative", "CSAT after a failed attempt (of a person's answer)", "slider", 0.85, GROUP,
            SOURCES["ai_csat"], min=0.5, max=1.2, step=0.05, format=PCT),
    control("ai_pricing", "How its vendor prices it", "select", "Per resolution", GROUP,
            "Each way vendors charge, each with its own parameters below. The Scenario page's AI agent table puts "
            "them on one basis: everything paid per issue that truly left the team's work. " + SOURCES["ai_pricing"],
            options=tuple(PRICINGS)),
    _amount("ai_price_per_resolution", "Price per resolution", 0.99,
            "Per resolution as the vendor counts it (e.g. Intercom Fin 0.99 [V]).", 50, 0.01),
    _amount("ai_platform_fee_per_month", "Platform fee a month", 1000,
            "The plan's fee a month, its allowance of resolutions included.", 1_000_000, 100),
    _amount("ai_included_resolutions", "Resolutions included a month", 2000,
            "Resolutions the plan includes each month; each one past them costs the overage price.", 10_000_000, 100,
            money=False),
    _amount("ai_overage_price", "Price per resolution past the allowance", 1.5,
            "Per resolution past the allowance (Zendesk-style automated resolutions [V]).", 50, 0.01),
    _amount("ai_price_per_conversation", "Price per conversation", 2.0,
            "Per conversation, resolved or not (Salesforce Agentforce 2 per conversation, 2024 [V]).", 50, 0.01),
    _amount("ai_price_per_action", "Price per action", 0.10,
            "Per action the agent takes (Agentforce Flex Credits 0.10 per action, 2025 [V]).", 10, 0.01),
    control("ai_actions_per_conversation", "Actions per conversation", "number", 6.0, GROUP,
            "Lookups, updates and replies the agent makes in an average conversation [D].", min=0.0, max=100.0,
            step=0.5, money=False),
    control("ai_bundle_sessions", "Sessions per bundle", "number", 1000, GROUP,
            "Sessions in one bundle; bundles are bought whole each month, used or not.", min=1, max=1_000_000,
            step=100, money=False),
    _amount("ai_bundle_price", "Price per bundle", 1200, "The price of one bundle of sessions.", 1_000_000, 100),
    control("ai_seats", "Seats", "number", 10, GROUP,
            "Seats paid each month, whatever the volume. Vendors that sell the agent by seat count one per agent of "
            "the team (an AI add-on priced per agent [V]), so it starts at the company's agents.", min=0,
            max=10_000, step=1, money=False),
    _amount("ai_price_per_seat", "Price per seat a month", 125, "Per seat and month.", 10_000, 5),
    _amount("ai_implementation_cost", "Implementation (one-off)", 15000,
            "Set-up, integration and the first knowledge base, paid in the launch month. " + SOURCES["ai_run_costs"],
            2_000_000, 1000),
    _amount("ai_knowledge_upkeep_per_month", "Knowledge upkeep a month", 1200,
            "Keeping the articles and procedures it answers from current. " + SOURCES["ai_run_costs"], 500_000, 100),
    control("ai_qa_hours_per_month", "QA hours a month", "number", 20, GROUP,
            "Hours a month someone reviews a sample of its answers. " + SOURCES["ai_run_costs"], min=0, max=5_000,
            step=1, money=False),
    _amount("ai_qa_cost_per_hour", "Cost of a QA hour", 45,
            "Loaded cost of an hour of review: 45 for the examples; for your own company it starts at your first "
            "site's loaded cost per paid hour, a placeholder.", 1_000, 1),
    control("ai_policy", "What the freed hours become", "select", "Leavers not replaced", GROUP,
            "Hours the agent frees are money only once the team is smaller than it would have been; freed hours a "
            "policy cannot realise stay with the team as shorter waits. " + SOURCES["ai_policy"],
            options=tuple(POLICIES)),
    control("ai_attrition_pct", "Agents leaving a month", "slider", 0.03, GROUP,
            "The team shrinks by at most this share of its agents a month, leavers not replaced. "
            + SOURCES["ai_policy"], min=0.0, max=0.1, step=0.005, format=PCT),
    control("ai_severance_months", "Severance (months of loaded cost)", "slider", 3.0, GROUP,
            "Paid for each agent released, in the month they go [D: enter your terms].", min=0.0, max=12.0, step=0.5),
    _amount("ai_redeploy_value", "Value of a moved agent's work a month", 0,
            "What an agent moved to other work is worth to the company a month: a named benefit, counted only when "
            "entered. Their cost stays.", 100_000, 100),
    control("ai_start_month", "Launch month", "slider", 0, GROUP,
            "Month the agent goes live. " + SOURCES["ramp"], **MONTH),
    control("ai_ramp_months", "Months to full involvement", "slider", 6, GROUP,
            "Involvement grows from 0 and resolution from half its settled rate to the entered values over this "
            "many months (S-curve, 90 % reached). " + SOURCES["ramp"], min=0, max=24, step=1),
)

# The AI agent's parameters (as ``view.controls.lever_parameters`` names them) and where their defaults come from.
PARAMETER_SOURCES = {
    **{f"involvement, {c}": SOURCES["ai_involvement"] for c in (*CHANNEL_WORDS, "other channels")},
    "involvement_pct": SOURCES["ai_involvement"], "resolution_pct": SOURCES["ai_resolution"],
    "return_pct": SOURCES["ai_returns"], "new_demand_pct": SOURCES["ai_new_demand"],
    "resolved_handle_ratio": SOURCES["ai_resolved_handle"], "handoff_handle_ratio": SOURCES["ai_handoff_handle"],
    "ai_csat_relative": SOURCES["ai_csat"], "handoff_csat_relative": SOURCES["ai_csat"],
    **dict.fromkeys(("price_per_resolution", "platform_fee_per_month", "included_resolutions_per_month",
                     "overage_price_per_resolution", "price_per_conversation", "price_per_action",
                     "actions_per_conversation", "sessions_per_bundle", "price_per_bundle", "seats",
                     "price_per_seat_month"), SOURCES["ai_pricing"]),
    **dict.fromkeys(("implementation_cost", "knowledge_upkeep_per_month", "qa_hours_per_month", "qa_cost_per_hour"),
                    SOURCES["ai_run_costs"]),
    **dict.fromkeys(("policy", "attrition_pct", "severance_months", "value_per_redeployed_agent_month"),
                    SOURCES["ai_policy"]),
}

# Defaults read off the company, example or own: one seat per agent of the team, as vendors selling seats count them.
COMPANY_DEFAULTS = {"ai_seats": lambda company: max(1, round(sum(s.headcount for s in company.sites)))}

COST_DEFAULTS = {"ai_qa_cost_per_hour": 1.0 / 173.8}    # of the first site's loaded cost per agent-month: per paid hour


def involvement(values: dict[str, Any], company: Company) -> dict[str, float]:
    """The involvement entered for each of the company's channels."""
    return {c.name: float(values.get(f"ai_{c.name}", 0.0)) for c in company.channels}


def is_on(values: dict[str, Any], company: Company) -> bool:
    return any(share > 0.0 for share in involvement(values, company).values())


def shown(key: str, values: dict[str, Any], company: Company) -> bool:
    """Whether the page shows the AI agent's control ``key``: the company's channels; once the agent takes part
    somewhere, the rest, with only the chosen pricing model's and policy's own parameters."""
    channel = key.removeprefix("ai_")
    if channel in CHANNEL_WORDS:
        return channel in company.channel_shares
    if not is_on(values, company):
        return False
    for option, (_, keys) in PRICINGS.items():
        if key in keys:
            return values.get("ai_pricing") == option
    for option, (_, keys) in POLICIES.items():
        if key in keys:
            return values.get("ai_policy") == option
    return True


def pricing_of(values: dict[str, Any]) -> Pricing:
    kind, keys = PRICINGS.get(values["ai_pricing"], PRICINGS["Per resolution"])
    args = [values[k] for k in keys]
    if kind is SessionBundle:
        return SessionBundle(int(args[0]), float(args[1]))
    return kind(*(float(a) for a in args))


def agent_of(values: dict[str, Any], company: Company) -> AIAgent | None:
    """The AI agent the values describe on ``company``; None where it takes part in no channel."""
    if not is_on(values, company):
        return None
    v = values
    policy, _ = POLICIES.get(v["ai_policy"], POLICIES["Leavers not replaced"])
    return AIAgent(
        AgentBehaviour(0.0, float(v["ai_resolution_pct"]), float(v["ai_return_pct"]), float(v["ai_new_demand_pct"]),
                       float(v["ai_resolved_handle_ratio"]), float(v["ai_handoff_handle_ratio"])),
        pricing_of(v),
        RunCosts(float(v["ai_implementation_cost"]), float(v["ai_knowledge_upkeep_per_month"]),
                 float(v["ai_qa_hours_per_month"]), float(v["ai_qa_cost_per_hour"])),
        HeadcountPolicy(policy, float(v["ai_attrition_pct"]), float(v["ai_severance_months"]),
                        float(v["ai_redeploy_value"])),
        float(v["ai_csat_relative"]), float(v["ai_handoff_csat_relative"]), int(v["ai_start_month"]),
        float(v["ai_ramp_months"]),
        tuple(ChannelInvolvement(name, share) for name, share in involvement(v, company).items()))


def values_of(agent: AIAgent, company: Company) -> dict[str, Any]:
    """The control values of ``agent`` (read back from a saved scenario); the controls' checks run on them later."""
    b, run, policy = agent.behaviour, agent.run, agent.policy
    out: dict[str, Any] = {f"ai_{c.name}": agent.involvement_of(c.name) for c in company.channels}
    out.update(ai_resolution_pct=b.resolution_pct, ai_return_pct=b.return_pct, ai_new_demand_pct=b.new_demand_pct,
               ai_resolved_handle_ratio=b.resolved_handle_ratio, ai_handoff_handle_ratio=b.handoff_handle_ratio,
               ai_csat_relative=agent.ai_csat_relative, ai_handoff_csat_relative=agent.handoff_csat_relative,
               ai_implementation_cost=run.implementation_cost,
               ai_knowledge_upkeep_per_month=run.knowledge_upkeep_per_month,
               ai_qa_hours_per_month=run.qa_hours_per_month, ai_qa_cost_per_hour=run.qa_cost_per_hour,
               ai_attrition_pct=policy.attrition_pct, ai_severance_months=policy.severance_months,
               ai_redeploy_value=policy.value_per_redeployed_agent_month, ai_start_month=agent.start_month,
               ai_ramp_months=agent.ramp_months)
    out["ai_policy"] = next(o for o, (p, _) in POLICIES.items() if p == agent.policy.policy)
    option, (_, keys) = next((o, spec) for o, spec in PRICINGS.items() if isinstance(agent.pricing, spec[0]))
    out["ai_pricing"] = option
    out.update(zip(keys, (getattr(agent.pricing, f) for f in agent.pricing.__dataclass_fields__)))
    return out


def describe(values: dict[str, Any], company: Company, pct: Any) -> str | None:
    """The agent as a phrase for the case sentence ("an AI agent in 40 % of chat and 20 % of e-mail issues")."""
    shares = [(CHANNEL_WORDS[c], share) for c, share in involvement(values, company).items() if share > 0.0]
    if not shares:
        return None
    where = " and ".join(f"{pct(share)} of {word}" for word, share in shares)
    return f"an AI agent in {where} issues, priced {PRICE_WORDS.get(values['ai_pricing'], values['ai_pricing'])}"
