"""Example companies with defaults from shared/reference/defaults.md (see ``model.sources``)."""

from __future__ import annotations

from model.params import MON_FRI, ArrivalProfile, Channel, Company, CsatCurve, Region, Site

EMAIL_CURVE = CsatCurve(floor_pct=0.60, ceiling_pct=0.95, half_h=6.0, slope=1.0)
CHAT_CURVE = CsatCurve(floor_pct=0.60, ceiling_pct=0.95, half_h=0.5, slope=1.0)
PHONE_CURVE = CsatCurve(floor_pct=0.55, ceiling_pct=0.93, half_h=0.1, slope=1.0)

US_LOADED_COST = 6_700.0   # 43k wage x 1.43 x 1.3 / 12 (defaults.md)


def saas() -> Company:
    """A B2B SaaS vendor with a US-only support team and many European and APAC customers."""
    return Company(
        name="Northwind Analytics (B2B SaaS)",
        description="B2B analytics software: 4,000 accounts, support team of 12 in New York only, "
                    "40 % of customers in Europe and 15 % in Asia-Pacific.",
        customers=4_000.0,
        new_customers_per_month=60.0,
        arpu_per_month=450.0,
        gross_margin_pct=0.80,
        churn_monthly_pct=0.015,
        expansion_monthly_pct=0.012,
        referral_rate_per_month=0.0015,
        nps_today=30.0,
        csat_today_pct=0.78,
        contact_rate_per_customer_month=1.8,
        first_contact_resolution_pct=0.70,
        channels=(
            Channel("email", 0.70, handle_time_min=10.0, target_response_h=4.0, csat_curve=EMAIL_CURVE),
            Channel("chat", 0.30, handle_time_min=10.0, target_response_h=5 / 60, csat_curve=CHAT_CURVE,
                    concurrency=1.7),
        ),
        regions=(
            Region("Americas", -5.0, 0.45),
            Region("Europe", 1.0, 0.40),
            Region("Asia-Pacific", 8.0, 0.15),
        ),
        sites=(Site("New York", -5.0, 9.0, 17.0, MON_FRI, headcount=12.0, shrinkage_pct=0.30,
                    loaded_cost_per_agent_month=US_LOADED_COST),),
    )


def ecommerce() -> Company:
    """An online shop: many small customers, evening and weekend contacts, phone and chat."""
    return Company(
        name="Alpine Outdoor (e-commerce)",
        description="Online outdoor-gear shop: 60,000 active customers across Europe, support team of 5 "
                    "in Krakow on weekdays, customers who write in the evening and at weekends.",
        customers=60_000.0,
        new_customers_per_month=2_600.0,
        arpu_per_month=45.0,
        gross_margin_pct=0.35,
        churn_monthly_pct=0.04,
        expansion_monthly_pct=0.004,
        referral_rate_per_month=0.003,
        nps_today=25.0,
        csat_today_pct=0.82,
        contact_rate_per_customer_month=1.0 / 15.0,
        first_contact_resolution_pct=0.73,
        channels=(
            Channel("email", 0.50, handle_time_min=6.0, target_response_h=12.0, csat_curve=EMAIL_CURVE),
            Channel("chat", 0.30, handle_time_min=8.0, target_response_h=5 / 60, csat_curve=CHAT_CURVE,
                    concurrency=2.0),
            Channel("phone", 0.20, handle_time_min=7.0, target_response_h=20 / 3600, csat_curve=PHONE_CURVE),
        ),
        regions=(
            Region("Central Europe", 1.0, 0.70),
            Region("UK and Ireland", 0.0, 0.20),
            Region("Nordics", 1.0, 0.10),
        ),
        sites=(Site("Krakow", 1.0, 9.0, 17.0, MON_FRI, headcount=5.0, shrinkage_pct=0.30,
                    loaded_cost_per_agent_month=3_800.0),),
        arrival_profile=ArrivalProfile(peak_h=16.0, spread_h=4.0, base=0.10, weekend_factor=0.8),
    )


EXAMPLES = {"B2B SaaS": saas, "E-commerce": ecommerce}
EXAMPLE_CURRENCY = {"B2B SaaS": "USD", "E-commerce": "EUR"}
