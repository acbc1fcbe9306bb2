"""Describing topics: relevance (LDAvis), FREX and exclusivity (stm)."""
from __future__ import annotations

import numpy as np

from framescope.corpus.errors import FramescopeError

__all__ = ["relevance", "frex", "exclusivity"]


def relevance(topic_word: np.ndarray, term_probability: np.ndarray, lam: float = 0.6) -> np.ndarray:
    """Relevance of every term to every topic (Sievert & Shirley 2014, LDAvis).

    r(w, k | λ) = λ log φ_kw + (1 − λ) log(φ_kw / p_w), with p_w the term's marginal
    probability in the corpus. λ = 1 ranks by probability, λ = 0 by lift; the authors'
    user study found λ ≈ 0.6 best for interpretation.

    Parameters
    ----------
    topic_word : numpy.ndarray
        K × V topic-word probabilities φ (rows sum to 1).
    term_probability : numpy.ndarray
        V marginal term probabilities p_w (:meth:`TopicModel.term_probability`).
    lam : float
        λ in [0, 1].

    Returns
    -------
    numpy.ndarray
        K × V relevance values (−inf where φ_kw = 0).

    Raises
    ------
    FramescopeError
        λ outside [0, 1].

    References
    ----------
    Sievert, C., & Shirley, K. (2014). LDAvis: A method for visualizing and interpreting
    topics. *Proceedings of the Workshop on Interactive Language Learning, Visualization,
    and Interfaces*, 63–70.
    """
    if not 0 <= lam <= 1:
        raise FramescopeError(f"relevance lambda must be in [0, 1], not {lam}")
    phi = np.asarray(topic_word, dtype=np.float64)
    p = np.asarray(term_probability, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_phi = np.log(phi)
        return lam * log_phi + (1 - lam) * (log_phi - np.log(p)[None, :])


def _js_shrink(share: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """stm ``js.estimate``: shrink each word's topic-share vector towards uniform.

    For word w with share vector p (over K topics) and corpus count c:
    λ = Σ_k p_k(1 − p_k)/(c − 1) / Σ_k (p_k − 1/K)², clipped to [0, 1]; result
    λ/K + (1 − λ) p. A word seen at most once gets the uniform vector; a uniform p is kept.
    """
    k = share.shape[0]
    unif = 1.0 / k
    c = np.asarray(counts, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mlvar = (share * (1 - share)).sum(axis=0) / (c - 1)
        deviation = ((share - unif) ** 2).sum(axis=0)
        lam = np.clip(mlvar / deviation, 0.0, 1.0)
    lam = np.where(deviation == 0, 0.0, lam)
    lam = np.where(c <= 1, 1.0, lam)
    lam = np.where(np.isnan(lam), 1.0, lam)
    return lam[None, :] * unif + (1 - lam[None, :]) * share


def frex(topic_word: np.ndarray, term_counts: np.ndarray | None = None, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (Bischof & Airoldi 2012; stm ``calcfrex``).

    Exclusivity of w to k: excl_kw = φ_kw / Σ_j φ_jw, shrunk towards uniform with stm's
    James–Stein estimator when ``term_counts`` are given. With ECDF the within-topic rank
    over terms divided by V (average ranks for ties):
    FREX_kw = 1 / (w / ECDF_k(excl_kw) + (1 − w) / ECDF_k(φ_kw)), w = ``weight`` on
    exclusivity. Higher = both frequent in and exclusive to the topic.

    Parameters
    ----------
    topic_word : numpy.ndarray
        K × V topic-word probabilities φ.
    term_counts : numpy.ndarray, optional
        V corpus counts of the terms; given, the exclusivities are shrunk (stm
        ``js.estimate``), so a rare term is not "exclusive" by chance.
    weight : float
        Weight w on exclusivity, in [0, 1] (0.5 as stm's ``labelTopics``).

    Returns
    -------
    numpy.ndarray
        K × V FREX scores in (0, 1].

    Raises
    ------
    FramescopeError
        ``weight`` outside [0, 1].

    References
    ----------
    Bischof, J., & Airoldi, E. M. (2012). Summarizing topical content with word frequency
    and exclusivity. *Proceedings of ICML*, 201–208.
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural
    topic models. *Journal of Statistical Software*, 91(2), 1–40.
    """
    from scipy.stats import rankdata

    if not 0 <= weight <= 1:
        raise FramescopeError(f"FREX weight must be in [0, 1], not {weight}")
    phi = np.asarray(topic_word, dtype=np.float64)
    share = phi / phi.sum(axis=0, keepdims=True)
    if term_counts is not None:
        share = _js_shrink(share, term_counts)
    v = phi.shape[1]
    freq_ecdf = rankdata(phi, axis=1, method="average") / v
    excl_ecdf = rankdata(share, axis=1, method="average") / v
    return 1.0 / (weight / excl_ecdf + (1 - weight) / freq_ecdf)


def exclusivity(topic_word: np.ndarray, topn: int = 10, weight: float = 0.7) -> np.ndarray:
    """Per-topic exclusivity as stm's ``exclusivity(model, M, frexw)``.

    FREX (:func:`frex` without shrinkage, ``weight`` on exclusivity, stm's default 0.7)
    summed over the topic's ``topn`` most probable terms. Between 0 and ``topn``;
    averaged over topics in the K search (higher = topics less alike).

    Parameters
    ----------
    topic_word : numpy.ndarray
        K × V topic-word probabilities φ.
    topn : int
        Top terms per topic (by probability) summed over.
    weight : float
        FREX weight on exclusivity.

    Returns
    -------
    numpy.ndarray
        K exclusivity values.

    References
    ----------
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2019). stm: An R package for structural
    topic models. *Journal of Statistical Software*, 91(2), 1–40.
    """
    phi = np.asarray(topic_word, dtype=np.float64)
    scores = frex(phi, None, weight)
    top = np.argsort(-phi, axis=1, kind="stable")[:, :topn]
    return np.take_along_axis(scores, top, axis=1).sum(axis=1)
