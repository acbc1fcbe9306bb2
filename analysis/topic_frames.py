"""Frames as communities of topics: the Analysis of Topic Model Networks (ANTMN) of
Walter & Ophir (2019), "News Frame Analysis: An Inductive Mixed-Method Computational
Approach", *Communication Methods and Measures* 13(4), 248–266.

A frame, in their account, is a package of themes that news stories use together; in a
topic model it appears as a group of topics that co-occur in the same documents. The
steps (each a function; :func:`frame_network` and :func:`frame_prevalence` chain them)::

    net = frame_network(theta, labels=topic_labels, seed=0)     # nodes, edges, frames
    comp = frame_prevalence(theta, net, group_labels, n_boot=1000, seed=0)
    net.write_graphml("frames.graphml")

Network
    Nodes are the K topics, with weight = corpus prevalence (mean θ_dk over documents,
    Walter & Ophir's "topic size"). Edges join every pair of topics, weighted by how
    much they co-occur in documents: with ``weighting='cosine'`` (ANTMN's choice, their
    R function ``network_from_LDA``) the cosine similarity of the two topics' columns of
    the document-topic matrix, w_jk = Σ_d θ_dj θ_dk / (‖θ_·j‖ ‖θ_·k‖) ∈ [0, 1];
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
    ``networkx.community.louvain_communities(G, weight='weight', resolution=γ, seed=seed)``
    — the method ANTMN reports. Frames are numbered by prevalence (frame 0 the largest;
    ties by the lowest topic number). A document's frame proportion is the sum of the
    proportions of the frame's topics, F_df = Σ_{k ∈ f} θ_dk (rows sum to 1).

Frame prevalence by group (:func:`frame_prevalence`)
    Mean F_df per group with percentile document-bootstrap CIs, and differences between
    groups, exactly as :func:`analysis.topics.compare_groups` does for topics.

Tables (tidy):
    nodes       topic, label, prevalence, frame, degree, strength, stable
    edges       source, target, weight, similarity (the raw cosine or correlation)
    frames      frame, n_topics, topics (space-separated), prevalence, label
    prevalence  frame, group, mean, ci_low, ci_high, n_docs
    differences group_a, group_b, frame, mean_a, mean_b, diff, ci_low, ci_high, rank
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.topics import GroupComparison, compare_groups
from corpus.errors import FramescopeError

__all__ = ["FrameOptions", "FrameNetwork", "WEIGHTINGS", "topic_similarity", "disparity_filter", "frame_network",
           "frame_proportions", "frame_prevalence"]

#: Edge weightings: ANTMN's cosine similarity, or Pearson correlation.
WEIGHTINGS = ("cosine", "correlation")


@dataclass(frozen=True)
class FrameOptions:
    """Settings of :func:`frame_network` (all recorded in run.json).

    weighting:  'cosine' (Walter & Ophir 2019) or 'correlation' of document-topic columns.
    min_weight: drop edges with weight ≤ this (negative edges are always dropped).
    backbone:   None, or α of the disparity filter (Serrano et al. 2009), e.g. 0.05.
    resolution: Louvain resolution γ (1 = standard modularity; larger → more frames).
    seed:       Louvain's random seed.
    """

    weighting: str = "cosine"
    min_weight: float = 0.0
    backbone: float | None = None
    resolution: float = 1.0
    seed: int = 0

    def __post_init__(self):
        if self.weighting not in WEIGHTINGS:
            raise FramescopeError(f"frame edge weighting must be {' or '.join(WEIGHTINGS)}, not {self.weighting!r}")
        if not np.isfinite(self.min_weight) or not -1 <= float(self.min_weight) < 1:
            raise FramescopeError(f"the minimum edge weight must be in [-1, 1), not {self.min_weight}")
        if self.backbone is not None and not 0 < float(self.backbone) < 1:
            raise FramescopeError(f"the backbone alpha must be in (0, 1), not {self.backbone}")
        if not float(self.resolution) > 0:
            raise FramescopeError(f"the Louvain resolution must be > 0, not {self.resolution}")

    def as_dict(self) -> dict:
        return asdict(self)


def topic_similarity(theta: np.ndarray, weighting: str = "cosine") -> np.ndarray:
    """K × K similarity of the topics' document columns (diagonal 0).

    cosine: Σ_d θ_dj θ_dk / (‖θ_·j‖ ‖θ_·k‖) (Walter & Ophir 2019); correlation: Pearson r
    of θ_·j and θ_·k (a constant column correlates 0 with everything).
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
    """Result of :func:`frame_network`: ``nodes``, ``edges`` and ``frames`` tables (module
    docstring), the networkx ``graph``, the Louvain ``modularity`` and the ``options``."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    frames: pd.DataFrame
    graph: object
    modularity: float
    options: FrameOptions

    @property
    def n_frames(self) -> int:
        return len(self.frames)

    def membership(self) -> np.ndarray:
        """Frame of each topic (index = topic)."""
        return self.nodes.sort_values("topic")["frame"].to_numpy()

    def frame_labels(self) -> dict:
        """{frame: 'F0 …'} for figures."""
        return dict(zip(self.frames["frame"], self.frames["label"]))

    def metadata(self) -> dict:
        return {**self.options.as_dict(), "n_frames": self.n_frames, "modularity": self.modularity,
                "n_edges": len(self.edges), "method": "ANTMN (Walter & Ophir 2019): topic network, Louvain "
                "communities (networkx louvain_communities)",
                "edge_rule": _edge_rule(self.options)}

    def write_graphml(self, path) -> Path:
        """GraphML (networkx ``write_graphml``), replaced atomically. Node attributes: label,
        prevalence, frame, degree, strength, stable (when known); edge attribute weight and
        similarity. Node ids are the topic numbers as strings."""
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


def frame_network(theta: np.ndarray, labels: Mapping[int, str] | Sequence[str] | None = None,
                  options: FrameOptions = FrameOptions(), stable: Sequence | None = None) -> FrameNetwork:
    """The ANTMN topic network of ``theta`` (n_docs × K) and its frames (Louvain).

    ``labels``: a label per topic (e.g. its top words; default 'T0', 'T1', …);
    ``stable``: the topics' stability flags, carried into the nodes. See the module
    docstring for the weighting, the edge rule and the numbering of frames.
    """
    import networkx as nx

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
    sim = topic_similarity(theta, options.weighting)
    keep = sim > max(0.0, float(options.min_weight))
    if options.backbone is not None:
        keep &= disparity_filter(np.where(keep, sim, 0.0), float(options.backbone))
    prevalence = theta.mean(axis=0)
    g = nx.Graph()
    for t in range(k):
        g.add_node(str(t), topic=t, label=names[t], prevalence=float(prevalence[t]))
    iu, ju = np.nonzero(np.triu(keep, 1))
    for i, j in zip(iu, ju):
        g.add_edge(str(i), str(j), weight=float(sim[i, j]), similarity=float(sim[i, j]))
    communities = nx.community.louvain_communities(g, weight="weight", resolution=float(options.resolution),
                                                   seed=int(options.seed))
    groups = [sorted(int(n) for n in c) for c in communities]
    groups.sort(key=lambda c: (-prevalence[c].sum(), c[0]))
    member = np.empty(k, dtype=np.int64)
    for f, members in enumerate(groups):
        member[members] = f
    modularity = float(nx.community.modularity(g, [{str(t) for t in c} for c in groups], weight="weight",
                                               resolution=float(options.resolution))) if g.number_of_edges() else 0.0
    degree = dict(g.degree())
    strength = dict(g.degree(weight="weight"))
    for t in range(k):
        node = g.nodes[str(t)]
        node["frame"] = int(member[t])
        node["degree"] = int(degree[str(t)])
        node["strength"] = float(strength[str(t)])
        if stable_flags is not None and not pd.isna(stable_flags[t]):
            node["stable"] = bool(stable_flags[t])
    g.graph.update({"weighting": options.weighting, "edge_rule": _edge_rule(options), "modularity": modularity,
                    "louvain_seed": int(options.seed), "resolution": float(options.resolution)})
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
    return FrameNetwork(nodes, edges, frames, g, modularity, options)


def _words(label: str) -> str:
    """'T3 coalition · strike' → 'coalition · strike' (a topic label without its number)."""
    head, _, rest = label.partition(" ")
    return rest if rest and head[:1] == "T" and head[1:].isdigit() else label


def frame_proportions(theta: np.ndarray, network: FrameNetwork | Sequence[int]) -> np.ndarray:
    """n_docs × F frame proportions F_df = Σ_{k in frame f} θ_dk."""
    theta = _check_theta(theta)
    member = network.membership() if isinstance(network, FrameNetwork) else np.asarray(network, dtype=np.int64)
    if len(member) != theta.shape[1]:
        raise FramescopeError(f"frame membership has {len(member)} topics, theta {theta.shape[1]}")
    n_frames = int(member.max()) + 1
    onehot = np.zeros((theta.shape[1], n_frames))
    onehot[np.arange(len(member)), member] = 1.0
    return theta @ onehot


def frame_prevalence(theta: np.ndarray, network: FrameNetwork, labels, contrasts=None, n_boot: int = 1000,
                     ci: float = 0.95, seed: int = 0) -> GroupComparison:
    """Mean frame proportion per group and differences between groups, with percentile
    document-bootstrap CIs (:func:`analysis.topics.compare_groups` on the frame
    proportions of :func:`frame_proportions`). Tables as compare_groups', with ``frame``
    in place of ``topic`` and the frame ``label`` added."""
    comp = compare_groups(frame_proportions(theta, network), labels, contrasts, n_boot, ci, seed)
    names = network.frame_labels()
    tables = []
    for table in (comp.prevalence, comp.differences):
        table = table.rename(columns={"topic": "frame"})
        table["label"] = table["frame"].map(names)
        table.attrs["ci"] = ci
        tables.append(table)
    return GroupComparison(tables[0], tables[1], comp.n_boot, comp.ci, comp.seed)
