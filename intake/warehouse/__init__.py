"""The team's own database as a source: figures computed there, only aggregates travel.

``months``  ticket history -> the monthly KPI table (tickets, mean first response, CSAT), summed in the database.
``week``    ticket history -> tickets per local hour of week, for the arrival profile.
``summary`` ticket history -> tickets, first response mean, median and p90, CSAT: the headline figures.
``handle``  ticket history -> each channel's handle-time figures, for the handle-time fit.
"""

from intake.warehouse.handle import handle_times_by_channel
from intake.warehouse.months import (
    MonthlyFromDatabase,
    TicketColumns,
    WarehouseError,
    WarehouseTable,
    monthly_kpis,
    tables,
)
from intake.warehouse.summary import TicketSummary, ticket_summary
from intake.warehouse.week import WeekCounts, hour_of_week_counts

__all__ = ["MonthlyFromDatabase", "TicketColumns", "WarehouseError", "TicketSummary", "WarehouseTable",
           "WeekCounts", "handle_times_by_channel", "hour_of_week_counts", "monthly_kpis", "tables", "ticket_summary"]
