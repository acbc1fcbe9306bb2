"""Document resampling: the one bootstrap behind every interval of framescope.

Every confidence interval that resamples documents (keyness's log ratio, framing rates and
shares, topic prevalence, within-event differences) draws its replicates here and reads
them with :func:`percentile_interval`, so a change to the resampling rule is made once.

Draws
    :func:`multinomial_weights` — replicate r weights each of n units by how often it is
    drawn when n units are drawn with replacement (a Multinomial(n, 1/n) vector; one
    ``rng.multinomial`` call per block of replicates).
    :func:`bootstrap_weights` — the same weights made from n uniform draws and a count
    (no loop over the units; small unsigned integers: the memory of a keyness bootstrap
    over 30,000 documents).
    :func:`resample_indices` — the units drawn, as indices (``rng.integers``).

Intervals
    :func:`percentile_interval` — the percentile interval (Efron & Tibshirani 1993, ch. 13)
    of the replicates, ignoring replicates that are NaN (a ratio whose denominator was 0 in
    that resample) when asked.

Every function takes a :class:`numpy.random.Generator`; the caller seeds it (from a
:class:`numpy.random.SeedSequence` recorded in its table), so results depend only on the
seed and never on block sizes.

References
----------
Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall,
ch. 6 and 13.
Davison, A. C. & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*.
Cambridge University Press, ch. 2 and 5.
"""
from __future__ import annotations

import warnings

import numpy as np

__all__ = ["BOOT_BLOCK", "multinomial_weights", "bootstrap_weights", "resample_indices", "resampled_means",
           "percentile_interval"]

#: float64 values per temporary array of a bootstrap (replicates × units): 4M values = 32 MB.
BOOT_BLOCK = 4_000_000


def multinomial_weights(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """How often each of ``n`` units is drawn in each of ``size`` resamples with replacement.

    Parameters
    ----------
    rng : numpy.random.Generator
        The seeded generator (its stream advances by one multinomial call).
    n : int
        Units (documents, events) to resample; at least 1.
    size : int
        Replicates.

    Returns
    -------
    numpy.ndarray
        ``size`` × ``n`` float64 counts; each row sums to ``n``.

    References
    ----------
    Efron & Tibshirani (1993), ch. 6.
    """
    return rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(np.float64)


def bootstrap_weights(rng: np.random.Generator, n_docs: int, n_reps: int) -> np.ndarray:
    """Resampling counts of ``n_reps`` bootstrap replicates of ``n_docs`` documents.

    Row r says how often each document is drawn when ``n_docs`` documents are drawn with
    replacement (a Multinomial(n_docs, 1/n_docs) vector), made from ``n_docs`` uniform
    draws and a count (a multinomial sampler loops over the documents; this does not).

    Parameters
    ----------
    rng : numpy.random.Generator
        The seeded generator.
    n_docs : int
        Documents to resample.
    n_reps : int
        Replicates.

    Returns
    -------
    numpy.ndarray
        ``n_reps`` × ``n_docs`` unsigned integers (uint8 while no count exceeds 255).

    References
    ----------
    Efron & Tibshirani (1993), ch. 6.
    """
    out = np.empty((n_reps, n_docs), dtype=np.uint16)
    step = max(1, BOOT_BLOCK // max(1, n_docs))
    for start in range(0, n_reps, step):
        k = min(step, n_reps - start)
        draws = rng.integers(0, n_docs, size=(k, n_docs), dtype=np.int64)
        draws += (np.arange(k, dtype=np.int64) * n_docs)[:, None]
        out[start:start + k] = np.bincount(draws.ravel(), minlength=k * n_docs).reshape(k, n_docs)
    return out.astype(np.uint8) if out.size == 0 or out.max() < 256 else out


def resample_indices(rng: np.random.Generator, n: int, n_reps: int) -> np.ndarray:
    """Indices of the units drawn in ``n_reps`` resamples of ``n`` units with replacement.

    Parameters
    ----------
    rng : numpy.random.Generator
        The seeded generator.
    n : int
        Units to resample.
    n_reps : int
        Replicates.

    Returns
    -------
    numpy.ndarray
        ``n_reps`` × ``n`` int64 indices in ``[0, n)``.

    References
    ----------
    Efron & Tibshirani (1993), ch. 6.
    """
    return rng.integers(0, n, size=(n_reps, n))


def resampled_means(values: np.ndarray, rng: np.random.Generator, n_reps: int) -> np.ndarray:
    """The mean of ``values`` in each of ``n_reps`` resamples with replacement.

    Parameters
    ----------
    values : numpy.ndarray
        One value per unit.
    rng : numpy.random.Generator
        The seeded generator (:func:`resample_indices`).
    n_reps : int
        Replicates.

    Returns
    -------
    numpy.ndarray
        ``n_reps`` replicate means.

    References
    ----------
    Efron & Tibshirani (1993), ch. 6.
    """
    values = np.asarray(values)
    return values[resample_indices(rng, len(values), n_reps)].mean(axis=1)


def percentile_interval(reps: np.ndarray, ci: float, axis: int = 0, skip_nan: bool = False,
                        percent: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of bootstrap replicates: the (1 − ci)/2 and (1 + ci)/2 quantiles.

    Parameters
    ----------
    reps : numpy.ndarray
        Replicates along ``axis``.
    ci : float
        Confidence level in (0, 1).
    axis : int
        The replicate axis.
    skip_nan : bool
        Ignore NaN replicates (a ratio whose denominator was 0 in that resample); an
        estimate with only NaN replicates gets a NaN interval. The fast NaN-free
        computation runs on every other estimate.
    percent : bool
        Compute through :func:`numpy.percentile` on ``100·q`` (the keyness and framing
        bootstraps) or :func:`numpy.quantile` on ``q`` (topic and event bootstraps); the
        two agree to the last bits, and each table keeps the one it was published with.

    Returns
    -------
    (low, high) : tuple of numpy.ndarray or float
        The bounds, with ``axis`` removed.

    References
    ----------
    Efron & Tibshirani (1993), ch. 13 (percentile interval).
    """
    alpha = (1.0 - ci) / 2.0
    reps = np.asarray(reps, dtype=np.float64)
    if percent:
        q, plain, nan_aware = [100 * alpha, 100 * (1 - alpha)], np.percentile, np.nanpercentile
    else:
        q, plain, nan_aware = [alpha, 1 - alpha], np.quantile, np.nanquantile
    if not skip_nan:
        low, high = plain(reps, q, axis=axis)
        return low, high
    if reps.ndim == 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN: NaN interval
            low, high = nan_aware(reps, q)
        return low, high
    moved = np.moveaxis(reps, axis, -1)
    bad = np.isnan(moved).any(axis=-1)
    low, high = (np.array(v, dtype=np.float64) for v in plain(moved, q, axis=-1))
    if bad.any():  # rare: the slow NaN-aware quantile only where a replicate is NaN
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN estimates stay NaN
            low[bad], high[bad] = nan_aware(moved[bad], q, axis=-1)
    return low, high
