"""Work ahead for a manager stepping through a lever.

A manager who presses an arrow key on a slider (or a number's + or -) usually presses it again. After a run
whose only change was one such step, the projection one more step on in the same direction is computed in
the background, into the same shared cache the page reads (``ui.cache``); the next press then finds it there,
or waits for it under the cache's own lock for that case instead of computing it a second time. One
background run at a time for the whole server, and only on an idle model (``cache.model_busy``): a step asked for
while another run is being computed is not queued, so a busy server (a meeting room of sessions) does no more than
it did.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import streamlit as st

from model import Projection
from ui import cache, data
from view.controls import Book, next_step, scenario_of

LAST = "_ahead_last_values"

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roi-ahead")
_lock = threading.Lock()
_running: Future[Projection] | None = None


def step(values: dict[str, Any], book: Book) -> bool:
    """After a Scenario run: if its only change was one step of one control, start the case one more step on.
    Returns whether a background run was started."""
    global _running
    before = st.session_state.get(LAST)
    st.session_state[LAST] = dict(values)
    ahead = next_step(before, values)
    if ahead is None:
        return False
    try:
        # Built here, on the script's thread: the session's applied fits are read from its state.
        scenario = data.calibrated(scenario_of(ahead, book=book))
    except ValueError:                      # one step past what the company allows: nothing to get ready
        return False
    with _lock:
        if (_running is not None and not _running.done()) or cache.model_busy():
            return False
        _running = _worker.submit(cache.projection, scenario, int(values["draws"]))
    return True


def wait(timeout_s: float = 60.0) -> None:
    """Until the background run started last has finished (tests)."""
    with _lock:
        running = _running
    if running is not None:
        running.exception(timeout=timeout_s)
