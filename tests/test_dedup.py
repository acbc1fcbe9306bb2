"""Near-duplicate detection: the LSH bands and the duplicates found."""
from __future__ import annotations

import pytest

from framescope.corpus.dedup import Deduplicator, lsh_bands


@pytest.mark.parametrize("num_perm", [8, 16, 32, 64, 128, 256])
def test_lsh_bands_are_datasketchs(num_perm):
    # the banding MinHashLSH chooses (with SciPy's quad), computed without SciPy
    from datasketch import MinHashLSH

    for k in range(1, 20):
        threshold = k / 20
        try:
            expected = list(MinHashLSH(threshold, num_perm).hashranges)
        except ValueError:  # datasketch refuses one band; the optimum is still defined
            assert len(lsh_bands(threshold, num_perm)) == 1, threshold
            continue
        assert lsh_bands(threshold, num_perm) == expected, threshold


def test_lsh_bands_weights_move_the_optimum():
    # weighting false negatives up asks for more, shorter bands (more candidates)
    plain, recall = lsh_bands(0.8, 64), lsh_bands(0.8, 64, 0.1, 0.9)
    assert len(recall) > len(plain) and recall[0][1] < plain[0][1]


WORDS = ("the ministry said the convoy reached the besieged town on tuesday after weeks of talks "
         "with local councils and the red crescent which delivered food and medicine").split()


def test_exact_near_and_distinct_documents():
    dedup = Deduplicator()
    text = " ".join(WORDS)
    assert dedup.check("a", text) is None
    assert dedup.check("b", text.upper().replace(" ", "  ")) == "a"  # case and spacing folded
    near = " ".join(WORDS[:-1] + ["supplies"])  # one word of 26 changed
    assert dedup.check("c", near) == "a"
    assert dedup.check("d", " ".join(reversed(WORDS))) is None
    short = "too short to compare"
    assert dedup.check("e", short) is None and dedup.check("f", short + "!") == "e"  # exact only
