"""Stage 3: choosing K — coherence (c_npmi, c_v, u_mass), held-out perplexity, the K search."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from framescope.analysis.topics.bow import BagOfWords
from framescope.analysis.topics.fitting import TopicModel, count_terms, fit_lda
from framescope.analysis.topics.options import LdaOptions
from framescope.corpus.errors import FramescopeError

__all__ = ["KSearch", "k_search", "recommend_k", "k_choice", "heldout_mask", "coherence", "window_counts",
           "heldout_perplexity", "K_RULE", "COHERENCE_MEASURES", "COHERENCE_COLUMNS", "WINDOW_SIZES"]

#: The rule that picks K from the K search (:func:`recommend_k`).
K_RULE = ("one-standard-error rule: the smallest K whose mean c_npmi coherence over seeds is within one standard "
          "error of the highest mean (standard error of a mean over seeds, from the seed variance pooled over the "
          "K searched); with one seed per K, the highest mean")


#: Coherence measures computed in the K search; the first one chooses K.
COHERENCE_MEASURES = ("c_npmi", "c_v", "u_mass")
#: Column names of the coherence measures in k_search tables.
COHERENCE_COLUMNS = {"c_npmi": "coherence_npmi", "c_v": "coherence_cv", "u_mass": "coherence_umass"}


def window_counts(sequences: Iterable[np.ndarray], n_words: int, window: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Boolean sliding-window counts (Röder et al. 2015), vectorised per document.

    A document of length L ≥ ``window`` has L − window + 1 windows, a shorter (or empty) one
    a single window holding all of it, as in gensim. Unlike gensim's
    ``WordOccurrenceAccumulator``, a word stays in the window as long as any of its
    occurrences is inside: gensim updates the window incrementally and drops the word
    leaving on the left even when it occurs again inside the window (for a b a c d and width
    3 it counts 'a' in 1 window instead of 3), which undercounts repeated words.

    Parameters
    ----------
    sequences : iterable of numpy.ndarray
        Per document, an int array of word indices in [0, n_words) with −1 for the other
        tokens (they keep their place).
    n_words : int
        Number of words counted.
    window : int
        Window width in tokens.

    Returns
    -------
    tuple
        (occurrences: n_words array, windows containing each word; co: n_words × n_words
        array, windows containing both, with co[w, w] = occurrences[w]; number of windows).

    References
    ----------
    Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic coherence
    measures. *Proceedings of WSDM*, 399–408.
    """
    if window < 1:
        raise FramescopeError(f"the window must be >= 1 token, not {window}")
    occurrences = np.zeros(n_words, dtype=np.int64)
    co = np.zeros((n_words, n_words), dtype=np.int64)
    n_windows = 0
    for seq in sequences:
        seq = np.asarray(seq)
        n_win = max(len(seq) - window + 1, 1)
        n_windows += n_win
        pos = np.flatnonzero(seq >= 0)
        if not len(pos):
            continue
        words, col = np.unique(seq[pos], return_inverse=True)
        m = len(words)
        if n_win == 1:
            present = np.ones((1, m))
        else:
            # word j is in windows [max(0, p − window + 1), min(p, n_win − 1)] for each of
            # its positions p: +1/−1 at the interval ends, cumulative sum over windows
            start = np.maximum(pos - window + 1, 0)
            stop = np.minimum(pos, n_win - 1) + 1
            marks = (np.bincount(start * m + col, minlength=(n_win + 1) * m)
                     - np.bincount(stop * m + col, minlength=(n_win + 1) * m))
            present = (np.cumsum(marks.reshape(n_win + 1, m)[:-1], axis=0) > 0).astype(np.float64)
        counts = np.rint(present.T @ present).astype(np.int64)
        occurrences[words] += np.diag(counts)
        co[np.ix_(words, words)] += counts
    return occurrences, co, n_windows


def _exact_accumulator(bow: BagOfWords, ids: Sequence[int], window: int):
    """A gensim ``WordOccurrenceAccumulator`` filled from :func:`window_counts` over the
    bag-of-words' token file (streamed), for gensim's confirmation measures."""
    from gensim.topic_coherence.text_analysis import WordOccurrenceAccumulator

    ids = np.asarray(sorted(ids), dtype=np.int64)
    lookup = np.full(bow.n_terms + 1, -1, dtype=np.int64)  # index −1 (filtered token) → −1
    lookup[ids] = np.arange(len(ids))
    occurrences, co, n_windows = window_counts((lookup[s] for s in bow.id_sequences()), len(ids), window)
    acc = WordOccurrenceAccumulator(set(int(i) for i in ids), bow.dictionary)
    order = np.array([acc.id2contiguous[int(i)] for i in ids], dtype=np.int64)  # ours → gensim's index
    acc._occurrences = np.zeros(len(ids), dtype=np.int64)
    acc._occurrences[order] = occurrences
    full = np.zeros_like(co)
    full[np.ix_(order, order)] = co
    acc._co_occurrences = full
    acc._num_docs = n_windows
    return acc


#: Sliding-window widths of gensim (Röder et al. 2015's choices).
WINDOW_SIZES = {"c_npmi": 10, "c_v": 110}


def coherence(topic_sets: Sequence[Sequence[Sequence[str]]], bow: BagOfWords,
              measures: Sequence[str] = COHERENCE_MEASURES, topn: int = 10,
              window_sizes: Mapping[str, int] | None = None, counting: str = "exact") -> list[dict[str, np.ndarray]]:
    """Per-topic coherence of several models' topics with gensim ``CoherenceModel``.

    For each measure the word statistics are accumulated ONCE, streaming over the corpus,
    for the union of all models' words, then gensim's confirmation measure and aggregation
    give each topic's value: c_npmi and c_v from boolean sliding windows over the token
    sequences (widths :data:`WINDOW_SIZES`: 10 and 110), u_mass from document
    co-occurrence in the bag-of-words (gensim's own accumulator).

    Parameters
    ----------
    topic_sets : sequence
        ``topic_sets[m]`` is model m's topics (lists of top terms, most probable first).
    bow : BagOfWords
        The corpus the statistics are counted on.
    measures : sequence of str
        Among 'c_npmi', 'c_v', 'u_mass'.
    topn : int
        Top terms per topic used.
    window_sizes : mapping of str to int, optional
        Window width per measure (default :data:`WINDOW_SIZES`).
    counting : {'exact', 'gensim'}
        Sliding windows counted by :func:`window_counts` (default; vectorised, a word counts
        in every window containing it) or by gensim's ``WordOccurrenceAccumulator`` (slow,
        undercounts words repeated within a window; kept to reproduce gensim's numbers).

    Returns
    -------
    list of dict
        Per model, {measure: array of K values}; a model's coherence is their mean
        (gensim's aggregation).

    References
    ----------
    Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic coherence
    measures. *Proceedings of WSDM*, 399–408.
    Mimno, D., Wallach, H. M., Talley, E., Leenders, M., & McCallum, A. (2011). Optimizing
    semantic coherence in topic models. *Proceedings of EMNLP*, 262–272 (u_mass).
    """
    from gensim.models.coherencemodel import CoherenceModel

    unknown = [m for m in measures if m not in COHERENCE_COLUMNS]
    if unknown:
        raise FramescopeError(f"unknown coherence measure {unknown[0]!r} ({', '.join(COHERENCE_COLUMNS)})")
    if counting not in ("exact", "gensim"):
        raise FramescopeError(f"coherence counting must be 'exact' or 'gensim', not {counting!r}")
    dictionary = bow.dictionary
    sets = [[list(t)[:topn] for t in topics] for topics in topic_sets]
    ids = sorted({dictionary.token2id[w] for topics in sets for t in topics for w in t})
    out: list[dict[str, np.ndarray]] = [dict() for _ in sets]
    for measure in measures:
        kwargs = dict(dictionary=dictionary, coherence=measure, topn=topn, processes=1)
        window = None
        if measure == "u_mass":
            kwargs["corpus"] = bow
        else:
            window = int((window_sizes or {}).get(measure, WINDOW_SIZES[measure]))
            kwargs.update(texts=bow.texts(), window_size=window)
        cm = CoherenceModel(topics=sets[0], **kwargs)
        if window is not None and counting == "exact":
            cm._accumulator = _exact_accumulator(bow, ids, window)
        else:
            # one gensim pass for every word of every model (pairs of a word with itself
            # make gensim collect exactly these ids)
            cm.estimate_probabilities(segmented_topics=[[(i, i) for i in ids]])
        for m, topics in enumerate(sets):
            cm.topics = topics
            out[m][measure] = np.asarray(cm.get_coherence_per_topic(), dtype=np.float64)
    return out


def heldout_perplexity(model: TopicModel, documents: Iterable, n_words: int | None = None,
                       seed: int | None = None) -> tuple[float, float]:
    """Per-word log likelihood bound and perplexity of held-out documents.

    The evidence lower bound of each held-out document d under the fitted topics (Blei et
    al. 2003; Hoffman, Blei & Bach 2010, eq. 3 and §4):

        ℓ_d = Σ_w n_dw log Σ_k exp(E[log θ_dk] + E[log β_kw])
              + E[log p(θ_d | α)] − E[log q(θ_d | γ_d)],

    with γ_d from gensim's variational inference (:meth:`TopicModel.document_gamma`,
    seeded) and E[log β] from the fitted λ. The bound per word is Σ_d ℓ_d / Σ_d n_d and
    perplexity = exp(−bound) (an upper bound; lower is better).

    gensim's ``LdaModel.bound`` (and so ``log_perplexity``) adds to these document terms the
    topic-word terms E[log p(β | η) − log q(β | λ)] — a sum over all K × V entries of λ that
    does not depend on the documents and grows with K — once, unscaled. Divided by the few
    tokens of a held-out set it dominates the result: perplexity then rises by orders of
    magnitude with K whatever the documents (on a 130-document held-out set, 17,000 at K = 4
    and 5 million at K = 20). Only the document terms are used here, as in Hoffman et al.'s
    held-out evaluation.

    Parameters
    ----------
    model : TopicModel
        The fitted model.
    documents : iterable
        Held-out bag-of-words documents.
    n_words : int, optional
        Their number of tokens (counted when not given).
    seed : int, optional
        Seed the inference starts from (default the training seed).

    Returns
    -------
    tuple of float
        (bound per word, natural log; perplexity); NaN for no tokens.

    References
    ----------
    Blei, D. M., Ng, A. Y., & Jordan, M. I. (2003). Latent Dirichlet allocation. *Journal of
    Machine Learning Research*, 3, 993–1022.
    Hoffman, M. D., Blei, D. M., & Bach, F. R. (2010). Online learning for latent Dirichlet
    allocation. *Advances in Neural Information Processing Systems*, 23, 856–864.
    Wallach, H. M., Murray, I., Salakhutdinov, R., & Mimno, D. (2009). Evaluation methods
    for topic models. *Proceedings of ICML*, 1105–1112.
    """
    from scipy.special import gammaln, logsumexp, psi

    documents = [list(doc) for doc in documents]
    counted = int(sum(c for doc in documents for _, c in doc))
    n_words = counted if n_words is None else int(n_words)
    if n_words <= 0 or counted <= 0:
        return float("nan"), float("nan")
    gamma = model.document_gamma(documents, seed)  # n_docs × K, float64
    lam = np.asarray(model.lda.state.get_lambda(), dtype=np.float64)
    elog_beta = psi(lam) - psi(lam.sum(axis=1, keepdims=True))  # K × V
    elog_theta = psi(gamma) - psi(gamma.sum(axis=1, keepdims=True))  # n_docs × K
    alpha = np.broadcast_to(np.asarray(model.lda.alpha, dtype=np.float64), (model.k,))
    # E[log p(w | θ, β)]: every (document, word) pair at once
    doc_of = np.repeat(np.arange(len(documents)), [len(doc) for doc in documents])
    ids = np.fromiter((int(i) for doc in documents for i, _ in doc), dtype=np.int64, count=len(doc_of))
    counts = np.fromiter((float(c) for doc in documents for _, c in doc), dtype=np.float64, count=len(doc_of))
    words = float(counts @ logsumexp(elog_theta[doc_of] + elog_beta[:, ids].T, axis=1)) if len(ids) else 0.0
    # E[log p(θ | α)] − E[log q(θ | γ)] (alpha a vector, as gensim)
    theta = float(np.sum((alpha - gamma) * elog_theta) + np.sum(gammaln(gamma) - gammaln(alpha))
                  + np.sum(gammaln(alpha.sum()) - gammaln(gamma.sum(axis=1))))
    bound = (words + theta) / n_words
    return bound, float(np.exp(-bound))


# --- K search --------------------------------------------------------------------------------

@dataclass
class KSearch:
    """Result of :func:`k_search`: the scores of every K × seed and the recommended K.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per K × seed: k, seed, coherence_npmi, coherence_cv, coherence_umass,
        log_perplexity, perplexity, exclusivity, n_train, n_heldout (``docs/columns.md``).
    summary : pandas.DataFrame
        One row per K: the mean and standard deviation over seeds of each score,
        ``coherence_npmi_se`` (standard error of the mean c_npmi, pooled seed variance),
        ``within_threshold`` (mean c_npmi within one standard error of the best) and
        ``recommended`` (True for the recommended K).
    recommended_k : int
        The K chosen by ``rule`` (:func:`recommend_k`).
    rule : str
        The rule that chose it, in words (:data:`K_RULE`).
    seeds : list of int
        The training seeds.
    split_seed : int
        The seed of the held-out split (:func:`heldout_mask`).
    heldout : float
        The fraction of documents held out for perplexity.
    best_k : int or None
        The K with the highest mean c_npmi (None: not recorded).
    threshold : float
        The mean c_npmi a K must reach to be chosen: the best mean minus one standard
        error (NaN: not recorded or one seed).
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    recommended_k: int
    rule: str
    seeds: list[int]
    split_seed: int
    heldout: float
    best_k: int | None = None
    threshold: float = float("nan")

    def metadata(self) -> dict:
        """What ``run.json`` records of the K search.

        Returns
        -------
        dict
            ks, seeds, split_seed, heldout_fraction, recommended_k, best_k, threshold
            (None when not defined), rule.
        """
        return {"ks": [int(k) for k in self.summary["k"]], "seeds": self.seeds, "split_seed": self.split_seed,
                "heldout_fraction": self.heldout, "recommended_k": self.recommended_k,
                "best_k": None if self.best_k is None else int(self.best_k),
                "threshold": None if not np.isfinite(self.threshold) else round(float(self.threshold), 6),
                "rule": self.rule}


def k_choice(table: pd.DataFrame, column: str = "coherence_npmi", n_se: float = 1.0) -> dict:
    """The one-standard-error rule on a K search, with the numbers that decide it (:data:`K_RULE`).

    A K's score is the mean of ``column`` over its seeds. The seeds differ only in the random
    start of the fit, so the spread of their scores is the noise against which K values
    are compared; the variance over seeds is pooled over the K searched (its degrees of
    freedom Σ (n_K − 1): with three seeds a single K's standard deviation is too rough to
    rely on), and a mean's standard error is sqrt(pooled variance / n_K). The best K has
    the highest mean; every K whose mean is at least the best mean minus ``n_se`` standard
    errors of the best is *indistinguishable* from it, and the smallest of those is chosen:
    fewer topics are estimated more stably and read more easily, and a larger K has to earn
    its place by a gain larger than the noise (the one-standard-error rule of Breiman et al.
    1984 and Hastie, Tibshirani & Friedman 2009, with seeds in place of cross-validation
    folds). With one seed per K (no variance) or ``n_se = 0`` it is the K with the highest
    mean; ties go to the smaller K.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``table`` of a :class:`KSearch` (columns k, ``column``; one row per K × seed).
    column : str
        The score, higher is better (default "coherence_npmi"; any numeric column).
    n_se : float
        Standard errors below the best mean a K may stay (≥ 0; default 1).

    Returns
    -------
    dict
        recommended_k, best_k, best_mean, se (standard error of the best K's mean; NaN with
        one seed), threshold (best_mean − n_se·se; the best mean when se is NaN),
        indistinguishable (the K within the threshold, ascending), all_indistinguishable
        (True when every K searched is within it, so the K search cannot tell them apart),
        means (a Series K → mean) and ses (K → standard error).

    Raises
    ------
    FramescopeError
        No finite score, or a negative ``n_se``.

    References
    ----------
    Breiman, L., Friedman, J. H., Olshen, R. A., & Stone, C. J. (1984). *Classification and
    Regression Trees*. Wadsworth (§3.4.3, the 1 SE rule).
    Hastie, T., Tibshirani, R., & Friedman, J. (2009). *The Elements of Statistical Learning*
    (2nd ed.). Springer (§7.10, the one-standard-error rule).
    Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic coherence
    measures. *Proceedings of WSDM*, 399–408.
    """
    if not n_se >= 0:
        raise FramescopeError(f"n_se must be >= 0, not {n_se}")
    values = table[["k", column]].dropna()
    if values.empty:
        raise FramescopeError(f"no {column} value to choose K from")
    by_k = values.groupby("k", sort=True)[column]
    means, counts = by_k.mean(), by_k.count()
    dof = int((counts - 1).sum())
    pooled = float(((counts - 1) * by_k.var(ddof=1).fillna(0.0)).sum() / dof) if dof > 0 else float("nan")
    ses = np.sqrt(pooled / counts)
    best = means.max()
    best_k = int(means.index[means == best].min())
    se = float(ses[best_k])
    threshold = best - n_se * se if np.isfinite(se) else best
    # a rounding guard: a K equal to the best up to floating-point error counts as reaching it
    within = means[means >= threshold - 1e-12 * max(1.0, abs(best))]
    chosen = [int(k) for k in within.index]
    return {"recommended_k": min(chosen), "best_k": best_k, "best_mean": float(best), "se": se,
            "threshold": float(threshold), "indistinguishable": chosen,
            "all_indistinguishable": len(chosen) == len(means) and len(means) > 1, "means": means, "ses": ses}


def recommend_k(table: pd.DataFrame, column: str = "coherence_npmi", n_se: float = 1.0) -> int:
    """The K of the one-standard-error rule (:data:`K_RULE`, :func:`k_choice`).

    The smallest K whose mean ``column`` over seeds is within ``n_se`` standard errors of
    the highest mean; ``n_se = 0`` (or one seed per K): the K with the highest mean, ties
    to the smaller K.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``table`` of a :class:`KSearch` (columns k, seed, ``column``).
    column : str
        The score maximised (default "coherence_npmi"; any numeric column of the table).
    n_se : float
        Standard errors below the best mean a K may stay (default 1).

    Returns
    -------
    int
        The recommended K.

    Raises
    ------
    FramescopeError
        No finite score.

    References
    ----------
    Hastie, T., Tibshirani, R., & Friedman, J. (2009). *The Elements of Statistical Learning*
    (2nd ed.). Springer (§7.10).
    Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic coherence
    measures. *Proceedings of WSDM*, 399–408.
    """
    return k_choice(table, column, n_se)["recommended_k"]


def heldout_mask(n: int, fraction: float, seed: int) -> np.ndarray:
    """The held-out documents of the K search: a seeded random ``fraction`` of ``n``.

    ``default_rng(seed).permutation(n)[:round(fraction·n)]``, at least one document and at
    most n − 1.

    Parameters
    ----------
    n : int
        Number of documents.
    fraction : float
        Held-out share in (0, 1).
    seed : int
        Seed of the split.

    Returns
    -------
    numpy.ndarray
        n booleans, True = held out.

    Raises
    ------
    FramescopeError
        Fewer than 2 documents or a fraction outside (0, 1).
    """
    if not 0 < fraction < 1:
        raise FramescopeError(f"the held-out fraction must be in (0, 1), not {fraction}")
    if n < 2:
        raise FramescopeError("a K search needs at least 2 documents")
    n_held = min(max(1, int(round(fraction * n))), n - 1)
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(seed).permutation(n)[:n_held]] = True
    return mask


def k_search(bow: BagOfWords, ks: Sequence[int], seeds: Sequence[int] = (0,), options: LdaOptions = LdaOptions(),
             heldout: float = 0.1, split_seed: int = 0, measures: Sequence[str] = COHERENCE_MEASURES,
             topn: int = 10, exclusivity_weight: float = 0.7,
             log: Callable[[str], None] | None = None) -> KSearch:
    """Fit one model per K × seed on a seeded training split and score it.

    The held-out split (:func:`heldout_mask`, ``split_seed``) is the same for every K and
    seed so perplexities compare. Recommended K: :data:`K_RULE` (:func:`k_choice`).

    Parameters
    ----------
    bow : BagOfWords
        The corpus.
    ks : sequence of int
        The K values.
    seeds : sequence of int
        Training seeds (one fit per K and seed).
    options : LdaOptions
        gensim settings.
    heldout : float
        Held-out share of documents.
    split_seed : int
        Seed of the split.
    measures : sequence of str
        Coherence measures (:func:`coherence`).
    topn : int
        Top terms per topic of coherence and exclusivity.
    exclusivity_weight : float
        FREX weight of :func:`exclusivity`.
    log : callable, optional
        Called with one progress line per fit.

    Returns
    -------
    KSearch
        ``table``: k, seed, coherence_npmi, coherence_cv, coherence_umass (means over topics
        of the top-``topn`` coherence on the whole corpus), log_perplexity (held-out
        per-word bound of the document terms, natural log: :func:`heldout_perplexity`),
        perplexity (exp(−log_perplexity)), exclusivity (mean over topics), n_train,
        n_heldout; its ``attrs`` hold recommended_k, best_k, threshold and rule for
        :func:`framescope.analysis.plots.plot_topic_k`. ``summary``: k, n_seeds,
        ``<score>_mean``, ``<score>_sd``, coherence_npmi_se, within_threshold, recommended.
        ``recommended_k``, ``rule``, ``seeds``, ``split_seed``, ``heldout``, ``best_k``,
        ``threshold`` (:func:`k_choice`).

    References
    ----------
    Röder, M., Both, A., & Hinneburg, A. (2015). Exploring the space of topic coherence
    measures. *Proceedings of WSDM*, 399–408.
    Wallach, H. M., Murray, I., Salakhutdinov, R., & Mimno, D. (2009). Evaluation methods
    for topic models. *Proceedings of ICML*, 1105–1112.
    Hastie, T., Tibshirani, R., & Friedman, J. (2009). *The Elements of Statistical Learning*
    (2nd ed.). Springer (§7.10, the one-standard-error rule).
    """
    ks = sorted({int(k) for k in ks})
    seeds = [int(s) for s in seeds]
    if not ks or not seeds:
        raise FramescopeError("a K search needs at least one K and one seed")
    if "c_npmi" not in measures:
        raise FramescopeError("the K search chooses K by c_npmi: keep it among the measures")
    mask = heldout_mask(len(bow), heldout, split_seed)
    n_heldout_words = int(bow.doc_lengths[mask].sum())
    train = bow.subset(~mask)
    held = bow.subset(mask)
    train_tf = count_terms(train, bow.n_terms)
    rows, topic_sets = [], []
    for k in ks:
        for seed in seeds:
            if log:
                log(f"K search: fitting K={k}, seed={seed}")
            model = fit_lda(bow, k, seed, options, documents=train, term_frequency=train_tf)
            bound, perplexity = heldout_perplexity(model, held, n_heldout_words)
            rows.append({"k": k, "seed": seed, "log_perplexity": bound, "perplexity": perplexity,
                         "exclusivity": float(model.exclusivity(topn, exclusivity_weight).mean()),
                         "n_train": len(train), "n_heldout": len(held)})
            topic_sets.append(model.top_terms(topn))
    if log:
        log(f"K search: coherence ({', '.join(measures)}) of {len(rows)} models")
    scores = coherence(topic_sets, bow, measures, topn)
    for row, score in zip(rows, scores):
        for measure in COHERENCE_MEASURES:
            row[COHERENCE_COLUMNS[measure]] = float(score[measure].mean()) if measure in score else float("nan")
    table = pd.DataFrame(rows, columns=["k", "seed", "coherence_npmi", "coherence_cv", "coherence_umass",
                                        "log_perplexity", "perplexity", "exclusivity", "n_train", "n_heldout"])
    choice = k_choice(table)
    best = choice["recommended_k"]
    score_cols = ["coherence_npmi", "coherence_cv", "coherence_umass", "log_perplexity", "perplexity", "exclusivity"]
    grouped = table.groupby("k", sort=True)[score_cols]
    summary = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_sd")).reset_index()
    summary.insert(1, "n_seeds", table.groupby("k", sort=True).size().to_numpy())
    summary["coherence_npmi_se"] = choice["ses"].reindex(summary["k"]).to_numpy()
    summary["within_threshold"] = summary["k"].isin(choice["indistinguishable"])
    summary["recommended"] = summary["k"] == best
    # the plot reads the rule's numbers from the table it is given
    table.attrs.update(recommended_k=best, best_k=choice["best_k"], threshold=choice["threshold"], rule=K_RULE)
    return KSearch(table, summary, best, K_RULE, seeds, int(split_seed), float(heldout), choice["best_k"],
                   choice["threshold"])
