"""The team's own database as a source: figures computed there, only aggregates travel.

``months``  ticket history -> the monthly KPI table (tickets, mean first response, CSAT), summed in the database.
"""

from intake.warehouse.months import (
    MonthlyFromDatabase,
    TicketColumns,
    WarehouseError,
    WarehouseTable,
    monthly_kpis,
    tables,
)

__all__ = ["MonthlyFromDatabase", "TicketColumns", "WarehouseError", "WarehouseTable", "monthly_kpis", "tables"]
