"""Frames as communities of topics: the Analysis of Topic Model Networks (ANTMN) of
Walter & Ophir (2019), "News Frame Analysis: An Inductive Mixed-Method Computational
Approach", *Communication Methods and Measures* 13(4), 248–266.

A frame, in their account, is a package of themes that news stories use together; in a
topic model it appears as a group of topics that co-occur in the same documents. The
steps (each a function; :func:`frame_network` and :func:`frame_prevalence` chain them)::

    net = frame_network(theta, labels=topic_labels, options=FrameOptions(seed=0))  # nodes, edges, frames
    comp = frame_prevalence(theta, net, group_labels, n_boot=1000, seed=0)
    stab = frame_stability(net, run_thetas=aligned_thetas, run_seeds=[0, 1, 2])
    net.write_graphml("frames.graphml")

Network
    Nodes are the K topics, with weight = corpus prevalence (mean θ_dk over documents,
    Walter & Ophir's "topic size"). Edges join every pair of topics, weighted by how
    much they co-occur in documents: with ``weighting='cosine'`` (ANTMN's choice, their
    R function ``network_from_LDA``) the cosine similarity of the two topics' columns of
    the document-topic matrix, ``w_jk = Σ_d θ_dj θ_dk / (‖θ_·j‖ ‖θ_·k‖)`` ∈ [0, 1];
    with ``weighting='correlation'`` the Pearson correlation of the columns (as stm's
    ``topicCorr``), which can be negative.

Which edges are kept (the documented rule, :class:`FrameOptions`)
    Negative weights are always dropped (topics that avoid each other are not part of one
    frame, and Louvain's modularity needs non-negative weights); then edges with weight
    ≤ ``min_weight`` (default 0: with cosine, ANTMN's full weighted network). Optionally
    (``backbone=α``) the disparity filter of Serrano, Boguñá & Vespignani (2009, PNAS
    106(16)), the backbone ANTMN offers: an edge stays if for at least one of its two
    ends i (degree k_i > 1, strength s_i) α_ij = (1 − w_ij / s_i)^(k_i − 1) < α.

Frames
    Louvain community detection (Blondel et al. 2008) maximising weighted modularity,
    ``networkx.community.louvain_communities(G, weight='weight', resolution=γ, seed=s)``
    — the method ANTMN reports — run with S = ``n_seeds`` seeds s = seed … seed + S − 1.
    Reported: their consensus partition (:func:`consensus_partition`, Lancichinetti &
    Fortunato 2012), or with ``partition='single'`` the run with ``seed``. Frames are
    numbered by prevalence (frame 0 the largest; ties by the lowest topic number). A document's frame proportion is the sum of the
    proportions of the frame's topics, F_df = Σ_{k ∈ f} θ_dk (rows sum to 1).

Frame prevalence by group (:func:`frame_prevalence`)
    Mean F_df per group with percentile document-bootstrap CIs, and differences between
    groups, exactly as :func:`framescope.analysis.topics.compare_groups` does for topics.

Stability (:func:`frame_stability`)
    Across Louvain seeds and across topic-model seeds (each run's aligned θ → its own
    network → the same S Louvain seeds): mean pairwise adjusted Rand index
    (:func:`adjusted_rand_index`, Hubert & Arabie 1985), co-assignment matrix
    (:func:`coassignment`), per frame the cohesion = mean co-assignment of its topics
    (:func:`frame_cohesion`) and ``stable`` = cohesion ≥ ``stability_threshold``; modularity
    against the weight-shuffled network (:func:`modularity_null`).

Tables (tidy):
    nodes       topic, label, prevalence, frame, degree, strength, stable
    edges       source, target, weight, similarity (the raw cosine or correlation)
    frames      frame, n_topics, topics (space-separated), prevalence, label
    prevalence  frame, group, mean, mean_low, mean_high, n_docs
    differences group_a, group_b, frame, mean_a, mean_b, diff, diff_low, diff_high, rank
    stability   :class:`FrameStability` (frames, coassignment, partitions, agreement)
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from framescope.analysis.topics.effects import GroupComparison, compare_groups
from framescope.corpus.errors import FramescopeError

__all__ = ["FrameOptions", "FrameNetwork", "FrameStability", "WEIGHTINGS", "PARTITIONS", "topic_similarity",
           "disparity_filter", "frame_network", "frame_proportions", "frame_prevalence", "louvain_partitions",
           "coassignment", "consensus_partition", "adjusted_rand_index", "pairwise_ari", "frame_cohesion", "modularity_null",
           "frame_stability", "frames_hold", "MODULARITY_ALPHA"]

#: The reported partition's modularity counts as above chance when its p-value against the
#: weight-shuffled networks (:func:`modularity_null`) is under this level.
MODULARITY_ALPHA = 0.05

#: Edge weightings: ANTMN's cosine similarity, or Pearson correlation.
WEIGHTINGS = ("cosine", "correlation")
#: Reported partitions: consensus of the Louvain seeds, or the single run with ``seed``.
PARTITIONS = ("consensus", "single")


@dataclass(frozen=True)
class FrameOptions:
    """Settings of :func:`frame_network` (all recorded in run.json).

    Parameters
    ----------
    weighting : {"cosine", "correlation"}
        Edge weight between two topics: the cosine similarity (default; Walter & Ophir
        2019) or the Pearson correlation of their document-topic columns.
    min_weight : float
        Drop edges with weight ≤ this, in [−1, 1) (default 0.0; negative edges are always
        dropped).
    backbone : float or None
        None (default): keep every edge; a number in (0, 1): α of the disparity filter
        (Serrano et al. 2009), e.g. 0.05, keeping only the edges significant at that level.
    resolution : float
        Louvain resolution γ > 0 (default 1 = standard modularity; larger → more frames).
    seed : int
        Louvain's random seed, the first of the ``n_seeds`` (default 0).
    n_seeds : int
        Louvain runs, with seeds seed … seed + n_seeds − 1, on the network (≥ 1; default
        50): their co-assignment gives the consensus partition and the frames' cohesion.
    partition : {"consensus", "single"}
        The reported partition: "consensus" (default; Lancichinetti & Fortunato 2012, over
        the ``n_seeds`` runs) or "single" (the one Louvain run with ``seed``, as ANTMN).
    consensus_threshold : float
        τ of the consensus, in (0, 1]: co-assignments below it are set to 0 (default 0.5).
    stability_threshold : float
        A frame is stable when its cohesion is at least this, in (0, 1] (default 0.75).
    n_null : int
        Weight-shuffled networks for the modularity null (≥ 0; default 100; 0 = none).

    References
    ----------
    Lancichinetti, A. & Fortunato, S. (2012). Consensus clustering in complex networks.
    Scientific Reports 2, 336.

    Serrano, M. Á., Boguñá, M. & Vespignani, A. (2009). Extracting the multiscale backbone
    of complex weighted networks. PNAS 106(16), 6483–6488.

    Walter, D. & Ophir, Y. (2019). News frame analysis: an inductive mixed-method
    computational approach. Communication Methods and Measures 13(4), 248–266.
    """

    weighting: str = "cosine"
    min_weight: float = 0.0
    backbone: float | None = None
    resolution: float = 1.0
    seed: int = 0
    n_seeds: int = 50
    partition: str = "consensus"
    consensus_threshold: float = 0.5
    stability_threshold: float = 0.75
    n_null: int = 100

    def __post_init__(self):
        if self.weighting not in WEIGHTINGS:
            raise FramescopeError(f"frame edge weighting must be {' or '.join(WEIGHTINGS)}, not {self.weighting!r}")
        if not np.isfinite(self.min_weight) or not -1 <= float(self.min_weight) < 1:
            raise FramescopeError(f"the minimum edge weight must be in [-1, 1), not {self.min_weight}")
        if self.backbone is not None and not 0 < float(self.backbone) < 1:
            raise FramescopeError(f"the backbone alpha must be in (0, 1), not {self.backbone}")
        if not float(self.resolution) > 0:
            raise FramescopeError(f"the Louvain resolution must be > 0, not {self.resolution}")
        if self.partition not in PARTITIONS:
            raise FramescopeError(f"the frame partition must be {' or '.join(PARTITIONS)}, not {self.partition!r}")
        if int(self.n_seeds) != self.n_seeds or self.n_seeds < 1:
            raise FramescopeError(f"the number of Louvain seeds must be an integer >= 1, not {self.n_seeds}")
        if int(self.n_null) != self.n_null or self.n_null < 0:
            raise FramescopeError(f"the number of null networks must be an integer >= 0, not {self.n_null}")
        for name in ("consensus_threshold", "stability_threshold"):
            value = float(getattr(self, name))
            if not 0 < value <= 1:
                raise FramescopeError(f"the frame {name.replace('_', ' ')} must be in (0, 1], not {value}")

    def as_dict(self) -> dict:
        """The options as a plain dict (recorded in ``run.json``).

        Returns
        -------
        dict
        """
        return asdict(self)


def topic_similarity(theta: np.ndarray, weighting: str = "cosine") -> np.ndarray:
    """K × K similarity of the topics' document columns (diagonal 0).

    cosine: ``Σ_d θ_dj θ_dk / (‖θ_·j‖ ‖θ_·k‖)`` (Walter & Ophir 2019); correlation: Pearson r
    of ``θ_·j`` and ``θ_·k`` (a constant column correlates 0 with everything).

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions.
    weighting : {'cosine', 'correlation'}
        The similarity.

    Returns
    -------
    numpy.ndarray
        K × K symmetric similarities, diagonal 0.

    Raises
    ------
    FramescopeError
        An unknown weighting.

    References
    ----------
    Walter, D., & Ophir, Y. (2019). News frame analysis: An inductive mixed-method
    computational approach. *Communication Methods and Measures*, 13(4), 248–266.
    """
    theta = _check_theta(theta)
    if weighting not in WEIGHTINGS:
        raise FramescopeError(f"frame edge weighting must be {' or '.join(WEIGHTINGS)}, not {weighting!r}")
    cols = theta - theta.mean(axis=0) if weighting == "correlation" else theta
    norm = np.sqrt((cols ** 2).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = (cols.T @ cols) / np.outer(norm, norm)
    sim = np.where(np.isfinite(sim), sim, 0.0)
    np.fill_diagonal(sim, 0.0)
    return np.clip(sim, -1.0, 1.0)


def disparity_filter(weights: np.ndarray, alpha: float) -> np.ndarray:
    """Boolean K × K mask of the edges kept by the disparity filter (Serrano et al. 2009).

    For node i with k_i > 1 positive edges and strength s_i = Σ_j w_ij, edge (i, j) is
    significant at i when α_ij = (1 − w_ij/s_i)^(k_i − 1) < ``alpha``; it is kept when
    significant at either end. A node with a single edge keeps it (as ANTMN's backbone
    code does: the test is undefined for k = 1).

    Parameters
    ----------
    weights : numpy.ndarray
        K × K symmetric non-negative edge weights.
    alpha : float
        Significance level in (0, 1).

    Returns
    -------
    numpy.ndarray
        K × K booleans, True = edge kept (symmetric).

    References
    ----------
    Serrano, M. Á., Boguñá, M., & Vespignani, A. (2009). Extracting the multiscale backbone
    of complex weighted networks. *PNAS*, 106(16), 6483–6488.
    """
    w = np.where(weights > 0, weights, 0.0)
    degree = (w > 0).sum(axis=1)
    strength = w.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(strength[:, None] > 0, w / strength[:, None], 0.0)
        a = (1 - p) ** (degree[:, None] - 1)
    significant = (w > 0) & ((a < alpha) | (degree[:, None] == 1))
    return significant | significant.T


def _check_theta(theta) -> np.ndarray:
    theta = np.asarray(theta, dtype=np.float64)
    if theta.ndim != 2 or theta.shape[1] < 2 or len(theta) < 2:
        raise FramescopeError(f"a topic network needs a documents × topics matrix with at least 2 of each, "
                              f"not shape {theta.shape}")
    if not np.all(np.isfinite(theta)) or np.any(theta < 0):
        raise FramescopeError("document-topic proportions must be finite and non-negative")
    return theta


@dataclass
class FrameNetwork:
    """Result of :func:`frame_network`: the topic network and its frames.

    Parameters
    ----------
    nodes : pandas.DataFrame
        One row per topic, with its ``frame`` (columns in the module docstring and
        ``docs/columns.md``).
    edges : pandas.DataFrame
        One row per kept edge between two topics, with its weight.
    frames : pandas.DataFrame
        One row per frame (community of topics) of the reported partition.
    graph : networkx.Graph
        The weighted topic network (nodes '0' … 'K−1').
    modularity : float
        The modularity of the reported partition.
    options : FrameOptions
        The settings used.
    louvain : numpy.ndarray or None
        n_seeds × K frame labels of the Louvain runs with ``louvain_seeds`` (labels
        numbered by first appearance, topic 0's frame = 0); None: not run.
    louvain_seeds : list of int
        The seeds of those runs.
    single_modularity : float
        The modularity of the run with ``options.seed`` (NaN: not computed).
    consensus_rounds : int
        Rounds of the consensus (0 when the runs agreed or ``partition="single"``).
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    frames: pd.DataFrame
    graph: object
    modularity: float
    options: FrameOptions
    louvain: np.ndarray | None = None
    louvain_seeds: list = field(default_factory=list)
    single_modularity: float = float("nan")
    consensus_rounds: int = 0

    @property
    def n_frames(self) -> int:
        return len(self.frames)

    def membership(self) -> np.ndarray:
        """Frame of each topic.

        Returns
        -------
        numpy.ndarray
            K int labels (index = topic).
        """
        return self.nodes.sort_values("topic")["frame"].to_numpy()

    def frame_labels(self) -> dict:
        """Labels of the frames for figures and tables.

        Returns
        -------
        dict of int to str
            {frame: 'F0 (T1, T4): words ...'}.
        """
        return dict(zip(self.frames["frame"], self.frames["label"]))

    def metadata(self) -> dict:
        """What ``run.json`` records of the network.

        Returns
        -------
        dict
            Options, number of frames, modularity, Louvain seeds and consensus rounds.
        """
        return {**self.options.as_dict(), "n_frames": self.n_frames, "modularity": self.modularity,
                "single_seed_modularity": self.single_modularity, "consensus_rounds": self.consensus_rounds,
                "louvain_seeds": list(self.louvain_seeds),
                "n_edges": len(self.edges), "method": "ANTMN (Walter & Ophir 2019): topic network, Louvain "
                "communities (networkx louvain_communities)" + (
                    "; consensus partition of the Louvain seeds (Lancichinetti & Fortunato 2012)"
                    if self.options.partition == "consensus" else "; the Louvain run with seed"),
                "edge_rule": _edge_rule(self.options)}

    def write_graphml(self, path) -> Path:
        """GraphML (networkx ``write_graphml``), replaced atomically. Node attributes: label,
        prevalence, frame, degree, strength, stable (when known); edge attribute weight and
        similarity. Node ids are the topic numbers as strings.

        Parameters
        ----------
        path : path
            The GraphML file.

        Returns
        -------
        pathlib.Path
            ``path``.

        References
        ----------
        Brandes, U., Eiglsperger, M., Lerner, J., & Pich, C. (2013). Graph markup language
        (GraphML). In R. Tamassia (ed.), *Handbook of Graph Drawing and Visualization*, 517–541.
        """
        import networkx as nx

        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        nx.write_graphml(self.graph, tmp)
        os.replace(tmp, path)
        return path


def _edge_rule(options: FrameOptions) -> str:
    rule = f"{options.weighting} weight > max(0, {options.min_weight})"
    if options.backbone is not None:
        rule += f", then disparity filter alpha = {options.backbone} (kept if significant at either end)"
    return rule


def _topic_graph(theta: np.ndarray, options: FrameOptions):
    """The topic network of ``theta`` under ``options``' weighting and edge rule (no frames):
    nodes '0' … 'K−1' (attribute topic), edges with weight = similarity."""
    import networkx as nx

    sim = topic_similarity(theta, options.weighting)
    keep = sim > max(0.0, float(options.min_weight))
    if options.backbone is not None:
        keep &= disparity_filter(np.where(keep, sim, 0.0), float(options.backbone))
    g = nx.Graph()
    for t in range(theta.shape[1]):
        g.add_node(str(t), topic=t)
    iu, ju = np.nonzero(np.triu(keep, 1))
    for i, j in zip(iu, ju):
        g.add_edge(str(i), str(j), weight=float(sim[i, j]), similarity=float(sim[i, j]))
    return g, sim, iu, ju


def _canonical(labels) -> np.ndarray:
    """Frame labels renumbered by first appearance (topic 0's frame is 0): equal partitions
    get equal label vectors."""
    labels = np.asarray(labels)
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)


def louvain_partitions(graph, seeds: Sequence[int], resolution: float = 1.0) -> np.ndarray:
    """Frame labels of Louvain on ``graph``, one run per seed (len(seeds) × K).

    ``graph`` has nodes '0' … 'K−1' and edge attribute 'weight'; each seed is one run of
    ``networkx.community.louvain_communities``; labels are numbered by first appearance.

    Parameters
    ----------
    graph : networkx.Graph
        The topic network.
    seeds : sequence of int
        One Louvain run per seed.
    resolution : float
        Louvain resolution (1 = modularity).

    Returns
    -------
    numpy.ndarray
        len(seeds) × K int labels.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding
    of communities in large networks. *Journal of Statistical Mechanics*, P10008.
    """
    import networkx as nx

    k = graph.number_of_nodes()
    out = np.empty((len(seeds), k), dtype=np.int64)
    for r, s in enumerate(seeds):
        member = np.empty(k, dtype=np.int64)
        for f, c in enumerate(nx.community.louvain_communities(graph, weight="weight", resolution=float(resolution),
                                                               seed=int(s))):
            member[[int(n) for n in c]] = f
        out[r] = _canonical(member)
    return out


def _partition_modularity(graph, member: np.ndarray, resolution: float) -> float:
    import networkx as nx

    if not graph.number_of_edges():
        return 0.0
    groups = [{str(t) for t in np.flatnonzero(member == f)} for f in np.unique(member)]
    q = nx.community.modularity(graph, groups, weight="weight", resolution=float(resolution))
    # networkx sums in the order of string sets, which changes with the process's hash seed:
    # the last bits (and the sign of a zero modularity) would change from run to run
    return round(float(q), 12) + 0.0


def coassignment(memberships) -> np.ndarray:
    """K × K co-assignment matrix of P partitions (P × K labels): C_ij = (1/P) Σ_p
    [π_p(i) = π_p(j)], the share of partitions that put topics i and j in the same frame
    (the consensus matrix of Lancichinetti & Fortunato 2012; diagonal 1).

    Parameters
    ----------
    memberships : array_like
        P × K frame labels.

    Returns
    -------
    numpy.ndarray
        K × K shares in [0, 1], diagonal 1.

    Raises
    ------
    FramescopeError
        Not a P × K array.

    References
    ----------
    Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks.
    *Scientific Reports*, 2, 336.
    """
    m = _check_memberships(memberships)
    return (m[:, :, None] == m[:, None, :]).mean(axis=0)


def _check_memberships(memberships) -> np.ndarray:
    m = np.asarray(memberships)
    if m.ndim == 1:
        m = m[None, :]
    if m.ndim != 2 or m.shape[0] < 1 or m.shape[1] < 1:
        raise FramescopeError(f"partitions must be a partitions × topics array of labels, not shape {m.shape}")
    return m


def consensus_partition(memberships, seeds: Sequence[int], resolution: float = 1.0, threshold: float = 0.5,
                        max_rounds: int = 20) -> tuple[np.ndarray, int]:
    """Consensus clustering of Lancichinetti & Fortunato (2012), "Consensus clustering in
    complex networks", *Scientific Reports* 2, 336, with Louvain as the algorithm.

    From the P partitions (``memberships``, P × K): (1) the co-assignment matrix C
    (:func:`coassignment`); (2) entries C_ij < ``threshold`` (τ) set to 0; (3) Louvain with
    every seed of ``seeds`` on the weighted graph C; (4) repeat from (1) with those
    partitions until C holds only 0 and 1, i.e. all runs agree (at most ``max_rounds``
    rounds; if they still disagree, the run with ``seeds[0]`` of the last round). Returns
    (labels numbered by first appearance, rounds run). Deterministic: same partitions and
    seeds, same result.

    Parameters
    ----------
    memberships : array_like
        P × K frame labels of the runs to reconcile.
    seeds : sequence of int
        Louvain seeds of every round.
    resolution : float
        Louvain resolution.
    threshold : float
        τ in (0, 1].
    max_rounds : int
        Most rounds run.

    Returns
    -------
    tuple
        (K int labels numbered by first appearance, rounds run).

    Raises
    ------
    FramescopeError
        τ outside (0, 1] or no seed.

    References
    ----------
    Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks.
    *Scientific Reports*, 2, 336.
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding
    of communities in large networks. *Journal of Statistical Mechanics*, P10008.
    """
    import networkx as nx

    m = _check_memberships(memberships)
    if not 0 < threshold <= 1:
        raise FramescopeError(f"the consensus threshold must be in (0, 1], not {threshold}")
    if not seeds:
        raise FramescopeError("a consensus partition needs at least one Louvain seed")
    k = m.shape[1]
    rounds = 0
    while True:
        c = coassignment(m)
        if np.all((c == 0) | (c == 1)) or rounds == max_rounds:
            return _canonical(m[0]), rounds
        rounds += 1
        g = nx.Graph()
        g.add_nodes_from(str(t) for t in range(k))
        iu, ju = np.nonzero(np.triu(c >= threshold, 1))
        g.add_weighted_edges_from((str(i), str(j), float(c[i, j])) for i, j in zip(iu, ju))
        m = louvain_partitions(g, seeds, resolution)


def frame_network(theta: np.ndarray, labels: Mapping[int, str] | Sequence[str] | None = None,
                  options: FrameOptions = FrameOptions(), stable: Sequence | None = None) -> FrameNetwork:
    """The ANTMN topic network of ``theta`` (n_docs × K) and its frames (Louvain).

    ``labels``: a label per topic (e.g. its top words; default 'T0', 'T1', …);
    ``stable``: the topics' stability flags, carried into the nodes. Louvain runs with
    seeds ``options.seed`` … ``options.seed + options.n_seeds − 1``; the reported partition
    is their consensus (:func:`consensus_partition`, ``options.partition='consensus'``) or
    the run with ``options.seed`` (``'single'``). See the module docstring for the
    weighting, the edge rule and the numbering of frames.

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions.
    labels : mapping or sequence of str, optional
        A label per topic (e.g. its top words; default 'T0', 'T1', …).
    options : FrameOptions
        Weighting, edge rule, Louvain seeds and partition.
    stable : sequence, optional
        The topics' stability flags, carried into the nodes.

    Returns
    -------
    FrameNetwork
        ``nodes``: topic, label, prevalence, frame, degree, strength, stable;
        ``edges``: source, target, weight, similarity (the raw cosine or correlation);
        ``frames``: frame, n_topics, topics (space-separated), prevalence, label; the
        graph, modularity and the Louvain runs.

    Raises
    ------
    FramescopeError
        θ not documents × topics with at least 2 of each, not finite and non-negative, or
        labels/flags of the wrong length.

    References
    ----------
    Walter, D., & Ophir, Y. (2019). News frame analysis: An inductive mixed-method
    computational approach. *Communication Methods and Measures*, 13(4), 248–266.
    Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks.
    *Scientific Reports*, 2, 336.
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding
    of communities in large networks. *Journal of Statistical Mechanics*, P10008.
    """
    theta = _check_theta(theta)
    k = theta.shape[1]
    if labels is None:
        names = [f"T{t}" for t in range(k)]
    elif isinstance(labels, Mapping):
        names = [str(labels.get(t, f"T{t}")) for t in range(k)]
    else:
        names = [str(x) for x in labels]
    if len(names) != k:
        raise FramescopeError(f"{len(names)} topic labels for {k} topics")
    stable_flags = None if stable is None else list(stable)
    if stable_flags is not None and len(stable_flags) != k:
        raise FramescopeError(f"{len(stable_flags)} stability flags for {k} topics")
    g, sim, iu, ju = _topic_graph(theta, options)
    prevalence = theta.mean(axis=0)
    resolution = float(options.resolution)
    seeds = [int(options.seed) + i for i in range(int(options.n_seeds))]
    runs = louvain_partitions(g, seeds, resolution)
    rounds = 0
    if options.partition == "consensus":
        chosen, rounds = consensus_partition(runs, seeds, resolution, float(options.consensus_threshold))
    else:
        chosen = runs[0]
    groups = [sorted(np.flatnonzero(chosen == f).tolist()) for f in np.unique(chosen)]
    groups.sort(key=lambda c: (-prevalence[c].sum(), c[0]))
    member = np.empty(k, dtype=np.int64)
    for f, members in enumerate(groups):
        member[members] = f
    modularity = _partition_modularity(g, member, resolution)
    degree = dict(g.degree())
    strength = dict(g.degree(weight="weight"))
    for t in range(k):
        node = g.nodes[str(t)]
        node.update(label=names[t], prevalence=float(prevalence[t]), frame=int(member[t]),
                    degree=int(degree[str(t)]), strength=float(strength[str(t)]))
        if stable_flags is not None and not pd.isna(stable_flags[t]):
            node["stable"] = bool(stable_flags[t])
    g.graph.update({"weighting": options.weighting, "edge_rule": _edge_rule(options), "modularity": modularity,
                    "louvain_seed": int(options.seed), "resolution": resolution, "partition": options.partition,
                    "louvain_seeds": len(seeds)})
    nodes = pd.DataFrame({"topic": np.arange(k), "label": names, "prevalence": prevalence, "frame": member,
                          "degree": [degree[str(t)] for t in range(k)],
                          "strength": [float(strength[str(t)]) for t in range(k)],
                          "stable": pd.array(stable_flags if stable_flags is not None else [pd.NA] * k,
                                             dtype="boolean")})
    edges = pd.DataFrame({"source": iu.astype(np.int64), "target": ju.astype(np.int64),
                          "weight": sim[iu, ju], "similarity": sim[iu, ju]})
    frame_rows = []
    for f, members in enumerate(groups):
        by_size = sorted(members, key=lambda t: (-prevalence[t], t))
        words = " | ".join(_words(names[t]) for t in by_size[:2])
        frame_rows.append((f, len(members), " ".join(map(str, members)), float(prevalence[members].sum()),
                           f"F{f} ({', '.join(f'T{t}' for t in members)}): {words}"))
    frames = pd.DataFrame(frame_rows, columns=["frame", "n_topics", "topics", "prevalence", "label"])
    return FrameNetwork(nodes, edges, frames, g, modularity, options, runs, seeds,
                        _partition_modularity(g, runs[0], resolution), rounds)


def _words(label: str) -> str:
    """'T3 coalition · strike' → 'coalition · strike' (a topic label without its number)."""
    head, _, rest = label.partition(" ")
    return rest if rest and head[:1] == "T" and head[1:].isdigit() else label


def frame_proportions(theta: np.ndarray, network: FrameNetwork | Sequence[int]) -> np.ndarray:
    """Frame proportions of every document: F_df = Σ θ_dk over the topics k of frame f.

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K topic proportions.
    network : FrameNetwork or sequence of int
        The frames, or a frame label per topic.

    Returns
    -------
    numpy.ndarray
        n_docs × F proportions (rows sum to 1).

    Raises
    ------
    FramescopeError
        The membership and θ disagree on K.

    References
    ----------
    Walter, D., & Ophir, Y. (2019). News frame analysis. *Communication Methods and
    Measures*, 13(4), 248–266.
    """
    theta = _check_theta(theta)
    member = network.membership() if isinstance(network, FrameNetwork) else np.asarray(network, dtype=np.int64)
    if len(member) != theta.shape[1]:
        raise FramescopeError(f"frame membership has {len(member)} topics, theta {theta.shape[1]}")
    n_frames = int(member.max()) + 1
    onehot = np.zeros((theta.shape[1], n_frames))
    onehot[np.arange(len(member)), member] = 1.0
    return theta @ onehot


def frame_prevalence(theta: np.ndarray, network: FrameNetwork, labels, contrasts=None, n_boot: int = 1000,
                     ci: float = 0.95, seed: int = 0, sizes: pd.DataFrame | None = None) -> GroupComparison:
    """Mean frame proportion per group and differences between groups, with percentile
    document-bootstrap CIs.

    :func:`framescope.analysis.topics.effects.compare_groups` on the frame proportions of
    :func:`frame_proportions` (a document's proportion of a frame is the sum of its
    topics' proportions).

    Parameters
    ----------
    theta : numpy.ndarray
        n_docs × K document-topic proportions.
    network : FrameNetwork
        The frames (:func:`frame_network`).
    labels : sequence
        Group label per row of ``theta`` (None: left out).
    contrasts : sequence of (str, str), optional
        Group pairs to compare (default every pair in sorted order).
    n_boot : int
        Bootstrap replicates (default 1000; documents resampled within each group,
        :func:`~framescope.analysis.topics.effects.bootstrap_group_means`).
    ci : float
        Confidence level of the percentile intervals, in (0, 1) (default 0.95).
    seed : int
        Seed of the bootstrap (default 0; same seed → same intervals).
    sizes : pandas.DataFrame, optional
        Group sizes (:func:`framescope.analysis.groups.group_sizes`): the tables get
        ``group_docs``, ``group_tokens`` (``group_a_*``, ``group_b_*`` for differences) and
        ``small_group``.

    Returns
    -------
    GroupComparison
        ``prevalence``: frame, group, mean, mean_low, mean_high, n_docs (documents behind the
        mean), label [, group_docs, group_tokens, small_group]; ``differences``: group_a,
        group_b, frame, mean_a, mean_b, diff, diff_low, diff_high, rank, label [, sizes].

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.

    Walter, D., & Ophir, Y. (2019). News frame analysis: An inductive mixed-method
    computational approach. *Communication Methods and Measures*, 13(4), 248–266.
    """
    comp = compare_groups(frame_proportions(theta, network), labels, contrasts, n_boot, ci, seed, sizes)
    names = network.frame_labels()
    tables = []
    for table in (comp.prevalence, comp.differences):
        table = table.rename(columns={"topic": "frame"})
        table["label"] = table["frame"].map(names)
        table.attrs["ci"] = ci
        tables.append(table)
    return GroupComparison(tables[0], tables[1], comp.n_boot, comp.ci, comp.seed)


# --- stability of the frames -----------------------------------------------------------------

def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index of two partitions of the same items (Hubert & Arabie 1985,
    "Comparing partitions", *Journal of Classification* 2, 193–218).

    With the contingency table n_ij (items in cluster i of ``a`` and j of ``b``), row sums
    a_i, column sums b_j and n items::

        index    = Σ_ij C(n_ij, 2)
        expected = Σ_i C(a_i, 2) · Σ_j C(b_j, 2) / C(n, 2)
        maximum  = ½ (Σ_i C(a_i, 2) + Σ_j C(b_j, 2))
        ARI      = (index − expected) / (maximum − expected)

    1 for identical partitions (whatever the labels), about 0 for independent ones, and
    negative below chance. When maximum = expected (both partitions put every item alone,
    or both put all items together) the partitions are identical and ARI = 1.

    Parameters
    ----------
    a, b : array_like
        Two label vectors of the same length.

    Returns
    -------
    float
        The ARI, ≤ 1.

    Raises
    ------
    FramescopeError
        Vectors of different lengths or not 1-D.

    References
    ----------
    Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of Classification*, 2,
    193–218.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 1 or a.shape != b.shape:
        raise FramescopeError(f"the adjusted Rand index needs two label vectors of the same length, "
                              f"not shapes {a.shape} and {b.shape}")
    _, ia = np.unique(a, return_inverse=True)
    _, ib = np.unique(b, return_inverse=True)
    table = np.zeros((ia.max(initial=-1) + 1, ib.max(initial=-1) + 1))
    np.add.at(table, (ia, ib), 1)

    def pairs(x):
        return float((x * (x - 1) / 2).sum())

    index, sum_a, sum_b = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = len(a) * (len(a) - 1) / 2
    expected = sum_a * sum_b / total if total else 0.0
    maximum = (sum_a + sum_b) / 2
    if maximum == expected:
        return 1.0
    return float((index - expected) / (maximum - expected))


def pairwise_ari(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P × Q adjusted Rand indices of the partitions a (P × K) and b (Q × K), from the pair
    counts (n11 pairs together in both, n10 and n01 in one only, n00 in neither):
    ARI = 2 (n00 n11 − n01 n10) / ((n00 + n01)(n01 + n11) + (n00 + n10)(n10 + n11)),
    the same number as :func:`adjusted_rand_index` (Hubert & Arabie 1985).

    Parameters
    ----------
    a : numpy.ndarray
        P × K labels.
    b : numpy.ndarray
        Q × K labels.

    Returns
    -------
    numpy.ndarray
        P × Q ARIs.

    References
    ----------
    Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of Classification*, 2,
    193–218.
    """
    k = a.shape[1]
    iu, ju = np.triu_indices(k, 1)
    pa = (a[:, iu] == a[:, ju]).astype(np.float64)
    pb = (b[:, iu] == b[:, ju]).astype(np.float64)
    n11 = pa @ pb.T
    n10 = pa.sum(axis=1)[:, None] - n11
    n01 = pb.sum(axis=1)[None, :] - n11
    n00 = len(iu) - n11 - n10 - n01
    num = 2 * (n00 * n11 - n01 * n10)
    den = (n00 + n01) * (n01 + n11) + (n00 + n10) * (n10 + n11)
    with np.errstate(divide="ignore", invalid="ignore"):
        ari = num / den
    return np.where(den == 0, np.where((n10 == 0) & (n01 == 0), 1.0, 0.0), ari)


def frame_cohesion(membership, partitions) -> pd.DataFrame:
    """Per frame of ``membership`` (K labels), how consistently ``partitions`` (P × K) keep it.

    cohesion: for a frame f of m ≥ 2 topics, the mean co-assignment of its members,
    (2 / m(m − 1)) Σ_{i<j ∈ f} C_ij (C of :func:`coassignment`); for a one-topic frame,
    the share of partitions in which that topic is a frame by itself. 1 = every partition
    has the frame's topics together.
    outside: mean co-assignment of the frame's topics with the other topics, (1 / m(K − m))
    Σ_{i ∈ f, j ∉ f} C_ij (0 = never merged with other topics; NaN when f holds all topics).
    Columns: frame, n_topics, cohesion, outside.

    Parameters
    ----------
    membership : array_like
        K frame labels (the reported partition).
    partitions : array_like
        P × K labels of the other runs.

    Returns
    -------
    pandas.DataFrame
        frame, n_topics, cohesion, outside.

    Raises
    ------
    FramescopeError
        Partitions of another number of topics.

    References
    ----------
    Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks.
    *Scientific Reports*, 2, 336.
    """
    member = np.asarray(membership)
    parts = _check_memberships(partitions)
    if parts.shape[1] != len(member):
        raise FramescopeError(f"partitions of {parts.shape[1]} topics for a membership of {len(member)}")
    c = coassignment(parts)
    rows = []
    for f in np.unique(member):
        inside = member == f
        idx = np.flatnonzero(inside)
        if len(idx) > 1:
            block = c[np.ix_(idx, idx)]
            cohesion = float(block[np.triu_indices(len(idx), 1)].mean())
        else:
            own = parts[:, idx[0]]
            cohesion = float(((parts == own[:, None]).sum(axis=1) == 1).mean())
        outside = float(c[np.ix_(idx, np.flatnonzero(~inside))].mean()) if (~inside).any() else float("nan")
        rows.append((int(f), len(idx), cohesion, outside))
    return pd.DataFrame(rows, columns=["frame", "n_topics", "cohesion", "outside"])


def modularity_null(network: FrameNetwork, n_null: int | None = None, seed: int | None = None) -> np.ndarray:
    """Modularity that Louvain finds when the network's co-occurrence weights are arranged
    at random: ``n_null`` copies of the network with the same edges (so every topic keeps
    its degree) and the edge weights shuffled among them (the weight-reshuffling null of
    Opsahl, Colizza, Panzarasa & Ramasco 2008, *Physical Review Letters* 101, 168702), and
    one Louvain run (seed ``seed + i`` on copy i) on each. The null keeps how strong
    co-occurrences are and asks whether their arrangement into groups is more modular than
    chance: even random networks have modularity well above 0 (Guimerà, Sales-Pardo &
    Amaral 2004, *Physical Review E* 70, 025101), so a modularity is read against this
    null rather than against 0 or a fixed cut-off. Shuffles from
    ``numpy.random.default_rng(seed)``; defaults ``options.n_null`` and ``options.seed``.

    Parameters
    ----------
    network : FrameNetwork
        The reported network.
    n_null : int, optional
        Null networks (default ``options.n_null``; ≥ 0).
    seed : int, optional
        Seed of the shuffles and the Louvain runs (default ``options.seed``).

    Returns
    -------
    numpy.ndarray
        ``n_null`` modularities.

    Raises
    ------
    FramescopeError
        ``n_null`` < 0.

    References
    ----------
    Opsahl, T., Colizza, V., Panzarasa, P., & Ramasco, J. J. (2008). Prominence and control:
    the weighted rich-club effect. *Physical Review Letters*, 101, 168702.
    Guimerà, R., Sales-Pardo, M., & Amaral, L. A. N. (2004). Modularity from fluctuations in
    random graphs and complex networks. *Physical Review E*, 70, 025101.
    """
    options = network.options
    n_null = int(options.n_null if n_null is None else n_null)
    seed = int(options.seed if seed is None else seed)
    if n_null < 0:
        raise FramescopeError(f"the number of null networks must be >= 0, not {n_null}")
    rng = np.random.default_rng(seed)
    graph = network.graph.copy()
    edges = list(graph.edges())
    weights = np.array([graph.edges[e]["weight"] for e in edges], dtype=np.float64)
    out = np.empty(n_null)
    for i in range(n_null):
        for e, w in zip(edges, rng.permutation(weights)):
            graph.edges[e]["weight"] = float(w)
        member = louvain_partitions(graph, [seed + i], options.resolution)[0]
        out[i] = _partition_modularity(graph, member, options.resolution)
    return out


@dataclass
class FrameStability:
    """Result of :func:`frame_stability` (tables tidy; ``summary`` also in run.json).

    Parameters
    ----------
    frames : pandas.DataFrame
        frame_stability.csv, one row per reported frame: frame, n_topics, topics,
        cohesion and outside over the Louvain seeds on the reported network
        (:func:`frame_cohesion`), cohesion_runs and outside_runs over the Louvain seeds on
        every topic run's network (NaN without runs), stable (cohesion ≥ threshold, and
        cohesion_runs ≥ threshold where known), label.
    coassignment : pandas.DataFrame
        frame_coassignment.csv, one row per pair of topics (a ≠ b): topic_a, topic_b, share
        (co-assignment over the Louvain seeds on the reported network), share_runs (over
        the topic runs' networks), same_frame (both in one reported frame).
    partitions : pandas.DataFrame
        frame_partitions.csv, one row per Louvain run: network ('reported' or 'run'),
        topic_seed (the run's seed; NA for the reported network), louvain_seed, n_frames,
        modularity (on its own network), ari_reported (adjusted Rand index with the
        reported partition), membership (frame of topic 0, 1, … numbered by first
        appearance).
    agreement : pandas.DataFrame
        frame_agreement.csv, mean pairwise ARI: comparison ('louvain seeds': pairs of
        seeds on one network; 'topic runs': pairs of partitions of two different runs,
        every seed with every seed), topic_seed_a, topic_seed_b (NA = reported network),
        n_pairs, ari_mean, ari_min, ari_max.
    null : numpy.ndarray
        The modularities of the weight-shuffled networks (:func:`modularity_null`).
    summary : dict
        The headline numbers, also written to run.json.
    """

    frames: pd.DataFrame
    coassignment: pd.DataFrame
    partitions: pd.DataFrame
    agreement: pd.DataFrame
    null: np.ndarray
    summary: dict

    def matrix(self, column: str = "share") -> np.ndarray:
        """K × K co-assignment matrix (diagonal 1).

        Parameters
        ----------
        column : {'share', 'share_runs'}
            Across Louvain seeds on the reported network, or across topic runs too.

        Returns
        -------
        numpy.ndarray
            K × K shares in [0, 1].

        References
        ----------
        Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks.
        *Scientific Reports*, 2, 336.
        """
        k = int(self.coassignment[["topic_a", "topic_b"]].to_numpy().max()) + 1
        out = np.eye(k)
        out[self.coassignment["topic_a"], self.coassignment["topic_b"]] = self.coassignment[column]
        return out

    def unstable_frames(self) -> list[int]:
        """The reported frames that are not stable.

        Returns
        -------
        list of int
            Frame numbers whose cohesion is under the threshold.
        """
        return [int(f) for f in self.frames.loc[~self.frames["stable"], "frame"]]


def frames_hold(frames: pd.DataFrame | None, summary: dict | None, alpha: float = MODULARITY_ALPHA) -> bool:
    """Whether a frame analysis found frames to draw and compare (one rule for figures and text).

    Frames hold when at least one reported frame is stable across Louvain and topic seeds
    *and* the reported partition is more modular than the same network with its edge
    weights shuffled (p < ``alpha``; :func:`modularity_null`). Otherwise the communities are
    noise: a figure draws the topic network without them and no frame difference is
    reported.

    Parameters
    ----------
    frames : pandas.DataFrame or None
        ``FrameStability.frames`` (column ``stable``); None: no stability was run, frames
        are taken as they are.
    summary : dict or None
        ``FrameStability.summary`` (``null`` with ``p_value``); None or no p-value: the
        null is not checked.
    alpha : float, default MODULARITY_ALPHA
        Level of the modularity test.

    Returns
    -------
    bool
        True when frames may be drawn and compared.

    References
    ----------
    Walter, D., & Ophir, Y. (2019). News frame analysis: An inductive mixed-method
    computational approach. *Communication Methods and Measures*, 13(4), 248–266.
    Guimerà, R., Sales-Pardo, M., & Amaral, L. A. N. (2004). Modularity from fluctuations in
    random graphs and complex networks. *Physical Review E*, 70, 025101.
    """
    if frames is None:
        return True
    p = ((summary or {}).get("null") or {}).get("p_value")
    return bool(frames["stable"].astype(bool).any()) and (p is None or p < alpha)


def _agreement_row(comparison, seed_a, seed_b, ari: np.ndarray) -> tuple:
    return (comparison, seed_a, seed_b, int(ari.size), float(ari.mean()) if ari.size else float("nan"),
            float(ari.min()) if ari.size else float("nan"), float(ari.max()) if ari.size else float("nan"))


def frame_stability(network: FrameNetwork, run_thetas: Sequence[np.ndarray] | None = None,
                    run_seeds: Sequence[int] | None = None) -> FrameStability:
    """How stable the frames of ``network`` (:func:`frame_network`) are.

    (a) Across Louvain seeds: the n_seeds Louvain runs on the reported network
    (``network.louvain``), their mean pairwise adjusted Rand index
    (:func:`adjusted_rand_index`, Hubert & Arabie 1985) and co-assignment matrix C_ij =
    share of runs with topics i and j in one frame (the consensus matrix of Lancichinetti &
    Fortunato 2012). (b) Across topic-model seeds: ``run_thetas`` (n_docs × K per run,
    columns aligned to the reported topics, e.g. by :func:`framescope.analysis.topics.consensus_topics`
    matches) each give a network (same options) and n_seeds Louvain runs with the same
    seeds; ARI between partitions of different runs, co-assignment over all of them.
    Per reported frame, cohesion = mean co-assignment of its members (:func:`frame_cohesion`);
    it is stable when cohesion (and, with runs, cohesion_runs) ≥
    ``options.stability_threshold`` (default 0.75: on average its topics share a frame in at
    least three of four partitions). Modularity against a null: :func:`modularity_null`
    (``options.n_null`` networks), p = (1 + #{Q_null ≥ Q}) / (1 + n_null) for the modularity
    Q of the Louvain run with ``options.seed`` (like for like: one Louvain run each).
    Seeds are recorded in every table's ``attrs`` and in ``summary``.

    Parameters
    ----------
    network : FrameNetwork
        The reported frames.
    run_thetas : sequence of numpy.ndarray, optional
        n_docs × K θ of the other topic runs, columns aligned to the reported topics.
    run_seeds : sequence of int, optional
        Their training seeds (recorded).

    Returns
    -------
    FrameStability
        Tables ``frames``, ``coassignment``, ``partitions`` and ``agreement`` with the
        columns listed in :class:`FrameStability`, ``null`` and ``summary`` (run.json).

    References
    ----------
    Hubert, L., & Arabie, P. (1985). Comparing partitions. *Journal of Classification*, 2,
    193–218.
    Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks.
    *Scientific Reports*, 2, 336.
    """
    options = network.options
    k = len(network.nodes)
    if network.louvain is None or network.louvain.shape[1] != k:
        raise FramescopeError("the frame network has no Louvain runs to compare (build it with frame_network)")
    runs = [] if run_thetas is None else [_check_theta(x) for x in run_thetas]
    if any(x.shape[1] != k for x in runs):
        raise FramescopeError(f"every run's document-topic matrix needs the {k} topics of the network")
    run_seeds = list(range(len(runs))) if run_seeds is None else [int(s) for s in run_seeds]
    if len(run_seeds) != len(runs):
        raise FramescopeError(f"{len(run_seeds)} seeds for {len(runs)} topic runs")
    seeds = list(network.louvain_seeds)
    threshold = float(options.stability_threshold)
    reported = network.membership()
    own = network.louvain
    run_graphs = [_topic_graph(x, options)[0] for x in runs]
    run_parts = [louvain_partitions(g, seeds, options.resolution) for g in run_graphs]

    rows = []
    for name, seed_, graph, parts in [("reported", pd.NA, network.graph, own)] + [
            ("run", s, g, p) for s, g, p in zip(run_seeds, run_graphs, run_parts)]:
        ari = pairwise_ari(parts, reported[None, :])[:, 0]
        for ls, member, a in zip(seeds, parts, ari):
            rows.append((name, seed_, ls, len(np.unique(member)),
                         _partition_modularity(graph, member, options.resolution), float(a),
                         " ".join(map(str, member))))
    partitions = pd.DataFrame(rows, columns=["network", "topic_seed", "louvain_seed", "n_frames", "modularity",
                                             "ari_reported", "membership"])
    partitions["topic_seed"] = partitions["topic_seed"].astype("Int64")

    upper = np.triu_indices(len(seeds), 1)
    agree = [_agreement_row("louvain seeds", pd.NA, pd.NA, pairwise_ari(own, own)[upper])]
    agree += [_agreement_row("louvain seeds", s, s, pairwise_ari(p, p)[upper]) for s, p in zip(run_seeds, run_parts)]
    between = []
    for r in range(len(runs)):
        for q in range(r + 1, len(runs)):
            ari = pairwise_ari(run_parts[r], run_parts[q]).ravel()
            between.append(ari)
            agree.append(_agreement_row("topic runs", run_seeds[r], run_seeds[q], ari))
    agreement = pd.DataFrame(agree, columns=["comparison", "topic_seed_a", "topic_seed_b", "n_pairs", "ari_mean",
                                             "ari_min", "ari_max"])
    for col in ("topic_seed_a", "topic_seed_b"):
        agreement[col] = agreement[col].astype("Int64")

    c_own = coassignment(own)
    c_runs = coassignment(np.vstack(run_parts)) if runs else np.full((k, k), np.nan)
    ia, ib = np.nonzero(~np.eye(k, dtype=bool))
    co = pd.DataFrame({"topic_a": ia, "topic_b": ib, "share": c_own[ia, ib], "share_runs": c_runs[ia, ib],
                       "same_frame": reported[ia] == reported[ib]})

    frames = network.frames[["frame", "n_topics", "topics"]].merge(
        frame_cohesion(reported, own).drop(columns="n_topics"), on="frame")
    if runs:
        by_runs = frame_cohesion(reported, np.vstack(run_parts))
        frames["cohesion_runs"], frames["outside_runs"] = by_runs["cohesion"].to_numpy(), by_runs["outside"].to_numpy()
    else:
        frames["cohesion_runs"] = frames["outside_runs"] = np.nan
    frames["stable"] = (frames["cohesion"] >= threshold) & (frames["cohesion_runs"].isna()
                                                             | (frames["cohesion_runs"] >= threshold))
    frames["label"] = network.frames["label"].to_numpy()

    null = modularity_null(network)
    q = float(network.single_modularity)
    topic_pairs = agreement[agreement["comparison"] == "topic runs"]
    summary = {
        "louvain_seeds": seeds, "topic_seeds": run_seeds, "partition": options.partition,
        "n_frames": network.n_frames, "modularity": network.modularity, "single_seed_modularity": q,
        "ari_louvain_seeds": float(agreement["ari_mean"].iloc[0]) if len(seeds) > 1 else None,
        "ari_topic_runs": float(np.concatenate(between).mean()) if between else None,
        "threshold": threshold, "stable_frames": [int(f) for f in frames.loc[frames["stable"], "frame"]],
        "unstable_frames": [int(f) for f in frames.loc[~frames["stable"], "frame"]],
        "null": {"method": "Louvain modularity of the network with its edge weights shuffled among its edges "
                           "(degrees kept; Opsahl et al. 2008; Guimera, Sales-Pardo & Amaral 2004)",
                 "n_null": int(options.n_null),
                 "seed": int(options.seed),
                 "mean": float(null.mean()) if null.size else None,
                 "sd": float(null.std(ddof=1)) if null.size > 1 else None,
                 "q95": float(np.quantile(null, 0.95)) if null.size else None,
                 "p_value": float((1 + (null >= q - 1e-12).sum()) / (1 + null.size)) if null.size else None},
        "cohesion": "mean co-assignment of a frame's topics (one-topic frame: share of partitions where it is "
                    "alone); co-assignment = share of Louvain partitions putting two topics in one frame "
                    "(Lancichinetti & Fortunato 2012)",
        "ari": "adjusted Rand index (Hubert & Arabie 1985), mean over pairs of partitions",
        "n_topic_pairs": len(topic_pairs)}
    for table in (frames, co, partitions, agreement):
        table.attrs.update(louvain_seeds=seeds, topic_seeds=run_seeds, threshold=threshold)
    return FrameStability(frames, co, partitions, agreement, null, summary)
