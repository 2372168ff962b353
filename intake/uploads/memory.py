"""Freed memory handed back to the system between the slices of a large reading, and when the server is idle.

The deployment keeps freed memory for the next model run (glibc's ``MALLOC_TRIM_THRESHOLD_``, Arrow's pool), which is
right for a run that allocates and frees the same arrays again, and wrong for a reading whose slices of text are
freed for good: each slice's freed pages stayed with the process. Read in slices of 100,000 rows, 1,000,000 tickets
peaked at 806-876 MB with freed memory kept and at 573-579 MB with glibc handing it back at every free.

Arrow allocates here from jemalloc with no decay, which returns freed pages at once (glibc's heap where the build has no
jemalloc). Its own default pool (mimalloc) keeps a heap per thread, and the reader's threads' freed pages stayed out of
``release_unused``'s reach. A 1,000,000-ticket upload read and measured (the same file, each way in its own process,
three rounds): in slices, peak 600-610 MB with mimalloc, 498-512 MB on glibc's heap, 481-482 MB with jemalloc; read
whole, 957-976 MB, 1,051-1,366 MB and 780-784 MB. Memory handed back is faulted in again: the readings took 1.77 s,
2.06 s and 2.15 s in slices, 1.40 s, 1.23 s and 1.72 s whole (medians, same runs). ``ARROW_DEFAULT_MEMORY_POOL``, when
a deployment sets it, is left to decide.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

import pyarrow as pa


def _returning_pool() -> pa.MemoryPool:
    """jemalloc with no decay (freed pages go back at once), or glibc's heap in a build without it."""
    try:
        pa.jemalloc_set_decay_ms(0)                     # before its first arena: it applies to new arenas only
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.system_memory_pool()


if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
    pa.set_memory_pool(_returning_pool())


def hand_back() -> None:
    """Hand the free memory of glibc's heap and of Arrow's pool back to the system (a few milliseconds)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
    pa.default_memory_pool().release_unused()


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """glibc, found once (``find_library`` runs a subprocess)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None      # glibc only (not macOS, not musl)
