"""framescope.corpus.memory: the huge-page switch is scoped, and freeing heap pages is safe."""
from __future__ import annotations

import numpy as np
import pytest

from framescope.corpus import memory
from framescope.corpus.memory import release_free_memory, small_pages


def _switch():
    switch = memory._madvise_switch()
    if switch is None:
        pytest.skip("this numpy has no huge-page switch (small_pages is a no-op there)")
    return switch


def test_small_pages_turns_the_advice_off_inside_and_restores_it():
    switch = _switch()
    before = switch(True)  # a known state: on
    try:
        with small_pages():
            assert switch(False) is False  # off inside (reading it sets the same value back)
            with small_pages():  # nested: still off, and the outer block restores
                assert switch(False) is False
            assert switch(False) is False
        assert switch(True) is True  # on again after the outermost block
        with pytest.raises(ZeroDivisionError):
            with small_pages():
                1 / 0
        assert switch(True) is True  # restored on an error too
    finally:
        switch(before)


def test_results_do_not_depend_on_the_page_size():
    rng = np.random.default_rng(1)
    data = rng.integers(0, 1000, 1 << 21)
    with small_pages():
        inside = np.sort(data)
    assert np.array_equal(inside, np.sort(data))


def test_release_free_memory_keeps_live_arrays():
    kept = np.arange(1 << 20)
    for _ in range(3):
        waste = np.ones(1 << 22)
        del waste
    release_free_memory()
    assert kept[-1] == (1 << 20) - 1 and kept.sum() == (1 << 20) * ((1 << 20) - 1) // 2
