"""The prediction loop: a case filed as a dated prediction, scored when the months it names have happened.

``noise``       how much a reported month wanders around the model (measured on the user's history, else assumed)
``prediction``  a projection frozen as P10/P50/P90 per metric and calendar month, plan and baseline, as rows of one
                quantile each (the hubverse layout), and as a JSON document for the store
``backtest``    the last months of the history held out, the model calibrated on the rest, its baseline scored
``score``       coverage, bias, WAPE, pinball loss and weighted interval score per metric and month, pooled, and
                whether the months look like the plan or the baseline
"""

from track.backtest import DEFAULT_HOLDOUT_MONTHS, BackTest, ClassHoldout, backtest, class_holdout, history_before
from track.noise import DEFAULT_NOISE, MIN_HISTORY_MONTHS, Noise, default_noise, noise_from_history, noise_table
from track.prediction import (
    DEFAULT_MONTHS,
    MODEL_VERSION,
    QUANTILES,
    Prediction,
    freeze,
    from_document,
    scored_metrics,
    to_document,
)
from track.score import (
    DECISIVE,
    NOMINAL_COVERAGE,
    Verdict,
    by_metric,
    interval_score,
    miss_odds,
    pinball,
    scores,
    verdict,
    wis,
)

__all__ = ["DECISIVE", "DEFAULT_HOLDOUT_MONTHS", "DEFAULT_MONTHS", "DEFAULT_NOISE", "MIN_HISTORY_MONTHS", "MODEL_VERSION",
           "NOMINAL_COVERAGE", "QUANTILES", "BackTest", "ClassHoldout", "Noise", "Prediction", "Verdict", "backtest", "by_metric", "class_holdout",
           "default_noise", "freeze", "from_document", "history_before", "interval_score", "miss_odds",
           "noise_from_history", "noise_table", "pinball", "scored_metrics", "scores", "to_document", "verdict", "wis"]
