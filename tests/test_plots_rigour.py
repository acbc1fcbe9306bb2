"""framescope.analysis.plots.rigour: keyness review matrix, collocation network, robustness dot plot,
drawn from small tables written here; PDF + PNG written; bad tables refused."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from PIL import Image

from framescope.analysis import plots
from framescope.analysis.plots.rigour import radial_layout
from framescope.corpus.errors import FramescopeError

AR = "التحالف"


def review_frame():
    # four target terms (G² > 0) and one reference term; 'daesh' passes everything
    return pd.DataFrame({
        "term": ["terrorists", "daesh", "afp", "town", "u.n."],
        "lang": ["en"] * 5,
        "g2": [77.0, 80.0, 30.0, 20.0, -50.0],
        "log_ratio": [6.4, 5.8, 5.0, 2.4, -3.0],
        "lrc": [1.8, 1.3, 0.0, 0.2, -0.9],
        "sig_g2": [True, True, True, True, True],
        "sig_lrc": [True, True, False, True, True],
        "sig_wilcoxon": [False, True, False, False, True],
        "sig_bootstrap": [True, True, True, False, True],
        "sig_docs": [True, True, False, False, False],
    })


def _filled(ax) -> int:
    """Markers drawn with a solid face (passed tests) in the matrix axes."""
    n = 0
    for c in ax.collections:
        if isinstance(c, PathCollection) and len(c.get_offsets()):
            face = c.get_facecolor()
            if len(face) and face[0][:3].tolist() != [1.0, 1.0, 1.0]:
                n += len(c.get_offsets())
    return n


def test_keyness_review_plot_rows_columns_and_counts(tmp_path):
    fig = plots.plot_keyness_review(review_frame(), n=3)
    ax = fig.axes[0]
    # rows top to bottom by G²: daesh (80), terrorists (77), afp (30); 'town' is 4th, 'u.n.' reference
    ticks = dict(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()]))
    assert [ticks[y] for y in sorted(ticks, reverse=True)] == ["daesh", "terrorists", "afp"]
    headers = [t.get_text() for t in ax.get_xticklabels()]
    assert headers[0].startswith("G") and headers[-1] == "all tests" and len(headers) == 6
    # survivors per column under the matrix: G² 3, LRC 2, Wilcoxon 1, bootstrap 3, docs 2, all 1
    counts = [c for c in ax.child_axes if c.get_xlabel().startswith("passed")][0]
    assert [t.get_text() for t in counts.get_xticklabels()] == ["3", "2", "1", "3", "2", "1"]
    assert _filled(ax) == 3 + 2 + 1 + 3 + 2 + 1
    pdf, png = plots.save(fig, "review", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    with Image.open(png) as im:
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.5)
    # the reference side: only 'u.n.'
    fig = plots.plot_keyness_review(review_frame(), side="reference")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["u.n."]


def test_keyness_review_plot_refuses_bad_tables():
    with pytest.raises(FramescopeError, match="lacks column.*lrc"):
        plots.plot_keyness_review(review_frame().drop(columns="lrc"))
    with pytest.raises(FramescopeError, match="none of the test columns"):
        plots.plot_keyness_review(review_frame().drop(columns=[c for c in review_frame() if c.startswith("sig_")]))
    with pytest.raises(FramescopeError, match="unknown test"):
        plots.plot_keyness_review(review_frame(), tests=["sig_chi2"])
    family = pd.concat([review_frame().assign(comparison="a vs b"), review_frame().assign(comparison="a vs c")])
    with pytest.raises(FramescopeError, match="2 comparisons: pass comparison="):
        plots.plot_keyness_review(family)
    family["target"], family["reference"] = "a", family["comparison"].str[-1]
    fig = plots.plot_keyness_review(family, comparison="a vs c", n=2, side="reference")
    assert len(fig.axes[0].get_yticklabels()) == 1 and fig.get_suptitle() == "top 1 keyword of c by G\u00b2"
    with pytest.raises(FramescopeError, match="no term is key for the target"):
        plots.plot_keyness_review(review_frame()[review_frame()["g2"] < 0])


def edge_frame(root="coalition"):
    rows = [(root, "us-led", 1, 12.9, 492, 202), (root, "strikes", 1, 11.2, 492, 657),
            (root, "civilians", 1, 10.6, 492, 1142), ("us-led", "strikes", 2, 11.3, 202, 657),
            ("strikes", "air", 2, 13.1, 657, 736), ("strikes", "killed", 2, 11.0, 657, 2151),
            ("civilians", "killed", 2, 12.5, 1142, 2151), ("civilians", "children", 2, 11.6, 1142, 557)]
    out = pd.DataFrame(rows, columns=["source", "target", "depth", "value", "f_node", "f_collocate"])
    out["measure"], out["span"], out["lang"], out["o11"] = "logdice", 5, "en", 10
    out.attrs["node_token"] = root
    return out


def test_radial_layout_rings_and_shared_words():
    edges = edge_frame()
    levels = pd.Series({"coalition": 0, "us-led": 1, "strikes": 1, "civilians": 1, "air": 2, "killed": 2,
                        "children": 2})
    pos = radial_layout(edges, "coalition", levels)
    assert np.allclose(pos["coalition"], 0)
    for w in ("us-led", "strikes", "civilians"):
        assert np.hypot(*pos[w]) == pytest.approx(1.0)
    assert np.allclose(pos["us-led"], [0, 1])  # the strongest collocate on top
    for w in ("air", "killed", "children"):
        assert 1.8 < np.hypot(*pos[w]) < 2.3
    # 'air' (child of strikes only) lies nearer strikes than civilians
    assert np.hypot(*(pos["air"] - pos["strikes"])) < np.hypot(*(pos["air"] - pos["civilians"]))


def test_collocation_network_plot(tmp_path):
    fig = plots.plot_collocation_network(edge_frame())
    ax = fig.axes[0]
    texts = {t.get_text(): t for t in ax.texts}
    # the root: white on a black box; every other word labelled; the root's three edges carry the measure
    assert texts["coalition"].get_color() == "white"
    assert texts["coalition"].get_bbox_patch().get_facecolor()[:3] == (0.0, 0.0, 0.0)
    assert {"us-led", "strikes", "civilians", "air", "killed", "children"} <= set(texts)
    assert {"12.9", "11.2", "10.6"} <= set(texts) and "13.1" not in texts
    nodes = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert nodes == 6  # the collocates; the root is its label's box
    # node area grows with frequency: 'killed' (2151) is drawn larger than 'children' (557)
    level1, level2 = [c for c in ax.collections if isinstance(c, PathCollection)]
    sizes = dict(zip(["air", "killed", "children"], level2.get_sizes()))
    assert sizes["killed"] > sizes["air"] > sizes["children"]
    assert max(level1.get_sizes()) < sizes["killed"]  # civilians (1142) < killed (2151)
    assert "radial layout" in fig.get_suptitle() and fig.get_figwidth() == pytest.approx(3.5)
    pdf, png = plots.save(fig, "network", tmp_path)
    assert pdf.stat().st_size > 1000 and png.stat().st_size > 10_000
    # the spring layout is seeded: same seed, same picture
    a = plots.plot_collocation_network(edge_frame(), layout="spring", seed=3, edge_labels="all")
    b = plots.plot_collocation_network(edge_frame(), layout="spring", seed=3, edge_labels="all")
    pa = [t.get_position() for t in a.axes[0].texts]
    assert pa == [t.get_position() for t in b.axes[0].texts] and "13.1" in {t.get_text() for t in a.axes[0].texts}
    ar = plots.plot_collocation_network(edge_frame(AR), edge_labels="none")
    root = [t for t in ar.axes[0].texts if t.get_text() == AR][0]
    assert root.get_fontfamily()[0] == "Noto Sans Arabic"


def test_collocation_network_plot_refuses_bad_tables():
    with pytest.raises(FramescopeError, match="lacks column.*f_collocate"):
        plots.plot_collocation_network(edge_frame().drop(columns="f_collocate"))
    with pytest.raises(FramescopeError, match="root 'army' is not in the edge table"):
        plots.plot_collocation_network(edge_frame(), root="army")
    with pytest.raises(FramescopeError, match="layout must be"):
        plots.plot_collocation_network(edge_frame(), layout="circle")
    with pytest.raises(FramescopeError, match="is empty"):
        plots.plot_collocation_network(edge_frame().iloc[:0])


def robustness_frame():
    rows = [("keyness", "stem", "True", 0.54, 0.59), ("keyness", "numbers", "drop", 1.0, 1.0),
            ("keyness", "phrases", "986 detected", 0.6, 0.58), ("collocates", "stem", "True", 0.67, 0.87),
            ("collocates", "numbers", "drop", 0.9, 0.98), ("collocates", "phrases", "986 detected", 0.38, 0.31)]
    out = pd.DataFrame(rows, columns=["analysis", "choice", "setting", "jaccard", "spearman"])
    out["k"] = 20
    return out


def test_robustness_plot_orders_choices_by_stability(tmp_path):
    fig = plots.plot_robustness(robustness_frame())
    ax = fig.axes[0]
    ticks = dict(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()]))
    # mean Jaccard: phrases .49, stem .605, numbers .95 → least stable on top
    assert [ticks[y] for y in sorted(ticks, reverse=True)] == ["phrases \u2192 986 detected", "stem \u2192 on",
                                                             "numbers \u2192 drop"]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["keyness (top 20)", "collocates (top 20)"]
    assert ax.get_xlabel().startswith("Jaccard") and fig.axes[1].get_xlabel().startswith("Spearman")
    pdf, png = plots.save(fig, "robustness", tmp_path)
    assert pdf.is_file() and png.is_file()
    with pytest.raises(FramescopeError, match="lacks column.*spearman"):
        plots.plot_robustness(robustness_frame().drop(columns="spearman"))
