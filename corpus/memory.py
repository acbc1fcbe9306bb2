"""Memory of the counting kernels: page size of large arrays and freed heap pages.

Counting a large corpus allocates and frees arrays of tens of megabytes many times. Two
properties of Linux and glibc decide how much that costs beyond the arithmetic:

* numpy asks the kernel for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every array
  of 4 MiB or more. Where the kernel's THP ``defrag`` setting is ``madvise`` (a common
  default), each first touch of such an array may compact memory synchronously: measured on
  bigram counting over SaudiNewsNet, 0.1 to 0.8 s of system time per run, varying with the
  machine's fragmentation, against 0.03 to 0.2 s with ordinary pages and the same user time
  (``docs/performance.md``). :func:`small_pages` turns the advice off for a block of code
  and restores it after.
* glibc keeps freed medium blocks in its heap, where later large (mmapped) arrays cannot reuse
  them; :func:`release_free_memory` hands them back, which keeps the peak RSS of counting
  after encoding about 120 MB lower on SaudiNewsNet.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import threading

import numpy as np

__all__ = ["small_pages", "release_free_memory"]

# numpy's switch is one process-wide flag: nested or concurrent blocks share one count
_LOCK = threading.Lock()
_DEPTH = 0
_SAVED: list[bool] = []


def _madvise_switch():
    """numpy's setter of the huge-page advice (returns the previous value), or None."""
    core = getattr(np, "_core", None) or getattr(np, "core", None)
    return getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)


@contextlib.contextmanager
def small_pages():
    """Allocate numpy arrays without the transparent-huge-page advice inside the block.

    Results do not change, only the kernel's page handling; the previous setting (numpy's
    default, or the ``NUMPY_MADVISE_HUGEPAGE`` environment variable) is restored when the
    outermost block ends. A no-op where numpy has no such switch.

    Yields
    ------
    None

    Examples
    --------
    >>> import numpy as np
    >>> with small_pages():
    ...     total = int(np.ones(1 << 20, dtype=np.int64).sum())
    >>> total
    1048576
    """
    global _DEPTH
    switch = _madvise_switch()
    if switch is None:
        yield
        return
    with _LOCK:
        if _DEPTH == 0:
            _SAVED.append(bool(switch(False)))
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                switch(_SAVED.pop())


def release_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc ``malloc_trim``).

    Freed chunk temporaries stay in glibc's heap, where later large (mmapped) arrays cannot
    reuse them. A no-op where ``malloc_trim`` does not exist (macOS, musl, Windows).

    Returns
    -------
    None
        Nothing: the live arrays are untouched, only free pages are returned.
    """
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
