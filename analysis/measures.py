"""Association measures on count arrays: one implementation for keyness, review and collocations.

Every function takes numpy arrays (or scalars, broadcast) of counts and returns a float64
array; nothing here counts tokens. Two families:

Comparing two corpora (keyness), the 2×2 table of a term::

                 target   reference
    term           a          b
    other        c − a      d − b

    :func:`g2`          signed log-likelihood G² of the full table (Dunning 1993)
    :func:`g2_two_cell` Rayson & Garside's (2000) two-cell form, signed
    :func:`chi2`        signed Pearson χ², no continuity correction
    :func:`log_ratio`   log₂ of the ratio of relative frequencies (Hardie 2014), with the
                        zero-count rule below, which keeps the sign of a/c − b/d
    :func:`lrc`         conservative log ratio (Evert 2022)
    :func:`pct_diff`    %DIFF (Gabrielatos & Marchi 2012)
    :func:`logodds_z`   z-score of the log-odds ratio with an informative Dirichlet prior
                        (Monroe, Colaresi & Quinn 2008); :func:`logodds_prior` builds the prior

Co-occurrence (collocations), with o11 the co-occurrence count and e11 its expectation:

    :func:`g2_cells`    unsigned G² of any 2×2 table of observed cells
    :func:`pmi`         log₂(o11/e11) (Church & Hanks 1990)
    :func:`mi3`         log₂(o11³/e11) (Daille 1994)
    :func:`t_score`     (o11 − e11)/√o11
    :func:`logdice`     14 + log₂(2·o11/(f1 + f2)) (Rychlý 2008)
    :func:`g2_window`   signed G² of a window table (R1 window positions, overlapping windows)

Bigram association from the marginals of the 2×2 table of an adjacent pair (n_ii = f(w1 w2),
n_ix = f(w1), n_xi = f(w2), n_xx = N), as NLTK's ``BigramAssocMeasures`` computes them
(Manning & Schütze 1999, ch. 5): :func:`dice`, :func:`jaccard`, :func:`phi_sq` (χ² = N·φ²),
:func:`poisson_stirling`, :func:`mi_like`; G², PMI and t are the functions above.

and :func:`adjust_pvalues` (Bonferroni, Holm, Benjamini–Hochberg, Benjamini–Yekutieli),
which adjusts the finite p-values of a column and leaves NaN where it was.

Signs: every two-corpus measure is > 0 when the term is relatively more frequent in the
target (a/c > b/d), < 0 when less, 0 when equal — for every row, zero counts and unequal
sizes included (``tests/test_keyness.py`` checks this on random tables).

References
----------
- Church, K. W. & Hanks, P. (1990). Word association norms, mutual information, and lexicography.
  Computational Linguistics 16(1), 22–29.
- Daille, B. (1994). Approche mixte pour l'extraction automatique de terminologie. PhD thesis, Paris 7.
- Dunning, T. (1993). Accurate methods for the statistics of surprise and coincidence.
  Computational Linguistics 19(1), 61–74.
- Evert, S. (2022). Measuring keyness. Digital Humanities 2022, Tokyo. osf.io/cy6mw
- Gabrielatos, C. & Marchi, A. (2012). Keyness: appropriate metrics and practical issues. CADS 2012.
- Hardie, A. (2014). Log Ratio — an informal introduction. cass.lancs.ac.uk/log-ratio-an-informal-introduction
- Kilgarriff, A. (2009). Simple maths for keywords. Proceedings of Corpus Linguistics 2009.
- Monroe, B. L., Colaresi, M. P. & Quinn, K. M. (2008). Fightin' words: lexical feature selection
  and evaluation for identifying the content of political conflict. Political Analysis 16(4), 372–403.
- Rayson, P. & Garside, R. (2000). Comparing corpora using frequency profiling. Workshop on
  Comparing Corpora, ACL 2000, 1–6.
- Rychlý, P. (2008). A lexicographer-friendly association score. RASLAN 2008, 6–9.
- Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B 57(1), 289–300.
- Benjamini, Y. & Yekutieli, D. (2001). The control of the false discovery rate in multiple testing
  under dependency. Annals of Statistics 29(4), 1165–1188.
- Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scand. J. Statist. 6, 65–70.
- Manning, C. D. & Schütze, H. (1999). Foundations of Statistical Natural Language Processing, ch. 5. MIT Press.
"""
from __future__ import annotations

import numpy as np

from framescope.corpus.errors import FramescopeError

__all__ = ["ZERO_COUNT", "LOGODDS_PRIORS", "DEFAULT_PRIOR", "DEFAULT_PRIOR_SIZE", "P_ADJUSTMENTS",
           "xlogy_ratio", "g2_cells", "g2", "g2_two_cell", "chi2", "log_ratio", "log_ratio_inplace", "lrc", "pct_diff",
           "logodds_prior", "logodds_z", "pmi", "mi3", "t_score", "logdice", "g2_window", "dice", "jaccard",
           "phi_sq", "poisson_stirling", "mi_like", "adjust_pvalues"]

#: The log ratio's zero rule adds the rate of this many occurrences in the smaller corpus to
#: both relative frequencies (see :func:`log_ratio`).
ZERO_COUNT = 0.5

#: Priors of :func:`logodds_prior`; the default keeps the sign of a/c − b/d.
LOGODDS_PRIORS = ("groups", "corpus", "scaled")
DEFAULT_PRIOR = "groups"
#: α₀ of the ``"scaled"`` prior when none is given.
DEFAULT_PRIOR_SIZE = 1000.0

P_ADJUSTMENTS = ("bh", "by", "holm", "bonferroni", "none")


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _sign(a, b, c, d) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sign(a * d - b * c)  # sign of a/c − b/d without dividing


def xlogy_ratio(o, e) -> np.ndarray:
    """Compute o·ln(o/e) elementwise, with 0·ln 0 = 0 (the summand of G²).

    Parameters
    ----------
    o, e : array_like
        Observed and expected counts (broadcast).

    Returns
    -------
    numpy.ndarray
        0 where o = 0; o·ln(o/e) elsewhere (e ≤ 0 is read as 1).

    References
    ----------
    Dunning (1993); see the module docstring.
    """
    o, e = _f(o), _f(e)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(np.where(o > 0, o, 1.0) / np.where(e > 0, e, 1.0)), 0.0)


def g2_cells(o11, o12, o21, o22) -> np.ndarray:
    """Unsigned log-likelihood G² = 2 Σ O ln(O/E) of the 2×2 table [[o11, o12], [o21, o22]].

    E = row total × column total / N; 0·ln 0 = 0 (Dunning 1993). Rounding below 0 is
    clipped (a perfect fit can give −1e-13).

    Parameters
    ----------
    o11, o12, o21, o22 : array_like
        The observed cells (broadcast).

    Returns
    -------
    numpy.ndarray
        G² ≥ 0.

    References
    ----------
    Dunning (1993); see the module docstring.
    """
    o11, o12, o21, o22 = _f(o11), _f(o12), _f(o21), _f(o22)
    n = o11 + o12 + o21 + o22
    r1, r2 = o11 + o12, o21 + o22
    k1, k2 = o11 + o21, o12 + o22
    with np.errstate(divide="ignore", invalid="ignore"):
        exp = (r1 * k1 / n, r1 * k2 / n, r2 * k1 / n, r2 * k2 / n)
    value = 2.0 * sum(xlogy_ratio(o, e) for o, e in zip((o11, o12, o21, o22), exp))
    return np.maximum(value, 0.0)


def _keyness_cells(a, b, c, d):
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    n = c + d
    row = a + b
    obs = (a, b, c - a, d - b)
    with np.errstate(divide="ignore", invalid="ignore"):
        exp = (c * row / n, d * row / n, c * (n - row) / n, d * (n - row) / n)
    return obs, exp


def g2(a, b, c, d) -> np.ndarray:
    """Signed log-likelihood G² of the keyness table (full table, Dunning 1993).

    Parameters
    ----------
    a, b : array_like
        Occurrences of the term in the target and the reference.
    c, d : array_like
        Tokens of the target and the reference.

    Returns
    -------
    numpy.ndarray
        G² with the sign of a/c − b/d.

    References
    ----------
    Dunning (1993); see the module docstring.
    """
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    return _sign(a, b, c, d) * g2_cells(a, b, c - a, d - b)


def g2_two_cell(a, b, c, d) -> np.ndarray:
    """Rayson & Garside's (2000) two-cell log-likelihood (term row only), signed like :func:`g2`.

    Parameters
    ----------
    a, b : array_like
        Occurrences of the term in the target and the reference.
    c, d : array_like
        Tokens of the target and the reference.

    Returns
    -------
    numpy.ndarray
        2 (a ln(a/E_a) + b ln(b/E_b)) with the sign of a/c − b/d.

    References
    ----------
    Rayson & Garside (2000); see the module docstring.
    """
    obs, exp = _keyness_cells(a, b, c, d)
    value = 2.0 * (xlogy_ratio(obs[0], exp[0]) + xlogy_ratio(obs[1], exp[1]))
    return _sign(_f(a), _f(b), _f(c), _f(d)) * value


def chi2(a, b, c, d) -> np.ndarray:
    """Pearson χ² of the keyness table, no continuity correction, signed like :func:`g2`.

    Parameters
    ----------
    a, b : array_like
        Occurrences of the term in the target and the reference.
    c, d : array_like
        Tokens of the target and the reference.

    Returns
    -------
    numpy.ndarray
        Σ (O − E)²/E over the four cells, with the sign of a/c − b/d.

    References
    ----------
    Rayson & Garside (2000); see the module docstring.
    """
    obs, exp = _keyness_cells(a, b, c, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = sum(np.where(e > 0, (o - e) ** 2 / np.where(e > 0, e, 1.0), 0.0) for o, e in zip(obs, exp))
    return _sign(_f(a), _f(b), _f(c), _f(d)) * value


def log_ratio(a, b, c, d, zero: float = ZERO_COUNT) -> np.ndarray:
    """Log ratio log₂((a/c)/(b/d)) (Hardie 2014), finite and sign-correct when a count is zero.

    Terms seen on both sides get Hardie's plain ratio. When a or b is 0, the same small
    constant ε = ``zero``/min(c, d) — half an occurrence in the smaller of the two corpora —
    is added to *both relative frequencies*::

        log₂((a/c + ε) / (b/d + ε))

    Adding one constant to both rates (as in Kilgarriff's 2009 "simple maths" for keywords)
    keeps the sign of a/c − b/d for every row. With equal sizes it is the Haldane–Anscombe
    rule of adding 0.5 to both counts (log₂(10.5/0.5) for 10 vs 0 in equal halves); with
    unequal sizes ε is the rate of half an occurrence where a rate is coarsest, which is
    Hardie's (2014) 0.5 for a zero count in the smaller corpus, so a term absent from a small
    reference cannot look more key than that corpus can resolve.

    Why not the common alternatives: adding 0.5 to both counts but not to the sizes, or
    replacing only the zero count by 0.5 (the simplest reading of Hardie 2014), compares
    0.5/d with a/c, which is the wrong way round whenever a/c < 0.5/d: a term seen once in
    a target of 57,692 tokens and never in a reference of 5,606 would score −1.78; here it
    scores log₂(1 + 5,606/(0.5 · 57,692)) = +0.26. Adding ε to one side only cannot keep
    the sign for every row; adding it to both can.

    Parameters
    ----------
    a, b : array_like
        Occurrences in the target and the reference.
    c, d : array_like
        Tokens of the target and the reference (> 0).
    zero : float
        Occurrences in the smaller corpus that ε stands for (default 0.5).

    Returns
    -------
    numpy.ndarray
        The log ratio in bits (1 = twice as frequent in the target).

    References
    ----------
    Hardie (2014); Kilgarriff (2009); see the module docstring.
    """
    a, b, c, d = np.broadcast_arrays(_f(a), _f(b), _f(c), _f(d))
    return log_ratio_inplace(a.copy(), b.copy(), c, d, zero)


def log_ratio_inplace(a: np.ndarray, b: np.ndarray, c, d, zero: float = ZERO_COUNT) -> np.ndarray:
    """:func:`log_ratio` computed in the float arrays ``a`` and ``b`` (both overwritten).

    The kernel of :func:`log_ratio` and of the keyness bootstrap, which calls it on blocks of
    terms × replicates (float32) with ``c``, ``d`` rows that broadcast.

    Parameters
    ----------
    a, b : numpy.ndarray
        Float counts of the target and reference (overwritten).
    c, d : array_like
        Tokens of the target and the reference (broadcast against ``a``, ``b``).
    zero : float
        As :func:`log_ratio`.

    Returns
    -------
    numpy.ndarray
        ``a``, holding the log ratios.

    References
    ----------
    Hardie (2014); see the module docstring.
    """
    zeros = (a == 0) | (b == 0)
    c, d = np.asarray(c, dtype=np.float64), np.asarray(d, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        eps = (zero / np.minimum(c, d)).astype(a.dtype)
        # a division, not a product with 1/c: equal rates must give exactly 0
        np.divide(a, c.astype(a.dtype), out=a)
        np.divide(b, d.astype(b.dtype), out=b)
        np.add(a, eps, out=a, where=zeros)
        np.add(b, eps, out=b, where=zeros)
        np.divide(a, b, out=a)
        return np.log2(a, out=a)


def lrc(a, b, c, d, alpha: float = 0.05, m: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Conservative log ratio (Evert 2022, as in CQPweb).

    Conditional on k = a + b, a ~ Bin(k, π) with π = c·r_t/(c·r_t + d·r_r), so
    r_t/r_r = π/(1 − π)·d/c. The Clopper–Pearson interval of π at confidence 1 − α/m
    (Bonferroni over ``m`` tests, two-sided) is mapped to the log₂ ratio; ``lrc`` is the
    bound nearest 0, or 0 when the interval contains 0. No pseudo-count is needed:
    a = 0 gives low = −∞, b = 0 gives high = +∞.

    Parameters
    ----------
    a, b : array_like
        Occurrences of the term in the target and the reference.
    c, d : array_like
        Tokens of the target and the reference.
    alpha : float
        Two-sided level before the Bonferroni division, in (0, 1) (default 0.05: a 95 %
        interval for a single test).
    m : int
        Number of tests the level is divided by (Bonferroni; default 1, no correction).

    Returns
    -------
    (lrc, low, high) : tuple of numpy.ndarray
        The conservative estimate and the interval of log₂((a/c)/(b/d)).

    References
    ----------
    Evert (2022); see the module docstring.
    """
    a, b, c, d = (_f(x) for x in (a, b, c, d))
    a, b = np.broadcast_arrays(a, b)
    if not 0 < alpha < 1:
        raise FramescopeError(f"alpha must be between 0 and 1, not {alpha}")
    from scipy import stats  # here: importing scipy.stats costs every command ~40 MB and 0.3 s

    q = alpha / max(1, int(m)) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        p_low = np.where(a > 0, stats.beta.ppf(q, np.maximum(a, 1e-300), b + 1), 0.0)
        p_high = np.where(b > 0, stats.beta.ppf(1 - q, a + 1, np.maximum(b, 1e-300)), 1.0)
        scale = np.log2(d / c)
        low = np.log2(p_low) - np.log2(1 - p_low) + scale
        high = np.log2(p_high) - np.log2(1 - p_high) + scale
    value = np.where(low > 0, low, np.where(high < 0, high, 0.0))
    return value, low, high


def pct_diff(a, b, c, d) -> np.ndarray:
    """%DIFF (Gabrielatos & Marchi 2012): 100·(a/c − b/d)/(b/d).

    Parameters
    ----------
    a, b : array_like
        Occurrences of the term in the target and the reference.
    c, d : array_like
        Tokens of the target and the reference.

    Returns
    -------
    numpy.ndarray
        Percent difference; +inf when b = 0 < a, NaN when a = b = 0.

    References
    ----------
    Gabrielatos & Marchi (2012); see the module docstring.
    """
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, 100.0 * (a / c - b / d) / np.where(b > 0, b / d, 1.0),
                        np.where(a > 0, np.inf, np.nan))


def logodds_prior(a, b, c, d, prior: str = DEFAULT_PRIOR, corpus_freq=None, corpus_size=None,
                  prior_size: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The Dirichlet prior (α_w, α₀) of :func:`logodds_z`.

    Parameters
    ----------
    a, b, c, d : array_like
        Counts and sizes of the keyness table.
    prior : {"groups", "corpus", "scaled"}
        ``"groups"`` (default): the two compared groups pooled, α_w = a + b and α₀ = c + d.
        Each posterior rate (a + α_w)/(c + α₀) is then a weighted mean of the group's own
        rate a/c and the pooled rate (a + b)/(c + d), which lies between a/c and b/d, so the
        z always has the sign of a/c − b/d.
        ``"corpus"``: the whole corpus' counts, α_w = ``corpus_freq``, α₀ = ``corpus_size``
        (the tidylo convention). A strong prior: when other groups use a term much more
        than both compared groups, it can reverse the sign (a term with 120 vs 0
        occurrences scored z = −1.13 in FA-KES).
        ``"scaled"``: Monroe et al.'s informative prior, the whole corpus' relative
        frequencies scaled to a stated total, α_w = α₀·corpus_freq/corpus_size with
        α₀ = ``prior_size`` (default :data:`DEFAULT_PRIOR_SIZE`).
    corpus_freq, corpus_size : array_like, optional
        The term's count and its language's tokens in the whole corpus (``"corpus"``,
        ``"scaled"``).
    prior_size : float, optional
        α₀ of ``"scaled"``.

    Returns
    -------
    (alpha_w, alpha_0) : tuple of numpy.ndarray
        α_w, the prior count of each term, and α₀, the prior's total (broadcast against
        the inputs); pass them to :func:`logodds_z` as ``prior`` and ``prior_total``.

    References
    ----------
    Monroe, Colaresi & Quinn (2008), §3.5; see the module docstring.
    """
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    if prior not in LOGODDS_PRIORS:
        raise FramescopeError(f"unknown log-odds prior {prior!r} ({', '.join(LOGODDS_PRIORS)})")
    if prior == "groups":
        return a + b, c + d
    if corpus_freq is None or corpus_size is None:
        raise FramescopeError(f"the {prior!r} log-odds prior needs the corpus counts")
    freq, size = _f(corpus_freq), _f(corpus_size)
    if prior == "corpus":
        return freq, size
    total = DEFAULT_PRIOR_SIZE if prior_size is None else float(prior_size)
    if not total > 0:
        raise FramescopeError(f"prior_size must be positive, not {prior_size}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return total * freq / size, np.full(np.broadcast(freq, size).shape, total)


def logodds_z(a, b, c, d, prior, prior_total) -> np.ndarray:
    """Z-score of the log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008, eq. 16–22).

    With α_w the prior count of the term and α₀ = Σ α_w (``prior_total``)::

        δ = ln[(a+α_w)/(c+α₀−a−α_w)] − ln[(b+α_w)/(d+α₀−b−α_w)]
        σ² ≈ 1/(a+α_w) + 1/(b+α_w),   z = δ/σ

    Parameters
    ----------
    a, b, c, d : array_like
        Counts and sizes of the keyness table.
    prior, prior_total : array_like
        α_w and α₀, e.g. from :func:`logodds_prior`.

    Returns
    -------
    numpy.ndarray
        z = δ/σ (> 0 when the term is relatively more frequent in the target, for the
        default prior).

    References
    ----------
    Monroe, Colaresi & Quinn (2008); see the module docstring.
    """
    a, b, c, d = _f(a), _f(b), _f(c), _f(d)
    alpha, alpha0 = _f(prior), _f(prior_total)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log((a + alpha) / (c + alpha0 - a - alpha))
                 - np.log((b + alpha) / (d + alpha0 - b - alpha)))
        return delta / np.sqrt(1.0 / (a + alpha) + 1.0 / (b + alpha))


def pmi(o11, e11) -> np.ndarray:
    """Pointwise mutual information log₂(o11/e11) (Church & Hanks 1990).

    Parameters
    ----------
    o11 : array_like
        Observed co-occurrences.
    e11 : array_like
        Their expectation under independence.

    Returns
    -------
    numpy.ndarray
        PMI in bits.

    References
    ----------
    Church & Hanks (1990); see the module docstring.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log2(_f(o11) / _f(e11))


def mi3(o11, e11) -> np.ndarray:
    """MI³ = log₂(o11³/e11) (Daille 1994).

    Parameters
    ----------
    o11 : array_like
        Observed co-occurrences.
    e11 : array_like
        Their expectation under independence.

    Returns
    -------
    numpy.ndarray
        MI³ in bits; it favours frequent pairs more than :func:`pmi` does (−inf when o11 = 0).

    References
    ----------
    Daille (1994); see the module docstring.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log2(_f(o11) ** 3 / _f(e11))


def t_score(o11, e11) -> np.ndarray:
    """T-score (o11 − e11)/√o11 (Church et al. 1991, as in Evert 2008).

    Parameters
    ----------
    o11 : array_like
        Observed co-occurrences.
    e11 : array_like
        Their expectation under independence.

    Returns
    -------
    numpy.ndarray
        The t-score (> 0 when the pair co-occurs more often than expected; NaN when o11 = 0).

    References
    ----------
    Evert, S. (2008). Corpora and collocations. In *Corpus Linguistics: An International
    Handbook*, vol. 2, 1212–1248.
    """
    o = _f(o11)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (o - _f(e11)) / np.sqrt(o)


def logdice(o11, f1, f2) -> np.ndarray:
    """LogDice = 14 + log₂(2·o11/(f1 + f2)) (Rychlý 2008).

    Parameters
    ----------
    o11 : array_like
        Co-occurrences.
    f1, f2 : array_like
        Frequencies of the node and of the collocate.

    Returns
    -------
    numpy.ndarray
        At most 14 (every occurrence of both words together).

    References
    ----------
    Rychlý (2008); see the module docstring.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return 14.0 + np.log2(2.0 * _f(o11) / (_f(f1) + _f(f2)))


def g2_window(o11, window, f2, n) -> np.ndarray:
    """Signed G² of a window-collocation table (Evert 2008, §3).

    The table of a collocate inside the node's windows::

                     collocate        other
        in windows     o11          R1 − o11
        elsewhere    f2 − o11    n − R1 − f2 + o11

    with R1 (``window``) the token positions inside all the node's windows. A token in the
    windows of two node occurrences counts twice, so a cell can fall below 0; such cells
    are clipped to 0, and the expectations come from the unclipped margins
    (E = row × column / n). The sign is that of o11 − E11.

    Parameters
    ----------
    o11 : array_like
        Co-occurrences.
    window : float
        R1: the number of token positions inside all the node's windows (a position in
        two windows counts twice).
    f2 : array_like
        Corpus frequencies of the collocates.
    n : float
        Tokens of the corpus (N).

    Returns
    -------
    numpy.ndarray
        G² ≥ 0 of the window table, with the sign of o11 − E11 (> 0: attracted to the node).

    References
    ----------
    Dunning (1993); Evert, S. (2008). Corpora and collocations. In *Corpus Linguistics: An
    International Handbook*, vol. 2, 1212–1248.
    """
    o, fc, r1, n = _f(o11), _f(f2), float(window), float(n)
    cells_o = (o, np.maximum(r1 - o, 0), np.maximum(fc - o, 0), np.maximum(n - r1 - fc + o, 0))
    row1, row2 = r1, n - r1
    col1, col2 = fc, n - fc
    cells_e = (row1 * col1 / n, row1 * col2 / n, row2 * col1 / n, row2 * col2 / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 2.0 * sum(xlogy_ratio(a, b) for a, b in zip(cells_o, cells_e))
        return np.sign(o - r1 * fc / n) * np.maximum(value, 0.0)


def dice(n_ii, n_ix, n_xi) -> np.ndarray:
    """Dice coefficient 2·n_ii/(n_ix + n_xi) (NLTK ``BigramAssocMeasures.dice``).

    Parameters
    ----------
    n_ii, n_ix, n_xi : array_like
        f(w1 w2), f(w1), f(w2).

    Returns
    -------
    numpy.ndarray
        Dice coefficient in [0, 1] (1: the two words only ever occur together).

    References
    ----------
    Manning & Schütze (1999), ch. 5; see the module docstring.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2.0 * _f(n_ii) / (_f(n_ix) + _f(n_xi))


def jaccard(n_ii, n_io, n_oi) -> np.ndarray:
    """Jaccard index n_ii/(n_ii + n_oi + n_io) of a pair's cells (NLTK ``jaccard``).

    Parameters
    ----------
    n_ii, n_io, n_oi : array_like
        f(w1 w2), f(w1) − f(w1 w2), f(w2) − f(w1 w2).

    Returns
    -------
    numpy.ndarray
        Jaccard index in [0, 1].

    References
    ----------
    Manning & Schütze (1999), ch. 5; see the module docstring.
    """
    n_ii = _f(n_ii)
    with np.errstate(divide="ignore", invalid="ignore"):
        return n_ii / (n_ii + _f(n_oi) + _f(n_io))


def phi_sq(n_ii, n_io, n_oi, n_oo) -> np.ndarray:
    """Squared phi coefficient φ² of a 2×2 table; χ² = N·φ² (NLTK ``phi_sq``, ``chi_sq``).

    φ² = (n_ii·n_oo − n_io·n_oi)² / ((n_ii + n_io)(n_ii + n_oi)(n_io + n_oo)(n_oi + n_oo)).

    Parameters
    ----------
    n_ii, n_io, n_oi, n_oo : array_like
        The four cells.

    Returns
    -------
    numpy.ndarray
        φ² in [0, 1]; multiply by N for Pearson χ² of the table.

    References
    ----------
    Manning & Schütze (1999), §5.3.3; see the module docstring.
    """
    n_ii, n_io, n_oi, n_oo = _f(n_ii), _f(n_io), _f(n_oi), _f(n_oo)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (n_ii * n_oo - n_io * n_oi) ** 2 / ((n_ii + n_io) * (n_ii + n_oi) * (n_io + n_oo) * (n_oi + n_oo))


def poisson_stirling(o11, e11) -> np.ndarray:
    """Poisson–Stirling o11·(log₂(o11/e11) − 1) (NLTK ``poisson_stirling``).

    Parameters
    ----------
    o11 : array_like
        Observed co-occurrences.
    e11 : array_like
        Their expectation under independence.

    Returns
    -------
    numpy.ndarray
        The Poisson–Stirling score (higher: stronger association).

    References
    ----------
    Manning & Schütze (1999), ch. 5; see the module docstring.
    """
    o = _f(o11)
    with np.errstate(divide="ignore", invalid="ignore"):
        return o * (np.log2(o / _f(e11)) - 1.0)


def mi_like(n_ii, n_ix, n_xi) -> np.ndarray:
    """MI-like score n_ii³/(n_ix·n_xi) (NLTK ``mi_like`` with power 3).

    Parameters
    ----------
    n_ii, n_ix, n_xi : array_like
        f(w1 w2), f(w1), f(w2).

    Returns
    -------
    numpy.ndarray
        The MI-like score (higher: stronger association; not bounded).

    References
    ----------
    Manning & Schütze (1999), ch. 5; see the module docstring.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return _f(n_ii) ** 3 / (_f(n_ix) * _f(n_xi))


def adjust_pvalues(p, method: str = "bh") -> np.ndarray:
    """Adjusted p-values over the finite entries of ``p``; NaN stays NaN.

    Parameters
    ----------
    p : array_like
        p-values; NaN (a test that was not run) is left as NaN and does not count in the
        number of tests m.
    method : {"bh", "by", "holm", "bonferroni", "none"}
        Benjamini–Hochberg (1995) and Benjamini–Yekutieli (2001) control the false
        discovery rate (BY under any dependence) and agree with
        ``scipy.stats.false_discovery_control``; Holm (1979) and Bonferroni the
        family-wise error rate.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, capped at 1, aligned with ``p``.

    References
    ----------
    Benjamini & Hochberg (1995); Benjamini & Yekutieli (2001); Holm (1979).
    """
    if method not in P_ADJUSTMENTS:
        raise FramescopeError(f"unknown p-value adjustment {method!r} ({', '.join(P_ADJUSTMENTS)})")
    p = _f(p).copy()
    ok = np.isfinite(p)
    q = p[ok]
    m = len(q)
    if m == 0 or method == "none":
        return p
    if method == "bonferroni":
        p[ok] = np.minimum(q * m, 1.0)
        return p
    order = np.argsort(q, kind="mergesort")
    ranks = np.arange(1, m + 1)
    if method == "holm":
        adj = np.maximum.accumulate(q[order] * (m - ranks + 1))
    else:
        scale = m / ranks * (np.sum(1.0 / ranks) if method == "by" else 1.0)
        adj = np.minimum.accumulate((q[order] * scale)[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    p[ok] = out
    return p
