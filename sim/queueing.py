"""Erlang C for live channels, vectorised and continuous in the number of agents.

Erlang B is written through the Poisson distribution, ``B(N, A) = P(X = N) / P(X <= N)`` with
``X ~ Poisson(A)``, and extended to real N with the regularised incomplete gamma function:
``P(X <= N) = Q(N + 1, A)``. Everything is computed in logs, so there are no factorials and no
powers to overflow. Erlang C follows from B: ``C = N B / (N - A (1 - B))``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from sim.weekgrid import FloatArray


def erlang_b(agents: FloatArray | float, traffic_erl: FloatArray | float) -> FloatArray:
    """Blocking probability of an M/M/N/N system; agents may be fractional."""
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    safe_a = np.maximum(a, 1e-300)
    log_pmf = n * np.log(safe_a) - safe_a - special.gammaln(n + 1.0)
    cdf = special.gammaincc(n + 1.0, safe_a)
    with np.errstate(divide="ignore", invalid="ignore"):
        b = np.exp(log_pmf) / cdf
    b = np.where(cdf > 0.0, b, 1.0)
    return np.clip(np.where(a > 0.0, b, 0.0), 0.0, 1.0)


def erlang_c(agents: FloatArray | float, traffic_erl: FloatArray | float) -> FloatArray:
    """Probability that a contact waits (M/M/N); 1 where the agents cannot carry the load."""
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    b = erlang_b(n, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    return np.where(n > a, np.clip(c, 0.0, 1.0), 1.0)


def average_speed_of_answer_h(agents: FloatArray | float, traffic_erl: FloatArray | float,
                              handle_time_h: FloatArray | float) -> FloatArray:
    """Mean wait before answer, hours; infinite where agents <= traffic."""
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        asa = erlang_c(n, a) * np.asarray(handle_time_h) / (n - a)
    return np.where(n > a, asa, np.inf)


def service_level(agents: FloatArray | float, traffic_erl: FloatArray | float,
                  handle_time_h: FloatArray | float, target_h: FloatArray | float) -> FloatArray:
    """Share of contacts answered within ``target_h``; 0 where agents <= traffic."""
    n = np.asarray(agents, dtype=np.float64)
    a = np.asarray(traffic_erl, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        sl = 1.0 - erlang_c(n, a) * np.exp(-(n - a) * np.asarray(target_h) / np.asarray(handle_time_h))
    return np.where(n > a, np.clip(sl, 0.0, 1.0), 0.0)
