"""Memory handed back to the system once the server is idle.

The deployment keeps freed memory for the next run (glibc's ``MALLOC_TRIM_THRESHOLD_``, Arrow's pool): touching
fresh pages again cost a tenth to a fifth of a model run. That is right while people work and wrong once they have
gone: the memory of closed sessions stayed with the server (about 100 MB after 20 sessions). So a watcher thread,
one per server, hands the free memory back (``malloc_trim``, Arrow's ``release_unused``; with nobody connected, the
cached projections and tables too) when no page has run for
:data:`IDLE_S` seconds, and again every :data:`AGAIN_S` seconds of the idle spell a few times (closed sessions are
let go only after Streamlit's ``disconnectedSessionTTL``). While anyone is connected the caches stay: they are bounded
and shared.
"""

from __future__ import annotations

import gc
import threading
import time

from intake.uploads import hand_back

IDLE_S = 20.0                     # no page run for this long: the people have gone, or are reading
AGAIN_S = 60.0                    # while idle, again this often: closed sessions are let go later (their TTL)
IDLE_TRIMS = 5                    # trims in one idle spell (the sessions' TTL is 120 s by default)
_last_run = time.monotonic()
_trims = IDLE_TRIMS               # trims done since the last run
_last_trim = 0.0
_lock = threading.Lock()
_started = False


def ran() -> None:
    """A page has just run (called by every page's frame)."""
    global _last_run, _trims
    _last_run = time.monotonic()
    _trims = 0
    _start()


def trim() -> None:
    """Hand the process's free memory back: Python's cycles, glibc's free heap, Arrow's pool; with nobody connected,
    the projections and tables cached for the sessions that have gone too (a returning user computes them again)."""
    if nobody_connected():
        from ui import cache
        cache.forget_per_case()
    gc.collect()
    hand_back()


def nobody_connected() -> bool:
    """No browser tab is connected to this server (False when that cannot be told)."""
    try:
        from streamlit.runtime import Runtime
        return Runtime.exists() and Runtime.instance()._session_mgr.num_active_sessions() == 0   # noqa: SLF001
    except Exception:        # another Streamlit's internals: keep the caches
        return False


def _watch() -> None:
    global _trims, _last_trim
    while True:
        time.sleep(IDLE_S / 4)
        now = time.monotonic()
        with _lock:
            due = (_trims < IDLE_TRIMS and now - _last_run >= IDLE_S
                   and (_trims == 0 or now - _last_trim >= AGAIN_S))
            if due:
                _trims += 1
                _last_trim = now
        if due:
            trim()


def _start() -> None:
    global _started
    with _lock:
        if _started:
            return
        _started = True
    threading.Thread(target=_watch, daemon=True, name="idle-trim").start()
