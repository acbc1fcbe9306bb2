"""Figures of the review checks: which keywords survive which test, collocation networks,
and the preprocessing sensitivity of the results.

* :func:`plot_keyness_review` — :func:`framescope.analysis.rigour.keyness_review` /
  :func:`~framescope.analysis.rigour.keyness_family`: for the top-N keywords by signed G², a term ×
  test matrix (filled square = the term passes the test in the direction of its G²,
  hollow = it does not) and, beside it, the log ratio (hollow dot, Hardie 2014) with the
  conservative log ratio LRC (filled dot, Evert 2022) it shrinks to. LRC is the bound of
  the Bonferroni-adjusted Clopper–Pearson CI of log₂(r_t / r_r) nearest to 0 (0 when the
  CI holds 0), so the gap between the two dots is the price of the uncertainty.
* :func:`plot_collocation_network` — :func:`framescope.analysis.networks.collocation_network`: a
  GraphColl-style graph (Brezina, McEnery & Wattam 2015); node area ∝ the word's
  frequency, edge width ∝ the association measure, root drawn in black, each level
  with its own colour and marker; the layout is radial (:func:`radial_layout`, levels on
  rings, no randomness) or networkx's spring layout (Fruchterman–Reingold) under a
  recorded seed, so reruns give the same picture.
* :func:`plot_robustness` — :func:`framescope.analysis.robustness.robustness`: per preprocessing
  choice, the Jaccard index ``|A ∩ B| / |A ∪ B|`` and Spearman's ρ of the top-k against the
  default run (Denny & Spirling 2018), one marker per analysis (keyness, collocates).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from framescope.analysis.plots._draw import place_labels, require, right_values, short, value_grid, zero_line
from framescope.analysis.plots.style import (GUIDE, MUTED, PALETTE, figure, group_styles, ltr, styled,
                                  text_colour_on)
from framescope.corpus.errors import FramescopeError

__all__ = ["plot_keyness_review", "plot_collocation_network", "plot_robustness", "REVIEW_TESTS"]

#: The review tests in figure order, with their column labels.
REVIEW_TESTS = {"sig_g2": "G\u00b2 (BH)", "sig_lrc": "LRC", "sig_wilcoxon": "Wilcoxon (BH)",
                "sig_bootstrap": "doc. bootstrap", "sig_docs": "dispersion"}
PASS, FAIL = PALETTE[0], "white"


def _one_comparison(table: pd.DataFrame, comparison: str | None, what: str) -> pd.DataFrame:
    if "comparison" not in table.columns:
        return table
    names = list(pd.unique(table["comparison"]))
    if comparison is None:
        if len(names) > 1:
            raise FramescopeError(f"{what}: the table has {len(names)} comparisons: pass comparison= "
                                  f"(one of {', '.join(map(repr, names[:4]))}{', ...' if len(names) > 4 else ''})")
        return table
    if comparison not in names:
        raise FramescopeError(f"{what}: no comparison {comparison!r} in the table")
    return table[table["comparison"] == comparison]


@styled
def plot_keyness_review(table: pd.DataFrame, n: int = 30, side: str = "target", comparison: str | None = None,
                        lang: str | None = None, tests=None, width="single", title: str | None = None):
    """Which of the top-``n`` keywords survive which test, and how far the conservative log ratio shrinks each.

    Takes :func:`framescope.analysis.rigour.keyness_review` output or
    :func:`~framescope.analysis.rigour.keyness_family` output with ``comparison=``. Rows top
    to bottom by ``|G²|``. Left panel: one column per test, filled square = passed, hollow
    = not, and the number of survivors under each column; the last column marks the terms
    that pass every test. Right panel: log ratio (hollow, Hardie 2014) and LRC (filled,
    Evert 2022) in log₂ units; ``|G²|`` on the right axis. Black and white survive
    greyscale print.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``term``, ``g2`` (signed: positive = key in the target), ``log_ratio``,
        ``lrc`` and the ``sig_*`` columns of the tests (booleans); ``lang`` and
        ``comparison`` when present.
    n : int, default 30
        Number of terms drawn (at least 1).
    side : {"target", "reference"}, default "target"
        ``"target"``: the ``n`` terms with the largest positive G² (key in the target);
        ``"reference"``: the most negative.
    comparison : str, optional
        Which comparison of a :func:`~framescope.analysis.rigour.keyness_family` table to
        draw; required when the table holds several.
    lang : str, optional
        Only terms of this language (when the table has a ``lang`` column); None: all.
    tests : sequence of str, optional
        Test columns to show, in this order, from :data:`REVIEW_TESTS` (``sig_g2``,
        ``sig_lrc``, ``sig_wilcoxon``, ``sig_bootstrap``, ``sig_docs``); None: all of them
        that the table has.
    width : {"single", "double"} or float, default "single"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        The term × test matrix beside a dot plot of log ratio and LRC per term.

    References
    ----------
    .. [1] Hardie, A. (2014). Log Ratio — an informal introduction. ESRC Centre for
       Corpus Approaches to Social Science (CASS), Lancaster University.
    .. [2] Evert, S. (2022). Measuring keyness. *Digital Humanities 2022*, Tokyo.
    .. [3] Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits
       illustrated in the case of the binomial. *Biometrika* 26(4), 404–413.
    """
    base = ["term", "g2", "log_ratio", "lrc"]
    table = require(table, base, "plot_keyness_review")
    table = _one_comparison(table, comparison, "plot_keyness_review")
    if lang is not None and "lang" in table.columns:
        table = table[table["lang"] == lang]
    wanted = list(REVIEW_TESTS) if tests is None else list(tests)
    unknown = [t for t in wanted if t not in REVIEW_TESTS]
    if unknown:
        raise FramescopeError(f"plot_keyness_review: unknown test {unknown[0]!r} ({', '.join(REVIEW_TESTS)})")
    present = [t for t in wanted if t in table.columns]
    if not present:
        raise FramescopeError(f"plot_keyness_review: the table has none of the test columns {', '.join(wanted)}")
    if side not in ("target", "reference"):
        raise FramescopeError(f"plot_keyness_review: side must be 'target' or 'reference', not {side!r}")
    if n < 1:
        raise FramescopeError("plot_keyness_review: n must be at least 1")
    sub = table[table["g2"] > 0] if side == "target" else table[table["g2"] < 0]
    sub = sub.reindex(sub["g2"].abs().sort_values(ascending=False, kind="mergesort").index).head(n)
    if sub.empty:
        raise FramescopeError(f"plot_keyness_review: no term is key for the {side}")
    passed = sub[present].fillna(False).astype(bool).to_numpy()
    every = passed.all(axis=1)
    cols = present + ["all"]
    grid = np.column_stack([passed, every])
    y = np.arange(len(sub))[::-1]
    height = 1.3 + 0.13 * len(sub) + (0.2 if title else 0)
    fig, (ax, ax2) = figure(width, height, 1, 2, sharey=True,
                            gridspec_kw={"width_ratios": [len(cols) * 0.9, 3.4], "wspace": 0.02})
    for j in range(len(cols)):
        ok = grid[:, j]
        colour = PALETTE[2] if cols[j] == "all" else PASS
        ax.scatter(np.full(ok.sum(), j), y[ok], marker="s", s=22, color=colour, linewidths=0, zorder=3)
        ax.scatter(np.full((~ok).sum(), j), y[~ok], marker="s", s=18, facecolors=FAIL, edgecolors="#888888",
                   linewidths=0.6, zorder=3)
    ax.axvline(len(cols) - 1.5, color=GUIDE, lw=0.6)
    ax.set_xlim(-0.6, len(cols) - 0.4)
    ax.set_ylim(-0.8, len(sub) - 0.2)
    ax.set_yticks(y, [ltr(short(t, 22)) for t in sub["term"]])
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", length=0, labelsize=7)
    for spine in ("left", "bottom"):
        ax.spines[spine].set_visible(False)
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(cols)), [REVIEW_TESTS.get(c, "all tests") for c in cols], rotation=90)
    counts = ax.secondary_xaxis("bottom")
    counts.set_xticks(range(len(cols)), [f"{int(grid[:, j].sum())}" for j in range(len(cols))])
    counts.tick_params(axis="x", length=0, labelsize=7, labelcolor=MUTED)
    counts.spines["bottom"].set_visible(False)
    counts.set_xlabel(f"passed, of {len(sub)}", fontsize=7, color=MUTED)
    # right: log ratio → LRC
    lr, lc = (np.where(np.isfinite(v), v, np.nan) for v in (sub["log_ratio"].to_numpy(float), sub["lrc"].to_numpy(float)))
    ax2.hlines(y, np.minimum(lr, lc), np.maximum(lr, lc), color="#BBBBBB", lw=1.0, zorder=1)
    ax2.plot(lr, y, "o", mfc="white", mec=PALETTE[0], mew=0.9, ms=3.6, ls="none", zorder=3)
    ax2.plot(lc, y, "o", color=PALETTE[0], ms=3.6, ls="none", zorder=4)
    zero_line(ax2)
    value_grid(ax2)
    ax2.tick_params(axis="y", length=0, left=False)
    ax2.spines["left"].set_visible(False)
    ax2.set_xlabel("log\u2082 ratio (\u25cb) \u2192 LRC (\u25cf)")
    right_values(ax2, y, [f"{abs(g):,.0f}" for g in sub["g2"]], "|G\u00b2|")
    if {"target", "reference"} <= set(sub.columns):  # a family table: the comparison's own groups
        label = sub["target" if side == "target" else "reference"].iloc[0]
    elif side == "target":
        label = table.attrs.get("target_label") or table.attrs.get("target")
    else:
        label = table.attrs.get("reference_label") or table.attrs.get("reference")
    if title or label:
        fig.suptitle(title or f"top {len(sub)} keyword{'s' if len(sub) > 1 else ''} of {short(label, 50)} by G\u00b2",
                     fontsize=7.5)
    return fig


# --- collocation network ---------------------------------------------------------------------

def _node_table(edges: pd.DataFrame, root: str) -> pd.DataFrame:
    """One row per word: frequency (f_node / f_collocate of its edges) and level."""
    freq = pd.concat([edges[["source", "f_node"]].set_axis(["word", "freq"], axis=1),
                      edges[["target", "f_collocate"]].set_axis(["word", "freq"], axis=1)])
    freq = freq.groupby("word", sort=False)["freq"].max()
    level = pd.concat([edges[["source", "depth"]].assign(depth=lambda t: t["depth"] - 1)
                       .set_axis(["word", "level"], axis=1),
                       edges[["target", "depth"]].set_axis(["word", "level"], axis=1)])
    level = level.groupby("word", sort=False)["level"].min()
    out = pd.DataFrame({"freq": freq, "level": level.reindex(freq.index)})
    out.loc[out.index == root, "level"] = 0
    return out


def radial_layout(edges: pd.DataFrame, root: str, levels: pd.Series) -> dict:
    """GraphColl-like positions: the root at the centre, level-L words on a ring of radius
    L. Level-1 words are evenly spaced in table order (strongest first, clockwise from the
    top). A deeper word aims at the angular sector of the word(s) that led to it (several:
    their circular mean); the words of a ring are then spaced evenly in the order of
    those aims, turned to stay as close to them as possible, and staggered a little in
    and out so that neighbouring labels do not collide. Deterministic: no seed needed."""
    pos = {root: np.zeros(2)}
    angle = {root: 0.0}
    depth = int(levels.max()) if len(levels) else 0
    pairs = list(edges[["source", "target"]].itertuples(index=False, name=None))
    for lv in range(1, depth + 1):
        words = [w for w in levels.index if levels[w] == lv]
        if not words:
            continue
        n = len(words)
        if lv == 1:
            for i, w in enumerate(words):
                angle[w] = np.pi / 2 - 2 * np.pi * i / n
        else:
            parents: dict = {}
            for a, b in pairs + [(t, s_) for s_, t in pairs]:
                if b in words and levels.get(a, -1) == lv - 1:
                    parents.setdefault(b, []).append(a)
            aim = {w: float(np.angle(np.mean([np.exp(1j * angle[p]) for p in parents.get(w, [root])])))
                   for w in words}
            # children of one parent: keep the table order (strongest first) within the sector
            order = sorted(words, key=lambda w: (-aim[w] % (2 * np.pi), words.index(w)))
            steps = -2 * np.pi * np.arange(n) / n
            turn = float(np.angle(np.mean(np.exp(1j * (np.array([aim[w] for w in order]) - steps)))))
            for w, st in zip(order, steps):
                angle[w] = turn + st
        for i, w in enumerate(sorted(words, key=lambda w: -angle[w] % (2 * np.pi))):
            r = lv if lv == 1 else lv + (0.22 if i % 2 else -0.08)
            pos[w] = np.array([r * np.cos(angle[w]), r * np.sin(angle[w])])
    return pos


def _outward(xy) -> tuple[int, int] | None:
    """The side (-1/0/1, -1/0/1) of a node that faces away from the centre."""
    norm = float(np.hypot(*xy))
    if norm == 0:
        return None
    d = np.asarray(xy) / norm
    return (1 if d[0] > 0.3 else -1 if d[0] < -0.3 else 0, 1 if d[1] > 0.3 else -1 if d[1] < -0.3 else 0)


@styled
def plot_collocation_network(edges: pd.DataFrame, root: str | None = None, layout: str = "radial", seed: int = 0,
                             width=None, edge_labels: str = "level1", max_nodes: int = 60,
                             title: str | None = None):
    """GraphColl-style collocation network of :func:`framescope.analysis.networks.collocation_network`.

    The root is a black node with white text; level-1 collocates and deeper ones get a
    colour and marker each (greyscale: dark circles, light squares). Node area is
    proportional to √frequency; edge width to the measure (min–max scaled over the table),
    the root's edges darker.

    Parameters
    ----------
    edges : pandas.DataFrame
        Edge table: columns ``source``, ``target``, ``level``, ``value``, ``f_node`` and
        ``f_collocate`` (``measure`` and ``span`` are read for the caption when present).
    root : str, optional
        The node word at the centre; default the table's ``node_token`` attribute, else the
        first source.
    layout : {"radial", "spring"}, default "radial"
        ``"radial"``: :func:`radial_layout`, levels on rings as GraphColl draws them;
        ``"spring"``: ``networkx.spring_layout`` (Fruchterman–Reingold) started from the
        radial positions, root fixed, weighted by the measure.
    seed : int, default 0
        Seed of the spring layout (recorded in the figure); unused by the radial layout.
    width : {"single", "double"} or float, optional
        Figure width; default: single column up to 25 words, else double.
    edge_labels : {"level1", "all", "none"}, default "level1"
        Which edges print their measure: the root's, every edge, or none.
    max_nodes : int, default 60
        At most this many words are drawn (the table's first edges: the root's strongest
        first).
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        The network, with a legend of the levels and of what edge width shows.

    References
    ----------
    .. [1] Brezina, V., McEnery, T. & Wattam, S. (2015). Collocations in context: A new
       perspective on collocation networks. *International Journal of Corpus Linguistics*
       20(2), 139–173.
    .. [2] Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by force-directed
       placement. *Software: Practice and Experience* 21(11), 1129–1164.
    .. [3] Rychlý, P. (2008). A lexicographer-friendly association score. RASLAN 2008, 6–9
       (logDice, the usual edge measure).
    """
    import networkx as nx

    edges = require(edges, ["source", "target", "depth", "value", "f_node", "f_collocate"], "plot_collocation_network")
    if edge_labels not in ("level1", "all", "none"):
        raise FramescopeError(f"plot_collocation_network: edge_labels must be level1, all or none, not {edge_labels!r}")
    if layout not in ("radial", "spring"):
        raise FramescopeError(f"plot_collocation_network: layout must be radial or spring, not {layout!r}")
    root = root or edges.attrs.get("node_token") or str(edges["source"].iloc[0])
    if root not in set(edges["source"]) | set(edges["target"]):
        raise FramescopeError(f"plot_collocation_network: the root {root!r} is not in the edge table")
    kept, words = [], {root}
    for i, r in enumerate(edges[["source", "target"]].itertuples(index=False)):
        new = {r.source, r.target} - words
        if len(words | new) > max_nodes:
            continue
        words |= new
        kept.append(i)
    edges = edges.iloc[kept]
    nodes = _node_table(edges, root)
    values = edges["value"].to_numpy(float)
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    scaled = (values - lo) / (hi - lo) if hi > lo else np.ones_like(values)
    pos = radial_layout(edges, root, nodes["level"])
    if layout == "spring":
        g = nx.Graph()
        g.add_nodes_from(nodes.index)
        for (s, t), w in zip(edges[["source", "target"]].itertuples(index=False), scaled):
            g.add_edge(s, t, weight=0.3 + w)
        pos = nx.spring_layout(g, pos=pos, fixed=[root], seed=seed, weight="weight", iterations=50,
                               k=1.0 / math.sqrt(max(len(g), 1)))
        pos = {w: np.asarray(xy) - np.asarray(pos[root]) for w, xy in pos.items()}
    if width is None:
        width = "single" if len(nodes) <= 25 else "double"
    w_in = {"single": 3.5, "double": 7.2}.get(width, width)
    fig, ax = figure(width, min(float(w_in) * (0.95 if len(nodes) <= 25 else 0.8), 6.5))
    for (s, t, lvl), w, v in zip(edges[["source", "target", "depth"]].itertuples(index=False), scaled, values):
        (x0, y0), (x1, y1) = pos[s], pos[t]
        ax.plot([x0, x1], [y0, y1], color="#444444" if lvl == 1 else "#B0B0B0", lw=0.3 + 2.2 * w,
                solid_capstyle="round", zorder=1 if lvl > 1 else 2)
        if edge_labels == "all" or (edge_labels == "level1" and lvl == 1):
            f = 0.6 if lvl == 1 else 0.5
            ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0), f"{v:.1f}", fontsize=7, color=MUTED, ha="center",
                    va="center", zorder=2.5, bbox={"boxstyle": "round,pad=0.08", "fc": "white", "ec": "none"})
    freq = nodes["freq"].to_numpy(float)
    area = 8 + 90 * np.sqrt(freq / freq.max())
    levels = sorted(int(v) for v in nodes["level"].dropna().unique() if v > 0)
    styles = group_styles([f"level {lv}" for lv in levels])
    handles = [Line2D([], [], marker="o", color=PALETTE[2], ls="none", ms=6, label=f"node: {ltr(root)}")]
    for lv in levels:
        st = styles[f"level {lv}"]
        mask = (nodes["level"] == lv).to_numpy()
        xy = np.array([pos[w] for w in nodes.index[mask]])
        ax.scatter(xy[:, 0], xy[:, 1], s=area[mask], marker=st.marker, color=st.colour, edgecolors="white",
                   linewidths=0.5, zorder=3)
        handles.append(Line2D([], [], marker=st.marker, color=st.colour, ls="none", ms=5,
                              label="collocates of the node" if lv == 1 else f"level-{lv} collocates"))
    ax.text(0, 0, root, color=text_colour_on(PALETTE[2]), fontsize=7.5, ha="center",
            va="center", zorder=6, bbox={"boxstyle": "round,pad=0.3", "fc": PALETTE[2], "ec": "white", "lw": 0.8})
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.12)
    ax.set_axis_off()
    # each word outward from the centre where that is free, else where it covers no other
    # node and no label (a word pushed outward can land on a node farther out)
    radius = dict(zip(nodes.index, np.sqrt(area) / 2))
    words = [name for name in nodes.index if name != root]
    place_labels(fig, ax, [(*pos[w], radius[w], ltr(short(w, 20))) for w in words],
                 first=[_outward(pos[w]) for w in words])
    measure = edges["measure"].iloc[0] if "measure" in edges.columns else "measure"
    span_note = f", span \u00b1{int(edges['span'].iloc[0])}" if "span" in edges.columns else ""
    how = f"spring layout, seed {seed}" if layout == "spring" else "radial layout"
    handles.append(Line2D([], [], color="#444444", lw=1.6,
                          label=f"edge width and label: {'logDice' if measure == 'logdice' else measure}"))
    fig.legend(handles=handles, loc="outside lower center", ncol=2 if width == "single" else 4, fontsize=7,
               handletextpad=0.3, columnspacing=1.0)
    fig.suptitle(title or f"collocation network of {ltr(root)}\n({len(nodes)} words, {len(edges)} edges"
                 f"{span_note}; {how})", fontsize=7)
    return fig


# --- preprocessing robustness ------------------------------------------------------------------

def _setting_label(choice, setting) -> str:
    """'stem → on', 'stopwords → off', 'numbers → drop', 'phrases → 986 detected'."""
    setting = {"True": "on", "False": "off"}.get(str(setting), str(setting))
    return f"{choice} \u2192 {short(setting, 14)}"


@styled
def plot_robustness(table: pd.DataFrame, width="single", title: str | None = None):
    """Denny & Spirling (2018) style sensitivity plot of :func:`framescope.analysis.robustness.robustness`.

    One row per preprocessing choice ("choice → setting"), ordered by the mean Jaccard over
    the analyses, the choice that moves the results most on top; one colour and marker per
    analysis. A dot at 1 means the choice leaves that top-k as it is.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``analysis``, ``choice``, ``setting``, ``jaccard`` and ``spearman``
        (``k`` and ``overlap`` for the labels when present).
    width : {"single", "double"} or float, default "single"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels sharing the rows: the Jaccard index of the top-k against the default run
        (0–1) and Spearman's ρ of the two rankings (−1–1).

    References
    ----------
    .. [1] Denny, M. J. & Spirling, A. (2018). Text preprocessing for unsupervised
       learning: Why it matters, when it misleads, and what to do about it. *Political
       Analysis* 26(2), 168–189.
    """
    table = require(table, ["analysis", "choice", "setting", "jaccard", "spearman"], "plot_robustness")
    analyses = list(pd.unique(table["analysis"]))
    styles = group_styles(analyses)
    order = (table.groupby(["choice", "setting"], sort=False)["jaccard"].mean()
             .sort_values(ascending=True, kind="mergesort"))
    rows = list(order.index)
    y = {key: i for i, key in enumerate(reversed(rows))}
    height = 0.95 + 0.16 * len(rows) + (0.2 if title else 0)
    fig, axes = figure(width, height, 1, 2, sharey=True, gridspec_kw={"wspace": 0.08})
    offsets = np.linspace(-0.14, 0.14, len(analyses)) if len(analyses) > 1 else [0.0]
    for a, dy in zip(analyses, offsets):
        part = table[table["analysis"] == a]
        st = styles[a]
        ys = np.array([y[(c, s)] for c, s in zip(part["choice"], part["setting"])]) + dy
        k = int(part["k"].iloc[0]) if "k" in part.columns and len(part) else None
        label = f"{a} (top {k})" if k else str(a)
        for ax, col in zip(axes, ("jaccard", "spearman")):
            ax.plot(part[col].to_numpy(float), ys, st.marker, color=st.colour, ms=3.8, ls="none", label=label,
                    zorder=3, clip_on=False)
    for ax, (lo, hi), what in zip(axes, ((0, 1), (-1, 1)), ("Jaccard of top-k", "Spearman \u03c1")):
        ax.axvline(1.0, color=GUIDE, lw=0.6, zorder=0)
        value_grid(ax)
        ax.set_xlim(lo - 0.06 * (hi - lo), hi + 0.08 * (hi - lo))
        ax.set_xlabel(f"{what}\nvs default")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
    axes[1].tick_params(axis="y", left=False)
    axes[0].set_yticks(list(y.values()), [_setting_label(c, s) for c, s in y.keys()])
    axes[0].set_ylim(-0.7, len(rows) - 0.3)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper center", ncol=len(analyses),
               handletextpad=0.2, columnspacing=0.8)
    if title:
        fig.suptitle(title)
    return fig
