"""Keyness: which terms are characteristic of a target group against a reference.

Every function returns one row per term (keyed by ``lang`` and ``term``) with columns

    lang, term          the term and its language (scripts never merge)
    freq_target         a: occurrences in the target
    freq_reference      b: occurrences in the reference
    size_target         c: tokens of the target in the term's language
    size_reference      d: tokens of the reference in the term's language
    g2                  signed log-likelihood G² (below); > 0 when a/c > b/d
    p_value             P(χ²₁ ≥ |G²|)
    p_adjusted          p_value adjusted over all rows of the table: Benjamini–Hochberg
                        (default) or Bonferroni
    log_ratio           log₂((a/c) / (b/d)) (Hardie 2014); when a or b is 0, 0.5 is added to
                        both a and b of that term (see :func:`log_ratio`)
    log_ratio_low/high  percentile bootstrap CI of log_ratio, resampling documents within
                        each group (seeded; same zero rule)
    pct_diff            %DIFF = 100 (a/c − b/d) / (b/d) (Gabrielatos & Marchi 2012); +inf when b = 0
    chi2                Pearson's χ² of the same 2×2 table (no continuity correction), signed like g2
    logodds_z           z-score of the log-odds ratio with an informative Dirichlet prior
                        (Monroe, Colaresi & Quinn 2008), prior = whole-corpus counts
    docs_target         target documents containing the term
    docs_reference      reference documents containing the term

The 2×2 table of a term::

                 target   reference
    term           a          b
    other        c − a      d − b

G² = 2 Σ O ln(O/E) over the four cells with E = row total × column total / N and
0·ln 0 = 0 (Dunning 1993). This is the full-table statistic; the two-cell form popularised
by Rayson & Garside (2000) (only the term row) gives nearly the same values when a ≪ c
and b ≪ d, and is available as :func:`g2_two_cell` for comparison with their calculator.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from analysis.counts import DocumentTermMatrix, dtm, group_labels, group_masks
from analysis.tokens import TokenOptions
from corpus.errors import FramescopeError

__all__ = ["KEYNESS_COLUMNS", "g2", "g2_two_cell", "chi2", "log_ratio", "pct_diff", "logodds_z",
           "adjust_pvalues", "keyness_counts", "keyness_matrix", "keyness", "keyness_groups",
           "ZERO_COUNT"]

KEYNESS_COLUMNS = ["lang", "term", "freq_target", "freq_reference", "size_target", "size_reference",
                   "g2", "p_value", "p_adjusted", "log_ratio", "log_ratio_low", "log_ratio_high",
                   "pct_diff", "chi2", "logodds_z", "docs_target", "docs_reference"]

#: Added to both counts of a term absent from one side before its log ratio, so that the
#: ratio stays finite and keeps its sign (see :func:`log_ratio`).
ZERO_COUNT = 0.5


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _sign(a, b, c, d) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sign(a * d - b * c)  # sign of a/c − b/d without dividing


def _cells(a, b, c, d):
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    n = c + d
    row = a + b
    obs = (a, b, c - a, d - b)
    exp = (c * row / n, d * row / n, c * (n - row) / n, d * (n - row) / n)
    return obs, exp


def _xlogy_ratio(o, e):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(np.where(o > 0, o, 1.0) / np.where(e > 0, e, 1.0)), 0.0)


def g2(a, b, c, d) -> np.ndarray:
    """Signed log-likelihood G² of the 2×2 table (see module docstring)."""
    obs, exp = _cells(a, b, c, d)
    value = 2.0 * sum(_xlogy_ratio(o, e) for o, e in zip(obs, exp))
    value = np.maximum(value, 0.0)  # rounding can give −1e-13 for a perfect fit
    return _sign(_f(a), _f(b), _f(c), _f(d)) * value


def g2_two_cell(a, b, c, d) -> np.ndarray:
    """Rayson & Garside's (2000) two-cell log-likelihood (term row only), signed."""
    obs, exp = _cells(a, b, c, d)
    value = 2.0 * (_xlogy_ratio(obs[0], exp[0]) + _xlogy_ratio(obs[1], exp[1]))
    return _sign(_f(a), _f(b), _f(c), _f(d)) * value


def chi2(a, b, c, d) -> np.ndarray:
    """Signed Pearson χ² of the 2×2 table, no continuity correction."""
    obs, exp = _cells(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = sum(np.where(e > 0, (o - e) ** 2 / np.where(e > 0, e, 1.0), 0.0) for o, e in zip(obs, exp))
    return _sign(_f(a), _f(b), _f(c), _f(d)) * value


def log_ratio(a, b, c, d, zero: float = ZERO_COUNT) -> np.ndarray:
    """log₂((a/c)/(b/d)) (Hardie 2014) with a zero-count correction.

    When either count is zero, ``zero`` (default 0.5) is added to *both* counts of that
    term (Haldane–Anscombe correction); terms seen on both sides get Hardie's plain ratio.
    Replacing only the zero by 0.5 — the simplest reading of Hardie — gives a term seen
    once in a reference twice the target's size and never in the target a *positive*
    log ratio (log₂((0.5/c)/(1/2c)) = 0), and with unequal sizes even the wrong sign;
    adding to both keeps the sign of a/c − b/d. A term seen 3 times in the target and never
    in an equal-sized reference gets log₂(3.5/0.5) ≈ 2.81 rather than infinity.
    """
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    add = np.where((a == 0) | (b == 0), zero, 0.0)
    return np.log2(((a + add) / c) / ((b + add) / d))


def pct_diff(a, b, c, d) -> np.ndarray:
    """%DIFF (Gabrielatos & Marchi 2012): 100·(a/c − b/d)/(b/d); +inf when b = 0 < a."""
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, 100.0 * (a / c - b / d) / np.where(b > 0, b / d, 1.0),
                        np.where(a > 0, np.inf, np.nan))


def logodds_z(a, b, c, d, prior, prior_total) -> np.ndarray:
    """Monroe, Colaresi & Quinn (2008), eq. 16–22: log-odds with informative Dirichlet prior.

    With α_w the prior count of the term and α₀ = Σ α_w (``prior_total``):
    δ = ln[(a+α_w)/(c+α₀−a−α_w)] − ln[(b+α_w)/(d+α₀−b−α_w)],
    σ² ≈ 1/(a+α_w) + 1/(b+α_w), z = δ/σ. The prior used by :func:`keyness` is the
    term's count in the whole corpus given (all groups), per language, as in common
    implementations (e.g. tidylo). This prior is strong: a small group is pulled towards
    the corpus rate, so when other groups use a term far more than both compared groups
    the z can take the opposite sign to G² (in FA-KES, "regime" for state media vs wire).
    Pass a subset corpus to :func:`keyness` to restrict the prior to the compared groups.
    """
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    alpha, alpha0 = _f(prior), _f(prior_total)
    delta = (np.log((a + alpha) / (c + alpha0 - a - alpha))
             - np.log((b + alpha) / (d + alpha0 - b - alpha)))
    return delta / np.sqrt(1.0 / (a + alpha) + 1.0 / (b + alpha))


def adjust_pvalues(p, method: str = "bh") -> np.ndarray:
    """Adjusted p-values: 'bh' (Benjamini & Hochberg 1995), 'bonferroni' or 'none'."""
    p = _f(p)
    m = len(p)
    if m == 0 or method == "none":
        return p.copy()
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    if method != "bh":
        raise FramescopeError(f"unknown p-value adjustment {method!r} (bh, bonferroni, none)")
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    return out


def keyness_counts(lang, term, freq_target, freq_reference, size_target, size_reference,
                   docs_target=None, docs_reference=None, prior=None, prior_total=None,
                   adjust: str = "bh") -> pd.DataFrame:
    """The keyness table from counts (all arguments aligned arrays or scalars).

    Without ``prior``, the target + reference counts are the prior (a corpus made of the
    two groups). Bootstrap columns are NaN here (they need documents: :func:`keyness_matrix`).
    """
    a, b = _f(freq_target), _f(freq_reference)
    n = len(np.atleast_1d(a))
    c = np.broadcast_to(_f(size_target), (n,)).astype(np.float64)
    d = np.broadcast_to(_f(size_reference), (n,)).astype(np.float64)
    if prior is None:
        prior, prior_total = a + b, c + d
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
        "logodds_z": logodds_z(a, b, c, d, prior, np.broadcast_to(_f(prior_total), (n,))),
        "docs_target": (np.asarray(docs_target, dtype=np.int64) if docs_target is not None
                        else np.zeros(n, dtype=np.int64)),
        "docs_reference": (np.asarray(docs_reference, dtype=np.int64) if docs_reference is not None
                           else np.zeros(n, dtype=np.int64)),
    })
    return out[KEYNESS_COLUMNS]


#: values per temporary array of the bootstrap (replicates × terms), to bound its memory
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


def _comparison(m: DocumentTermMatrix, target_mask, reference_mask, lang, min_freq, n_boot, ci,
                seed_seq, prior_mask=None) -> pd.DataFrame:
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
    prior_rows = m.matrix if prior_mask is None else m.matrix[np.asarray(prior_mask, dtype=bool)]
    prior_totals = totals if prior_mask is None else totals[np.asarray(prior_mask, dtype=bool)]
    prior = np.asarray(prior_rows.sum(axis=0)).ravel()
    prior_total = prior_totals.sum(axis=0)
    keep = (a + b) >= max(1, min_freq)
    one_sided = [lg for i, lg in enumerate(langs) if (size_t[i] > 0) != (size_r[i] > 0)
                 and (lang is None or lg == lang)]
    # a language present on one side only has no reference frequency to compare with
    keep &= (size_t[codes] > 0) & (size_r[codes] > 0)
    if lang is not None:
        keep &= m.vocab.langs == lang
    idx = np.flatnonzero(keep)
    docs_t = np.diff(x_t.tocsc().indptr)[idx]
    docs_r = np.diff(x_r.tocsc().indptr)[idx]
    table = keyness_counts(m.vocab.langs[idx], m.vocab.terms[idx], a[idx], b[idx],
                           size_t[codes[idx]], size_r[codes[idx]], docs_t, docs_r,
                           prior[idx], prior_total[codes[idx]], adjust="none")
    low, high = _bootstrap_log_ratio(x_t[:, idx], x_r[:, idx], totals[target_mask].astype(np.float64),
                                     totals[reference_mask].astype(np.float64), codes[idx], n_boot, ci, seed_seq)
    table["log_ratio_low"] = low
    table["log_ratio_high"] = high
    table.attrs["languages_one_side_only"] = one_sided
    return table


def _finish(table: pd.DataFrame, adjust: str, sort_cols: list[str]) -> pd.DataFrame:
    table["p_adjusted"] = adjust_pvalues(table["p_value"].to_numpy(), adjust)
    table = table.sort_values(sort_cols, ascending=[c != "g2" for c in sort_cols], kind="mergesort")
    return table.reset_index(drop=True)


def keyness_matrix(m: DocumentTermMatrix, target_mask, reference_mask, lang: str | None = None,
                   min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                   adjust: str = "bh", prior_mask=None) -> pd.DataFrame:
    """Keyness of target rows against reference rows of a document-term matrix.

    Terms with ``freq_target + freq_reference < min_freq`` are not tested (and do not
    count in the p-value adjustment). ``prior_mask`` selects the rows whose counts form
    the log-odds prior (default: every row, i.e. the whole corpus). Sorted by descending
    signed G², then lang, term.
    """
    if not 0 < ci < 1:
        raise FramescopeError(f"ci must be between 0 and 1, not {ci}")
    table = _comparison(m, target_mask, reference_mask, lang, min_freq, n_boot, ci,
                        np.random.SeedSequence(seed), prior_mask)
    skipped = table.attrs.get("languages_one_side_only", [])
    table = _finish(table, adjust, ["g2", "lang", "term"])
    table.attrs.update({"languages_one_side_only": skipped, "seed": seed, "n_boot": n_boot, "ci": ci, "adjust": adjust,
                        "min_freq": min_freq, "zero_count": ZERO_COUNT, **m.metadata})
    return table


def _masks_for(corpus, m: DocumentTermMatrix, target: str, reference: str | None):
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


def keyness(corpus, target: str, reference: str | None = None, options: TokenOptions = TokenOptions(),
            lang: str | None = None, min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95,
            seed: int = 0, adjust: str = "bh", include_duplicates: bool = False,
            matrix: DocumentTermMatrix | None = None) -> pd.DataFrame:
    """Keyness of the documents matching ``target`` (a pandas query on document metadata,
    e.g. ``"source_type == 'state_media'"``) against ``reference`` (a query; default: all
    other documents). Without ``lang`` every language of the subset is compared, each term
    against the tokens of its own language. Pass ``matrix`` (:func:`analysis.counts.dtm`
    of ``corpus``) to reuse counts. Columns: see the module docstring; ``attrs`` record the
    seed, options and corpus_id.
    """
    m = matrix if matrix is not None else dtm(corpus, options, include_duplicates=include_duplicates)
    target_mask, reference_mask = _masks_for(corpus, m, target, reference)
    table = keyness_matrix(m, target_mask, reference_mask, lang, min_freq, n_boot, ci, seed, adjust)
    table.attrs.update({"target": target, "reference": reference or f"not ({target})"})
    return table


def keyness_groups(corpus, by: str = "source_type", options: TokenOptions = TokenOptions(),
                   lang: str | None = None, min_freq: int = 5, n_boot: int = 1000, ci: float = 0.95,
                   seed: int = 0, adjust: str = "bh", include_duplicates: bool = False,
                   groups: list[str] | None = None,
                   matrix: DocumentTermMatrix | None = None) -> pd.DataFrame:
    """Each group of ``by`` against the rest of the corpus; a ``group`` column comes first.

    p-values are adjusted over the whole table (every group and term: one family). The
    bootstrap of group k (in sorted label order) uses ``SeedSequence([seed, k])``.
    """
    m = matrix if matrix is not None else dtm(corpus, options, include_duplicates=include_duplicates)
    masks = group_masks(m.doc_ids, group_labels(corpus, by))
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
        table = _comparison(m, mask, ~mask, lang, min_freq, n_boot, ci,
                            np.random.SeedSequence([seed, k]))
        table.insert(0, "group", label)
        skipped.update(table.attrs.get("languages_one_side_only", []))
        frames.append(table)
    out = _finish(pd.concat(frames, ignore_index=True), adjust, ["group", "g2", "lang", "term"])
    out.attrs.update({"languages_one_side_only": sorted(skipped), "by": by, "seed": seed, "n_boot": n_boot, "ci": ci, "adjust": adjust,
                      "min_freq": min_freq, "zero_count": ZERO_COUNT, **m.metadata})
    return out
