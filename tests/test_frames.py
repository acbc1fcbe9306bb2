"""Consensus topics, the method of composition and ANTMN frame networks (issue 10):
hand-built matrices with known answers, and one small FA-KES run through the library and
the command line."""
from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import plots
from analysis.topic_frames import (FrameOptions, disparity_filter, frame_network, frame_prevalence, frame_proportions,
                                   topic_similarity)
from analysis.topics import (LdaOptions, bag_of_words, bootstrap_group_means, consensus_topics, prevalence_effects,
                             prevalence_effects_composition, run_topics, topic_stability)
from corpus.cli import main
from corpus.errors import FramescopeError
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
    assert prev.loc[(0, "a"), ["mean", "ci_low", "ci_high"]].tolist() == pytest.approx([0.8, 0.8, 0.8])
    b = prev.loc[(0, "b")]
    assert b["mean"] == pytest.approx(0.3) and 0.2 < b["ci_low"] < 0.3 < b["ci_high"] < 0.4
    # ± 1.96 · 0.1/√40 ≈ ± 0.031 for the mean of ±0.1 around 0.3
    assert b["ci_high"] - b["ci_low"] == pytest.approx(2 * 1.96 * 0.1 / np.sqrt(n), rel=0.25)
    reps = bootstrap_group_means(props, labels, 400, 5)  # the same draws as compare_groups
    assert b["ci_low"] == pytest.approx(np.quantile(reps["b"][:, 0], 0.025))
    d = comp.differences.set_index("frame").loc[0]
    assert d["diff"] == pytest.approx(0.5) and d["ci_low"] < 0.5 < d["ci_high"] and d["ci_low"] > 0.45
    assert list(comp.prevalence.columns[:6]) == ["frame", "group", "mean", "ci_low", "ci_high", "n_docs"]


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
    assert [t.get_text() for t in net_ax.get_legend().get_texts()] == [net.frame_labels()[0], net.frame_labels()[1]]
    assert any(t.get_text().endswith("\u2020") for t in net_ax.texts)  # the unstable topic is marked
    assert [t.get_text() for t in prev_ax.get_legend().get_texts()] == ["state media", "wire"]
    pdf, png = plots.save(fig, "frames", tmp_path)
    assert png.stat().st_size > 10_000 and pdf.is_file()
    # the layout is seeded: same tables, same positions
    assert plots.topics.frame_layout(net.nodes, net.edges, 0) == plots.topics.frame_layout(net.nodes, net.edges, 0)
    with pytest.raises(FramescopeError, match="lacks column"):
        plots.plot_frame_network(net.nodes.drop(columns="frame"), net.edges)


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
    assert ols["ci_high"] - ols["ci_low"] < 1e-9 and ols["estimate"] == pytest.approx(0.4)
    assert comp["ci_low"] < 0.4 < comp["ci_high"]
    assert comp["estimate"] == pytest.approx(0.4, abs=0.02)
    assert 0.04 < comp["std_error"] < 0.07
    # with documents that differ within groups, composition is still wider than point-θ OLS
    rng = np.random.default_rng(3)
    g2 = gamma * rng.uniform(0.5, 1.5, size=gamma.shape)
    comp2 = _coef(prevalence_effects_composition(g2, design, n_sims=100, n_draws=50, seed=1))
    ols2 = _coef(prevalence_effects(g2 / g2.sum(axis=1, keepdims=True), design))
    assert comp2["ci_high"] - comp2["ci_low"] > 1.5 * (ols2["ci_high"] - ols2["ci_low"])
    # concentrated posteriors (c = 10⁶): nothing left to propagate, the estimate is the OLS one
    gamma, design = _two_groups(1e6)
    tight = _coef(prevalence_effects_composition(gamma, design, n_sims=50, n_draws=20, seed=1))
    assert tight["estimate"] == pytest.approx(0.4, abs=1e-3) and tight["ci_high"] - tight["ci_low"] < 0.005


def test_composition_is_seeded_and_mixes_runs():
    gamma, design = _two_groups(3.0, n=40)
    a = prevalence_effects_composition(gamma, design, n_sims=30, n_draws=20, seed=4)
    b = prevalence_effects_composition(gamma, design, n_sims=30, n_draws=20, seed=4)
    c = prevalence_effects_composition(gamma, design, n_sims=30, n_draws=20, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["estimate"], c["estimate"])
    assert list(a.columns) == ["topic", "variable", "level", "reference", "estimate", "std_error", "ci_low",
                               "ci_high", "n_docs", "n_sims", "n_draws", "seed", "se_type", "method"]
    assert set(a["method"]) == {"composition"} and set(a["seed"]) == {4} and set(a["n_sims"]) == {30}
    # two runs that disagree (0.4 and 0.0 apart): the mixture's interval spans both
    other = np.full_like(gamma, 1.5) * 1e3
    mixed = _coef(prevalence_effects_composition(np.stack([gamma * 1e3, other]), design, n_sims=200, n_draws=5,
                                                 seed=0))
    assert mixed["ci_low"] < 0.02 and mixed["ci_high"] > 0.38 and 0.1 < mixed["estimate"] < 0.3
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
    return run_topics(fakes_corpus, "en", k=6, seeds=2, seed=0, token_options=EN, lda_options=FAST, n_boot=50,
                      consensus=True, composition_sims=20, composition_draws=20, frames=True,
                      contrasts=[("state_media", "wire")])


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
    assert (d["ci_low"] <= d["diff"]).all() and (d["diff"] <= d["ci_high"]).all()
    assert np.allclose(fc.prevalence.groupby("group")["mean"].sum(), 1)


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
             "doc_topics.parquet"]
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


@pytest.mark.parametrize("args, message", [
    (["--k", "3", "--seeds", "1", "--consensus"], "--seeds 2 or more"),
    (["--k", "3", "--frames", "--frame-backbone", "2"], "backbone alpha"),
    (["--k", "3", "--composition-sims", "-1"], "composition needs sims"),
])
def test_cli_bad_frame_arguments(tmp_path, fakes_corpus, capsys, args, message):
    assert main(["topics", str(fakes_corpus.path), "--lang", "en", "--out", str(tmp_path / "o"), "--quiet",
                 *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
