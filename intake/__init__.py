"""Data in: what help desks and billing systems export, read into typed tables and measured.

``uploads/``  bytes -> typed tickets, customers and monthly KPI tables, every problem named
``metrics/``  the source articles' metrics on those tables, the Temkin table, the actual months
``warehouse/`` the team's own database: the monthly KPI table summed there, only aggregates travelling

Nothing here imports Streamlit. The model is fitted to these tables in :mod:`calibration`.
"""
