"""Stage 4: stability of topics across seeds and the consensus of several runs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from framescope.analysis.topics.fitting import TopicModel
from framescope.corpus.errors import FramescopeError

__all__ = ["Stability", "ConsensusTopics", "topic_stability", "consensus_topics", "align_topics",
           "js_distance_matrix", "STABILITY_THRESHOLD"]

#: Default minimum stability (mean 1 − Jensen–Shannon distance of matched topics).
STABILITY_THRESHOLD = 0.5


def js_distance_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Jensen–Shannon distance (base 2, in [0, 1]) between every row of ``a`` and of ``b``.

    JSD(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2; distance = √JSD (a metric;
    equals ``scipy.spatial.distance.jensenshannon(p, q, base=2)``).

    Parameters
    ----------
    a : numpy.ndarray
        m × V distributions (rows sum to 1).
    b : numpy.ndarray
        n × V distributions.

    Returns
    -------
    numpy.ndarray
        m × n distances in [0, 1].

    References
    ----------
    Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE Transactions on
    Information Theory*, 37(1), 145–151.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    a = a / a.sum(axis=1, keepdims=True)
    b = b / b.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        a_log = np.where(a > 0, a * np.log2(a), 0.0).sum(axis=1)
        b_log = np.where(b > 0, b * np.log2(b), 0.0).sum(axis=1)
    out = np.empty((len(a), len(b)))
    for i in range(len(a)):
        m = (a[i][None, :] + b) / 2
        with np.errstate(divide="ignore", invalid="ignore"):
            m_log = np.where(m > 0, np.log2(m), 0.0)
        # ½ Σ p log p + ½ Σ q log q − Σ m log m, using Σ (p + q)/2 · log m
        cross = 0.5 * (a[i][None, :] * m_log).sum(axis=1) + 0.5 * (b * m_log).sum(axis=1)
        out[i] = 0.5 * a_log[i] + 0.5 * b_log - cross
    return np.sqrt(np.clip(out, 0.0, 1.0))


def align_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match each reference topic to one topic of ``other`` (Hungarian algorithm).

    Minimises the summed Jensen–Shannon distance of the matched topic-word distributions
    (``scipy.optimize.linear_sum_assignment``). Returns (``match``, ``distance``):
    reference topic i ↔ other topic ``match[i]`` at JS distance ``distance[i]``.

    Parameters
    ----------
    reference : numpy.ndarray
        K × V topic-word distributions of the reference run.
    other : numpy.ndarray
        K × V distributions of the run to align.

    Returns
    -------
    tuple of numpy.ndarray
        (match: K ints, distance: K JS distances).

    References
    ----------
    Kuhn, H. W. (1955). The Hungarian method for the assignment problem. *Naval Research
    Logistics Quarterly*, 2(1–2), 83–97.
    Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE Transactions on
    Information Theory*, 37(1), 145–151.
    """
    from scipy.optimize import linear_sum_assignment

    ref = np.asarray(reference)
    oth = np.asarray(other)
    if ref.shape != oth.shape:
        raise FramescopeError(f"cannot align topics of shapes {ref.shape} and {oth.shape} "
                              f"(same K and vocabulary needed)")
    dist = js_distance_matrix(ref, oth)
    rows, cols = linear_sum_assignment(dist)
    match = np.empty(len(ref), dtype=np.int64)
    match[rows] = cols
    return match, dist[np.arange(len(ref)), match]


@dataclass
class Stability:
    """Result of :func:`topic_stability`.

    Parameters
    ----------
    topics : pandas.DataFrame
        One row per topic of the reference run: topic, stability (mean 1 − JS distance of
        its matches; NaN with one run), top_word_overlap (mean share of the top-``topn``
        words shared with its matches), stable (stability ≥ threshold; NA with one run),
        n_runs.
    matches : pandas.DataFrame
        One row per topic of every other run: seed, topic, matched_topic, js_distance,
        similarity, top_word_overlap.
    threshold : float
        The stability a topic needs to be ``stable``.
    seeds : list of int
        The runs' seeds (the first is the reference run).
    """

    topics: pd.DataFrame
    matches: pd.DataFrame
    threshold: float
    seeds: list[int]

    def flags(self) -> pd.DataFrame:
        """The columns every per-topic output carries.

        Returns
        -------
        pandas.DataFrame
            topic, stable (boolean, NA with one run), stability.
        """
        return self.topics[["topic", "stable", "stability"]]

    def stable_topics(self) -> list[int]:
        """The stable topics.

        Returns
        -------
        list of int
            Topic numbers whose stability is at least the threshold (empty with one run).
        """
        return [int(t) for t in self.topics.loc[self.topics["stable"].fillna(False).astype(bool), "topic"]]


def _top_ids(phi: np.ndarray, topn: int) -> np.ndarray:
    return np.argsort(-phi, axis=1, kind="stable")[:, :topn]


def topic_stability(runs: Sequence[TopicModel | np.ndarray], threshold: float = STABILITY_THRESHOLD,
                    topn: int = 10, seeds: Sequence[int] | None = None) -> Stability:
    """Stability of the first run's topics across the other runs (same K, same vocabulary).

    Each other run is aligned to the first with :func:`align_topics`; a topic's stability
    is the mean over the other runs of 1 − JS distance to its match, and it is stable
    when that is at least ``threshold``. ``runs`` are :class:`TopicModel` or K × V arrays.

    Parameters
    ----------
    runs : sequence of TopicModel or numpy.ndarray
        The runs (first = reference), same K and vocabulary.
    threshold : float
        Least stability of a stable topic.
    topn : int
        Top words compared for ``top_word_overlap``.
    seeds : sequence of int, optional
        The runs' seeds (default the models' own, or 0, 1, …).

    Returns
    -------
    Stability
        ``topics``: topic, stability, top_word_overlap, stable, n_runs; ``matches``: seed,
        topic, matched_topic, js_distance, similarity, top_word_overlap.

    References
    ----------
    Greene, D., O'Callaghan, D., & Cunningham, P. (2014). How many topics? Stability analysis
    for topic models. *Proceedings of ECML PKDD*, 498–513.
    Kuhn, H. W. (1955). The Hungarian method for the assignment problem. *Naval Research
    Logistics Quarterly*, 2(1–2), 83–97.
    Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE Transactions on
    Information Theory*, 37(1), 145–151.
    """
    if not runs:
        raise FramescopeError("topic stability needs at least one run")
    if not 0 <= threshold <= 1:
        raise FramescopeError(f"the stability threshold must be in [0, 1], not {threshold}")
    phis = [r.topic_word() if isinstance(r, TopicModel) else np.asarray(r, dtype=np.float64) for r in runs]
    if seeds is None:
        seeds = [r.seed if isinstance(r, TopicModel) else i for i, r in enumerate(runs)]
    seeds = [int(s) for s in seeds]
    k = phis[0].shape[0]
    ref_top = _top_ids(phis[0], topn)
    rows = []
    sims = np.zeros((len(phis) - 1, k))
    overlaps = np.zeros((len(phis) - 1, k))
    for r, phi in enumerate(phis[1:]):
        match, dist = align_topics(phis[0], phi)
        other_top = _top_ids(phi, topn)
        for t in range(k):
            overlap = len(set(ref_top[t]) & set(other_top[match[t]])) / ref_top.shape[1]
            sims[r, t] = 1 - dist[t]
            overlaps[r, t] = overlap
            rows.append((seeds[r + 1], t, int(match[t]), float(dist[t]), float(1 - dist[t]), overlap))
    matches = pd.DataFrame(rows, columns=["seed", "topic", "matched_topic", "js_distance", "similarity",
                                          "top_word_overlap"])
    if len(phis) > 1:
        stability = sims.mean(axis=0)
        stable = pd.array(stability >= threshold, dtype="boolean")
        overlap_mean = overlaps.mean(axis=0)
    else:
        stability = np.full(k, np.nan)
        stable = pd.array([pd.NA] * k, dtype="boolean")
        overlap_mean = np.full(k, np.nan)
    topics = pd.DataFrame({"topic": np.arange(k), "stability": stability, "top_word_overlap": overlap_mean,
                           "stable": stable, "n_runs": len(phis)})
    return Stability(topics, matches, float(threshold), seeds)


# --- consensus over seeds --------------------------------------------------------------------

@dataclass
class ConsensusTopics:
    """Result of :func:`consensus_topics`: the topics as the aligned mean over several runs.

    Parameters
    ----------
    topic_word : numpy.ndarray
        K × V consensus φ (rows sum to 1).
    theta : numpy.ndarray or None
        n_docs × K aligned mean document-topic proportions (None without per-run
        proportions).
    gamma : numpy.ndarray or None
        R × n_docs × K variational Dirichlet parameters of every run, columns aligned to
        the consensus topics (None unless given; what
        :func:`~framescope.analysis.topics.effects.prevalence_effects_composition` draws
        from).
    matches : pandas.DataFrame
        seed, topic (consensus), matched_topic (the run's own topic number), js_distance
        (to the consensus topic), similarity (1 − js_distance).
    stability : Stability
        Its ``topics`` hold the pairwise agreement of the runs.
    seeds : list of int
        The runs' seeds.
    iterations : int
        Alignment rounds until the matches stopped changing.
    """

    topic_word: np.ndarray
    theta: np.ndarray | None
    gamma: np.ndarray | None
    matches: pd.DataFrame
    stability: Stability
    seeds: list[int]
    iterations: int

    @property
    def k(self) -> int:
        return int(self.topic_word.shape[0])

    def topics(self) -> pd.DataFrame:
        """One row per consensus topic.

        Returns
        -------
        pandas.DataFrame
            topic, stability, top_word_overlap, stable, n_runs, min_similarity (the lowest
            similarity of a run's topic to the consensus), prevalence (mean consensus θ).
        """
        out = self.stability.topics.copy()
        out["min_similarity"] = self.matches.groupby("topic")["similarity"].min().reindex(out["topic"]).to_numpy()
        out["prevalence"] = self.theta.mean(axis=0) if self.theta is not None else np.nan
        return out

    def metadata(self) -> dict:
        """What ``run.json`` records of the consensus.

        Returns
        -------
        dict
            seeds, n_runs, iterations (alignment rounds), alignment and stability (the
            rules in words), threshold.
        """
        return {"seeds": self.seeds, "n_runs": len(self.seeds), "iterations": self.iterations,
                "alignment": "Hungarian matching (minimum Jensen-Shannon distance) of every run to the mean of "
                             "the aligned topics, repeated until the matches stop changing; topic k starts as "
                             "topic k of the first run",
                "stability": "mean over pairs of runs of 1 - Jensen-Shannon distance (base 2) of their aligned "
                             "topics", "threshold": self.stability.threshold}


def _aligned_pairs(phis: Sequence[np.ndarray], matches: Sequence[np.ndarray], topn: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Per topic, mean over pairs of runs of 1 − JS distance and of the top-word overlap."""
    k = len(matches[0])
    tops = [_top_ids(phi[m], topn) for phi, m in zip(phis, matches)]
    sims, overlaps = [], []
    for r in range(len(phis)):
        for s in range(r + 1, len(phis)):
            a, b = phis[r][matches[r]], phis[s][matches[s]]
            sims.append(1 - np.array([js_distance_matrix(a[t:t + 1], b[t:t + 1])[0, 0] for t in range(k)]))
            overlaps.append([len(set(tops[r][t]) & set(tops[s][t])) / tops[r].shape[1] for t in range(k)])
    return np.mean(sims, axis=0), np.mean(overlaps, axis=0)


def consensus_topics(runs: Sequence[TopicModel | np.ndarray], thetas: Sequence[np.ndarray] | None = None,
                     gammas: Sequence[np.ndarray] | None = None, seeds: Sequence[int] | None = None,
                     threshold: float = STABILITY_THRESHOLD, topn: int = 10, max_iter: int = 50) -> ConsensusTopics:
    """Consensus topics of several runs (same K, same vocabulary), aligned across seeds.

    Alignment: start from the first run's topics as the consensus c (topic k of the
    consensus begins as topic k of the first run); match every run r to c with
    :func:`align_topics` (Hungarian algorithm, minimum summed Jensen–Shannon distance),
    giving a permutation π_r; set c_k = (1/R) Σ_r φ^(r)_{π_r(k)}; repeat until no π_r
    changes (at most ``max_iter`` rounds). The result no longer leans on the first run.

    Reported: φ̄_k = c_k; θ̄_dk = (1/R) Σ_r θ^(r)_{d, π_r(k)} (``thetas``: each run's
    n_docs × K proportions, or ``gammas``: its variational Dirichlet parameters, from which
    θ = γ / Σγ); per topic, ``stability`` = mean over the R(R − 1)/2 pairs of runs of
    1 − JS distance between their aligned topics (reference-free; equals
    :func:`topic_stability` for two runs), ``stable`` when ≥ ``threshold``, and
    ``top_word_overlap`` = mean share of the top-``topn`` words the pairs share.
    Consensus over seeds follows the practice of reporting topics that recur across
    initialisations (Roberts, Stewart & Tingley 2016, "Navigating the local modes of big
    data", in *Computational Social Science*; Maier et al. 2018, *Communication Methods
    and Measures* 12(2–3)).

    Reproducibility: the consensus is as reproducible as the runs. Only single-process fits
    (gensim ``LdaModel``, ``LdaOptions.workers == 0``) are exactly reproducible under a
    seed; ``LdaMulticore`` (``workers >= 1``) is not deterministic across runs, so neither
    is a consensus of its runs.

    Parameters
    ----------
    runs : sequence of TopicModel or numpy.ndarray
        The runs, same K and vocabulary.
    thetas : sequence of numpy.ndarray, optional
        Each run's n_docs × K proportions.
    gammas : sequence of numpy.ndarray, optional
        Each run's variational Dirichlet parameters (θ = γ / Σγ; kept aligned in
        ``gamma``).
    seeds : sequence of int, optional
        The runs' seeds.
    threshold : float
        Least stability of a stable topic.
    topn : int
        Top words compared for ``top_word_overlap``.
    max_iter : int
        Most alignment rounds.

    Returns
    -------
    ConsensusTopics
        ``topic_word``, ``theta``, ``gamma``, ``matches`` (seed, topic, matched_topic,
        js_distance, similarity), ``stability``, ``seeds``, ``iterations``; its
        :meth:`ConsensusTopics.topics` table.

    References
    ----------
    Roberts, M. E., Stewart, B. M., & Tingley, D. (2016). Navigating the local modes of big
    data. In R. M. Alvarez (ed.), *Computational Social Science*, 51–97. Cambridge UP.
    Maier, D., et al. (2018). Applying LDA topic modeling in communication research.
    *Communication Methods and Measures*, 12(2–3), 93–118.
    Kuhn, H. W. (1955). The Hungarian method for the assignment problem. *Naval Research
    Logistics Quarterly*, 2(1–2), 83–97.
    """
    if not runs:
        raise FramescopeError("a consensus needs at least one run")
    if not 0 <= threshold <= 1:
        raise FramescopeError(f"the stability threshold must be in [0, 1], not {threshold}")
    phis = [r.topic_word() if isinstance(r, TopicModel) else np.asarray(r, dtype=np.float64) for r in runs]
    phis = [p / p.sum(axis=1, keepdims=True) for p in phis]
    if any(p.shape != phis[0].shape for p in phis):
        raise FramescopeError(f"cannot build a consensus of runs with different K or vocabulary: "
                              f"{sorted({p.shape for p in phis})}")
    if seeds is None:
        seeds = [r.seed if isinstance(r, TopicModel) else i for i, r in enumerate(runs)]
    seeds = [int(s) for s in seeds]
    if len(seeds) != len(phis):
        raise FramescopeError("one seed per run is needed")
    per_doc = gammas if gammas is not None else thetas
    if per_doc is not None:
        per_doc = [np.asarray(x, dtype=np.float64) for x in per_doc]
        if len(per_doc) != len(phis) or any(x.shape != per_doc[0].shape or x.shape[1] != phis[0].shape[0]
                                            for x in per_doc):
            raise FramescopeError("one n_docs × K matrix per run is needed, all of the same shape")
    k = phis[0].shape[0]
    matches = [np.arange(k)] + [align_topics(phis[0], p)[0] for p in phis[1:]]
    iterations = 1
    for iterations in range(1, max_iter + 1):
        centre = np.mean([p[m] for p, m in zip(phis, matches)], axis=0)
        new = [align_topics(centre, p)[0] for p in phis]
        if all(np.array_equal(a, b) for a, b in zip(new, matches)):
            break
        matches = new
    centre = np.mean([p[m] for p, m in zip(phis, matches)], axis=0)
    rows = []
    for seed_, p, m in zip(seeds, phis, matches):
        dist = js_distance_matrix(centre, p)[np.arange(k), m]
        for t in range(k):
            rows.append((seed_, t, int(m[t]), float(dist[t]), float(1 - dist[t])))
    table = pd.DataFrame(rows, columns=["seed", "topic", "matched_topic", "js_distance", "similarity"])
    if len(phis) > 1:
        stability, overlap = _aligned_pairs(phis, matches, topn)
        stable = pd.array(stability >= threshold, dtype="boolean")
    else:
        stability, overlap = np.full(k, np.nan), np.full(k, np.nan)
        stable = pd.array([pd.NA] * k, dtype="boolean")
    topics = pd.DataFrame({"topic": np.arange(k), "stability": stability, "top_word_overlap": overlap,
                           "stable": stable, "n_runs": len(phis)})
    theta = gamma = None
    if per_doc is not None:
        aligned = np.stack([x[:, m] for x, m in zip(per_doc, matches)])
        if gammas is not None:
            gamma = aligned
            aligned = aligned / aligned.sum(axis=2, keepdims=True)
        theta = aligned.mean(axis=0)
    stab = Stability(topics, table, float(threshold), seeds)
    return ConsensusTopics(centre, theta, gamma, table, stab, seeds, iterations)
