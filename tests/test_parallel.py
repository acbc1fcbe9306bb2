"""framescope.corpus.parallel: kernel threads (the Backend is tested in test_partitioned.py)."""
from __future__ import annotations

import threading
import time

import pytest

from framescope.corpus.errors import FramescopeError
from framescope.corpus.parallel import MAX_KERNEL_THREADS, kernel_threads, thread_map


def test_kernel_threads_reads_the_environment(monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_THREADS", "3")
    assert kernel_threads() == 3
    monkeypatch.delenv("FRAMESCOPE_THREADS")
    assert 1 <= kernel_threads() <= MAX_KERNEL_THREADS
    for bad in ("0", "-1", "two", "1.5"):
        monkeypatch.setenv("FRAMESCOPE_THREADS", bad)
        with pytest.raises(FramescopeError, match="FRAMESCOPE_THREADS must be a positive integer"):
            kernel_threads()


def test_thread_map_keeps_the_order_and_bounds_what_is_in_flight():
    taken, lock = [], threading.Lock()
    in_flight = {"now": 0, "most": 0}

    def items():
        for i in range(40):
            with lock:
                taken.append(i)
            yield i

    def slow(i):
        with lock:
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])
        time.sleep(0.002 * (i % 3))  # later items often finish first
        with lock:
            in_flight["now"] -= 1
        return i * i

    got = []
    for value in thread_map(slow, items(), threads=3):
        got.append(value)
        assert len(taken) <= len(got) + 4  # at most threads + 1 read ahead
    assert got == [i * i for i in range(40)]
    assert in_flight["most"] <= 3
    assert list(thread_map(slow, iter(range(5)), threads=1)) == [0, 1, 4, 9, 16]


def test_thread_map_passes_errors_on():
    def fail(i):
        if i == 3:
            raise ValueError("item 3")
        return i

    with pytest.raises(ValueError, match="item 3"):
        list(thread_map(fail, range(10), threads=2))
