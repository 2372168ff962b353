"""Freed memory handed back to the system between the slices of a large reading, and when the server is idle.

The deployment keeps freed memory for the next model run (glibc's ``MALLOC_TRIM_THRESHOLD_``, Arrow's pool), which is
right for a run that allocates and frees the same arrays again, and wrong for a reading whose slices of text are
freed for good: each slice's freed pages stayed with the process. Read in slices of 100,000 rows, 1,000,000 tickets
peaked at 806-876 MB with freed memory kept and at 573-579 MB with glibc handing it back at every free.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

import pyarrow as pa


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
