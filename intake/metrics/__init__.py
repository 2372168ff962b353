"""The source articles' support metrics, computed on the uploaded tables.

``definitions``  each metric exactly as the articles define it (NPS, CSAT, churn, first response...)
``measures``     every metric the uploaded tables allow, and the actual months beside the projection
``temkin``       customers grouped by their experience, and what moving a group up is worth
"""

from intake.metrics.definitions import nps_from_scores
from intake.metrics.measures import (
                                     DEFINITIONS,
                                     Measures,
                                     actual_series,
                                     customer_months,
                                     data_end,
                                     measure,
                                     month_of,
                                     plan_month_index,
                                     summed_ticket_figures,
)
from intake.metrics.temkin import GROUPINGS, temkin_tables

__all__ = [
    "DEFINITIONS", "GROUPINGS", "Measures", "actual_series", "customer_months", "data_end", "measure", "month_of",
    "nps_from_scores", "plan_month_index", "summed_ticket_figures", "temkin_tables",
]
