"""Customers: how first response becomes CSAT, experience classes and NPS, and the customer stock over months.

``experience``  CSAT per ticket from its first response, the classes customers remember (none,
                satisfied, dissatisfied) and their churn, expansion and referral multipliers, NPS
``stock``       customers month by month: churn, expansion, acquisition and referrals
"""

from model.customers.experience import GIVE_UP_H, csat_of_response
from model.customers.stock import CustomerPaths

__all__ = ["GIVE_UP_H", "CustomerPaths", "csat_of_response"]
