"""Consensus topics, the method of composition and ANTMN frame networks (issue 10):
hand-built matrices with known answers, and one small FA-KES run through the library and
the command line."""
from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from framescope.analysis import plots
from framescope.analysis.topics.frames import (FrameOptions, frames_hold, adjusted_rand_index, coassignment, consensus_partition,
                                    disparity_filter, frame_cohesion, frame_network, frame_prevalence,
                                    frame_proportions, frame_stability, louvain_partitions, modularity_null,
                                    pairwise_ari, topic_similarity)
from framescope.analysis.topics import (LdaOptions, TopicConfig, bag_of_words, bootstrap_group_means, consensus_topics,
                             prevalence_effects, prevalence_effects_composition, run_topics, topic_stability)
from framescope.cli import main
from framescope.corpus.errors import FramescopeError
from test_topics import EN


def _blocks(n_per_block=(60, 140), seed=0) -> np.ndarray:
    """Documents of block A use topics 0–2, of block B topics 3–5 (plus 5 % noise)."""
    rng = np.random.default_rng(seed)
    parts = []
    for b, n in enumerate(n_per_block):
        part = np.zeros((n, 6))
        part[:, 3 * b:3 * b + 3] = rng.dirichlet(np.ones(3), n)
        parts.append(part)
    theta = np.vstack(parts)
    return 0.95 * theta + 0.05 * rng.dirichlet(np.ones(6), len(theta))


# --- frame networks --------------------------------------------------------------------------

@pytest.mark.parametrize("weighting", ["cosine", "correlation"])
def test_louvain_finds_the_two_topic_blocks(weighting):
    theta = _blocks()
    net = frame_network(theta, options=FrameOptions(weighting=weighting, seed=3))
    assert net.n_frames == 2
    # frames are numbered by prevalence: block B (140 documents) is frame 0
    assert net.frames["topics"].tolist() == ["3 4 5", "0 1 2"]
    assert net.membership().tolist() == [1, 1, 1, 0, 0, 0]
    assert net.modularity > 0.25
    assert np.allclose(net.frames["prevalence"], [theta[:, 3:].mean(axis=0).sum(), theta[:, :3].mean(axis=0).sum()])
    assert np.allclose(net.nodes["prevalence"], theta.mean(axis=0))
    if weighting == "correlation":  # topics of different blocks correlate negatively: no edge between blocks
        within = (net.edges["source"] // 3) == (net.edges["target"] // 3)
        assert within.all() and len(net.edges) == 6


def test_topic_similarity_and_edge_rule_by_hand():
    theta = np.array([[0.6, 0.4, 0.0], [0.2, 0.0, 0.8], [0.5, 0.5, 0.0]])
    sim = topic_similarity(theta, "cosine")
    # columns a = (.6, .2, .5), b = (.4, 0, .5), c = (0, .8, 0)
    ab = (0.24 + 0.25) / (np.sqrt(0.36 + 0.04 + 0.25) * np.sqrt(0.16 + 0.25))
    ac = 0.16 / (np.sqrt(0.65) * 0.8)
    assert sim[0, 1] == pytest.approx(ab) and sim[0, 2] == pytest.approx(ac) and sim[1, 2] == 0
    assert np.all(np.diag(sim) == 0) and np.allclose(sim, sim.T)
    corr = topic_similarity(theta, "correlation")
    assert corr[0, 1] == pytest.approx(np.corrcoef(theta[:, 0], theta[:, 1])[0, 1])
    assert corr[1, 2] < 0
    # min_weight: only the edge 0–1 (cosine ≈ 0.95) is above 0.5; b–c (cosine 0) is never an edge
    net = frame_network(theta, options=FrameOptions(min_weight=0.5))
    assert net.edges[["source", "target"]].values.tolist() == [[0, 1]]
    assert frame_network(theta).edges[["source", "target"]].values.tolist() == [[0, 1], [0, 2]]


def test_disparity_filter_by_hand():
    # node 0: edges 0.8, 0.1, 0.1 (k = 3, s = 1): α = (1 − p)² → 0.04, 0.81, 0.81
    w = np.zeros((4, 4))
    w[0, 1], w[0, 2], w[0, 3] = 0.8, 0.1, 0.1
    w = w + w.T
    keep = disparity_filter(w, 0.05)
    # 0–1 significant at node 0; nodes 1, 2, 3 have a single edge each (kept, as ANTMN's code)
    assert keep[0, 1] and keep[1, 0]
    assert keep[0, 2] and keep[0, 3]
    w[2, 3] = w[3, 2] = 0.1  # now nodes 2 and 3 have k = 2: α at 2 for 0–2 = (1 − 0.5) = 0.5
    keep = disparity_filter(w, 0.05)
    assert keep[0, 1] and not keep[0, 2] and not keep[2, 3]
    assert np.array_equal(keep, keep.T)


def test_graphml_round_trip(tmp_path):
    theta = _blocks()
    labels = [f"T{t} word{t} · other{t}" for t in range(6)]
    stable = [True, True, False, True, True, True]
    net = frame_network(theta, labels, stable=stable)
    path = net.write_graphml(tmp_path / "frames.graphml")
    g = nx.read_graphml(path)
    assert sorted(g.nodes) == [str(t) for t in range(6)]
    for _, row in net.nodes.iterrows():
        node = g.nodes[str(row["topic"])]
        assert node["label"] == row["label"] and node["frame"] == row["frame"]
        assert node["prevalence"] == pytest.approx(row["prevalence"])
        assert node["stable"] == stable[row["topic"]]
    assert g.number_of_edges() == len(net.edges)
    for e in net.edges.itertuples():
        assert g.edges[str(e.source), str(e.target)]["weight"] == pytest.approx(e.weight)
    assert g.graph["weighting"] == "cosine" and g.graph["modularity"] == pytest.approx(net.modularity)


def test_frame_prevalence_on_a_known_case():
    # frames {0, 1} and {2}; group a: every document 0.8 in frame 0; group b alternates 0.2 / 0.4
    n = 40
    theta = np.zeros((2 * n, 3))
    theta[:n] = [0.5, 0.3, 0.2]
    theta[n::2] = [0.1, 0.1, 0.8]
    theta[n + 1::2] = [0.2, 0.2, 0.6]
    labels = np.array(["a"] * n + ["b"] * n, dtype=object)
    net = frame_network(theta)
    net.nodes["frame"] = [0, 0, 1]  # the frames under test, whatever Louvain makes of 3 topics
    props = frame_proportions(theta, net)
    assert np.allclose(props[:, 0], [0.8] * n + [0.2, 0.4] * (n // 2)) and np.allclose(props.sum(axis=1), 1)
    comp = frame_prevalence(theta, net, labels, n_boot=400, seed=5)
    prev = comp.prevalence.set_index(["frame", "group"])
    assert prev.loc[(0, "a"), ["mean", "mean_low", "mean_high"]].tolist() == pytest.approx([0.8, 0.8, 0.8])
    b = prev.loc[(0, "b")]
    assert b["mean"] == pytest.approx(0.3) and 0.2 < b["mean_low"] < 0.3 < b["mean_high"] < 0.4
    # ± 1.96 · 0.1/√40 ≈ ± 0.031 for the mean of ±0.1 around 0.3
    assert b["mean_high"] - b["mean_low"] == pytest.approx(2 * 1.96 * 0.1 / np.sqrt(n), rel=0.25)
    reps = bootstrap_group_means(props, labels, 400, 5)  # the same draws as compare_groups
    assert b["mean_low"] == pytest.approx(np.quantile(reps["b"][:, 0], 0.025))
    d = comp.differences.set_index("frame").loc[0]
    assert d["diff"] == pytest.approx(0.5) and d["diff_low"] < 0.5 < d["diff_high"] and d["diff_low"] > 0.45
    assert list(comp.prevalence.columns[:6]) == ["frame", "group", "mean", "mean_low", "mean_high", "n_docs"]


def test_frame_options_and_bad_input():
    with pytest.raises(FramescopeError, match="weighting"):
        FrameOptions(weighting="jaccard")
    with pytest.raises(FramescopeError, match="backbone"):
        FrameOptions(backbone=1.5)
    with pytest.raises(FramescopeError, match="non-negative"):
        frame_network(np.array([[0.5, -0.1], [0.2, 0.8]]))
    with pytest.raises(FramescopeError, match="3 topic labels for 6 topics"):
        frame_network(_blocks(), ["a", "b", "c"])


def test_frame_network_figure(tmp_path):
    theta = _blocks()
    net = frame_network(theta, [f"T{t} word{t}" for t in range(6)], stable=[True] * 5 + [False])
    labels = np.array(["state_media"] * 100 + ["wire"] * 100, dtype=object)
    comp = frame_prevalence(theta, net, labels, n_boot=50)
    fig = plots.plot_frame_network(net.nodes, net.edges, comp.prevalence, frame_labels=net.frame_labels())
    net_ax, prev_ax = fig.axes
    # the legend wraps the frame labels (never cuts them)
    legend = [t.get_text() for t in net_ax.get_legend().get_texts()]
    assert [t.replace("\n", " ") for t in legend] == [net.frame_labels()[0], net.frame_labels()[1]]
    assert "\u2026" not in " ".join(legend)
    assert any(t.get_text().endswith("\u2020") for t in net_ax.texts)  # the unstable topic is marked
    assert [t.get_text() for t in prev_ax.get_legend().get_texts()] == ["state media (100 docs)", "wire (100 docs)"]
    pdf, png = plots.save(fig, "frames", tmp_path)
    assert png.stat().st_size > 10_000 and pdf.is_file()
    # the layout is seeded: same tables, same positions
    assert plots.topics.frame_layout(net.nodes, net.edges, 0) == plots.topics.frame_layout(net.nodes, net.edges, 0)
    with pytest.raises(FramescopeError, match="lacks column"):
        plots.plot_frame_network(net.nodes.drop(columns="frame"), net.edges)
    # an unstable frame: hollow markers, its cohesion and "unstable" in the legend
    stab = frame_stability(net).frames.assign(stable=[True, False])
    fig = plots.plot_frame_network(net.nodes, net.edges, comp.prevalence, frame_labels=net.frame_labels(),
                                   stability=stab)
    net_ax = fig.axes[0]
    legend = [t.get_text() for t in net_ax.get_legend().get_texts()]
    assert "cohesion 1.00" in legend[0] and "unstable" not in legend[0] and "[unstable: cohesion" in legend[1]
    assert "\u2026" not in " ".join(legend)
    faces = {tuple(np.round(c.get_facecolors()[0], 3)) for c in net_ax.collections if len(c.get_offsets())}
    assert (1.0, 1.0, 1.0, 1.0) in faces  # hollow (white-filled) nodes of frame 1
    assert "hollow = unstable frame" in net_ax.get_title(loc="left")


def test_frames_not_above_chance_are_not_drawn():
    """A stable partition whose modularity the shuffled-weights null reaches (p ≥ 0.05) is not
    evidence of frames: frames_hold says no, and the figure draws the network without them
    and without the prevalence panel, saying why."""
    theta = _blocks()
    net = frame_network(theta, [f"T{t} word{t}" for t in range(6)])
    labels = np.array(["state_media"] * 100 + ["wire"] * 100, dtype=object)
    comp = frame_prevalence(theta, net, labels, n_boot=50)
    st = frame_stability(net)
    assert st.frames["stable"].all()
    real = dict(st.summary, null={**st.summary["null"], "p_value": 0.01})
    chance = dict(st.summary, null={**st.summary["null"], "p_value": 0.2})
    assert frames_hold(st.frames, real) and not frames_hold(st.frames, chance)
    assert frames_hold(None, None) and frames_hold(st.frames, dict(st.summary, null={}))
    assert not frames_hold(st.frames.assign(stable=False), real)
    drawn = plots.plot_frame_network(net.nodes, net.edges, comp.prevalence, stability=st.frames,
                                     stability_summary=real)
    assert len(drawn.axes) == 2 and drawn.axes[0].get_legend() is not None
    fig = plots.plot_frame_network(net.nodes, net.edges, comp.prevalence, stability=st.frames,
                                   stability_summary=chance)
    assert len(fig.axes) == 1 and fig.axes[0].get_legend() is None  # no frames, no frame comparison
    note = " ".join(t.get_text() for t in fig.axes[0].texts).replace("\n", " ")
    assert "no more modular than the same network with its edge weights shuffled" in note and "p = 0.20" in note


# --- frame stability -------------------------------------------------------------------------

def _random_pairs(seed: int, k: int = 12, n: int = 200) -> np.ndarray:
    """No frame structure: every document mixes two topics drawn at random."""
    rng = np.random.default_rng(seed)
    theta = np.zeros((n, k))
    for d in range(n):
        pair = rng.choice(k, 2, replace=False)
        theta[d, pair] = rng.dirichlet(np.ones(2))
    return 0.98 * theta + 0.02 / k


@pytest.mark.parametrize("a, b, expected", [
    ([0, 0, 1, 2], [0, 0, 1, 1], 4 / 7),          # index 1, expected 1·2/6, max 1.5: (2/3) / (7/6)
    ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),           # index 0, expected 2·2/6, max 2
    ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2], 8 / 33),  # index 2, expected 6·3/15, max 4.5
    ([0, 0, 1, 1, 2], [5, 5, 9, 9, 7], 1.0),      # the same partition under other labels
    ([0, 1, 2, 3], [3, 2, 1, 0], 1.0),            # both all singletons (maximum = expected)
    ([0, 0, 0, 0], [0, 1, 2, 3], 0.0),            # one frame against all singletons
])
def test_adjusted_rand_index_by_hand(a, b, expected):
    assert adjusted_rand_index(a, b) == pytest.approx(expected)
    assert adjusted_rand_index(b, a) == pytest.approx(expected)
    assert pairwise_ari(np.array([a]), np.array([b]))[0, 0] == pytest.approx(expected)


def test_pair_count_ari_equals_the_contingency_formula():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 3, (15, 7)), rng.integers(0, 4, (12, 7))
    both = pairwise_ari(a, b)
    assert both.shape == (15, 12)
    assert np.allclose(both, [[adjusted_rand_index(x, y) for y in b] for x in a])
    with pytest.raises(FramescopeError, match="same length"):
        adjusted_rand_index([0, 1], [0, 1, 1])


def test_coassignment_and_cohesion_by_hand():
    parts = np.array([[0, 0, 1, 1], [0, 0, 0, 1], [0, 1, 1, 1]])
    c = coassignment(parts)
    assert np.allclose(np.diag(c), 1) and np.allclose(c, c.T)
    assert c[0, 1] == pytest.approx(2 / 3) and c[2, 3] == pytest.approx(2 / 3) and c[0, 3] == 0
    coh = frame_cohesion([0, 0, 1, 1], parts).set_index("frame")
    # frame 0 = {0, 1}: together in 2 of 3; outside = (C02 + C03 + C12 + C13) / 4 = (1/3 + 0 + 2/3 + 1/3) / 4
    assert coh.loc[0, "cohesion"] == pytest.approx(2 / 3) and coh.loc[0, "outside"] == pytest.approx(1 / 3)
    assert coh.loc[1, "cohesion"] == pytest.approx(2 / 3)
    # a one-topic frame: the share of partitions in which the topic is alone (topic 3 in the 2nd only)
    single = frame_cohesion([0, 0, 0, 1], parts).set_index("frame")
    assert single.loc[1, "cohesion"] == pytest.approx(1 / 3) and single.loc[1, "n_topics"] == 1
    assert np.isnan(frame_cohesion([0, 0, 0, 0], parts)["outside"].iloc[0])
    with pytest.raises(FramescopeError, match="partitions of 4 topics"):
        frame_cohesion([0, 1], parts)


def test_two_clear_blocks_are_stable_across_louvain_and_topic_seeds():
    theta = _blocks()
    net = frame_network(theta, options=FrameOptions(seed=3, n_seeds=20, n_null=40))
    assert net.louvain.shape == (20, 6) and net.louvain_seeds == list(range(3, 23)) and net.consensus_rounds == 0
    runs = [_blocks(seed=1), _blocks(seed=2)]  # other noise, same blocks
    st = frame_stability(net, runs, run_seeds=[10, 11])
    assert st.summary["ari_louvain_seeds"] == 1 and st.summary["ari_topic_runs"] == 1
    assert st.frames["cohesion"].tolist() == [1, 1] and st.frames["cohesion_runs"].tolist() == [1, 1]
    assert st.frames["outside"].tolist() == [0, 0] and st.frames["stable"].all() and st.unstable_frames() == []
    assert np.array_equal(st.matrix(), np.kron(np.eye(2), np.ones((3, 3))))
    assert np.array_equal(st.matrix("share_runs"), st.matrix())
    assert (st.partitions["ari_reported"] == 1).all() and len(st.partitions) == 3 * 20
    assert st.partitions["topic_seed"].isna().sum() == 20 and set(st.partitions["louvain_seed"]) == set(range(3, 23))
    assert st.agreement["comparison"].tolist() == ["louvain seeds"] * 3 + ["topic runs"]
    assert st.agreement.iloc[3][["topic_seed_a", "topic_seed_b", "n_pairs"]].tolist() == [10, 11, 400]
    # far more modular than the same weights arranged at random (1 + 0 of 40 null networks reach it)
    null = st.summary["null"]
    assert null["p_value"] == pytest.approx(1 / 41) and net.single_modularity > null["q95"] > 0
    assert st.frames.attrs["louvain_seeds"] == list(range(3, 23)) and st.frames.attrs["topic_seeds"] == [10, 11]


def test_a_network_without_frames_is_flagged_unstable():
    # one fixed draw of topics mixed at random: Louvain's frames change with its seed
    # (mean ARI 0.45), and across independent "topic runs" they share nothing (ARI ≈ 0);
    # the modularity is what the same weights give when shuffled
    opts = FrameOptions(n_null=50)
    net = frame_network(_random_pairs(1), options=opts)
    alone = frame_stability(net)
    assert alone.summary["ari_louvain_seeds"] < 0.6 and alone.summary["ari_topic_runs"] is None
    assert (alone.frames["cohesion"] < 0.75).all() and not alone.frames["stable"].any()
    assert alone.frames["cohesion_runs"].isna().all() and alone.summary["null"]["p_value"] > 0.5
    st = frame_stability(net, [_random_pairs(101), _random_pairs(201)])
    assert abs(st.summary["ari_topic_runs"]) < 0.35 and (st.frames["cohesion_runs"] < 0.6).all()
    assert st.unstable_frames() == list(range(net.n_frames))
    # Louvain can agree with itself on noise: seed stability alone does not make frames
    steady = frame_stability(frame_network(_random_pairs(2), options=opts), [_random_pairs(102)])
    assert steady.summary["ari_louvain_seeds"] == 1 and (steady.frames["cohesion"] == 1).all()
    assert (steady.frames["cohesion_runs"] < 0.75).all() and not steady.frames["stable"].any()


def test_consensus_partition_and_determinism():
    theta = _random_pairs(1)
    opts = FrameOptions(n_seeds=30, n_null=20)
    net = frame_network(theta, options=opts)
    single = frame_network(theta, options=FrameOptions(n_seeds=30, n_null=20, partition="single"))
    # the single partition is Louvain with the first seed; the consensus comes from all 30
    assert adjusted_rand_index(single.membership(), net.louvain[0]) == 1
    assert net.consensus_rounds >= 1 and np.array_equal(single.louvain, net.louvain)
    member, rounds = consensus_partition(net.louvain, net.louvain_seeds)
    assert adjusted_rand_index(member, net.membership()) == 1 and rounds == net.consensus_rounds
    # runs that agree: the consensus is that partition, in 0 rounds
    same = np.tile([0, 0, 1, 1, 2], (5, 1))
    assert consensus_partition(same, [0, 1]) == (pytest.approx([0, 0, 1, 1, 2]), 0)
    # same input and seeds: the same tables, to the bit
    again = frame_network(theta, options=opts)
    pd.testing.assert_frame_equal(net.nodes, again.nodes)
    a, b = frame_stability(net, [_random_pairs(5)]), frame_stability(again, [_random_pairs(5)])
    for name in ("frames", "coassignment", "partitions", "agreement"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert np.array_equal(a.null, b.null) and np.array_equal(modularity_null(net, 20), a.null)
    assert not np.array_equal(modularity_null(net, 20, seed=1), a.null)
    assert np.array_equal(louvain_partitions(net.graph, [4, 5]), net.louvain[4:6])


def test_frame_stability_bad_input():
    for kwargs, message in [({"n_seeds": 0}, "Louvain seeds"), ({"partition": "best"}, "consensus or single"),
                            ({"stability_threshold": 0}, "stability threshold"), ({"n_null": -1}, "null networks"),
                            ({"consensus_threshold": 1.5}, "consensus threshold")]:
        with pytest.raises(FramescopeError, match=message):
            FrameOptions(**kwargs)
    net = frame_network(_blocks(), options=FrameOptions(n_seeds=3, n_null=0))
    with pytest.raises(FramescopeError, match="needs the 6 topics"):
        frame_stability(net, [np.ones((10, 5)) / 5])
    with pytest.raises(FramescopeError, match="1 seeds for 2 topic runs"):
        frame_stability(net, [_blocks(), _blocks()], [0])
    with pytest.raises(FramescopeError, match="consensus threshold"):
        consensus_partition(net.louvain, [0], threshold=0)
    assert frame_stability(net).summary["null"]["p_value"] is None


# --- consensus topics ------------------------------------------------------------------------

def test_consensus_of_permuted_noisy_copies_recovers_the_original():
    rng = np.random.default_rng(7)
    k, v, n = 5, 80, 50
    phi = rng.dirichlet(np.full(v, 0.05), size=k)
    theta = rng.dirichlet(np.ones(k), size=n)
    perms = [rng.permutation(k) for _ in range(4)]
    runs, thetas = [], []
    for p in perms:
        noisy = phi * rng.uniform(0.8, 1.2, size=phi.shape)
        runs.append((noisy / noisy.sum(axis=1, keepdims=True))[p])
        thetas.append(theta[:, p])
    cons = consensus_topics(runs, thetas=thetas, seeds=[10, 11, 12, 13])
    # consensus topic k is topic k of the first run, i.e. original topic perms[0][k]
    original = phi[perms[0]]
    assert np.allclose(cons.theta, theta[:, perms[0]])
    # averaging the aligned copies cancels part of the noise: closer than any single run
    err = np.abs(cons.topic_word - original).sum()
    assert err < min(np.abs(r[np.argsort(p)][perms[0]] - original).sum() for r, p in zip(runs, perms))
    inverse = [np.argsort(p) for p in perms]
    for r, seed in enumerate([10, 11, 12, 13]):
        got = cons.matches[cons.matches["seed"] == seed].sort_values("topic")["matched_topic"].to_numpy()
        assert np.array_equal(got, inverse[r][perms[0]])
    table = cons.topics()
    assert table["stable"].all() and (table["stability"] > 0.8).all() and (table["n_runs"] == 4).all()
    assert np.allclose(table["prevalence"], cons.theta.mean(axis=0))
    # two runs: the pairwise stability equals topic_stability's
    two = consensus_topics(runs[:2], seeds=[10, 11])
    assert np.allclose(two.stability.topics["stability"], topic_stability(runs[:2]).topics["stability"])


def test_consensus_gammas_and_bad_input():
    rng = np.random.default_rng(0)
    phi = rng.dirichlet(np.ones(20), size=3)
    gamma = rng.gamma(2.0, size=(10, 3)) + 0.1
    cons = consensus_topics([phi, phi[[2, 0, 1]]], gammas=[gamma, gamma[:, [2, 0, 1]]])
    assert cons.gamma.shape == (2, 10, 3) and np.allclose(cons.gamma[0], cons.gamma[1])
    assert np.allclose(cons.theta, gamma / gamma.sum(axis=1, keepdims=True))
    one = consensus_topics([phi])
    assert one.topics()["stability"].isna().all() and np.allclose(one.topic_word, phi)
    with pytest.raises(FramescopeError, match="different K"):
        consensus_topics([phi, phi[:2]])
    with pytest.raises(FramescopeError, match="one n_docs"):
        consensus_topics([phi, phi], thetas=[gamma])


# --- method of composition -------------------------------------------------------------------

def _two_groups(c: float, n: int = 100):
    """Group a's posteriors Dirichlet(c·(0.7, 0.3)), group b's Dirichlet(c·(0.3, 0.7)):
    the expected difference in topic 1 (b − a) is 0.4 whatever c."""
    groups = np.array(["a"] * n + ["b"] * n, dtype=object)
    mean = np.where((groups == "a")[:, None], [0.7, 0.3], [0.3, 0.7])
    return c * mean, pd.DataFrame({"group": groups})


def _coef(table, topic=1, level="b"):
    return table[(table["topic"] == topic) & (table["level"] == level)].iloc[0]


def test_composition_covers_the_truth_and_is_wider_than_point_theta_ols():
    # diffuse posteriors (c = 2): every document's point θ is exactly its group mean, so the
    # OLS on point θ has zero residuals and a zero-width CI; the composition CI carries the
    # posterior spread: Var θ_1 = 0.7·0.3/3 = 0.07 per document → SE ≈ √(2·0.07/100) ≈ 0.037
    # from θ plus about as much from the regression's own sampling distribution.
    gamma, design = _two_groups(2.0)
    comp = _coef(prevalence_effects_composition(gamma, design, n_sims=200, n_draws=50, seed=1))
    ols = _coef(prevalence_effects(gamma / gamma.sum(axis=1, keepdims=True), design))
    assert ols["estimate_high"] - ols["estimate_low"] < 1e-9 and ols["estimate"] == pytest.approx(0.4)
    assert comp["estimate_low"] < 0.4 < comp["estimate_high"]
    assert comp["estimate"] == pytest.approx(0.4, abs=0.02)
    assert 0.04 < comp["std_error"] < 0.07
    # with documents that differ within groups, composition is still wider than point-θ OLS
    rng = np.random.default_rng(3)
    g2 = gamma * rng.uniform(0.5, 1.5, size=gamma.shape)
    comp2 = _coef(prevalence_effects_composition(g2, design, n_sims=100, n_draws=50, seed=1))
    ols2 = _coef(prevalence_effects(g2 / g2.sum(axis=1, keepdims=True), design))
    assert comp2["estimate_high"] - comp2["estimate_low"] > 1.5 * (ols2["estimate_high"] - ols2["estimate_low"])
    # concentrated posteriors (c = 10⁶): nothing left to propagate, the estimate is the OLS one
    gamma, design = _two_groups(1e6)
    tight = _coef(prevalence_effects_composition(gamma, design, n_sims=50, n_draws=20, seed=1))
    assert tight["estimate"] == pytest.approx(0.4, abs=1e-3) and tight["estimate_high"] - tight["estimate_low"] < 0.005


def test_composition_is_seeded_and_mixes_runs():
    gamma, design = _two_groups(3.0, n=40)
    a = prevalence_effects_composition(gamma, design, n_sims=30, n_draws=20, seed=4)
    b = prevalence_effects_composition(gamma, design, n_sims=30, n_draws=20, seed=4)
    c = prevalence_effects_composition(gamma, design, n_sims=30, n_draws=20, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["estimate"], c["estimate"])
    assert list(a.columns) == ["topic", "variable", "level", "reference", "estimate", "std_error", "estimate_low",
                               "estimate_high", "n_docs", "n_sims", "n_draws", "seed", "se_type", "method"]
    assert set(a["method"]) == {"composition"} and set(a["seed"]) == {4} and set(a["n_sims"]) == {30}
    # two runs that disagree (0.4 and 0.0 apart): the mixture's interval spans both
    other = np.full_like(gamma, 1.5) * 1e3
    mixed = _coef(prevalence_effects_composition(np.stack([gamma * 1e3, other]), design, n_sims=200, n_draws=5,
                                                 seed=0))
    assert mixed["estimate_low"] < 0.02 and mixed["estimate_high"] > 0.38 and 0.1 < mixed["estimate"] < 0.3
    classical = prevalence_effects_composition(gamma, design, n_sims=30, n_draws=20, seed=4, se_type="classical")
    assert set(classical["se_type"]) == {"classical"}


@pytest.mark.parametrize("kwargs, message", [
    ({"gamma": np.zeros((80, 2))}, "positive"),
    ({"gamma": np.ones((79, 2))}, "one row per document"),
    ({"n_sims": 0}, "n_sims >= 1"),
    ({"se_type": "HC1"}, "HC3 or classical"),
])
def test_composition_bad_input(kwargs, message):
    gamma, design = _two_groups(2.0, n=40)
    args = {"gamma": gamma, "design": design, **kwargs}
    with pytest.raises(FramescopeError, match=message):
        prevalence_effects_composition(**args)


# --- FA-KES ----------------------------------------------------------------------------------

FAST = LdaOptions(passes=1, chunksize=200, iterations=20)


@pytest.fixture(scope="module")
def fakes_consensus(fakes_corpus):
    return run_topics(fakes_corpus, "en", TopicConfig(k=6, n_seeds=2, seed=0, token_options=EN, lda_options=FAST,
                                                      n_boot=50, consensus=True, composition_sims=20,
                                                      composition_draws=20, frames=True,
                                                      contrasts=[("state_media", "wire")]))


def test_fakes_consensus_composition_and_frames(fakes_corpus, fakes_consensus):
    res = fakes_consensus
    cons = res.consensus
    assert res.settings["reported"] == "consensus of all runs" and res.settings["consensus"]["seeds"] == [0, 1]
    # the reported θ is the aligned mean of the two runs' proportions
    with bag_of_words(fakes_corpus, "en", EN) as bow:
        thetas = [r.document_topics(bow, seed=0) for r in res.runs]
    matches = [cons.matches[cons.matches["seed"] == s].sort_values("topic")["matched_topic"].to_numpy()
               for s in (0, 1)]
    assert np.allclose(res.theta, np.mean([t[:, m] for t, m in zip(thetas, matches)], axis=0))
    assert np.allclose(res.model.topic_word(), cons.topic_word)
    assert res.topics["stability"].tolist() == pytest.approx(cons.stability.topics["stability"].tolist())
    eff = res.effects_composition
    assert set(eff["method"]) == {"composition"} and "stable" in eff.columns
    assert (eff["variable"] == "(intercept)").sum() == 6 and set(eff["variable"]) >= {"source_type"}
    assert res.settings["composition"]["n_runs"] == 2
    net, fc = res.frames, res.frame_comparison
    assert len(net.nodes) == 6 and net.nodes["frame"].between(0, net.n_frames - 1).all()
    assert sorted(net.nodes["topic"]) == list(range(6)) and net.frames["n_topics"].sum() == 6
    d = fc.differences
    assert set(zip(d["group_a"], d["group_b"])) == {("state_media", "wire")} and len(d) == net.n_frames
    assert (d["diff_low"] <= d["diff"]).all() and (d["diff"] <= d["diff_high"]).all()
    assert np.allclose(fc.prevalence.groupby("group")["mean"].sum(), 1)
    # the frames' stability: 50 Louvain seeds on the reported network and on each run's
    fs = res.frame_stability
    assert fs.summary["topic_seeds"] == [0, 1] and fs.summary["louvain_seeds"] == list(range(50))
    assert len(fs.partitions) == 3 * 50 and list(fs.frames["frame"]) == list(range(net.n_frames))
    assert fs.frames["cohesion"].between(0, 1).all() and fs.frames["cohesion_runs"].between(0, 1).all()
    assert -1 <= fs.summary["ari_topic_runs"] <= 1 and len(fs.coassignment) == 6 * 5
    assert res.settings["frame_stability"]["null"]["n_null"] == 100


def test_fakes_frame_stability_of_the_first_run(fakes_corpus):
    # without --consensus the reported θ is the first run's: its Louvain runs are the
    # reported network's, and the second run's θ is aligned to it by the stability matches
    res = run_topics(fakes_corpus, "en", TopicConfig(k=4, n_seeds=2, seed=0, token_options=EN, lda_options=FAST,
                                                     n_boot=20, composition_sims=0,
                                                     frames=FrameOptions(n_seeds=10, n_null=10)))
    parts = res.frame_stability.partitions
    assert parts["network"].tolist() == ["reported"] * 10 + ["run"] * 20
    assert parts["topic_seed"].iloc[10:].tolist() == [0] * 10 + [1] * 10
    mine = parts[parts["topic_seed"] == 0]
    assert mine["membership"].tolist() == parts[parts["network"] == "reported"]["membership"].tolist()
    assert res.frame_stability.agreement["comparison"].tolist() == ["louvain seeds"] * 3 + ["topic runs"]
    assert res.settings["frame_stability"]["louvain_seeds"] == list(range(10))


def _cli(tmp_path, corpus, name, extra=()):
    out = tmp_path / name
    code = main(["topics", str(corpus.path), "--lang", "en", "--k", "6", "--seeds", "2", "--passes", "1",
                 "--chunksize", "200", "--iterations", "20", "--n-boot", "50", "--composition-sims", "20",
                 "--composition-draws", "20", "--consensus", "--frames", "--contrast", "state_media,wire",
                 "--quiet", "--out", str(out), *extra])
    return code, out


def test_cli_consensus_and_frames_are_byte_identical(tmp_path, fakes_corpus, capsys):
    code1, out1 = _cli(tmp_path, fakes_corpus, "one")
    code2, out2 = _cli(tmp_path, fakes_corpus, "two")
    assert code1 == code2 == 0
    files = ["effects_composition.csv", "consensus_matches.csv", "frames.csv", "frame_nodes.csv", "frame_edges.csv",
             "frame_prevalence.csv", "frame_differences.csv", "frame_network.graphml", "topics.csv",
             "doc_topics.parquet", "frame_stability.csv", "frame_coassignment.csv", "frame_partitions.csv",
             "frame_agreement.csv"]
    for name in files:
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    run = json.loads((out1 / "run.json").read_text())
    assert set(files) <= set(run["outputs"])
    assert run["frames"]["weighting"] == "cosine" and run["frames"]["seed"] == 0
    assert run["composition"]["seed"] == 0 and run["consensus"]["seeds"] == [0, 1]
    g = nx.read_graphml(out1 / "frame_network.graphml")
    nodes = pd.read_csv(out1 / "frame_nodes.csv")
    assert [g.nodes[str(t)]["frame"] for t in nodes["topic"]] == nodes["frame"].tolist()
    printed = capsys.readouterr().out
    assert "reported: consensus of all runs" in printed and "frames:" in printed
    assert "frame stability: consensus partition of 50 Louvain seeds; ARI across Louvain seeds" in printed
    stab = pd.read_csv(out1 / "frame_stability.csv")
    assert list(stab.columns) == ["frame", "n_topics", "topics", "cohesion", "outside", "cohesion_runs",
                                  "outside_runs", "stable", "label"]
    for r in stab.itertuples():
        assert f"frame {r.frame} (topics {r.topics}): cohesion {r.cohesion:.2f}" in printed
    assert run["frame_stability"]["topic_seeds"] == [0, 1] and run["frames"]["partition"] == "consensus"


@pytest.mark.parametrize("args, message", [
    (["--k", "3", "--seeds", "1", "--consensus"], "--seeds 2 or more"),
    (["--k", "3", "--frames", "--frame-backbone", "2"], "backbone alpha"),
    (["--k", "3", "--composition-sims", "-1"], "composition needs --composition-sims >= 0"),
    (["--k", "3", "--frames", "--frame-seeds", "0"], "Louvain seeds must be an integer >= 1"),
    (["--k", "3", "--frames", "--frame-stability-threshold", "1.5"], "stability threshold must be in (0, 1]"),
])
def test_cli_bad_frame_arguments(tmp_path, fakes_corpus, capsys, args, message):
    assert main(["topics", str(fakes_corpus.path), "--lang", "en", "--out", str(tmp_path / "o"), "--quiet",
                 *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_modularity_does_not_change_with_the_hash_seed():
    # networkx sums over sets of node names, whose order follows the hash seed: the demo's
    # one-community network printed "modularity 0.00" in one run and "-0.00" in the next
    import os
    import subprocess
    import sys

    script = ("import numpy as np, networkx as nx\n"
              "from framescope.analysis.topics import frames\n"
              "rng = np.random.default_rng(0)\n"
              "g = nx.Graph()\n"
              "g.add_weighted_edges_from((str(i), str(j), float(rng.uniform(0.01, 1)))\n"
              "                          for i in range(12) for j in range(i + 1, 12))\n"
              "print(repr(frames._partition_modularity(g, np.zeros(12, dtype=int), 1.0)))\n")
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip()
            for seed in range(6)}
    assert runs == {"0.0"}
