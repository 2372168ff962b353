"""Money: the incremental cash flow's NPV, ROI and payback, the TEI risk-adjusted view, and the headline figures.

``finance``   discounting (month 0 undiscounted), NPV, ROI, payback, the Forrester TEI risk adjustment
``headline``  the figures the Library lists and a saved scenario keeps
"""

from model.money.finance import CaseSummary, discount_factors, payback_month
from model.money.headline import headline

__all__ = ["CaseSummary", "discount_factors", "headline", "payback_month"]
