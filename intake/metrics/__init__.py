"""The source articles' support metrics, computed on the uploaded tables.

``definitions``  each metric exactly as the articles define it (NPS, CSAT, churn, first response...)
``measures``     every metric the uploaded tables allow, and the actual months beside the projection
``temkin``       customers grouped by their experience, and what moving a group up is worth
``handle_times`` the figures of a channel's handle times the handle-time fit reads
"""

from intake.metrics.definitions import nps_from_scores
from intake.metrics.handle_times import HISTOGRAM_BINS, HandleTimes, handle_times, log_edges
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
    "DEFINITIONS", "GROUPINGS", "HISTOGRAM_BINS", "HandleTimes", "Measures", "actual_series", "customer_months", "data_end", "handle_times", "log_edges",
    "measure", "month_of", "nps_from_scores", "plan_month_index", "summed_ticket_figures", "temkin_tables",
]
