"""The model fitted to the user's data: uploaded tables in, model parameters out, each with its evidence.

One module a fit, each taking the typed tables of :mod:`intake` and returning a :class:`Fit`, or a
:class:`Skipped` with the reason when the data are too thin:

``arrivals``        1. the arrival profile over the local week
``handle_time``     2. handle time per channel
``response_times``  3. first-response times per channel
``csat_curve``      4. CSAT against first response per channel
``classes``         5. churn and expansion by last support experience (the Temkin classes)
``patience``        6. patience on live channels (Erlang A)
``apply``           fits into a :class:`~model.Scenario` (values set, uncertainty ranges narrowed),
                    and every fit the data allow at once
``company``         the company as its data show it today: the figures the baseline must reproduce
``changes``         what differs between two scenarios, field by field (default versus calibrated)
``plausibility``    what a fit says that is hard to believe (bounds, tables from different periods)
``sites``           support sites as the ticket export shows them (when each agent replies)

``fit`` holds the result types and what the fits share. ``docs/calibration.md`` gives each formula,
minimum and mapping. Nothing here imports Streamlit.
"""

from calibration.apply import apply_fits, apply_fits_explained, fits_from_tables, narrowed_range
from calibration.arrivals import arrival_shares, fit_arrival_counts, fit_arrival_profile, observed_week_shares, week_shares
from calibration.changes import parameter_changes
from calibration.classes import CLASS_NAMES, DAYS_PER_MONTH, fit_class_multipliers
from calibration.company import apply_all, fit_company
from calibration.csat_curve import FLAT_P_VALUE, csat_curve_values, fit_csat_curve, trend_test
from calibration.fit import SHOWN_ONLY, Fit, FitResult, Skipped
from calibration.handle_time import fit_handle_time, fit_handle_times
from calibration.patience import fit_patience
from calibration.plausibility import Period, doubts, non_overlapping, periods
from calibration.response_times import fit_response_distribution, response_times_h
from calibration.sites import SiteGuess, infer_sites

__all__ = [
    "CLASS_NAMES", "SHOWN_ONLY", "DAYS_PER_MONTH", "FLAT_P_VALUE", "Fit", "FitResult", "Period", "SiteGuess", "Skipped", "apply_all", "apply_fits",
    "apply_fits_explained", "arrival_shares", "csat_curve_values", "doubts", "fit_arrival_counts", "fit_arrival_profile", "fit_class_multipliers",
    "fit_company", "fit_csat_curve", "infer_sites", "fit_handle_time", "fit_handle_times", "fit_patience", "fit_response_distribution", "fits_from_tables",
    "narrowed_range", "non_overlapping", "observed_week_shares", "parameter_changes", "periods", "response_times_h", "trend_test", "week_shares",
]
