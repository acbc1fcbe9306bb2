"""Keyness: which terms are characteristic of a target group against a reference.

Every function returns one row per term (keyed by ``lang`` and ``term``) with columns

lang, term
    the term and its language (scripts never merge)
freq_target
    a: occurrences in the target
freq_reference
    b: occurrences in the reference
size_target
    c: tokens of the target in the term's language
size_reference
    d: tokens of the reference in the term's language
g2
    signed log-likelihood G² (below); > 0 when a/c > b/d
p_value
    ``P(χ²₁ ≥ |G²|)``
p_adjusted
    p_value adjusted over all rows of the table: Benjamini–Hochberg
    (default) or Bonferroni
log_ratio
    log₂((a/c) / (b/d)) (Hardie 2014); when a or b is 0, the same constant
    0.5/min(c, d) (half an occurrence in the smaller corpus) is added to both
    relative frequencies, which keeps the sign of a/c − b/d
    (see :func:`framescope.analysis.measures.log_ratio`)
log_ratio_low/high
    percentile bootstrap CI of log_ratio, resampling documents within
    each group (seeded; same zero rule; :func:`bootstrap_log_ratio`). For a
    term absent from one group this interval cannot cross 0 once the term is
    in a few documents (the absent side stays 0 in every replicate): test
    such terms with :func:`permutation_test` (the keyness review does)
pct_diff
    %DIFF = 100 (a/c − b/d) / (b/d) (Gabrielatos & Marchi 2012); +inf when b = 0
chi2
    Pearson's χ² of the same 2×2 table (no continuity correction), signed like g2
logodds_z
    z-score of the log-odds ratio with an informative Dirichlet prior
    (Monroe, Colaresi & Quinn 2008); prior ``"groups"`` by default (the two
    compared groups pooled: same sign as a/c − b/d), or ``"corpus"`` /
    ``"scaled"`` (:func:`framescope.analysis.measures.logodds_prior`)
docs_target
    target documents containing the term
docs_reference
    reference documents containing the term

and then the sizes of the compared groups (:mod:`framescope.analysis.groups`, the same N as
every other table of the corpus: documents taking part, running words)

    target_docs, target_tokens          documents and tokens of the target
    (:func:`keyness_groups`: group_docs, group_tokens, the group's)
    reference_docs, reference_tokens    documents and tokens of the reference (the rest)
    small_group         True when a side is under the size floor (30 documents or 10,000 tokens)

The 2×2 table of a term::

                 target   reference
    term           a          b
    other        c − a      d − b

G² = 2 Σ O ln(O/E) over the four cells with E = row total × column total / N and
0·ln 0 = 0 (Dunning 1993). This is the full-table statistic; the two-cell form popularised
by Rayson & Garside (2000) (only the term row) gives nearly the same values when a ≪ c
and b ≪ d, and is available as :func:`g2_two_cell` for comparison with their calculator.

All measures are those of :mod:`framescope.analysis.measures`, re-exported here.

Source names. An outlet's own name ("SANA", "Sputnik") and the credit lines of wire copy
("(Reuters)", "AFP") are frequent in its texts and absent from the others', so they rank
among its strongest keywords: attribution artefacts, not framing vocabulary.
:func:`source_terms` gives the tokens by which the registry's outlets name themselves, and
``exclude=`` of :func:`keyness` / :func:`keyness_groups` (or :func:`exclude_terms` on any
table with a ``term`` column, e.g. a keyness review) leaves them out of the ranking. They are
tested like every term (the p-value adjustment still counts them) and nothing is lost: the
rows left out are kept in ``attrs["left_out"]`` with ``attrs["left_out_reason"]``, and every
figure drawn from such a table names them in a note (:func:`framescope.analysis.plots.style.styled`).

References
----------
Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
Good, P. (2005). Permutation, Parametric and Bootstrap Tests of Hypotheses. Springer.
See :mod:`framescope.analysis.measures` for the measures' references.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import special, stats

from framescope.analysis.counts import (PARTITION_DOCS, DocumentTermMatrix, comparison_labels, dtm, group_masks,
                                        source_sizes, with_sizes)
from framescope.analysis.groups import DEFAULT_FLOOR, SizeFloor, comparison_groups
from framescope.analysis.measures import (DEFAULT_PRIOR, ZERO_COUNT, adjust_pvalues, chi2, g2, g2_two_cell, log_ratio,
                               log_ratio_inplace, logodds_prior, logodds_z, pct_diff)
from framescope.analysis.partitioned import by_partitions, metadata
from framescope.analysis.resampling import BOOT_BLOCK, bootstrap_weights, percentile_interval
from framescope.analysis.token_options import TokenOptions
from framescope.analysis.token_sentences import lang_key, prepare_text
from framescope.analysis.token_words import filter_tokens, raw_tokens
from framescope.corpus.errors import FramescopeError
from framescope.corpus.text import dominant_script

__all__ = ["KEYNESS_COLUMNS", "KEYNESS_SIZE_COLUMNS", "KEYNESS_GROUP_SIZE_COLUMNS", "g2", "g2_two_cell", "chi2", "log_ratio", "pct_diff", "logodds_z",
           "adjust_pvalues", "keyness_counts", "keyness_matrix", "keyness", "keyness_groups",
           "bootstrap_weights", "bootstrap_log_ratio", "permutation_test", "masks_for", "ZERO_COUNT", "DEFAULT_PRIOR",
           "source_terms", "exclude_terms", "SOURCE_NAMES_REASON"]

#: The columns of every keyness table, in order (module docstring; ``docs/columns.md``).
KEYNESS_COLUMNS = ["lang", "term", "freq_target", "freq_reference", "size_target", "size_reference",
                   "g2", "p_value", "p_adjusted", "log_ratio", "log_ratio_low", "log_ratio_high",
                   "pct_diff", "chi2", "logodds_z", "docs_target", "docs_reference"]

#: Columns after :data:`KEYNESS_COLUMNS` in :func:`keyness`: the sizes of the two sides.
KEYNESS_SIZE_COLUMNS = ["target_docs", "target_tokens", "reference_docs", "reference_tokens", "small_group"]
#: Columns after :data:`KEYNESS_COLUMNS` in :func:`keyness_groups`: the group's and the rest's sizes.
KEYNESS_GROUP_SIZE_COLUMNS = ["group_docs", "group_tokens", "reference_docs", "reference_tokens", "small_group"]

# The measures live in framescope.analysis.measures (one implementation for keyness, the review and
# collocations); re-exported here because they are part of the keyness API.


def keyness_counts(lang, term, freq_target, freq_reference, size_target, size_reference,
                   docs_target=None, docs_reference=None, prior: str = DEFAULT_PRIOR, corpus_freq=None,
                   corpus_size=None, prior_size: float | None = None, adjust: str = "bh") -> pd.DataFrame:
    """The keyness table from counts (all arguments aligned arrays or scalars).

    Parameters
    ----------
    lang, term : array_like
        Language and term of each row.
    freq_target, freq_reference, size_target, size_reference : array_like
        a, b, c, d of the 2×2 table (module docstring).
    docs_target, docs_reference : array_like, optional
        Documents containing the term (0 when not given).
    prior : {"groups", "corpus", "scaled"}
        The log-odds prior (:func:`framescope.analysis.measures.logodds_prior`); default
        ``"groups"``, the two sides pooled, which needs no corpus counts.
    corpus_freq, corpus_size : array_like, optional
        The term's count and its language's tokens in the whole corpus (the ``"corpus"``
        and ``"scaled"`` priors only).
    prior_size : float, optional
        α₀ of the ``"scaled"`` prior (default
        :data:`~framescope.analysis.measures.DEFAULT_PRIOR_SIZE`).
    adjust : {"bh", "by", "holm", "bonferroni", "none"}
        p-value adjustment over the rows (:func:`framescope.analysis.measures.adjust_pvalues`;
        default "bh", Benjamini–Hochberg).

    Returns
    -------
    pandas.DataFrame
        :data:`KEYNESS_COLUMNS`; the bootstrap columns are NaN here (they need documents:
        :func:`keyness_matrix`).
    """
    a, b = np.asarray(freq_target, dtype=np.float64), np.asarray(freq_reference, dtype=np.float64)
    n = len(np.atleast_1d(a))
    c = np.broadcast_to(np.asarray(size_target, dtype=np.float64), (n,)).astype(np.float64)
    d = np.broadcast_to(np.asarray(size_reference, dtype=np.float64), (n,)).astype(np.float64)
    alpha_w, alpha_0 = logodds_prior(a, b, c, d, prior, corpus_freq, corpus_size, prior_size)
    g = g2(a, b, c, d)
    p = stats.chi2.sf(np.abs(g), 1)
    out = pd.DataFrame({
        "lang": np.broadcast_to(np.asarray(lang, dtype=object), (n,)),
        "term": np.asarray(term, dtype=object),
        "freq_target": a.astype(np.int64), "freq_reference": b.astype(np.int64),
        "size_target": c.astype(np.int64), "size_reference": d.astype(np.int64),
        "g2": g, "p_value": p, "p_adjusted": adjust_pvalues(p, adjust),
        "log_ratio": log_ratio(a, b, c, d), "log_ratio_low": np.nan, "log_ratio_high": np.nan,
        "pct_diff": pct_diff(a, b, c, d), "chi2": chi2(a, b, c, d),
        "logodds_z": logodds_z(a, b, c, d, np.broadcast_to(alpha_w, (n,)), np.broadcast_to(alpha_0, (n,))),
        "docs_target": (np.asarray(docs_target, dtype=np.int64) if docs_target is not None
                        else np.zeros(n, dtype=np.int64)),
        "docs_reference": (np.asarray(docs_reference, dtype=np.int64) if docs_reference is not None
                           else np.zeros(n, dtype=np.int64)),
    })
    return out[KEYNESS_COLUMNS]


#: float64 values per temporary array of the bootstrap and the permutation test
#: (terms × replicates, documents × replicates): 4M values = 32 MB each.
_BOOT_BLOCK = BOOT_BLOCK


def _column_blocks(n_terms: int, n_reps: int):
    step = max(1, _BOOT_BLOCK // max(1, n_reps))
    for lo in range(0, n_terms, step):
        yield lo, min(n_terms, lo + step)


#: weights per product: a documents × replicates block of ≤ 1M floats (4 MB as float32) stays
#: in cache while the sparse counts pick its rows at random (measured: 32 replicates of
#: 28,000 documents run the products 2× faster than all 1,000 at once)
_WEIGHTS_CHUNK = 1_000_000
#: converted blocks kept for the next block of terms up to this many values (128 MB float32);
#: beyond, each block of terms converts them again (memory stays bounded)
_WEIGHTS_KEPT = 32_000_000


class _Weights:
    """Integer weights (replicates × documents) multiplied into sparse terms × documents counts."""

    def __init__(self, counts: np.ndarray, dtype):
        self.counts, self.dtype = counts, dtype
        n_reps, n_docs = counts.shape
        step = max(1, min(n_reps, _WEIGHTS_CHUNK // max(1, n_docs)))
        self.chunks = [(s, min(n_reps, s + step)) for s in range(0, n_reps, step)]
        self._kept = ([self._block(*c) for c in self.chunks] if counts.size <= _WEIGHTS_KEPT else None)

    def _block(self, start: int, stop: int) -> np.ndarray:
        return np.ascontiguousarray(self.counts[start:stop].T, dtype=self.dtype)  # documents × replicates

    def sums(self, x_T: sp.csr_matrix) -> np.ndarray:
        """terms × replicates weighted sums ``x_T @ counts.T``."""
        out = np.empty((x_T.shape[0], self.counts.shape[0]), dtype=self.dtype)
        for i, (start, stop) in enumerate(self.chunks):
            out[:, start:stop] = x_T @ (self._kept[i] if self._kept is not None else self._block(start, stop))
        return out


def _rep_chunks(n_reps: int, n_docs: int):
    step = max(1, min(n_reps, _BOOT_BLOCK // max(1, n_docs)))
    return [(s, min(n_reps, s + step)) for s in range(0, n_reps, step)]


def _exact_dtype(x_T: sp.csr_matrix, max_weight: int):
    """float32 when every weighted sum is an integer below 2²⁴ (exact), else float64."""
    biggest = float(np.asarray(x_T.sum(axis=1)).max(initial=0)) * max(1, max_weight)
    return np.float32 if biggest < 2 ** 24 else np.float64


def _language_blocks(term_lang: np.ndarray, n_reps: int):
    """(language, positions) blocks of terms, one language each, ≤ _BOOT_BLOCK values."""
    order = np.argsort(term_lang, kind="stable")
    cuts = np.flatnonzero(np.diff(term_lang[order])) + 1
    for run in np.split(order, cuts):
        for lo, hi in _column_blocks(len(run), n_reps):
            yield int(term_lang[run[0]]), run[lo:hi]


def bootstrap_log_ratio(x_t: sp.spmatrix, x_r: sp.spmatrix, len_t: np.ndarray, len_r: np.ndarray,
                        term_lang: np.ndarray, n_boot: int, ci: float, seed_seq,
                        zero: float = ZERO_COUNT) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CI of the log ratio from ``n_boot`` document resamples within each group.

    Replicate r draws n_t target and n_r reference documents with replacement
    (:func:`bootstrap_weights`, target and reference generators spawned from ``seed_seq``)
    and computes every term's log ratio (:func:`framescope.analysis.measures.log_ratio`) from the
    resampled counts and sizes. The resampled counts are sparse products
    ``documents × terms`` count matrix by ``documents × replicates`` weights; memory stays
    bounded whatever the corpus: the weights are kept as small integers (1,000 replicates
    of 30,000 documents: 30 MB) and the products run over blocks of terms and replicates of
    at most 4M values, each block reduced to its percentiles before the next.

    Parameters
    ----------
    x_t, x_r : scipy.sparse matrix
        documents × terms counts of the target and the reference.
    len_t, len_r : numpy.ndarray
        documents × languages token counts of each group.
    term_lang : numpy.ndarray
        Language column (into ``len_*``) of each term.
    n_boot : int
        Replicates (0: NaN intervals).
    ci : float
        Confidence level of the percentile interval.
    seed_seq : numpy.random.SeedSequence
        The result depends only on it (not on block sizes).
    zero : float
        The log ratio's zero-count rule (:func:`framescope.analysis.measures.log_ratio`;
        default :data:`~framescope.analysis.measures.ZERO_COUNT`, half an occurrence).

    Returns
    -------
    (low, high) : tuple of numpy.ndarray
        Per term, the lower and upper percentile bounds of the log ratio (NaN when
        ``n_boot`` is 0).

    References
    ----------
    Efron & Tibshirani (1993), ch. 13 (percentile interval).
    """
    n_terms = x_t.shape[1]
    if n_boot <= 0 or n_terms == 0:
        nan = np.full(n_terms, np.nan)
        return nan, nan.copy()
    rng_t, rng_r = (np.random.default_rng(s) for s in seed_seq.spawn(2))
    w_t = bootstrap_weights(rng_t, x_t.shape[0], n_boot)
    w_r = bootstrap_weights(rng_r, x_r.shape[0], n_boot)
    size_t = (w_t @ np.asarray(len_t, np.float64)).T  # languages × replicates
    size_r = (w_r @ np.asarray(len_r, np.float64)).T
    # terms × documents, so that a block of terms is a cheap row slice; float32 halves the
    # memory traffic of the products and stays exact for these integer sums
    xt_T, xr_T = sp.csr_matrix(x_t.T), sp.csr_matrix(x_r.T)
    dtype = np.float64 if np.float64 in (_exact_dtype(xt_T, int(w_t.max())), _exact_dtype(xr_T, int(w_r.max()))) \
        else np.float32
    xt_T, xr_T = xt_T.astype(dtype), xr_T.astype(dtype)
    weights_t, weights_r = _Weights(w_t, dtype), _Weights(w_r, dtype)
    low, high = np.empty(n_terms), np.empty(n_terms)
    for lang, pos in _language_blocks(np.asarray(term_lang), n_boot):
        a, b = weights_t.sums(xt_T[pos]), weights_r.sums(xr_T[pos])
        reps = log_ratio_inplace(a, b, size_t[lang], size_r[lang], zero)
        low[pos], high[pos] = percentile_interval(reps, ci, axis=1, skip_nan=True)
    return low, high


def _sampled_permutation_p(rates_T: sp.csr_matrix, observed: np.ndarray, total: np.ndarray, is_target: np.ndarray,
                           n_perm: int, seed) -> np.ndarray:
    """Two-sided Monte Carlo p-value of the difference of mean rates (see :func:`permutation_test`)."""
    n_terms, n_docs = rates_T.shape
    n_t = int(is_target.sum())
    n_r = n_docs - n_t
    rng = np.random.default_rng(seed)
    labels = np.empty((n_perm, n_docs), dtype=np.uint8)
    for start, stop in _rep_chunks(n_perm, n_docs):
        labels[start:stop] = rng.permuted(np.broadcast_to(is_target, (stop - start, n_docs)), axis=1)
    weights = _Weights(labels, np.float64)
    upper = np.zeros(n_terms)
    lower = np.zeros(n_terms)
    # sums of the same rates in another order: equal up to rounding
    tol = 1e-9 * np.maximum(np.abs(observed), total / max(n_t, 1))
    for lo, hi in _column_blocks(n_terms, n_perm):
        obs, eps = observed[lo:hi, None], tol[lo:hi, None]
        in_t = weights.sums(rates_T[lo:hi])
        t = in_t / n_t - (total[lo:hi, None] - in_t) / n_r
        upper[lo:hi] += np.sum(t >= obs - eps, axis=1)
        lower[lo:hi] += np.sum(t <= obs + eps, axis=1)
    return np.minimum(1.0, 2.0 * (1.0 + np.minimum(upper, lower)) / (n_perm + 1.0))


def permutation_test(x: sp.spmatrix, lengths: np.ndarray, term_lang: np.ndarray, is_target,
                     n_perm: int = 1000, seed=0, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Document-label permutation test of each term (two-sided), documents as the units.

    The statistic is the difference of the mean per-document relative frequency of the term
    (count / tokens of the document in the term's language; Lijffijt et al. 2016) between
    target and reference documents. The documents of both groups are pooled and relabelled
    at random ``n_perm`` times, keeping the group sizes; the p-value is
    2·min(1 + #{T* ≥ T}, 1 + #{T* ≤ T})/(n_perm + 1), capped at 1 (Good 2005, §3). For a
    term whose k documents all lie on one side (n documents there, N in all) T* ≥ T exactly
    when a relabelling keeps the k documents on that side, so the complete enumeration is
    known and used instead of sampling: p = 2·C(n, k)/C(N, k) (deterministic, and not
    floored at 2/(n_perm + 1), which matters when many such terms are adjusted together).
    Unlike the bootstrap, this test can fail for a term absent from one group: a term in a
    few documents lands on one side by chance often enough. Per-document rates keep the
    test about the term, not about document lengths (a rate pooled over tokens would make
    every one-sided term "significant" when one group writes longer documents).

    Parameters
    ----------
    x : scipy.sparse matrix
        documents × terms counts, rows = target and reference documents.
    lengths : numpy.ndarray
        documents × languages token counts.
    term_lang : numpy.ndarray
        Language column of each term.
    is_target : array_like of bool
        Which rows are target documents.
    n_perm : int
        Relabellings (≥ 1).
    seed : int, sequence or numpy.random.SeedSequence
        Seed of the relabellings (deterministic).
    alpha : float
        Level for ``testable``.

    Returns
    -------
    (p_value, testable) : tuple of numpy.ndarray
        ``testable`` is False when no outcome could give a two-sided p-value ≤ ``alpha``:
        a term in documents of one side only with 2·C(n, k)/C(N, k) > alpha (too few
        documents: e.g. a term in 1 of 395 target documents and none of 23 reference ones),
        or a sampled term with 2/(n_perm + 1) > alpha (too few permutations).

    References
    ----------
    Good (2005); Lijffijt, J., Nevalainen, T., Säily, T., Papapetrou, P., Puolamäki, K. &
    Mannila, H. (2016). Significance testing of word frequencies in corpora. Digital
    Scholarship in the Humanities 31(2), 374–397.
    """
    if n_perm < 1:
        raise FramescopeError(f"n_perm must be at least 1, not {n_perm}")
    is_target = np.asarray(is_target, dtype=bool)
    n_docs, n_terms = x.shape
    n_t = int(is_target.sum())
    n_r = n_docs - n_t
    if n_t == 0 or n_r == 0:
        raise FramescopeError("the permutation test needs documents in both groups")
    coo = sp.coo_matrix(x)
    rate = coo.data / np.asarray(lengths, dtype=np.float64)[coo.row, np.asarray(term_lang)[coo.col]]
    rates_T = sp.csr_matrix((rate, (coo.col, coo.row)), shape=(n_terms, n_docs))  # terms × documents
    total = np.asarray(rates_T.sum(axis=1)).ravel()

    in_target = np.asarray(rates_T @ is_target.astype(np.float64)).ravel()
    observed = in_target / n_t - (total - in_target) / n_r
    # the documents containing the term, and how many lie on the side with the higher mean
    docs_in = np.diff(rates_T.indptr)
    docs_t = np.asarray((rates_T > 0).astype(np.float64) @ is_target.astype(np.float64)).ravel()
    side = np.where(observed >= 0, n_t, n_r)
    one_side = (docs_in > 0) & (np.where(observed >= 0, docs_t, docs_in - docs_t) == docs_in)
    with np.errstate(invalid="ignore"):  # log C(side, k) − log C(N, k), for k ≤ side
        log_all = (special.gammaln(side + 1) - special.gammaln(side - docs_in + 1)
                   - special.gammaln(n_docs + 1) + special.gammaln(n_docs - docs_in + 1))
    all_there = np.where(one_side & (docs_in <= side), np.exp(log_all), 1.0)
    # A term whose documents all lie on one side has T* ≥ T exactly when a relabelling keeps
    # them all there, so its permutation p-value is known without sampling (the complete
    # enumeration): 2·C(n, k)/C(N, k). The other terms are sampled.
    p = np.where(one_side, np.minimum(1.0, 2.0 * all_there), np.nan)
    testable = np.where(one_side, 2.0 * all_there <= alpha, 2.0 / (n_perm + 1.0) <= alpha)
    sampled = np.flatnonzero(~one_side & (docs_in > 0))
    if len(sampled):
        p[sampled] = _sampled_permutation_p(rates_T[sampled], observed[sampled], total[sampled], is_target,
                                            n_perm, seed)
    return p, testable


def _comparison(m: DocumentTermMatrix, target_mask, reference_mask, lang, min_freq, n_boot, ci,
                seed_seq, prior_mask=None, prior: str = DEFAULT_PRIOR,
                prior_size: float | None = None) -> pd.DataFrame:
    target_mask = np.asarray(target_mask, dtype=bool)
    reference_mask = np.asarray(reference_mask, dtype=bool)
    if not target_mask.any():
        raise FramescopeError("the target has no documents with tokens")
    if not reference_mask.any():
        raise FramescopeError("the reference has no documents with tokens")
    if (target_mask & reference_mask).any():
        raise FramescopeError(f"target and reference share {(target_mask & reference_mask).sum()} documents")
    totals, langs = m.lang_totals()
    codes, _ = m.vocab.lang_codes()
    x_t, x_r = m.matrix[target_mask], m.matrix[reference_mask]
    a = np.asarray(x_t.sum(axis=0)).ravel()
    b = np.asarray(x_r.sum(axis=0)).ravel()
    size_t = totals[target_mask].sum(axis=0)
    size_r = totals[reference_mask].sum(axis=0)
    keep = (a + b) >= max(1, min_freq)
    one_sided = [lg for i, lg in enumerate(langs) if (size_t[i] > 0) != (size_r[i] > 0)
                 and (lang is None or lg == lang)]
    # a language present on one side only has no reference frequency to compare with
    keep &= (size_t[codes] > 0) & (size_r[codes] > 0)
    if lang is not None:
        keep &= m.vocab.langs == lang
    idx = np.flatnonzero(keep)
    corpus_freq = corpus_size = None
    if prior != "groups":
        rows = slice(None) if prior_mask is None else np.asarray(prior_mask, dtype=bool)
        corpus_freq = np.asarray(m.matrix[rows].sum(axis=0)).ravel()[idx]
        corpus_size = totals[rows].sum(axis=0)[codes[idx]]
    docs_t = np.diff(x_t.tocsc().indptr)[idx]
    docs_r = np.diff(x_r.tocsc().indptr)[idx]
    table = keyness_counts(m.vocab.langs[idx], m.vocab.terms[idx], a[idx], b[idx],
                           size_t[codes[idx]], size_r[codes[idx]], docs_t, docs_r,
                           prior, corpus_freq, corpus_size, prior_size, adjust="none")
    low, high = bootstrap_log_ratio(x_t[:, idx], x_r[:, idx], totals[target_mask], totals[reference_mask],
                                    codes[idx], n_boot, ci, seed_seq)
    table["log_ratio_low"] = low
    table["log_ratio_high"] = high
    table.attrs["languages_one_side_only"] = one_sided
    return table


def _finish(table: pd.DataFrame, adjust: str, sort_cols: list[str]) -> pd.DataFrame:
    table["p_adjusted"] = adjust_pvalues(table["p_value"].to_numpy(), adjust)
    table = table.sort_values(sort_cols, ascending=[c != "g2" for c in sort_cols], kind="mergesort")
    return table.reset_index(drop=True)


def _check_args(n_boot: int, ci: float) -> None:
    if not 0 < ci < 1:
        raise FramescopeError(f"ci must be between 0 and 1, not {ci}")
    if n_boot < 0:
        raise FramescopeError(f"n_boot must be >= 0, not {n_boot}")


def _conventions(prior: str, prior_size: float | None) -> dict:
    return {"zero_count": ZERO_COUNT, "log_ratio_zero_rule": "0.5/min(c, d) added to both relative frequencies",
            "logodds_prior": prior, **({"prior_size": prior_size} if prior == "scaled" else {})}


def keyness_matrix(m: DocumentTermMatrix, target_mask, reference_mask, lang: str | None = None,
                   min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                   adjust: str = "bh", prior_mask=None, prior: str = DEFAULT_PRIOR,
                   prior_size: float | None = None) -> pd.DataFrame:
    """Keyness of target rows against reference rows of a document-term matrix.

    Parameters
    ----------
    m : DocumentTermMatrix
        Counts (:func:`framescope.analysis.counts.dtm`).
    target_mask, reference_mask : array_like of bool
        Rows of each group (disjoint).
    lang : str, optional
        Only this language's terms.
    min_freq : int
        Terms with ``freq_target + freq_reference < min_freq`` are not tested (and do not
        count in the p-value adjustment).
    n_boot : int
        Document-bootstrap replicates of the log ratio's interval (default 1000; 0: no
        interval, ``log_ratio_low``/``high`` NaN; :func:`bootstrap_log_ratio`).
    ci : float
        Confidence level of the percentile interval, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    adjust : str
        p-value adjustment (:func:`framescope.analysis.measures.adjust_pvalues`).
    prior_mask : array_like of bool, optional
        Rows forming "the corpus" of the ``"corpus"``/``"scaled"`` priors (default: all).
    prior : {"groups", "corpus", "scaled"}
        Log-odds prior (:func:`framescope.analysis.measures.logodds_prior`; default ``"groups"``).
    prior_size : float, optional
        α₀ of the ``"scaled"`` prior.

    Returns
    -------
    pandas.DataFrame
        :data:`KEYNESS_COLUMNS`, sorted by descending signed G², then lang, term.
    """
    _check_args(n_boot, ci)
    table = _comparison(m, target_mask, reference_mask, lang, min_freq, n_boot, ci,
                        np.random.SeedSequence(seed), prior_mask, prior, prior_size)
    skipped = table.attrs.get("languages_one_side_only", [])
    table = _finish(table, adjust, ["g2", "lang", "term"])
    table.attrs.update({"languages_one_side_only": skipped, "seed": seed, "n_boot": n_boot, "ci": ci, "adjust": adjust,
                        "min_freq": min_freq, **_conventions(prior, prior_size), **m.metadata})
    return table


def masks_for(corpus, m: DocumentTermMatrix, target: str, reference: str | None):
    """Row masks of ``m`` for the ``target`` and ``reference`` queries (reference default: the rest).

    Parameters
    ----------
    corpus : Corpus
        Holds the document metadata the queries read.
    m : DocumentTermMatrix
        Its rows are matched by ``doc_id``.
    target, reference : str
        Pandas queries on the document metadata.

    Returns
    -------
    (target_mask, reference_mask) : tuple of numpy.ndarray of bool
        One entry per row of ``m``: whether the document matches ``target``, and whether it
        matches ``reference`` (without a reference: every row not in the target).
    """
    # a hash lookup: np.isin on object arrays sorts them (tens of seconds on 30,000 ids)
    doc_ids = pd.Index(m.doc_ids)
    target_ids = corpus.subset(target).documents["doc_id"]
    target_mask = doc_ids.isin(target_ids)
    if reference:
        reference_mask = doc_ids.isin(corpus.subset(reference).documents["doc_id"])
    else:
        reference_mask = ~target_mask
    if len(target_ids) == 0:
        raise FramescopeError(f"no document matches the target query {target!r}")
    if reference and not reference_mask.any():
        raise FramescopeError(f"no document with tokens matches the reference query {reference!r}")
    return target_mask, reference_mask


def _counts_for(corpus, expressions, options, include_duplicates, matrix, backend, partition_docs):
    """(document metadata, document-term matrix) of a keyness call: a corpus folder or a
    backend other than this process counts by partitions (:mod:`framescope.analysis.partitioned`)."""
    if matrix is not None:
        return metadata(corpus, [*expressions, ["doc_id", "date", "duplicate_of"]]), matrix
    if by_partitions(corpus, backend):
        meta = metadata(corpus, [*expressions, ["doc_id", "date", "duplicate_of"]])
        return meta, dtm(corpus, options, include_duplicates=include_duplicates, backend=backend,
                         partition_docs=partition_docs)
    return corpus, dtm(corpus, options, include_duplicates=include_duplicates)


def keyness(corpus, target: str, reference: str | None = None, options: TokenOptions = TokenOptions(),
            lang: str | None = None, min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95,
            seed: int = 0, adjust: str = "bh", include_duplicates: bool = False,
            matrix: DocumentTermMatrix | None = None, prior: str = DEFAULT_PRIOR,
            prior_size: float | None = None, backend=None, partition_docs: int = PARTITION_DOCS,
            target_label: str | None = None, reference_label: str | None = None,
            match_dates: bool | str = False, floor: SizeFloor = DEFAULT_FLOOR,
            sizes: pd.Series | None = None, exclude=None) -> pd.DataFrame:
    """Keyness of the documents matching ``target`` against ``reference`` (``fs.keyness``).

    Parameters
    ----------
    corpus : Corpus or path-like
        A corpus, or a corpus folder (counted by partitions; only the metadata columns the
        queries name are read into memory).
    target, reference : str
        Pandas queries on document metadata (e.g. ``"source_type == 'state_media'"``);
        reference default: all other documents.
    options : TokenOptions
        How text becomes tokens (default ``TokenOptions()``; see docs/tokens.md).
    lang : str, optional
        Only this language's terms; without it every language of the subset is compared,
        each term against the tokens of its own language.
    min_freq : int
        Terms with ``freq_target + freq_reference < min_freq`` are not tested.
    n_boot : int
        Document-bootstrap replicates of the log ratio's interval (default 1000; 0: no
        interval, ``log_ratio_low``/``high`` NaN; :func:`bootstrap_log_ratio`).
    ci : float
        Confidence level of the percentile interval, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    adjust : str
        The p-value adjustment (:func:`framescope.analysis.measures.adjust_pvalues`).
    include_duplicates : bool
        Count documents marked ``duplicate_of``.
    matrix : DocumentTermMatrix, optional
        :func:`framescope.analysis.counts.dtm` of ``corpus`` (or of a corpus it is a subset
        of), to reuse counts.
    prior : {"groups", "corpus", "scaled"}
        Log-odds prior (:func:`framescope.analysis.measures.logodds_prior`): ``"groups"``
        (default) pools the two sides; the ``"corpus"`` and ``"scaled"`` priors take every
        row of the matrix as the corpus.
    prior_size : float, optional
        α₀ of the ``"scaled"`` prior (default
        :data:`~framescope.analysis.measures.DEFAULT_PRIOR_SIZE`).
    backend : None, "local", "processes", "dask", Dask address, Backend or Session
        Where the counting runs (:func:`framescope.analysis.partitioned.resolve_backend`);
        the table is the same on every backend.
    partition_docs : int
        Documents per partition when counting by partitions.
    target_label, reference_label : str, optional
        Names of the two sides for figures (``attrs``; default: the queries).
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict both sides to the days (weeks, ...) both cover; undated documents are left
        out (:func:`framescope.analysis.groups.document_groups`).
    floor : SizeFloor
        Sides under it are flagged (``small_group``) and warned about
        (:class:`framescope.analysis.groups.SmallGroupWarning`).
    sizes : pandas.Series, optional
        Tokens per document (:func:`framescope.analysis.groups.document_sizes`) if already
        computed, to save tokenising the corpus again for the group sizes.
    exclude : iterable of str or pandas.DataFrame, optional
        Terms to leave out of the table's ranking, e.g. the outlets' own names
        (:func:`source_terms`): tested like the others, then moved to
        ``attrs["left_out"]`` (:func:`exclude_terms`). None: every term stays.

    Returns
    -------
    pandas.DataFrame
        :data:`KEYNESS_COLUMNS`, one row per term, sorted by descending signed G², then
        lang, term: ``lang``, ``term``, ``freq_target``, ``freq_reference``,
        ``size_target``, ``size_reference``, ``g2``, ``p_value``, ``p_adjusted``,
        ``log_ratio``, ``log_ratio_low``, ``log_ratio_high``, ``pct_diff``, ``chi2``,
        ``logodds_z``, ``docs_target``, ``docs_reference`` (module docstring), then
        ``target_docs``, ``target_tokens``, ``reference_docs``, ``reference_tokens`` (the
        sides' documents and running words, the same N as every table of the corpus) and
        ``small_group``.
        ``attrs`` record the seed, ``n_boot``, ``ci``, ``adjust``, ``min_freq``, the
        conventions, corpus_id, token options and sentence models,
        ``target``, ``reference``, their labels, ``n_docs_target``/``n_docs_reference``
        (documents with tokens on each side), ``match_dates``, ``shared_periods`` and the
        size attrs (``group_sizes``, ``small_groups``, ``size_floor``, ``excluded``); with
        ``exclude``, ``left_out`` and ``left_out_reason`` (:func:`exclude_terms`).

    References
    ----------
    Dunning (1993); Hardie (2014); Monroe, Colaresi & Quinn (2008); Efron & Tibshirani (1993):
    see :mod:`framescope.analysis.measures` and the module docstring.
    """
    meta, m = _counts_for(corpus, [target, reference], options, include_duplicates, matrix, backend,
                          partition_docs)
    target_mask, reference_mask = masks_for(meta, m, target, reference)
    t_label = target_label or target
    r_label = reference_label or (reference or f"not ({target})")
    labels = comparison_groups(meta, target, reference, target_label=t_label, reference_label=r_label,
                               keep_duplicates=include_duplicates, match_dates=match_dates)
    # the one grouping rule (duplicates, matched dates) decides which rows take part
    doc_ids = pd.Index(m.doc_ids)
    target_mask = target_mask & doc_ids.isin(labels.index[labels.to_numpy() == t_label])
    reference_mask = reference_mask & doc_ids.isin(labels.index[labels.to_numpy() == r_label])
    if not target_mask.any():
        raise FramescopeError(f"no document with tokens is left in the target {target!r}")
    table = keyness_matrix(m, target_mask, reference_mask, lang, min_freq, n_boot, ci, seed, adjust,
                           prior=prior, prior_size=prior_size)
    attrs = dict(table.attrs)
    if sizes is None:
        sizes = source_sizes(corpus if matrix is None else meta, include_duplicates, backend, partition_docs)
    table = with_sizes(table.assign(target=t_label, reference=r_label), labels, sizes,
                       ("target", "reference"), floor).drop(columns=["target", "reference"])
    reference = reference or f"not ({target})"
    table.attrs.update({**attrs, "target": target, "reference": reference, "target_label": t_label,
                        "reference_label": r_label,
                        "n_docs_target": int(np.count_nonzero(target_mask)),
                        "n_docs_reference": int(np.count_nonzero(reference_mask)),
                        "match_dates": match_dates, "shared_periods": labels.attrs.get("shared_periods")})
    return table if exclude is None else exclude_terms(table, exclude)


def keyness_groups(corpus, by: str = "source_type", options: TokenOptions = TokenOptions(),
                   lang: str | None = None, min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95,
                   seed: int = 0, adjust: str = "bh", include_duplicates: bool = False,
                   groups: list[str] | None = None,
                   matrix: DocumentTermMatrix | None = None, prior: str = DEFAULT_PRIOR,
                   prior_size: float | None = None, backend=None,
                   partition_docs: int = PARTITION_DOCS, match_dates: bool | str = False,
                   floor: SizeFloor = DEFAULT_FLOOR, sizes: pd.Series | None = None, exclude=None) -> pd.DataFrame:
    """Each group of ``by`` against the rest of the corpus; a ``group`` column comes first.

    p-values are adjusted over the whole table (every group and term: one family). The
    bootstrap of group k (in sorted label order) uses ``SeedSequence([seed, k])``.

    Parameters
    ----------
    corpus : Corpus or path-like
        A corpus, or a corpus folder (counted by partitions).
    by : str or list of str
        Grouping (:func:`framescope.analysis.counts.group_labels`; default "source_type").
    options : TokenOptions
        As :func:`keyness`.
    lang : str, optional
        As :func:`keyness`.
    min_freq : int
        As :func:`keyness`.
    n_boot : int
        As :func:`keyness`; group k (in sorted label order) draws from
        ``SeedSequence([seed, k])``.
    ci : float
        As :func:`keyness`.
    seed : int
        As :func:`keyness`.
    adjust : str
        As :func:`keyness`; over the whole table (every group and term: one family).
    include_duplicates : bool
        As :func:`keyness`.
    groups : list of str, optional
        Only these groups' rows (each still against all other documents); default all.
    matrix : DocumentTermMatrix, optional
        As :func:`keyness`.
    prior : {"groups", "corpus", "scaled"}
        As :func:`keyness`.
    prior_size : float, optional
        As :func:`keyness`.
    backend : None, "local", "processes", "dask", Dask address, Backend or Session
        As :func:`keyness`.
    partition_docs : int
        As :func:`keyness`.
    match_dates : bool or {'day', 'week', 'month', 'year'}
        Restrict every group to the periods all groups cover (then "the rest" is the other
        groups on those dates).
    floor : SizeFloor
        Groups (or rests) under it are flagged (``small_group``).
    sizes : pandas.Series, optional
        Tokens per document (:func:`framescope.analysis.groups.document_sizes`) if already
        computed, to save tokenising the corpus again for the group sizes.
    exclude : iterable of str or pandas.DataFrame, optional
        Terms to leave out of the table's ranking, e.g. the outlets' own names
        (:func:`source_terms`): tested like the others, then moved to
        ``attrs["left_out"]`` (:func:`exclude_terms`). None: every term stays.

    Returns
    -------
    pandas.DataFrame
        ``group`` then :data:`KEYNESS_COLUMNS`, one row per group and term, sorted by group,
        descending signed G², lang, term: ``lang``, ``term``, ``freq_target``, ``freq_reference``,
        ``size_target``, ``size_reference``, ``g2``, ``p_value``, ``p_adjusted``,
        ``log_ratio``, ``log_ratio_low``, ``log_ratio_high``, ``pct_diff``, ``chi2``,
        ``logodds_z``, ``docs_target``, ``docs_reference`` (module docstring), then
        ``group_docs``, ``group_tokens`` (the group's documents and running words),
        ``reference_docs``, ``reference_tokens`` (the rest's) and ``small_group``.
        ``attrs`` record the seed, ``n_boot``, ``ci``, ``adjust``, ``min_freq``, the
        conventions, corpus_id, token options and sentence models, ``by``, ``match_dates``
        and the size attrs; with ``exclude``, ``left_out`` and ``left_out_reason``.

    References
    ----------
    Dunning (1993); Hardie (2014); Monroe, Colaresi & Quinn (2008); Efron & Tibshirani (1993):
    see :mod:`framescope.analysis.measures` and the module docstring.
    """
    _check_args(n_boot, ci)
    meta, m = _counts_for(corpus, [by], options, include_duplicates, matrix, backend, partition_docs)
    meta, labels = comparison_labels(meta, by, include_duplicates=include_duplicates, match_dates=match_dates)
    masks = group_masks(m.doc_ids, labels)
    taking_part = np.logical_or.reduce(list(masks.values())) if masks else np.zeros(len(m.doc_ids), dtype=bool)
    if groups is not None:
        unknown = sorted(set(groups) - set(masks))
        if unknown:
            raise FramescopeError(f"no group {unknown[0]!r} in {by!r} (groups: {', '.join(masks)})")
    if len(masks) < 2:
        raise FramescopeError(f"{by!r} has fewer than two groups: nothing to compare")
    frames = []
    skipped: set[str] = set()
    for k, (label, mask) in enumerate(masks.items()):
        if groups is not None and label not in groups:
            continue
        table = _comparison(m, mask, taking_part & ~mask, lang, min_freq, n_boot, ci,
                            np.random.SeedSequence([seed, k]), None, prior, prior_size)
        table.insert(0, "group", label)
        skipped.update(table.attrs.get("languages_one_side_only", []))
        frames.append(table)
    out = _finish(pd.concat(frames, ignore_index=True), adjust, ["group", "g2", "lang", "term"])
    if sizes is None:
        sizes = source_sizes(corpus if matrix is None else meta, include_duplicates, backend, partition_docs)
    out = with_sizes(out, labels, sizes, ("group",), floor, rest=True)
    out.attrs.update({"languages_one_side_only": sorted(skipped), "by": by, "seed": seed, "n_boot": n_boot, "ci": ci,
                      "adjust": adjust, "min_freq": min_freq, **_conventions(prior, prior_size), **m.metadata,
                      "match_dates": match_dates, "shared_periods": labels.attrs.get("shared_periods")})
    return out if exclude is None else exclude_terms(out, exclude)


# --- source names: left out of rankings, never dropped silently ---------------------------------

#: ``attrs["left_out_reason"]`` of a table whose source names were left out with :func:`source_terms`.
SOURCE_NAMES_REASON = "source names (outlet names, abbreviations and wire credits of the registry)"

_CAPITALS = re.compile(r"\b[A-Z]{3,}\b")


def _name_tokens(text: str, options: TokenOptions) -> tuple[str, list[str]]:
    key = "ar" if dominant_script(text) == "Arabic" else "en"
    key = lang_key(key, text)
    return key, filter_tokens(raw_tokens(prepare_text(text, key == "ar", options), key), key, options)


def source_terms(outlets=None, options: TokenOptions = TokenOptions(), registry=None,
                 wires: bool = True) -> pd.DataFrame:
    """The tokens by which outlets name themselves, to leave out of keyness rankings.

    For each outlet of the registry (``corpus/data/outlets.csv``, or ``registry``) the
    full name, each bracketed part and the name without them are tokenised with
    ``options`` (the keyness table's own token options, so the forms match its terms).
    Taken are: a form that becomes a single token ("Sputnik" → ``sputnik``, "(SANA)" →
    ``sana``, "Al-Alam" → ``al-alam``, "TRT World" → ``trt`` when *world* is a stopword),
    a word of three or more capitals ("BBC News" → ``bbc``) and a word equal to the
    outlet's code ("Al-Ahram (Ahram Online)" → ``ahram``). Ordinary words of a longer name
    ("Syrian", "Arab", "News") are not taken: they are vocabulary, not names.

    Parameters
    ----------
    outlets : iterable of str, optional
        Registry codes of the outlets whose names to list (e.g. the outlets of the compared
        documents; unknown codes are ignored); None: every outlet of the registry.
    options : TokenOptions, default TokenOptions()
        Token options of the keyness table the names will be left out of.
    registry : framescope.corpus.registry.Registry, optional
        Default: the shipped registry (:func:`framescope.corpus.registry.load_registry`).
    wires : bool, default True
        Also list the wire services of the registry (``source_type == 'wire'``: Reuters,
        AP, AFP, ...), whose credit lines any outlet's copy may carry.

    Returns
    -------
    pandas.DataFrame
        One row per (outlet, term): ``outlet`` (code), ``name`` (registry name), ``lang``,
        ``term`` (the token) and ``form`` (``"name"``, ``"capitals"`` or ``"code"``: which
        rule took it); ``attrs["reason"]`` = :data:`SOURCE_NAMES_REASON`.

    References
    ----------
    Gabrielatos, C. (2018). Keyness analysis: nature, metrics and techniques. In C. Taylor &
    A. Marchi (Eds.), *Corpus Approaches to Discourse* (pp. 225–258). Routledge (keywords
    that reflect the make-up of the corpora rather than their discourse).
    """
    if registry is None:
        from framescope.corpus.registry import load_registry

        registry = load_registry()
    rows = registry.rows
    wanted = set(rows) if outlets is None else {str(o) for o in outlets} & set(rows)
    if wires:
        wanted |= {code for code, row in rows.items() if row.get("source_type") == "wire"}
    # which words are names is decided on the running words (stopwords kept: "The New Arab" is
    # three words, not the name "arab"); each is then written as the table's options write it
    running = dataclasses.replace(options, stopwords=False, extra_stopwords=())
    out = []
    for code in sorted(c for c in wanted if rows[c].get("source_type") != "unknown"):
        name = " ".join(str(rows[code].get("name") or "").split())
        forms = [name, *re.findall(r"\(([^)]+)\)", name), re.sub(r"\s*\([^)]*\)", "", name)]
        _, code_words = _name_tokens(code, running)
        chosen: dict[str, str] = {}
        for form in dict.fromkeys(f for f in forms if f.strip()):
            words = _name_tokens(form, running)[1]
            if len(words) == 1:
                chosen.setdefault(words[0], "name")
            for capitals in _CAPITALS.findall(form):
                for word in _name_tokens(capitals, running)[1]:
                    chosen.setdefault(word, "capitals")
            for word in words:
                if word in code_words:
                    chosen.setdefault(word, "code")
        for word, rule in chosen.items():
            lang, toks = _name_tokens(word, options)
            out.extend({"outlet": code, "name": name, "lang": lang, "term": tok, "form": rule} for tok in toks[:1])
    table = pd.DataFrame(out, columns=["outlet", "name", "lang", "term", "form"])
    table.attrs["reason"] = SOURCE_NAMES_REASON
    return table


def exclude_terms(table: pd.DataFrame, terms, reason: str | None = None) -> pd.DataFrame:
    """``table`` without the rows of ``terms``, which are kept in its ``attrs``.

    For rankings (figures, "top k" counts) that should not be led by terms such as the
    outlets' own names (:func:`source_terms`). The statistics of the other rows are
    unchanged: the left-out terms were tested with them and stay in the p-value adjustment.

    Parameters
    ----------
    table : pandas.DataFrame
        Any table with a ``term`` column (keyness, keyness groups, a keyness review); with a
        ``lang`` column, terms given with a language match only that language.
    terms : iterable of str or pandas.DataFrame
        Terms to leave out, or a table with ``term`` (and ``lang``) columns such as
        :func:`source_terms` gives.
    reason : str, optional
        Why they are left out (``attrs["left_out_reason"]``); default the ``reason`` in
        ``terms.attrs``, else ``"excluded by the caller"``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``table`` whose term is not left out, in their order, with the attrs of
        ``table`` plus ``left_out`` (records of the rows left out, strongest absolute G² first:
        their ``group``/``comparison``, ``lang``, ``term``, ``g2``, frequencies and
        ``p_adjusted`` where present; added to those of an earlier call),
        ``left_out_reason`` and ``left_out_given`` (how many distinct terms were looked
        for, whether or not the table had them).

    Raises
    ------
    FramescopeError
        When ``table`` has no ``term`` column.
    """
    if "term" not in table.columns:
        raise FramescopeError("exclude_terms: the table has no 'term' column")
    if isinstance(terms, pd.DataFrame):
        if "term" not in terms.columns:
            raise FramescopeError("exclude_terms: the terms table has no 'term' column")
        reason = reason or terms.attrs.get("reason")
        pairs = set(zip(terms["lang"], terms["term"])) if "lang" in terms.columns else None
        plain = set(terms["term"]) if pairs is None else set()
    else:
        pairs, plain = None, {str(t) for t in ([terms] if isinstance(terms, str) else terms)}
    hit = table["term"].isin(plain).to_numpy().copy()
    if pairs:
        if "lang" in table.columns:
            hit |= np.fromiter(((lg, t) in pairs for lg, t in zip(table["lang"], table["term"])), bool, len(table))
        else:
            hit |= table["term"].isin({t for _, t in pairs}).to_numpy()
    out = table[~hit].reset_index(drop=True)
    out.attrs.update(table.attrs)
    gone = table[hit]
    keep = [c for c in ("group", "comparison", "lang", "term", "g2", "freq_target", "freq_reference", "p_adjusted")
            if c in gone.columns]
    if "g2" in gone.columns:
        gone = gone.iloc[np.argsort(-gone["g2"].abs().to_numpy(), kind="stable")]
    records = [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()}
               for r in gone[keep].to_dict("records")]
    out.attrs["left_out"] = list(table.attrs.get("left_out", [])) + records
    out.attrs["left_out_reason"] = reason or table.attrs.get("left_out_reason") or "excluded by the caller"
    given = len(set(terms["term"])) if isinstance(terms, pd.DataFrame) else len(plain)
    out.attrs["left_out_given"] = int(table.attrs.get("left_out_given", 0)) + given
    return out
