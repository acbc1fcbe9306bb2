"""The one document bootstrap (analysis/resampling.py): draws and percentile intervals."""
import numpy as np
import pytest

from framescope.analysis.resampling import (bootstrap_weights, multinomial_weights, percentile_interval,
                                            resample_indices, resampled_means)


def test_multinomial_weights_resample_every_unit_n_times():
    w = multinomial_weights(np.random.default_rng(1), 7, 500)
    assert w.shape == (500, 7) and w.dtype == np.float64
    assert (w.sum(axis=1) == 7).all() and (w >= 0).all()
    # each unit is drawn once per replicate on average (Multinomial(7, 1/7) marginals: mean 1)
    assert w.mean(axis=0) == pytest.approx(np.ones(7), abs=0.15)
    # the stream of the generator: the same draws as rng.multinomial itself
    again = np.random.default_rng(1).multinomial(7, [1 / 7] * 7, size=500)
    assert (w == again).all()


def test_bootstrap_weights_are_counts_of_uniform_draws():
    rng = np.random.default_rng(4)
    w = bootstrap_weights(rng, 5, 3)
    draws = np.random.default_rng(4).integers(0, 5, size=(3, 5), dtype=np.int64)
    assert w.tolist() == [np.bincount(d, minlength=5).tolist() for d in draws]
    assert w.dtype == np.uint8


def test_resampled_means_by_hand():
    values = np.array([1.0, 2.0, 10.0])
    idx = resample_indices(np.random.default_rng(2), 3, 4)
    assert idx.shape == (4, 3) and idx.min() >= 0 and idx.max() < 3
    means = resampled_means(values, np.random.default_rng(2), 4)
    assert means.tolist() == pytest.approx([values[i].mean() for i in idx])


def test_percentile_interval_matches_numpy_and_skips_nan():
    reps = np.arange(1.0, 101.0)  # 1..100
    assert percentile_interval(reps, 0.9) == pytest.approx((np.percentile(reps, 5), np.percentile(reps, 95)))
    assert percentile_interval(reps, 0.9, percent=False) == pytest.approx((5.95, 95.05))  # linear interpolation
    two = np.c_[reps, reps[::-1] * 2]
    low, high = percentile_interval(two, 0.5, axis=0)
    assert low.tolist() == pytest.approx([25.75, 51.5]) and high.tolist() == pytest.approx([75.25, 150.5])
    # a NaN replicate (denominator 0 in that resample) is ignored when asked, and only where it occurs
    holed = two.copy()
    holed[:50, 0] = np.nan
    low, high = percentile_interval(holed, 0.5, axis=0, skip_nan=True)
    assert low[0] == pytest.approx(np.percentile(reps[50:], 25)) and low[1] == pytest.approx(51.5)
    assert np.isnan(percentile_interval(np.full((10, 2), np.nan), 0.9, skip_nan=True)[0]).all()
    assert np.isnan(percentile_interval(holed, 0.5, axis=0)[0][0])  # not skipped: NaN
    # replicates along axis 1 (keyness: terms × replicates) give the same bounds
    low1, high1 = percentile_interval(holed.T, 0.5, axis=1, skip_nan=True)
    assert low1.tolist() == pytest.approx(low.tolist()) and high1.tolist() == pytest.approx(high.tolist())


def test_every_bootstrap_draws_through_resampling(monkeypatch):
    """keyness, framing ratios, topic prevalence and within-event differences all resample
    through this module: replacing its draws changes every one of them."""
    import framescope.analysis.event_compare as ev
    import framescope.analysis.framing.groupstats as gs
    import framescope.analysis.keyness as key
    import framescope.analysis.topics.effects as eff

    assert key.bootstrap_weights is bootstrap_weights
    assert gs.multinomial_weights is multinomial_weights and eff.multinomial_weights is multinomial_weights
    assert ev.multinomial_weights is multinomial_weights and ev.resampled_means is resampled_means
    calls = []
    monkeypatch.setattr(gs, "multinomial_weights", lambda rng, n, k: calls.append(n) or np.ones((k, n)))
    est, low, high = gs.bootstrap_ratio(np.array([[1.0], [3.0]]), np.array([2.0, 2.0]), 5, 0.9,
                                        np.random.SeedSequence(0))
    assert calls == [2] and low[0] == high[0] == est[0] == 1.0  # every replicate the full sample
