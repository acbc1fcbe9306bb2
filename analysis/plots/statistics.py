"""Figures of the comparison statistics: keyness, collocates, vocabulary similarity."""
from __future__ import annotations

import numpy as np
import pandas as pd

from framescope.analysis.plots._draw import (fit_legend, fmt_count, group_sizes_of, grid_shape, hide_unused, is_small, legend_columns, require,
                                  right_values, short, size_label, value_grid, zero_line)
from framescope.analysis.plots.names import glossed, outlet_label
from framescope.analysis.plots.style import MUTED, display, figure, group_styles, has_arabic, ltr, order_groups, styled
from framescope.corpus.errors import FramescopeError

__all__ = ["plot_keyness", "plot_collocates", "plot_similarity"]


def _side_labels(table, target_label, reference_label):
    t = target_label or table.attrs.get("target_label") or table.attrs.get("target") or "target"
    r = reference_label or table.attrs.get("reference_label") or table.attrs.get("reference") or "reference"
    return short(t, 40), short(r, 40)


@styled
def plot_keyness(table: pd.DataFrame, n: int = 12, target_label: str | None = None,
                 reference_label: str | None = None, alpha: float = 0.05, group: str | None = None,
                 lang: str | None = None, width="single", title: str | None = None, n_docs: dict | None = None):
    """Dot-and-whisker plot of the most key terms of each side of a keyness table.

    Takes :func:`framescope.analysis.keyness.keyness` output (columns term, g2, log_ratio,
    log_ratio_low, log_ratio_high, p_adjusted; for :func:`keyness_groups` tables pass
    ``group``). Shows the ``n`` terms with the largest positive G² (key in the target) and
    the ``n`` with the most negative G² (key in the reference) among those with
    ``p_adjusted < alpha``: the dot is the log ratio (log₂ of the ratio of relative
    frequencies, Hardie 2014), the whisker its document-bootstrap CI; G² is printed on
    the right axis. Sides are told apart by colour and marker; the legend gives each side's
    documents (``n_docs`` {label: docs}, else the table's attrs) and a side under the
    size floor is drawn hollow and called small. Arabic terms carry their English gloss
    (:func:`framescope.analysis.plots.names.glossed`).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``term``, ``g2`` (signed: positive = key in the target), ``log_ratio``,
        ``log_ratio_low``, ``log_ratio_high`` and ``p_adjusted``; ``freq_target`` /
        ``freq_reference`` mark terms absent from one side, ``group`` and ``lang`` select
        rows when present.
    n : int, default 12
        Terms drawn on each side.
    target_label : str, optional
        Name of the target side in the legend; default the table's ``attrs``
        (``target_label`` or ``target``), else "target".
    reference_label : str, optional
        Name of the reference side; default the table's ``attrs``, else "reference".
    alpha : float, default 0.05
        Only terms with ``p_adjusted < alpha`` are drawn.
    group : str, optional
        The group to draw from a table of
        :func:`framescope.analysis.keyness.keyness_groups` (required when the table has a
        ``group`` column).
    lang : str, optional
        Only terms of this language (when the table has a ``lang`` column); None: all.
    width : {"single", "double"} or float, default "single"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    title : str, optional
        Figure title; None: no title.
    n_docs : dict, optional
        Side sizes for the legend, ``{label: docs}`` or ``{label: (docs, tokens[, small])}``;
        None: the sizes in the table's attrs or columns.

    Returns
    -------
    matplotlib.figure.Figure
        Two blocks of terms (target on top, reference below), each term's log ratio as a dot
        with its interval and its G² printed on the right axis, a legend of the two sides
        with their sizes.

    References
    ----------
    .. [1] Hardie, A. (2014). Log Ratio — an informal introduction. ESRC Centre for
       Corpus Approaches to Social Science (CASS), Lancaster University.
    .. [2] Dunning, T. (1993). Accurate methods for the statistics of surprise and
       coincidence. *Computational Linguistics* 19(1), 61–74.
    """
    cols = ["term", "g2", "log_ratio", "log_ratio_low", "log_ratio_high", "p_adjusted"]
    table = require(table, cols, "plot_keyness")
    if "group" in table.columns:
        if group is None:
            raise FramescopeError("plot_keyness: the table has several groups: pass group=")
        table = table[table["group"] == group]
    if lang is not None and "lang" in table.columns:
        table = table[table["lang"] == lang]
    sig = table[table["p_adjusted"] < alpha]
    top_t = sig[sig["g2"] > 0].nlargest(n, "g2")
    top_r = sig[sig["g2"] < 0].nsmallest(n, "g2")
    if top_t.empty and top_r.empty:
        raise FramescopeError(f"plot_keyness: no term has p_adjusted < {alpha}")
    sizes = group_sizes_of(table, n_docs)
    t_label, r_label = _side_labels(table, target_label, reference_label)
    t_size = sizes.get(t_label) or sizes.get(table.attrs.get("target_label"))
    r_size = sizes.get(r_label) or sizes.get(table.attrs.get("reference_label"))
    styles = group_styles([t_label, r_label])
    rows = pd.concat([top_t.sort_values("log_ratio", ascending=True),
                      top_r.sort_values("log_ratio", ascending=True)])
    side = [t_label] * len(top_t) + [r_label] * len(top_r)
    kinds = np.where((rows["log_ratio_low"] <= 0) & (rows["log_ratio_high"] >= 0), "crosses", "firm")
    if {"freq_target", "freq_reference"} <= set(rows.columns):
        kinds = np.where((rows["freq_target"] == 0) | (rows["freq_reference"] == 0), "absent", kinds)
    # reference block at the bottom, target block on top, a gap between them
    y = np.concatenate([np.arange(len(top_t)) + len(top_r) + (1 if len(top_r) else 0), np.arange(len(top_r))])
    # glossed Arabic labels need a little more room per row than Latin ones
    height = 0.8 + (0.16 if any(has_arabic(str(t)) for t in rows["term"]) else 0.135) * (len(rows) + 1)
    fig, ax = figure(width, height + (0.2 if title else 0))
    for label, size in ((t_label, t_size), (r_label, r_size)):
        mask = np.array([s == label for s in side])
        if not mask.any():
            continue
        st = styles[label]
        # Three kinds of row, so that no row looks firmer than it is: a term absent from one
        # group gets no whisker (its bootstrap interval cannot reach 0, whatever the data), a
        # term whose interval includes 0 is drawn faded, the rest solid.
        for kind, alpha in (("firm", 1.0), ("crosses", 0.35), ("absent", 1.0)):
            part = mask & (kinds == kind)
            if not part.any():
                continue
            sub = rows[part]
            err = (None if kind == "absent" else
                   [sub["log_ratio"] - sub["log_ratio_low"], sub["log_ratio_high"] - sub["log_ratio"]])
            # absent: a triangle pointing away from 0 (no group marker is one), open like a bound
            absent_marker = ">" if label == t_label else "<"
            ax.errorbar(sub["log_ratio"], y[part], xerr=err, fmt=absent_marker if kind == "absent" else st.marker,
                        color=st.colour, ms=3.5, elinewidth=0.9, alpha=alpha,
                        label=size_label(outlet_label(label), size) if kind == "firm" else None,
                        mfc="white" if is_small(size) or kind == "absent" else st.colour, zorder=3)
    zero_line(ax)
    value_grid(ax)
    ax.set_yticks(y, [glossed(short(t, 24), limit=16) for t in rows["term"]])
    ax.set_ylim(-0.7, y.max() + 0.7)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ci = table.attrs.get("ci", 0.95)
    ax.set_xlabel(f"log\u2082 ratio of relative frequencies\n({ci:.0%} bootstrap CI)")
    right_values(ax, y, [f"{abs(g):,.0f}" for g in rows["g2"]], "|G\u00b2|")
    labels, ncol = fit_legend([size_label(outlet_label(t_label), t_size), size_label(outlet_label(r_label), r_size)],
                              fig.get_figwidth() * 0.75, most=2)
    handles = [ax.plot([], [], styles[lab].marker, color=styles[lab].colour, ms=3.5, ls="none",
                       mfc="white" if is_small(size) else styles[lab].colour)[0]
               for lab, size in ((t_label, t_size), (r_label, r_size))]
    ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.0), handletextpad=0.3, columnspacing=1.0,
              ncol=ncol)
    foot = []
    if (kinds == "crosses").any():
        foot.append("faded: the interval includes 0")
    if (kinds == "absent").any():
        foot.append("\u25c1 \u25b7: absent from the other group (no interval)")
    if foot:
        fig.supxlabel("\n".join(foot), fontsize=7, color=MUTED)
    if title:
        fig.suptitle(title)
    return fig


def _node_of(sub: pd.DataFrame) -> str:
    return str(sub["node"].iloc[0]) if "node" in sub.columns else str(sub.attrs.get("node", ""))


@styled
def plot_collocates(table: pd.DataFrame, n: int = 10, measure: str = "logdice", groups=None,
                    width="double", max_cols: int | None = None, titles: dict | None = None, n_docs: dict | None = None,
                    min_count: int = 5):
    """Collocates of one or more nodes per group, side by side (word-sketch difference style).

    Takes :func:`framescope.analysis.collocations.collocates` output (or several concatenated: one
    panel per ``node``). For each node the union of every group's ``n`` strongest
    collocates by ``measure`` (default logDice, Rychlý 2008) among those whose score rests
    on at least ``min_count`` co-occurrences (``o11``) is listed, ordered by their best such
    score: a collocate enters only on a score resting on ``min_count`` co-occurrences in at
    least one group, so a score resting on two never puts a row in a panel (the node's own
    forms are not in the table: :func:`framescope.analysis.collocations.node_variants`);
    each group's score is a dot (colour and marker per group), the
    grey bar joins a collocate's lowest and highest score. A missing dot: the collocate is
    not among that group's collocates (absent or below the table's min_freq). Beside each
    panel the co-occurrence count (column ``o11``) of every dot is printed, one column per
    group under the group's marker; scores resting on fewer than ``min_count``
    co-occurrences are drawn faded and their counts in grey. The panels share their x
    axis; the legend gives each group's documents and tokens (``n_docs`` or the table's size
    columns / attrs), small groups are drawn hollow; Arabic collocates and nodes carry their
    English gloss. ``max_cols`` (default: 3 panels a row for up to two groups, else 2)
    keeps room for the count columns. Labels are never cut: an Arabic collocate carries its
    whole gloss.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``group``, ``collocate``, ``node`` (or ``attrs['node']``) and the
        ``measure`` column; ``o11`` for the counts beside each panel.
    n : int, default 10
        Strongest collocates taken from each group (the panel lists their union).
    measure : str, default "logdice"
        Score column drawn (e.g. ``"logdice"``, ``"mi3"``, ``"g2"``, ``"t_score"``).
    groups : sequence of str, optional
        Groups to draw, one dot each; None: every group. Known source types are ordered as
        in :data:`framescope.analysis.plots.style.SOURCE_TYPE_ORDER`.
    width : {"single", "double"} or float, default "double"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    max_cols : int, optional
        Panels per row; default 3 for up to two groups (or without counts), else 2.
    titles : dict, optional
        Node → panel title; None: the node, glossed when Arabic.
    n_docs : dict, optional
        Group sizes for the legend, ``{group: docs}`` or ``{group: (docs, tokens[, small])}``
        (e.g. :func:`framescope.report.group_legend`); None: the table's size columns or
        attrs.
    min_count : int, default 5
        Fewest co-occurrences (``o11``) a score must rest on to choose its collocate for a
        panel; another group's score under it is drawn faded and its count in grey. Without
        an ``o11`` column every score counts.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per node: a row per collocate with a dot per group and a bar from its
        lowest to its highest score, the co-occurrence counts beside it, and a legend of the
        groups with their sizes.

    References
    ----------
    .. [1] Rychlý, P. (2008). A lexicographer-friendly association score. RASLAN 2008, 6–9.
    .. [2] Kilgarriff, A., Rychlý, P., Smrž, P. & Tugwell, D. (2004). The Sketch Engine.
       *Proceedings of EURALEX 2004*, 105–116.
    """
    table = require(table, ["group", "collocate", measure], "plot_collocates")
    if "node" not in table.columns:
        table = table.assign(node=table.attrs.get("node", ""))
    nodes = list(pd.unique(table["node"]))
    group_list = order_groups(groups if groups is not None else table["group"])
    table = table[table["group"].isin(group_list)]
    styles = group_styles(group_list)
    tops, heights = [], []
    for node in nodes:
        sub = table[table["node"] == node]
        # rows are chosen only on scores resting on min_count co-occurrences (in at least one group)
        strong = sub[sub["o11"] >= min_count] if "o11" in sub.columns else sub
        chosen = (strong.sort_values([measure, "collocate"], ascending=[False, True])
                  .groupby("group", sort=False).head(n)["collocate"].unique())
        sub = sub[sub["collocate"].isin(chosen)]
        wide = sub.pivot_table(index="collocate", columns="group", values=measure, aggfunc="first")
        wide = wide.reindex(columns=[g for g in group_list if g in wide.columns])
        counts = (sub.pivot_table(index="collocate", columns="group", values="o11", aggfunc="first").reindex_like(wide)
                  if "o11" in sub.columns else None)
        supported = wide.where(counts >= min_count) if counts is not None else wide
        key = pd.DataFrame({"best": supported.max(axis=1).fillna(-np.inf), "any": wide.max(axis=1)})
        wide = wide.loc[key.sort_values(["best", "any"], ascending=True, kind="mergesort").index]
        tops.append((node, wide, None if counts is None else counts.reindex_like(wide)))
        heights.append(len(wide))
    if not any(heights):
        raise FramescopeError(f"plot_collocates: no collocate rests on {min_count} or more co-occurrences "
                              "in any group (lower min_count)")
    with_counts = any(c is not None for _, _, c in tops)
    k = len(group_list)
    if max_cols is None:
        max_cols = 3 if k <= 2 or not with_counts else 2
    nrows, ncols = grid_shape(len(nodes), max_cols)
    per_row = [max(heights[r * ncols:(r + 1) * ncols]) for r in range(nrows)]
    any_weak = any(bool(((c.to_numpy(dtype=float) < min_count) & w.notna().to_numpy()).any())
                   for _, w, c in tops if c is not None)
    # the note under the panels: one line each for the row rule and the counts (with counts), the fading
    fig_h = 0.5 + sum(0.14 * h + 0.55 for h in per_row) + 0.12 * ((2 if with_counts else 0) + any_weak)
    # each panel: the dots, then (with counts) a narrow table of co-occurrence counts, one column per
    # group as wide as its longest count at 7 pt (0.62 em a digit) plus a gap
    digits = max((len(f"{int(v):,}") for _, w, c in tops if c is not None
                  for v in c.to_numpy(dtype=float)[w.notna().to_numpy()] if not np.isnan(v)), default=1)
    fig = figure(width, fig_h)[0]
    fig.clear()
    panel_in = fig.get_figwidth() / ncols
    counts_in = k * (max(digits, 2) * 0.62 * 7 / 72 + 0.12)
    # width ratios share out the axes' areas, after the tick labels are set aside: leave the labels out
    label_in = max((len(glossed(c)) for _, w, _ in tops for c in w.index), default=8) * 0.6 * 7 / 72
    ratios = ([max(panel_in - counts_in - label_in, 0.8), counts_in] if with_counts else [1]) * ncols
    grid = fig.subplots(nrows, len(ratios), squeeze=False,
                        gridspec_kw={"height_ratios": [h + 3 for h in per_row], "width_ratios": ratios})
    step = 2 if with_counts else 1
    axes, count_axes = grid[:, ::step], (grid[:, 1::2] if with_counts else None)
    sizes = group_sizes_of(table, n_docs)
    lo_all = min(float(w.min().min()) for _, w, _ in tops if len(w))
    hi_all = max(float(w.max().max()) for _, w, _ in tops if len(w))
    pad = 0.05 * (hi_all - lo_all or 1)
    for i, (node, wide, counts) in enumerate(tops):
        ax = axes.ravel()[i]
        y = np.arange(len(wide))
        lo, hi = wide.min(axis=1).to_numpy(), wide.max(axis=1).to_numpy()
        ax.hlines(y, lo, hi, color="#CCCCCC", lw=1.6, zorder=1)
        for g in wide.columns:
            st = styles[g]
            # a score resting on fewer than min_count co-occurrences is drawn faded: it is not a strong finding
            score = wide[g].to_numpy(dtype=float)
            weak = (counts[g].to_numpy(dtype=float) < min_count) if counts is not None else np.zeros(len(wide), bool)
            for mask, alpha in ((~weak, 1.0), (weak, 0.3)):
                if mask.any():
                    ax.plot(score[mask], y[mask], st.marker, color=st.colour, ms=3.5, ls="none",
                            zorder=3, alpha=alpha, mfc="white" if is_small(sizes.get(g)) else st.colour)
        ax.set_yticks(y, [glossed(c) for c in wide.index])
        if wide.empty:
            ax.text(0.5, 0.5, f"no collocate with\n≥ {min_count} co-occurrences", transform=ax.transAxes,
                    ha="center", va="center", fontsize=7, color=MUTED)
        ax.set_ylim(-0.8, len(wide) - 0.2)
        ax.set_xlim(lo_all - pad, hi_all + pad)
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        value_grid(ax)
        ax.set_title((titles or {}).get(node, glossed(node)), loc="left")
        ax.set_xlabel("logDice" if measure == "logdice" else measure)
        if with_counts:
            _count_table(count_axes.ravel()[i], wide, counts, group_list, styles, sizes, min_count)
    for extra in range(len(tops), axes.size):
        axes.ravel()[extra].set_visible(False)
        if with_counts:
            count_axes.ravel()[extra].set_visible(False)
    handles = [axes.ravel()[0].plot([], [], styles[g].marker, color=styles[g].colour, ls="none", ms=3.5,
                                    mfc="white" if is_small(sizes.get(g)) else styles[g].colour)[0]
               for g in group_list]
    names, ncol = fit_legend([size_label(outlet_label(g), sizes.get(g)) for g in group_list], fig.get_figwidth(),
                             most=5)
    fig.legend(handles, names, loc="outside upper center", ncol=ncol)
    foot = (f"rows: each group's {n} strongest collocates among those with ≥ {min_count} co-occurrences"
            "\nnumbers: co-occurrences within the span (o11), one column per group under its marker" if with_counts
            else "")
    if any_weak:
        foot += ("\n" if foot else "") + f"faded / grey: a score resting on fewer than {min_count} co-occurrences"
    if foot:
        fig.supxlabel(foot, fontsize=7, color=MUTED)
    return fig


def _count_table(ax, wide: pd.DataFrame, counts: pd.DataFrame, group_list: list, styles: dict, sizes: dict,
                 min_count: int) -> None:
    """Co-occurrence counts beside a collocates panel: one column per group (its marker on
    top), one row per collocate, '–' where the group has no score."""
    # the same columns in every panel, in legend order, so a column means one group throughout
    for j, g in enumerate(group_list):
        st = styles[g]
        ax.plot([j], [len(wide) - 0.1], st.marker, color=st.colour, ms=3.5, clip_on=False,
                mfc="white" if is_small(sizes.get(g)) else st.colour)
        if g not in wide.columns:
            continue
        for yi, (score, c) in enumerate(zip(wide[g], counts[g])):
            if pd.isna(score):
                continue
            ax.text(j, yi, "–" if pd.isna(c) else f"{int(c):,}", ha="center", va="center", fontsize=7,
                    color="#999999" if pd.isna(c) or c < min_count else "#222222")
    ax.set_xlim(-0.6, len(group_list) - 0.4)
    ax.set_ylim(-0.8, len(wide) - 0.2)
    ax.set_axis_off()


@styled
def plot_similarity(table: pd.DataFrame, target: str = "all", width="single", value: str = "jsd_equal",
                    title: str | None = None):
    """How close one set of documents is to each group: JSD with its interval, per group.

    Takes :func:`framescope.report.vocabulary_similarity` output; one row per group, sorted
    (closest on top), dot = ``value`` (default the equal-size-sample median JSD), whisker
    = ``jsd_low``–``jsd_high``; colour and marker by what the group is (the ``kind``
    column, e.g. stance and ownership, else its source type); the cosine similarity is
    printed on the right axis. Each row is labelled with the group's documents and running
    words, the same N as every other figure; the legend names the reference (the target
    documents, with their documents and running words), and a note says what the dot, the
    whisker and the cosine are and which groups were too small to compare.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``target``, ``group``, ``cosine`` and the ``value`` column; ``jsd_low`` /
        ``jsd_high`` for the whiskers, ``kind`` or ``source_type`` for colours, ``n_docs``
        and ``n_tokens`` (``small_group``) for the labels when present; ``attrs`` from
        :func:`framescope.report.vocabulary_similarity` for the reference and the note.
    target : str, default "all"
        Which target's rows to draw: ``"all"`` (the pooled target) or a document id of a
        per-document table.
    width : {"single", "double"} or float, default "single"
        Figure width: one column (3.5 in), the page (7.2 in) or inches.
    value : str, default "jsd_equal"
        Column drawn as the dot: ``"jsd_equal"`` (the equal-size-sample median, with its
        interval as whiskers) or ``"jsd"`` (the plug-in divergence from all tokens, no
        whiskers).
    title : str, optional
        Figure title; None: no title.

    Returns
    -------
    matplotlib.figure.Figure
        A dot plot with one row per group (closest on top), labelled with its documents and
        running words, the cosine similarity printed on the right axis, a legend of the
        kinds headed by the reference and a note explaining the measures.

    References
    ----------
    .. [1] Lin, J. (1991). Divergence measures based on the Shannon entropy. *IEEE
       Transactions on Information Theory* 37(1), 145–151.
    """
    import textwrap

    table = require(table, ["target", "group", value, "cosine"], "plot_similarity")
    sub = table[table["target"] == target]
    if sub.empty:
        raise FramescopeError(f"plot_similarity: no rows for target {target!r}")
    sub = sub.sort_values(value, ascending=False, kind="mergesort")
    kind_col = "kind" if "kind" in sub else ("source_type" if "source_type" in sub else None)
    kind_of = sub[kind_col].fillna("unknown").astype(str) if kind_col else pd.Series("all", index=sub.index)
    # design labels in the order of the table's attrs or of first appearance, source types in the style's order
    if kind_col == "source_type":
        kinds = order_groups(kind_of)
    else:  # the design's order (attrs['kind_order']), so colours match the figures of the same groups
        order = [str(k) for k in table.attrs.get("kind_order") or []]
        kinds = [k for k in order if k in set(kind_of)] + [k for k in dict.fromkeys(kind_of) if k not in order]
    styles = group_styles(kinds)
    y = np.arange(len(sub))
    fig, ax = figure(width, 1.5 + 0.15 * len(sub) + 0.13 * len(kinds) + (0.2 if title else 0))
    for kind in kinds:
        mask = (kind_of == kind).to_numpy()
        part = sub[mask]
        st = styles[kind]
        if {"jsd_low", "jsd_high"} <= set(part.columns) and value == "jsd_equal":
            err = [part[value] - part["jsd_low"], part["jsd_high"] - part[value]]
        else:
            err = None
        small = part["small_group"].to_numpy(bool) if "small_group" in part else np.zeros(len(part), bool)
        for hollow in (False, True):
            pick = small == hollow
            if not pick.any():
                continue
            e = None if err is None else [err[0][pick], err[1][pick]]
            ax.errorbar(part[value][pick], y[mask][pick], xerr=e, fmt=st.marker, color=st.colour, ms=3.5,
                        mfc="white" if hollow else st.colour, elinewidth=0.9, zorder=3,
                        label=display(kind) if not hollow or not (~small).any() else None)
    if {"n_docs", "n_tokens"} <= set(sub.columns):
        labels = [ltr(size_label(outlet_label(g), (d, t, bool(sm))))
                  for g, d, t, sm in zip(sub["group"], sub["n_docs"], sub["n_tokens"],
                                         sub["small_group"] if "small_group" in sub else [False] * len(sub))]
    else:
        labels = [ltr(f"{outlet_label(g)} ({fmt_count(n)} tok.)") if "n_tokens" in sub else outlet_label(g)
                  for g, n in zip(sub["group"], sub.get("n_tokens", pd.Series([0] * len(sub))))]
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    value_grid(ax)
    ax.set_ylim(-0.7, len(sub) - 0.3)
    attrs = table.attrs
    reference = str(attrs.get("target_label") or attrs.get("target") or "the target") if target == "all" else target
    if target == "all" and "target_docs" in attrs:
        reference = size_label(short(reference, 30), (attrs["target_docs"], attrs.get("target_tokens"),
                                                      bool(attrs.get("target_small"))))
    ax.set_xlabel(f"Jensen\u2013Shannon divergence{chr(10) if fig.get_figwidth() < 5 else ' '}from the "
                  f"{'reference' if target == 'all' else 'document'} (\u2190 closer)")
    right_values(ax, y, [f"{c:.2f}" for c in sub["cosine"]], "cosine")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), handletextpad=0.2, columnspacing=0.8, alignment="left",
              title=f"each outlet against {reference}", title_fontsize=7,
              ncol=legend_columns([display(k) for k in kinds], fig.get_figwidth() * 0.6, most=3))
    ci = attrs.get("ci", 0.95)
    sample = attrs.get("sample_tokens") or (int(sub["sample_tokens"].iloc[0]) if "sample_tokens" in sub else None)
    n_boot, terms = attrs.get("n_boot"), attrs.get("n_terms")
    notes = []
    if value == "jsd_equal":
        notes.append(f"Dot: median JSD over {n_boot or 'the'} equal samples of each outlet's documents"
                     + (f" ({sample:,} analysed tokens each, stopwords removed: the smallest outlet's)" if sample
                        else "") + f"; whisker: {ci:.0%} of the samples (the outlet resampled, the reference fixed).")
    notes.append("Cosine: similarity of the whole profiles (1 = same shape)"
                 + (f", over the top {terms:,} terms." if terms else "."))
    if "small_group" in sub and sub["small_group"].any():
        from framescope.analysis.groups import DEFAULT_FLOOR

        notes.append(f"Hollow: a group under the size floor ('small': fewer than {DEFAULT_FLOOR.min_docs} documents "
                     f"or {DEFAULT_FLOOR.min_tokens:,} words).")
    too_small = attrs.get("too_small") or {}
    if too_small:
        notes.append(f"Not compared (fewer than {attrs.get('min_tokens', 0):,} analysed tokens): "
                     + ", ".join(outlet_label(g) for g in too_small) + ".")
    if notes:
        fig.supxlabel("\n".join(textwrap.fill(n, width=int(fig.get_figwidth() * 16)) for n in notes),
                      fontsize=7, color=MUTED, ha="left", x=0.02)
    if title:
        fig.suptitle(title)
    return fig
