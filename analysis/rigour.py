"""Keyness that survives review: conservative effect sizes and document-level inference.

Token-level keyness (:mod:`framescope.analysis.keyness`) treats every token as an independent draw,
so one verbose article can make a keyword. This module adds the checks reviewers ask for,
on the counts of :mod:`framescope.analysis.keyness` / :mod:`framescope.analysis.counts` (nothing is recounted):

``keyness_review`` returns the keyness table (:func:`framescope.analysis.keyness.keyness`) plus::

    lrc                 conservative log ratio (Evert 2022): the bound of the log₂ ratio CI
                        nearest to 0, or 0 when the CI contains 0 (below)
    lrc_low, lrc_high   that Bonferroni-adjusted CI of log₂((a/c)/(b/d))
    wilcoxon_u          Mann–Whitney U of the target's per-document relative frequencies
    wilcoxon_p          its two-sided p-value (normal approximation with tie correction)
    wilcoxon_p_adjusted Benjamini–Hochberg over the terms (the family)
    rank_biserial       effect size 2U/(n_t·n_r) − 1 (> 0: higher in target documents)
    docs_g2             text-dispersion keyness (Egbert & Biber 2019): signed G² of the table
                        (documents containing the term, documents of each group)
    docs_p_adjusted     its p-value, Benjamini–Hochberg over the terms
    docs_log_ratio      log₂ of the ratio of document proportions (same zero rule as log_ratio,
                        so its sign is that of the difference of proportions)
    n_docs_target/_reference  documents of each group with tokens in the term's language
    perm_p              for a term absent from one group: two-sided p-value of a permutation
                        of document labels (:func:`framescope.analysis.keyness.permutation_test`, seeded,
                        ``n_perm`` relabellings); NaN for terms seen in both groups
    perm_p_adjusted     perm_p adjusted over the family's one-sided terms (``adjust``)
    perm_testable       False when the permutation test cannot reach ``alpha`` for the term
                        (too few documents contain it, or too few permutations); such terms
                        are listed in ``attrs["untestable_terms"]``; NA for two-sided terms
    sig_g2, sig_lrc, sig_wilcoxon, sig_bootstrap, sig_docs
                        True when the test finds the term key *in the direction of its G²*
                        at level ``alpha`` (adjusted p < alpha; LRC ≠ 0; bootstrap CI of
                        log_ratio excluding 0). For a term absent from one group the
                        bootstrap cannot fail (the absent side is 0 in every replicate, so
                        the CI excludes 0 as soon as a few documents contain the term):
                        there ``sig_bootstrap`` is the permutation test instead
                        (perm_p_adjusted < alpha)

LRC (Evert 2022, as implemented in CQPweb): conditional on the term's total k = a + b, the
target count is binomial, a ~ Bin(k, π) with π = c·r_t / (c·r_t + d·r_r), so the ratio of
relative frequencies is r_t/r_r = π/(1−π) · d/c. The exact Clopper–Pearson interval for π
at confidence 1 − α/m (Bonferroni, m = number of terms tested, two-sided) is transformed to
the log₂ ratio. Zero counts need no pseudo-count in this method: a = 0 gives a lower bound
of −∞ and a finite upper bound, b = 0 a finite lower bound and an upper bound of +∞, so a
term seen only in the target still gets a finite, positive LRC when k is large enough.

Wilcoxon rank-sum (Lijffijt et al. 2016): per term, the relative frequency of the term in
each document (count / tokens of that document in the term's language; documents without
tokens in that language are not observations), target documents against reference
documents, ``scipy.stats.mannwhitneyu`` (two-sided, asymptotic, tie-corrected).

References
----------
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: A practical and
powerful approach to multiple testing. *Journal of the Royal Statistical Society B*, 57(1), 289–300.
Egbert, J., & Biber, D. (2019). Incorporating text dispersion into keyword analyses. *Corpora*,
14(1), 77–104.
Evert, S. (2022). Measuring keyness. *Digital Humanities 2022*, Tokyo (conservative log ratio).
Lijffijt, J., et al. (2016). Significance testing of word frequencies in corpora. *Digital
Scholarship in the Humanities*, 31(2), 374–397.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from framescope.analysis.counts import DocumentTermMatrix, dtm, group_labels, group_masks
from framescope.analysis.keyness import KEYNESS_COLUMNS, keyness_counts, keyness_matrix, masks_for, permutation_test
from framescope.analysis.measures import adjust_pvalues, g2, log_ratio, lrc
from framescope.analysis.token_options import TokenOptions
from framescope.corpus.errors import FramescopeError

__all__ = ["REVIEW_COLUMNS", "lrc", "wilcoxon_terms", "text_dispersion", "one_sided_permutation", "review_matrix",
           "keyness_review", "keyness_family", "read_reference_list", "keyness_reference_list",
           "survival"]

#: Columns of :func:`keyness_review`: the keyness columns, then the review's (module docstring).
REVIEW_COLUMNS = KEYNESS_COLUMNS + [
    "lrc", "lrc_low", "lrc_high", "wilcoxon_u", "wilcoxon_p", "wilcoxon_p_adjusted", "rank_biserial",
    "docs_g2", "docs_p_value", "docs_p_adjusted", "docs_log_ratio", "n_docs_target", "n_docs_reference",
    "perm_p", "perm_p_adjusted", "perm_testable", "sig_g2", "sig_lrc", "sig_wilcoxon", "sig_bootstrap", "sig_docs"]

TESTS = ["sig_g2", "sig_lrc", "sig_wilcoxon", "sig_bootstrap", "sig_docs"]


def _relative_frequency_blocks(m: DocumentTermMatrix, cols: np.ndarray, mask: np.ndarray,
                               totals: np.ndarray, codes: np.ndarray, li: int) -> np.ndarray:
    rows = mask & (totals[:, li] > 0)
    block = m.matrix[rows][:, cols].toarray().astype(np.float64)
    return block / totals[rows, li][:, None]


def wilcoxon_terms(m: DocumentTermMatrix, cols, target_mask, reference_mask,
                   chunk: int = 2000) -> pd.DataFrame:
    """Mann–Whitney U per term on per-document relative frequencies (Lijffijt et al. 2016).

    Parameters
    ----------
    m : DocumentTermMatrix
        The counts (:func:`framescope.analysis.counts.dtm`).
    cols : array of int
        The terms (columns of ``m``) to test.
    target_mask, reference_mask : numpy.ndarray of bool
        The documents (rows of ``m``) of each group.
    chunk : int, default 2000
        Terms per dense block (bounds the memory).

    Returns
    -------
    pandas.DataFrame
        ``wilcoxon_u, wilcoxon_p, rank_biserial, n_docs_target, n_docs_reference``, one row
        per entry of ``cols``.
    """
    cols = np.asarray(cols, dtype=np.int64)
    totals, langs = m.lang_totals()
    codes, _ = m.vocab.lang_codes()
    target_mask, reference_mask = np.asarray(target_mask, bool), np.asarray(reference_mask, bool)
    u = np.full(len(cols), np.nan)
    p = np.full(len(cols), np.nan)
    n_t = np.zeros(len(cols), dtype=np.int64)
    n_r = np.zeros(len(cols), dtype=np.int64)
    for li in range(len(langs)):
        pos = np.flatnonzero(codes[cols] == li)
        nt = int((target_mask & (totals[:, li] > 0)).sum())
        nr = int((reference_mask & (totals[:, li] > 0)).sum())
        n_t[pos], n_r[pos] = nt, nr
        if not len(pos) or nt == 0 or nr == 0:
            continue
        for start in range(0, len(pos), chunk):
            part = pos[start:start + chunk]
            x = _relative_frequency_blocks(m, cols[part], target_mask, totals, codes, li)
            y = _relative_frequency_blocks(m, cols[part], reference_mask, totals, codes, li)
            with np.errstate(divide="ignore", invalid="ignore"):
                res = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", axis=0)
            u[part] = res.statistic
            p[part] = res.pvalue
    p = np.where(np.isnan(p) & ~np.isnan(u), 1.0, p)  # all values tied: no evidence
    with np.errstate(divide="ignore", invalid="ignore"):
        rb = 2.0 * u / (n_t * n_r) - 1.0
    return pd.DataFrame({"wilcoxon_u": u, "wilcoxon_p": p, "rank_biserial": rb,
                         "n_docs_target": n_t, "n_docs_reference": n_r})


def text_dispersion(docs_target, docs_reference, n_docs_target, n_docs_reference) -> pd.DataFrame:
    """Text-dispersion keyness (Egbert & Biber 2019) from document counts.

    The keyness 2×2 table with documents containing the term as counts and numbers of
    documents as sizes.

    Parameters
    ----------
    docs_target, docs_reference : array of int
        Documents of each group that contain the term.
    n_docs_target, n_docs_reference : array of int
        Documents of each group.

    Returns
    -------
    pandas.DataFrame
        ``docs_g2`` (signed G², :func:`framescope.analysis.measures.g2`), ``docs_p_value``
        and ``docs_log_ratio``, one row per term.
    """
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (docs_target, docs_reference,
                                                             n_docs_target, n_docs_reference))
    value = g2(a, b, c, d)
    return pd.DataFrame({"docs_g2": value, "docs_p_value": stats.chi2.sf(np.abs(value), 1),
                         "docs_log_ratio": log_ratio(a, b, c, d)})


def _term_columns(m: DocumentTermMatrix, table: pd.DataFrame) -> np.ndarray:
    return np.array([m.vocab.index(lg, t) for lg, t in zip(table["lang"], table["term"])], dtype=np.int64)


def one_sided_permutation(m: DocumentTermMatrix, table: pd.DataFrame, cols: np.ndarray, target_mask,
                          reference_mask, n_perm: int = 1000, seed=0, alpha: float = 0.05) -> pd.DataFrame:
    """Permutation p-values for the terms of ``table`` absent from one group.

    The documents of the two groups are relabelled ``n_perm`` times
    (:func:`framescope.analysis.keyness.permutation_test`, seeded by child 2 of
    ``SeedSequence(seed)``; children 0 and 1 are the bootstrap's).

    Parameters
    ----------
    m : DocumentTermMatrix
        The counts (:func:`framescope.analysis.counts.dtm`).
    table : pandas.DataFrame
        A keyness table (``freq_target``, ``freq_reference``).
    cols : numpy.ndarray of int
        The column of ``m`` of each row of ``table``.
    target_mask, reference_mask : numpy.ndarray of bool
        The documents (rows of ``m``) of each group.
    n_perm : int, default 1000
        Relabellings.
    seed : int or sequence of int, default 0
        Seed of the relabellings.
    alpha : float, default 0.05
        Level at which a term counts as testable.

    Returns
    -------
    pandas.DataFrame
        ``perm_p`` (float) and ``perm_testable`` (nullable boolean), one row per row of
        ``table``; rows seen in both groups get NaN / NA.
    """
    target_mask, reference_mask = np.asarray(target_mask, bool), np.asarray(reference_mask, bool)
    one = ((table["freq_target"] == 0) | (table["freq_reference"] == 0)).to_numpy()
    p = np.full(len(table), np.nan)
    testable = pd.array([pd.NA] * len(table), dtype="boolean")
    if one.any() and n_perm > 0:
        rows = target_mask | reference_mask
        totals, _ = m.lang_totals()
        codes, _ = m.vocab.lang_codes()
        child = np.random.SeedSequence(seed).spawn(3)[2]
        p_one, ok = permutation_test(m.matrix[rows][:, cols[one]], totals[rows], codes[cols[one]],
                                     target_mask[rows], n_perm, child, alpha)
        p[one] = p_one
        testable[one] = ok
    return pd.DataFrame({"perm_p": p, "perm_testable": testable})


def review_matrix(m: DocumentTermMatrix, target_mask, reference_mask, lang: str | None = None,
                  min_freq: int = 5, n_boot: int = 200, ci: float = 0.95, seed: int = 0,
                  n_perm: int = 1000, alpha: float = 0.05) -> pd.DataFrame:
    """Compute the unadjusted review columns of one comparison (see :func:`finish_family`).

    Parameters
    ----------
    m : DocumentTermMatrix
        The counts (:func:`framescope.analysis.counts.dtm`).
    target_mask, reference_mask : numpy.ndarray of bool
        The documents (rows of ``m``) of each group.
    lang : str, optional
        Restrict to one language.
    min_freq : int, default 5
        Fewest occurrences (both groups together) of a tested term.
    n_boot : int, default 200
        Document-bootstrap replicates of the log-ratio interval.
    ci : float, default 0.95
        Level of the intervals.
    seed : int or sequence of int, default 0
        Seed of the bootstrap and the permutations.
    n_perm : int, default 1000
        Relabellings of the permutation test.
    alpha : float, default 0.05
        Level of the tests.

    Returns
    -------
    pandas.DataFrame
        The keyness columns with the Wilcoxon, text-dispersion and permutation columns,
        p-values not yet adjusted.
    """
    table = keyness_matrix(m, target_mask, reference_mask, lang, min_freq, n_boot, ci, seed, adjust="none")
    cols = _term_columns(m, table)
    w = wilcoxon_terms(m, cols, target_mask, reference_mask)
    td = text_dispersion(table["docs_target"], table["docs_reference"], w["n_docs_target"], w["n_docs_reference"])
    perm = one_sided_permutation(m, table, cols, target_mask, reference_mask, n_perm, seed, alpha)
    out = pd.concat([table.reset_index(drop=True), w, td, perm], axis=1)
    out.attrs.update(table.attrs)
    out.attrs["n_perm"] = n_perm
    return out


def finish_family(table: pd.DataFrame, alpha: float = 0.05, adjust: str = "bh") -> pd.DataFrame:
    """Adjust over every row of ``table`` (one family: all terms of all comparisons).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`review_matrix` (one or several comparisons).
    alpha : float, default 0.05
        Level of the tests and of the LRC interval.
    adjust : str, default "bh"
        p-value adjustment (Benjamini & Hochberg 1995 by default); the LRC interval is
        Bonferroni-adjusted with m = number of rows.

    Returns
    -------
    pandas.DataFrame
        ``table`` with the adjusted p-values, ``lrc``, ``lrc_low``, ``lrc_high`` and the
        ``sig_*`` columns (docs/columns.md); ``attrs``: ``alpha``, ``adjust``, ``n_tests``,
        ``untestable_terms``.
    """
    m = len(table)
    table = table.copy()
    table["p_adjusted"] = adjust_pvalues(table["p_value"].to_numpy(), adjust)
    # a term without Wilcoxon observations was not tested: NaN, not counted among the tests
    table["wilcoxon_p_adjusted"] = adjust_pvalues(table["wilcoxon_p"].to_numpy(), adjust)
    table["docs_p_adjusted"] = adjust_pvalues(table["docs_p_value"].to_numpy(), adjust)
    value, low, high = lrc(table["freq_target"], table["freq_reference"], table["size_target"],
                           table["size_reference"], alpha, m)
    table["lrc"], table["lrc_low"], table["lrc_high"] = value, low, high
    direction = np.sign(table["g2"].to_numpy())
    table["sig_g2"] = table["p_adjusted"] < alpha
    table["sig_lrc"] = np.sign(value) == direction
    table["sig_lrc"] &= value != 0
    table["sig_wilcoxon"] = ((table["wilcoxon_p_adjusted"] < alpha)
                             & (np.sign(table["rank_biserial"].to_numpy()) == direction))
    table["perm_p_adjusted"] = adjust_pvalues(table["perm_p"].to_numpy(), adjust)
    one = ((table["freq_target"] == 0) | (table["freq_reference"] == 0)).to_numpy()
    boot = (((table["log_ratio_low"] > 0) & (direction > 0))
            | ((table["log_ratio_high"] < 0) & (direction < 0))).to_numpy()
    table["sig_bootstrap"] = np.where(one, (table["perm_p_adjusted"] < alpha).to_numpy(), boot)
    table["sig_docs"] = (table["docs_p_adjusted"] < alpha) & (np.sign(table["docs_g2"].to_numpy()) == direction)
    untestable = table["perm_testable"].eq(False).fillna(False).to_numpy()
    label = (table["comparison"] + ": " if "comparison" in table.columns else "") + table["term"].astype(str)
    table.attrs.update({"alpha": alpha, "adjust": adjust, "lrc_method": "Clopper-Pearson, Bonferroni",
                        "n_tests": m, "untestable_terms": label[untestable].tolist()})
    return table


def keyness_review(corpus, target: str, reference: str | None = None, options: TokenOptions = TokenOptions(),
                   lang: str | None = None, min_freq: int = 5, n_boot: int = 200, ci: float = 0.95,
                   seed: int = 0, alpha: float = 0.05, adjust: str = "bh", include_duplicates: bool = False,
                   matrix: DocumentTermMatrix | None = None, n_perm: int = 1000) -> pd.DataFrame:
    """Keyness of ``target`` against ``reference`` with the checks reviewers ask for.

    LRC, Wilcoxon rank-sum on documents, bootstrap, permutation and text-dispersion checks
    on top of :func:`framescope.analysis.keyness.keyness` (module docstring).

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    target : str
        Pandas query selecting the target documents.
    reference : str, optional
        Pandas query selecting the reference documents (default: every other document).
    options : TokenOptions
        Token options of the counts.
    lang : str, optional
        Restrict to one language.
    min_freq : int, default 5
        Fewest occurrences (both groups together) of a tested term.
    n_boot : int, default 200
        Document-bootstrap replicates of the log-ratio interval.
    ci : float, default 0.95
        Level of the intervals.
    seed : int, default 0
        Seed of the bootstrap and the permutations.
    alpha : float, default 0.05
        Level of the tests.
    adjust : str, default "bh"
        p-value adjustment over the family (Benjamini–Hochberg).
    include_duplicates : bool, default False
        Also count documents whose ``duplicate_of`` is set.
    matrix : DocumentTermMatrix, optional
        Counts already made (default: counted here with ``options``).
    n_perm : int, default 1000
        Relabellings of the permutation test of terms absent from one group.

    Returns
    -------
    pandas.DataFrame
        :data:`REVIEW_COLUMNS` (docs/columns.md), sorted by descending signed G².

    References
    ----------
    Benjamini, Y., & Hochberg, Y. (1995). *Journal of the Royal Statistical Society B*, 57(1), 289–300.
    Lijffijt, J., et al. (2016). *Digital Scholarship in the Humanities*, 31(2), 374–397.
    Egbert, J., & Biber, D. (2019). *Corpora*, 14(1), 77–104.
    """
    m = matrix if matrix is not None else dtm(corpus, options, include_duplicates=include_duplicates)
    target_mask, reference_mask = masks_for(corpus, m, target, reference)
    table = finish_family(review_matrix(m, target_mask, reference_mask, lang, min_freq, n_boot, ci, seed,
                                        n_perm, alpha), alpha, adjust)
    table.attrs.update({"target": target, "reference": reference or f"not ({target})"})
    return table[REVIEW_COLUMNS]


def keyness_family(corpus, by: str = "source_type", mode: str = "both", options: TokenOptions = TokenOptions(),
                   lang: str | None = None, min_freq: int = 5, n_boot: int = 200, ci: float = 0.95,
                   seed: int = 0, alpha: float = 0.05, adjust: str = "bh", groups: list[str] | None = None,
                   include_duplicates: bool = False, matrix: DocumentTermMatrix | None = None,
                   n_perm: int = 1000) -> pd.DataFrame:
    """Review keyness for many groups at once, adjusting over the whole family.

    The p-value adjustment (BH) and the LRC Bonferroni run over every term of every
    comparison. Comparison j (in output order) bootstraps with seed ``[seed, j]``.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    by : str, default "source_type"
        The document column (or expression) whose values are the groups.
    mode : {'both', 'rest', 'pairs'}
        Each group against the rest, every pair of groups, or both.
    options : TokenOptions
        Token options of the counts.
    lang : str, optional
        Restrict to one language.
    min_freq : int, default 5
        Fewest occurrences (both groups together) of a tested term.
    n_boot : int, default 200
        Document-bootstrap replicates of the log-ratio interval.
    ci : float, default 0.95
        Level of the intervals.
    seed : int, default 0
        Seed of the bootstrap and the permutations.
    alpha : float, default 0.05
        Level of the tests.
    adjust : str, default "bh"
        p-value adjustment over the family (Benjamini–Hochberg).
    groups : list of str, optional
        Keep only these groups.
    include_duplicates : bool, default False
        Also count documents whose ``duplicate_of`` is set.
    matrix : DocumentTermMatrix, optional
        Counts already made.
    n_perm : int, default 1000
        Relabellings of the permutation test.

    Returns
    -------
    pandas.DataFrame
        ``comparison, target, reference`` then :data:`REVIEW_COLUMNS`.
    """
    if mode not in ("rest", "pairs", "both"):
        raise FramescopeError(f"mode must be rest, pairs or both, not {mode!r}")
    m = matrix if matrix is not None else dtm(corpus, options, include_duplicates=include_duplicates)
    masks = group_masks(m.doc_ids, group_labels(corpus, by))
    if groups is not None:
        unknown = sorted(set(groups) - set(masks))
        if unknown:
            raise FramescopeError(f"no group {unknown[0]!r} in {by!r} (groups: {', '.join(masks)})")
        masks = {g: v for g, v in masks.items() if g in groups}
    if len(masks) < 2:
        raise FramescopeError(f"{by!r} has fewer than two groups: nothing to compare")
    plan = []
    if mode in ("rest", "both"):
        plan += [(g, "(rest)", mask, ~mask) for g, mask in masks.items()]
    if mode in ("pairs", "both"):
        plan += [(g, h, masks[g], masks[h]) for g, h in itertools.combinations(masks, 2)]
    frames = []
    for j, (t, r, tm, rm) in enumerate(plan):
        part = review_matrix(m, tm, rm, lang, min_freq, n_boot, ci, [seed, j], n_perm, alpha)
        part.insert(0, "reference", r)
        part.insert(0, "target", t)
        part.insert(0, "comparison", f"{t} vs {r}")
        frames.append(part)
    out = finish_family(pd.concat(frames, ignore_index=True), alpha, adjust)
    out.attrs.update({"by": by, "mode": mode, "seed": seed, "n_boot": n_boot, "n_perm": n_perm, **m.metadata})
    return out[["comparison", "target", "reference"] + REVIEW_COLUMNS]


def read_reference_list(path_or_frame, lang: str = "en", lowercase: bool = True) -> pd.DataFrame:
    """Read an external reference frequency list.

    Parameters
    ----------
    path_or_frame : str, pathlib.Path or pandas.DataFrame
        A CSV (or table) with columns ``term, frequency, corpus_size`` and optionally
        ``lang``. ``corpus_size`` is the reference corpus' token count: one value per
        language, at least the sum of the frequencies.
    lang : str, default "en"
        The language of rows without ``lang``.
    lowercase : bool, default True
        Lowercase the terms (as the default token options do); duplicates are summed.

    Returns
    -------
    pandas.DataFrame
        ``lang, term, frequency, corpus_size``, one row per (lang, term).

    Raises
    ------
    FramescopeError
        For a missing file or column, a count that is not a count, or inconsistent sizes.
    """
    if isinstance(path_or_frame, pd.DataFrame):
        ref = path_or_frame.copy()
    else:
        path = Path(path_or_frame)
        if not path.is_file():
            raise FramescopeError(f"reference list not found: {path}")
        try:
            ref = pd.read_csv(path, dtype={"term": str}, keep_default_na=False)
        except Exception as exc:
            raise FramescopeError(f"cannot read reference list {path}: {exc}") from None
    missing = [c for c in ("term", "frequency", "corpus_size") if c not in ref.columns]
    if missing:
        raise FramescopeError(f"reference list lacks column(s) {', '.join(missing)} (needs term, frequency, corpus_size)")
    if "lang" not in ref.columns:
        ref["lang"] = lang
    for col in ("frequency", "corpus_size"):
        values = pd.to_numeric(ref[col], errors="coerce")
        bad = values.isna() | (values < 0) | (values != values.round())
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise FramescopeError(f"reference list row {row + 2}: {col} {ref[col].iloc[row]!r} is not a count")
        ref[col] = values.astype(np.int64)
    ref["term"] = ref["term"].astype(str).str.strip()
    if lowercase:
        ref["term"] = ref["term"].str.lower()
    sizes = ref.groupby("lang")["corpus_size"].nunique()
    if (sizes > 1).any():
        raise FramescopeError(f"reference list: more than one corpus_size for language {sizes[sizes > 1].index[0]!r}")
    ref = ref.groupby(["lang", "term"], as_index=False).agg(frequency=("frequency", "sum"),
                                                             corpus_size=("corpus_size", "first"))
    over = ref.groupby("lang").agg(total=("frequency", "sum"), size=("corpus_size", "first"))
    if (over["total"] > over["size"]).any():
        raise FramescopeError("reference list: frequencies add up to more than corpus_size")
    return ref


def keyness_reference_list(corpus, reference_list, target: str | None = None,
                           options: TokenOptions = TokenOptions(), lang: str = "en", min_freq: int = 5,
                           alpha: float = 0.05, adjust: str = "bh", include_duplicates: bool = False,
                           matrix: DocumentTermMatrix | None = None) -> pd.DataFrame:
    """Keyness of the corpus (or the ``target`` query's documents) against an external list.

    Terms of either side with a + b ≥ ``min_freq`` are tested; a term missing from one
    side counts 0.

    Parameters
    ----------
    corpus : Corpus
        The corpus.
    reference_list : str, pathlib.Path or pandas.DataFrame
        The reference frequency list (:func:`read_reference_list`).
    target : str, optional
        Pandas query selecting the target documents (default: all).
    options : TokenOptions
        Token options of the counts.
    lang : str, default "en"
        The language compared.
    min_freq : int, default 5
        Fewest occurrences (both sides together) of a tested term.
    alpha : float, default 0.05
        Level of the tests and of the LRC interval.
    adjust : str, default "bh"
        p-value adjustment.
    include_duplicates : bool, default False
        Also count documents whose ``duplicate_of`` is set.
    matrix : DocumentTermMatrix, optional
        Counts already made.

    Returns
    -------
    pandas.DataFrame
        The keyness columns (the bootstrap interval and ``docs_reference`` empty: the list
        has no documents), ``lrc, lrc_low, lrc_high, sig_g2, sig_lrc``.
    """
    ref = read_reference_list(reference_list, lang, options.lowercase)
    ref = ref[ref["lang"] == lang]
    if ref.empty:
        raise FramescopeError(f"the reference list has no terms of language {lang!r}")
    m = matrix if matrix is not None else dtm(corpus, options, lang=lang, include_duplicates=include_duplicates)
    mask = np.ones(m.shape[0], bool) if target is None else masks_for(corpus, m, target, None)[0]
    lo, hi = m.vocab.lang_range(lang)
    block = m.matrix[mask][:, lo:hi]
    ours = pd.DataFrame({"term": m.vocab.terms[lo:hi], "freq_target": np.asarray(block.sum(axis=0)).ravel(),
                         "docs_target": np.diff(block.tocsc().indptr)})
    size_t = int(ours["freq_target"].sum())
    if size_t == 0:
        raise FramescopeError(f"the target has no tokens of language {lang!r}")
    both = ours.merge(ref[["term", "frequency"]], on="term", how="outer").fillna({"freq_target": 0,
                                                                                  "docs_target": 0, "frequency": 0})
    both = both[(both["freq_target"] + both["frequency"]) >= max(1, min_freq)].sort_values("term")
    table = keyness_counts(lang, both["term"].to_numpy(), both["freq_target"].to_numpy(),
                           both["frequency"].to_numpy(), size_t, int(ref["corpus_size"].iloc[0]),
                           docs_target=both["docs_target"].to_numpy(), adjust=adjust)
    value, low, high = lrc(table["freq_target"], table["freq_reference"], table["size_target"],
                           table["size_reference"], alpha, len(table))
    table["lrc"], table["lrc_low"], table["lrc_high"] = value, low, high
    table["sig_g2"] = table["p_adjusted"] < alpha
    table["sig_lrc"] = (value != 0) & (np.sign(value) == np.sign(table["g2"].to_numpy()))
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    table.attrs.update({"alpha": alpha, "adjust": adjust, "lrc_method": "Clopper-Pearson, Bonferroni",
                        "target": target, "reference": "external list", **m.metadata})
    return table


def survival(table: pd.DataFrame, top: int = 50, tests=TESTS) -> pd.DataFrame:
    """Count how many of the ``top`` target keywords by signed G² pass each test.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of :func:`keyness_review` or :func:`keyness_family`.
    top : int, default 50
        Keywords (positive G², highest first) looked at per comparison.
    tests : list of str
        The ``sig_*`` columns counted.

    Returns
    -------
    pandas.DataFrame
        ``[comparison,] test, survive, of, share``: one row per test (and comparison), plus
        the row ``all`` (every test passed).
    """
    keys = ["comparison"] if "comparison" in table.columns else []
    rows = []
    for key, part in (table.groupby(keys, sort=False) if keys else [((), table)]):
        head = part[part["g2"] > 0].sort_values("g2", ascending=False, kind="mergesort").head(top)
        present = [t for t in tests if t in head.columns]
        label = key[0] if isinstance(key, tuple) and key else key
        for t in present + ["all"]:
            passed = head[present].all(axis=1) if t == "all" else head[t]
            rows.append({**({"comparison": label} if keys else {}), "test": t, "survive": int(passed.sum()),
                         "of": len(head), "share": float(passed.mean()) if len(head) else np.nan})
    return pd.DataFrame(rows)
