"""Where each default comes from, as shown next to it in the app (tags as in defaults.md).

[P] primary source, [S] secondary report of a primary, [V] vendor figure (an optimistic tail),
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
}
