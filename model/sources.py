"""Where each default comes from, as shown next to it in the app (tags as in defaults.md).

[P] primary source, [S] secondary exports of a primary, [V] vendor figure (an optimistic tail),
[D] a modelling choice derived from the evidence.
"""

SOURCES: dict[str, str] = {
    "shrinkage_pct": "Shrinkage 25-35 % (surveys: average 24 %, mode 26-30 %) [S]",
    "loaded_cost_per_agent_month": "Wage x about 1.43 benefits x 1.2-1.5 overhead; US CSR median wage about "
                                   "43k a year (BLS) [P, D]",
    "handle_time": "Phone 6-8 min, chat 8-12 min per session, e-mail 4-6 min agent time per reply [S]",
    "concurrency": "Chat concurrency factors 1, 1.7, 2.5, 2.9, 3.5 for 1-5 chats; cap about 3 "
                   "(Call Centre Helper) [S]",
    "contact_rate": "E-commerce about 1 ticket per 15 orders; SaaS 0.2-2 contacts per active user a month [S]",
    "csat_curve": "CSAT about 90 % within 1 h, 80 % at 1-6 h, 70 % beyond 6 h, logistic in log(time); waiting "
                  "over 1 h doubles the odds of a low score, over 6 h triples them [D from S]",
    "fcr_to_csat": "+1 point first-contact resolution is worth about +1 point CSAT (SQM) [S]",
    "churn_classes": "Relative churn risk worst : best experience about 2 : 1 (HBR/Medallia, 43 % vs 74 % "
                     "renewal); an interaction is 4x more likely to make a customer less loyal than more "
                     "(CEB) [S/P, D]",
    "expansion_classes": "Promoter/detractor expansion ratio 1.5-2.5x; XM Institute: 5-star customers 2.2x more "
                         "likely to purchase more [P/S, D]",
    "referral_classes": "XM Institute 2024: 5-star vs 1-2-star customers 3.0x more likely to recommend; "
                        "referrals are under 7 % of CX benefit (Forrester) [P]",
    "memory": "The 2x renewal-risk figures compare customers by their experiences over a subscription "
              "year, so an experience is taken to weigh on behaviour for about 12 months [D]",
    "nps_classes": "Dissatisfied contacts turn customers into detractors far more than good contacts create "
                   "promoters (CEB 4:1) [D]",
    "churn": "Businesses lose about half their customers in five years; annual logo churn 5-30 % [S]",
    "expansion": "B2B SaaS net revenue retention median 100-110 %, keep at or below 120 % [S]",
    "discount_rate": "Forrester TEI: 3-year horizon, 10 % a year, initial costs undiscounted [P]",
    "ramp": "Adoption S-curve: about 20 % of the effect in month 1, 85-90 % by month 6 [S]",
    "deflection": "Resolved share of eligible volume triangular 10 / 25 / 45 %; independent median for AI "
                  "agents about 41 %, vendors claim 65-80 % [V]; only 9-14 % fully resolved in self-service "
                  "(Gartner) [S]",
    "leakage": "10-30 % of 'deflected' customers come back to an agent [S/D]",
    "harder_mix": "The remaining human tickets take 5-15 % longer (harder mix) [S/D]",
    "fee_per_resolution": "Published AI-agent pricing of about 1 per resolution [V]",
    "productivity": "Agent-assist tools: handle-time reductions of 10-20 % are typical claims; treat higher "
                    "figures as vendor tails [V, D]",
    "training": "Training acts on first-contact resolution; +1 point FCR is about +1 point CSAT (SQM) [S]",
    "shift_premium": "Unsocial-hours premium of 10-25 % is common in shift work [D]",
    "margin": "Benefits are counted at gross margin, never at revenue (Forrester TEI) [P]",
    "ai_involvement": "The share of a channel's contacts the AI agent takes part in: the deployment decides it "
                      "(chat and e-mail first, phone later); 0 means the agent does not work there [D]",
    "ai_resolution": "The vendor's resolution rate of the conversations its agent takes part in: vendors claim 65-80 % "
                     "[V] and Salesforce's own help site reports 84 % resolved while its support cases fell about "
                     "5 % [V]; the independent median for AI agents is about 41 % [S]. The rate drawn for the bands "
                     "is 0.45-1.0 of the entered one, so the entered rate is the optimistic end [D]",
    "ai_returns": "Of the conversations the vendor counts resolved, 10-30 % come back to a person within days "
                  "(as for self-service) [S/D]; a vendor's window (Intercom 24 h, Zendesk 72 h) misses later returns "
                  "[V]",
    "ai_new_demand": "Conversations that would never have become a ticket (a question asked because the agent is "
                     "there): no published figure, take it from the vendor's pilot; they cost fees and remove no "
                     "work [D]",
    "ai_resolved_handle": "The agent resolves the easiest of its tickets first, the first at 0.4 of an average ticket's "
                          "handle time: with the agent on every ticket, those left to people take 18 % longer at 30 % "
                          "resolved and 30 % at 50 %, within the 15-40 % practitioners report; on part of the tickets "
                          "the effect is diluted, since the tickets it never sees stay average [D from S]",
    "ai_handoff_handle": "A hand-off arrives with the conversation, but the person reads it and often asks again: "
                         "no saving unless measured (1.0) [D]",
    "ai_csat": "CSAT of AI-resolved conversations below a person's answer: 0.9 of it [D]; a customer who tried the "
               "agent and then reached a person at 0.85 of a person's answer alone, since a failed attempt is a "
               "second contact [D from S: first-contact resolution moves CSAT point for point]",
    "ai_pricing": "Vendor list prices [V]: Intercom Fin 0.99 per resolution (confirmed, or assumed when the customer "
                  "leaves without asking more within 24 h); Zendesk automated resolutions in a plan's allowance, "
                  "overage past it (72 h without a return, checked by an LLM); Salesforce Agentforce 2 per "
                  "conversation (2024) or 0.10 per action (Flex Credits, 2025)",
    "ai_run_costs": "Implementation, knowledge upkeep and QA: the agent answers from the articles it is given, so "
                    "someone keeps them current and reviews a sample of answers; 15,000 once, 1,200 a month and 20 "
                    "QA hours a month (at 45 an hour for the examples) are placeholders to replace with the vendor's quote and the team's own "
                    "time [D]",
    "ai_policy": "Freed hours are money only when the team is smaller than it would have been: through hires not "
                 "made, leavers not replaced (contact-centre attrition 30-45 % a year, about 3 % a month [S]), "
                 "people moved to other work (cost kept) or released with severance [D]",
    "occupancy": "Freed hours become agents at 85 % occupancy of productive time, the top of usual targets: per "
                 "productive hour divide by (1 - shrinkage) and by occupancy (defaults.md) [D from S]",
}

# The uncertain assumptions (model.params.Assumptions): label, what the multiplier scales, and why its
# default 90 % interval is what it is.
ASSUMPTION_INFO: dict[str, tuple[str, str, str]] = {
    "contact_rate": (
        "Contact rate", "issues per customer and month",
        "Contact rates vary by a few percent from month to month and forecasts of them miss by 10-15 %; "
        "±15 % as a 90 % interval [D]"),
    "handle_time": (
        "Handle time", "agent time per ticket on every channel",
        "Typical ranges are phone 6-8, chat 8-12, e-mail 4-6 minutes, about ±15 % around their middles; "
        "tickets tend to run longer than planned [S, D]"),
    "csat_half_point": (
        "CSAT curve: half-point", "the response time at which CSAT is half-way between ceiling and floor",
        "CSAT about 90 % within 1 h, 80 % at 1-6 h, 70 % beyond 6 h: where the fall is steepest is known "
        "only to about a factor of 2 [D from S]"),
    "csat_slope": (
        "CSAT curve: slope", "how steeply CSAT falls with log(response time)",
        "Derived curve, slope uncertain ±50 % (defaults.md) [D]"),
    "churn_dissatisfied": (
        "Churn risk of dissatisfied customers", "the dissatisfied class's churn multiplier",
        "Relative churn risk of detractors 1.3-3.0, default 2.0 (HBR/Medallia 43 % vs 74 % renewal): "
        "x0.65-1.5 of the entered 2.0 [D from S]"),
    "expansion_effect": (
        "Expansion effect of experience", "each class's expansion multiplier's distance from 1",
        "Promoter/detractor expansion ratio 1.5-2.5x (XM Institute: 2.2x purchase more) [P/S, D]"),
    "referral_effect": (
        "Referral effect of experience", "each class's referral multiplier's distance from 1",
        "XM Institute 2024: 5-star customers 3.0x more likely to recommend; of those who intend to, "
        "about 30 % do (Kumar et al.) [P/S, D]"),
    "deflection_achieved": (
        "Deflection achieved", "the planned share of issues the tool resolves",
        "Independent median for AI agents about 41 %, vendors claim 65-80 % [V]; only 9-14 % fully resolved "
        "in self-service (Gartner) [S]: plans are optimistic tails, 0.4-1.1 of plan [D]"),
    "leakage": (
        "Re-contact after self-service", "the share of deflected customers who come back to an agent",
        "10-30 % of 'deflected' customers come back: x0.5-1.5 of the entered 20 % [S/D]"),
    "handle_reduction_achieved": (
        "Handle-time reduction achieved", "the planned cut in handle time",
        "Agent-assist reductions of 10-20 % are typical claims; treat higher figures as vendor tails: "
        "0.5-1.1 of plan [V, D]"),
    "fcr_gain_achieved": (
        "Resolution gain achieved", "the planned first-contact-resolution gain of training",
        "Training effects fade and vary by team: 0.5-1.1 of plan [D]"),
    "ramp_time": (
        "Ramp time", "every adoption and proficiency ramp (tools, training, hires, the centre)",
        "Adoption S-curve about 20 % in month 1, 85-90 % by month 6 (TEI practice); ramps run late more "
        "often than early: x0.7-1.6 [S, D]"),
    "ai_resolution_achieved": (
        "AI resolution achieved", "the vendor's resolution rate entered for the AI agent",
        "Vendors claim 65-80 %, the independent median is about 41 % [V, S]: the entered rate is the optimistic "
        "end, 0.45-1.0 of it (median about 0.67) [D]"),
    "ai_returns": (
        "AI resolutions coming back", "the share of the AI agent's resolutions that come back to a person",
        "10-30 % of 'deflected' customers come back: x0.5-1.5 of the entered 20 % [S/D]"),
    "ai_new_demand": (
        "New demand from the AI agent", "the share of its conversations that would never have been tickets",
        "No published figure: x0.5-2 of the entered share [D]"),
    "ai_csat": (
        "CSAT of AI-resolved conversations", "their CSAT relative to a person's answer",
        "x0.85-1.1 of the entered 0.9 [D]"),
    "risk_adjustment": (
        "Risk adjustment", "each cash line of the point view",
        "Forrester TEI practice: revenue benefits -25 %, cost savings -10 %, costs +10 % [D from TEI]"),
}
