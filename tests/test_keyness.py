import math

import numpy as np
import pytest

from framescope.analysis.keyness import (KEYNESS_COLUMNS, KEYNESS_GROUP_SIZE_COLUMNS, KEYNESS_SIZE_COLUMNS, adjust_pvalues, chi2, g2, g2_two_cell, keyness,
                              keyness_counts, keyness_groups, log_ratio, logodds_z, pct_diff)
from framescope.corpus.errors import FramescopeError
from stats_corpora import make_corpus, two_group_corpus


def test_g2_full_table_hand_computed():
    # a=10, b=0, c=d=100: E = 5, 5, 95, 95
    expected = 2 * (10 * math.log(10 / 5) + 90 * math.log(90 / 95) + 100 * math.log(100 / 95))
    assert expected == pytest.approx(14.389502660059355)
    assert g2(10, 0, 100, 100) == pytest.approx(expected)
    assert g2(0, 10, 100, 100) == pytest.approx(-expected)  # signed
    assert g2(30, 10, 1000, 1000) == pytest.approx(10.669048049699542)
    assert g2(5, 5, 100, 100) == pytest.approx(0.0)


def test_g2_two_cell_rayson():
    # Rayson & Garside: 2(a ln(a/E1) + b ln(b/E2)), E1 = c(a+b)/(c+d)
    assert g2_two_cell(30, 10, 1000, 1000) == pytest.approx(2 * (30 * math.log(30 / 20) + 10 * math.log(10 / 20)))


def test_chi2_matches_pearson():
    # a=10,b=0,c=d=100: Σ(O−E)²/E = 25/5 + 25/5 + 25/95 + 25/95
    assert chi2(10, 0, 100, 100) == pytest.approx(10 + 50 / 95)
    assert chi2(10, 30, 1000, 1000) == pytest.approx(-10.204081632653061)


def test_log_ratio_and_zero_handling():
    assert log_ratio(20, 10, 1000, 1000) == pytest.approx(1.0)
    assert log_ratio(10, 10, 1000, 2000) == pytest.approx(1.0)
    # zero: 0.5 added to both counts → log2(10.5 / 0.5)
    assert log_ratio(10, 0, 100, 100) == pytest.approx(math.log2(21))
    # absent from the target, rare in a bigger reference: still negative (sign of a/c − b/d)
    assert log_ratio(0, 1, 5, 11) < 0


def test_pct_diff():
    assert pct_diff(20, 10, 1000, 1000) == pytest.approx(100.0)
    assert pct_diff(0, 10, 1000, 1000) == pytest.approx(-100.0)
    assert pct_diff(3, 0, 1000, 1000) == np.inf


def test_logodds_z_monroe_hand_computed():
    # a=10, b=2, c=d=100, prior α_w=12, α0=200
    delta = math.log(22 / (100 + 200 - 22)) - math.log(14 / (100 + 200 - 14))
    assert logodds_z(10, 2, 100, 100, 12, 200) == pytest.approx(delta / math.sqrt(1 / 22 + 1 / 14))
    assert logodds_z(10, 2, 100, 100, 12, 200) == pytest.approx(1.405035073810234)


def test_p_value_adjustment():
    p = np.array([0.01, 0.04, 0.03, 0.2])
    assert adjust_pvalues(p, "bh") == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])
    assert adjust_pvalues(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 0.8])
    assert adjust_pvalues(p, "none") == pytest.approx(p)
    with pytest.raises(FramescopeError):
        adjust_pvalues(p, "holm-ish")


def test_keyness_counts_columns_and_p_values():
    t = keyness_counts("en", ["x", "y"], [10, 5], [0, 5], 100, 100)
    assert list(t.columns) == KEYNESS_COLUMNS
    from scipy import stats
    assert t.loc[0, "p_value"] == pytest.approx(stats.chi2.sf(14.389502660059355, 1))
    assert t.loc[1, "g2"] == pytest.approx(0.0) and t.loc[1, "p_value"] == pytest.approx(1.0)


def test_keyness_on_corpus_hand_computed_and_one_group_term():
    corpus = two_group_corpus()
    t = keyness(corpus, "source_type == 'state_media'", "source_type == 'wire'", min_freq=1, n_boot=200, seed=1)
    assert list(t.columns) == KEYNESS_COLUMNS + KEYNESS_SIZE_COLUMNS
    row = t[(t.lang == "en") & (t.term == "terrorists")].iloc[0]
    # state_media: 13 English tokens, terrorists 3 (2 documents); wire (w3 is a duplicate, excluded):
    # w1 "rebels shelled aleppo" + "civilians killed aleppo" = 6, w2 "rebels attack army" +
    # "monitor civilians killed" = 6 → 12 tokens, terrorists 0
    assert (row.freq_target, row.freq_reference, row.size_target, row.size_reference) == (3, 0, 13, 12)
    assert (row.docs_target, row.docs_reference) == (2, 0)
    assert row.g2 == pytest.approx(float(g2(3, 0, 13, 12)))
    assert row.g2 > 0
    # zero rule: 0.5/min(13, 12) added to both relative frequencies
    assert row.log_ratio == pytest.approx(math.log2((3 / 13 + 0.5 / 12) / (0.5 / 12)))
    assert row.log_ratio_low <= row.log_ratio_high
    # Arabic is only in the target: not compared, and said so
    assert "ar" not in set(t.lang)
    assert t.attrs["languages_one_side_only"] == ["ar"]
    # sorted by signed G²
    assert t.g2.is_monotonic_decreasing
    assert (t.p_adjusted >= t.p_value - 1e-15).all()
    assert t.attrs["seed"] == 1


def _burst_corpus():
    # one target document repeats the term; the other target documents never use it
    rows = [("t0", "body", "en", "bombard " * 30)] + [(f"t{i}", "body", "en", "quiet day town") for i in range(1, 8)]
    rows += [(f"r{i}", "body", "en", "quiet day town bombard") for i in range(8)]
    meta = {d: {"g": "t" if d.startswith("t") else "r"} for d, *_ in rows}
    return make_corpus(rows, meta)


def _varied_corpus():
    # 20 documents per group with different lengths and term counts (continuous bootstrap)
    rows, meta = [], {}
    for i in range(40):
        g = "t" if i < 20 else "r"
        text = " ".join(["strike"] * (i % 7 + (3 if g == "t" else 0)) + ["town"] * (5 + (i * 3) % 11))
        rows.append((f"d{i}", "body", "en", text))
        meta[f"d{i}"] = {"g": g}
    return make_corpus(rows, meta)


def test_bootstrap_deterministic_under_seed():
    corpus = _varied_corpus()
    a = keyness(corpus, "g == 't'", min_freq=1, n_boot=300, seed=7)
    b = keyness(corpus, "g == 't'", min_freq=1, n_boot=300, seed=7)
    c = keyness(corpus, "g == 't'", min_freq=1, n_boot=300, seed=8)
    cols = ["log_ratio_low", "log_ratio_high"]
    assert a[cols].equals(b[cols])
    assert not a[cols].equals(c[cols])
    assert a.attrs["seed"] == 7 and a.attrs["n_boot"] == 300


def test_bootstrap_ci_reflects_documents_not_tokens():
    t = keyness(_burst_corpus(), "g == 't'", min_freq=1, n_boot=500, seed=0)
    row = t[t.term == "bombard"].iloc[0]
    assert row.p_value < 0.01 and row.log_ratio > 1  # pooled counts say "key"
    assert row.log_ratio_low < 0 < row.log_ratio_high  # documents say "not reliably"


def test_keyness_errors():
    corpus = two_group_corpus()
    with pytest.raises(FramescopeError):
        keyness(corpus, "source_type == 'ngo'")
    with pytest.raises(FramescopeError):
        keyness(corpus, "source_type == 'wire'", "outlet == 'reuters'")  # overlap
    with pytest.raises(FramescopeError):
        keyness(corpus, "no_such == 1")


def test_keyness_groups_each_vs_rest_is_antisymmetric():
    corpus = two_group_corpus()
    t = keyness_groups(corpus, by="source_type", lang="en", min_freq=1, n_boot=50)
    assert list(t.columns) == ["group"] + KEYNESS_COLUMNS + KEYNESS_GROUP_SIZE_COLUMNS
    s = t[t.group == "state_media"].set_index("term")
    w = t[t.group == "wire"].set_index("term")
    assert s.loc["terrorists", "g2"] == pytest.approx(-w.loc["terrorists", "g2"])
    assert s.loc["aleppo", "log_ratio"] == pytest.approx(-w.loc["aleppo", "log_ratio"])


def _bootstrap_by_loop(x_t, x_r, len_t, len_r, term_lang, n_boot, ci, seed):
    """The bootstrap written out replicate by replicate (float64), from the same weights."""
    from framescope.analysis.keyness import bootstrap_weights

    rng_t, rng_r = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    w_t = bootstrap_weights(rng_t, x_t.shape[0], n_boot)
    w_r = bootstrap_weights(rng_r, x_r.shape[0], n_boot)
    reps = np.array([log_ratio(w_t[r] @ x_t, w_r[r] @ x_r, (w_t[r] @ len_t)[term_lang], (w_r[r] @ len_r)[term_lang])
                     for r in range(n_boot)])
    q = [100 * (1 - ci) / 2, 100 * (1 + ci) / 2]
    return np.nanpercentile(reps, q, axis=0)


def test_bootstrap_weights_are_multinomial_resamples():
    from framescope.analysis.keyness import bootstrap_weights

    w = bootstrap_weights(np.random.default_rng(0), 50, 400)
    assert w.shape == (400, 50) and (w.sum(axis=1) == 50).all()
    # each document is drawn Binomial(50, 1/50) times: mean 1, variance 0.98
    assert w.mean() == pytest.approx(1.0) and w.var() == pytest.approx(0.98, abs=0.05)
    again = bootstrap_weights(np.random.default_rng(0), 50, 400)
    assert (w == again).all()


def test_sparse_bootstrap_equals_replicate_loop(monkeypatch):
    import scipy.sparse as sp

    import framescope.analysis.keyness as key

    rng = np.random.default_rng(5)
    x_t = rng.poisson(0.8, (30, 12)) * (rng.random((30, 12)) < 0.5)
    x_r = rng.poisson(0.5, (45, 12)) * (rng.random((45, 12)) < 0.5)
    x_t[:, 0] = 0  # absent from the target
    x_r[:, 1] = 0  # absent from the reference
    term_lang = np.array([0] * 8 + [1] * 4)
    len_t = np.column_stack([x_t[:, :8].sum(1) + 20, x_t[:, 8:].sum(1) + 5])
    len_r = np.column_stack([x_r[:, :8].sum(1) + 25, x_r[:, 8:].sum(1) + 4])
    expected = _bootstrap_by_loop(x_t, x_r, len_t, len_r, term_lang, 300, 0.9, 11)
    low, high = key.bootstrap_log_ratio(sp.csr_matrix(x_t), sp.csr_matrix(x_r), len_t, len_r, term_lang, 300, 0.9,
                                        np.random.SeedSequence(11))
    assert low == pytest.approx(expected[0], rel=1e-5, abs=1e-5)
    assert high == pytest.approx(expected[1], rel=1e-5, abs=1e-5)
    # the blocks bound the memory but do not change the answer
    monkeypatch.setattr(key, "_BOOT_BLOCK", 97)
    monkeypatch.setattr(key, "_WEIGHTS_CHUNK", 2000)  # replicate chunks of 44 and 66
    monkeypatch.setattr(key, "_WEIGHTS_KEPT", 5000)  # converted again for every block
    low2, high2 = key.bootstrap_log_ratio(sp.csr_matrix(x_t), sp.csr_matrix(x_r), len_t, len_r, term_lang, 300, 0.9,
                                          np.random.SeedSequence(11))
    assert (low2 == low).all() and (high2 == high).all()


def _equal_length_groups(k_target: int, k_reference: int, n: int = 10):
    """n target and n reference documents of 5 tokens; 'strike' once in k_* of each group's documents."""
    rows, meta = [], {}
    for g, k in (("t", k_target), ("r", k_reference)):
        for i in range(n):
            words = ["strike" if i < k else "calm", "town", "road", "day", "night"]
            rows.append((f"{g}{i}", "body", "en", " ".join(words)))
            meta[f"{g}{i}"] = {"g": g}
    return make_corpus(rows, meta)


def test_permutation_test_hand_checked():
    """10 + 10 documents of 5 tokens: T = a/c − b/d = (2j − k)/50 where j of the k documents
    with the term fall in the target, so the p-value is hypergeometric."""
    from math import comb

    from framescope.analysis.counts import dtm
    from framescope.analysis.keyness import permutation_test

    def run(k_t, k_r):
        corpus = _equal_length_groups(k_t, k_r)
        m = dtm(corpus)
        col = m.vocab.index("en", "strike")
        is_t = np.array([d.startswith("t") for d in m.doc_ids])
        totals, _ = m.lang_totals()
        return permutation_test(m.matrix[:, [col]], totals, np.array([0]), is_t, n_perm=20_000, seed=1)

    # 4 in the target, 0 in the reference: P(all 4 land in the target) = C(10,4)/C(20,4) = 210/4845
    p, testable = run(4, 0)
    assert p[0] == pytest.approx(2 * 210 / 4845, rel=1e-9)  # documents on one side: exact
    assert not testable[0]  # 2 × 0.0433 > 0.05: no relabelling is rare enough
    # 6 in the target: C(10,6)/C(20,6) = 210/38760
    p, testable = run(6, 0)
    assert p[0] == pytest.approx(2 * 210 / 38760, rel=1e-9) and testable[0]
    # 3 vs 1: P(j ≥ 3) = [C(4,3)C(16,7) + C(16,6)] / C(20,10)
    upper = (comb(4, 3) * comb(16, 7) + comb(16, 6)) / comb(20, 10)
    p, testable = run(3, 1)  # sampled (20,000 relabellings)
    assert p[0] == pytest.approx(2 * upper, abs=0.02) and testable[0]
    # deterministic under the seed
    assert run(3, 1)[0][0] == p[0]


def test_bootstrap_alone_passes_a_one_sided_term_the_permutation_test_does_not():
    corpus = _equal_length_groups(4, 0)
    t = keyness(corpus, "g == 't'", "g == 'r'", min_freq=1, n_boot=1000, seed=0)
    row = t[t.term == "strike"].iloc[0]
    assert row.log_ratio > 0 and row.log_ratio_low > 0  # the bootstrap says "key" ...
    from framescope.analysis.rigour import keyness_review

    r = keyness_review(corpus, "g == 't'", "g == 'r'", min_freq=1, n_boot=1000, n_perm=2000)
    row = r[r.term == "strike"].iloc[0]
    assert row.perm_p > 0.05 and not row.sig_bootstrap  # ... a relabelling test does not
    assert row.perm_testable is False or not row.perm_testable
    assert "strike" in r.attrs["untestable_terms"]


def test_logodds_prior_option_on_a_corpus():
    # a large target, a small reference, and a third group using 'strike' far more than both
    rows, meta = [], {}
    for i in range(4):
        rows.append((f"t{i}", "body", "en", "strike " * 30 + "town " * 970))
        meta[f"t{i}"] = {"g": "t"}
        rows.append((f"r{i}", "body", "en", "town " * 100))
        meta[f"r{i}"] = {"g": "r"}
        rows.append((f"o{i}", "body", "en", "strike " * 900 + "town " * 100))
        meta[f"o{i}"] = {"g": "o"}
    corpus = make_corpus(rows, meta)
    kw = dict(min_freq=1, n_boot=0)
    default = keyness(corpus, "g == 't'", "g == 'r'", **kw).set_index("term")
    assert default.attrs["logodds_prior"] == "groups"
    assert (default.loc["strike", "freq_target"], default.loc["strike", "freq_reference"]) == (120, 0)
    assert default.loc["strike", "logodds_z"] > 0 and default.loc["strike", "g2"] > 0
    whole = keyness(corpus, "g == 't'", "g == 'r'", prior="corpus", **kw).set_index("term")
    assert whole.loc["strike", "logodds_z"] < 0  # the whole-corpus prior flips the sign
    scaled = keyness(corpus, "g == 't'", "g == 'r'", prior="scaled", prior_size=10, **kw).set_index("term")
    # α₀ = 10, α_w = 10 × 3720/8400 (strike: 120 + 3,600 of 4,000 + 400 + 4,000 tokens)
    alpha = 10 * 3720 / 8400
    z = logodds_z(120, 0, 4000, 400, alpha, 10)
    assert scaled.loc["strike", "logodds_z"] == pytest.approx(float(z))
    assert scaled.attrs["prior_size"] == 10


def test_keyness_of_a_subset_counted_from_a_shared_matrix_records_labels_and_sizes():
    """The notebooks' call (the former report.keyness_between): a matrix of the whole corpus,
    a subset's queries, labels for figures; the table is keyness_matrix's on the same masks."""
    from framescope.analysis.counts import dtm
    from framescope.analysis.keyness import keyness_matrix

    c = two_group_corpus()
    m = dtm(c)
    mine = keyness(c, "source_type == 'state_media'", "source_type == 'wire'", min_freq=1, n_boot=50, seed=3,
                   matrix=m, target_label="state", reference_label="wire copy")
    t_mask = np.isin(m.doc_ids, c.subset("source_type == 'state_media'").documents.doc_id)
    r_mask = np.isin(m.doc_ids, c.subset("source_type == 'wire'").documents.doc_id)
    ref = keyness_matrix(m, t_mask, r_mask, min_freq=1, n_boot=50, seed=3)
    assert mine.drop(columns=KEYNESS_SIZE_COLUMNS).equals(ref)
    assert mine.attrs["target_label"] == "state" and mine.attrs["reference_label"] == "wire copy"
    assert mine.attrs["n_docs_target"] == int(t_mask.sum()) and mine.attrs["n_docs_reference"] == int(r_mask.sum())
    with pytest.raises(FramescopeError, match="reference query"):
        keyness(c, "source_type == 'state_media'", "source_type == 'ngo'", matrix=m)
    assert (np.sign(mine["log_ratio"]) == np.sign(mine["g2"])).all()
    assert mine.attrs["logodds_prior"] == "groups"
    scaled = keyness(c, "source_type == 'state_media'", "source_type == 'wire'", min_freq=1, n_boot=0,
                     prior="scaled", prior_size=50, matrix=m)
    assert scaled.attrs["logodds_prior"] == "scaled" and scaled.attrs["prior_size"] == 50
