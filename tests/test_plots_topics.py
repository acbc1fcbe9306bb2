"""Topic figures a referee prints unchanged (issue 18): nothing cut with an ellipsis, labels off
the nodes, one meaning per colour, the K rule drawn and explained."""
from __future__ import annotations

import numpy as np
import pandas as pd

from framescope.analysis import plots
from framescope.analysis.plots import style
from framescope.analysis.plots.style import PALETTE


def _texts(fig) -> list[str]:
    fig.draw_without_rendering()
    out = []
    for artist in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible()):
        out.append(artist.get_text())
    return out


def _k_table(npmi: dict) -> pd.DataFrame:
    rows = [{"k": k, "seed": s, "coherence_npmi": v, "perplexity": 700 + k, "n_train": 90, "n_heldout": 10}
            for k, values in npmi.items() for s, v in enumerate(values)]
    return pd.DataFrame(rows)


def test_topic_k_draws_the_one_standard_error_rule_and_says_why():
    from framescope.analysis.topics import k_choice

    # seed sd 0.01 at every K: standard error 0.01 / sqrt(3) = 0.0058; best 0.170 (K = 12), threshold 0.1642
    table = _k_table({4: [0.10, 0.12, 0.11], 8: [0.156, 0.176, 0.166], 12: [0.16, 0.18, 0.17], 16: [0.12, 0.14, 0.13]})
    choice = k_choice(table)
    assert choice["best_k"] == 12 and choice["recommended_k"] == 8  # 0.166 reaches 0.1642
    fig = plots.plot_topic_k(table, recommended=choice["recommended_k"], best=choice["best_k"],
                             threshold=choice["threshold"])
    ax = fig.axes[0]
    dotted = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert len(dotted) == 1 and np.allclose(dotted[0].get_ydata(), choice["threshold"])
    note = fig.get_supxlabel()  # two panels: no spare one, the note under them
    assert "K = 8, the smallest K whose mean c_NPMI reaches the dotted line" in note.replace("\n", " ")
    assert "ringed, K = 12" in note.replace("\n", " ") and "edge" not in note
    assert style.figure_problems(fig) == []
    # every K within one standard error: the figure says the search cannot choose
    flat = _k_table({4: [0.1, 0.2, 0.15], 8: [0.12, 0.18, 0.16], 12: [0.2, 0.1, 0.16]})
    c = k_choice(flat)
    fig = plots.plot_topic_k(flat, recommended=c["recommended_k"], best=c["best_k"], threshold=c["threshold"])
    note = fig.get_supxlabel().replace("\n", " ")
    assert "No K is distinguishable" in note and "a smaller K may do as well" in note


def test_perplexity_axis_is_linear_when_it_does_not_span_orders_of_magnitude():
    table = _k_table({4: [0.1, 0.12], 8: [0.15, 0.16], 12: [0.1, 0.11]})
    fig = plots.plot_topic_k(table, recommended=8)
    assert fig.axes[1].get_yscale() == "linear"
    table["perplexity"] = table["k"] ** 4
    assert plots.plot_topic_k(table, recommended=8).axes[1].get_yscale() == "log"


def test_long_topic_labels_are_wrapped_not_cut():
    label = "T3 \u0648\u0632\u0627\u0631\u0647 (ministry) \u00b7 \u0645\u062c\u0644\u0633 (council) \u00b7 " \
            "\u0627\u062f\u0627\u0631\u0647 (administration of very long glosses) \u00b7 extra words here"
    prev = pd.DataFrame({"topic": [3, 3, 4, 4], "group": ["a", "b", "a", "b"], "mean": [0.1, 0.2, 0.3, 0.2],
                         "mean_low": [0.05, 0.1, 0.2, 0.1], "mean_high": [0.15, 0.3, 0.4, 0.3]})
    fig = plots.plot_topic_prevalence(prev, labels={3: label, 4: "T4 short"})
    texts = _texts(fig)
    assert not any("\u2026" in t for t in texts)
    wrapped = [t for t in texts if t.replace("\u200e", "").startswith("T3")]
    assert len(wrapped) == 1 and "\n" in wrapped[0]
    words = wrapped[0].replace("\u200e", "").replace("\n", " ").replace("\u00b7 ", "").split()
    assert words == label.replace("\u00b7 ", "").split()  # every word kept, in order
    assert style.figure_problems(fig) == []


def test_frame_network_labels_stay_off_the_nodes_and_colours_mean_one_thing():
    rng = np.random.default_rng(3)
    n = 12
    nodes = pd.DataFrame({"topic": range(n), "label": [f"T{t} aleppo \u00b7 regime \u00b7 word{t}" for t in range(n)],
                          "prevalence": rng.uniform(0.02, 0.2, n), "frame": [0] * 7 + [1] * 5})
    edges = pd.DataFrame([(i, j, rng.uniform()) for i in range(n) for j in range(i + 1, n)],
                         columns=["source", "target", "weight"])
    groups = ["wire", "state", "partisan", "anti"]
    prev = pd.DataFrame([{"frame": f, "group": g, "mean": 0.5, "mean_low": 0.4, "mean_high": 0.6}
                         for f in (0, 1) for g in groups])
    stab = pd.DataFrame({"frame": [0, 1], "cohesion": [1.0, 1.0], "cohesion_runs": [0.52, 0.77],
                         "stable": [False, True]})
    labels = {0: "F0 (T0, T1, T2, T3, T4, T5, T6): aleppo \u00b7 terrorist \u00b7 injured | terrorists \u00b7 army",
              1: "F1 (T7, T8, T9, T10, T11): chemical \u00b7 regime \u00b7 weapons | aleppo \u00b7 russian"}
    # frames that hold (p < 0.05; with p >= 0.05 no frame is drawn: tests/test_frames.py)
    summary = {"threshold": 0.75, "single_seed_modularity": 0.092, "null": {"mean": 0.079, "p_value": 0.01}}
    fig = plots.plot_frame_network(nodes, edges, prev, frame_labels=labels, groups=groups, stability=stab,
                                   stability_summary=summary)
    assert style.figure_problems(fig) == []
    net_ax = fig.axes[0]
    note = net_ax.get_title(loc="left")
    assert "cohesion < 0.75" in note and "0.092, 0.079 with edge weights shuffled (p = 0.01)" in note
    assert "not above chance" not in note
    legend = [t.get_text() for t in net_ax.get_legend().get_texts()]
    assert not any("\u2026" in t for t in _texts(fig))
    assert "[unstable: cohesion 1.00 across Louvain seeds, 0.52 across topic seeds]" in legend[0].replace("\n", " ")
    # no node label covers a node (marker boxes from the scatter sizes)
    fig.draw_without_rendering()
    scale = fig.dpi / 72
    boxes = []
    for coll in net_ax.collections:
        if not len(coll.get_offsets()):
            continue
        (x, y), r = net_ax.transData.transform(coll.get_offsets()[0]), np.sqrt(coll.get_sizes()[0]) / 2 * scale
        boxes.append((x - r, y - r, x + r, y + r))
    assert len(boxes) == n
    for text in net_ax.texts:
        b = text.get_window_extent()
        for x0, y0, x1, y1 in boxes:
            assert b.x1 <= x0 + 1 or b.x0 >= x1 - 1 or b.y1 <= y0 + 1 or b.y0 >= y1 - 1, text.get_text()
    # frame colours are none of the group colours of the prevalence panel
    frame_colours = {tuple(np.round(c.get_edgecolor()[0][:3], 3)) for c in net_ax.collections if len(c.get_offsets())}
    group_colours = {tuple(np.round(np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)]) / 255, 3)) for h in PALETTE[:4]}
    assert frame_colours and not frame_colours & group_colours


def test_topic_labels_follow_frex_like_the_topic_words_figure():
    terms = pd.DataFrame({"topic": [0, 0, 0], "term": ["aleppo", "rocket", "shells"], "rank": [1, 2, 3],
                          "frex_rank": [3, 1, 2], "weight": [0.3, 0.2, 0.1], "frex": [0.1, 0.9, 0.5]})
    assert plots.topic_labels(terms, n=2) == {0: "T0 rocket \u00b7 shells"}
    assert plots.topic_labels(terms.drop(columns=["frex_rank", "frex"]), n=2) == {0: "T0 aleppo \u00b7 rocket"}


def test_a_long_k_note_grows_the_figure_instead_of_running_off_it():
    """Two K at the edge of the grid, none distinguishable: the longest note (it once pushed
    the tick labels off the figure in notebook 04's quick run)."""
    from framescope.analysis.topics import k_choice

    rows = [dict(k=k, seed=s, coherence_npmi=v, coherence_cv=0.4 + v, coherence_umass=-2 + v, exclusivity=8 + v,
                 perplexity=3000 + 100 * v, n_train=1000, n_heldout=100)
            for k, vals in {3: [-0.05, -0.02], 4: [-0.075, -0.01]}.items() for s, v in enumerate(vals)]
    table = pd.DataFrame(rows)
    c = k_choice(table)
    fig = plots.plot_topic_k(table, recommended=c["recommended_k"], best=c["best_k"], threshold=c["threshold"])
    assert style.figure_problems(fig) == []
    note = [t for t in fig.axes[5].texts if "No K is distinguishable" in t.get_text().replace("\n", " ")]
    fig.draw_without_rendering()
    assert len(note) == 1 and note[0].get_window_extent().y0 >= 0 and fig.get_figheight() > 0.6 + 1.6 * 2
