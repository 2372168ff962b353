"""Pure presentation, shared by the Streamlit pages (:mod:`ui`) and the exports (:mod:`exports`); never Streamlit.

Its public names are its modules:

``format``       money, percents, counts and durations in the case's currency and locale
``words``        the case in words: horizon, payback, the one sentence
``control``      one control: key, range, help, how a link's text is read
``ai_controls``  the AI agent's controls and the agent they describe
``ai_agent``     the AI agent as a manager and a CFO read it: its table, vendor figures, charts, the hiring comparison
``controls``     the catalogue of every control (key = URL parameter = parameter name), ranges, help, and
                 the companies a case can be built on
``company_form``  the company as the user types it: fields with units, sources and ranges, the check
``charts``       Altair builders for the projection, units in every axis title
``data_charts``  Altair builders for uploaded data
``fit_charts``   Altair builders for calibration fits
``calibration``  a fit's parameter changes, note and intervals with the form's labels, and the queue check
``tables``       tables as a manager reads them: plain headers with units
``ranges``       a whole scenario (an import) against the ranges the controls allow
``compare``      two to four projections side by side
``predictions``  filed predictions: the ledger, a metric's band as filed beside the months that happened, the
                 scores in words
"""

__all__ = ["ai_agent", "ai_controls", "calibration", "charts", "company_form", "compare", "control", "controls", "data_charts", "fit_charts", "format", "plan",
           "predictions", "ranges", "tables", "words"]
