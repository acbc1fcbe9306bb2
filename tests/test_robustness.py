"""Preprocessing sensitivity (framescope.analysis.robustness)."""
from __future__ import annotations

import pytest

from framescope.analysis import robustness as rb
from framescope.analysis.token_options import TokenOptions
from framescope.corpus.errors import FramescopeError
from tests.stats_corpora import make_corpus


def test_compare_rankings_hand_computed():
    row = rb.compare_rankings(["a", "b", "c", "d", "e"], ["a", "c", "f", "b"], k=3)
    assert row["overlap"] == 2 and row["jaccard"] == pytest.approx(0.5)
    # union a b c f; ranks default 0 1 2 5, variant 0 3 1 2 → Σd² = 6 on ranks, ρ = 1 − 36/60
    assert row["spearman"] == pytest.approx(0.4)
    assert row["entered"] == "f" and row["exited"] == "b"
    same = rb.compare_rankings(list("abcd"), list("abcd"), k=3)
    assert same["jaccard"] == 1.0 and same["spearman"] == pytest.approx(1.0)


def test_grid_changes_one_option_at_a_time():
    grid = rb.preprocessing_grid(TokenOptions(), arabic=True, phrases=("white phosphorus",))
    base = TokenOptions().as_dict()
    for choice, setting, opts in grid[1:]:
        changed = {k for k, v in opts.as_dict().items() if v != base[k]}
        assert changed == {choice}, choice
    assert {c for c, _, _ in grid} >= {"stem", "stopwords", "lowercase", "min_length", "numbers", "phrases",
                                       *rb.ARABIC_CHOICES}
    assert not any(c.startswith("arabic") for c, _, _ in rb.preprocessing_grid(arabic=False))


def _corpus():
    rows, meta = [], {}
    for i in range(6):
        rows.append((f"t{i}", "body", "en", f"The the the army of the state said 2015 terrorists attacked in {i}"))
        rows.append((f"r{i}", "body", "en", f"Rebels attacked, a monitor said; fighting continued on day {i}"))
        meta[f"t{i}"], meta[f"r{i}"] = {"source_type": "state_media"}, {"source_type": "wire"}
    return make_corpus(rows, meta)


def test_robustness_table_on_written_corpus():
    table = rb.robustness(_corpus(), "source_type == 'state_media'", "source_type == 'wire'", lang="en",
                          top=5, min_freq=2, choices=["stopwords", "numbers", "stem", "lowercase"])
    t = table.set_index("choice")
    assert list(table.columns) == rb.ROBUSTNESS_COLUMNS
    # keeping stopwords lets 'the' (24 vs 0) into the top 5
    assert "the" in t.loc["stopwords", "entered"].split(";") and t.loc["stopwords", "jaccard"] < 1
    # dropping numbers removes '2015' from the top 5
    assert "2015" in t.loc["numbers", "exited"].split(";")
    # stemming and case are compared in a common key: nothing moves in this corpus
    assert t.loc["stem", "jaccard"] == 1.0 and t.loc["lowercase", "jaccard"] == 1.0
    with pytest.raises(FramescopeError, match="unknown preprocessing choice"):
        rb.robustness(_corpus(), "source_type == 'state_media'", choices=["nonsense"])


def test_fakes_robustness_subset(fakes_corpus):
    table = rb.robustness(fakes_corpus, "source_type == 'state_media'", "source_type == 'wire'", lang="en",
                          top=20, choices=["stem", "numbers"])
    assert set(table["choice"]) == {"stem", "numbers"}
    assert (table["n_default"] == 20).all() and table["jaccard"].between(0, 1).all()
    print(table[["choice", "setting", "jaccard", "spearman"]])
