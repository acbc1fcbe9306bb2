"""The keyness document bootstrap as it was before issue 21 (main at d9964fb), kept as the
anchor of ``bench_keyness.py --part bootstrap``: dense replicate blocks of float64 products,
the weights converted again for every block of terms, and ``np.nanpercentile``.

Only the engine is the old one: it computes the log ratio with
:func:`framescope.analysis.measures.log_ratio` (the current zero rule), so that the anchor and the new
engine estimate the same statistic and their intervals can be compared.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from framescope.analysis.measures import log_ratio

_BOOT_BLOCK = 2_000_000


def _resample_weights(rng: np.random.Generator, n_docs: int, n_boot: int, chunk: int) -> np.ndarray:
    """``n_boot`` × ``n_docs`` multinomial resampling counts, drawn ``chunk`` rows at a time.

    Stored as small unsigned integers (a document is drawn a handful of times at most), so
    that 1,000 replicates of 30,000 documents take 60 MB, not the 240 MB of float64.
    """
    dtype = np.uint16 if n_docs < np.iinfo(np.uint16).max else np.uint32
    weights = np.empty((n_boot, n_docs), dtype=dtype)
    p = np.full(n_docs, 1.0 / n_docs)
    for start in range(0, n_boot, chunk):
        k = min(chunk, n_boot - start)
        weights[start:start + k] = rng.multinomial(n_docs, p, size=k)
    return weights


def _bootstrap_log_ratio(x_t: sp.csr_matrix, x_r: sp.csr_matrix, len_t: np.ndarray, len_r: np.ndarray,
                         term_lang: np.ndarray, n_boot: int, ci: float, seed_seq,
                         chunk: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CI of log_ratio from ``n_boot`` document resamples within each group.

    ``x_*``: documents × kept terms; ``len_*``: documents × languages token counts;
    ``term_lang``: language column of each kept term. Replicate r draws n_t target and
    n_r reference documents with replacement (multinomial weights) from generators spawned
    from ``seed_seq``, so the result depends only on the seed, not on ``chunk``.

    Memory is bounded whatever the number of terms (issue 7): the resampling weights are
    drawn once and kept as integers, then the replicates are computed and reduced to their
    percentiles one block of terms at a time, so no replicates × terms array is ever built.
    """
    n_terms = x_t.shape[1]
    if n_boot <= 0 or n_terms == 0:
        nan = np.full(n_terms, np.nan)
        return nan, nan.copy()
    rng_t, rng_r = (np.random.default_rng(s) for s in seed_seq.spawn(2))
    n_t, n_r = x_t.shape[0], x_r.shape[0]
    w_t = _resample_weights(rng_t, n_t, n_boot, chunk)
    w_r = _resample_weights(rng_r, n_r, n_boot, chunk)
    size_t = w_t @ len_t  # replicates × languages
    size_r = w_r @ len_r
    # terms × documents, so that a block of terms is a cheap row slice
    x_t_T, x_r_T = x_t.T.tocsr().astype(np.float64), x_r.T.tocsr().astype(np.float64)
    alpha = (1.0 - ci) / 2.0
    low, high = np.empty(n_terms), np.empty(n_terms)
    block = max(1, _BOOT_BLOCK // n_boot)      # terms per block: block × n_boot values
    reps_chunk = max(1, min(n_boot, _BOOT_BLOCK // max(n_t, n_r)))  # dense weights per product
    for lo in range(0, n_terms, block):
        hi = min(n_terms, lo + block)
        xt, xr, langs = x_t_T[lo:hi], x_r_T[lo:hi], term_lang[lo:hi]
        reps = np.empty((n_boot, hi - lo))
        for start in range(0, n_boot, reps_chunk):
            stop = min(n_boot, start + reps_chunk)
            a = np.asarray(xt @ w_t[start:stop].T.astype(np.float64)).T  # replicates × terms
            b = np.asarray(xr @ w_r[start:stop].T.astype(np.float64)).T
            with np.errstate(divide="ignore", invalid="ignore"):
                reps[start:stop] = log_ratio(a, b, size_t[start:stop][:, langs], size_r[start:stop][:, langs])
        # a replicate whose language has no tokens on one side gives nan: ignored
        low[lo:hi], high[lo:hi] = np.nanpercentile(reps, [100 * alpha, 100 * (1 - alpha)], axis=0)
    return low, high


def bootstrap_log_ratio(x_t, x_r, len_t, len_r, term_lang, n_boot, ci, seed_seq, zero=0.5):
    """Same signature as :func:`framescope.analysis.keyness.bootstrap_log_ratio`, old engine."""
    return _bootstrap_log_ratio(x_t, x_r, np.asarray(len_t, np.float64), np.asarray(len_r, np.float64),
                                term_lang, n_boot, ci, seed_seq)
