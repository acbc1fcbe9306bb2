"""framescope.analysis.measures: hand-computed values, sign conventions and p-value adjustment."""
import math

import numpy as np
import pytest
from scipy import stats

from framescope.analysis.measures import (adjust_pvalues, g2, g2_cells, log_ratio, logdice, logodds_prior, logodds_z, lrc,
                               mi3, pmi, t_score)
from framescope.corpus.errors import FramescopeError


def _random_rows(n=50_000, seed=0):
    """Random keyness tables: many zero counts, sizes differing by up to 100×."""
    rng = np.random.default_rng(seed)
    c = rng.integers(10, 100_000, n)
    d = (c * 10.0 ** rng.uniform(-2, 2, n)).astype(np.int64) + 10
    a = np.where(rng.random(n) < 0.3, 0, rng.integers(0, 50, n))
    b = np.where(rng.random(n) < 0.3, 0, rng.integers(0, 50, n))
    a, b = np.minimum(a, c - 1), np.minimum(b, d - 1)  # a term is never every token
    return a, b, c, d


def test_log_ratio_zero_rule_keeps_sign_with_unequal_sizes():
    # the example: once in 57,692 target tokens, never in 5,606 reference tokens
    # ε = 0.5/min(c, d) = 0.5/5606 added to both rates: log₂(1 + (1/57692)/(0.5/5606)) = log₂(1.19435)
    assert log_ratio(1, 0, 57692, 5606) == pytest.approx(math.log2(1 + 5606 / (0.5 * 57692)))
    assert log_ratio(1, 0, 57692, 5606) == pytest.approx(0.25622, abs=1e-5)
    assert log_ratio(1, 0, 57692, 5606) > 0
    # 0.5 added to both counts but not the sizes (the old rule) gave the wrong sign
    assert math.log2((1.5 / 57692) / (0.5 / 5606)) == pytest.approx(-1.78, abs=0.01)
    # absent from the target, once in a reference twice its size: ε = 0.5/5
    assert log_ratio(0, 1, 5, 11) == pytest.approx(math.log2(0.1 / (1 / 11 + 0.1)))
    # the review's document-level example: 7 of 395 target documents, 0 of 23 reference ones
    assert log_ratio(7, 0, 395, 23) == pytest.approx(math.log2((7 / 395 + 0.5 / 23) / (0.5 / 23)))
    # equal sizes: the same as adding 0.5 to both counts
    assert log_ratio(10, 0, 100, 100) == pytest.approx(math.log2(10.5 / 0.5))
    # both seen: Hardie's plain ratio, whatever the sizes
    assert log_ratio(10, 10, 1000, 2000) == pytest.approx(1.0)
    assert log_ratio(0, 0, 10, 20) == 0.0


def test_log_ratio_sign_property():
    a, b, c, d = _random_rows()
    lr = log_ratio(a, b, c, d)
    assert np.isfinite(lr).all()
    truth = np.sign(a * d - b * c)  # exact sign of a/c − b/d (integers)
    assert (np.sign(lr) == truth).all()
    assert (np.sign(g2(a, b, c, d)) == truth).all()
    # the default log-odds prior keeps the sign too
    alpha_w, alpha_0 = logodds_prior(a, b, c, d)
    z = logodds_z(a, b, c, d, alpha_w, alpha_0)
    keep = (a + b) > 0
    assert (np.sign(z[keep]) == truth[keep]).all()


def test_logodds_120_vs_0_is_positive_by_default():
    a, b, c, d = 120, 0, 57692, 5606
    alpha_w, alpha_0 = logodds_prior(a, b, c, d)  # default: the two groups
    assert (alpha_w, alpha_0) == (120, 63298)
    assert logodds_z(a, b, c, d, alpha_w, alpha_0) > 0


def test_logodds_priors_hand_computed():
    a, b, c, d = 120, 0, 57692, 5606
    # groups: α_w = a + b = 120, α₀ = c + d = 63,298
    delta = math.log(240 / (57692 + 63298 - 240)) - math.log(120 / (5606 + 63298 - 120))
    z = delta / math.sqrt(1 / 240 + 1 / 120)
    assert logodds_z(a, b, c, d, *logodds_prior(a, b, c, d, "groups")) == pytest.approx(z)
    assert z == pytest.approx(1.1663, abs=1e-4)  # ln(1.13928) / 0.111803
    # corpus: the term is common elsewhere (5,000 of 200,000 tokens) → the sign flips
    delta = math.log(5120 / (57692 + 200000 - 5120)) - math.log(5000 / (5606 + 200000 - 5000))
    z = delta / math.sqrt(1 / 5120 + 1 / 5000)
    got = logodds_z(a, b, c, d, *logodds_prior(a, b, c, d, "corpus", 5000, 200000))
    assert got == pytest.approx(z) and got < 0
    # scaled (Monroe et al.): α₀ = 1,000, α_w = 1,000 × 5,000/200,000 = 25
    assert logodds_prior(a, b, c, d, "scaled", 5000, 200000, prior_size=1000) == (25, 1000)
    delta = math.log(145 / (57692 + 1000 - 145)) - math.log(25 / (5606 + 1000 - 25))
    z = delta / math.sqrt(1 / 145 + 1 / 25)
    got = logodds_z(a, b, c, d, *logodds_prior(a, b, c, d, "scaled", 5000, 200000, prior_size=1000))
    assert got == pytest.approx(z)
    with pytest.raises(FramescopeError):
        logodds_prior(a, b, c, d, "corpus")  # needs the corpus counts
    with pytest.raises(FramescopeError):
        logodds_prior(a, b, c, d, "flat")


def test_adjust_pvalues_keeps_nan_and_matches_scipy():
    p = np.array([0.001, 0.04, np.nan, 0.5])
    bh = adjust_pvalues(p, "bh")
    assert np.isnan(bh[2]) and np.isfinite(bh[[0, 1, 3]]).all()
    assert bh[[0, 1, 3]] == pytest.approx([0.003, 0.06, 0.5])
    rng = np.random.default_rng(3)
    q = np.concatenate([rng.uniform(0, 0.05, 40), rng.uniform(0, 1, 160)])
    q[rng.choice(200, 20, replace=False)] = np.nan
    ok = ~np.isnan(q)
    for method in ("bh", "by"):
        got = adjust_pvalues(q, method)
        assert np.isnan(got[~ok]).all()
        assert got[ok] == pytest.approx(stats.false_discovery_control(q[ok], method=method), rel=1e-12)


def test_adjust_pvalues_holm_bonferroni_hand_computed():
    p = np.array([0.01, 0.04, 0.03, 0.2, np.nan])
    # m = 4 finite values; Holm: sorted 0.01, 0.03, 0.04, 0.2 × 4, 3, 2, 1 → 0.04, 0.09, 0.08→0.09, 0.2
    assert adjust_pvalues(p, "holm")[:4] == pytest.approx([0.04, 0.09, 0.09, 0.2])
    assert adjust_pvalues(p, "bonferroni")[:4] == pytest.approx([0.04, 0.16, 0.12, 0.8])
    assert np.isnan(adjust_pvalues(p, "holm")[4])
    assert adjust_pvalues([np.nan, np.nan], "bh") == pytest.approx([np.nan, np.nan], nan_ok=True)
    with pytest.raises(FramescopeError):
        adjust_pvalues(p, "holm-ish")


def test_lrc_zero_counts():
    value, low, high = lrc(10, 0, 1000, 1000)
    assert np.isinf(high) and low > 0 and value == low
    value, low, high = lrc(1, 1, 1000, 1000)
    assert value == 0 and low < 0 < high


def test_cooccurrence_measures_hand_computed():
    # o11 = 8, e11 = 2, f1 = 10, f2 = 30
    assert pmi(8, 2) == pytest.approx(2.0)
    assert mi3(8, 2) == pytest.approx(math.log2(256))
    assert t_score(8, 2) == pytest.approx(6 / math.sqrt(8))
    assert logdice(8, 10, 30) == pytest.approx(14 + math.log2(16 / 40))
    # G² of a table given by its cells equals the keyness G² of the same table
    assert g2_cells(10, 0, 90, 100) == pytest.approx(abs(float(g2(10, 0, 100, 100))))
